//! Per-call control against a fake server: a view's timeout, retry policy and headers
//! (`Client::with_options`), and the raw response beside a call's result (`with_raw_response`).

use std::time::Duration;

use cliq_runtime::{
    with_raw_response, CallOptions, Client, Error, Request, RetryPolicy, TokenSource,
};
use http::{HeaderName, HeaderValue};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::GET_BOTS;

fn client(base: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .token(TokenSource::static_token("t"))
        .timeout(Duration::from_secs(10))
        .retry(retry)
        .header("x-team", "client")
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20))
}

async fn get(c: &Client) -> Result<cliq_runtime::RawResponse, Error<String>> {
    c.execute::<String>(Request::new(&GET_BOTS, "/bots".into()))
        .await
}

fn name(n: &'static str) -> HeaderName {
    HeaderName::from_static(n)
}

#[tokio::test]
async fn a_view_has_its_own_timeout() {
    let server = MockServer::start().await;
    Mock::given(path("/bots"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let c = client(&server.uri(), RetryPolicy::never());
    let quick = c.with_options(CallOptions::new().timeout(Duration::from_millis(50)));
    assert_eq!(quick.timeout(), Duration::from_millis(50));
    assert_eq!(
        c.timeout(),
        Duration::from_secs(10),
        "the client keeps its own"
    );
    match get(&quick).await {
        Err(Error::Timeout { after, .. }) => assert_eq!(after, Duration::from_millis(50)),
        other => panic!("expected the view's timeout, got {other:?}"),
    }
    assert_eq!(get(&c).await.map(|r| r.status).ok(), Some(200));
}

#[tokio::test]
async fn a_view_has_its_own_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(path("/bots"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/bots"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let c = client(&server.uri(), RetryPolicy::never());
    // The client does not resend: the first 503 is the answer.
    assert!(matches!(get(&c).await, Err(Error::Api { status: 503, .. })));
    // A view that resends gets past the second 503.
    let patient = c.with_options(CallOptions::new().retry(fast()));
    assert_eq!(patient.retry_policy(), fast());
    assert_eq!(get(&patient).await.map(|r| r.status).ok(), Some(200));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // And the other way: a client that resends, a view that does not.
    let server = MockServer::start().await;
    Mock::given(path("/bots"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast());
    let once = c.with_options(CallOptions::new().retry(RetryPolicy::never()));
    assert!(matches!(
        get(&once).await,
        Err(Error::Api { status: 503, .. })
    ));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_view_adds_headers_and_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let c = client(&server.uri(), RetryPolicy::never());
    let view = c.with_options(
        CallOptions::new()
            .header(name("x-team"), HeaderValue::from_static("view"))
            .header(name("x-request-id"), HeaderValue::from_static("7")),
    );
    // Options laid over a view's: later values win, the rest stays.
    let nested = view.with_options(
        CallOptions::new().header(name("x-request-id"), HeaderValue::from_static("8")),
    );
    for (client, team, id) in [
        (&c, "client", None),
        (&view, "view", Some("7")),
        (&nested, "view", Some("8")),
    ] {
        get(client).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let sent = &requests.last().unwrap().headers;
        let teams: Vec<_> = sent.get_all("x-team").iter().collect();
        assert_eq!(
            teams,
            [team],
            "one x-team header, the view's over the client's"
        );
        assert_eq!(sent.get("x-request-id").and_then(|v| v.to_str().ok()), id);
        assert_eq!(sent.get("authorization").unwrap(), "Bearer t");
    }
}

#[tokio::test]
async fn the_raw_response_comes_beside_the_result() {
    let server = MockServer::start().await;
    Mock::given(path("/bots"))
        .and(header("x-team", "client"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "29")
                .set_body_string(r#"{"data": []}"#),
        )
        .mount(&server)
        .await;
    let c = client(&server.uri(), RetryPolicy::never());
    let (result, response) =
        with_raw_response(async { get(&c).await?.json::<serde_json::Value, String>() }).await;
    assert_eq!(result.unwrap(), serde_json::json!({"data": []}));
    let response = response.expect("a response was received");
    assert_eq!(response.status, 200);
    assert_eq!(response.headers.get("x-ratelimit-remaining").unwrap(), "29");
    assert_eq!(response.text(), r#"{"data": []}"#);
    // Outside `with_raw_response` nothing is kept.
    assert!(get(&c).await.is_ok());
}

#[tokio::test]
async fn the_raw_response_of_a_failure_and_of_no_response() {
    let server = MockServer::start().await;
    Mock::given(path("/bots"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "30")
                .insert_header("x-ratelimit-limit", "30"),
        )
        .mount(&server)
        .await;
    let c = client(&server.uri(), RetryPolicy::never());
    let (result, response) = with_raw_response(get(&c)).await;
    assert!(matches!(result, Err(Error::RateLimited { .. })));
    let response = response.expect("the 429 was received");
    assert_eq!(response.status, 429);
    assert_eq!(response.headers.get("x-ratelimit-limit").unwrap(), "30");

    // Refused before sending (the lock period after that 429): no response.
    let (result, response) = with_raw_response(get(&c)).await;
    assert!(matches!(result, Err(Error::RateLimited { .. })));
    assert!(response.is_none());
}

#[tokio::test]
async fn the_raw_response_is_the_last_of_a_retried_call() {
    let server = MockServer::start().await;
    Mock::given(path("/bots"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/bots"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-attempt", "2"))
        .mount(&server)
        .await;
    let c = client(&server.uri(), fast());
    let (result, response) = with_raw_response(get(&c)).await;
    assert!(result.is_ok());
    let response = response.unwrap();
    assert_eq!(
        (
            response.status,
            response.headers.get("x-attempt").unwrap().to_str().unwrap()
        ),
        (200, "2")
    );
}
