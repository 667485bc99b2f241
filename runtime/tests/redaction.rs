//! Secrets (tokens, client secret, refresh token, custom header values) never show in
//! `Debug`, `Display`, errors or tracing output. Its own test binary: tracing's per-callsite
//! interest cache is process-global, so other tests running in parallel threads without a
//! subscriber could otherwise switch the spans off.

use cliq_runtime::{Client, ErrorCode, Method, OperationMeta, RefreshToken, Request, TokenSource};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::Captured;

const LIST_ALL_BOTS: OperationMeta = OperationMeta {
    operation_id: "list_all_bots",
    method: Method::Get,
    path: "/bots",
    scopes: &["ZohoCliq.Bots.READ"],
    rate_limit: None,
};

const CLIENT_SECRET: &str = "client-secret-s3cr3t-value";
const REFRESH_TOKEN: &str = "1000.refresh-token-s3cr3t";
const OLD_TOKEN: &str = "1000.old-access-token-s3cr3t";
const NEW_TOKEN: &str = "1000.new-access-token-s3cr3t";

#[derive(Debug, Clone, PartialEq)]
struct Code(String);
impl ErrorCode for Code {
    fn from_code(code: &str) -> Self {
        Code(code.to_owned())
    }
    fn as_str(&self) -> &str {
        &self.0
    }
}

fn list_bots() -> Request {
    Request::new(&LIST_ALL_BOTS, "/bots".to_owned())
}

fn assert_no_secret(text: &str) {
    for secret in [CLIENT_SECRET, REFRESH_TOKEN, OLD_TOKEN, NEW_TOKEN, "s3cr3t"] {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked into: {text}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn secrets_never_show_in_debug_errors_or_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": NEW_TOKEN, "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(header(
            "authorization",
            format!("Bearer {OLD_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"code": "oauthtoken_invalid", "message": "Invalid OAuth token"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(header("authorization", format!("Bearer {NEW_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            serde_json::json!({"code": "no_permission", "message": "The user does not have enough permission"}),
        ))
        .mount(&server)
        .await;

    let source = TokenSource::refresh(
        RefreshToken::new("1000.CLIENTID", CLIENT_SECRET, REFRESH_TOKEN)
            .accounts_url(server.uri())
            .access_token(OLD_TOKEN, None),
    );
    let static_source = TokenSource::static_token(OLD_TOKEN);
    let client = Client::builder()
        .base_url(server.uri())
        .token(source.clone())
        .header("X-Api-Key", "s3cr3t-header")
        .build()
        .unwrap();
    let err = client.execute::<Code>(list_bots()).await.unwrap_err();
    assert_eq!(err.status(), Some(403));

    let mut shown = vec![
        format!("{source:?}"),
        format!("{static_source:?}"),
        format!("{client:?}"),
        format!("{err:?}"),
        err.to_string(),
    ];
    let log_text = logs.text();
    assert!(
        log_text.contains("cliq.request"),
        "spans are logged: {log_text}"
    );
    assert!(log_text.contains("list_all_bots"), "{log_text}");
    assert!(log_text.contains("status=403"), "{log_text}");
    assert!(log_text.contains("latency_ms="), "{log_text}");
    shown.push(log_text);
    for text in &shown {
        assert_no_secret(text);
    }
}
