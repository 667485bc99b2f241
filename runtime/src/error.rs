//! The one error type every generated operation returns.

use std::fmt;
use std::time::Duration;

use crate::meta::{ErrorCode, RateLimit};

/// Why a call was refused with [`Error::RateLimited`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitOrigin {
    /// The server answered `429 Too Many Requests`.
    Server,
    /// The client refused to send: an earlier `429` for this operation put it in its
    /// lock period, which has not ended yet.
    LockPeriod,
}

/// Everything that can go wrong calling a Cliq operation.
///
/// `E` is the operation's generated error-code enum (see [`ErrorCode`]), so
/// `Error::Api { code: Some(ListBotsErrorCode::…), .. }` can be matched directly.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be sent or the response not read (DNS, TLS, connection reset…).
    Transport {
        /// Wire `operationId`.
        operation: &'static str,
        /// Underlying error (its URL never carries secrets).
        source: reqwest::Error,
    },
    /// The call did not complete within the client's timeout, which bounds the whole call:
    /// token refresh, every send and the backoff between resends (only waits in the opt-in
    /// client-side rate limiter are not counted).
    Timeout {
        /// Wire `operationId`.
        operation: &'static str,
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The server answered with a non-success status.
    Api {
        /// Wire `operationId`.
        operation: &'static str,
        /// HTTP status code.
        status: u16,
        /// The operation's typed Cliq error code (`code` of the error body), if any.
        code: Option<E>,
        /// Human-readable `message` of the error body, if any.
        message: Option<String>,
        /// The raw response body, verbatim (lossily decoded as UTF-8).
        body: String,
    },
    /// A success body could not be decoded into the expected type.
    Decode {
        /// HTTP status code.
        status: u16,
        /// The raw response body, verbatim (lossily decoded as UTF-8).
        body: String,
        /// The decoding error.
        source: serde_json::Error,
    },
    /// Rate limited: by the server (`429`) or locally during a lock period.
    RateLimited {
        /// Wire `operationId`.
        operation: &'static str,
        /// How long to wait before retrying: the server's `Retry-After` (seconds or a date,
        /// at most a day) if it sent one, else the operation's documented lock period.
        retry_after: Option<Duration>,
        /// The operation's documented rate limit, if any.
        limit: Option<RateLimit>,
        /// Server answer or local refusal.
        origin: RateLimitOrigin,
        /// The raw `429` body (empty for a local refusal).
        body: String,
    },
    /// The response body grew past the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// reading stopped there and the connection was dropped.
    ResponseTooLarge {
        /// Wire `operationId`.
        operation: &'static str,
        /// HTTP status code of the response.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// No usable access token (for example the refresh-token flow failed).
    Auth(AuthError),
    /// The request body could not be serialized.
    Encode(serde_json::Error),
}

impl<E> Error<E> {
    /// HTTP status of the response, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::RateLimited {
                origin: RateLimitOrigin::Server,
                ..
            } => Some(429),
            Error::Auth(e) => e.status,
            _ => None,
        }
    }

    /// The typed Cliq error code, if the server sent one.
    pub fn code(&self) -> Option<&E> {
        match self {
            Error::Api { code, .. } => code.as_ref(),
            _ => None,
        }
    }

    /// The server's human-readable error message, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } => message.as_deref(),
            Error::Auth(e) => Some(&e.message),
            _ => None,
        }
    }

    /// The raw response body, if a response was received.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } | Error::Decode { body, .. } => Some(body),
            Error::RateLimited { body, .. } if !body.is_empty() => Some(body),
            _ => None,
        }
    }

    /// For [`Error::RateLimited`]: how long to wait before retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether this is [`Error::RateLimited`].
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// Whether this is [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
}

impl<E: ErrorCode> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { operation, source } => {
                write!(f, "`{operation}`: transport error: {source}")
            }
            Error::Timeout { operation, after } => {
                write!(f, "`{operation}`: no response within {after:?}")
            }
            Error::Api {
                operation,
                status,
                code,
                message,
                body,
            } => {
                write!(f, "`{operation}`: HTTP {status}")?;
                if let Some(code) = code {
                    write!(f, " ({})", code.as_str())?;
                }
                match message {
                    Some(m) => write!(f, ": {m}"),
                    None if !body.is_empty() => write!(f, ": {}", truncate(body, 300)),
                    None => Ok(()),
                }
            }
            Error::Decode {
                status,
                body,
                source,
            } => write!(
                f,
                "HTTP {status} response body could not be decoded ({source}): {}",
                truncate(body, 300)
            ),
            Error::RateLimited {
                operation,
                retry_after,
                limit,
                origin,
                ..
            } => {
                match origin {
                    RateLimitOrigin::Server => {
                        write!(f, "`{operation}`: rate limited by Cliq (HTTP 429)")?
                    }
                    RateLimitOrigin::LockPeriod => write!(
                        f,
                        "`{operation}`: not sent, still in the lock period after an HTTP 429"
                    )?,
                }
                if let Some(limit) = limit {
                    write!(
                        f,
                        "; documented limit {} requests per {:?}",
                        limit.requests, limit.window
                    )?;
                    if !limit.per.is_empty() {
                        write!(f, " per {}", limit.per)?;
                    }
                }
                match retry_after {
                    Some(d) => write!(f, "; retry after {d:?}"),
                    None => Ok(()),
                }
            }
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "`{operation}`: HTTP {status} response body larger than the limit of {limit} bytes"
            ),
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
            Error::Encode(e) => write!(f, "request body could not be serialized: {e}"),
        }
    }
}

impl<E: ErrorCode> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            Error::Auth(e) => Some(e),
            Error::Encode(e) => Some(e),
            _ => None,
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Obtaining an access token failed. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthError {
    /// The accounts server that was asked (e.g. `https://accounts.zoho.eu`), if any.
    pub accounts_url: Option<String>,
    /// HTTP status of the accounts server's answer, if one was received.
    pub status: Option<u16>,
    /// OAuth error code (e.g. `invalid_code`, `invalid_client`), if the server sent one.
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl AuthError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        AuthError {
            accounts_url: None,
            status: None,
            code: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(url) = &self.accounts_url {
            write!(f, "token refresh at {url}")?;
            if let Some(status) = self.status {
                write!(f, " (HTTP {status})")?;
            }
            write!(f, ": ")?;
        }
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(&self.message)?;
        if matches!(
            self.code.as_deref(),
            Some("invalid_code" | "invalid_client" | "invalid_client_secret")
        ) {
            f.write_str(
                " (Zoho OAuth tokens and clients are bound to the data center that issued \
                 them: check that the configured data center matches your Cliq URL, \
                 e.g. cliq.zoho.eu → DataCenter::Eu)",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}
