//! Retries after transient failures, against local fake servers: wiremock for `502`/`503`/
//! `504`, a raw TCP listener that resets connections for transport failures.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cliq_runtime::{Client, Error, Request, RetryPolicy, TokenSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{GET_BOTS, POST_MESSAGE};

/// Short delays so the tests stay fast; jitter still applies.
fn fast() -> RetryPolicy {
    RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20))
}

fn client(base: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .token(TokenSource::static_token("t"))
        .retry(policy)
        .build()
        .unwrap()
}

/// `status` for the first `failures` calls, then 200.
async fn flaky(status: u16, failures: u64, route: &str, m: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(m))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method(m))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn get_is_retried_after_502_503_504() {
    for status in [502, 503, 504] {
        let server = flaky(status, 2, "/bots", "GET").await;
        let c = client(&server.uri(), fast());
        let r = c
            .execute::<String>(Request::new(&GET_BOTS, "/bots".into()))
            .await;
        assert_eq!(r.map(|r| r.status).ok(), Some(200), "after {status}");
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn retries_stop_at_the_limit_with_the_last_answer() {
    let server = flaky(503, 10, "/bots", "GET").await;
    let c = client(&server.uri(), fast().max_retries(2));
    let err = c
        .execute::<String>(Request::new(&GET_BOTS, "/bots".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn post_is_not_retried_unless_opted_in() {
    let server = flaky(503, 1, "/bots/b/messages", "POST").await;
    let req = || Request::new(&POST_MESSAGE, "/bots/b/messages".into()).json(&"hi");
    let err = client(&server.uri(), fast())
        .execute::<String>(req())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let ok = client(&server.uri(), fast().non_idempotent(true))
        .execute::<String>(req())
        .await
        .unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for status in [400, 404, 500, 429] {
        let server = flaky(status, 1, "/bots", "GET").await;
        let r = client(&server.uri(), fast())
            .execute::<String>(Request::new(&GET_BOTS, "/bots".into()))
            .await;
        assert_eq!(r.unwrap_err().status(), Some(status));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

/// Accepts connections and resets them (RST) without answering, `resets` times; then
/// answers `200 {}`.
async fn resetting_server(resets: usize) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut sock, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            if n < resets {
                let _ = sock.set_zero_linger();
                drop(sock);
            } else {
                let _ = sock
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                    )
                    .await;
            }
        }
    });
    (format!("http://{addr}"), accepted)
}

#[tokio::test]
async fn connection_reset_is_retried_for_get() {
    let (base, accepted) = resetting_server(2).await;
    let r = client(&base, fast())
        .execute::<String>(Request::new(&GET_BOTS, "/bots".into()))
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn connection_reset_is_a_transport_error_for_post() {
    let (base, accepted) = resetting_server(1).await;
    let err = client(&base, fast())
        .execute::<String>(Request::new(&POST_MESSAGE, "/bots/b/messages".into()).json(&"hi"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn never_means_one_attempt() {
    let server = flaky(503, 1, "/bots", "GET").await;
    let r = client(&server.uri(), RetryPolicy::never())
        .execute::<String>(Request::new(&GET_BOTS, "/bots".into()))
        .await;
    assert_eq!(r.unwrap_err().status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
