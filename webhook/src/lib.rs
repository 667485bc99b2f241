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
//! let bot = Bot::builder().handler(echo()).build()?;
//! let app: axum::Router = axum::Router::new().route("/cliq", bot.method_router()).with_state(());
//! # let _ = app;
//! # Ok(())
//! # }
//! ```
//!
//! - [`cliq_handler`] checks the handler type, its permissions and menu arguments against
//!   the rules generated from Cliq's Bots API document ([`rules`]), and each parameter
//!   ([`extract`]) against the declared permissions.
//! - [`Bot`] collects handlers ([`BotBuilder::build`] enforces one per type and the menu
//!   limits) and dispatches requests ([`Bot::dispatch`], framework-neutral; [`Bot::router`]
//!   for axum). The module docs of [`bot`] list the protocol's open questions and the
//!   readings chosen; `docs/webhook-protocol.md` in the repository gives the protocol
//!   with a public source for each claim.
//! - [`sync`] pushes the declared handlers to Cliq through the generated client, so the code
//!   is the single source of truth for what Cliq sends.
//! - [`config`]: [`Bot::config`], the declared handler configuration with a stable hash, and
//!   its diff against Cliq's (`cargo cliq diff` / `push`).

#![deny(missing_docs)]

pub mod auth;
pub mod bot;
pub mod config;
pub mod envelope;
pub mod error;
pub mod extract;
pub mod handler;
pub mod reply;
mod router;
pub use cliq_rules as rules;
pub mod sync;
#[cfg(feature = "testing")]
pub mod testing;

pub use bot::{Bot, BotBuilder, WebhookRequest, WebhookResponse};
pub use cliq_macros::cliq_handler;
pub use config::BotConfig;
pub use error::{BotError, Rejection};
pub use handler::{Handler, HandlerMeta};
pub use reply::{
    Banner, Button, Card, Context, Deferred, Form, IntoReply, Output, Reply, ReplyMode, Slide,
};

/// The handler type with menu-only arguments and limits.
pub(crate) const MENU: &str = extract::handler_type("menu_handler");

/// Support for `#[cliq_handler]`'s expansion. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::extract::{Extractor, FromInvocation, Invocation};
    pub use crate::handler::{BoxFuture, Handler, HandlerMeta, HandlerResult};
    pub use crate::reply::{IntoReply, ReplyMode};

    /// `const` check: does the extractor's requirement name `name`?
    pub const fn is(value: Option<&'static str>, name: &str) -> bool {
        match value {
            Some(v) => crate::extract::str_eq(v, name),
            None => false,
        }
    }
}
