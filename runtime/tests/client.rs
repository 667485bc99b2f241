//! `cliq-runtime` against a local fake server (wiremock): auth and token refresh,
//! rate limits, data centers and networks, pagination, errors, secret redaction.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cliq_runtime::{
    paginate, AuthScheme, Client, DataCenter, Error, ErrorCode, Method, OperationMeta, Page,
    RateLimit, RateLimitOrigin, RefreshToken, Request, TokenSource,
};
use futures::StreamExt;
use serde::Deserialize;
use wiremock::matchers::{
    body_string_contains, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST_ALL_BOTS: OperationMeta = OperationMeta {
    operation_id: "list_all_bots",
    method: Method::Get,
    path: "/bots",
    scopes: &["ZohoCliq.Bots.READ"],
    rate_limit: Some(RateLimit {
        requests: 30,
        window: Duration::from_secs(60),
        per: "user",
        lock_period: Some(Duration::from_secs(300)),
    }),
};

const SEND_A_BOT_MESSAGE: OperationMeta = OperationMeta {
    operation_id: "send_a_bot_message",
    method: Method::Post,
    path: "/bots/{BOT_UNIQUE_NAME}/messages",
    scopes: &["ZohoCliq.Webhooks.CREATE"],
    rate_limit: None,
};

/// A generated-style error-code enum.
#[derive(Debug, Clone, PartialEq)]
enum TestCode {
    InvalidScope,
    Other(String),
}

impl ErrorCode for TestCode {
    fn from_code(code: &str) -> Self {
        match code {
            "invalid_scope" => TestCode::InvalidScope,
            other => TestCode::Other(other.to_owned()),
        }
    }
    fn as_str(&self) -> &str {
        match self {
            TestCode::InvalidScope => "invalid_scope",
            TestCode::Other(s) => s,
        }
    }
}

const CLIENT_SECRET: &str = "client-secret-s3cr3t-value";
const REFRESH_TOKEN: &str = "1000.refresh-token-s3cr3t";
const OLD_TOKEN: &str = "1000.old-access-token-s3cr3t";
const NEW_TOKEN: &str = "1000.new-access-token-s3cr3t";

fn list_bots() -> Request {
    Request::new(&LIST_ALL_BOTS, "/bots".to_owned())
}

/// A client calling `server` with `token` and otherwise default settings.
fn client_for(server: &MockServer, token: impl Into<TokenSource>) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token(token)
        .build()
        .unwrap()
}

fn refresh_creds(server: &MockServer) -> RefreshToken {
    RefreshToken::new("1000.CLIENTID", CLIENT_SECRET, REFRESH_TOKEN).accounts_url(server.uri())
}

async fn mount_token_endpoint(server: &MockServer, expected_calls: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains(
            "refresh_token=1000.refresh-token-s3cr3t",
        ))
        .and(body_string_contains("client_id=1000.CLIENTID"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({
                    "access_token": NEW_TOKEN,
                    "api_domain": "https://www.zohoapis.com",
                    "token_type": "Bearer",
                    "expires_in": 3600
                }))
                // Make the refresh slow enough that concurrent callers overlap.
                .set_delay(Duration::from_millis(100)),
        )
        .expect(expected_calls)
        .mount(server)
        .await;
}

async fn mount_bots_accepting(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn token_refresh_on_401_is_single_flight_under_20_concurrent_calls() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(header(
            "authorization",
            format!("Bearer {OLD_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "code": "oauthtoken_invalid",
            "message": "Request was rejected because of invalid AuthToken."
        })))
        .expect(20)
        .mount(&server)
        .await;
    mount_bots_accepting(&server, NEW_TOKEN).await;

    let client = client_for(
        &server,
        refresh_creds(&server).access_token(OLD_TOKEN, None),
    );
    let calls = (0..20).map(|_| client.execute::<TestCode>(list_bots()));
    let results = futures::future::join_all(calls).await;
    for r in &results {
        let resp = r.as_ref().expect("every call succeeds after the refresh");
        assert_eq!(resp.status, 200);
    }
    // 20 rejected + 20 retried + 1 refresh; `.expect(1)` on the token endpoint is
    // verified when the server drops.
    let received = server.received_requests().await.unwrap();
    let refreshes = received
        .iter()
        .filter(|r| r.url.path() == "/oauth/v2/token")
        .count();
    assert_eq!(refreshes, 1);
    assert_eq!(received.len(), 41);
}

#[tokio::test]
async fn token_fetched_once_for_20_concurrent_first_calls() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    mount_bots_accepting(&server, NEW_TOKEN).await;
    let client = client_for(&server, refresh_creds(&server));
    let results =
        futures::future::join_all((0..20).map(|_| client.execute::<TestCode>(list_bots()))).await;
    assert!(results.iter().all(|r| r.is_ok()));
    // And the cached token is reused afterwards.
    client.execute::<TestCode>(list_bots()).await.unwrap();
}

#[tokio::test]
async fn static_token_401_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "code": "oauthtoken_invalid", "message": "Invalid OAuth token"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.code(),
        Some(&TestCode::Other("oauthtoken_invalid".into()))
    );
}

#[tokio::test]
async fn refreshable_401_not_about_the_token_is_not_retried() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "code": "scope_mismatch", "message": "The scope ZohoCliq.Bots.READ is missing"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, refresh_creds(&server));
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some(&TestCode::Other("scope_mismatch".into())));
}

#[tokio::test]
async fn refresh_rejected_by_accounts_server_is_an_auth_error_with_region_hint() {
    let server = MockServer::start().await;
    // Zoho answers 200 with an `error` field when the refresh token is from another region.
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"error": "invalid_code"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server, refresh_creds(&server));
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    match &err {
        Error::Auth(a) => {
            assert_eq!(a.code.as_deref(), Some("invalid_code"));
            assert_eq!(a.accounts_url.as_deref(), Some(server.uri().as_str()));
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.contains("invalid_code") && shown.contains("data center"),
        "{shown}"
    );
    assert_no_secret(&shown);
    assert_no_secret(&format!("{err:?}"));
    // The API itself was never called without a token.
    let received = server.received_requests().await.unwrap();
    assert!(received.iter().all(|r| r.url.path() == "/oauth/v2/token"));
}

#[tokio::test]
async fn rate_limited_429_surfaces_retry_after_and_does_not_hammer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "120")
                .set_body_json(serde_json::json!({"message": "Too many requests within a certain time frame."})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    match &err {
        Error::RateLimited {
            operation,
            retry_after,
            limit,
            origin,
            body,
        } => {
            assert_eq!(*operation, "list_all_bots");
            assert_eq!(*retry_after, Some(Duration::from_secs(120)));
            assert_eq!(limit.map(|l| l.requests), Some(30));
            assert_eq!(*origin, RateLimitOrigin::Server);
            assert!(body.contains("Too many requests"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(err.status(), Some(429));
    assert!(err.to_string().contains("retry after"), "{err}");

    // Retrying immediately is refused locally: the server sees only one request.
    let again = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    match again {
        Error::RateLimited {
            origin,
            retry_after,
            ..
        } => {
            assert_eq!(origin, RateLimitOrigin::LockPeriod);
            let left = retry_after.unwrap();
            assert!(
                left <= Duration::from_secs(120) && left > Duration::from_secs(100),
                "{left:?}"
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // Other operations are not locked.
    Mock::given(method("POST"))
        .and(path("/bots/supportbot/messages"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let req = Request::new(&SEND_A_BOT_MESSAGE, "/bots/supportbot/messages".into())
        .json(&serde_json::json!({"text": "hi"}));
    client.execute::<TestCode>(req).await.unwrap();
}

#[tokio::test]
async fn rate_limited_429_without_retry_after_uses_documented_lock_period() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(300)));
}

#[test]
fn data_center_url_selection() {
    let expected = [
        (
            DataCenter::Us,
            "https://cliq.zoho.com/api/v3",
            "https://accounts.zoho.com",
        ),
        (
            DataCenter::Eu,
            "https://cliq.zoho.eu/api/v3",
            "https://accounts.zoho.eu",
        ),
        (
            DataCenter::In,
            "https://cliq.zoho.in/api/v3",
            "https://accounts.zoho.in",
        ),
        (
            DataCenter::Au,
            "https://cliq.zoho.com.au/api/v3",
            "https://accounts.zoho.com.au",
        ),
        (
            DataCenter::Cn,
            "https://cliq.zoho.com.cn/api/v3",
            "https://accounts.zoho.com.cn",
        ),
        (
            DataCenter::Jp,
            "https://cliq.zoho.jp/api/v3",
            "https://accounts.zoho.jp",
        ),
        (
            DataCenter::Sa,
            "https://cliq.zoho.sa/api/v3",
            "https://accounts.zoho.sa",
        ),
        (
            DataCenter::Uk,
            "https://cliq.zoho.uk/api/v3",
            "https://accounts.zoho.uk",
        ),
        (
            DataCenter::Ca,
            "https://cliq.zohocloud.ca/api/v3",
            "https://accounts.zohocloud.ca",
        ),
    ];
    for (dc, api, accounts) in expected {
        let client = Client::builder()
            .data_center(dc)
            .token(RefreshToken::new("id", "secret", "refresh"))
            .build()
            .unwrap();
        assert_eq!(client.base_url(), api);
        assert_eq!(client.data_center(), Some(dc));
        // Tokens are region-bound: refresh goes to the same data center's accounts server.
        assert_eq!(client.accounts_url(), Some(accounts));
    }
    let networked = Client::builder()
        .data_center(DataCenter::Eu)
        .network("zylkerclients")
        .token(TokenSource::static_token("t"))
        .build()
        .unwrap();
    assert_eq!(
        networked.base_url(),
        "https://cliq.zoho.eu/network/zylkerclients/api/v3"
    );
    assert_eq!(networked.accounts_url(), None);
    assert!(matches!(
        Client::builder().build(),
        Err(cliq_runtime::BuildError::MissingToken)
    ));
}

#[tokio::test]
async fn network_prefix_is_sent_on_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/network/zylkerclients/api/v3/bots"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/api/v3", server.uri()))
        .network("zylkerclients")
        .token(TokenSource::static_token(OLD_TOKEN))
        .build()
        .unwrap();
    assert_eq!(
        client.base_url(),
        format!("{}/network/zylkerclients/api/v3", server.uri())
    );
    client.execute::<TestCode>(list_bots()).await.unwrap();
}

#[tokio::test]
async fn user_agent_is_the_crates_by_default_and_the_callers_when_set() {
    let server = MockServer::start().await;
    let default = concat!("cliq-rs/", env!("CARGO_PKG_VERSION"));
    for (ua, expected) in [(None, default), (Some("acme-bot/2.1"), "acme-bot/2.1")] {
        Mock::given(method("GET"))
            .and(path("/bots"))
            .and(header("user-agent", expected))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .expect(1)
            .named(expected)
            .mount(&server)
            .await;
        let mut builder = Client::builder()
            .base_url(server.uri())
            .token(TokenSource::static_token(OLD_TOKEN));
        if let Some(ua) = ua {
            builder = builder.user_agent(ua);
        }
        let client = builder.build().unwrap();
        client.execute::<TestCode>(list_bots()).await.unwrap();
        let sent = server.received_requests().await.unwrap();
        let last = sent.last().unwrap();
        assert_eq!(last.headers.get_all("user-agent").iter().count(), 1);
    }
    // A value HTTP cannot carry is refused when the client is built.
    let refused = Client::builder()
        .token(TokenSource::static_token(OLD_TOKEN))
        .user_agent("line\nbreak")
        .build();
    assert!(refused.is_err());
}

#[tokio::test]
async fn auth_scheme_bearer_by_default_and_zoho_oauthtoken_on_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(header("authorization", "Zoho-oauthtoken abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(header("authorization", "Bearer abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    for scheme in [AuthScheme::ZohoOauthtoken, AuthScheme::Bearer] {
        let client = Client::builder()
            .base_url(server.uri())
            .auth_scheme(scheme)
            .token(TokenSource::static_token("abc"))
            .build()
            .unwrap();
        client.execute::<TestCode>(list_bots()).await.unwrap();
    }
}

#[derive(Debug, Deserialize)]
struct BotList {
    data: Vec<Bot>,
    next_token: Option<String>,
    sync_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Bot {
    unique_name: String,
}

impl Page for BotList {
    type Item = Bot;
    fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
    fn into_items(self) -> Vec<Bot> {
        self.data
    }
    fn sync_token(&self) -> Option<&str> {
        self.sync_token.as_deref()
    }
}

#[tokio::test]
async fn pagination_follows_next_token_across_3_pages() {
    let server = MockServer::start().await;
    let page = |names: &[&str], next: Option<&str>| {
        let data: Vec<_> = names
            .iter()
            .map(|n| serde_json::json!({"unique_name": n}))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "url": "/api/v3/bots", "type": "bot", "data": data,
            "next_token": next, "sync_token": "SYNC"
        }))
    };
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param_is_missing("next_token"))
        .and(query_param("limit", "2"))
        .respond_with(page(&["a", "b"], Some("P2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param("next_token", "P2"))
        .respond_with(page(&["c", "d"], Some("P3")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param("next_token", "P3"))
        .respond_with(page(&["e"], None))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let names: Vec<String> = paginate(|next: Option<String>| {
        let client = client.clone();
        async move {
            let mut req = list_bots().query("limit", 2);
            if let Some(t) = next {
                req = req.query("next_token", t);
            }
            client
                .execute::<TestCode>(req)
                .await?
                .json::<BotList, TestCode>()
        }
    })
    .map(|r| r.unwrap().unique_name)
    .collect()
    .await;
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn api_error_carries_typed_code_message_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"message":"The provided scope value is invalid.","code":"invalid_scope"}"#;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    match &err {
        Error::Api {
            operation,
            status,
            code,
            message,
            body: raw,
        } => {
            assert_eq!(*operation, "list_all_bots");
            assert_eq!(*status, 400);
            assert_eq!(code, &Some(TestCode::InvalidScope));
            assert_eq!(
                message.as_deref(),
                Some("The provided scope value is invalid.")
            );
            assert_eq!(raw, body);
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "`list_all_bots`: HTTP 400 (invalid_scope): The provided scope value is invalid."
    );
}

#[tokio::test]
async fn undecodable_success_body_keeps_raw_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let raw = client.execute::<TestCode>(list_bots()).await.unwrap();
    let err = raw.json::<BotList, TestCode>().unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, body, .. } if body == "<html>maintenance</html>")
    );
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .token(TokenSource::static_token(OLD_TOKEN))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn unserializable_body_is_an_encode_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], 1); // non-string map keys cannot be JSON
    let req = Request::new(&SEND_A_BOT_MESSAGE, "/bots/x/messages".into()).json(&bad);
    let client = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    let err = client.execute::<TestCode>(req).await.unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

fn assert_no_secret(text: &str) {
    for secret in [CLIENT_SECRET, REFRESH_TOKEN, OLD_TOKEN, NEW_TOKEN, "s3cr3t"] {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked into: {text}"
        );
    }
}

#[tokio::test]
async fn client_side_rate_limiter_holds_back_calls_over_threshold() {
    const TWO_PER_MINUTE: OperationMeta = OperationMeta {
        operation_id: "two_per_minute",
        method: Method::Get,
        path: "/bots",
        scopes: &[],
        rate_limit: Some(RateLimit {
            requests: 2,
            window: Duration::from_secs(60),
            per: "user",
            lock_period: None,
        }),
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(2)
        .mount(&server)
        .await;
    let observed = Arc::new(Mutex::new(Vec::new()));
    let sink = observed.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .token(TokenSource::static_token(OLD_TOKEN))
        .rate_limiter(true)
        .on_response(move |info| {
            sink.lock().unwrap().push((info.operation_id, info.status));
        })
        .build()
        .unwrap();
    let req = || Request::new(&TWO_PER_MINUTE, "/bots".into());
    client.execute::<TestCode>(req()).await.unwrap();
    client.execute::<TestCode>(req()).await.unwrap();
    // The third call waits for the window (a minute): it is still waiting after 500 ms.
    let third = tokio::time::timeout(
        Duration::from_millis(500),
        client.execute::<TestCode>(req()),
    )
    .await;
    assert!(third.is_err(), "third call was not held back");
    assert_eq!(
        *observed.lock().unwrap(),
        [("two_per_minute", 200), ("two_per_minute", 200)]
    );
    // Without the limiter the same calls go straight through.
    let unlimited = client_for(&server, TokenSource::static_token(OLD_TOKEN));
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(3)
        .mount(&server)
        .await;
    for _ in 0..3 {
        unlimited.execute::<TestCode>(req()).await.unwrap();
    }
}

#[tokio::test]
async fn transport_error_names_the_operation_but_not_query_secrets() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .token(TokenSource::static_token(OLD_TOKEN))
        .build()
        .unwrap();
    let req = list_bots().query("extension_key", "ext-key-s3cr3t");
    let err = client.execute::<TestCode>(req).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "list_all_bots",
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
    assert_no_secret(&shown);
}

#[tokio::test]
async fn token_that_is_not_a_header_value_is_an_auth_error_at_call_time_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let bad = "1000.bad\ntoken";
    let refreshable = refresh_creds(&server).access_token(bad, Some(Duration::from_secs(3600)));
    for token in [
        TokenSource::static_token(bad),
        TokenSource::refresh(refreshable),
    ] {
        // The client still builds; the call says why it cannot authenticate, twice alike
        // (the value is built once per token, the error is kept with it).
        let client = client_for(&server, token);
        for _ in 0..2 {
            let err = client.execute::<TestCode>(list_bots()).await.unwrap_err();
            assert!(
                matches!(&err, Error::Auth(e) if e.to_string().contains("not allowed in an HTTP header")),
                "{err:?}"
            );
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
