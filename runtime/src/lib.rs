//! Hand-written HTTP runtime for the generated Zoho Cliq clients (`cliq-api`).
//!
//! The generated crate renders paths and bodies and calls [`Client::execute`];
//! this crate does everything else a production client needs:
//!
//! * **Data centers**: every Zoho data center hosting Cliq ([`DataCenter::ALL`]) plus a
//!   custom base URL for tests and proxies, and Cliq networks
//!   (`/network/{NETWORK_UNIQUE_NAME}`).
//! * **Auth**: `Authorization: Bearer <token>` (the spec's scheme) or
//!   `Zoho-oauthtoken <token>` ([`AuthScheme`]); a static token or a refresh-token flow
//!   against the accounts server of the same data center ([`TokenSource`]). Refreshes are
//!   single-flight (callers waiting on a refresh that fails get its error; the accounts
//!   server is asked once) and also triggered by a `401` saying the token is invalid or expired.
//!   A webhook token (`zapikey`, [`TokenSource::webhook_token`]) is sent as the `zapikey`
//!   query parameter instead. Secrets never show in `Debug`, logs or errors ([`Secret`]).
//! * **Errors**: one matchable [`Error`] type carrying the operation's typed Cliq error code.
//! * **Rate limits**: every operation's documented threshold ([`RateLimit`]); a `429`
//!   becomes [`Error::RateLimited`] with the time after which a retry is allowed, and an
//!   opt-in client-side limiter keeps a caller under each documented threshold.
//! * **Retries**: connection failures and `502`/`503`/`504` are resent with exponential
//!   backoff and jitter, for idempotent methods by default ([`RetryPolicy`]).
//! * **Timeouts and limits**: the timeout ([`DEFAULT_TIMEOUT`]) bounds a whole call, token
//!   refresh, resends and backoff included ([`Error::Timeout`]); a response body over
//!   [`DEFAULT_MAX_RESPONSE_BYTES`] ends the call ([`Error::ResponseTooLarge`]).
//! * **Redirects**: followed within the same origin only; a redirect to another server is
//!   returned as [`Error::Api`] with its 3xx status, so nothing meant for Cliq goes elsewhere.
//! * **Per-call control**: [`Client::with_options`] is a view of the client whose calls use
//!   their own timeout, retry policy and extra headers ([`CallOptions`]);
//!   [`with_raw_response`] returns any call's raw response (status, headers, body) beside its
//!   typed result.
//! * **Pagination**: [`paginate`] follows `next_token` to the end.
//! * **Environment**: [`env::client_from_env`] builds a client from `CLIQ_DATA_CENTER`,
//!   `CLIQ_ACCESS_TOKEN` (or the refresh-token triple) and friends.
//! * **Bot names**: [`BotName`] accepts a unique name or a copied bot API endpoint URL.
//! * **Tracing**: one `cliq.request` span per call (operation id, method, path, status,
//!   latency).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cliq_runtime::{Client, DataCenter, TokenSource};
//! let client = Client::builder()
//!     .data_center(DataCenter::Eu)
//!     .token(TokenSource::static_token("1000.xxxx"))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
#![deny(missing_docs)]

mod auth;
mod bot_name;
mod client;
pub mod de;
mod deadline;
pub mod env;
mod error;
mod limiter;
mod meta;
mod options;
mod pagination;
mod request;
mod retry;

pub use auth::{AuthScheme, RefreshToken, Secret, TokenSource};
pub use bot_name::{encode_path_segment, BotName};
pub use client::{
    BuildError, Client, ClientBuilder, ResponseInfo, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
};
pub use cliq_rules::{DataCenter, ParseDataCenterError};
pub use error::{AuthError, Error, RateLimitOrigin};
pub use meta::{ErrorCode, Method, OperationMeta, RateLimit};
pub use options::{with_raw_response, CallOptions};
pub use pagination::{paginate, paginate_pages, Page};
pub use request::{FilePart, Multipart, RawResponse, Request};
pub use retry::RetryPolicy;
