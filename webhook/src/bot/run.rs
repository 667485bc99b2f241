//! A running handler: its caught panic, its failure, as dispatch and late replies both see it.

use std::panic::AssertUnwindSafe;

use futures::future::CatchUnwind;

use crate::error::Rejection;
use crate::reply::{BoxFuture, Output, Repr};

/// A running handler whose panic is caught and reported, never propagated.
pub(super) type Running = CatchUnwind<AssertUnwindSafe<BoxFuture<'static, Output>>>;

/// The message of a caught panic, when it carries one.
pub(super) fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// The output to answer with; a failed handler is logged and becomes a 500.
pub(super) fn finish(function: &'static str, output: Output) -> Result<Output, Rejection> {
    match output.0 {
        Repr::Failed(msg) => {
            tracing::error!(handler = function, "handler failed: {msg}");
            Err(Rejection::HandlerFailed)
        }
        other => Ok(Output(other)),
    }
}
