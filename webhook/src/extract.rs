//! Extractors: the types a `#[cliq_handler]` function may take as parameters.
//!
//! Each extractor says, in associated consts of [`Extractor`], which permission it needs and
//! which handler type's data it is; `#[cliq_handler]` checks both at compile time against
//! the declared `type` and `permissions(...)`, with the error on the parameter.
//! `Option<T>` takes any extractor `T` leniently: `None` when the data is absent.
//!
//! | extractor | permission | handler type |
//! |---|---|---|
//! | [`User`] | `user` | any |
//! | [`Chat`] | `chat` | any |
//! | [`Location`] | `location` | any |
//! | [`Message`] | `message` | any |
//! | [`Attachments`] | `attachments` | any |
//! | [`Access`], [`Environment`], [`Headers`], [`BotState`], [`Envelope`] | none | any |
//! | [`NewUser`] | none | `welcome_handler` |
//! | [`MenuAction`] | none | `menu_handler` |
//! | [`ContextAnswers`] | none | `context_handler` |
//! | [`Participation`] | none | `participation_handler` |
//! | [`CallEvent`] | none | `call_handler` |
//! | [`IncomingWebhook`] | none | `incoming_webhook_handler` |
//! | [`CommandInput`] | none | a command's `execution_handler`, `suggestion_handler` |
//! | [`TargetMessage`] | `message` | a message action's `execution_handler` |
//! | [`ButtonClick`] | none | a function's `button_handler` |
//! | [`FormValues`] | none | a function's `form_submit_handler`, `form_change_handler`, `form_dynamic_select_handler` |
//! | [`FieldChange`] | none | a function's `form_change_handler` |
//! | [`SelectQuery`] | none | a function's `form_dynamic_select_handler` |
//! | [`WidgetClick`] | none | a function's `widget_button_handler` |
//! | `CliqClient` (feature `client`) | none | any |

use std::collections::BTreeMap;

use axum::extract::FromRef;
use http::HeaderMap;
use serde_json::{Map, Value};

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use crate::cliq_client::CliqClient;
pub use crate::envelope::{
    Access, Attachment, Chat, Envelope, Environment, Location, Mention, User,
};
use crate::envelope::{Lenient, Params};
use crate::error::Rejection;
use crate::rules::{self, HandlerKind, HandlerRule, Permission};

mod components;
pub use components::{
    ButtonClick, CommandInput, FieldChange, FormValues, SelectQuery, Submission, TargetMessage,
    WidgetClick,
};

/// Everything a handler can draw from: the parsed envelope, the request headers, the bot's
/// state and which handler rule matched. What an extractor of your own
/// ([`FromInvocation`]) reads.
pub struct Invocation<'a, S> {
    pub(crate) envelope: &'a Envelope,
    pub(crate) params: &'a Params,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) state: &'a S,
    pub(crate) rule: &'static HandlerRule,
    /// The bot's clients for [`CliqClient`], when it has credentials.
    #[cfg(feature = "client")]
    pub(crate) cliq: Option<&'a crate::connector::Connector>,
}

impl<'a, S> Invocation<'a, S> {
    /// The parsed request.
    pub fn envelope(&self) -> &'a Envelope {
        self.envelope
    }

    /// The request headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The bot's state ([`Bot::with_state`](crate::Bot::with_state)).
    pub fn state(&self) -> &'a S {
        self.state
    }

    /// The handler type the request was dispatched to (`"menu_handler"`).
    pub fn handler_type(&self) -> &'static str {
        self.rule.handler_type
    }

    /// The component and handler type the request was dispatched to.
    pub fn kind(&self) -> HandlerKind {
        self.rule.kind
    }
}

impl<S> std::fmt::Debug for Invocation<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invocation")
            .field("envelope", self.envelope)
            .field("handler_type", &self.rule.handler_type)
            .finish_non_exhaustive()
    }
}

/// What an extractor needs; read by `#[cliq_handler]`'s compile-time checks.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Cliq handler argument",
    label = "not an extractor",
    note = "handler parameters are extractors: `User`, `Chat`, `Location`, `Message`, `Attachments`, `Access`, `Environment`, `Headers`, `BotState<T>`, handler data such as `MenuAction`, or `Option` of one"
)]
pub trait Extractor {
    /// The permission the handler must declare for this data, if any.
    const PERMISSION: Option<Permission> = None;
    /// The handler kinds whose data this is; empty: any kind's.
    const HANDLERS: &'static [HandlerKind] = &[];
}

/// Builds the extractor from an invocation.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be extracted with this bot's state `{S}`",
    note = "`BotState<T>` needs `T: FromRef<S>` for the bot's state `S` (`Bot::with_state`)"
)]
pub trait FromInvocation<S>: Sized {
    /// Extracts, or refuses the request (the handler then does not run).
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection>;
}

impl<T: Extractor> Extractor for Option<T> {
    const PERMISSION: Option<Permission> = T::PERMISSION;
    const HANDLERS: &'static [HandlerKind] = T::HANDLERS;
}

impl<S, T: FromInvocation<S> + Extractor> FromInvocation<S> for Option<T> {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        match T::from_invocation(inv) {
            Ok(t) => Ok(Some(t)),
            Err(Rejection::MissingContext { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

macro_rules! context_object {
    ($ty:ty, $perm:ident, $field:ident) => {
        impl Extractor for $ty {
            const PERMISSION: Option<Permission> = Some(Permission::$perm);
        }
        impl<S> FromInvocation<S> for $ty {
            fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
                inv.params
                    .$field
                    .clone()
                    .ok_or_else(|| Rejection::missing(stringify!($field)))
            }
        }
    };
}

context_object!(User, User, user);
context_object!(Chat, Chat, chat);
context_object!(Location, Location, location);

impl Extractor for Access {}
impl<S> FromInvocation<S> for Access {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        inv.params
            .access
            .clone()
            .ok_or_else(|| Rejection::missing("access"))
    }
}

impl Extractor for Environment {}
impl<S> FromInvocation<S> for Environment {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        inv.params
            .environment
            .clone()
            .ok_or_else(|| Rejection::missing("environment"))
    }
}

impl Extractor for Envelope {}
impl<S> FromInvocation<S> for Envelope {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(inv.envelope.clone())
    }
}

/// The files sent with the message (`attachments` permission). Absent means none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachments(pub Vec<Attachment>);

impl Extractor for Attachments {
    const PERMISSION: Option<Permission> = Some(Permission::Attachments);
}
impl<S> FromInvocation<S> for Attachments {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(Attachments(
            inv.params.attachments.clone().unwrap_or_default(),
        ))
    }
}

/// The message that triggered the handler (`message` permission).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// Message text (mentions expanded).
    pub text: String,
    /// Message text as typed.
    pub raw: Option<String>,
    /// Mentions in the message.
    pub mentions: Vec<Mention>,
    /// Links in the message.
    pub links: Vec<Value>,
    /// `message_details` as sent (time, inner message; shape varies by message kind).
    pub details: Option<Value>,
    /// The `message` value when it is an object (mention handler sample).
    pub object: Option<Value>,
}

impl Message {
    /// A message with this text and nothing else (for calling a handler in a unit test).
    pub fn new(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            ..Message::default()
        }
    }
}

impl Extractor for Message {
    const PERMISSION: Option<Permission> = Some(Permission::Message);
}
impl<S> FromInvocation<S> for Message {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let p = inv.params;
        let (text, object) = match &p.message {
            None | Some(Value::Null) => return Err(Rejection::missing("message")),
            Some(Value::String(s)) => (s.clone(), None),
            Some(obj @ Value::Object(map)) => (
                map.get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                Some(obj.clone()),
            ),
            Some(other) => {
                return Err(Rejection::InvalidField {
                    field: "message",
                    detail: format!("expected a string or an object, got {other}"),
                })
            }
        };
        Ok(Message {
            text,
            raw: p.raw_message.clone(),
            mentions: p.mentions.clone().unwrap_or_default(),
            links: p.links.clone().unwrap_or_default(),
            details: p.message_details.clone(),
            object,
        })
    }
}

/// The HTTP request headers Cliq sent (e.g. for custom verification or tracing).
#[derive(Debug, Clone, Default)]
pub struct Headers(pub HeaderMap);

impl Extractor for Headers {}
impl<S> FromInvocation<S> for Headers {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(Headers(inv.headers.clone()))
    }
}

/// The bot's state ([`Bot::with_state`](crate::Bot::with_state)), or any part of it: any
/// `T: FromRef<S>` of the state `S`, as with axum's `State` (named apart from it, so both can
/// be imported side by side).
#[derive(Debug, Clone, Copy, Default)]
pub struct BotState<T>(pub T);

impl<T> Extractor for BotState<T> {}
impl<S, T: FromRef<S>> FromInvocation<S> for BotState<T> {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(BotState(T::from_ref(inv.state)))
    }
}

/// Welcome handler: `true` when the user subscribed for the first time (absent: `false`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewUser(pub bool);

impl Extractor for NewUser {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("NewUser");
}
impl<S> FromInvocation<S> for NewUser {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(NewUser(inv.params.newuser.unwrap_or(false)))
    }
}

/// Menu handler: which action and sub-action the user picked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MenuAction {
    /// The menu action's name as sent (`handler.name`, or the older `handler_name`).
    pub name: Option<String>,
    /// The sub-action chosen, if any (`""` on the wire is `None`).
    pub sub_action: Option<String>,
}

impl Extractor for MenuAction {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("MenuAction");
}
impl<S> FromInvocation<S> for MenuAction {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(MenuAction {
            name: inv.envelope.action_name().map(str::to_owned),
            sub_action: inv.envelope.sub_action().map(str::to_owned),
        })
    }
}

/// Context handler: the answers to a context started with [`crate::Reply::context`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContextAnswers {
    /// The context's `id`.
    pub context_id: String,
    /// Answer text by question name.
    pub answers: BTreeMap<String, String>,
}

impl Extractor for ContextAnswers {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("ContextAnswers");
}
impl<S> FromInvocation<S> for ContextAnswers {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let context_id = inv
            .params
            .context_id
            .clone()
            .ok_or(Rejection::MissingContext {
                field: "context_id",
                hint: "",
            })?;
        let mut answers = BTreeMap::new();
        for (name, value) in inv.params.answers.iter().flatten() {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Object(o) => match o.get("text") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                },
                other => other.to_string(),
            };
            answers.insert(name.clone(), text);
        }
        Ok(ContextAnswers {
            context_id,
            answers,
        })
    }
}

/// Participation handler: what happened to the bot in a channel (`added`, `removed`,
/// `message_sent`, …) and its details.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Participation {
    /// The operation.
    pub operation: String,
    /// Details, as sent.
    pub data: Option<Value>,
}

impl Extractor for Participation {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("Participation");
}
impl<S> FromInvocation<S> for Participation {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        Ok(Participation {
            operation: operation(inv)?,
            data: inv.params.data.clone(),
        })
    }
}

/// Call handler: a bot call's state (`ringing`, `answered`, `ended`, …).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallEvent {
    /// The call state.
    pub operation: String,
    /// `data.call_id`.
    pub call_id: Option<String>,
    /// `data.time`, milliseconds.
    pub time: Option<i64>,
    /// `data` as sent.
    pub data: Option<Value>,
}

impl Extractor for CallEvent {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("CallEvent");
}
impl<S> FromInvocation<S> for CallEvent {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let data = inv.params.data.clone();
        let field = |k: &str| data.as_ref().and_then(|d| d.get(k)).cloned();
        // Read like every other ID and time of the envelope; a value of the wrong kind is
        // `None`, as absent.
        let call_id = field("call_id").and_then(|v| String::from_json(v).ok().flatten());
        let time = field("time").and_then(|v| i64::from_json(v).ok().flatten());
        Ok(CallEvent {
            operation: operation(inv)?,
            call_id,
            time,
            data,
        })
    }
}

fn operation<S>(inv: &Invocation<'_, S>) -> Result<String, Rejection> {
    inv.params
        .operation
        .clone()
        .ok_or(Rejection::MissingContext {
            field: "operation",
            hint: "",
        })
}

/// Incoming webhook handler: the external request Cliq relayed.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct IncomingWebhook {
    /// External request headers.
    pub headers: Map<String, Value>,
    /// External request parameters.
    pub params: Map<String, Value>,
    /// External request body (JSON-encoded objects are re-encoded as text).
    pub body: Option<String>,
    /// `GET`, `POST`, `HEAD`.
    pub http_method: Option<String>,
}

impl IncomingWebhook {
    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        self.body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
    }
}

impl Extractor for IncomingWebhook {
    const HANDLERS: &'static [HandlerKind] = rules::extractor_kinds("IncomingWebhook");
}
impl<S> FromInvocation<S> for IncomingWebhook {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let p = inv.params;
        let body = match &p.body {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        Ok(IncomingWebhook {
            headers: p.headers.clone().unwrap_or_default(),
            params: p.params.clone().unwrap_or_default(),
            body,
            http_method: p.http_method.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractor_consts_name_table_entries() {
        assert_eq!(<User as Extractor>::PERMISSION, Some(Permission::User));
        assert_eq!(
            <Option<Location> as Extractor>::PERMISSION,
            Some(Permission::Location)
        );
        assert_eq!(<MenuAction as Extractor>::HANDLERS, &[HandlerKind::BotMenu]);
        assert_eq!(<CallEvent as Extractor>::HANDLERS, &[HandlerKind::BotCall]);
        assert_eq!(
            <FormValues as Extractor>::HANDLERS,
            &[
                HandlerKind::FunctionFormSubmit,
                HandlerKind::FunctionFormChange,
                HandlerKind::FunctionFormDynamicSelect
            ]
        );
        assert_eq!(<Headers as Extractor>::PERMISSION, None);
    }
}
