//! The HTTP client every generated operation goes through.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Auth, TokenError, WEBHOOK_TOKEN_PARAM};
use crate::deadline::{Deadline, Deadlines};
use crate::error::{Error, RateLimitOrigin};
use crate::limiter::{Lockouts, WindowLimiter, MAX_LOCK};
use crate::meta::{ErrorCode, OperationMeta};
use crate::options::{self, CallOptions};
use crate::request::{RawResponse, Request};
use crate::retry::{is_transient_error, is_transient_status, RetryPolicy};
use crate::DataCenter;

/// Default limit for a whole request (connect, send, read the full response).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest response body accepted (Cliq's answers are JSON documents far smaller).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

/// A Zoho Cliq API client: data center or base URL, network, token source, timeouts,
/// rate limiting. Cheap to clone (clones share the connection pool, token and limiter).
///
/// [`with_options`](Self::with_options) makes a view of the client whose calls use another
/// timeout, retry policy or extra headers; [`with_raw_response`](crate::with_raw_response)
/// returns any call's raw response beside its typed result.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The overrides of this view ([`Client::with_options`]); `None` for the client as built.
    options: Option<Arc<CallOptions>>,
}

/// What a response observer ([`ClientBuilder::on_response`]) sees of each response.
/// Never contains request headers or tokens.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// Wire `operationId`.
    pub operation_id: &'static str,
    /// HTTP method.
    pub method: crate::meta::Method,
    /// Full request URL (base URL, path and query).
    pub url: &'a str,
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: &'a HeaderMap,
    /// Raw response body.
    pub body: &'a [u8],
    /// Time since the call started (includes a token refresh or limiter wait, if any).
    pub latency: Duration,
}

type Observer = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

mod builder;
pub use builder::{BuildError, ClientBuilder};

struct Inner {
    observer: Option<Observer>,
    http: reqwest::Client,
    base_url: String,
    data_center: Option<DataCenter>,
    auth: Auth,
    timeout: Duration,
    limiter: Option<WindowLimiter>,
    lockouts: Lockouts,
    /// The timers of finished calls, for the next calls' deadlines.
    deadlines: Deadlines,
    header_names: Vec<HeaderName>,
    /// `Accept` and the custom headers: sent to the API only.
    headers: HeaderMap,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url)
            .field("data_center", &i.data_center)
            .field("auth", &i.auth)
            .field("timeout", &i.timeout)
            .field("rate_limiter", &i.limiter.is_some())
            .field("retry", &i.retry)
            .field("max_response_bytes", &i.max_response_bytes)
            .field("extra_headers", &i.header_names)
            .field("on_response", &i.observer.is_some())
            .field("call_options", &self.options)
            .finish()
    }
}

impl Client {
    /// The API root requests go to, network prefix included
    /// (e.g. `https://cliq.zoho.eu/network/acme/api/v3`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The data center, unless a custom base URL is used.
    pub fn data_center(&self) -> Option<DataCenter> {
        self.inner.data_center
    }

    /// The accounts server tokens are refreshed at (refresh-token sources only),
    /// e.g. `https://accounts.zoho.eu`.
    pub fn accounts_url(&self) -> Option<&str> {
        self.inner.auth.accounts_url()
    }

    /// The timeout of each call made through this client (its view's, if it has one).
    pub fn timeout(&self) -> Duration {
        self.options
            .as_ref()
            .and_then(|o| o.timeout)
            .unwrap_or(self.inner.timeout)
    }

    /// The retry policy of each call made through this client (its view's, if it has one).
    pub fn retry_policy(&self) -> RetryPolicy {
        self.options
            .as_ref()
            .and_then(|o| o.retry)
            .unwrap_or(self.inner.retry)
    }

    /// A view of this client whose calls use `options` (timeout, retry policy, extra headers)
    /// over the client's own settings; everything else (connection pool, token, limiter,
    /// lock periods) is shared. Cheap: one allocation, no new connection. On a view, the new
    /// options are laid over the view's.
    ///
    /// A generated client has the same method, so any operation can be called with its own
    /// options without a method per variant:
    ///
    /// ```no_run
    /// # async fn demo(api: cliq_runtime::Client) {
    /// use std::time::Duration;
    /// use cliq_runtime::{CallOptions, RetryPolicy};
    /// use http::{HeaderName, HeaderValue};
    ///
    /// // With a generated client: `api.with_options(…).bots().send_bot_message(…)`.
    /// let quick = api.with_options(
    ///     CallOptions::new()
    ///         .timeout(Duration::from_secs(3))
    ///         .retry(RetryPolicy::never())
    ///         .header(HeaderName::from_static("x-trace"), HeaderValue::from_static("on")),
    /// );
    /// assert_eq!(quick.timeout(), Duration::from_secs(3));
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let options = match &self.options {
            Some(mine) => mine.merged(options),
            None => options,
        };
        Client {
            inner: self.inner.clone(),
            options: Some(Arc::new(options)),
        }
    }

    /// The options of this view ([`with_options`](Self::with_options)), if it is one.
    pub fn options(&self) -> Option<&CallOptions> {
        self.options.as_deref()
    }

    /// Send `req`: auth, base URL + network prefix, timeout, 401-refresh-retry,
    /// 429 → [`Error::RateLimited`], non-2xx → [`Error::Api`], one `cliq.request` span.
    pub async fn execute<E: ErrorCode>(&self, req: Request) -> Result<RawResponse, Error<E>> {
        let meta = req.meta;
        let span = tracing::info_span!(
            "cliq.request",
            operation = meta.operation_id,
            method = meta.method.as_str(),
            path = %req.path,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let call = self.execute_in_span(req, &span);
        // No subscriber wants it: no span to enter and leave on every poll.
        if span.is_disabled() {
            call.await
        } else {
            call.instrument(span.clone()).await
        }
    }

    /// [`execute`](Self::execute) `request`, then decode its success body as JSON (an empty
    /// body as `{}`, see [`RawResponse::json`]): what a generated method returns for a JSON
    /// response. Generated methods are not `async fn`s of their own: the state machine of
    /// this one is compiled where a call is awaited, not once per operation in the generated
    /// crate.
    pub async fn call_json<T: serde::de::DeserializeOwned, E: ErrorCode>(
        &self,
        request: Request,
    ) -> Result<T, Error<E>> {
        self.execute::<E>(request).await?.json()
    }

    /// [`execute`](Self::execute) `request`, then decode its success with `decode`: what a
    /// generated method returns for a text, binary or empty response, or one whose type
    /// depends on the status.
    pub async fn call_with<T, E: ErrorCode>(
        &self,
        request: Request,
        decode: impl FnOnce(RawResponse) -> Result<T, Error<E>>,
    ) -> Result<T, Error<E>> {
        decode(self.execute::<E>(request).await?)
    }

    async fn execute_in_span<E: ErrorCode>(
        &self,
        mut req: Request,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error<E>> {
        let inner = &*self.inner;
        let meta: &'static OperationMeta = req.meta;
        let operation = meta.operation_id;
        if let Some(e) = req.invalid.take() {
            return Err(Error::Encode(e));
        }
        let body: Option<Bytes> = match req.body.take() {
            Some(Err(e)) => return Err(Error::Encode(e)),
            Some(Ok(b)) => Some(b),
            None => None,
        };
        self.check_lock_period(meta)?;
        let url = join_url(&inner.base_url, &req.path);
        let started = Instant::now();
        let timeout = self.timeout();
        let retry = self.retry_policy();
        // The timeout bounds the whole call; waits in the client-side limiter extend it.
        let mut deadline = inner.deadlines.start(started + timeout);
        let timed_out = || Error::Timeout {
            operation,
            after: timeout,
        };
        let mut refreshed = false;
        let resends = retry.applies_to(meta.method);
        let mut backoff = None;
        // The next resend's delay, unless the resends are used up or it would not fit. The
        // schedule is made at the first failure (most calls have none).
        let mut retry_delay = move |deadline: &Deadline<'_>| {
            if !resends {
                return None;
            }
            backoff
                .get_or_insert_with(|| retry.backoff())
                .next()
                .filter(|d| Instant::now() + *d < deadline.at())
        };
        loop {
            // Every send counts against the documented threshold, resends included.
            if let (Some(limiter), Some(limit)) = (&inner.limiter, &meta.rate_limit) {
                let waited = limiter.acquire(operation, limit).await;
                if !waited.is_zero() {
                    deadline.extend(waited);
                }
            }
            let token = match inner.auth.ready() {
                Some(ready) => ready,
                None => {
                    // Boxed: a refresh is rare, and its future (a request of its own) would
                    // otherwise make every call's future much larger.
                    let mut refresh = Box::pin(inner.auth.token(&inner.http));
                    deadline
                        .within(refresh.as_mut())
                        .await
                        .unwrap_or(Err(TokenError::Timeout))
                }
            };
            let token = match token {
                Ok(token) => token,
                Err(TokenError::Auth(e)) => return Err(Error::Auth(e)),
                Err(TokenError::Timeout) => return Err(timed_out()),
            };
            // The token sent, kept only where its rejection can be refreshed (to tell the
            // refresh which token failed); a static one is moved into the request uncloned.
            let refreshable = inner.auth.can_refresh().then(|| token.clone());
            let send = std::pin::pin!(self.send_once(&req, body.as_ref(), &url, token, started));
            let sent = deadline
                .within(send)
                .await
                .unwrap_or(Err(SendError::Timeout));
            // Read only by an interested subscriber: no clock read per call without one.
            let latency_ms = || started.elapsed().as_millis() as u64;
            let traced = !span.is_disabled();
            if traced {
                span.record("latency_ms", latency_ms());
            }
            let Received {
                status,
                headers,
                body: bytes,
            } = match sent {
                Ok(r) => r,
                Err(SendError::Http(e)) => {
                    if is_transient_error(&e) {
                        if let Some(delay) = retry_delay(&deadline) {
                            tracing::warn!(latency_ms = latency_ms(), error = %e.without_url(), retry_in_ms = delay.as_millis() as u64, "transient failure; retrying");
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                    }
                    let err = transport_error(e, operation, timeout);
                    tracing::warn!(latency_ms = latency_ms(), error = %ErrorDisplay(&err), "request failed");
                    return Err(err);
                }
                Err(SendError::Timeout) => {
                    let err = timed_out();
                    tracing::warn!(latency_ms = latency_ms(), error = %ErrorDisplay(&err), "request failed");
                    return Err(err);
                }
                Err(SendError::TooLarge { status }) => {
                    let err = Error::ResponseTooLarge {
                        operation,
                        status,
                        limit: inner.max_response_bytes,
                    };
                    tracing::warn!(latency_ms = latency_ms(), error = %ErrorDisplay(&err), "request failed");
                    return Err(err);
                }
            };
            if traced {
                span.record("status", status);
            }
            // For an enclosing `with_raw_response`: copied only when one is waiting.
            if options::capturing() {
                options::capture(|| RawResponse {
                    status,
                    headers: headers.clone(),
                    body: bytes.clone(),
                });
            }
            tracing::debug!(status, latency_ms = latency_ms(), "response");
            if is_transient_status(status) {
                if let Some(delay) = retry_delay(&deadline) {
                    tracing::warn!(
                        status,
                        retry_in_ms = delay.as_millis() as u64,
                        "transient HTTP status; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            match classify(status, &headers, &bytes) {
                Outcome::TokenRejected { .. } if !refreshed && refreshable.is_some() => {
                    tracing::info!("access token rejected; refreshing and retrying once");
                    if let Some(stale) = &refreshable {
                        inner.auth.invalidate(stale).await;
                    }
                    refreshed = true;
                    continue;
                }
                Outcome::Success => {
                    return Ok(RawResponse {
                        status,
                        headers,
                        body: bytes,
                    })
                }
                Outcome::RateLimited { retry_after } => {
                    return Err(self.rate_limited(meta, retry_after, &bytes));
                }
                Outcome::TokenRejected { code, message } | Outcome::Failed { code, message } => {
                    return Err(Error::Api {
                        operation,
                        status,
                        code: code.map(|c| E::from_code(&c)),
                        message,
                        body: String::from_utf8_lossy(&bytes).into_owned(),
                    });
                }
            }
        }
    }

    /// The server answered `429`: lock the operation for `Retry-After` or else its
    /// documented lock period.
    fn rate_limited<E>(
        &self,
        meta: &'static OperationMeta,
        retry_after: Option<Duration>,
        body: &[u8],
    ) -> Error<E> {
        let retry_after = retry_after.or(meta.rate_limit.and_then(|l| l.lock_period));
        if let Some(d) = retry_after {
            self.inner.lockouts.lock_for(meta.operation_id, d);
        }
        tracing::warn!(
            retry_after_ms = retry_after.map(|d| d.as_millis() as u64),
            "rate limited by Cliq (HTTP 429)"
        );
        Error::RateLimited {
            operation: meta.operation_id,
            retry_after,
            limit: meta.rate_limit,
            origin: RateLimitOrigin::Server,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// Refuse to send while the operation is in its lock period after a `429`.
    fn check_lock_period<E>(&self, meta: &'static OperationMeta) -> Result<(), Error<E>> {
        let Some(remaining) = self.inner.lockouts.remaining(meta.operation_id) else {
            return Ok(());
        };
        tracing::warn!(
            retry_after_ms = remaining.as_millis() as u64,
            "not sent: operation is in its lock period after HTTP 429"
        );
        Err(Error::RateLimited {
            operation: meta.operation_id,
            retry_after: Some(remaining),
            limit: meta.rate_limit,
            origin: RateLimitOrigin::LockPeriod,
            body: String::new(),
        })
    }
}

/// `base` and `path` joined by one `/`.
fn join_url(base: &str, path: &str) -> String {
    let slash = if path.starts_with('/') { "" } else { "/" };
    let mut url = String::with_capacity(base.len() + slash.len() + path.len());
    url.push_str(base);
    url.push_str(slash);
    url.push_str(path);
    url
}

fn transport_error<E>(
    mut e: reqwest::Error,
    operation: &'static str,
    timeout: Duration,
) -> Error<E> {
    // Query values can be credentials (`extension_key`): keep them out of errors.
    if let Some(u) = e.url_mut() {
        u.set_query(None);
    }
    if e.is_timeout() {
        Error::Timeout {
            operation,
            after: timeout,
        }
    } else {
        Error::Transport {
            operation,
            source: e,
        }
    }
}

/// What a received response means, decided from the response alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 2xx.
    Success,
    /// `401` saying the access token is invalid or expired: a refresh may help.
    TokenRejected {
        /// `code` of the error body.
        code: Option<String>,
        /// `message` of the error body.
        message: Option<String>,
    },
    /// `429`, with the server's `Retry-After` if it sent one.
    RateLimited {
        /// `Retry-After`, as a duration from now.
        retry_after: Option<Duration>,
    },
    /// Any other non-2xx status.
    Failed {
        /// `code` of the error body.
        code: Option<String>,
        /// `message` of the error body.
        message: Option<String>,
    },
}

/// Classify a response (pure: no client state, no I/O).
pub(crate) fn classify(status: u16, headers: &HeaderMap, body: &[u8]) -> Outcome {
    if (200..300).contains(&status) {
        return Outcome::Success;
    }
    if status == 429 {
        return Outcome::RateLimited {
            retry_after: parse_retry_after(headers),
        };
    }
    let (code, message) = parse_error_body(body);
    if status == 401 && says_token_invalid(headers, code.as_deref(), message.as_deref()) {
        Outcome::TokenRejected { code, message }
    } else {
        Outcome::Failed { code, message }
    }
}

/// Why one attempt got no complete response.
enum SendError {
    /// Sending or reading failed.
    Http(reqwest::Error),
    /// The call's deadline passed.
    Timeout,
    /// The body grew past the client's limit.
    TooLarge { status: u16 },
}

impl From<reqwest::Error> for SendError {
    fn from(e: reqwest::Error) -> Self {
        SendError::Http(e)
    }
}

/// A complete response.
struct Received {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Client {
    /// One attempt: build the request, send it, read the whole answer, show it to the
    /// observer.
    async fn send_once(
        &self,
        req: &Request,
        body: Option<&Bytes>,
        url: &str,
        auth_value: HeaderValue,
        started: Instant,
    ) -> Result<Received, SendError> {
        let inner = &*self.inner;
        let meta = req.meta;
        let mut rb = inner.http.request(meta.method.as_http(), url);
        // Appended one by one: no copy of the whole map, no merge pass.
        for (name, value) in &inner.headers {
            rb = rb.header(name, value.clone());
        }
        // A view's headers replace the client's of the same name.
        if let Some(o) = self.options.as_ref().filter(|o| !o.headers.is_empty()) {
            rb = rb.headers(o.headers.clone());
        }
        // Most operations add no header of their own: no empty map cloned and merged.
        if !req.headers.is_empty() {
            rb = rb.headers(req.headers.clone());
        }
        if !req.query.is_empty() {
            rb = rb.query(&req.query);
        }
        if inner.auth.in_query() {
            // A webhook token: checked to be text when the client was built.
            rb = rb.query(&[(WEBHOOK_TOKEN_PARAM, auth_value.to_str().unwrap_or_default())]);
        } else {
            rb = rb.header(AUTHORIZATION, auth_value);
        }
        if let Some(b) = body {
            let ct = match &req.content_type {
                Some(ct) => HeaderValue::from_str(ct)
                    .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
                None => HeaderValue::from_static("application/json"),
            };
            rb = rb.header(CONTENT_TYPE, ct).body(b.clone());
        }
        if let Some(form) = req.multipart.as_ref().and_then(|m| m.to_form().ok()) {
            rb = rb.multipart(form);
        }
        let mut resp = rb.send().await?;
        // Only the observer reads the final URL: no String per call without one.
        let url = inner.observer.as_ref().map(|_| without_token(resp.url()));
        let status = resp.status().as_u16();
        // The body is read through `chunk()`, which does not look at the headers: take them.
        let headers = std::mem::take(resp.headers_mut());
        let limit = inner.max_response_bytes;
        let too_large = SendError::TooLarge { status };
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large);
        }
        // A body that arrives in one chunk (the usual case) is kept as is, not copied.
        let mut first: Option<Bytes> = None;
        let mut rest = bytes::BytesMut::new();
        while let Some(chunk) = resp.chunk().await? {
            let so_far = first.as_ref().map_or(0, Bytes::len) + rest.len();
            if so_far + chunk.len() > limit {
                return Err(too_large);
            }
            match &first {
                None => first = Some(chunk),
                Some(head) => {
                    if rest.is_empty() {
                        rest.extend_from_slice(head);
                    }
                    rest.extend_from_slice(&chunk);
                }
            }
        }
        let body = match first {
            Some(head) if rest.is_empty() => head,
            Some(_) => rest.freeze(),
            None => Bytes::new(),
        };
        if let (Some(observe), Some(url)) = (&inner.observer, &url) {
            observe(&ResponseInfo {
                operation_id: meta.operation_id,
                method: meta.method,
                url,
                status,
                headers: &headers,
                body: &body,
                latency: started.elapsed(),
            });
        }
        Ok(Received {
            status,
            headers,
            body,
        })
    }
}

/// `url` without a webhook token's `zapikey` parameter (for observers).
fn without_token(url: &url::Url) -> String {
    if !url.query_pairs().any(|(k, _)| k == WEBHOOK_TOKEN_PARAM) {
        return url.to_string();
    }
    let mut clean = url.clone();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != WEBHOOK_TOKEN_PARAM)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        clean.set_query(None);
    } else {
        clean.query_pairs_mut().clear().extend_pairs(kept);
    }
    clean.to_string()
}

struct ErrorDisplay<'a, E>(&'a Error<E>);
impl<E: ErrorCode> fmt::Display for ErrorDisplay<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

/// `code` and `message` of a Cliq error body (`{"code": "...", "message": "..."}`).
fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let field = |k: &str| match map.get(k) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    (field("code"), field("message"))
}

/// Does a 401 say the access token is invalid or expired (so a refresh may help)?
/// `code` and `message` are those of the error body.
fn says_token_invalid(headers: &HeaderMap, code: Option<&str>, message: Option<&str>) -> bool {
    let www = headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("invalid_token"));
    if www {
        return true;
    }
    let text = format!(
        "{} {}",
        code.unwrap_or_default(),
        message.unwrap_or_default()
    )
    .to_ascii_lowercase();
    text.contains("token") && (text.contains("invalid") || text.contains("expired"))
}

/// `Retry-After` as seconds or an HTTP date, at most [`MAX_LOCK`] (callers add it to an
/// `Instant`, which overflows near `u64::MAX` seconds).
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let after = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => httpdate::parse_http_date(v)
            .ok()?
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    };
    Some(after.min(MAX_LOCK))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_rejected(headers: &HeaderMap, body: &[u8]) -> bool {
        matches!(classify(401, headers, body), Outcome::TokenRejected { .. })
    }

    #[test]
    fn token_invalid_detection() {
        let h = HeaderMap::new();
        assert!(token_rejected(
            &h,
            br#"{"code":"oauthtoken_invalid","message":"Invalid OAuth token"}"#
        ));
        assert!(token_rejected(
            &h,
            br#"{"message":"Request was rejected because of invalid AuthToken."}"#
        ));
        assert!(token_rejected(&h, br#"{"code":"token_expired"}"#));
        assert!(!token_rejected(
            &h,
            br#"{"code":"no_permission","message":"not allowed"}"#
        ));
        let mut h2 = HeaderMap::new();
        h2.insert(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
        assert!(token_rejected(&h2, b""));
    }

    #[test]
    fn classify_success_and_errors() {
        let h = HeaderMap::new();
        assert_eq!(classify(200, &h, b"not json"), Outcome::Success);
        assert_eq!(classify(204, &h, b""), Outcome::Success);
        assert_eq!(
            classify(400, &h, br#"{"code":"input_invalid","message":"bad name"}"#),
            Outcome::Failed {
                code: Some("input_invalid".into()),
                message: Some("bad name".into())
            }
        );
        // Not JSON, or code/message not strings: kept out, the caller keeps the raw body.
        assert_eq!(
            classify(502, &h, b"<html>Bad Gateway</html>"),
            Outcome::Failed {
                code: None,
                message: None
            }
        );
        assert_eq!(
            classify(500, &h, br#"{"code":5,"message":null}"#),
            Outcome::Failed {
                code: None,
                message: None
            }
        );
        // A token error on another status is not a reason to refresh.
        assert!(matches!(
            classify(403, &h, br#"{"code":"oauthtoken_invalid"}"#),
            Outcome::Failed { .. }
        ));
        // A 401 that is not about the token (e.g. missing scope) is a plain failure.
        assert_eq!(
            classify(401, &h, br#"{"code":"no_permission"}"#),
            Outcome::Failed {
                code: Some("no_permission".into()),
                message: None
            }
        );
    }

    #[test]
    fn classify_rate_limited() {
        let mut h = HeaderMap::new();
        assert_eq!(
            classify(429, &h, b"{}"),
            Outcome::RateLimited { retry_after: None }
        );
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(
            classify(429, &h, b""),
            Outcome::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
        );
    }

    #[test]
    fn retry_after_seconds_and_date() {
        let mut h = HeaderMap::new();
        assert_eq!(parse_retry_after(&h), None);
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(120)));
        let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600));
        h.insert(
            http::header::RETRY_AFTER,
            HeaderValue::from_str(&at).unwrap(),
        );
        let d = parse_retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(590) && d <= Duration::from_secs(600),
            "{d:?}"
        );
    }
}
