//! What handlers return, and how it becomes Cliq's `{"output": …}` response.
//!
//! **Reply modes.** The return type says how a handler answers ([`IntoReply::MODE`]):
//! - *immediate*: [`Reply`], `String`, `&'static str`, [`Banner`], `serde_json::Value`, `()`,
//!   answered as the synchronous response;
//! - *deferred*: [`Deferred`], an acknowledgement now and the reply later through the request's
//!   `response_url`;
//! - *form*: [`Form`], a form for the user to fill in;
//! - *suggestions*, *form modification*, *select options*, *form errors*: [`Suggestions`],
//!   [`FormModification`], [`SelectOptions`], [`FormErrors`] (or `Result<Reply, FormErrors>`),
//!   the replies of a command's suggestion handler and of a form function's handlers.
//!
//! `Option<T>` and `Result<T, E>` keep `T`'s mode. Which modes each handler type may use is
//! [`rules::reply_modes`](crate::rules::reply_modes), the one list of it; `#[cliq_handler]`
//! refuses the others at compile time, pointing at the return type. Whatever the mode, a
//! handler still running when Cliq's ~15 s window is about to close is deferred
//! automatically (see [`Deferred`] and [`bot`](crate::bot), "Deadline").

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};

pub use crate::rules::ReplyMode;
/// The typed message content (one model, shared with the generated client's `BotMessage`):
/// see [`cliq_message`].
pub use cliq_message::{Button, Card, Slide};

mod component;
pub use component::{FormErrors, FormModification, SelectOptions, Suggestion, Suggestions};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A bot message reply: text (Cliq markdown) with optional card, buttons, slides,
/// suggestions, or a context (multi-question) request. Serialized as the `output` object.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Reply {
    /// Message text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Up to 5 buttons.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Up to 20 slides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slides: Vec<Slide>,
    /// Suggestion chips: `{"list": [{"text": ..}]}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Value>,
    /// Starts a context: questions whose answers come back to the `context_handler`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// Any other field Cliq accepts (`bot`, `styles`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Reply {
    /// A text reply.
    pub fn text(text: impl Into<String>) -> Reply {
        Reply {
            text: Some(text.into()),
            ..Reply::default()
        }
    }

    /// Adds a card.
    pub fn card(mut self, card: Card) -> Reply {
        self.card = Some(card);
        self
    }

    /// Adds a button.
    pub fn button(mut self, button: Button) -> Reply {
        self.buttons.push(button);
        self
    }

    /// Adds a slide.
    pub fn slide(mut self, slide: Slide) -> Reply {
        self.slides.push(slide);
        self
    }

    /// Adds suggestion chips.
    pub fn suggestions<I, T>(mut self, items: I) -> Reply
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        let list: Vec<Value> = items
            .into_iter()
            .map(|t| serde_json::json!({ "text": t.into() }))
            .collect();
        self.suggestions = Some(serde_json::json!({ "list": list }));
        self
    }

    /// Starts a context; Cliq collects the answers and calls the `context_handler`.
    pub fn context(mut self, context: Context) -> Reply {
        self.context = Some(context);
        self
    }

    /// Sets any other field of the message object.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Reply {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// A context request: questions Cliq asks one by one.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Context {
    /// Comes back as the context handler's `context_id`.
    pub id: String,
    /// Seconds Cliq waits for the answers.
    pub timeout: u64,
    /// The questions.
    pub params: Vec<Question>,
}

impl Context {
    /// A context with an id and a timeout in seconds.
    pub fn new(id: impl Into<String>, timeout_secs: u64) -> Context {
        Context {
            id: id.into(),
            timeout: timeout_secs,
            params: Vec::new(),
        }
    }

    /// Adds a question; its answer arrives under `name`.
    pub fn question(mut self, name: impl Into<String>, question: impl Into<String>) -> Context {
        self.params.push(Question {
            name: name.into(),
            question: question.into(),
            extra: Map::new(),
        });
        self
    }
}

/// One context question.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Question {
    /// Answer key.
    pub name: String,
    /// What Cliq asks.
    pub question: String,
    /// Other fields (`value`, `suggestions`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A banner: `{"type": "banner", "text", "status": "success" | "failure"}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Banner {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Text.
    pub text: String,
    /// `success` or `failure`.
    pub status: &'static str,
}

impl Banner {
    /// A success banner.
    pub fn success(text: impl Into<String>) -> Banner {
        Banner {
            kind: "banner",
            text: text.into(),
            status: "success",
        }
    }

    /// A failure banner.
    pub fn failure(text: impl Into<String>) -> Banner {
        Banner {
            kind: "banner",
            text: text.into(),
            status: "failure",
        }
    }
}

/// A form reply (the *form* [`ReplyMode`]): [`cliq_message::Form`], `{"type": "form", title,
/// name, hint?, button_label?, inputs, action}`; on submit Cliq invokes the function named in
/// `action`. Only the message, menu and context handlers can answer with a form
/// ([`rules::reply_modes`](crate::rules::reply_modes)); `#[cliq_handler]` refuses it on the
/// others at compile time, at the return type. A form over one of Cliq's limits is not sent:
/// the handler fails, naming the limit.
///
/// ```
/// use cliq_webhook::{cliq_handler, ExternalFunction, Form};
///
/// #[cliq_handler(type = "message_handler")]
/// async fn ask() -> Form {
///     Form::new("Deploy", "deploy", ExternalFunction("deployForm"))
///         .button_label("Deploy")
///         .text_input("env", "Environment")
/// }
/// ```
pub use cliq_message::Form;

/// A deferred reply (the *deferred* [`ReplyMode`]): `ack` is answered at once, the follow-up
/// runs afterwards and its reply is POSTed to the request's `response_url`, wrapped as
/// `{"output": …}` like any reply.
///
/// ```
/// use cliq_webhook::{cliq_handler, Deferred, Reply};
///
/// #[cliq_handler(type = "menu_handler", name = "Deploy")]
/// async fn deploy() -> Deferred {
///     Deferred::new("Deploying…", async {
///         // minutes of work
///         Reply::text("Deployed")
///     })
/// }
/// ```
///
/// Use it for work that may outlast Cliq's window (about 15 s after the request's
/// `timestamp`) on purpose: the user sees the acknowledgement now. Handlers of the other modes
/// are deferred **automatically** when they run late (see [`bot`](crate::bot), "Deadline"):
/// dispatch answers `{"output": {}}` just before the window closes and posts their reply to
/// `response_url` when it is ready; a `Deferred` whose *acknowledgement* comes too late is
/// treated the same way (its follow-up is what gets posted).
///
/// Without a `response_url` the bot may post to (Cliq sends one to every handler but the call
/// handler, which cannot use this mode; see [`BotBuilder::allow_response_url`](crate::BotBuilder::allow_response_url))
/// the follow-up is awaited and becomes the synchronous reply. Every handler type but the call
/// handler may return it ([`rules::reply_modes`](crate::rules::reply_modes)).
pub struct Deferred {
    ack: Output,
    later: BoxFuture<'static, Output>,
}

impl Deferred {
    /// Acknowledges with `ack` now; `later`'s output is posted to `response_url`.
    pub fn new<A, F>(ack: A, later: F) -> Deferred
    where
        A: IntoReply,
        F: std::future::Future + Send + 'static,
        F::Output: IntoReply,
    {
        Deferred {
            ack: ack.into_reply(),
            later: Box::pin(async move { later.await.into_reply() }),
        }
    }

    /// Acknowledges with `{"output": {}}` (nothing shown) now.
    pub fn silently<F>(later: F) -> Deferred
    where
        F: std::future::Future + Send + 'static,
        F::Output: IntoReply,
    {
        Deferred::new((), later)
    }
}

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deferred")
            .field("ack", &self.ack)
            .finish_non_exhaustive()
    }
}

/// The follow-up of a [`Deferred`] reply, taken once by dispatch.
#[derive(Clone)]
pub(crate) struct Later(Arc<Mutex<Option<BoxFuture<'static, Output>>>>);

impl Later {
    /// The follow-up future; `None` when already taken.
    pub(crate) fn take(&self) -> Option<BoxFuture<'static, Output>> {
        self.0.lock().ok().and_then(|mut f| f.take())
    }
}

impl std::fmt::Debug for Later {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Later(..)")
    }
}

impl PartialEq for Later {
    fn eq(&self, other: &Later) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What a handler's return value becomes: the `output` of the response (or why there is
/// none). Opaque; made by [`IntoReply`] from the return types it lists, or by the
/// constructors here for a return type of your own.
#[derive(Debug, Clone, PartialEq)]
pub struct Output(pub(crate) Repr);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Repr {
    /// A JSON value.
    Json(Value),
    /// The whole response body, `{"output": …}`, already encoded: what [`Reply`], [`Banner`],
    /// [`Form`] and text replies become (serialized once, straight to bytes; no intermediate
    /// `Value`).
    Encoded(Bytes),
    /// Nothing (call handlers, `()`): `{"output": {}}`.
    Empty,
    /// The handler failed; logged, answered with a 500 JSON error.
    Failed(String),
    /// A [`Deferred`] reply: answer the acknowledgement now, post the follow-up later.
    Deferred(Box<Output>, Later),
}

/// The body of an empty reply (`()`, call handlers, a failed or late handler's sync answer).
const EMPTY_BODY: &[u8] = br#"{"output":{}}"#;

impl Output {
    /// `{"output": value}` for any serializable reply; a value that fails to serialize is a
    /// failed handler (500).
    pub fn serialize<T: Serialize + ?Sized>(value: &T) -> Output {
        encode(value)
    }

    /// `{"output": value}`, the JSON value as is.
    pub fn json(value: Value) -> Output {
        Output(Repr::Json(value))
    }

    /// `{"output": {}}`: nothing shown.
    pub fn empty() -> Output {
        Output(Repr::Empty)
    }

    /// The handler failed: logged with `message`, answered with a 500 JSON error.
    pub fn failed(message: impl Into<String>) -> Output {
        Output(Repr::Failed(message.into()))
    }

    /// The response body as bytes, `{"output": …}` (written straight from the reply, without
    /// building a `serde_json::Value` first).
    pub(crate) fn into_bytes(self) -> Bytes {
        match self.0 {
            Repr::Encoded(body) => body,
            Repr::Json(v) => match encode(&v).0 {
                Repr::Encoded(body) => body,
                _ => Bytes::from_static(EMPTY_BODY),
            },
            Repr::Deferred(ack, _) => ack.into_bytes(),
            Repr::Empty | Repr::Failed(_) => Bytes::from_static(EMPTY_BODY),
        }
    }
}

/// `{"output": value}` written straight into the response bytes.
fn encode<T: Serialize + ?Sized>(value: &T) -> Output {
    const HEAD: &[u8] = br#"{"output":"#;
    let mut body = Vec::with_capacity(256);
    body.extend_from_slice(HEAD);
    match serde_json::to_writer(&mut body, value) {
        Ok(()) => {
            body.push(b'}');
            Output(Repr::Encoded(Bytes::from(body)))
        }
        Err(e) => Output::failed(format!("reply did not serialize: {e}")),
    }
}

/// Handler return types: `Reply`, `String`/`&str` (text), [`Banner`], [`Form`], [`Deferred`],
/// `serde_json::Value` (sent as is), `()` (nothing), `Option<T>`, and
/// `Result<T, E: Display>` (an `Err` is logged and answered with a 500 JSON error).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Cliq handler return type",
    note = "return `Reply`, `String`, `&'static str`, `Banner`, `Form`, `Deferred`, `serde_json::Value`, `()`, or an `Option`/`Result` of one"
)]
pub trait IntoReply {
    /// How this type answers; `#[cliq_handler]` refuses, at compile time, a return type whose
    /// mode the handler type cannot use ([`rules::reply_modes`](crate::rules::reply_modes)).
    const MODE: ReplyMode = ReplyMode::Immediate;

    /// Converts into the response output.
    fn into_reply(self) -> Output;
}

impl IntoReply for Form {
    const MODE: ReplyMode = ReplyMode::Form;

    fn into_reply(self) -> Output {
        match self.validate() {
            Ok(()) => encode(&self),
            Err(e) => Output::failed(format!("form not sent: {e}")),
        }
    }
}

impl IntoReply for Deferred {
    const MODE: ReplyMode = ReplyMode::Deferred;

    fn into_reply(self) -> Output {
        Output(Repr::Deferred(
            Box::new(self.ack),
            Later(Arc::new(Mutex::new(Some(self.later)))),
        ))
    }
}

impl Reply {
    /// Whether any `extra` map (the reply's, its card's, buttons' or questions') has entries:
    /// a key there may repeat a named field, which only a JSON object (last one wins) merges.
    fn has_extra(&self) -> bool {
        !self.extra.is_empty()
            || self.card.as_ref().is_some_and(|c| !c.extra.is_empty())
            || self.buttons.iter().any(|b| !b.extra.is_empty())
            || self
                .context
                .as_ref()
                .is_some_and(|c| c.params.iter().any(|q| !q.extra.is_empty()))
    }
}

impl IntoReply for Reply {
    fn into_reply(self) -> Output {
        let limits = cliq_message::MessageContent::validate_parts(
            self.text.as_deref(),
            self.card.as_ref(),
            &self.buttons,
            &self.slides,
        );
        if let Err(e) = limits {
            return Output::failed(format!("reply not sent: {e}"));
        }
        if !self.has_extra() {
            return encode(&self);
        }
        // Extra fields may repeat a named one: merge through a JSON object as before.
        match serde_json::to_value(&self) {
            Ok(v) => encode(&v),
            Err(e) => Output::failed(format!("reply did not serialize: {e}")),
        }
    }
}

/// Cliq's per-field form error reply ([`cliq_message::FormErrors`], from
/// `CliqForm::from_submission`): a bad submitted value is answered on the form, not with a 500.
impl IntoReply for cliq_message::FormErrors {
    const MODE: ReplyMode = ReplyMode::FormErrors;

    fn into_reply(self) -> Output {
        encode(&self)
    }
}

impl IntoReply for Banner {
    fn into_reply(self) -> Output {
        encode(&self)
    }
}

impl IntoReply for String {
    fn into_reply(self) -> Output {
        Reply::text(self).into_reply()
    }
}

impl IntoReply for &'static str {
    fn into_reply(self) -> Output {
        Reply::text(self).into_reply()
    }
}

impl IntoReply for Value {
    fn into_reply(self) -> Output {
        Output::json(self)
    }
}

impl IntoReply for () {
    fn into_reply(self) -> Output {
        Output::empty()
    }
}

impl<T: IntoReply> IntoReply for Option<T> {
    const MODE: ReplyMode = T::MODE;

    fn into_reply(self) -> Output {
        match self {
            Some(t) => t.into_reply(),
            None => Output::empty(),
        }
    }
}

impl<T: IntoReply, E: std::fmt::Display> IntoReply for Result<T, E> {
    const MODE: ReplyMode = T::MODE;

    fn into_reply(self) -> Output {
        match self {
            Ok(t) => t.into_reply(),
            Err(e) => Output::failed(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes a reply used to be answered with: a `Value`, wrapped, printed.
    fn through_value<T: Serialize>(reply: &T) -> String {
        let v = serde_json::to_value(reply).unwrap();
        serde_json::json!({ "output": v }).to_string()
    }

    fn bytes(output: Output) -> String {
        String::from_utf8(output.into_bytes().to_vec()).unwrap()
    }

    #[test]
    fn encoded_replies_are_the_bytes_the_value_route_gave() {
        let full = Reply::text("hi \"there\" \u{1F600}")
            .card(Card::new("T", cliq_message::Theme::ModernInline))
            .button(Button::open_url("Open", "https://example.com"))
            .slide(Slide::text("body").title("S"))
            .suggestions(["a", "b"])
            .context(Context::new("ctx", 300).question("env", "Which?"));
        let with_extra = Reply::text("x").with("styles", serde_json::json!({"highlight": true}));
        // A key of `extra` repeating a named field: one key in the output, the last value.
        let repeated = Reply::text("named").with("text", "extra");
        for reply in [Reply::text("plain"), full, with_extra, repeated] {
            assert_eq!(bytes(reply.clone().into_reply()), through_value(&reply));
        }
        let banner = Banner::success("done");
        assert_eq!(bytes(banner.clone().into_reply()), through_value(&banner));
        let form = Form::new("Deploy", "deploy", cliq_message::ExternalFunction("f"))
            .text_input("env", "Environment");
        assert_eq!(bytes(form.clone().into_reply()), through_value(&form));
        let value = serde_json::json!({"text": "raw", "n": 1.5});
        assert_eq!(bytes(value.clone().into_reply()), through_value(&value));
        assert_eq!(bytes(().into_reply()), r#"{"output":{}}"#);
        assert_eq!(bytes(Output::failed("x")), r#"{"output":{}}"#);
    }

    #[test]
    fn replies_over_a_limit_are_not_sent() {
        let six = (0..6).fold(Reply::text("x"), |r, _| {
            r.button(Button::open_url("b", "https://example.com"))
        });
        let Repr::Failed(why) = six.into_reply().0 else {
            panic!("sent")
        };
        assert!(why.contains("BUTTONS_PER_MESSAGE"), "{why}");
        let form = Form::new("T", &*"n".repeat(51), cliq_message::ExternalFunction("f"));
        let Repr::Failed(why) = form.into_reply().0 else {
            panic!("sent")
        };
        assert!(why.contains("FORM_NAME"), "{why}");
    }

    #[test]
    fn encoded_body_parses_back_for_late_replies() {
        let out = Reply::text("late").into_reply();
        let body: Value = serde_json::from_slice(&out.into_bytes()).unwrap();
        assert_eq!(body, serde_json::json!({"output": {"text": "late"}}));
    }
}
