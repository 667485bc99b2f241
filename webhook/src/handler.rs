//! A handler value: metadata from `#[cliq_handler]` plus the adapter it generated.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::Rejection;
use crate::extract::Invocation;
use crate::reply::Output;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a handler adapter yields: the running handler (extraction succeeded), or why the
/// request was refused before the function could run.
pub type HandlerResult = Result<BoxFuture<'static, Output>, Rejection>;

type Adapter<S> = dyn for<'a> Fn(&Invocation<'a, S>) -> HandlerResult + Send + Sync;

/// Everything `#[cliq_handler(...)]` declared: what Cliq is told at handler sync and what
/// dispatch routes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandlerMeta {
    /// Handler type, a `HANDLER_TYPE` enum value (`"menu_handler"`).
    pub kind: &'static str,
    /// Declared permissions, in declaration order.
    pub permissions: &'static [&'static str],
    /// Menu action label (menu handlers).
    pub name: Option<&'static str>,
    /// Menu action icon, `{icon-name}/{HEX_COLOR}` (menu handlers).
    pub icon: Option<&'static str>,
    /// Menu sub-action names (menu handlers).
    pub sub_actions: &'static [&'static str],
    /// The Rust function's name, for error messages.
    pub function: &'static str,
}

/// A bot handler, made by a `#[cliq_handler]` function: `Bot::builder().handler(deploy())`.
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
