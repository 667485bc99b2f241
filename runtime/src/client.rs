//! The HTTP client every generated operation goes through.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Auth, AuthScheme, Secret, TokenSource};
use crate::bot_name::encode_path_segment;
use crate::data_center::DataCenter;
use crate::error::{AuthError, Error, RateLimitOrigin};
use crate::limiter::{Lockouts, WindowLimiter};
use crate::meta::{ErrorCode, OperationMeta};
use crate::request::{RawResponse, Request};

/// Default limit for a whole request (connect, send, read the full response).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A Zoho Cliq API client: data center or base URL, network, token source, timeouts,
/// rate limiting. Cheap to clone (clones share the connection pool, token and limiter).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
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

struct Inner {
    observer: Option<Observer>,
    http: reqwest::Client,
    base_url: String,
    data_center: Option<DataCenter>,
    auth: Auth,
    timeout: Duration,
    limiter: Option<WindowLimiter>,
    lockouts: Lockouts,
    header_names: Vec<HeaderName>,
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
            .field("extra_headers", &i.header_names)
            .field("on_response", &i.observer.is_some())
            .finish()
    }
}

/// Building a [`Client`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No [`TokenSource`] was given.
    #[error("no token source: call `.token(TokenSource::static_token(…))` or `.token(TokenSource::refresh(…))`")]
    MissingToken,
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The network name is empty.
    #[error("empty network name")]
    EmptyNetwork,
    /// A header given to [`ClientBuilder::header`] is not a valid HTTP header
    /// (the value is not shown: it may be a secret).
    #[error("invalid header {name:?}")]
    InvalidHeader {
        /// The header name given.
        name: String,
    },
    /// The underlying HTTP client could not be built (TLS backend).
    #[error("HTTP client could not be built: {0}")]
    Http(#[from] reqwest::Error),
}

/// Builder for [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    observer: Option<Observer>,
    data_center: DataCenter,
    base_url: Option<String>,
    network: Option<String>,
    token: Option<TokenSource>,
    scheme: AuthScheme,
    timeout: Duration,
    connect_timeout: Duration,
    rate_limiter: bool,
    headers: Vec<(String, Secret)>,
    user_agent: String,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("data_center", &self.data_center)
            .field("base_url", &self.base_url)
            .field("network", &self.network)
            .field("token", &self.token)
            .field("scheme", &self.scheme)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("rate_limiter", &self.rate_limiter)
            .field("headers", &self.headers)
            .field("user_agent", &self.user_agent)
            .field("on_response", &self.observer.is_some())
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            observer: None,
            data_center: DataCenter::default(),
            base_url: None,
            network: None,
            token: None,
            scheme: AuthScheme::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            rate_limiter: false,
            headers: Vec::new(),
            user_agent: concat!("cliq-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl ClientBuilder {
    /// The data center of the organization (default [`DataCenter::Us`]). Selects the API
    /// (`https://cliq.zoho.<dc>/api/v3`) and the accounts server used for token refresh.
    pub fn data_center(mut self, dc: DataCenter) -> Self {
        self.data_center = dc;
        self
    }

    /// Use this API root instead of the data center's `https://cliq.zoho.<dc>/api/v3`
    /// (tests, mock servers, proxies); operation paths are appended to it as-is.
    /// The data center still selects the accounts server.
    ///
    /// With [`network`](Self::network), the `/network/<name>` prefix is inserted before a
    /// trailing `/api/v3` of this URL, or appended when there is none.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Call the API of a Cliq network: `https://cliq.zoho.<dc>/network/<name>/api/v3`.
    /// `name` is the network's unique name or its id.
    pub fn network(mut self, name: impl Into<String>) -> Self {
        self.network = Some(name.into());
        self
    }

    /// Where access tokens come from (required).
    pub fn token(mut self, source: impl Into<TokenSource>) -> Self {
        self.token = Some(source.into());
        self
    }

    /// `Authorization` header scheme (default [`AuthScheme::Bearer`], the spec's).
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// Limit for a whole request, response body included (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Opt in to the client-side limiter: each operation with a documented rate limit waits
    /// as needed to stay under its threshold (e.g. 30 requests per minute).
    pub fn rate_limiter(mut self, enabled: bool) -> Self {
        self.rate_limiter = enabled;
        self
    }

    /// Send this header with every request (e.g. `Prefer: example=…` against a mock).
    /// Validated by [`build`](Self::build).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::new(value.into())));
        self
    }

    /// Call `observer` with every response received (before it is turned into a result),
    /// e.g. for metrics or to check a mock server's validation headers.
    pub fn on_response(
        mut self,
        observer: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// `User-Agent` (default `cliq-rs/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let token = self.token.ok_or(BuildError::MissingToken)?;
        let network = match self.network.as_deref().map(str::trim) {
            Some("") => return Err(BuildError::EmptyNetwork),
            Some(n) => Some(encode_path_segment(n)),
            None => None,
        };
        let (base_url, data_center) = match &self.base_url {
            Some(url) => (custom_base(url, network.as_deref())?, None),
            None => {
                let dc = self.data_center;
                let base = match &network {
                    Some(n) => format!("{}/network/{n}/api/v3", dc.cliq_origin()),
                    None => dc.api_base_url(),
                };
                (base, Some(dc))
            }
        };
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut header_names = Vec::new();
        for (name, value) in &self.headers {
            let invalid = || BuildError::InvalidHeader { name: name.clone() };
            let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut v = HeaderValue::from_str(value.expose()).map_err(|_| invalid())?;
            if n == AUTHORIZATION {
                v.set_sensitive(true);
            }
            header_names.push(n.clone());
            headers.append(n, v);
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent)
            .default_headers(headers)
            .build()?;
        let auth = Auth::new(self.scheme, token, self.data_center.accounts_url());
        Ok(Client {
            inner: Arc::new(Inner {
                observer: self.observer,
                http,
                base_url,
                data_center,
                auth,
                timeout: self.timeout,
                limiter: self.rate_limiter.then(WindowLimiter::default),
                lockouts: Lockouts::default(),
                header_names,
            }),
        })
    }
}

fn custom_base(url: &str, network: Option<&str>) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("scheme must be http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    let base = parsed.as_str().trim_end_matches('/');
    Ok(match network {
        None => base.to_owned(),
        Some(n) => match base.strip_suffix("/api/v3") {
            Some(root) => format!("{root}/network/{n}/api/v3"),
            None => format!("{base}/network/{n}"),
        },
    })
}

impl Client {
    /// Start building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

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

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
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
        self.execute_in_span(req, &span)
            .instrument(span.clone())
            .await
    }

    async fn execute_in_span<E: ErrorCode>(
        &self,
        req: Request,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error<E>> {
        let inner = &*self.inner;
        let meta: &'static OperationMeta = req.meta;
        let operation = meta.operation_id;
        if let Some(e) = req.invalid {
            return Err(Error::Encode(e));
        }
        let content_type = req.content_type.clone();
        let body: Option<Bytes> = match req.body {
            Some(Err(e)) => return Err(Error::Encode(e)),
            Some(Ok(b)) => Some(b),
            None => None,
        };
        if let Some(remaining) = inner.lockouts.remaining(operation) {
            tracing::warn!(
                retry_after_ms = remaining.as_millis() as u64,
                "not sent: operation is in its lock period after HTTP 429"
            );
            return Err(Error::RateLimited {
                operation,
                retry_after: Some(remaining),
                limit: meta.rate_limit,
                origin: RateLimitOrigin::LockPeriod,
                body: String::new(),
            });
        }
        if let (Some(limiter), Some(limit)) = (&inner.limiter, &meta.rate_limit) {
            limiter.acquire(operation, limit).await;
        }
        let path = if req.path.starts_with('/') {
            req.path
        } else {
            format!("/{}", req.path)
        };
        let url = format!("{}{}", inner.base_url, path);
        let started = Instant::now();
        let mut refreshed = false;
        loop {
            let token = inner.auth.token(&inner.http).await.map_err(Error::Auth)?;
            let mut auth_value = HeaderValue::from_str(&format!(
                "{} {}",
                inner.auth.scheme.keyword(),
                token.expose()
            ))
            .map_err(|_| {
                Error::Auth(AuthError::new(
                    "the access token contains characters not allowed in an HTTP header",
                ))
            })?;
            auth_value.set_sensitive(true);
            let mut rb = inner
                .http
                .request(meta.method.as_http(), &url)
                .headers(req.headers.clone())
                .header(AUTHORIZATION, auth_value);
            if !req.query.is_empty() {
                rb = rb.query(&req.query);
            }
            if let Some(b) = &body {
                let ct = match &content_type {
                    Some(ct) => HeaderValue::from_str(ct)
                        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
                    None => HeaderValue::from_static("application/json"),
                };
                rb = rb.header(CONTENT_TYPE, ct).body(b.clone());
            }
            let classify = |mut e: reqwest::Error| {
                // Query values can be credentials (`extension_key`): keep them out of errors.
                if let Some(u) = e.url_mut() {
                    u.set_query(None);
                }
                if e.is_timeout() {
                    Error::Timeout {
                        operation,
                        after: inner.timeout,
                    }
                } else {
                    Error::Transport {
                        operation,
                        source: e,
                    }
                }
            };
            let result = async {
                let resp = rb.send().await?;
                let url = resp.url().to_string();
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                let bytes = resp.bytes().await?;
                Ok::<_, reqwest::Error>((url, status, headers, bytes))
            }
            .await;
            let latency_ms = started.elapsed().as_millis() as u64;
            span.record("latency_ms", latency_ms);
            let (sent_url, status, headers, bytes) = match result {
                Ok(r) => r,
                Err(e) => {
                    let err = classify(e);
                    tracing::warn!(latency_ms, error = %ErrorDisplay(&err), "request failed");
                    return Err(err);
                }
            };
            span.record("status", status);
            tracing::debug!(status, latency_ms, "response");
            if let Some(observe) = &inner.observer {
                observe(&ResponseInfo {
                    operation_id: operation,
                    method: meta.method,
                    url: &sent_url,
                    status,
                    headers: &headers,
                    body: &bytes,
                    latency: started.elapsed(),
                });
            }

            if status == 401
                && !refreshed
                && inner.auth.can_refresh()
                && says_token_invalid(&headers, &bytes)
            {
                tracing::info!("access token rejected; refreshing and retrying once");
                inner.auth.invalidate(&token).await;
                refreshed = true;
                continue;
            }
            if (200..300).contains(&status) {
                return Ok(RawResponse {
                    status,
                    headers,
                    body: bytes,
                });
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if status == 429 {
                let retry_after =
                    parse_retry_after(&headers).or(meta.rate_limit.and_then(|l| l.lock_period));
                if let Some(d) = retry_after {
                    inner.lockouts.lock_for(operation, d);
                }
                tracing::warn!(
                    retry_after_ms = retry_after.map(|d| d.as_millis() as u64),
                    "rate limited by Cliq (HTTP 429)"
                );
                return Err(Error::RateLimited {
                    operation,
                    retry_after,
                    limit: meta.rate_limit,
                    origin: RateLimitOrigin::Server,
                    body: text,
                });
            }
            let (code, message) = parse_error_body(&bytes);
            return Err(Error::Api {
                operation,
                status,
                code: code.map(|c| E::from_code(&c)),
                message,
                body: text,
            });
        }
    }
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
fn says_token_invalid(headers: &HeaderMap, body: &[u8]) -> bool {
    let www = headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("invalid_token"));
    if www {
        return true;
    }
    let (code, message) = parse_error_body(body);
    let text = format!(
        "{} {}",
        code.unwrap_or_default(),
        message.unwrap_or_default()
    )
    .to_ascii_lowercase();
    text.contains("token") && (text.contains("invalid") || text.contains("expired"))
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_base_inserts_network_before_api_root() {
        assert_eq!(
            custom_base("http://127.0.0.1:4010/", None).unwrap(),
            "http://127.0.0.1:4010"
        );
        assert_eq!(
            custom_base("http://h/api/v3", Some("acme")).unwrap(),
            "http://h/network/acme/api/v3"
        );
        assert_eq!(
            custom_base("http://h", Some("acme")).unwrap(),
            "http://h/network/acme"
        );
        assert!(custom_base("ftp://h", None).is_err());
        assert!(custom_base("not a url", None).is_err());
    }

    #[test]
    fn token_invalid_detection() {
        let h = HeaderMap::new();
        assert!(says_token_invalid(
            &h,
            br#"{"code":"oauthtoken_invalid","message":"Invalid OAuth token"}"#
        ));
        assert!(says_token_invalid(
            &h,
            br#"{"message":"Request was rejected because of invalid AuthToken."}"#
        ));
        assert!(says_token_invalid(&h, br#"{"code":"token_expired"}"#));
        assert!(!says_token_invalid(
            &h,
            br#"{"code":"no_permission","message":"not allowed"}"#
        ));
        let mut h2 = HeaderMap::new();
        h2.insert(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
        assert!(says_token_invalid(&h2, b""));
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
