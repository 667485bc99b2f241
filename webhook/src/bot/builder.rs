//! Assembling a bot: its configuration, [`BotBuilder`] and the handler-set rules.

use std::sync::Arc;
use std::time::Duration;

use super::late_reply::{is_zoho_url, HttpLateReplySender, LateReplySender};
use super::{Bot, Inner};
use crate::auth::{ReplayGuard, SharedSecret, SignatureCheck};
use crate::error::BotError;
use crate::handler::{Handler, HandlerMeta};
use crate::rules;

/// Default body limit: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Cliq's synchronous reply window, counted from the envelope's `timestamp`.
pub const DEFAULT_REPLY_BUDGET: Duration = Duration::from_secs(15);
/// How far a signed request's `timestamp` may lie from now before it is refused as stale
/// (either side, for clock skew); see [`BotBuilder::replay_window`].
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Time kept in hand for the network before the window closes.
pub const DEFAULT_REPLY_MARGIN: Duration = Duration::from_millis(1500);

pub(super) type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;
pub(super) type UrlPolicy = Arc<dyn Fn(&url::Url) -> bool + Send + Sync>;

#[derive(Clone)]
pub(super) struct Config {
    pub(super) max_body_bytes: usize,
    pub(super) secret: Option<SharedSecret>,
    pub(super) signature: Option<SignatureCheck>,
    pub(super) replay_window: Duration,
    pub(super) replay: Arc<ReplayGuard>,
    pub(super) reply_budget: Duration,
    pub(super) reply_margin: Duration,
    pub(super) clock: Clock,
    pub(super) sender: Arc<dyn LateReplySender>,
    pub(super) url_policy: UrlPolicy,
}

fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Assembles a [`Bot`]; rule violations surface from [`BotBuilder::build`].
pub struct BotBuilder<S> {
    pub(super) handlers: Vec<Handler<S>>,
    config: Config,
    key_error: Option<BotError>,
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
                replay_window: DEFAULT_REPLAY_WINDOW,
                replay: Arc::new(ReplayGuard::default()),
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
    ///
    /// Turning verification on also turns on **replay protection**: the envelope's
    /// `timestamp` must be present and lie within [`Self::replay_window`] of the clock
    /// (either side), else the request is refused with 401 `stale_request`; and a signature
    /// already accepted within the window is refused with 409 `replayed_request` (a repeated
    /// delivery). No handler runs for either.
    ///
    /// **Without signature verification there is no replay protection**: the body is not
    /// authenticated, so an attacker could rewrite `timestamp` anyway, and identical
    /// unsigned bodies are legitimately possible. A shared secret alone proves only that the
    /// sender knows the secret; anyone who captured one request can send it again. Use a
    /// signature (or a proxy that verifies one) on a public endpoint.
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

    /// How far a signed request's `timestamp` may lie from the clock, either side (default
    /// [`DEFAULT_REPLAY_WINDOW`], 5 minutes). Repeated signatures are remembered for this
    /// long after their timestamp, then forgotten (memory stays bounded by the requests of
    /// one window). Only used with signature verification; see
    /// [`Self::signature_public_key`].
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.config.replay_window = window;
        self
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

    /// The clock, in milliseconds since the epoch (tests): used for the reply deadline and the
    /// replay window.
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
}
