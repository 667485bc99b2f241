//! A message's content: text, card, buttons and slides.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::button::Button;
use crate::card::Card;
use crate::limits::{self, LimitErrors};
use crate::slide::Slide;

/// What a message carries. Other fields (`bot`, `styles`, `suggestions`, …) are kept in
/// `extra`.
///
/// ```
/// use cliq_message::{Button, Card, ExternalFunction, MessageContent, Slide};
/// let m = MessageContent::text("Build 42 passed")
///     .card(Card::modern_inline("CI"))
///     .with_buttons([
///         Button::open_url("Logs", "https://ci.example.com/42"),
///         Button::invoke("Deploy", ExternalFunction("deploy")),
///     ])
///     .slide(Slide::list(["unit", "e2e"]).title("Suites"));
/// m.validate().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct MessageContent {
    /// Text (Cliq markdown; [`Mention`](crate::Mention)s are written into it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Buttons under the message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Slides under the card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slides: Vec<Slide>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessageContent {
    /// A text message.
    pub fn text(text: impl Into<String>) -> MessageContent {
        MessageContent {
            text: Some(text.into()),
            ..MessageContent::default()
        }
    }

    /// Sets the card.
    pub fn card(mut self, card: Card) -> MessageContent {
        self.card = Some(card);
        self
    }

    /// Adds a button ([`MessageContent::validate`] checks the count).
    pub fn button(mut self, button: Button) -> MessageContent {
        self.buttons.push(button);
        self
    }

    /// Sets the buttons; more than 5 ([`limits::BUTTONS_PER_MESSAGE`]) does not compile.
    pub fn with_buttons<const N: usize>(mut self, buttons: [Button; N]) -> MessageContent {
        const {
            assert!(
                N <= limits::BUTTONS_PER_MESSAGE.max,
                "BUTTONS_PER_MESSAGE: a message has at most 5 buttons"
            )
        };
        self.buttons = buttons.into();
        self
    }

    /// Adds a slide ([`MessageContent::validate`] checks the count).
    pub fn slide(mut self, slide: Slide) -> MessageContent {
        self.slides.push(slide);
        self
    }

    /// Every limit this message breaks, each naming the limit and where.
    pub fn validate(&self) -> Result<(), LimitErrors> {
        MessageContent::validate_parts(
            self.text.as_deref(),
            self.card.as_ref(),
            &self.buttons,
            &self.slides,
        )
    }

    /// [`MessageContent::validate`] of a message held in parts (`cliq-webhook`'s `Reply`).
    pub fn validate_parts(
        text: Option<&str>,
        card: Option<&Card>,
        buttons: &[Button],
        slides: &[Slide],
    ) -> Result<(), LimitErrors> {
        let mut e = LimitErrors::default();
        if let Some(text) = text {
            e.str(limits::MESSAGE_TEXT, "/text", text);
        }
        if let Some(Err(inner)) = card.map(Card::validate) {
            e.nest("/card", inner);
        }
        e.count(limits::BUTTONS_PER_MESSAGE, "/buttons", buttons.len());
        for (i, b) in buttons.iter().enumerate() {
            if let Err(inner) = b.validate_as(limits::MESSAGE_BUTTON_LABEL) {
                e.nest(&format!("/buttons/{i}"), inner);
            }
        }
        e.count(limits::SLIDES, "/slides", slides.len());
        for (i, s) in slides.iter().enumerate() {
            if let Err(inner) = s.validate() {
                e.nest(&format!("/slides/{i}"), inner);
            }
        }
        e.into_result()
    }
}
