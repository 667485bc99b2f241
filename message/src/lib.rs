//! Typed content of Zoho Cliq messages: [cards](Card), [buttons](Button),
//! [slides](Slide), [mentions](Mention) and [forms](Form), one model shared by the generated
//! client (`cliq-api`: `bots`' `BotMessage.card`, `buttons`, `slides`; the request bodies of
//! `messagecards`, `messageformat` and `buttons`, whose `CardObject`, `CardButton` and `Slides`
//! are aliases of these types) and the webhook replies (`cliq-webhook`'s `Reply`, `Form`).
//!
//! **Where the shapes come from.** Cards, buttons and slides are derived from Zoho's Cliq v3
//! specs `messagecards.yml` (`CardObject`, `CardButton`, `Slides`), `buttons.yml`,
//! `messageformat.yml` (table, list, label, images, chart, graph) and `bots.yml`
//! (`BotMessage`); mentions from `mentions.yml`. **Forms are from Zoho's help pages only**
//! ("Forms in Cliq" and its input pages): no spec describes them. Where the specs disagree
//! with each other or with their own examples, both forms are read and the examples' form is
//! written:
//! - the confirm dialog's `mandatory` is the string `"true"` in `buttons.yml`; booleans are read
//!   too ([`WireBool`]);
//! - `preview.url` data is `{url}` in `buttons.yml`'s table and example, `{web}` elsewhere
//!   ([`PreviewUrl`] keeps either);
//! - a `label` slide's items are `{"<label>": "<value>"}` in `messageformat.yml`, `{label,
//!   value}` in `bots.yml` (both are objects; [`Slide::label`] writes the first);
//! - `basic` is a theme in Zoho's help pages, not in `messagecards.yml`'s enum ([`Theme`]);
//!   `CardButton.action.type` lists `invoke.bot` but not `copy`, `buttons.yml` the reverse:
//!   [`Action`] has both;
//! - `confirm` sits beside the buttons in `buttons.yml`'s schema but inside `action` in its
//!   example (and Zoho's docs): it is [`ActionBody::confirm`].
//!
//! **Nothing is lost.** Every enum has an `Other` variant and every object an `extra` map:
//! what Cliq adds reads, and serializes back unchanged (`tests/round_trip.rs` checks every
//! example of the specs).
//!
//! **Limits** ([`limits`]): counts and lengths are checked before sending, by `validate()`
//! (which `cliq-webhook` runs before it answers) or, for literals, at compile time.
//!
//! **Function targets**: an `invoke.function` button or a form names its function with a
//! [`FunctionTarget`] — a `#[cliq_handler]` function handler, or an explicit
//! [`ExternalFunction`]:
//!
//! ```compile_fail
//! // A bare string is not a function target.
//! let b = cliq_message::Button::invoke("Run", "run_job");
//! ```
//!
//! **Forms from structs**: `#[derive(CliqForm)]` (see [`CliqForm`] and the
//! [`submission`] module).

#![deny(missing_docs)]

mod wire;

mod button;
mod card;
mod form;
pub mod limits;
mod mention;
mod message;
mod slide;
pub mod submission;

pub use button::{
    Action, ActionBody, Button, ButtonStyle, Confirm, CopyText, Emotion, ExternalFunction,
    FunctionTarget, InvokeBot, InvokeFunction, OpenUrl, PreviewUrl, SystemApi, SystemApiData,
};
pub use card::{Card, Field, PollOption, Section, Theme};
pub use form::{
    AnyKind, ChoiceKind, DynamicKind, Form, FormAction, FormFunction, Input, InputBody, NativeKind,
    NativeSource, NumberKind, PlainKind, SelectOption, TextFormat, TextKind, ToggleKind,
};
pub use limits::{Limit, LimitCheck, LimitError, LimitErrors};
pub use mention::{Mention, SilentTarget};
pub use message::MessageContent;
pub use slide::{
    ChartSegment, ChartStyle, ChartStyles, GraphCategory, GraphStyle, GraphStyles, Slide,
    SlideBody, TableData,
};
pub use submission::{
    CliqForm, Date, DateTime, FileUpload, FormChoice, FormErrors, FormField, FormTarget, FormValue,
    Location,
};
pub use wire::WireBool;

/// `#[derive(CliqChoice)]`: a unit-variant enum as form options ([`FormChoice`]).
#[cfg(feature = "derive")]
pub use cliq_macros::CliqChoice;
/// `#[derive(CliqForm)]`: a form from a struct ([`CliqForm`]).
#[cfg(feature = "derive")]
pub use cliq_macros::CliqForm;

#[doc(hidden)]
pub mod __private {
    pub use serde_json;
}
