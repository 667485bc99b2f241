//! Assembling a bot: [`AppBuilder`] and the handler-set rules.

use std::sync::Arc;
use std::time::Duration;

use super::late_reply::{LateReplyError, LateReplySender};
use super::settings::Settings;
use super::types::{App, Inner};
use crate::auth::{SharedSecret, SignatureCheck};
use crate::error::BotError;
use crate::handler::Handler;
use crate::handler::{HandlerMeta, IntoHandler};
use crate::rules::{self, Component, HandlerKind};

const MENU: HandlerKind = HandlerKind::BotMenu;

/// Assembles an [`App`] (from [`App::builder`] or [`App::with_state`]); rule violations
/// surface from [`AppBuilder::build`].
pub struct AppBuilder<S> {
    handlers: Vec<Handler<S>>,
    settings: Settings,
    state: S,
    key_error: Option<BotError>,
}

impl App<()> {
    /// Starts a bot without state.
    pub fn builder() -> AppBuilder<()> {
        App::with_state(())
    }
}

impl<S> App<S> {
    /// Starts a bot whose handlers can read `state` (or any `T: FromRef<S>` of it) through
    /// the [`BotState`](crate::extract::BotState) extractor.
    pub fn with_state(state: S) -> AppBuilder<S> {
        AppBuilder {
            handlers: Vec::new(),
            settings: Settings::default(),
            state,
            key_error: None,
        }
    }
}

impl<S> AppBuilder<S> {
    /// Registers a handler: `name {}`, the registration item `#[cliq_handler]` puts beside the
    /// function `name` (see [`IntoHandler`]).
    pub fn handler(mut self, handler: impl IntoHandler<S>) -> Self {
        self.handlers.push(handler.into_handler());
        self
    }

    /// Largest accepted body (default [`DEFAULT_MAX_BODY_BYTES`](super::DEFAULT_MAX_BODY_BYTES)).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.settings.max_body_bytes = limit;
        self
    }

    /// Requires a shared secret in the execution URL's `token` query parameter or the
    /// `X-Webhook-Token` header (constant-time comparison).
    pub fn shared_secret(mut self, secret: impl AsRef<str>) -> Self {
        self.settings.secret = Some(SharedSecret::new(secret.as_ref()));
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
        self.settings.signature = Some(SignatureCheck::new(key));
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
    /// [`DEFAULT_REPLAY_WINDOW`](super::DEFAULT_REPLAY_WINDOW), 5 minutes). Repeated signatures are remembered for this
    /// long after their timestamp, then forgotten (memory stays bounded by the requests of
    /// one window). Only used with signature verification; see
    /// [`Self::signature_public_key`].
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.settings.replay_window = window;
        self
    }

    /// Cliq's synchronous window (default 15 s from `timestamp`).
    pub fn reply_budget(mut self, budget: Duration) -> Self {
        self.settings.reply_budget = budget;
        self
    }

    /// Time kept in hand before the window closes (default 1.5 s).
    pub fn reply_margin(mut self, margin: Duration) -> Self {
        self.settings.reply_margin = margin;
        self
    }

    /// The clock, in milliseconds since the epoch (tests): used for the reply deadline and the
    /// replay window.
    pub fn clock(mut self, now_ms: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.settings.clock = Arc::new(now_ms);
        self
    }

    /// How late replies are posted (default, with the `client` feature:
    /// [`HttpLateReplySender`](super::HttpLateReplySender); without it there is no default, and
    /// a bot without a sender treats every request as one without a `response_url`).
    pub fn late_reply_sender(mut self, sender: impl LateReplySender) -> Self {
        self.settings.sender = Some(Arc::new(sender));
        self
    }

    /// How long a handler that missed the reply window may still run (default
    /// [`DEFAULT_LATE_REPLY_DEADLINE`](super::DEFAULT_LATE_REPLY_DEADLINE), 15 minutes). At
    /// the deadline the handler is dropped and [`LateReplyError::HandlerTimedOut`] reported:
    /// a hung handler never holds a task forever.
    pub fn late_reply_deadline(mut self, deadline: Duration) -> Self {
        self.settings.late_reply_deadline = deadline;
        self
    }

    /// Called with every late reply that was not delivered (after it is logged): for metrics,
    /// alerts or tests.
    pub fn on_late_reply_error(
        mut self,
        observer: impl Fn(&LateReplyError) + Send + Sync + 'static,
    ) -> Self {
        self.settings.on_late_reply_error = Some(Arc::new(observer));
        self
    }

    /// Which `response_url`s may be posted to (default: [`is_cliq_url`](super::is_cliq_url),
    /// Cliq's own hosts only). Widen it only for a proxy or a test server you control.
    pub fn allow_response_url(
        mut self,
        policy: impl Fn(&url::Url) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.settings.url_policy = Arc::new(policy);
        self
    }

    /// The bot's credentials for calling Cliq from its handlers (feature `client`): a handler
    /// that takes a [`CliqClient`](crate::extract::CliqClient) gets a client with this token
    /// at the data center each request comes from. Clients are made on first use, one per
    /// data center, and kept.
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub fn credentials(mut self, token: cliq_runtime::TokenSource) -> Self {
        self.settings.cliq = Some(crate::connector::Connector::with_token(token));
        self
    }

    /// Like [`Self::credentials`], with the whole client configuration in hand: `make` gets
    /// the request's data center and returns the builder of its client (token, timeouts,
    /// limiter; a `base_url` for a proxy or a fake Cliq).
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub fn cliq_client(
        mut self,
        make: impl Fn(cliq_runtime::DataCenter) -> cliq_runtime::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.settings.cliq = Some(crate::connector::Connector::new(make));
        self
    }

    /// Checks the handler set against Cliq's rules, for each bot: one handler per non-menu
    /// type, menu actions uniquely named and at most `MENU_ACTIONS_PER_BOT_MAX`; one handler
    /// per type and name for commands, message actions and functions; and, when one bot
    /// handler names its bot (`bot = "..."`), every bot handler names one.
    pub fn build(self) -> Result<App<S>, BotError> {
        if let Some(e) = self.key_error {
            return Err(e);
        }
        check_handler_set(self.handlers.iter().map(|h| &h.meta))?;
        let bots = bot_names(self.handlers.iter().map(|h| &h.meta));
        Ok(App {
            inner: Arc::new(Inner {
                bots,
                handlers: self.handlers,
                settings: self.settings,
                state: self.state,
            }),
        })
    }
}

/// The distinct bot names the handlers give (`bot = "..."`), in registration order: what
/// dispatch resolves a bot request's `unique_name` against, once per app rather than per
/// request.
fn bot_names<'a>(metas: impl Iterator<Item = &'a HandlerMeta>) -> Box<[&'static str]> {
    let mut bots: Vec<&'static str> = Vec::new();
    for bot in metas.filter_map(|m| m.bot) {
        if !bots.contains(&bot) {
            bots.push(bot);
        }
    }
    bots.into_boxed_slice()
}

/// The rules an app's handler set must satisfy, for each bot it serves (by `bot = "..."`;
/// all of an app's bot handlers name their bot, or none does).
pub(crate) fn check_handler_set<'a>(
    metas: impl Iterator<Item = &'a HandlerMeta>,
) -> Result<(), BotError> {
    let metas: Vec<&HandlerMeta> = metas.collect();
    let of_bots = || {
        metas
            .iter()
            .filter(|m| m.kind.component() == Component::Bot)
    };
    if let Some(named) = of_bots().find(|m| m.bot.is_some()) {
        if let Some(unnamed) = of_bots().find(|m| m.bot.is_none()) {
            return Err(BotError::UnnamedBotHandler {
                function: unnamed.function,
                named: named.function,
                bot: named.bot.unwrap_or_default(),
            });
        }
    }
    for bot in bot_names(metas.iter().copied())
        .iter()
        .map(|b| Some(*b))
        .chain([None])
    {
        let count = metas
            .iter()
            .filter(|m| m.kind == MENU && m.bot == bot)
            .count();
        if count > rules::MENU_ACTIONS_PER_BOT_MAX {
            return Err(BotError::TooManyMenuActions {
                count,
                max: rules::MENU_ACTIONS_PER_BOT_MAX,
            });
        }
    }
    for (i, a) in metas.iter().enumerate() {
        for b in &metas[..i] {
            // Each bot has its own handler set.
            if a.kind != b.kind || a.bot != b.bot {
                continue;
            }
            let component = a.kind.component();
            if component != Component::Bot {
                if a.name == b.name {
                    return Err(BotError::DuplicateComponentHandler {
                        component: component.name(),
                        handler_type: a.handler_type(),
                        name: a.name.unwrap_or_default(),
                        first: b.function,
                        second: a.function,
                    });
                }
                continue;
            }
            if a.kind != MENU {
                return Err(BotError::DuplicateHandler {
                    handler_type: a.handler_type(),
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
        let kind = rules::declared(Component::Bot, kind)
            .or_else(|| rules::declared(Component::Function, kind))
            .map(|r| r.kind)
            .unwrap_or(HandlerKind::BotMessage);
        HandlerMeta::__new(kind, &[], name, None, &[], function)
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
        // Functions: one handler per type and name; two functions may share a type.
        let functions = [
            meta("button_handler", Some("approve"), "approve"),
            meta("button_handler", Some("reject"), "reject"),
            meta("message_handler", None, "echo"),
        ];
        assert!(check_handler_set(functions.iter()).is_ok());
        let twice = [
            meta("button_handler", Some("approve"), "a"),
            meta("button_handler", Some("approve"), "b"),
        ];
        assert!(matches!(
            check_handler_set(twice.iter()),
            Err(BotError::DuplicateComponentHandler {
                name: "approve",
                ..
            })
        ));
    }
}
