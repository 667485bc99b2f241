//! The bot value and the framework-neutral request and response.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use super::settings::Settings;
use crate::handler::{Handler, HandlerMeta};

/// A webhook app: the handlers of its bots, commands, message actions and functions, its
/// settings and state `S` ([`App::with_state`]). Cheap to clone
/// (one `Arc`). A [`tower::Service`] for `http::Request`s: mount it with
/// `axum::Router::route_service("/cliq", bot)`.
pub struct App<S = ()> {
    pub(super) inner: Arc<Inner<S>>,
}

pub(super) struct Inner<S> {
    /// The bots the handlers name (`bot = "..."`), distinct, in registration order; empty
    /// when no handler names one.
    pub(super) bots: Box<[&'static str]>,
    pub(super) handlers: Vec<Handler<S>>,
    pub(super) settings: Settings,
    pub(super) state: S,
}

impl<S> Clone for App<S> {
    fn clone(&self) -> Self {
        App {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<S> std::fmt::Debug for App<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("handlers", &self.inner.handlers)
            .finish_non_exhaustive()
    }
}

impl<S> App<S> {
    /// The declared handlers, in registration order.
    pub fn handlers(&self) -> impl Iterator<Item = &HandlerMeta> {
        self.inner.handlers.iter().map(|h| &h.meta)
    }

    /// The unique names of the bots this app serves, as its bot handlers name them
    /// (`#[cliq_handler(bot = "...")]`), in registration order; empty when they name none
    /// (an app serving one bot, whatever its name).
    pub fn bots(&self) -> &[&'static str] {
        &self.inner.bots
    }

    /// The bot's state.
    pub fn state(&self) -> &S {
        &self.inner.state
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
    /// The body parsed back (tests, logging).
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Hook for [`crate::testing`]'s fake Cliq: a copy of the bot whose `CliqClient`s call
/// `base_url` (with the bot's credentials, or a test token).
#[cfg(all(feature = "testing", feature = "client"))]
impl<S: Clone> App<S> {
    pub(crate) fn with_cliq_base_url(&self, base_url: String) -> App<S> {
        let mut settings = self.inner.settings.clone();
        let connector = settings.cliq.take().unwrap_or_else(|| {
            crate::connector::Connector::with_token(cliq_runtime::TokenSource::static_token(
                "test-kit-token",
            ))
        });
        settings.cliq = Some(connector.redirected(base_url));
        App {
            inner: Arc::new(Inner {
                bots: self.inner.bots.clone(),
                handlers: self.inner.handlers.clone(),
                settings,
                state: self.inner.state.clone(),
            }),
        }
    }
}

/// Hooks for [`crate::testing`]: a copy of the bot whose late replies go to `sender`, and
/// which authenticity checks it makes (shared secret, signature).
#[cfg(feature = "testing")]
impl<S: Clone> App<S> {
    pub(crate) fn for_testing(
        &self,
        sender: Arc<dyn super::LateReplySender>,
    ) -> (App<S>, bool, bool) {
        let mut settings = self.inner.settings.clone();
        settings.sender = Some(sender);
        let checks = (settings.secret.is_some(), settings.signature.is_some());
        let bot = App {
            inner: Arc::new(Inner {
                bots: self.inner.bots.clone(),
                handlers: self.inner.handlers.clone(),
                settings,
                state: self.inner.state.clone(),
            }),
        };
        (bot, checks.0, checks.1)
    }
}
