//! [`ClientBuilder`]: configuration and validation of a [`Client`], and [`Client::builder`]
//! (here, beside the builder, so that `client.rs` does not depend on this file).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION};

use super::{
    Client, Inner, Observer, ResponseInfo, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
};
use crate::auth::{Auth, AuthScheme, Secret, TokenSource};
use crate::bot_name::encode_path_segment;
use crate::deadline::Deadlines;
use crate::limiter::{Lockouts, WindowLimiter};
use crate::retry::RetryPolicy;
use crate::DataCenter;

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

/// `User-Agent` unless [`ClientBuilder::user_agent`] sets another.
const DEFAULT_USER_AGENT: &str = concat!("cliq-rs/", env!("CARGO_PKG_VERSION"));

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
    /// `None`: [`DEFAULT_USER_AGENT`].
    user_agent: Option<String>,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl Client {
    /// Start building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
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
            .field(
                "user_agent",
                &self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT),
            )
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
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
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: None,
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

    /// Limit for a whole call (default [`DEFAULT_TIMEOUT`]): token refresh, every send with
    /// its response body, and the backoff between resends. A resend that would not fit is
    /// not made. Waits in the opt-in [`rate_limiter`](Self::rate_limiter) are not counted.
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

    /// When to resend after a connection failure or a `502`/`503`/`504` (default
    /// [`RetryPolicy::default`]: idempotent methods, twice, with backoff and jitter).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Largest response body accepted, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    /// A larger one ends the call with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge)
    /// as soon as the limit is passed, so a broken server cannot fill the memory.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// `User-Agent` (default `cliq-rs/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
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
        // Sent to the API only, never to the accounts server the same HTTP client refreshes
        // tokens at (a custom header may carry a secret meant for the API or a proxy).
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
            .redirect(same_origin_redirects())
            // No whole-request timeout here: `execute` bounds every call (token refresh and
            // limiter waits included) with its own deadline, so a second timer per request
            // (reqwest boxes a `Sleep` for the request and wraps the body in another) would
            // only race it.
            .connect_timeout(self.connect_timeout);
        let http = match self.user_agent {
            Some(ua) => http.user_agent(ua),
            // A static value: reqwest copies it into every request without a reference count.
            None => http.user_agent(HeaderValue::from_static(DEFAULT_USER_AGENT)),
        }
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
                deadlines: Deadlines::default(),
                header_names,
                headers,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
            options: None,
        })
    }
}

/// Redirects are followed within the same origin only (at most 10): a redirect elsewhere
/// is answered as it is (a 3xx [`Error::Api`](crate::Error::Api)), so custom headers and
/// request bodies meant for Cliq never reach another server.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else {
            attempt.follow()
        }
    })
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
}
