//! Per-operation metadata emitted by the generator.

use std::fmt;
use std::time::Duration;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as an [`http::Method`].
    pub fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110
    /// §9.2.2): `GET`, `PUT`, `DELETE`.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    /// Upper-case method name, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Per-operation metadata; the generator emits one `pub const` per operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// Wire `operationId`, e.g. `"Trigger Bot Calls"`.
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `"/bots/{BOT_UNIQUE_NAME}/handlers"`.
    pub path: &'static str,
    /// OAuth scopes from the operation's `security` requirement.
    pub scopes: &'static [&'static str],
    /// Documented rate limit ("Threshold limit" / "Lock period"), if any.
    pub rate_limit: Option<RateLimit>,
}

/// A documented rate limit, e.g. "Threshold limit: 10 requests per min per user,
/// Lock period: 5 minutes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Number of requests allowed per [`window`](Self::window).
    pub requests: u32,
    /// Length of the window (`per min` → 60 s).
    pub window: Duration,
    /// What the limit is counted per, verbatim (`"user"`); `""` if the spec does not say.
    pub per: &'static str,
    /// How long Cliq locks the caller out after exceeding the threshold.
    pub lock_period: Option<Duration>,
}

/// Implemented by each generated per-operation error-code enum
/// (documented codes plus an `Other(String)` fallback).
pub trait ErrorCode: fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// Map a wire code (the `code` field of a Cliq error body) to the enum.
    fn from_code(code: &str) -> Self;
    /// The wire code.
    fn as_str(&self) -> &str;
}

/// Error-code type for callers of [`crate::Client::execute`] that have no generated enum:
/// keeps the wire code as a string.
impl ErrorCode for String {
    fn from_code(code: &str) -> Self {
        code.to_owned()
    }
    fn as_str(&self) -> &str {
        self
    }
}
