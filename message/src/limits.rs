//! Cliq's limits, one table, each with its source.
//!
//! Every limit is checked before a message leaves: [`Message::validate`](crate::Message::validate),
//! [`Form::validate`](crate::Form::validate) (also run by `cliq-webhook` before it answers)
//! return every violation, each naming its limit. Literals are checked at compile time:
//! [`checked!`](crate::checked) for strings, the const-generic array constructors
//! ([`Card::prompt`](crate::Card::prompt), [`Message::with_buttons`](crate::Message::with_buttons),
//! …) for counts, and `#[derive(CliqForm)]` for every literal it is given. Nothing is ever
//! truncated.
//!
//! Lengths count Unicode scalar values (`char`s), as Zoho's "characters" reads.
//!
//! | Limit | Max | Source |
//! |---|---|---|
//! | [`MESSAGE_TEXT`] | 10 000 chars | `messageformat.yml`, `buttons.yml` (`maxLength: 10000`); `bots.yml`'s `BotMessage.text` says 5 000 — the bot-message operations' own limit is [`BOT_MESSAGE_TEXT`] |
//! | [`BOT_MESSAGE_TEXT`] | 5 000 chars | `bots.yml` `BotMessage.text` `maxLength` |
//! | [`BUTTONS_PER_MESSAGE`] | 5 | `bots.yml` `BotMessage.buttons`, `buttons.yml` `maxItems: 5` |
//! | [`BUTTONS_PER_CARD`] | 5 | `messagecards.yml` `CardObject.buttons` `maxItems: 5` |
//! | [`BUTTON_LABEL`] | 30 chars | `messagecards.yml` `CardButton.label` `maxLength: 30`; `buttons.yml` says 20 for message buttons: see [`MESSAGE_BUTTON_LABEL`] |
//! | [`MESSAGE_BUTTON_LABEL`] | 20 chars | `buttons.yml` button `label` `maxLength: 20` |
//! | [`BUTTON_HINT`] | 100 chars | `buttons.yml` `hint` `maxLength: 100` |
//! | [`BUTTON_KEY`] | 100 chars | `buttons.yml` `key` `maxLength: 100` |
//! | [`URL`] | 256 chars | `buttons.yml` `open.url` data table ("Maximum length: 256") |
//! | [`PREVIEW_URL`] | 500 chars | `buttons.yml` `preview.url` data table ("Maximum length: 500") |
//! | [`COPY_TEXT`] | 200 chars | `buttons.yml` `copy` data table ("Maximum length: 200") |
//! | [`CONFIRM_TITLE`], [`CONFIRM_DESCRIPTION`], [`CONFIRM_BUTTON_LABEL`] | 100 chars | `buttons.yml` `confirm` `maxLength: 100` |
//! | [`CONFIRM_INPUT`] | 300 chars | `buttons.yml` `confirm.input` `maxLength: 300` |
//! | [`CARD_TITLE`] | 200 chars | `messagecards.yml` `CardObject.title` `maxLength: 200` |
//! | [`POLL_OPTIONS`] | 10 (at least 2) | `messagecards.yml` `CardObject.options` `maxItems: 10`, `minItems: 2` |
//! | [`POLL_OPTION_TEXT`] | 100 chars | `messagecards.yml` option `text` `maxLength: 100` |
//! | [`SLIDES`] | 20 | `bots.yml` `BotMessage.slides` `maxItems: 20` |
//! | [`CHART_SEGMENTS`], [`GRAPH_CATEGORIES`] | 5 | `messageformat.yml` chart/graph `data` `maxItems: 5` |
//! | [`GRAPH_POINTS`] | 20 | `messageformat.yml` graph `values` `maxItems: 20` |
//! | [`CHART_LABEL`] | 20 chars | `messageformat.yml` chart/graph `label`, `category`, axis names `maxLength: 20` |
//! | [`FORM_INPUTS`] | 25 | Zoho's "Forms in Cliq" help page only ("a maximum of 25 form input fields") |
//! | [`FORM_NAME`], [`INPUT_NAME`], [`INPUT_LABEL`] | 50 chars | Zoho's form help pages only (`string(50)`) |
//! | [`INPUT_PLACEHOLDER`], [`INPUT_HINT`] | 100 chars | Zoho's form input help pages only (`string(100)`) |
//! | [`CHECKBOX_OPTIONS`] | 5 | Zoho's "Checkbox Fields in Forms" help page only ("Array (1-5)") |
//! | [`OPTION_LABEL`] | 100 chars | Zoho's checkbox help page only ("Maximum allowed characters: 100") |

use std::fmt;

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (Unicode scalar values) of a string.
    Chars,
    /// Items of a list.
    Items,
}

/// One of Cliq's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Its name, as in this module (`BUTTON_LABEL`).
    pub name: &'static str,
    /// What it limits, in words.
    pub what: &'static str,
    /// The most allowed.
    pub max: usize,
    /// What is counted.
    pub unit: Unit,
    /// Where the number comes from.
    pub source: &'static str,
    /// What a compile-time check says when a literal is over it.
    pub over: &'static str,
}

macro_rules! limits {
    (@unit Chars) => { "characters" };
    (@unit Items) => { "items" };
    ($( $(#[$m:meta])* $name:ident = ($what:literal, $max:literal, $unit:ident, $source:literal); )+) => {
        $(
            $(#[$m])*
            pub const $name: Limit = Limit {
                name: stringify!($name),
                what: $what,
                max: $max,
                unit: Unit::$unit,
                source: $source,
                over: concat!(
                    "over Cliq's limit ", stringify!($name), ": ", $what, " is at most ",
                    stringify!($max), " ", limits!(@unit $unit), " (", $source, ")"
                ),
            };
        )+
        /// Every limit, in the order of the table above.
        pub const ALL: &[Limit] = &[$($name),+];
    };
}

limits! {
    /// Message text (chat/channel message operations).
    MESSAGE_TEXT = ("message text", 10000, Chars, "messageformat.yml, buttons.yml: text maxLength 10000");
    /// Text of a message a bot posts through the Bots API.
    BOT_MESSAGE_TEXT = ("bot message text", 5000, Chars, "bots.yml: BotMessage.text maxLength 5000");
    /// Buttons of a message.
    BUTTONS_PER_MESSAGE = ("buttons per message", 5, Items, "bots.yml BotMessage.buttons, buttons.yml: maxItems 5");
    /// Buttons of a card.
    BUTTONS_PER_CARD = ("buttons per card", 5, Items, "messagecards.yml CardObject.buttons: maxItems 5");
    /// Label of a card button.
    BUTTON_LABEL = ("button label", 30, Chars, "messagecards.yml CardButton.label: maxLength 30");
    /// Label of a message button.
    MESSAGE_BUTTON_LABEL = ("message button label", 20, Chars, "buttons.yml button label: maxLength 20");
    /// Button tooltip.
    BUTTON_HINT = ("button hint", 100, Chars, "buttons.yml hint: maxLength 100");
    /// Button key.
    BUTTON_KEY = ("button key", 100, Chars, "buttons.yml key: maxLength 100");
    /// A URL an `open.url` button opens.
    URL = ("open.url URL", 256, Chars, "buttons.yml open.url data: Maximum length 256");
    /// A URL a `preview.url` button shows.
    PREVIEW_URL = ("preview.url URL", 500, Chars, "buttons.yml preview.url data: Maximum length 500");
    /// Text a `copy` button copies.
    COPY_TEXT = ("copy text", 200, Chars, "buttons.yml copy data: Maximum length 200");
    /// Confirmation dialog title.
    CONFIRM_TITLE = ("confirm title", 100, Chars, "buttons.yml confirm.title: maxLength 100");
    /// Confirmation dialog description.
    CONFIRM_DESCRIPTION = ("confirm description", 100, Chars, "buttons.yml confirm.description: maxLength 100");
    /// Confirmation dialog input prompt.
    CONFIRM_INPUT = ("confirm input", 300, Chars, "buttons.yml confirm.input: maxLength 300");
    /// Confirmation dialog button labels.
    CONFIRM_BUTTON_LABEL = ("confirm button label", 100, Chars, "buttons.yml confirm.button_label, cancel_button_label: maxLength 100");
    /// Card title.
    CARD_TITLE = ("card title", 200, Chars, "messagecards.yml CardObject.title: maxLength 200");
    /// Options of a poll card.
    POLL_OPTIONS = ("poll options", 10, Items, "messagecards.yml CardObject.options: maxItems 10 (minItems 2)");
    /// Text of a poll option.
    POLL_OPTION_TEXT = ("poll option text", 100, Chars, "messagecards.yml CardObject.options[].text: maxLength 100");
    /// Slides of a message.
    SLIDES = ("slides", 20, Items, "bots.yml BotMessage.slides: maxItems 20");
    /// Segments of a percentage chart.
    CHART_SEGMENTS = ("chart segments", 5, Items, "messageformat.yml percentage_chart data: maxItems 5");
    /// Categories of a graph.
    GRAPH_CATEGORIES = ("graph categories", 5, Items, "messageformat.yml graph data: maxItems 5");
    /// Points of one graph category.
    GRAPH_POINTS = ("graph points", 20, Items, "messageformat.yml graph values: maxItems 20");
    /// Chart and graph labels, categories and axis names.
    CHART_LABEL = ("chart label", 20, Chars, "messageformat.yml chart/graph label, category, x_axis, y_axis: maxLength 20");
    /// Inputs of a form.
    FORM_INPUTS = ("form inputs", 25, Items, "Zoho help 'Forms in Cliq': a maximum of 25 form input fields");
    /// Name of a form.
    FORM_NAME = ("form name", 50, Chars, "Zoho help 'Forms in Cliq': name string(50)");
    /// Name of a form input.
    INPUT_NAME = ("input name", 50, Chars, "Zoho help form input pages: name string(50)");
    /// Label of a form input.
    INPUT_LABEL = ("input label", 50, Chars, "Zoho help form input pages: label string(50)");
    /// Placeholder of a form input.
    INPUT_PLACEHOLDER = ("input placeholder", 100, Chars, "Zoho help form input pages: placeholder string(100)");
    /// Hint of a form input.
    INPUT_HINT = ("input hint", 100, Chars, "Zoho help form input pages: hint string(100)");
    /// Options of a checkbox input.
    CHECKBOX_OPTIONS = ("checkbox options", 5, Items, "Zoho help 'Checkbox Fields in Forms': options Array (1-5)");
    /// Label of an input option.
    OPTION_LABEL = ("option label", 100, Chars, "Zoho help 'Checkbox Fields in Forms': label maximum 100 characters");
}

/// Characters of `s` (Unicode scalar values), in a `const fn`.
pub const fn char_count(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < bytes.len() {
        // Every byte but a UTF-8 continuation byte starts a character.
        if bytes[i] & 0xC0 != 0x80 {
            n += 1;
        }
        i += 1;
    }
    n
}

impl Limit {
    /// `Ok` when `s` fits.
    pub fn check_str(&self, s: &str) -> Result<(), LimitError> {
        self.check_count(s.chars().count())
    }

    /// `Ok` when `n` items (or characters) fit.
    pub fn check_count(&self, n: usize) -> Result<(), LimitError> {
        if n <= self.max {
            Ok(())
        } else {
            Err(LimitError {
                limit: *self,
                actual: n,
                at: String::new(),
            })
        }
    }

    /// Panics when a string is over this limit; in a `const` this is a compile error (what
    /// [`checked!`](crate::checked) and `#[derive(CliqForm)]` use).
    pub const fn assert_str(&self, s: &str) {
        if char_count(s) > self.max {
            panic!("{}", self.over);
        }
    }

    /// Panics when `n` items are over this limit; a compile error in a `const`.
    pub const fn assert_count(&self, n: usize) {
        if n > self.max {
            panic!("{}", self.over);
        }
    }
}

/// A value over one of Cliq's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// The limit.
    pub limit: Limit,
    /// How many characters or items there were.
    pub actual: usize,
    /// Where: a JSON-pointer-like path in the message (`/buttons/5`), empty at the top.
    pub at: String,
}

impl LimitError {
    pub(crate) fn at(mut self, prefix: &str) -> LimitError {
        self.at = format!("{prefix}{}", self.at);
        self
    }
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.limit.unit {
            Unit::Chars => "characters",
            Unit::Items => "items",
        };
        write!(
            f,
            "{} is over Cliq's limit {} ({}: at most {} {unit}, found {}; source: {})",
            if self.at.is_empty() { "/" } else { &self.at },
            self.limit.name,
            self.limit.what,
            self.limit.max,
            self.actual,
            self.limit.source
        )
    }
}

impl std::error::Error for LimitError {}

/// Every limit a value breaks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LimitErrors(pub Vec<LimitError>);

impl LimitErrors {
    pub(crate) fn str(&mut self, limit: Limit, at: &str, s: &str) {
        if let Err(e) = limit.check_str(s) {
            self.0.push(e.at(at));
        }
    }

    pub(crate) fn opt(&mut self, limit: Limit, at: &str, s: &Option<String>) {
        if let Some(s) = s {
            self.str(limit, at, s);
        }
    }

    pub(crate) fn count(&mut self, limit: Limit, at: &str, n: usize) {
        if let Err(e) = limit.check_count(n) {
            self.0.push(e.at(at));
        }
    }

    pub(crate) fn nest(&mut self, prefix: &str, inner: LimitErrors) {
        self.0.extend(inner.0.into_iter().map(|e| e.at(prefix)));
    }

    pub(crate) fn into_result(self) -> Result<(), LimitErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for LimitErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LimitErrors {}

/// A string literal checked against one of [`limits`](crate::limits) at compile time:
/// `checked!(BUTTON_LABEL, "Approve")` is `"Approve"`; a literal over the limit does not
/// compile.
///
/// ```
/// use cliq_message::{checked, Button};
/// let b = Button::open_url(checked!(BUTTON_LABEL, "Docs"), "https://example.com");
/// # let _ = b;
/// ```
///
/// ```compile_fail
/// // 31 characters: over BUTTON_LABEL (30).
/// let label = cliq_message::checked!(BUTTON_LABEL, "Approve this deployment request");
/// ```
#[macro_export]
macro_rules! checked {
    ($limit:ident, $lit:literal) => {{
        const _: () = $crate::limits::$limit.assert_str($lit);
        $lit
    }};
}
