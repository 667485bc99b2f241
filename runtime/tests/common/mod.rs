//! Shared by the runtime's integration tests: operation metadata and a log capture.
#![allow(dead_code)] // each test binary uses its own part

use std::io;
use std::sync::{Arc, Mutex};

use cliq_runtime::{Method, OperationMeta};

/// A `GET` (idempotent, resent after transient failures by default).
pub const GET_BOTS: OperationMeta = OperationMeta {
    operation_id: "list_all_bots",
    method: Method::Get,
    path: "/bots",
    scopes: &[],
    rate_limit: None,
};

/// A `POST` (not idempotent, never resent by default).
pub const POST_MESSAGE: OperationMeta = OperationMeta {
    operation_id: "send_a_bot_message",
    method: Method::Post,
    path: "/bots/b/messages",
    scopes: &[],
    rate_limit: None,
};

/// A `tracing_subscriber` writer that keeps everything written.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
