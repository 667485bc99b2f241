//! A test kit for bots (feature `testing`): request builders shaped like Cliq's payloads and
//! a harness that sends them through the bot's own [`tower::Service`], the path every request
//! takes in production.
//!
//! ```
//! use cliq_webhook::testing::{TestBot, TestRequest};
//! use cliq_webhook::{cliq_handler, extract::{Message, User}, Bot, Reply};
//!
//! #[cliq_handler(type = "message_handler", permissions(message, user))]
//! async fn echo(message: Message, user: User) -> Reply {
//!     Reply::text(format!("{} said: {}", user.first_name.unwrap_or_default(), message.text))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), cliq_webhook::BotError> {
//! let bot = TestBot::new(Bot::builder().handler(echo {}).build()?);
//! let reply = bot.send(TestRequest::message("hi").from_user("Ada")).await;
//! assert_eq!(reply.text(), Some("Ada said: hi"));
//! # Ok(())
//! # }
//! ```
//!
//! - [`TestRequest`] has one constructor per handler type with sensible defaults (an
//!   `access` and `environment` object, a user, a chat, a `response_url` on Cliq's domain
//!   except for call handlers, whose samples have none). When sent, the request keeps only
//!   the objects the receiving handler's declared permissions grant (`user`, `chat`,
//!   `location`, `attachments`, `message`), as Cliq does.
//! - [`TestBot`] sends each request through the bot as a `tower::Service`: body limit, shared secret and
//!   `X-Cliq-Signature` checks included. When the bot checks signatures, build it with
//!   [`TEST_PUBLIC_KEY_PEM`] (the kit signs every request with the matching private key) or
//!   give the kit your own key with [`TestBot::signing_key_pem`]. When it checks a shared
//!   secret, give the kit the secret with [`TestBot::shared_secret`].
//! - Late replies (the handler outlived Cliq's window and the bot posted to `response_url`)
//!   are captured in memory, never sent: [`TestBot::late_reply`].

#[cfg(feature = "client")]
mod fake_cliq;
#[cfg(feature = "client")]
pub use fake_cliq::CliqCall;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use http::{Request, StatusCode};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{json, Map, Value};
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::auth::{SIGNATURE_HEADER, TOKEN_HEADER};
use crate::bot::{Bot, LateReplyError, LateReplySender};
use crate::handler::HandlerMeta;
use crate::reply::BoxFuture;
use crate::rules::{Component, HandlerKind, Permission};

/// Public half of the kit's signing key: `Bot::builder().signature_public_key_pem(TEST_PUBLIC_KEY_PEM)`
/// in tests. Never use it outside tests: its private half is published with this crate.
pub const TEST_PUBLIC_KEY_PEM: &str = include_str!("testing/test_key_public.pem");
const TEST_PRIVATE_KEY_PEM: &str = include_str!("testing/test_key_private.pem");

/// The `X-Cliq-Signature` value for `body` made with `key`: base64 of the RSA PKCS#1 v1.5
/// SHA-256 signature.
fn signature(key: &rsa::RsaPrivateKey, body: &[u8]) -> String {
    use base64::Engine as _;
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    base64::engine::general_purpose::STANDARD.encode(signer.sign(body).to_bytes())
}

/// The `X-Cliq-Signature` header value the kit's key gives `body`: what a bot built with
/// [`TEST_PUBLIC_KEY_PEM`] accepts (for requests sent without [`TestBot`], e.g. through
/// [`Bot::dispatch`] or over HTTP).
pub fn test_signature(body: &[u8]) -> String {
    match rsa::RsaPrivateKey::from_pkcs8_pem(TEST_PRIVATE_KEY_PEM) {
        Ok(key) => signature(&key, body),
        // The key is a constant of this crate, parsed in its own tests.
        Err(e) => format!("test kit key unusable: {e}"),
    }
}

/// Where the kit's requests say late replies go (a Cliq URL; nothing is ever sent there).
pub const TEST_RESPONSE_URL: &str =
    "https://cliq.zoho.com/v2/extensions/4000000000001/responses/test";

/// A request Cliq would send to one handler type.
#[derive(Debug, Clone)]
pub struct TestRequest {
    kind: HandlerKind,
    /// The handler type as sent (its spec name, or an SDK alias: [`TestRequest::wire_type`]).
    wire_type: &'static str,
    /// The command's, message action's or function's name (`name`).
    component_name: Option<String>,
    /// The bot's unique name (`unique_name`, bot requests): [`TestRequest::for_bot`].
    bot: Option<String>,
    action: Option<String>,
    sub_action: Option<String>,
    response_url: Option<String>,
    timestamp: Option<i64>,
    /// `params`, before permission filtering.
    params: Map<String, Value>,
}

impl TestRequest {
    fn new(kind: HandlerKind) -> TestRequest {
        let mut params = Map::new();
        params.insert(
            "access".into(),
            json!({"user_id": "55501234", "zoho_user_id": "55501234",
                   "chat_id": "CT_1111_55501234-B1", "user_agent": "cliq-webhook test kit",
                   "organization": {"type": "company", "id": "60001234"}}),
        );
        params.insert(
            "environment".into(),
            json!({"data_center": "US", "tld": ".com",
                   "base_url": "https://cliq.zoho.com/company/60001234"}),
        );
        params.insert(
            "user".into(),
            json!({"id": "55501234", "zoho_user_id": "55501234", "first_name": "Ada",
                   "last_name": "L", "email": "ada@example.com", "admin": false,
                   "organization_id": "60001234", "timezone": "Europe/London",
                   "country": "gb", "language": "en"}),
        );
        params.insert(
            "chat".into(),
            json!({"id": "CT_1111_55501234-B1", "type": "bot", "title": "Test Bot",
                   "owner": "55501234"}),
        );
        params.insert("location".into(), json!({"status": "denied"}));
        params.insert("attachments".into(), json!([]));
        TestRequest {
            kind,
            wire_type: kind.handler_type(),
            component_name: None,
            bot: None,
            action: None,
            sub_action: None,
            response_url: Some(TEST_RESPONSE_URL.into()),
            timestamp: None,
            params,
        }
    }

    /// A message to the bot (`message_handler`).
    pub fn message(text: impl Into<String>) -> TestRequest {
        let text = text.into();
        let mut r = TestRequest::new(HandlerKind::BotMessage);
        r.params.insert("message".into(), json!(text));
        r.params.insert("raw_message".into(), json!(text));
        r.params.insert(
            "message_details".into(),
            json!({"time": 1767225599000_i64, "message": {"type": "text", "text": text, "mentions": []}}),
        );
        r.params.insert("mentions".into(), json!([]));
        r.params.insert("links".into(), json!([]));
        r
    }

    /// The bot @-mentioned in a chat (`mention_handler`).
    pub fn mention(text: impl Into<String>) -> TestRequest {
        let text = text.into();
        let mut r = TestRequest::new(HandlerKind::BotMention);
        r.params.insert("message".into(), json!(text));
        r.params.insert("raw_message".into(), json!(text));
        r.params.insert(
            "mentions".into(),
            json!([{"id": "b-4000000000001", "name": "Test Bot", "type": "bot"}]),
        );
        r
    }

    /// A user subscribed to the bot (`welcome_handler`); `newuser` is true.
    pub fn welcome() -> TestRequest {
        let mut r = TestRequest::new(HandlerKind::BotWelcome);
        r.params.insert("newuser".into(), json!(true));
        r
    }

    /// Answers to a context the bot opened with id `context_id` (`context_handler`).
    pub fn context(context_id: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::new(HandlerKind::BotContext);
        r.params
            .insert("context_id".into(), json!(context_id.into()));
        r.params.insert("answers".into(), json!({}));
        r
    }

    /// Something happened in a channel the bot is in (`participation_handler`), e.g. `added`.
    pub fn participation(operation: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::new(HandlerKind::BotParticipation);
        r.params.insert("operation".into(), json!(operation.into()));
        r.params.insert(
            "data".into(),
            json!({"message": {"type": "text", "text": "hello"}, "time": 1767225599000_i64}),
        );
        r
    }

    /// An external system called the bot's incoming webhook (`incoming_webhook_handler`)
    /// with this raw body (a JSON string in Cliq's samples).
    pub fn incoming_webhook(body: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::new(HandlerKind::BotIncomingWebhook);
        r.params.insert("body".into(), json!(body.into()));
        r.params.insert(
            "headers".into(),
            json!({"content-type": "application/json"}),
        );
        r.params.insert("params".into(), json!({}));
        r.params.insert("http_method".into(), json!("POST"));
        r
    }

    /// A user chose the menu action `name` (`menu_handler`).
    pub fn menu(name: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::new(HandlerKind::BotMenu);
        r.action = Some(name.into());
        r.sub_action = Some(String::new());
        r
    }

    /// A call event (`call_handler`), e.g. `answered`. No `response_url`, as in Cliq's sample.
    pub fn call(operation: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::new(HandlerKind::BotCall);
        r.params.insert("operation".into(), json!(operation.into()));
        r.params.insert(
            "data".into(),
            json!({"call_id": "7f1c2a9e-0000-4000-8000-000000000001", "time": 1767225600000_i64}),
        );
        r.response_url = None;
        r
    }

    /// A component's request: `kind`'s, for the command, message action or function `name`.
    fn component(kind: HandlerKind, name: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::new(kind);
        r.component_name = Some(name.into());
        r.params.insert("mentions".into(), json!([]));
        r
    }

    /// The slash command `/name arguments` (a command's `execution_handler`).
    pub fn command(name: impl Into<String>, arguments: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::CommandExecution, name);
        r.params.insert("arguments".into(), json!(arguments.into()));
        r.params.insert("options".into(), json!({}));
        r.params.insert("selections".into(), json!([]));
        r
    }

    /// The user typing `/name arguments`, asking for suggestions (a command's
    /// `suggestion_handler`).
    pub fn command_suggestion(
        name: impl Into<String>,
        arguments: impl Into<String>,
    ) -> TestRequest {
        let mut r = TestRequest::command(name, arguments);
        r.kind = HandlerKind::CommandSuggestion;
        r.wire_type = r.kind.handler_type();
        r
    }

    /// A suggestion the user picked (`selections`), by its title.
    pub fn selection(mut self, title: impl Into<String>) -> Self {
        let item = json!({"title": title.into()});
        match self.params.get_mut("selections") {
            Some(Value::Array(list)) => list.push(item),
            _ => {
                self.params.insert("selections".into(), json!([item]));
            }
        }
        self
    }

    /// The message action `name` invoked on a text message (a message action's
    /// `execution_handler`; the message needs the `message` permission).
    pub fn message_action(name: impl Into<String>, text: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::MessageActionExecution, name);
        let message = json!({"type": "text", "text": text.into(), "time": "1767225599000",
            "sender": {"id": "55501235", "first_name": "Grace", "email": "grace@example.com"}});
        r.params.insert("message".into(), message.clone());
        r.params
            .insert("messages".into(), json!({"count": 1, "list": [message]}));
        r
    }

    /// A click on a button invoking the function `function`, with the button's `arguments`
    /// (a function's `button_handler`).
    pub fn button(function: impl Into<String>, arguments: Value) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::FunctionButton, function);
        r.params.insert("arguments".into(), arguments);
        r.params
            .insert("target".into(), json!({"name": "button", "hint": ""}));
        r.params.insert("event".into(), json!("click"));
        r.params.insert(
            "message".into(),
            json!({"type": "text", "text": "Here is your button", "time": "1767225599000"}),
        );
        r
    }

    /// The form `form` submitted to the function `function` with these values (a function's
    /// `form_submit_handler`; `form_handler` on the wire of Zoho's samples).
    pub fn form_submit(function: impl Into<String>, form: &str, values: Value) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::FunctionFormSubmit, function);
        r.params.insert(
            "form".into(),
            json!({"name": form, "action": "submit", "values": values}),
        );
        r
    }

    /// The input `field` of the form `form` changed to `value` (a function's
    /// `form_change_handler`); no `response_url`, as in Zoho's sample.
    pub fn form_change(
        function: impl Into<String>,
        form: &str,
        field: &str,
        value: Value,
    ) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::FunctionFormChange, function);
        r.params.insert(
            "form".into(),
            json!({"name": form, "action": "change", "values": {field: value.clone()}}),
        );
        r.params
            .insert("target".into(), json!({"name": field, "value": value}));
        r.response_url = None;
        r
    }

    /// The dynamic select `field` of the form `form` asks for options matching `query` (a
    /// function's `form_dynamic_select_handler`; `form_values_handler` on the wire of Zoho's
    /// samples); no `response_url`.
    pub fn form_dynamic_select(
        function: impl Into<String>,
        form: &str,
        field: &str,
        query: &str,
    ) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::FunctionFormDynamicSelect, function);
        r.params.insert(
            "form".into(),
            json!({"name": form, "action": "input", "values": {}}),
        );
        r.params
            .insert("target".into(), json!({"name": field, "query": query}));
        r.response_url = None;
        r
    }

    /// The function's form opened from its permalink (a function's `form_view_handler`); no
    /// `response_url`.
    pub fn form_view(function: impl Into<String>) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::FunctionFormView, function);
        r.response_url = None;
        r
    }

    /// A click on the widget button `label` (a function's `widget_button_handler`;
    /// `applet_button_handler` on the wire of Zoho's samples); no `response_url`.
    pub fn widget_button(function: impl Into<String>, label: &str) -> TestRequest {
        let mut r = TestRequest::component(HandlerKind::FunctionWidgetButton, function);
        r.params.insert(
            "target".into(),
            json!({"label": label, "id": "", "section_id": "1", "tab_id": ""}),
        );
        r.response_url = None;
        r
    }

    /// Sends the handler type under another of its names, e.g. the SDK's `form_handler` for a
    /// `form_submit_handler` (one of the rule's aliases; others are ignored).
    pub fn wire_type(mut self, name: &'static str) -> Self {
        if self.kind.rule().aliases.contains(&name) || self.kind.rule().table_name == name {
            self.wire_type = name;
        }
        self
    }

    /// The unique name of the bot the request is for (`unique_name`), for an app serving
    /// several bots (`#[cliq_handler(bot = "...")]`). Without it a bot request names the
    /// app's only bot when its handlers name one, else `testbot`.
    pub fn for_bot(mut self, unique_name: impl Into<String>) -> Self {
        self.bot = Some(unique_name.into());
        self
    }

    /// The user's first name (and display name).
    pub fn from_user(mut self, first_name: impl Into<String>) -> Self {
        let name = first_name.into();
        if let Some(Value::Object(user)) = self.params.get_mut("user") {
            user.insert("first_name".into(), json!(name));
            user.insert("name".into(), json!(name));
        }
        self
    }

    /// The chat's id.
    pub fn in_chat(mut self, chat_id: impl Into<String>) -> Self {
        let id = chat_id.into();
        if let Some(Value::Object(chat)) = self.params.get_mut("chat") {
            chat.insert("id".into(), json!(id));
        }
        if let Some(Value::Object(access)) = self.params.get_mut("access") {
            access.insert("chat_id".into(), json!(id));
        }
        self
    }

    /// A granted location.
    pub fn at_location(mut self, latitude: f64, longitude: f64) -> Self {
        self.params.insert(
            "location".into(),
            json!({"status": "granted", "latitude": latitude, "longitude": longitude, "accuracy": 10.0}),
        );
        self
    }

    /// Adds an attachment.
    pub fn with_attachment(mut self, name: impl Into<String>, url: impl Into<String>) -> Self {
        let item = json!({"name": name.into(), "url": url.into(), "id": "att-1", "contenttype": "application/octet-stream"});
        match self.params.get_mut("attachments") {
            Some(Value::Array(list)) => list.push(item),
            _ => {
                self.params.insert("attachments".into(), json!([item]));
            }
        }
        self
    }

    /// A context answer: `answers.<name>.text`.
    pub fn answer(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        let entry = self
            .params
            .entry("answers")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(answers) = entry {
            answers.insert(name.into(), json!({"text": text.into()}));
        }
        self
    }

    /// The menu sub-action chosen.
    pub fn sub_action(mut self, sub_action: impl Into<String>) -> Self {
        self.sub_action = Some(sub_action.into());
        self
    }

    /// Sets any `params` field (the raw escape hatch).
    pub fn param(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.params.insert(key.into(), value.into());
        self
    }

    /// Sets or removes `response_url`.
    pub fn response_url(mut self, url: Option<&str>) -> Self {
        self.response_url = url.map(str::to_owned);
        self
    }

    /// When Cliq created the request (milliseconds since the epoch); default: now.
    pub fn timestamp(mut self, ms: i64) -> Self {
        self.timestamp = Some(ms);
        self
    }

    /// The handler type this request is for (`menu_handler`).
    pub fn handler_type(&self) -> &'static str {
        self.kind.handler_type()
    }

    /// The component and handler type this request is for.
    pub fn kind(&self) -> HandlerKind {
        self.kind
    }

    /// The JSON body Cliq would send to a handler declaring `permissions`: permission-gated
    /// objects the handler did not ask for are left out.
    pub fn to_json(&self, permissions: &[Permission]) -> Value {
        let params: Map<String, Value> = self
            .params
            .iter()
            // Objects gated by a permission of the same name stay only when granted.
            .filter(|(k, _)| Permission::from_name(k).is_none_or(|p| permissions.contains(&p)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut handler = json!({"type": self.wire_type});
        if let Some(name) = &self.action {
            handler["name"] = json!(name);
        }
        let component = self.kind.component();
        let mut body = json!({
            "type": component.wire_name(),
            "name": self.component_name.as_deref().unwrap_or("Test Bot"),
            "handler": handler,
            "timestamp": self.timestamp.unwrap_or_else(now_ms),
            "params": params,
        });
        if component == Component::Bot {
            body["unique_name"] = json!(self.bot.as_deref().unwrap_or("testbot"));
        }
        if let Some(url) = &self.response_url {
            body["response_url"] = json!(url);
        }
        if let Some(sub) = &self.sub_action {
            body["sub_action"] = json!(sub);
        }
        body
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A late reply the bot posted to `response_url`.
#[derive(Debug, Clone, PartialEq)]
pub struct LateReply {
    /// The URL it was posted to.
    pub url: String,
    /// The reply, as the bot posted it.
    pub reply: TestReply,
}

#[derive(Default)]
struct Captured {
    replies: Mutex<VecDeque<LateReply>>,
    arrived: Notify,
}

struct CapturingSender(Arc<Captured>);

impl LateReplySender for CapturingSender {
    fn send(
        &self,
        url: url::Url,
        body: bytes::Bytes,
    ) -> BoxFuture<'static, Result<(), LateReplyError>> {
        let captured = Arc::clone(&self.0);
        Box::pin(async move {
            let reply = TestReply {
                status: StatusCode::OK,
                body: parse_body(&body),
            };
            if let Ok(mut q) = captured.replies.lock() {
                q.push_back(LateReply {
                    url: url.to_string(),
                    reply,
                });
            }
            captured.arrived.notify_one();
            Ok(())
        })
    }
}

/// A bot under test: requests go through its own `tower::Service`.
pub struct TestBot<S> {
    bot: Bot<S>,
    checks_secret: bool,
    checks_signature: bool,
    secret: Option<String>,
    signing_key: Result<rsa::RsaPrivateKey, String>,
    captured: Arc<Captured>,
    #[cfg(feature = "client")]
    fake_cliq: Option<fake_cliq::FakeCliq>,
}

impl<S: Clone + Send + Sync + 'static> TestBot<S> {
    /// Wraps a built bot. Late replies are captured, never sent.
    pub fn new(bot: Bot<S>) -> TestBot<S> {
        let captured = Arc::new(Captured::default());
        let (bot, checks_secret, checks_signature) =
            bot.for_testing(Arc::new(CapturingSender(Arc::clone(&captured))));
        TestBot {
            bot,
            checks_secret,
            checks_signature,
            secret: None,
            signing_key: rsa::RsaPrivateKey::from_pkcs8_pem(TEST_PRIVATE_KEY_PEM)
                .map_err(|e| e.to_string()),
            captured,
            #[cfg(feature = "client")]
            fake_cliq: None,
        }
    }

    /// Sends the bot's [`CliqClient`](crate::extract::CliqClient) calls to a fake Cliq the
    /// kit runs on a local port (with the bot's credentials, or a test token when it has
    /// none), which answers every call `200 {}` and keeps it: [`Self::cliq_calls`].
    #[cfg(feature = "client")]
    pub async fn with_fake_cliq(mut self) -> std::io::Result<Self> {
        let fake = fake_cliq::FakeCliq::start().await?;
        self.bot = self.bot.with_cliq_base_url(fake.base_url.clone());
        self.fake_cliq = Some(fake);
        Ok(self)
    }

    /// Every call the handlers made to the fake Cliq ([`Self::with_fake_cliq`]), in order.
    #[cfg(feature = "client")]
    pub fn cliq_calls(&self) -> Vec<CliqCall> {
        self.fake_cliq
            .as_ref()
            .map(fake_cliq::FakeCliq::calls)
            .unwrap_or_default()
    }

    /// The shared secret the bot checks; sent in the `X-Webhook-Token` header.
    pub fn shared_secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Signs with this PKCS#8 PEM private key instead of the kit's own.
    pub fn signing_key_pem(mut self, pem: &str) -> Self {
        self.signing_key = rsa::RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| e.to_string());
        self
    }

    /// The handler a request goes to, as dispatch would pick it.
    fn target(&self, request: &TestRequest) -> Option<&HandlerMeta> {
        let bot = request.bot.as_deref();
        let mut of_kind = self.bot.handlers().filter(|m| {
            m.kind == request.kind
                && m.bot
                    .is_none_or(|b| bot.is_some_and(|r| r.eq_ignore_ascii_case(b)))
        });
        match request.action.as_ref().or(request.component_name.as_ref()) {
            Some(name) => of_kind.find(|m| m.name.is_some_and(|n| n.eq_ignore_ascii_case(name))),
            None => of_kind.next(),
        }
    }

    /// Sends the request as Cliq would for the bot's handler of that type (filtered by its
    /// permissions; signed and carrying the secret when the bot checks them). A bot request
    /// without [`TestRequest::for_bot`] names the app's bot when it serves exactly one named
    /// bot.
    pub async fn send(&self, mut request: TestRequest) -> TestReply {
        if let (None, [only]) = (&request.bot, self.bot.bots()) {
            request.bot = Some((*only).to_owned());
        }
        let permissions = self.target(&request).map_or(&[][..], |m| m.permissions);
        let body = request.to_json(permissions).to_string();
        self.send_raw(body.into_bytes()).await
    }

    /// Sends raw bytes as the request body (for malformed-input tests).
    pub async fn send_raw(&self, body: Vec<u8>) -> TestReply {
        let mut builder = Request::post("/").header("content-type", "application/json");
        if self.checks_signature {
            match &self.signing_key {
                Ok(key) => builder = builder.header(SIGNATURE_HEADER, signature(key, &body)),
                Err(e) => tracing::warn!("test kit: signing key unusable, request unsigned: {e}"),
            }
        }
        if let (true, Some(secret)) = (self.checks_secret, &self.secret) {
            builder = builder.header(TOKEN_HEADER, secret.as_str());
        }
        let request = match builder.body(Body::from(body)) {
            Ok(r) => r,
            Err(e) => return TestReply::kit_error(&e.to_string()),
        };
        let response = match self.bot.clone().oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        TestReply {
            status,
            body: parse_body(&bytes),
        }
    }

    /// The next late reply posted to `response_url`, waiting up to `timeout` for it.
    pub async fn late_reply(&self, timeout: Duration) -> Option<LateReply> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.captured.arrived.notified();
            if let Some(r) = self.captured.replies.lock().ok()?.pop_front() {
                return Some(r);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// The bot under test.
    pub fn bot(&self) -> &Bot<S> {
        &self.bot
    }
}

/// A body as JSON, or as a JSON string when it is not JSON.
fn parse_body(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

/// What the bot answered: the status and the JSON body, with typed accessors.
#[derive(Debug, Clone, PartialEq)]
pub struct TestReply {
    status: StatusCode,
    body: Value,
}

impl TestReply {
    fn kit_error(message: &str) -> TestReply {
        TestReply {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: json!({"error": {"code": "test_kit", "message": message}}),
        }
    }

    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The whole JSON body.
    pub fn json(&self) -> &Value {
        &self.body
    }

    /// `output`, when the bot answered one.
    pub fn output(&self) -> Option<&Value> {
        self.body.get("output")
    }

    /// The message text.
    pub fn text(&self) -> Option<&str> {
        self.output()?.get("text")?.as_str()
    }

    /// The card title.
    pub fn card_title(&self) -> Option<&str> {
        self.output()?.get("card")?.get("title")?.as_str()
    }

    /// Button labels, in order.
    pub fn buttons(&self) -> Vec<&str> {
        self.output()
            .and_then(|o| o.get("buttons"))
            .and_then(Value::as_array)
            .map(|b| b.iter().filter_map(|b| b.get("label")?.as_str()).collect())
            .unwrap_or_default()
    }

    /// A command's suggestions' titles, in order (a `suggestion_handler`'s reply).
    pub fn suggestion_titles(&self) -> Vec<&str> {
        self.output()
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(|s| s.get("title")?.as_str()).collect())
            .unwrap_or_default()
    }

    /// A dynamic select's option values, in order.
    pub fn option_values(&self) -> Vec<&str> {
        self.output()
            .and_then(|o| o.get("options"))
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(|s| s.get("value")?.as_str()).collect())
            .unwrap_or_default()
    }

    /// The reply's `type` (`form`, `form_modification`, `form_error`, `banner`), if any.
    pub fn output_type(&self) -> Option<&str> {
        self.output()?.get("type")?.as_str()
    }

    /// The message of a refused form input (a `form_submit_handler`'s form errors).
    pub fn form_error(&self, input: &str) -> Option<&str> {
        self.output()?.get("inputs")?.get(input)?.as_str()
    }

    /// Suggestion texts, in order.
    pub fn suggestions(&self) -> Vec<&str> {
        self.output()
            .and_then(|o| o.get("suggestions")?.get("list"))
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(|s| s.get("text")?.as_str()).collect())
            .unwrap_or_default()
    }

    /// The context id, when the reply opens a context.
    pub fn context_id(&self) -> Option<&str> {
        self.output()?.get("context")?.get("id")?.as_str()
    }

    /// The banner status (`success`/`failure`), when the reply is a banner.
    pub fn banner_status(&self) -> Option<&str> {
        self.output()?.get("status")?.as_str()
    }

    /// `{"output": {}}`: nothing now (a void handler, or a reply deferred to `response_url`).
    pub fn is_empty(&self) -> bool {
        self.status.is_success() && self.output().is_some_and(|o| o == &json!({}))
    }

    /// The error code of a refused request (`unauthorized`, `missing_context`, …).
    pub fn error_code(&self) -> Option<&str> {
        self.body.get("error")?.get("code")?.as_str()
    }
}
