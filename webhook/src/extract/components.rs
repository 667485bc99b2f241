//! The data of the handlers of commands, message actions and functions. Shapes follow Zoho's
//! Catalyst CLI samples (`templates/event/integ/cliq/{command,messageaction,function}/*.json`,
//! see `docs/webhook-protocol.md`); every field is lenient (absent → empty).

use serde_json::{Map, Value};

use super::{Extractor, FromInvocation, Invocation};
use crate::envelope::User;
use crate::error::Rejection;
use crate::rules::{self, HandlerKind, Permission};

/// `params[field]` as sent, if present and not `null`.
fn field<'a, S>(inv: &Invocation<'a, S>, name: &str) -> Option<&'a Value> {
    inv.params.extra.get(name).filter(|v| !v.is_null())
}

/// A JSON object field, or an empty map.
fn object<S>(inv: &Invocation<'_, S>, name: &str) -> Map<String, Value> {
    match field(inv, name) {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

/// A string field of an object value, or `None`.
fn str_of(value: Option<&Value>, key: &str) -> Option<String> {
    match value?.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A slash command's input: what the user typed after the command, its options and the
/// suggestions picked (execution and suggestion handlers).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CommandInput {
    /// The text after the command (`arguments`).
    pub arguments: String,
    /// Options given as `-name value` (`options`).
    pub options: Map<String, Value>,
    /// Suggestions the user picked (`selections`: `{title, description, imageurl}` each).
    pub selections: Vec<Value>,
}

impl CommandInput {
    /// Input with these arguments and nothing else (for calling a handler in a unit test).
    pub fn new(arguments: impl Into<String>) -> CommandInput {
        CommandInput {
            arguments: arguments.into(),
            ..CommandInput::default()
        }
    }
}

impl Extractor for CommandInput {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("CommandInput");
}
impl<S> FromInvocation<S> for CommandInput {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let arguments = match field(inv, "arguments") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let selections = match field(inv, "selections") {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        Ok(CommandInput {
            arguments,
            options: object(inv, "options"),
            selections,
        })
    }
}

/// The message a message action was invoked on (`message`; the `message` permission).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct TargetMessage {
    /// Its text, if it has one.
    pub text: Option<String>,
    /// Its kind (`text`, `file`, …).
    pub kind: Option<String>,
    /// Who sent it.
    pub sender: Option<User>,
    /// When it was sent, as sent (milliseconds since the epoch, as a string in the samples).
    pub time: Option<String>,
    /// The whole message object as sent.
    pub raw: Value,
}

impl TargetMessage {
    /// A text message (for calling a handler in a unit test).
    pub fn new(text: impl Into<String>) -> TargetMessage {
        TargetMessage {
            text: Some(text.into()),
            kind: Some("text".into()),
            ..TargetMessage::default()
        }
    }
}

impl Extractor for TargetMessage {
    const PERMISSION: Option<Permission> = Some(Permission::Message);
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("TargetMessage");
}
impl<S> FromInvocation<S> for TargetMessage {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let raw = match &inv.params.message {
            Some(v @ Value::Object(_)) => v.clone(),
            Some(Value::String(s)) => serde_json::json!({ "text": s, "type": "text" }),
            _ => return Err(Rejection::missing("message")),
        };
        let sender = raw
            .get("sender")
            .and_then(|s| serde_json::from_value(s.clone()).ok());
        Ok(TargetMessage {
            text: str_of(Some(&raw), "text"),
            kind: str_of(Some(&raw), "type"),
            sender,
            time: str_of(Some(&raw), "time"),
            raw,
        })
    }
}

/// A button click (`button_handler`): the button's `arguments` and which button (`target`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ButtonClick {
    /// The arguments the button was built with (`arguments`).
    pub arguments: Map<String, Value>,
    /// The button's name (`target.name`).
    pub name: Option<String>,
    /// The button's hint (`target.hint`).
    pub hint: Option<String>,
}

impl ButtonClick {
    /// A click with these arguments (for calling a handler in a unit test).
    pub fn new(arguments: Map<String, Value>) -> ButtonClick {
        ButtonClick {
            arguments,
            ..ButtonClick::default()
        }
    }
}

impl Extractor for ButtonClick {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("ButtonClick");
}
impl<S> FromInvocation<S> for ButtonClick {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let target = field(inv, "target");
        Ok(ButtonClick {
            arguments: object(inv, "arguments"),
            name: str_of(target, "name"),
            hint: str_of(target, "hint"),
        })
    }
}

/// A form's values (`form.values`, by input name) and its name (`form.name`): submitted,
/// or as they stand when a field changes or a dynamic select asks for options.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FormValues {
    /// The form's name (`form.name`).
    pub form: Option<String>,
    /// The values by input name: a string, or `{label, value}` for selects.
    pub values: Map<String, Value>,
}

impl FormValues {
    /// Values for a unit test.
    pub fn new(values: Map<String, Value>) -> FormValues {
        FormValues { form: None, values }
    }

    /// An input's value as text: a string value, or a select's `value`.
    pub fn text(&self, input: &str) -> Option<&str> {
        match self.values.get(input)? {
            Value::String(s) => Some(s),
            Value::Object(o) => o.get("value").and_then(Value::as_str),
            _ => None,
        }
    }
}

impl Extractor for FormValues {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("FormValues");
}
impl<S> FromInvocation<S> for FormValues {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let form = field(inv, "form");
        let values = match form.and_then(|f| f.get("values")) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        Ok(FormValues {
            form: str_of(form, "name"),
            values,
        })
    }
}

/// A submitted form read into `T`, a `#[derive(CliqForm)]` struct (`cliq_message::CliqForm`):
/// the handler runs with the typed values. A bad or missing value is answered on the form,
/// field by field (Cliq's `form_error` reply, `{"type": "form_error", "text", "inputs":
/// {name: message}}`), and the handler does not run: never a failed request.
///
/// ```
/// use cliq_webhook::{cliq_handler, extract::Submission, message::CliqForm, Reply};
///
/// #[derive(CliqForm, Debug)]
/// #[cliq(title = "Deploy", name = "deploy")]
/// struct Deploy {
///     #[cliq(label = "Replicas", min = 1, max = 10)]
///     replicas: u32,
/// }
///
/// #[cliq_handler(component = function, type = "form_submit_handler", name = "deploy")]
/// async fn deploy(Submission(d): Submission<Deploy>) -> Reply {
///     Reply::text(format!("Deploying {} replicas", d.replicas))
/// }
/// # fn main() {}
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Submission<T>(pub T);

impl<T> Extractor for Submission<T> {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("Submission");
}
impl<S, T: cliq_message::CliqForm> FromInvocation<S> for Submission<T> {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let empty = Value::Object(Map::new());
        let values = field(inv, "form")
            .and_then(|f| f.get("values"))
            .unwrap_or(&empty);
        T::from_submission(values)
            .map(Submission)
            .map_err(|errors| match serde_json::to_value(&errors) {
                Ok(reply) => Rejection::InvalidSubmission(reply.to_string()),
                Err(e) => Rejection::InvalidField {
                    field: "form.values",
                    detail: format!("the form errors did not serialize: {e}"),
                },
            })
    }
}

/// The field whose change fired a `form_change_handler` (`target.name`, `target.value`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FieldChange {
    /// The input's name.
    pub name: String,
    /// Its new value: a string, or `{label, value}` for selects.
    pub value: Value,
}

impl Extractor for FieldChange {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("FieldChange");
}
impl<S> FromInvocation<S> for FieldChange {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let target = field(inv, "target");
        Ok(FieldChange {
            name: str_of(target, "name").unwrap_or_default(),
            value: target
                .and_then(|t| t.get("value"))
                .cloned()
                .unwrap_or(Value::Null),
        })
    }
}

/// What a dynamic select asks options for (`target.name`) and the text typed so far
/// (`target.query`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectQuery {
    /// The select's input name.
    pub name: String,
    /// The text typed so far (may be empty).
    pub query: String,
}

impl Extractor for SelectQuery {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("SelectQuery");
}
impl<S> FromInvocation<S> for SelectQuery {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let target = field(inv, "target");
        Ok(SelectQuery {
            name: str_of(target, "name").unwrap_or_default(),
            query: str_of(target, "query").unwrap_or_default(),
        })
    }
}

/// A widget button's click (`target`: `label`, `id`, `section_id`, `tab_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WidgetClick {
    /// The button's label.
    pub label: Option<String>,
    /// The button's id.
    pub id: Option<String>,
    /// The section holding it.
    pub section_id: Option<String>,
    /// The widget tab holding it.
    pub tab_id: Option<String>,
}

impl Extractor for WidgetClick {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("WidgetClick");
}
impl<S> FromInvocation<S> for WidgetClick {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let target = field(inv, "target");
        let non_empty = |k| str_of(target, k).filter(|s| !s.is_empty());
        Ok(WidgetClick {
            label: non_empty("label"),
            id: non_empty("id"),
            section_id: non_empty("section_id"),
            tab_id: non_empty("tab_id"),
        })
    }
}
