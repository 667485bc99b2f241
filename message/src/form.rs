//! Forms: a title, a name, inputs of about fifteen kinds, and the function their submission
//! invokes. No shared spec describes forms: every shape here is from Zoho's "Forms in Cliq"
//! help pages (and the SDKs' `Form`), as `docs/webhook-protocol.md` records.
//!
//! One constructor per input kind:
//!
//! ```
//! use cliq_message::{ExternalFunction, Form, Input, NativeSource, SelectOption};
//! let opts = || vec![SelectOption::new("Laptop", "laptop"), SelectOption::new("Phone", "phone")];
//! let form = Form::new("Asset request", "asset", ExternalFunction("asset_submit"))
//!     .hint("Ask for a device")
//!     .button_label("Request")
//!     .input(Input::text("who", "Name").placeholder("Your name"))
//!     .input(Input::textarea("why", "Reason"))
//!     .input(Input::number("count", "How many").min(1).max(5))
//!     .input(Input::email("mail", "Email"))
//!     .input(Input::url("link", "Link"))
//!     .input(Input::password("secret", "Passphrase"))
//!     .input(Input::select("kind", "Device", opts()))
//!     .input(Input::dynamic_select("project", "Project"))
//!     .input(Input::native_select("team", "Team", NativeSource::Teams))
//!     .input(Input::checkbox("extras", "Extras", opts()))
//!     .input(Input::radio("size", "Size", opts()))
//!     .input(Input::toggle("urgent", "Urgent"))
//!     .input(Input::date("from", "From"))
//!     .input(Input::datetime("meet", "Meeting"))
//!     .input(Input::location("where", "Where"))
//!     .input(Input::file("photo", "Photo"))
//!     .input(Input::hidden("source", "bot"));
//! form.validate().unwrap();
//! assert_eq!(serde_json::to_value(&form).unwrap()["type"], "form");
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::button::FunctionTarget;
use crate::limits::{self, LimitErrors};
use crate::wire::{string_enum, FormTag};

/// A form (`{"type": "form", …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Form {
    #[serde(rename = "type")]
    tag: FormTag,
    /// Title.
    pub title: String,
    /// The form's name (comes back with the submission; ≤ 50 characters).
    pub name: String,
    /// What the form is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Submit button's label (Cliq's default: "Submit").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_label: Option<String>,
    /// Inputs (≤ 25).
    pub inputs: Vec<Input>,
    /// The function a submission invokes.
    pub action: FormAction,
    /// Any other field (`trigger_on_cancel`, `version`), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Form {
    /// A form whose submission invokes `submit`.
    pub fn new(
        title: impl Into<String>,
        name: impl Into<String>,
        submit: impl FunctionTarget,
    ) -> Form {
        Form {
            tag: FormTag,
            title: title.into(),
            name: name.into(),
            hint: None,
            button_label: None,
            inputs: Vec::new(),
            action: FormAction::invoke(submit),
            extra: Map::new(),
        }
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Form {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the submit button's label.
    pub fn button_label(mut self, label: impl Into<String>) -> Form {
        self.button_label = Some(label.into());
        self
    }

    /// Adds an input ([`Form::validate`] checks the count).
    pub fn input(mut self, input: Input) -> Form {
        self.inputs.push(input);
        self
    }

    /// A text input (kept for the earlier `cliq_webhook::Form` API).
    pub fn text_input(self, name: impl Into<String>, label: impl Into<String>) -> Form {
        self.input(Input::text(name, label))
    }

    /// Every limit this form breaks.
    pub fn validate(&self) -> Result<(), LimitErrors> {
        let mut e = LimitErrors::default();
        e.str(limits::FORM_NAME, "/name", &self.name);
        e.count(limits::FORM_INPUTS, "/inputs", self.inputs.len());
        for (i, input) in self.inputs.iter().enumerate() {
            e.nest(&format!("/inputs/{i}"), input.limit_errors());
        }
        e.into_result()
    }
}

/// What a form submission invokes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum FormAction {
    /// `{"type": "invoke.function", "name": …}`.
    #[serde(rename = "invoke.function")]
    InvokeFunction(FormFunction),
    /// Anything else (the older `actions.submit` shape included), as sent.
    #[serde(untagged)]
    Other(Value),
}

impl FormAction {
    /// Invokes `target`.
    pub fn invoke(target: impl FunctionTarget) -> FormAction {
        FormAction::InvokeFunction(FormFunction {
            name: target.function_name().to_string(),
            extra: Map::new(),
        })
    }
}

/// The function a form invokes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormFunction {
    /// Its name.
    pub name: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A form input, by `type`. A type this crate does not know, or a known type whose fields
/// do not have the documented shape, is [`Input::Other`], kept as sent.
///
/// Email, URL, telephone and password inputs are Cliq `text` inputs with a `format`
/// ([`TextFormat`]); [`Input::email`], [`Input::url`] and [`Input::password`] write them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Input {
    /// `text`: one line (with a `format`: email, URL, telephone, password).
    #[serde(rename = "text")]
    Text(InputBody<TextKind>),
    /// `textarea`: several lines.
    #[serde(rename = "textarea")]
    Textarea(InputBody<TextKind>),
    /// `number`.
    #[serde(rename = "number")]
    Number(InputBody<NumberKind>),
    /// `select`: a drop-down of the options given (`multiple` for several).
    #[serde(rename = "select")]
    Select(InputBody<ChoiceKind>),
    /// `dynamic_select`: a drop-down whose options a function supplies as the user types.
    #[serde(rename = "dynamic_select")]
    DynamicSelect(InputBody<DynamicKind>),
    /// `native_select`: a drop-down of Cliq's own channels, chats, contacts or teams.
    #[serde(rename = "native_select")]
    NativeSelect(InputBody<NativeKind>),
    /// `checkbox`: several of ≤ 5 options.
    #[serde(rename = "checkbox")]
    Checkbox(InputBody<ChoiceKind>),
    /// `radio`: one of the options.
    #[serde(rename = "radio")]
    Radio(InputBody<ChoiceKind>),
    /// `toggle`: on or off.
    #[serde(rename = "toggle")]
    Toggle(InputBody<ToggleKind>),
    /// `date`.
    #[serde(rename = "date")]
    Date(InputBody<PlainKind>),
    /// `datetime`.
    #[serde(rename = "datetime")]
    DateTime(InputBody<PlainKind>),
    /// `location`.
    #[serde(rename = "location")]
    Location(InputBody<AnyKind>),
    /// `file`.
    #[serde(rename = "file")]
    File(InputBody<AnyKind>),
    /// `hidden`: a value sent back with the submission, not shown.
    #[serde(rename = "hidden")]
    Hidden(InputBody<PlainKind>),
    /// Anything else, as sent.
    #[serde(untagged)]
    Other(Value),
}

/// What every input has, then its kind's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputBody<K> {
    /// Name of the value in the submission (≤ 50 characters).
    pub name: String,
    /// Label (≤ 50 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Brief description (≤ 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Sample value shown in the empty input (≤ 100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether a value is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<bool>,
    /// The kind's own fields.
    #[serde(flatten)]
    pub kind: K,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// The `format` of a `text` input.
    pub enum TextFormat {
        /// `email`
        Email = "email",
        /// `url`
        Url = "url",
        /// `tel`
        Tel = "tel",
        /// `password`
        Password = "password",
    }
}

string_enum! {
    /// What a `native_select` lists.
    pub enum NativeSource {
        /// `channels`
        Channels = "channels",
        /// `conversations`
        Conversations = "conversations",
        /// `contacts`
        Contacts = "contacts",
        /// `teams`
        Teams = "teams",
    }
}

/// Fields of `text` and `textarea` inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TextKind {
    /// Format (`text` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    /// Fewest characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Most characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Fields of a `number` input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NumberKind {
    /// Smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    /// Largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
    /// Default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Number>,
}

/// Fields of `select`, `checkbox` and `radio` inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ChoiceKind {
    /// The options.
    #[serde(default)]
    pub options: Vec<SelectOption>,
    /// Several may be chosen (`select`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
    /// Most options chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_selections: Option<u32>,
    /// Default: an option's value (comma-separated values for a checkbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// An option of a choice input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelectOption {
    /// What the user sees (≤ 100 characters).
    pub label: String,
    /// What the submission carries.
    pub value: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SelectOption {
    /// An option.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> SelectOption {
        SelectOption {
            label: label.into(),
            value: value.into(),
            extra: Map::new(),
        }
    }
}

/// Fields of a `dynamic_select` input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DynamicKind {
    /// Several may be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
    /// Default value, as Cliq documents it for the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// Fields of a `native_select` input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NativeKind {
    /// What it lists.
    pub data_source: NativeSource,
    /// Several may be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
    /// Default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// Fields of a `toggle` input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ToggleKind {
    /// Default state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<bool>,
}

/// Fields of `date`, `datetime` and `hidden` inputs: a text value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlainKind {
    /// Default (or, hidden, the) value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Fields of `location` and `file` inputs: a value of the shape Cliq documents for the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AnyKind {
    /// Default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

fn body<K>(name: impl Into<String>, label: impl Into<String>, kind: K) -> InputBody<K> {
    InputBody {
        name: name.into(),
        label: Some(label.into()),
        hint: None,
        placeholder: None,
        mandatory: None,
        kind,
        extra: Map::new(),
    }
}

fn text_format(format: TextFormat) -> TextKind {
    TextKind {
        format: Some(format),
        ..TextKind::default()
    }
}

fn choices(options: Vec<SelectOption>) -> ChoiceKind {
    ChoiceKind {
        options,
        ..ChoiceKind::default()
    }
}

/// Runs `$body` on the common fields of every typed input.
macro_rules! each_body {
    ($input:expr, $b:ident => $body:expr, $other:expr) => {
        match $input {
            Input::Text($b) | Input::Textarea($b) => $body,
            Input::Number($b) => $body,
            Input::Select($b) | Input::Checkbox($b) | Input::Radio($b) => $body,
            Input::DynamicSelect($b) => $body,
            Input::NativeSelect($b) => $body,
            Input::Toggle($b) => $body,
            Input::Date($b) | Input::DateTime($b) | Input::Hidden($b) => $body,
            Input::Location($b) | Input::File($b) => $body,
            Input::Other(_) => $other,
        }
    };
}

impl Input {
    /// `text`.
    pub fn text(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Text(body(name, label, TextKind::default()))
    }
    /// `textarea`.
    pub fn textarea(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Textarea(body(name, label, TextKind::default()))
    }
    /// `number`.
    pub fn number(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Number(body(name, label, NumberKind::default()))
    }
    /// `text` with `format: email`.
    pub fn email(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Text(body(name, label, text_format(TextFormat::Email)))
    }
    /// `text` with `format: url`.
    pub fn url(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Text(body(name, label, text_format(TextFormat::Url)))
    }
    /// `text` with `format: password`.
    pub fn password(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Text(body(name, label, text_format(TextFormat::Password)))
    }
    /// `select` of `options`.
    pub fn select(
        name: impl Into<String>,
        label: impl Into<String>,
        options: Vec<SelectOption>,
    ) -> Input {
        Input::Select(body(name, label, choices(options)))
    }
    /// `select` of `options`, several allowed.
    pub fn multi_select(
        name: impl Into<String>,
        label: impl Into<String>,
        options: Vec<SelectOption>,
    ) -> Input {
        let mut kind = choices(options);
        kind.multiple = Some(true);
        Input::Select(body(name, label, kind))
    }
    /// `dynamic_select`.
    pub fn dynamic_select(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::DynamicSelect(body(name, label, DynamicKind::default()))
    }
    /// `native_select` of `source`.
    pub fn native_select(
        name: impl Into<String>,
        label: impl Into<String>,
        source: NativeSource,
    ) -> Input {
        Input::NativeSelect(body(
            name,
            label,
            NativeKind {
                data_source: source,
                multiple: None,
                value: None,
            },
        ))
    }
    /// `checkbox` of `options` (≤ 5).
    pub fn checkbox(
        name: impl Into<String>,
        label: impl Into<String>,
        options: Vec<SelectOption>,
    ) -> Input {
        Input::Checkbox(body(name, label, choices(options)))
    }
    /// `radio` of `options`.
    pub fn radio(
        name: impl Into<String>,
        label: impl Into<String>,
        options: Vec<SelectOption>,
    ) -> Input {
        Input::Radio(body(name, label, choices(options)))
    }
    /// `toggle`.
    pub fn toggle(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Toggle(body(name, label, ToggleKind::default()))
    }
    /// `date`.
    pub fn date(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Date(body(name, label, PlainKind::default()))
    }
    /// `datetime`.
    pub fn datetime(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::DateTime(body(name, label, PlainKind::default()))
    }
    /// `location`.
    pub fn location(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::Location(body(name, label, AnyKind::default()))
    }
    /// `file`.
    pub fn file(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input::File(body(name, label, AnyKind::default()))
    }
    /// `hidden`: `value` comes back with the submission.
    pub fn hidden(name: impl Into<String>, value: impl Into<String>) -> Input {
        Input::Hidden(InputBody {
            name: name.into(),
            label: None,
            hint: None,
            placeholder: None,
            mandatory: None,
            kind: PlainKind {
                value: Some(value.into()),
            },
            extra: Map::new(),
        })
    }

    /// Sets the placeholder (an [`Input::Other`] is left as it is).
    pub fn placeholder(mut self, text: impl Into<String>) -> Input {
        let text = text.into();
        each_body!(&mut self, b => b.placeholder = Some(text), ());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, text: impl Into<String>) -> Input {
        let text = text.into();
        each_body!(&mut self, b => b.hint = Some(text), ());
        self
    }

    /// Sets whether a value is required.
    pub fn mandatory(mut self, mandatory: bool) -> Input {
        each_body!(&mut self, b => b.mandatory = Some(mandatory), ());
        self
    }

    /// Sets the smallest value (`number`; other kinds are left as they are).
    pub fn min(mut self, min: impl Into<Number>) -> Input {
        if let Input::Number(b) = &mut self {
            b.kind.min = Some(min.into());
        }
        self
    }

    /// Sets the largest value (`number`).
    pub fn max(mut self, max: impl Into<Number>) -> Input {
        if let Input::Number(b) = &mut self {
            b.kind.max = Some(max.into());
        }
        self
    }

    /// The input's name; `None` for an [`Input::Other`] without one.
    pub fn name(&self) -> Option<&str> {
        each_body!(self, b => Some(b.name.as_str()), match self {
            Input::Other(v) => v.get("name").and_then(Value::as_str),
            _ => None,
        })
    }

    fn limit_errors(&self) -> LimitErrors {
        let mut e = LimitErrors::default();
        each_body!(self, b => {
            e.str(limits::INPUT_NAME, "/name", &b.name);
            e.opt(limits::INPUT_LABEL, "/label", &b.label);
            e.opt(limits::INPUT_HINT, "/hint", &b.hint);
            e.opt(limits::INPUT_PLACEHOLDER, "/placeholder", &b.placeholder);
        }, ());
        if let Input::Select(b) | Input::Checkbox(b) | Input::Radio(b) = self {
            if matches!(self, Input::Checkbox(_)) {
                e.count(limits::CHECKBOX_OPTIONS, "/options", b.kind.options.len());
            }
            for (i, o) in b.kind.options.iter().enumerate() {
                e.str(
                    limits::OPTION_LABEL,
                    &format!("/options/{i}/label"),
                    &o.label,
                );
            }
        }
        e
    }
}
