//! The request Cliq POSTs to a webhook bot, with lenient types.
//!
//! Shapes follow Zoho's Catalyst SDK and CLI samples and Cliq's object-reference pages (the
//! shapes per handler type, each with its public source, are in the repository's
//! `docs/webhook-protocol.md`). Everything is lenient by design:
//! - IDs and times arrive as strings or numbers; both are accepted (IDs are kept as
//!   `String`, times as `i64` milliseconds). One reader, `lenient`, does this for every
//!   optional scalar field.
//! - Every context object is an `Option`: permissions and user consent decide what arrives.
//! - Unknown fields are ignored, or kept in `extra` where a type has one.
//! - The older envelope (`"handler": "name"` as a bare string plus a top-level
//!   `handler_name`) is accepted next to the current `{"type", "name"}` object.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// The whole request body.
#[serde_with::apply(
    Option<String> => #[serde(default, deserialize_with = "lenient")],
    Option<i64> => #[serde(default, deserialize_with = "lenient")],
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Envelope {
    /// Component kind; `"bot"` for bot handlers (absent is tolerated).
    #[serde(rename = "type")]
    pub component: Option<String>,
    /// Which handler fired: `{"type": ..., "name"?: ...}` or, in the older envelope, a string.
    #[serde(default)]
    pub handler: Option<HandlerField>,
    /// Older envelope: the menu action's name.
    pub handler_name: Option<String>,
    /// The bot's display name.
    pub name: Option<String>,
    /// The bot's unique name.
    pub unique_name: Option<String>,
    /// When Cliq created the request, milliseconds since the epoch.
    pub timestamp: Option<i64>,
    /// Where a late reply goes once the synchronous budget is spent.
    pub response_url: Option<String>,
    /// Menu sub-action, top-level placement (Catalyst CLI sample).
    pub sub_action: Option<String>,
    /// Handler arguments: context objects plus per-handler data.
    #[serde(default)]
    pub params: Option<Params>,
}

/// `handler` in either envelope version.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum HandlerField {
    /// Older envelope: the handler type as a bare string.
    Name(String),
    /// Current envelope.
    Object {
        /// The handler type (wire vocabulary).
        #[serde(rename = "type", default)]
        kind: Option<String>,
        /// Menu action label (menu handlers only).
        #[serde(default)]
        name: Option<String>,
    },
}

impl Envelope {
    /// The handler type as sent.
    pub fn handler_type(&self) -> Option<&str> {
        match &self.handler {
            Some(HandlerField::Name(n)) => Some(n),
            Some(HandlerField::Object { kind, .. }) => kind.as_deref(),
            None => None,
        }
    }

    /// The menu action's name: `handler.name`, else the older `handler_name`, else the
    /// SDK's `params.action_name`.
    pub fn action_name(&self) -> Option<&str> {
        let from_handler = match &self.handler {
            Some(HandlerField::Object { name, .. }) => name.as_deref(),
            _ => None,
        };
        from_handler
            .or(self.handler_name.as_deref())
            .or(self.params.as_ref().and_then(|p| p.action_name.as_deref()))
            .filter(|n| !n.is_empty())
    }

    /// The chosen menu sub-action: top level or in `params`; `""` means none.
    pub fn sub_action(&self) -> Option<&str> {
        self.sub_action
            .as_deref()
            .or(self.params.as_ref().and_then(|p| p.sub_action.as_deref()))
            .filter(|s| !s.is_empty())
    }
}

/// `params`: what the handler receives. Which fields arrive depends on the handler type and
/// its permissions.
#[serde_with::apply(
    Option<String> => #[serde(default, deserialize_with = "lenient")],
    Option<bool> => #[serde(default, deserialize_with = "lenient")],
)]
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Params {
    /// Who and where (always sent, kept optional).
    #[serde(default)]
    pub access: Option<Access>,
    /// Data center facts (always sent, kept optional).
    #[serde(default)]
    pub environment: Option<Environment>,
    /// Gated by the `user` permission.
    #[serde(default)]
    pub user: Option<User>,
    /// Gated by the `chat` permission.
    #[serde(default)]
    pub chat: Option<Chat>,
    /// Gated by the `location` permission.
    #[serde(default)]
    pub location: Option<Location>,
    /// Gated by the `attachments` permission (`internal_attachments` in the older envelope).
    #[serde(default, alias = "internal_attachments")]
    pub attachments: Option<Vec<Attachment>>,
    /// Gated by the `message` permission: a string (message handler) or an object with
    /// `text` (mention handler sample).
    #[serde(default)]
    pub message: Option<Value>,
    /// The message with mentions unexpanded.
    pub raw_message: Option<String>,
    /// Message metadata (`time`, inner `message`); shape varies by message kind.
    #[serde(default)]
    pub message_details: Option<Value>,
    /// Mentions in the message.
    #[serde(default)]
    pub mentions: Option<Vec<Mention>>,
    /// Links in the message.
    #[serde(default)]
    pub links: Option<Vec<Value>>,
    /// Welcome handler: first subscription (true) or re-subscription (false).
    pub newuser: Option<bool>,
    /// Context handler: the `id` the earlier context reply set.
    pub context_id: Option<String>,
    /// Context handler: answers by question name, each `{"text": ...}`.
    #[serde(default)]
    pub answers: Option<Map<String, Value>>,
    /// Participation and call handlers: what happened.
    pub operation: Option<String>,
    /// Participation and call handlers: details of the operation.
    #[serde(default)]
    pub data: Option<Value>,
    /// Incoming webhook: the external request's headers.
    #[serde(default)]
    pub headers: Option<Map<String, Value>>,
    /// Incoming webhook: the external request's parameters (`param` in the Python SDK).
    #[serde(default, alias = "param")]
    pub params: Option<Map<String, Value>>,
    /// Incoming webhook: the external request's body (a string; JSON-encoded in samples).
    #[serde(default)]
    pub body: Option<Value>,
    /// Incoming webhook: the external request's method.
    pub http_method: Option<String>,
    /// Menu sub-action, `params` placement (Deluge parameter list, Python SDK).
    pub sub_action: Option<String>,
    /// Menu action name as the Python SDK copies it.
    pub action_name: Option<String>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The Cliq user who triggered the handler.
#[serde_with::apply(
    Option<String> => #[serde(default, deserialize_with = "lenient")],
    Option<bool> => #[serde(default, deserialize_with = "lenient")],
)]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct User {
    /// User ID.
    pub id: Option<String>,
    /// Zoho account ID.
    pub zoho_user_id: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Display name (Python SDK only).
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Organisation admin.
    pub admin: Option<bool>,
    /// Organisation ID.
    pub organization_id: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The chat the handler fired in.
#[serde_with::apply(Option<String> => #[serde(default, deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Chat {
    /// Chat ID (`CT_…`, `CD_…`; threads end in `-T-<n>`).
    pub id: Option<String>,
    /// `type` in samples.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `chat_type` in the help page and Python SDK.
    pub chat_type: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Owner's user ID.
    pub owner: Option<String>,
    /// Channel unique name (channels).
    pub channel_unique_name: Option<String>,
    /// Other fields (`members`, `recent_messages`, `parent_resource`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The user's location; only `status` unless granted.
#[serde_with::apply(
    Option<String> => #[serde(default, deserialize_with = "lenient")],
    Option<f64> => #[serde(default, deserialize_with = "lenient")],
)]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Location {
    /// `granted | prompt | denied | failed`.
    pub status: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Accuracy in metres.
    pub accuracy: Option<f64>,
    /// Altitude.
    pub altitude: Option<f64>,
}

/// A file sent with the message; `url` is a unique, expiring download URL.
#[serde_with::apply(Option<String> => #[serde(default, deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Attachment {
    /// File name.
    pub name: Option<String>,
    /// Comment.
    pub comment: Option<String>,
    /// ID.
    pub id: Option<String>,
    /// Download URL.
    pub url: Option<String>,
    /// MIME type.
    pub contenttype: Option<String>,
}

/// A mention of a user, bot or channel.
#[serde_with::apply(Option<String> => #[serde(default, deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Mention {
    /// ID (`b-<digits>` for bots).
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// `user`, `bot`, `channel`, …
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who invoked the handler and from where (always sent, not permission-gated).
#[serde_with::apply(Option<String> => #[serde(default, deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Access {
    /// User ID.
    pub user_id: Option<String>,
    /// Zoho account ID.
    pub zoho_user_id: Option<String>,
    /// Chat ID.
    pub chat_id: Option<String>,
    /// Client user agent.
    pub user_agent: Option<String>,
    /// `{type: company | network, id}`.
    #[serde(default)]
    pub organization: Option<Value>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Data-center facts; `base_url`/`tld` say which Cliq DC to call back.
#[serde_with::apply(Option<String> => #[serde(default, deserialize_with = "lenient")])]
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[non_exhaustive]
pub struct Environment {
    /// `US`, `EU`, `IN`, …
    pub data_center: Option<String>,
    /// `.com`, `.eu`, …
    pub tld: Option<String>,
    /// `https://cliq.zoho<tld>/company/<org_id>`.
    pub base_url: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Deserializes an `Option<T>` leniently: `null` or absent is `None`, the rest is read
/// by [`Lenient::from_json`]. Every optional scalar field of the envelope types uses it
/// (through `serde_with::apply`, one line per type and struct).
fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::from_json(v).map_err(serde::de::Error::custom),
    }
}

/// A scalar read from whichever JSON form Cliq happens to send it in (also used by the
/// extractors for scalars inside free-form `data`).
pub(crate) trait Lenient: Sized {
    /// `Ok(None)` where the value means "not given" (an empty numeric string).
    fn from_json(v: Value) -> Result<Option<Self>, String>;
}

/// A string, or a number/bool kept in its JSON text form.
impl Lenient for String {
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            other => Err(format!(
                "expected a string or a number, got {}",
                kind(&other)
            )),
        }
    }
}

/// Milliseconds as a number or a numeric string.
impl Lenient for i64 {
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::Number(n) => n
                .as_i64()
                // Fractional or huge numbers: truncate (as f64 does) rather than reject.
                .or_else(|| n.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| "expected an integer".to_owned()),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("expected an integer, got {s:?}")),
            other => Err(format!("expected an integer, got {}", kind(&other))),
        }
    }
}

/// A number or a numeric string.
impl Lenient for f64 {
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::Number(n) => Ok(n.as_f64()),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("expected a number, got {s:?}")),
            other => Err(format!("expected a number, got {}", kind(&other))),
        }
    }
}

/// A boolean, `"true"`/`"false"`/`""`, or a number (non-zero is `true`).
impl Lenient for bool {
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::Bool(b) => Ok(Some(b)),
            Value::String(s) => match s.as_str() {
                "true" => Ok(Some(true)),
                "false" | "" => Ok(Some(false)),
                _ => Err(format!("expected a boolean, got {s:?}")),
            },
            Value::Number(n) => Ok(Some(n.as_f64() != Some(0.0))),
            other => Err(format!("expected a boolean, got {}", kind(&other))),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_times_as_strings_or_numbers() {
        let env: Envelope = serde_json::from_str(
            r#"{"handler":"message_handler","handler_name":"x","timestamp":"1767225600123",
                "params":{"user":{"id":55501234,"organization_id":"6","admin":"true"},"surprise":1}}"#,
        )
        .unwrap();
        assert_eq!(env.handler_type(), Some("message_handler"));
        assert_eq!(env.timestamp, Some(1_767_225_600_123));
        let user = env.params.unwrap().user.unwrap();
        assert_eq!(user.id.as_deref(), Some("55501234"));
        assert_eq!(user.admin, Some(true));
    }
}
