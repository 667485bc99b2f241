//! The replies only the handlers of commands and functions give: a slash command's
//! suggestions, a form's modification, a dynamic select's options, a submission's field
//! errors. Shapes follow Zoho's Catalyst SDK templates (`command-handler.js`,
//! `function-handler.js`; see `docs/webhook-protocol.md`, "Reply modes").

use serde::Serialize;
use serde_json::Value;

use super::{encode, IntoReply, Output, Reply, ReplyMode};

/// One suggestion of a command's `suggestion_handler`: `{title, description?, imageurl?}`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Suggestion {
    /// What the user picks (comes back in `selections`).
    pub title: String,
    /// A line under it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An image beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imageurl: Option<String>,
}

impl Suggestion {
    /// A suggestion with a title only.
    pub fn new(title: impl Into<String>) -> Suggestion {
        Suggestion {
            title: title.into(),
            ..Suggestion::default()
        }
    }

    /// Adds a description.
    pub fn description(mut self, text: impl Into<String>) -> Suggestion {
        self.description = Some(text.into());
        self
    }
}

/// A command's suggestions (the `suggestion_handler`'s reply mode): the list, as the output.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(transparent)]
pub struct Suggestions(pub Vec<Suggestion>);

impl<T: Into<String>> FromIterator<T> for Suggestions {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Suggestions(iter.into_iter().map(Suggestion::new).collect())
    }
}

impl IntoReply for Suggestions {
    const MODE: ReplyMode = ReplyMode::Suggestions;

    fn into_reply(self) -> Output {
        encode(&self)
    }
}

/// Changes to an open form (a `form_change_handler`'s reply mode):
/// `{"type": "form_modification", "actions": [{type, name, input?}]}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct FormModification {
    #[serde(rename = "type")]
    kind: &'static str,
    /// The changes, applied in order.
    pub actions: Vec<Value>,
}

impl Default for FormModification {
    fn default() -> Self {
        FormModification {
            kind: "form_modification",
            actions: Vec::new(),
        }
    }
}

impl FormModification {
    /// No change yet.
    pub fn new() -> FormModification {
        FormModification::default()
    }

    /// Removes the input `name`.
    pub fn remove(mut self, name: impl Into<String>) -> FormModification {
        self.actions
            .push(serde_json::json!({"type": "remove", "name": name.into()}));
        self
    }

    /// Adds `input` (`{type, name, label, …}`) after the input `name`.
    pub fn add_after(mut self, name: impl Into<String>, input: Value) -> FormModification {
        self.actions
            .push(serde_json::json!({"type": "add_after", "name": name.into(), "input": input}));
        self
    }

    /// Replaces the input `name` with `input`.
    pub fn update(mut self, name: impl Into<String>, input: Value) -> FormModification {
        self.actions
            .push(serde_json::json!({"type": "update", "name": name.into(), "input": input}));
        self
    }
}

impl IntoReply for FormModification {
    const MODE: ReplyMode = ReplyMode::FormModification;

    fn into_reply(self) -> Output {
        encode(&self)
    }
}

/// A dynamic select's options (a `form_dynamic_select_handler`'s reply mode):
/// `{"options": [{label, value}]}`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct SelectOptions {
    /// The options, each `{label, value}`.
    pub options: Vec<Value>,
}

impl SelectOptions {
    /// No option yet.
    pub fn new() -> SelectOptions {
        SelectOptions::default()
    }

    /// Adds an option.
    pub fn option(mut self, label: impl Into<String>, value: impl Into<String>) -> SelectOptions {
        self.options
            .push(serde_json::json!({"label": label.into(), "value": value.into()}));
        self
    }
}

impl IntoReply for SelectOptions {
    const MODE: ReplyMode = ReplyMode::SelectOptions;

    fn into_reply(self) -> Output {
        encode(&self)
    }
}

/// A submitted form refused, a message per input (a `form_submit_handler`'s reply mode):
/// `{"type": "form_error", "text", "inputs": {name: message}}`. Return it alone, or as the
/// error of `Result<Reply, FormErrors>` (where `?` takes a [`cliq_message::FormErrors`], e.g.
/// from `CliqForm::from_submission`).
///
/// The data is [`cliq_message::FormErrors`]; this wrapper exists so that
/// `Result<Reply, FormErrors>` can answer with the form's errors while any other
/// `Result<T, E: Display>` answers a failure (Rust's coherence rules forbid that impl for a type
/// of another crate).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(transparent)]
pub struct FormErrors(pub cliq_message::FormErrors);

impl FormErrors {
    /// No error yet.
    pub fn new() -> FormErrors {
        FormErrors::default()
    }

    /// With the input `name` refused, saying `message`.
    pub fn field(self, name: impl Into<String>, message: impl Into<String>) -> FormErrors {
        FormErrors(self.0.field(name, message))
    }

    /// With `text` as the message above the form.
    pub fn text(self, text: impl Into<String>) -> FormErrors {
        FormErrors(self.0.text(text))
    }

    /// Whether no input was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<cliq_message::FormErrors> for FormErrors {
    fn from(errors: cliq_message::FormErrors) -> FormErrors {
        FormErrors(errors)
    }
}

impl IntoReply for FormErrors {
    const MODE: ReplyMode = ReplyMode::FormErrors;

    fn into_reply(self) -> Output {
        self.0.into_reply()
    }
}

/// A submission's answer: the reply when the form is accepted, its errors when not.
impl IntoReply for Result<Reply, FormErrors> {
    const MODE: ReplyMode = ReplyMode::FormErrors;

    fn into_reply(self) -> Output {
        match self {
            Ok(reply) => reply.into_reply(),
            Err(errors) => errors.into_reply(),
        }
    }
}
