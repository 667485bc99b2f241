//! Zoho Cliq webhook bots in Rust, with handler rules checked by the compiler.
//!
//! ```
//! use cliq_webhook::{cliq_handler, extract::{Message, User}, Bot, Reply};
//!
//! #[cliq_handler(type = "message_handler", permissions(message, user))]
//! async fn echo(message: Message, user: User) -> Reply {
//!     Reply::text(format!("{} said: {}", user.first_name.unwrap_or_default(), message.text))
//! }
//!
//! # fn main() -> Result<(), cliq_webhook::BotError> {
//! let bot = Bot::builder().handler(echo {}).build()?;
//! let app: axum::Router = axum::Router::new().route_service("/cliq", bot);
//! # let _ = app;
//! # Ok(())
//! # }
//! ```
//!
//! - [`cliq_handler`] checks the component, handler type, its permissions and menu arguments
//!   against the rules generated from Cliq's v3 API documents ([`rules`]), each parameter
//!   ([`extract`]) against the declared permissions and the handler type's data, and the
//!   return type against its reply modes. The function stays as written (call it
//!   in unit tests); `echo {}`, an item the attribute puts beside it, registers it
//!   ([`IntoHandler`]).
//! - [`App`] (also named [`Bot`]) holds the handlers of any number of bots, slash commands,
//!   message actions and functions (`#[cliq_handler(component = function, ...)]`), settings
//!   and state ([`AppBuilder::build`] enforces one handler per type, per component name, and
//!   the menu limits) and is a [`tower::Service`]: mount it with axum's
//!   `route_service`, layer it with `tower::ServiceBuilder`, or serve it with hyper. The
//!   module docs of [`bot`] give the dispatch steps, the protocol's open questions and the
//!   readings chosen; `docs/webhook-protocol.md` in the repository gives the protocol with a
//!   public source for each claim.
//! - [`config`]: [`Bot::config`], the declared handler configuration with a stable hash, and
//!   (feature `client`) its diff against Cliq's (`cargo cliq diff` / `push`).
//! - `testing` (feature `testing`): fake Cliq requests sent through the same service.
//!
//! **Features.** `client` (default): the default late-reply sender and config drift, through
//! `reqwest` and the generated Bots client `cliq-api`. A bot that never calls Cliq can turn it
//! off (`default-features = false`) and compiles neither; it then sends no late replies unless
//! given a [`LateReplySender`](bot::LateReplySender). `testing`: the test kit.

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod bot;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod cliq_client;
pub mod config;
#[cfg(feature = "client")]
mod connector;
pub mod envelope;
pub mod error;
pub mod extract;
pub mod handler;
pub mod reply;
pub mod target;
pub use cliq_rules as rules;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use bot::{App, AppBuilder, Bot, BotBuilder, WebhookRequest, WebhookResponse};
pub use cliq_macros::cliq_handler;
/// The typed message content (`cliq-message`): cards, buttons, slides, mentions, forms and
/// Cliq's limits. `#[derive(CliqForm)]` expands to paths in `::cliq_message`, so a bot that
/// derives forms depends on `cliq-message` itself.
pub use cliq_message as message;
pub use cliq_message::{ExternalFunction, FormTarget, FunctionTarget};
pub use config::BotConfig;
pub use error::{BotError, Rejection};
pub use handler::{Handler, HandlerMeta, IntoHandler};
pub use reply::{
    Banner, Button, Card, Context, Deferred, Form, FormErrors, FormModification, IntoReply, Output,
    Reply, ReplyMode, SelectOptions, Slide, Suggestion, Suggestions,
};

/// Support for `#[cliq_handler]`'s expansion. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::extract::{Extractor, FromInvocation, Invocation};
    pub use crate::handler::{Handler, HandlerMeta, HandlerResult, IntoHandler};
    pub use crate::reply::{BoxFuture, IntoReply, ReplyMode};
    pub use crate::rules::{HandlerKind, Permission};
    pub use crate::target::FunctionTarget;

    /// `const` check: does the extractor need `perm`?
    pub const fn needs(value: Option<Permission>, perm: Permission) -> bool {
        match value {
            Some(v) => v as usize == perm as usize,
            None => false,
        }
    }

    /// `const` check: is the extractor's data (its `HANDLERS`; empty: any kind's) sent to a
    /// `kind` handler?
    pub const fn data_of(kinds: &[HandlerKind], kind: HandlerKind) -> bool {
        kinds.is_empty() || crate::rules::kinds_contain(kinds, kind)
    }
}
