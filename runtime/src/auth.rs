//! Access tokens: static or refreshed against the data center's accounts server.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretSlice, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tracing::Instrument;

use crate::error::AuthError;

/// A secret string (token, client secret). `Debug` and `Display` never show it, and its
/// memory is zeroed when dropped ([`secrecy::SecretString`] underneath).
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wrap a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(SecretString::from(secret.into()))
    }

    /// The secret itself. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Compares the secrets (the refresh logic checks whether a rejected token is still current).
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

/// How the access token is put in the `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`: the spec's scheme (its `x-authorization-example`).
    #[default]
    Bearer,
    /// `Authorization: Zoho-oauthtoken <token>`: the form Zoho's documentation uses.
    ZohoOauthtoken,
}

impl AuthScheme {
    /// The scheme keyword, e.g. `"Bearer"`.
    pub fn keyword(self) -> &'static str {
        match self {
            AuthScheme::Bearer => "Bearer",
            AuthScheme::ZohoOauthtoken => "Zoho-oauthtoken",
        }
    }
}

/// Credentials for Zoho's refresh-token flow (`grant_type=refresh_token`).
///
/// The accounts server defaults to the one of the client's [`DataCenter`](crate::DataCenter)
/// (tokens are region-bound: a `.com` refresh token is rejected by `accounts.zoho.in`).
#[derive(Clone)]
pub struct RefreshToken {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) refresh_token: Secret,
    pub(crate) accounts_url: Option<String>,
    pub(crate) access_token: Option<(Secret, Option<Duration>)>,
}

impl RefreshToken {
    /// Client id and secret of the Zoho API console client, and the refresh token.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        RefreshToken {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
            accounts_url: None,
            access_token: None,
        }
    }

    /// Use this accounts server instead of the data center's (tests, proxies).
    /// The token endpoint is `<url>/oauth/v2/token`.
    pub fn accounts_url(mut self, url: impl Into<String>) -> Self {
        self.accounts_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Start with an access token obtained earlier, valid for `expires_in` if known;
    /// it is refreshed when it expires or is rejected.
    pub fn access_token(mut self, token: impl Into<Secret>, expires_in: Option<Duration>) -> Self {
        self.access_token = Some((token.into(), expires_in));
        self
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("refresh_token", &self.refresh_token)
            .field("accounts_url", &self.accounts_url)
            .finish_non_exhaustive()
    }
}

/// Where the client gets its access token from.
#[derive(Clone, Debug)]
pub struct TokenSource(pub(crate) TokenKind);

#[derive(Clone, Debug)]
pub(crate) enum TokenKind {
    Static(Secret),
    Refresh(RefreshToken),
    Webhook(Secret),
}

impl TokenSource {
    /// A fixed access token (never refreshed; a `401` surfaces as [`crate::Error::Api`]).
    pub fn static_token(token: impl Into<Secret>) -> Self {
        TokenSource(TokenKind::Static(token.into()))
    }

    /// Zoho's refresh-token flow: tokens are fetched on first use, refreshed before they
    /// expire and when Cliq answers `401` saying the token is invalid or expired. Concurrent
    /// callers share one refresh (single flight).
    pub fn refresh(credentials: RefreshToken) -> Self {
        TokenSource(TokenKind::Refresh(credentials))
    }

    /// A webhook token (Cliq's `zapikey`, made under Bots & Tools → Webhook Tokens): sent as
    /// the `zapikey` query parameter instead of an `Authorization` header, for the endpoints
    /// that accept it (a bot's incoming webhook, `send_an_incoming_webhook_message`). Never
    /// refreshed; kept out of errors, logs and [`ResponseInfo::url`](crate::ResponseInfo::url).
    ///
    /// ```
    /// use cliq_runtime::{Client, DataCenter, TokenSource};
    /// let client = Client::builder()
    ///     .data_center(DataCenter::Eu)
    ///     .token(TokenSource::webhook_token("1001.abcd.ef01"))
    ///     .build()
    ///     .unwrap();
    /// assert!(format!("{client:?}").contains("webhook token"));
    /// assert!(!format!("{client:?}").contains("abcd"));
    /// ```
    pub fn webhook_token(token: impl Into<Secret>) -> Self {
        TokenSource(TokenKind::Webhook(token.into()))
    }
}

/// The query parameter a webhook token is sent in.
pub(crate) const WEBHOOK_TOKEN_PARAM: &str = "zapikey";

impl From<RefreshToken> for TokenSource {
    fn from(r: RefreshToken) -> Self {
        TokenSource::refresh(r)
    }
}

/// Refresh a little before the server's expiry so in-flight requests don't race it.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// A token as the `Authorization` value it is sent as, built once per token (not per call).
struct Cached {
    header: Result<http::HeaderValue, AuthError>,
    expires_at: Option<Instant>,
}

impl Cached {
    fn new(scheme: &AuthScheme, token: &Secret, expires_in: Option<Duration>) -> Self {
        let expires_at = expires_in.map(|d| Instant::now() + d.saturating_sub(EXPIRY_MARGIN));
        Cached {
            header: header_value(scheme, token),
            expires_at,
        }
    }

    fn fresh(&self) -> bool {
        self.expires_at.is_none_or(|t| Instant::now() < t)
    }
}

/// The resolved auth of a built client (shared by its clones).
pub(crate) struct Auth {
    pub(crate) scheme: AuthScheme,
    kind: AuthKind,
}

enum AuthKind {
    /// The static token's `Authorization` value (or why it cannot be one).
    Static(Result<http::HeaderValue, AuthError>),
    /// A webhook token's value, sent as the `zapikey` query parameter (or why it cannot be).
    Webhook(Result<http::HeaderValue, AuthError>),
    Refresh(Box<Refresher>),
}

/// The refresh-token flow of one client (shared by its clones).
struct Refresher {
    creds: RefreshToken,
    token_url: String,
    accounts_url: String,
    state: Mutex<State>,
    /// Refreshes finished so far (changed only under the `state` lock).
    refreshes: AtomicU64,
}

/// What the refresh flow knows: the current token, and how the last refresh failed.
#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// Number (see `refreshes`) and error of the last refresh, if it failed.
    failed: Option<(u64, TokenError)>,
}

/// Why no token could be had.
#[derive(Debug, Clone)]
pub(crate) enum TokenError {
    /// The accounts server refused or answered something unusable, or could not be reached.
    Auth(AuthError),
    /// The accounts server did not answer within the client's timeout.
    Timeout,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Auth");
        d.field("scheme", &self.scheme);
        match &self.kind {
            AuthKind::Static(_) => d.field("token", &"static [REDACTED]"),
            AuthKind::Webhook(_) => d.field("token", &"webhook token [REDACTED]"),
            AuthKind::Refresh(r) => d
                .field("client_id", &r.creds.client_id)
                .field("accounts_url", &r.accounts_url),
        };
        d.finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    expires_in: Option<u64>,
    expires_in_sec: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Auth {
    pub(crate) fn new(
        scheme: AuthScheme,
        source: TokenSource,
        default_accounts_url: String,
    ) -> Self {
        let kind = match source.0 {
            TokenKind::Static(t) => AuthKind::Static(header_value(&scheme, &t)),
            TokenKind::Webhook(t) => AuthKind::Webhook(query_value(&t)),
            TokenKind::Refresh(creds) => {
                let accounts_url = creds.accounts_url.clone().unwrap_or(default_accounts_url);
                let initial = creds
                    .access_token
                    .as_ref()
                    .map(|(t, exp)| Cached::new(&scheme, t, *exp));
                AuthKind::Refresh(Box::new(Refresher {
                    token_url: format!("{accounts_url}/oauth/v2/token"),
                    accounts_url,
                    creds,
                    state: Mutex::new(State {
                        cached: initial,
                        failed: None,
                    }),
                    refreshes: AtomicU64::new(0),
                }))
            }
        };
        Auth { scheme, kind }
    }

    pub(crate) fn accounts_url(&self) -> Option<&str> {
        match &self.kind {
            AuthKind::Static(_) | AuthKind::Webhook(_) => None,
            AuthKind::Refresh(r) => Some(&r.accounts_url),
        }
    }

    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.kind, AuthKind::Refresh(_))
    }

    /// Whether the value of [`Auth::ready`] / [`Auth::token`] goes in the `zapikey` query
    /// parameter (a webhook token) rather than the `Authorization` header.
    pub(crate) fn in_query(&self) -> bool {
        matches!(self.kind, AuthKind::Webhook(_))
    }

    /// The `Authorization` value when it is at hand without waiting: the static token's, or
    /// the cached token's while it is fresh and no refresh holds the lock. `None`: ask
    /// [`Auth::token`], which waits for (or runs) the refresh.
    pub(crate) fn ready(&self) -> Option<Result<http::HeaderValue, TokenError>> {
        match &self.kind {
            AuthKind::Static(h) | AuthKind::Webhook(h) => Some(h.clone().map_err(TokenError::Auth)),
            AuthKind::Refresh(r) => {
                let guard = r.state.try_lock().ok()?;
                let cached = guard.cached.as_ref().filter(|c| c.fresh())?;
                Some(cached.header.clone().map_err(TokenError::Auth))
            }
        }
    }

    /// The `Authorization` value of a currently valid access token, refreshing (once for all
    /// concurrent callers) if needed.
    ///
    /// Callers that waited while a refresh failed get its error instead of each asking the
    /// accounts server again (it rate-limits refreshes); a later call tries again.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
    ) -> Result<http::HeaderValue, TokenError> {
        match &self.kind {
            AuthKind::Static(h) | AuthKind::Webhook(h) => h.clone().map_err(TokenError::Auth),
            AuthKind::Refresh(r) => {
                let Refresher {
                    creds,
                    token_url,
                    accounts_url,
                    state,
                    refreshes,
                } = &**r;
                let arrived_after = refreshes.load(Ordering::Acquire);
                // Holding the lock across the refresh makes it single-flight: everyone
                // else waits here and then finds the fresh token (or the failure).
                let mut guard = state.lock().await;
                if let Some(c) = guard.cached.as_ref().filter(|c| c.fresh()) {
                    return c.header.clone().map_err(TokenError::Auth);
                }
                if let Some((n, e)) = &guard.failed {
                    if *n > arrived_after {
                        return Err(e.clone());
                    }
                }
                let result = refresh(http, &self.scheme, creds, token_url, accounts_url).await;
                let n = refreshes.fetch_add(1, Ordering::AcqRel) + 1;
                match result {
                    Ok(fresh) => {
                        let header = fresh.header.clone().map_err(TokenError::Auth);
                        *guard = State {
                            cached: Some(fresh),
                            failed: None,
                        };
                        header
                    }
                    Err(e) => {
                        guard.failed = Some((n, e.clone()));
                        Err(e)
                    }
                }
            }
        }
    }

    /// The server rejected `stale` (an `Authorization` value from [`Auth::token`]): forget its
    /// token unless someone already replaced it.
    pub(crate) async fn invalidate(&self, stale: &http::HeaderValue) {
        if let AuthKind::Refresh(r) = &self.kind {
            let mut guard = r.state.lock().await;
            if guard
                .cached
                .as_ref()
                .is_some_and(|c| c.header.as_ref().ok() == Some(stale))
            {
                guard.cached = None;
            }
        }
    }
}

/// `Authorization` value for `token`, marked sensitive (never shown in logs). Its bytes are
/// the token's own copy, zeroed like the token when the last clone of the value is dropped
/// (the client keeps one for as long as the token is current).
fn header_value(scheme: &AuthScheme, token: &Secret) -> Result<http::HeaderValue, AuthError> {
    let (keyword, token) = (scheme.keyword().as_bytes(), token.expose().as_bytes());
    // Sized once and filled in place: no intermediate `String`, no reallocation leaving an
    // unzeroed copy behind.
    let mut bytes = vec![0; keyword.len() + 1 + token.len()].into_boxed_slice();
    let (head, tail) = bytes.split_at_mut(keyword.len());
    head.copy_from_slice(keyword);
    tail[0] = b' ';
    tail[1..].copy_from_slice(token);
    let shared = bytes::Bytes::from_owner(ZeroizedOnDrop(SecretSlice::new(bytes)));
    // `Bytes` is taken as is (validated, not copied).
    let mut v = http::HeaderValue::from_maybe_shared(shared).map_err(|_| {
        AuthError::new("the access token contains characters not allowed in an HTTP header")
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// A webhook token as a sensitive value (sent in the query string, never shown in logs).
fn query_value(token: &Secret) -> Result<http::HeaderValue, AuthError> {
    let shared = bytes::Bytes::from_owner(ZeroizedOnDrop(SecretSlice::new(
        token.expose().as_bytes().to_vec().into_boxed_slice(),
    )));
    let mut v = http::HeaderValue::from_maybe_shared(shared)
        .ok()
        .filter(|v| v.to_str().is_ok())
        .ok_or_else(|| {
            AuthError::new("the webhook token contains characters not allowed in a URL")
        })?;
    v.set_sensitive(true);
    Ok(v)
}

/// The bytes of an `Authorization` value, zeroed when dropped (by [`SecretSlice`]).
struct ZeroizedOnDrop(SecretSlice<u8>);

impl AsRef<[u8]> for ZeroizedOnDrop {
    fn as_ref(&self) -> &[u8] {
        self.0.expose_secret()
    }
}

#[cfg(test)]
impl Drop for ZeroizedOnDrop {
    fn drop(&mut self) {
        tests::ZEROIZED.with(|n| n.set(n.get() + 1));
    }
}

async fn refresh(
    http: &reqwest::Client,
    scheme: &AuthScheme,
    creds: &RefreshToken,
    token_url: &str,
    accounts_url: &str,
) -> Result<Cached, TokenError> {
    let fail = |status: Option<u16>, code: Option<String>, message: String| {
        TokenError::Auth(AuthError {
            accounts_url: Some(accounts_url.to_owned()),
            status,
            code,
            message,
        })
    };
    let timed_out = |e: &reqwest::Error| e.is_timeout().then_some(TokenError::Timeout);
    let span = tracing::info_span!(
        "cliq.token_refresh",
        accounts_url,
        status = tracing::field::Empty
    );
    // Credentials go in the form body, never in the URL (URLs show up in errors and logs).
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", creds.client_id.as_str()),
        ("client_secret", creds.client_secret.expose()),
        ("refresh_token", creds.refresh_token.expose()),
    ];
    let resp = http
        .post(token_url)
        .form(&form)
        .send()
        .instrument(span.clone())
        .await
        .map_err(|e| {
            timed_out(&e)
                .unwrap_or_else(|| fail(None, None, format!("request failed: {}", e.without_url())))
        })?;
    let status = resp.status().as_u16();
    span.record("status", status);
    let body = resp.bytes().instrument(span.clone()).await.map_err(|e| {
        timed_out(&e).unwrap_or_else(|| {
            fail(
                Some(status),
                None,
                format!("reading the answer failed: {}", e.without_url()),
            )
        })
    })?;
    let parsed: Option<TokenResponse> = serde_json::from_slice(&body).ok();
    match parsed {
        Some(TokenResponse {
            access_token: Some(token),
            expires_in,
            expires_in_sec,
            error: None,
            ..
        }) if (200..300).contains(&status) && !token.is_empty() => {
            tracing::debug!(parent: &span, "access token refreshed");
            let secs = expires_in_sec.or(match expires_in {
                // Older accounts servers sent milliseconds.
                Some(n) if n > 100_000 => Some(n / 1000),
                other => other,
            });
            Ok(Cached::new(
                scheme,
                &Secret::new(token),
                secs.map(Duration::from_secs),
            ))
        }
        Some(TokenResponse {
            error: Some(code),
            error_description,
            ..
        }) => {
            tracing::warn!(parent: &span, code, "token refresh rejected");
            let message = error_description
                .unwrap_or_else(|| "the accounts server rejected the refresh".to_owned());
            Err(fail(Some(status), Some(code), message))
        }
        _ => Err(fail(
            Some(status),
            None,
            format!(
                "unexpected answer from the accounts server ({} bytes, no access_token)",
                body.len()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    thread_local! {
        /// `Authorization` buffers dropped (and so zeroed) on this thread.
        pub(super) static ZEROIZED: Cell<usize> = const { Cell::new(0) };
    }

    fn zeroized() -> usize {
        ZEROIZED.with(Cell::get)
    }

    #[test]
    fn authorization_value_is_the_token_in_a_buffer_zeroed_with_its_last_clone() {
        let before = zeroized();
        let value = header_value(&AuthScheme::ZohoOauthtoken, &Secret::new("1000.abc")).unwrap();
        assert_eq!(value.as_bytes(), b"Zoho-oauthtoken 1000.abc");
        assert!(value.is_sensitive());
        let sent = value.clone();
        // Clones share the buffer: there is one copy of the token to zero, not one per call.
        assert_eq!(sent.as_bytes().as_ptr(), value.as_bytes().as_ptr());
        drop(value);
        assert_eq!(zeroized(), before, "still held by a clone");
        drop(sent);
        assert_eq!(zeroized(), before + 1);
    }

    fn refreshing(access_token: Option<(&str, Duration)>) -> Auth {
        let mut creds = RefreshToken::new("1000.ID", "secret", "1000.refresh");
        if let Some((token, expires_in)) = access_token {
            creds = creds.access_token(token, Some(expires_in));
        }
        let accounts = "http://127.0.0.1:9".to_owned();
        Auth::new(AuthScheme::Bearer, TokenSource::refresh(creds), accounts)
    }

    #[tokio::test]
    async fn only_a_fresh_cached_token_is_ready_without_the_refresh_path() {
        let auth = refreshing(Some(("1000.cached", Duration::from_secs(3600))));
        let ready = auth
            .ready()
            .expect("fresh and unlocked")
            .expect("a header value");
        assert_eq!(ready, "Bearer 1000.cached");
        // A refresh in flight holds the lock: callers wait for it on the refresh path.
        let AuthKind::Refresh(r) = &auth.kind else {
            panic!("a refresh-token source")
        };
        let in_flight = r.state.lock().await;
        assert!(auth.ready().is_none());
        drop(in_flight);
        // Within the expiry margin, or never fetched: refreshed on the refresh path.
        assert!(refreshing(Some(("1000.old", EXPIRY_MARGIN)))
            .ready()
            .is_none());
        assert!(refreshing(None).ready().is_none());
    }

    #[test]
    fn a_token_that_cannot_be_a_header_value_is_refused_and_its_buffer_zeroed() {
        let before = zeroized();
        let err = header_value(&AuthScheme::Bearer, &Secret::new("line\nbreak")).unwrap_err();
        assert!(
            err.to_string().contains("not allowed in an HTTP header"),
            "{err}"
        );
        assert_eq!(zeroized(), before + 1);
    }
}
