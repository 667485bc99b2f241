//! The bot: handlers plus configuration, and the framework-agnostic dispatch core
//! (`bytes in → response out`).
//!
//! Dispatch, step by step (each refusal is a 4xx JSON error and no handler runs):
//! 1. body size limit (413);
//! 2. opt-in authenticity: shared secret, `X-Cliq-Signature` (401);
//! 3. JSON parse into the lenient [`Envelope`](crate::envelope::Envelope) (400); with
//!    signature verification on, the replay check: `timestamp` within the replay window
//!    (401 `stale_request`) and a signature not seen before in it (409 `replayed_request`),
//!    see [`BotBuilder::signature_public_key`];
//! 4. `type` must be `bot` when present; the handler type (either vocabulary) must be known
//!    (400) and registered on this bot (404); menu actions match by name (404);
//! 5. `params` must be present (400) and every non-`Option` extractor must find its data
//!    (400 `missing_context`);
//! 6. the handler runs in place on the request's task (it moves to a task of its own only
//!    when it outlives the reply window); a panic or an `Err` return is a 500, logged.
//!
//! **Deadline.** Cliq waits about 15 s after `timestamp` for the synchronous reply (Zoho's
//! Python SDK switches to `response_url` after 15 000 ms). When the handler is still running
//! at `timestamp + budget - margin` and the request has an allowed `response_url`, dispatch
//! answers `{"output": {}}` at once and POSTs the handler's `{"output": …}` to
//! `response_url` when it finishes (the SDK posts the same wrapped body; Zoho does not
//! document the late body's shape, so this follows the SDK). Without a usable `response_url`
//! (the call handler's sample has none) the handler is awaited for the whole budget, no
//! longer: then the answer is 504 `handler_timed_out` and the handler is dropped, so a hung
//! handler never holds a request (Cliq has stopped waiting by then anyway). A missing `timestamp` counts
//! from arrival; a timestamp from the future never extends the budget. Only `https` URLs on
//! Zoho's Cliq domains are posted to by default (no request can make the bot POST
//! elsewhere); see [`BotBuilder::allow_response_url`].
//!
//! **Lenient readings where Zoho's documentation is silent or contradicts itself**: the
//! `menu_handler` + `message` contradiction follows the permissions table (rejected);
//! `sub_action` is read from the top level or from `params`, `""` meaning none; a menu
//! request without an action name goes to the bot's only menu handler when it has exactly
//! one; the incoming-webhook parameters are read from `params` or `param`; a missing
//! `type` is treated as `bot`.
//!
//! The protocol behind these steps (request and reply shapes, the window, `response_url`,
//! the authenticity checks, the open questions), each claim with its public source, is in
//! the repository's `docs/webhook-protocol.md`.

mod builder;
mod dispatch;
mod late_reply;

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::handler::Handler;

use builder::Config;
pub use builder::{
    BotBuilder, DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_WINDOW, DEFAULT_REPLY_BUDGET,
    DEFAULT_REPLY_MARGIN,
};
pub use late_reply::{is_zoho_url, HttpLateReplySender, LateReplySender};

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
