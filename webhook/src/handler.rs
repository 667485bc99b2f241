//! A handler value: what `#[cliq_handler]` declared plus the adapter it generated, and
//! [`IntoHandler`], how a bot takes one.

use std::fmt;
use std::sync::Arc;

use crate::error::Rejection;
use crate::extract::Invocation;
use crate::reply::{BoxFuture, Output};
use crate::rules::{HandlerKind, Permission};

/// Not public API (the macro's adapters return it). What a handler adapter yields: the running handler (extraction succeeded), or why the
/// request was refused before the function could run.
#[doc(hidden)]
pub type HandlerResult = Result<BoxFuture<'static, Output>, Rejection>;

type Adapter<S> = dyn for<'a> Fn(&Invocation<'a, S>) -> HandlerResult + Send + Sync;

/// Everything `#[cliq_handler(...)]` declared: what Cliq is told about the handler and what
/// dispatch routes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HandlerMeta {
    /// The component and handler type (`HandlerKind::BotMenu`).
    pub kind: HandlerKind,
    /// Declared permissions, in declaration order.
    pub permissions: &'static [Permission],
    /// Menu action label (bot menu handlers), or the name of the command, message action or
    /// function the handler serves (the request's `name`); `None` for other bot handlers.
    pub name: Option<&'static str>,
    /// Menu action icon, `{icon-name}/{HEX_COLOR}` (menu handlers).
    pub icon: Option<&'static str>,
    /// Menu sub-action names (menu handlers).
    pub sub_actions: &'static [&'static str],
    /// The Rust function's name, for error messages.
    pub function: &'static str,
    /// The unique name of the bot a bot handler belongs to (`bot = "..."`, the request's
    /// `unique_name`); `None` for a handler that names no bot (an app serving one bot) and
    /// for commands, message actions and functions.
    pub bot: Option<&'static str>,
}

impl HandlerMeta {
    /// Used by the macro's expansion; not public API.
    #[doc(hidden)]
    pub const fn __new(
        kind: HandlerKind,
        permissions: &'static [Permission],
        name: Option<&'static str>,
        icon: Option<&'static str>,
        sub_actions: &'static [&'static str],
        function: &'static str,
    ) -> Self {
        HandlerMeta {
            kind,
            permissions,
            name,
            icon,
            sub_actions,
            function,
            bot: None,
        }
    }

    /// Used by the macro's expansion (`bot = "..."`); not public API.
    #[doc(hidden)]
    pub const fn __bot(mut self, bot: &'static str) -> Self {
        self.bot = Some(bot);
        self
    }

    /// The handler type's name in its spec (`"menu_handler"`).
    pub const fn handler_type(&self) -> &'static str {
        self.kind.handler_type()
    }
}

/// A bot handler, ready to register: what [`IntoHandler`] makes of the item that
/// `#[cliq_handler]` puts beside a function (`Bot::builder().handler(deploy {})`).
pub struct Handler<S> {
    pub(crate) meta: HandlerMeta,
    pub(crate) call: Arc<Adapter<S>>,
}

impl<S> Clone for Handler<S> {
    fn clone(&self) -> Self {
        Handler {
            meta: self.meta,
            call: Arc::clone(&self.call),
        }
    }
}

impl<S> fmt::Debug for Handler<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler").field("meta", &self.meta).finish()
    }
}

impl<S> Handler<S> {
    /// Used by the macro's expansion; not public API.
    #[doc(hidden)]
    pub fn __new<F>(meta: HandlerMeta, call: F) -> Self
    where
        F: for<'a> Fn(&Invocation<'a, S>) -> HandlerResult + Send + Sync + 'static,
    {
        Handler {
            meta,
            call: Arc::new(call),
        }
    }

    /// What the attribute declared.
    pub fn meta(&self) -> &HandlerMeta {
        &self.meta
    }
}

/// What [`BotBuilder::handler`](crate::BotBuilder::handler) takes: the registration item
/// `#[cliq_handler]` puts beside each handler function, in the type namespace under the
/// function's own name (as Rocket's route attributes do). The function stays as written, so it
/// can be called, unit-tested and found by go-to-definition; `name {}` registers it:
///
/// ```
/// use cliq_webhook::{cliq_handler, extract::Message, Bot, Reply};
///
/// #[cliq_handler(type = "message_handler", permissions(message))]
/// async fn echo(message: Message) -> Reply {
///     Reply::text(message.text)
/// }
///
/// # fn main() -> Result<(), cliq_webhook::BotError> {
/// let bot = Bot::builder().handler(echo {}).build()?; // the registration item
/// # let _ = bot;
/// # Ok(())
/// # }
/// # async fn unit_test() {
/// let reply = echo(Message::new("hi")).await; // the function, as written
/// # let _ = reply;
/// # }
/// ```
///
/// `S` is the bot's state type ([`Bot::with_state`](crate::Bot::with_state)); a handler
/// that takes [`BotState<T>`](crate::extract::BotState) needs `T: FromRef<S>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a registration item of a `#[cliq_handler]` function for a bot with state `{S}`",
    label = "expected `name {{}}`, the item `#[cliq_handler]` puts beside the function `name`",
    note = "register a handler function `name` with `.handler(name {{}})`; a function without `#[cliq_handler]` cannot be registered"
)]
pub trait IntoHandler<S> {
    /// The handler, with its metadata and dispatch adapter.
    fn into_handler(self) -> Handler<S>;
}

impl<S> IntoHandler<S> for Handler<S> {
    fn into_handler(self) -> Handler<S> {
        self
    }
}
