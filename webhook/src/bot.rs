//! The bot: handlers plus configuration, and the framework-agnostic dispatch core
//! (`bytes in → response out`).
//!
//! Dispatch, step by step (each refusal is a 4xx JSON error and no handler runs):
//! 1. body size limit (413);
//! 2. opt-in authenticity: shared secret, `X-Cliq-Signature` (401);
//! 3. JSON parse into the lenient [`Envelope`] (400);
//! 4. `type` must be `bot` when present; the handler type (either vocabulary) must be known
//!    (400) and registered on this bot (404); menu actions match by name (404);
//! 5. `params` must be present (400) and every non-`Option` extractor must find its data
//!    (400 `missing_context`);
//! 6. the handler runs on its own task; a panic or an `Err` return is a 500, logged.
//!
//! **Deadline.** Cliq waits about 15 s after `timestamp` for the synchronous reply (Zoho's
//! Python SDK switches to `response_url` after 15 000 ms). When the handler is still running
//! at `timestamp + budget - margin` and the request has an allowed `response_url`, dispatch
//! answers `{"output": {}}` at once and POSTs the handler's `{"output": …}` to
//! `response_url` when it finishes (the SDK posts the same wrapped body; the lenient reading
//! of open question Q2). Without a `response_url` the handler is awaited (the call handler's
//! sample has none). A missing `timestamp` counts from arrival; a timestamp from the future
//! never extends the budget. Only `https` URLs on Zoho's Cliq domains are posted to by
//! default (no request can make the bot POST elsewhere); see
//! [`BotBuilder::allow_response_url`].
//!
//! **Lenient readings of open questions** (see `reference/webhook-protocol.md` §6): the
//! `menu_handler` + `message` contradiction follows the permissions table (rejected);
//! `sub_action` is read from the top level or from `params` (Q6), `""` meaning none; a menu
//! request without an action name goes to the bot's only menu handler when it has exactly
//! one; the incoming-webhook parameters are read from `params` or `param` (Q7); a missing
//! `type` is treated as `bot`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::auth::{SharedSecret, SignatureCheck};
use crate::envelope::{resolve_handler_type, Envelope};
use crate::error::{BotError, Rejection};
use crate::extract::Invocation;
use crate::handler::{BoxFuture, Handler, HandlerMeta};
use crate::reply::Output;
use crate::rules;

/// Default body limit: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Cliq's synchronous reply window, counted from the envelope's `timestamp`.
pub const DEFAULT_REPLY_BUDGET: Duration = Duration::from_secs(15);
/// Time kept in hand for the network before the window closes.
pub const DEFAULT_REPLY_MARGIN: Duration = Duration::from_millis(1500);

/// Zoho Cliq's domains, one per data center (`zoho` + the `tld`s of the Environment
/// object): the only hosts a late reply is posted to by default.
const ZOHO_DOMAINS: &[&str] = &[
    "zoho.com",
    "zoho.eu",
    "zoho.in",
    "zoho.com.au",
    "zoho.jp",
    "zohocloud.ca",
    "zoho.com.cn",
    "zoho.sa",
    "zoho.ae",
    "zoho.uk",
];

/// Posts a late reply to a `response_url`.
pub trait LateReplySender: Send + Sync + 'static {
    /// POSTs `body` as JSON to `url`.
    fn send(&self, url: String, body: Value) -> BoxFuture<'static, Result<(), String>>;
}

/// The default sender: one `reqwest` client.
#[derive(Debug, Clone, Default)]
pub struct HttpLateReplySender {
    client: reqwest::Client,
}

impl LateReplySender for HttpLateReplySender {
    fn send(&self, url: String, body: Value) -> BoxFuture<'static, Result<(), String>> {
        let client = self.client.clone();
        Box::pin(async move {
            let resp = client
                .post(&url)
                .timeout(Duration::from_secs(15))
                .json(&body)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if resp.status().is_success() {
                Ok(())
            } else {
                Err(format!("response_url answered {}", resp.status()))
            }
        })
    }
}

type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;
type UrlPolicy = Arc<dyn Fn(&url::Url) -> bool + Send + Sync>;

#[derive(Clone)]
struct Config {
    max_body_bytes: usize,
    secret: Option<SharedSecret>,
    signature: Option<SignatureCheck>,
    reply_budget: Duration,
    reply_margin: Duration,
    clock: Clock,
    sender: Arc<dyn LateReplySender>,
    url_policy: UrlPolicy,
}

fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `https` on one of Zoho's Cliq domains.
pub fn is_zoho_url(url: &url::Url) -> bool {
    url.scheme() == "https"
        && url.host_str().is_some_and(|h| {
            ZOHO_DOMAINS
                .iter()
                .any(|d| h == *d || h.ends_with(&format!(".{d}")))
        })
}

/// Assembles a [`Bot`]; rule violations surface from [`BotBuilder::build`].
pub struct BotBuilder<S> {
    handlers: Vec<Handler<S>>,
    config: Config,
    key_error: Option<BotError>,
}

/// A webhook bot: its handlers and how requests are checked. Cheap to clone.
pub struct Bot<S = ()> {
    inner: Arc<Inner<S>>,
}

struct Inner<S> {
    handlers: Vec<Handler<S>>,
    config: Config,
}

impl<S> Clone for Bot<S> {
    fn clone(&self) -> Self {
        Bot {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<S> std::fmt::Debug for Bot<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot")
            .field("handlers", &self.inner.handlers)
            .finish_non_exhaustive()
    }
}

/// A request in framework-neutral form.
#[derive(Debug, Clone, Copy)]
pub struct WebhookRequest<'a> {
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The URL's query string, if any (for the shared secret).
    pub query: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
}

/// The response: a status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body (`{"output": …}` or `{"error": …}`).
    pub body: Bytes,
}

impl WebhookResponse {
    fn json(status: StatusCode, value: &Value) -> Self {
        WebhookResponse {
            status,
            body: Bytes::from(value.to_string()),
        }
    }

    /// The body parsed back (tests, logging).
    pub fn json_body(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl<S> Bot<S> {
    /// Starts a bot.
    pub fn builder() -> BotBuilder<S> {
        BotBuilder {
            handlers: Vec::new(),
            config: Config {
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                secret: None,
                signature: None,
                reply_budget: DEFAULT_REPLY_BUDGET,
                reply_margin: DEFAULT_REPLY_MARGIN,
                clock: Arc::new(system_clock),
                sender: Arc::new(HttpLateReplySender::default()),
                url_policy: Arc::new(is_zoho_url),
            },
            key_error: None,
        }
    }

    /// The declared handlers, in registration order.
    pub fn handlers(&self) -> impl Iterator<Item = &HandlerMeta> {
        self.inner.handlers.iter().map(|h| &h.meta)
    }

    pub(crate) fn inner_max_body(&self) -> usize {
        self.inner.config.max_body_bytes
    }
}

impl<S> BotBuilder<S> {
    /// Registers a handler made by a `#[cliq_handler]` function.
    pub fn handler(mut self, handler: Handler<S>) -> Self {
        self.handlers.push(handler);
        self
    }

    /// Largest accepted body (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.config.max_body_bytes = limit;
        self
    }

    /// Requires a shared secret in the execution URL's `token` query parameter or the
    /// `X-Webhook-Token` header (constant-time comparison).
    pub fn shared_secret(mut self, secret: impl AsRef<str>) -> Self {
        self.config.secret = Some(SharedSecret::new(secret.as_ref()));
        self
    }

    /// Requires a valid `X-Cliq-Signature` made with the key matching this public key.
    pub fn signature_public_key(mut self, key: rsa::RsaPublicKey) -> Self {
        self.config.signature = Some(SignatureCheck::new(key));
        self
    }

    /// Like [`Self::signature_public_key`], from PEM or bare base64 text; a bad key is
    /// reported by [`Self::build`].
    pub fn signature_public_key_pem(mut self, text: &str) -> Self {
        match crate::auth::parse_public_key(text) {
            Ok(key) => self.signature_public_key(key),
            Err(e) => {
                self.key_error = Some(e);
                self
            }
        }
    }

    /// Cliq's synchronous window (default 15 s from `timestamp`).
    pub fn reply_budget(mut self, budget: Duration) -> Self {
        self.config.reply_budget = budget;
        self
    }

    /// Time kept in hand before the window closes (default 1.5 s).
    pub fn reply_margin(mut self, margin: Duration) -> Self {
        self.config.reply_margin = margin;
        self
    }

    /// The clock, in milliseconds since the epoch (tests).
    pub fn clock(mut self, now_ms: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.config.clock = Arc::new(now_ms);
        self
    }

    /// How late replies are posted (default: [`HttpLateReplySender`]).
    pub fn late_reply_sender(mut self, sender: impl LateReplySender) -> Self {
        self.config.sender = Arc::new(sender);
        self
    }

    /// Which `response_url`s may be posted to (default: [`is_zoho_url`]).
    pub fn allow_response_url(
        mut self,
        policy: impl Fn(&url::Url) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.config.url_policy = Arc::new(policy);
        self
    }

    /// Checks the handler set against Cliq's rules: one handler per non-menu type, menu
    /// actions uniquely named and at most `MENU_ACTIONS_PER_BOT_MAX`.
    pub fn build(self) -> Result<Bot<S>, BotError> {
        if let Some(e) = self.key_error {
            return Err(e);
        }
        check_handler_set(self.handlers.iter().map(|h| &h.meta))?;
        Ok(Bot {
            inner: Arc::new(Inner {
                handlers: self.handlers,
                config: self.config,
            }),
        })
    }
}

/// The rules a bot's handler set must satisfy.
pub(crate) fn check_handler_set<'a>(
    metas: impl Iterator<Item = &'a HandlerMeta>,
) -> Result<(), BotError> {
    let metas: Vec<&HandlerMeta> = metas.collect();
    let menus: Vec<&&HandlerMeta> = metas.iter().filter(|m| m.kind == crate::MENU).collect();
    if menus.len() > rules::MENU_ACTIONS_PER_BOT_MAX {
        return Err(BotError::TooManyMenuActions {
            count: menus.len(),
            max: rules::MENU_ACTIONS_PER_BOT_MAX,
        });
    }
    for (i, a) in metas.iter().enumerate() {
        for b in &metas[..i] {
            if a.kind != b.kind {
                continue;
            }
            if a.kind != crate::MENU {
                return Err(BotError::DuplicateHandler {
                    kind: a.kind,
                    first: b.function,
                    second: a.function,
                });
            }
            if a.name == b.name {
                return Err(BotError::DuplicateMenuName {
                    name: a.name.unwrap_or_default(),
                    first: b.function,
                    second: a.function,
                });
            }
        }
    }
    Ok(())
}

impl<S: Send + Sync + 'static> Bot<S> {
    /// Handles one request: always answers, never panics.
    pub async fn dispatch(&self, state: &S, request: WebhookRequest<'_>) -> WebhookResponse {
        match self.try_dispatch(state, request).await {
            Ok(body) => WebhookResponse::json(StatusCode::OK, &body),
            Err(rejection) => {
                tracing::warn!(
                    code = rejection.code(),
                    "cliq webhook request refused: {rejection}"
                );
                WebhookResponse::json(rejection.status(), &rejection.to_json())
            }
        }
    }

    fn find(
        &self,
        rule: &'static rules::HandlerRule,
        env: &Envelope,
    ) -> Result<&Handler<S>, Rejection> {
        let mut of_kind = self
            .inner
            .handlers
            .iter()
            .filter(|h| h.meta.kind == rule.name);
        if rule.name != crate::MENU {
            return of_kind
                .next()
                .ok_or_else(|| Rejection::HandlerNotRegistered(rule.name.to_owned()));
        }
        let menus: Vec<&Handler<S>> = of_kind.collect();
        if menus.is_empty() {
            return Err(Rejection::HandlerNotRegistered(rule.name.to_owned()));
        }
        match env.action_name() {
            Some(name) => menus
                .into_iter()
                .find(|h| h.meta.name == Some(name))
                .ok_or_else(|| Rejection::UnknownMenuAction(name.to_owned())),
            None if menus.len() == 1 => Ok(menus[0]),
            None => Err(Rejection::MissingContext {
                field: "handler.name",
                hint: " (the menu action's name; this bot has several)",
            }),
        }
    }

    async fn try_dispatch(
        &self,
        state: &S,
        request: WebhookRequest<'_>,
    ) -> Result<Value, Rejection> {
        let config = &self.inner.config;
        if request.body.len() > config.max_body_bytes {
            return Err(Rejection::PayloadTooLarge {
                limit: config.max_body_bytes,
            });
        }
        if let Some(secret) = &config.secret {
            secret.check(request.headers, request.query)?;
        }
        if let Some(sig) = &config.signature {
            sig.check(request.headers, request.body)?;
        }
        let env: Envelope = serde_json::from_slice(request.body)
            .map_err(|e| Rejection::MalformedJson(e.to_string()))?;
        if let Some(component) = env.component.as_deref() {
            if component != "bot" {
                return Err(Rejection::UnsupportedComponent(component.to_owned()));
            }
        }
        let wire = env.handler_type().ok_or(Rejection::MissingHandlerType)?;
        let rule = resolve_handler_type(wire)
            .ok_or_else(|| Rejection::UnknownHandlerType(wire.to_owned()))?;
        let handler = self.find(rule, &env)?;
        let params = env.params.as_ref().ok_or(Rejection::MissingParams)?;
        let invocation = Invocation {
            envelope: &env,
            params,
            headers: request.headers,
            state,
            rule,
        };
        let future = (handler.call)(&invocation)?;
        let function = handler.meta.function;
        let mut task = tokio::spawn(future);

        let late_url = env
            .response_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .filter(|u| {
                let ok = (config.url_policy)(u);
                if !ok {
                    tracing::warn!(url = %u, "ignoring response_url outside the allowed hosts");
                }
                ok
            });
        let joined = match late_url {
            None => task.await,
            Some(url) => {
                let window = self.remaining(env.timestamp);
                match tokio::time::timeout(window, &mut task).await {
                    Ok(joined) => joined,
                    Err(_) => {
                        tracing::info!(
                            handler = function,
                            "reply window spent; answering via response_url"
                        );
                        let sender = Arc::clone(&config.sender);
                        tokio::spawn(async move {
                            let body = match task.await {
                                Ok(output) => match finish(function, output) {
                                    Ok(body) => body,
                                    Err(_) => return,
                                },
                                Err(e) => {
                                    tracing::error!(handler = function, "handler task failed: {e}");
                                    return;
                                }
                            };
                            if let Err(e) = sender.send(url.to_string(), body).await {
                                tracing::error!(
                                    handler = function,
                                    "late reply not delivered: {e}"
                                );
                            }
                        });
                        return Ok(Output::Empty.to_body());
                    }
                }
            }
        };
        match joined {
            Ok(output) => finish(function, output),
            Err(e) => {
                tracing::error!(handler = function, "handler task failed: {e}");
                Err(Rejection::HandlerFailed)
            }
        }
    }

    /// Time left in Cliq's window for a request created at `timestamp`.
    fn remaining(&self, timestamp: Option<i64>) -> Duration {
        let c = &self.inner.config;
        let full = c.reply_budget.saturating_sub(c.reply_margin);
        let Some(ts) = timestamp else { return full };
        let elapsed = (c.clock)().saturating_sub(ts).max(0) as u64;
        full.saturating_sub(Duration::from_millis(elapsed))
    }
}

/// Hooks for [`crate::testing`]: a copy of the bot whose late replies go to `sender`, and
/// which authenticity checks it makes (shared secret, signature).
#[cfg(feature = "testing")]
impl<S> Bot<S> {
    pub(crate) fn for_testing(&self, sender: Arc<dyn LateReplySender>) -> (Bot<S>, bool, bool) {
        let mut config = self.inner.config.clone();
        config.sender = sender;
        let checks = (config.secret.is_some(), config.signature.is_some());
        let bot = Bot {
            inner: Arc::new(Inner {
                handlers: self.inner.handlers.clone(),
                config,
            }),
        };
        (bot, checks.0, checks.1)
    }
}

fn finish(function: &'static str, output: Output) -> Result<Value, Rejection> {
    match output {
        Output::Failed(msg) => {
            tracing::error!(handler = function, "handler failed: {msg}");
            Err(Rejection::HandlerFailed)
        }
        other => Ok(other.to_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(kind: &'static str, name: Option<&'static str>, function: &'static str) -> HandlerMeta {
        HandlerMeta {
            kind,
            permissions: &[],
            name,
            icon: None,
            sub_actions: &[],
            function,
        }
    }

    #[test]
    fn one_handler_per_type_except_menus() {
        let set = [
            meta("message_handler", None, "a"),
            meta("message_handler", None, "b"),
        ];
        assert!(matches!(
            check_handler_set(set.iter()),
            Err(BotError::DuplicateHandler {
                first: "a",
                second: "b",
                ..
            })
        ));
        let menus = [
            meta("menu_handler", Some("x"), "a"),
            meta("menu_handler", Some("y"), "b"),
        ];
        assert!(check_handler_set(menus.iter()).is_ok());
        let same = [
            meta("menu_handler", Some("x"), "a"),
            meta("menu_handler", Some("x"), "b"),
        ];
        assert!(matches!(
            check_handler_set(same.iter()),
            Err(BotError::DuplicateMenuName { .. })
        ));
        let six: Vec<HandlerMeta> = ["1", "2", "3", "4", "5", "6"]
            .iter()
            .map(|n| meta("menu_handler", Some(n), n))
            .collect();
        assert!(matches!(
            check_handler_set(six.iter()),
            Err(BotError::TooManyMenuActions { count: 6, max: 5 })
        ));
    }

    #[test]
    fn zoho_urls_only_by_default() {
        let ok = |s: &str| is_zoho_url(&url::Url::parse(s).unwrap());
        assert!(ok("https://cliq.zoho.com/v2/extensions/1/responses/2"));
        assert!(ok("https://cliq.zoho.eu/x"));
        assert!(!ok("http://cliq.zoho.com/x"));
        assert!(!ok("https://evil.example/x"));
        assert!(!ok("https://notzoho.com/x"));
    }
}
