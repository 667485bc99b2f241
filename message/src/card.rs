//! Cards (`messagecards.yml`'s `CardObject`): a theme, a title, and what the theme shows.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::button::Button;
use crate::limits::{self, LimitErrors};
use crate::wire::string_enum;

string_enum! {
    /// How a card is rendered. `messagecards.yml` lists `poll`, `modern-inline` and
    /// `prompt`; `basic` is from Zoho's message help pages and the SDKs only.
    pub enum Theme {
        /// `basic` (Zoho's help pages and SDKs; not in `messagecards.yml`).
        Basic = "basic",
        /// `poll`: options users vote on.
        Poll = "poll",
        /// `modern-inline`: a header, sections of fields, buttons.
        ModernInline = "modern-inline",
        /// `prompt`: a question and buttons to answer it.
        Prompt = "prompt",
    }
}

/// A card.
///
/// One constructor per theme:
///
/// ```
/// use cliq_message::{Button, Card, ExternalFunction, Section, Theme};
/// // poll: 2 to 10 options, counted at compile time
/// let poll = Card::poll("Lunch?", ["Pizza", "Sushi"]);
/// // modern-inline: title, thumbnail, sections of fields, buttons
/// let inline = Card::modern_inline("Ticket escalated")
///     .thumbnail("https://example.com/t.png")
///     .section(Section::new("Summary").field("Priority", "Critical"))
///     .button(Button::open_url("View", "https://example.com/t/1"));
/// // prompt: a question and 1 to 5 buttons, counted at compile time
/// let prompt = Card::prompt("Deploy v3.6.1?", [
///     Button::invoke("Approve", ExternalFunction("approve")),
///     Button::invoke("Reject", ExternalFunction("reject")),
/// ]);
/// // basic (Zoho's help pages): a title and a theme
/// let basic = Card::new("Hello", Theme::Basic);
/// assert_eq!(serde_json::to_value(&prompt).unwrap()["theme"], "prompt");
/// # let _ = (poll, inline, basic);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Card {
    /// The theme. The spec requires it; Zoho's examples sometimes leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<Theme>,
    /// Header or question (required by the spec; some of its examples leave it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Thumbnail URL (`modern-inline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// Icon URL (Zoho's help pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Poll options (`poll`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<PollOption>>,
    /// Sections of fields (`modern-inline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<Section>>,
    /// Buttons (`modern-inline`, `prompt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<Button>>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Card {
    /// A card with a title and a theme.
    pub fn new(title: impl Into<String>, theme: Theme) -> Card {
        Card {
            theme: Some(theme),
            title: Some(title.into()),
            thumbnail: None,
            icon: None,
            options: None,
            sections: None,
            buttons: None,
            extra: Map::new(),
        }
    }

    /// A `poll` card; `N` must be 2 to 10 ([`limits::POLL_OPTIONS`]), checked at compile time.
    pub fn poll<const N: usize>(title: impl Into<String>, options: [&str; N]) -> Card {
        const {
            assert!(
                N >= 2 && N <= limits::POLL_OPTIONS.max,
                "POLL_OPTIONS: a poll card has 2 to 10 options"
            )
        };
        Card::poll_from(title, options)
    }

    /// A `poll` card from options known at run time ([`Card::validate`] checks their count).
    pub fn poll_from<I, S>(title: impl Into<String>, options: I) -> Card
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut card = Card::new(title, Theme::Poll);
        card.options = Some(options.into_iter().map(PollOption::new).collect());
        card
    }

    /// A `modern-inline` card.
    pub fn modern_inline(title: impl Into<String>) -> Card {
        Card::new(title, Theme::ModernInline)
    }

    /// A `prompt` card; `N` must be 1 to 5 ([`limits::BUTTONS_PER_CARD`]), checked at compile
    /// time.
    pub fn prompt<const N: usize>(title: impl Into<String>, buttons: [Button; N]) -> Card {
        const {
            assert!(
                N >= 1 && N <= limits::BUTTONS_PER_CARD.max,
                "BUTTONS_PER_CARD: a prompt card has 1 to 5 buttons"
            )
        };
        let mut card = Card::new(title, Theme::Prompt);
        card.buttons = Some(buttons.into());
        card
    }

    /// Sets the thumbnail URL.
    pub fn thumbnail(mut self, url: impl Into<String>) -> Card {
        self.thumbnail = Some(url.into());
        self
    }

    /// Adds a section.
    pub fn section(mut self, section: Section) -> Card {
        self.sections.get_or_insert_with(Vec::new).push(section);
        self
    }

    /// Adds a button ([`Card::validate`] checks the count).
    pub fn button(mut self, button: Button) -> Card {
        self.buttons.get_or_insert_with(Vec::new).push(button);
        self
    }

    /// Every limit this card breaks.
    pub fn validate(&self) -> Result<(), LimitErrors> {
        let mut e = LimitErrors::default();
        e.opt(limits::CARD_TITLE, "/title", &self.title);
        if let Some(options) = &self.options {
            e.count(limits::POLL_OPTIONS, "/options", options.len());
            for (i, o) in options.iter().enumerate() {
                e.str(
                    limits::POLL_OPTION_TEXT,
                    &format!("/options/{i}/text"),
                    &o.text,
                );
            }
        }
        if let Some(buttons) = &self.buttons {
            e.count(limits::BUTTONS_PER_CARD, "/buttons", buttons.len());
            for (i, b) in buttons.iter().enumerate() {
                if let Err(inner) = b.validate_as(limits::BUTTON_LABEL) {
                    e.nest(&format!("/buttons/{i}"), inner);
                }
            }
        }
        e.into_result()
    }
}

/// A poll option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PollOption {
    /// What users vote for.
    pub text: String,
    /// Any other field (Cliq answers with `votes`), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PollOption {
    /// An option.
    pub fn new(text: impl Into<String>) -> PollOption {
        PollOption {
            text: text.into(),
            extra: Map::new(),
        }
    }
}

/// A section of a `modern-inline` card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Section {
    /// Heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Section {
    /// A section with a heading.
    pub fn new(title: impl Into<String>) -> Section {
        Section {
            title: Some(title.into()),
            ..Section::default()
        }
    }

    /// Adds a field.
    pub fn field(mut self, title: impl Into<String>, value: impl Into<String>) -> Section {
        self.fields.push(Field {
            title: title.into(),
            value: value.into(),
            extra: Map::new(),
        });
        self
    }
}

/// A labelled value in a card section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Field {
    /// Label.
    pub title: String,
    /// Value.
    pub value: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
