//! The client against a local server that misbehaves at the byte level (a raw TCP listener
//! on 127.0.0.1:0): dropped connections, answers past the timeout, truncated JSON, HTML
//! error pages, `429` with and without `Retry-After`, `5xx` bursts, endless bodies, and a
//! token endpoint that fails or is slow during a refresh.
//!
//! For each: the typed error (the variant is asserted), no hang past the timeout
//! (`tokio::time::timeout` as a guard, not a performance assertion), no panic, resends of
//! idempotent methods only (the server counts what it saw per method), and no token in the
//! tracing output (one process-wide capturing subscriber at TRACE, checked after each case).
//! Some cases go through the generated client (`cliq-api`), the rest through the runtime.
//! Here rather than in `runtime/tests`: a dev-dependency of `cliq-runtime` on `cliq-api` (which
//! depends on the runtime) is a cycle that keeps the runtime from being published.

use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use cliq_api::bots::types::{BotMessage, GetBotParams, ListBotsParams};
use cliq_api::bots::types::{NoResponse, SendBotMessageParams};
use cliq_runtime::{
    Client, Error, RateLimitOrigin, RefreshToken, Request, RetryPolicy, TokenSource,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[path = "../../runtime/tests/common/mod.rs"]
mod common;
use common::{Captured, GET_BOTS, POST_MESSAGE};

const STATIC_TOKEN: &str = "1000.static-access-TOKEN-s3cr3t";
const NEW_TOKEN: &str = "1000.fresh-access-TOKEN-s3cr3t";
const OLD_TOKEN: &str = "1000.stale-access-TOKEN-s3cr3t";
const CLIENT_SECRET: &str = "client-SECRET-s3cr3t";
const REFRESH_TOKEN: &str = "1000.refresh-TOKEN-s3cr3t";
const HEADER_SECRET: &str = "api-key-HEADER-s3cr3t";

// ---------------------------------------------------------------------------------------
// The misbehaving server.

/// What the server does with one request (each connection carries exactly one).
#[derive(Clone)]
enum Act {
    /// Write these bytes, then close.
    Send(Vec<u8>),
    /// Close without answering.
    Close,
    /// Wait, then act.
    After(Duration, Box<Act>),
    /// Write these bytes (e.g. only the head), then keep the connection open, silent.
    SendThenStall(Vec<u8>),
    /// A chunked `200` whose body never ends, written as fast as the client reads.
    Endless,
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    /// Request line and headers, lower-cased.
    head: String,
}

type Script = dyn Fn(&Seen, usize) -> Act + Send + Sync;

struct Fake {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    /// Requests with `method` whose path starts with `prefix`.
    fn count(&self, method: &str, prefix: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method && s.path.starts_with(prefix))
            .count()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Start a server on 127.0.0.1:0; `script(request, n)` decides what to do with the `n`-th
/// request (from 0) to the same path.
async fn fake(script: impl Fn(&Seen, usize) -> Act + Send + Sync + 'static) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let script: Arc<Script> = Arc::new(script);
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let (script, log) = (script.clone(), log.clone());
            tokio::spawn(async move {
                let mut sock = sock;
                let Some(req) = read_request(&mut sock).await else {
                    return;
                };
                let act = {
                    let mut log = log.lock().unwrap();
                    let n = log.iter().filter(|s: &&Seen| s.path == req.path).count();
                    log.push(req.clone());
                    script(&req, n)
                };
                perform(sock, act).await;
            });
        }
    });
    Fake { base, seen }
}

async fn read_request(sock: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let line = head.lines().next().unwrap_or_default().to_owned();
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or_default().to_ascii_uppercase();
    let path = parts.next().unwrap_or_default().to_owned();
    Some(Seen { method, path, head })
}

fn perform(mut sock: TcpStream, act: Act) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(async move {
        match act {
            Act::Send(bytes) => {
                let _ = sock.write_all(&bytes).await;
                let _ = sock.shutdown().await;
            }
            Act::Close => drop(sock),
            Act::After(d, then) => {
                tokio::time::sleep(d).await;
                perform(sock, *then).await;
            }
            Act::SendThenStall(bytes) => {
                let _ = sock.write_all(&bytes).await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            Act::Endless => {
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                             transfer-encoding: chunked\r\n\r\n";
                if sock.write_all(head).await.is_err() {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                while sock.write_all(chunk.as_bytes()).await.is_ok() {}
            }
        }
    })
}

/// A complete answer with `content-length` and `connection: close`.
fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Act {
    let mut text = format!(
        "HTTP/1.1 {status} Whatever\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    Act::Send(text.into_bytes())
}

fn json(status: u16, body: &str) -> Act {
    answer(status, &[("content-type", "application/json")], body)
}

const HTML_502: &str = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\
    <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>\
    <p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor \
    incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
    exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p></body></html>";

fn html_502() -> Act {
    answer(502, &[("content-type", "text/html")], HTML_502)
}

// ---------------------------------------------------------------------------------------
// Clients, guards and the log check.

/// Short backoff so the cases stay fast; jitter still applies.
fn fast() -> RetryPolicy {
    RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20))
}

fn runtime_client(fake: &Fake, timeout: Duration, token: TokenSource) -> Client {
    Client::builder()
        .base_url(&fake.base)
        .token(token)
        .header("X-Api-Key", HEADER_SECRET)
        .timeout(timeout)
        .retry(fast())
        .build()
        .unwrap()
}

fn static_client(fake: &Fake, timeout: Duration) -> Client {
    runtime_client(fake, timeout, TokenSource::static_token(STATIC_TOKEN))
}

fn bots(fake: &Fake, timeout: Duration) -> cliq_api::bots::Client {
    cliq_api::bots::Client::new(static_client(fake, timeout))
}

/// Refresh-token credentials whose accounts server is the fake.
fn refreshing(fake: &Fake) -> RefreshToken {
    RefreshToken::new("1000.CLIENTID", CLIENT_SECRET, REFRESH_TOKEN).accounts_url(&fake.base)
}

fn get() -> Request {
    Request::new(&GET_BOTS, "/bots".into())
}

fn post() -> Request {
    Request::new(&POST_MESSAGE, "/bots/b/messages".into()).json(&serde_json::json!({"text": "hi"}))
}

/// `fut` must finish within `limit`: a guard against hangs, generous on purpose.
async fn guard<T>(limit: Duration, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, fut)
        .await
        .unwrap_or_else(|_| panic!("the client hung: no result within {limit:?}"))
}

/// Everything logged by every case of this binary, at TRACE, all crates (hyper, reqwest…).
/// One global subscriber: tracing's per-callsite interest cache is process-wide.
fn logs() -> Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        captured
    })
    .clone()
}

/// No secret in the logs so far, nor in `shown` (errors' `Debug` and `Display`).
fn assert_no_secret(shown: &[String]) {
    let logs = logs().text();
    for text in shown.iter().chain([&logs]) {
        for secret in [
            STATIC_TOKEN,
            NEW_TOKEN,
            OLD_TOKEN,
            CLIENT_SECRET,
            REFRESH_TOKEN,
            HEADER_SECRET,
            "s3cr3t",
        ] {
            assert!(!text.contains(secret), "{secret:?} leaked into: {text}");
        }
    }
}

fn shown<E: cliq_runtime::ErrorCode + std::fmt::Debug>(e: &Error<E>) -> Vec<String> {
    vec![format!("{e:?}"), e.to_string()]
}

const SHORT: Duration = Duration::from_millis(400);
const GUARD: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// Connections.

/// Closed before any answer, or after a head promising 100 bytes and 14 of them.
#[tokio::test]
async fn dropped_connection_is_a_transport_error_resent_for_get_only() {
    logs();
    let partial = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    content-length: 100\r\n\r\n{\"data\": [{\"a\""
        .to_vec();
    for act in [Act::Close, Act::Send(partial)] {
        let fake = fake(move |_, _| act.clone()).await;
        let c = static_client(&fake, GUARD);
        let err = guard(GUARD, c.execute::<String>(get())).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert_eq!(fake.count("GET", "/bots"), 3, "GET: 1 + 2 resends");
        let err2 = guard(GUARD, c.execute::<String>(post())).await.unwrap_err();
        assert!(matches!(err2, Error::Transport { .. }), "{err2:?}");
        let posts = fake.count("POST", "/bots");
        assert_eq!(posts, 1, "POST is never resent blindly");
        assert_no_secret(&[shown(&err), shown(&err2)].concat());
    }
}

/// An answer that is not HTTP at all: a transport error, not resent (the server answered).
#[tokio::test]
async fn answer_that_is_not_http_is_a_transport_error() {
    logs();
    let fake = fake(|_, _| Act::Send(b"220 smtp.example ESMTP ready\r\n\r\n".to_vec())).await;
    let c = static_client(&fake, GUARD);
    let err = guard(GUARD, c.execute::<String>(get())).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let err2 = guard(GUARD, c.execute::<String>(post())).await.unwrap_err();
    assert!(matches!(err2, Error::Transport { .. }), "{err2:?}");
    assert_eq!(fake.count("GET", "/bots"), 1);
    assert_eq!(fake.count("POST", "/bots"), 1);
    assert_no_secret(&[shown(&err), shown(&err2)].concat());
}

#[tokio::test]
async fn endless_body_stops_at_the_response_size_limit() {
    logs();
    let fake = fake(|_, _| Act::Endless).await;
    let c = Client::builder()
        .base_url(&fake.base)
        .token(TokenSource::static_token(STATIC_TOKEN))
        .max_response_bytes(1 << 20)
        .retry(fast())
        .build()
        .unwrap();
    let err = guard(GUARD, c.execute::<String>(get())).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit, .. } if limit == 1 << 20),
        "{err:?}"
    );
    assert_eq!(
        fake.count("GET", "/bots"),
        1,
        "an oversized answer is not resent"
    );
    assert_no_secret(&shown(&err));
}

// ---------------------------------------------------------------------------------------
// Answers past the timeout.

#[tokio::test]
async fn answer_past_the_timeout_is_a_timeout_and_not_resent() {
    logs();
    let late = Act::After(Duration::from_secs(5), Box::new(json(200, "{}")));
    let fake = fake(move |_, _| late.clone()).await;
    let started = tokio::time::Instant::now();
    let err = guard(
        SHORT * 5,
        bots(&fake, SHORT).list_bots(&ListBotsParams::default()),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == SHORT),
        "{err:?}"
    );
    assert!(started.elapsed() >= SHORT);
    let err2 = guard(
        SHORT * 5,
        static_client(&fake, SHORT).execute::<String>(post()),
    )
    .await
    .unwrap_err();
    assert!(err2.is_timeout(), "{err2:?}");
    assert_eq!(fake.count("GET", "/bots"), 1);
    assert_eq!(fake.count("POST", "/bots"), 1);
    assert_no_secret(&[shown(&err), shown(&err2)].concat());
}

#[tokio::test]
async fn head_then_silence_is_a_timeout() {
    logs();
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                 content-length: 50\r\n\r\n{\"da"
        .to_vec();
    let fake = fake(move |_, _| Act::SendThenStall(head.clone())).await;
    let err = guard(
        SHORT * 5,
        static_client(&fake, SHORT).execute::<String>(get()),
    )
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(fake.count("GET", "/bots"), 1);
    assert_no_secret(&shown(&err));
}

/// Slow `503`s: resending must not stretch the call past the timeout (it is the budget of
/// the whole call, resends included).
#[tokio::test]
async fn slow_503s_do_not_stretch_a_call_past_its_timeout() {
    logs();
    let timeout = Duration::from_millis(1000);
    let slow = Act::After(Duration::from_millis(700), Box::new(html_502()));
    let fake = fake(move |_, _| slow.clone()).await;
    let c = Client::builder()
        .base_url(&fake.base)
        .token(TokenSource::static_token(STATIC_TOKEN))
        .timeout(timeout)
        .retry(fast().max_retries(3))
        .build()
        .unwrap();
    // 4 sends of 700 ms each would take 2.8 s.
    let err = guard(
        timeout + Duration::from_millis(1200),
        c.execute::<String>(get()),
    )
    .await
    .unwrap_err();
    assert!(
        err.is_timeout() || err.status() == Some(502),
        "a timeout or the last 502: {err:?}"
    );
    assert!(fake.count("GET", "/bots") <= 2, "{:?}", fake.seen());
    assert_no_secret(&shown(&err));
}

// ---------------------------------------------------------------------------------------
// Bodies that are not what they should be.

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_raw_body() {
    logs();
    const CUT: &str = r#"{"data": [{"name": "support", "unique_na"#;
    let fake = fake(|seen, _| {
        if seen.path.starts_with("/bots/broken") {
            json(400, r#"{"code": "input_invalid", "mess"#)
        } else {
            json(200, CUT)
        }
    })
    .await;
    let client = bots(&fake, GUARD);
    let err = guard(GUARD, client.list_bots(&ListBotsParams::default()))
        .await
        .unwrap_err();
    match &err {
        Error::Decode { status, body, .. } => assert_eq!((*status, body.as_str()), (200, CUT)),
        other => panic!("expected Decode: {other:?}"),
    }
    // A truncated error body: still the status, no invented code, the raw body kept.
    let err2 = guard(GUARD, client.get_bot("broken", &GetBotParams::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err2, Error::Api { status: 400, code: None, message: None, body, .. }
            if body.starts_with(r#"{"code": "input_invalid""#)),
        "{err2:?}"
    );
    assert_eq!(fake.count("GET", "/bots"), 2, "neither is resent");
    assert_no_secret(&[shown(&err), shown(&err2)].concat());
}

#[tokio::test]
async fn html_502_page_is_an_api_error_resent_for_get_only() {
    logs();
    let fake = fake(|_, _| html_502()).await;
    let client = bots(&fake, GUARD);
    let err = guard(GUARD, client.get_bot("support", &GetBotParams::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { status: 502, code: None, message: None, body, .. }
            if body == HTML_502),
        "{err:?}"
    );
    // The page is kept in the error but its message stays one readable line.
    let text = err.to_string();
    assert!(
        text.starts_with("`get_details_of_a_specific_bot`: HTTP 502"),
        "{text}"
    );
    assert!(text.chars().count() < 400 && !text.contains('\n'), "{text}");
    assert_eq!(fake.count("GET", "/bots"), 3);

    let err2 = guard(
        GUARD,
        client.send_bot_message(
            "support",
            &SendBotMessageParams::default(),
            &BotMessage {
                text: Some("hi".into()),
                ..BotMessage::default()
            },
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(err2.status(), Some(502), "{err2:?}");
    assert_eq!(fake.count("POST", "/bots"), 1);
    assert_no_secret(&[shown(&err), shown(&err2)].concat());
}

// ---------------------------------------------------------------------------------------
// 429 and 5xx bursts.

#[tokio::test]
async fn status_429_with_and_without_retry_after() {
    logs();
    let in_2_min = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
    let an_hour_ago = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    // (Retry-After, expected retry_after in seconds, from..=to: None = the documented 5 min
    // lock period)
    type Case = (Option<String>, Option<(u64, u64)>);
    let cases: Vec<Case> = vec![
        (Some("7".into()), Some((7, 7))),
        (Some(in_2_min), Some((110, 120))),
        (Some(an_hour_ago), Some((0, 0))),
        (None, None),
        (Some("soon".into()), None),
        (Some("-5".into()), None),
        // Capped at a day (a duration near u64::MAX overflows `Instant + Duration`).
        (Some("18446744073709551615".into()), Some((86_400, 86_400))),
        (Some("86401".into()), Some((86_400, 86_400))),
        (Some("99999999999999999999999".into()), None),
    ];
    for (retry_after, expected) in cases {
        let header = retry_after.clone();
        let fake = fake(move |_, _| {
            let mut headers = vec![("content-type", "application/json")];
            if let Some(v) = &header {
                headers.push(("retry-after", v.as_str()));
            }
            answer(429, &headers, r#"{"code":"too_many_requests"}"#)
        })
        .await;
        let client = bots(&fake, GUARD);
        let params = ListBotsParams::default();
        let call = || client.list_bots(&params);
        let err = guard(GUARD, call()).await.unwrap_err();
        let Error::RateLimited {
            retry_after: got,
            origin: RateLimitOrigin::Server,
            ..
        } = &err
        else {
            panic!("{retry_after:?}: expected RateLimited from the server: {err:?}");
        };
        let got = got.map(|d| d.as_secs());
        match expected {
            Some((lo, hi)) => assert!(
                got.is_some_and(|g| (lo..=hi).contains(&g)),
                "Retry-After {retry_after:?}: {got:?}"
            ),
            // The operation's documented lock period.
            None => assert_eq!(got, Some(300), "Retry-After {retry_after:?}"),
        }
        assert_eq!(fake.count("GET", "/bots"), 1, "a 429 is never resent");
        // Within the lock period the next call is refused without being sent.
        if got.is_some_and(|g| g > 0) {
            let again = guard(GUARD, call()).await.unwrap_err();
            assert!(
                matches!(
                    again,
                    Error::RateLimited {
                        origin: RateLimitOrigin::LockPeriod,
                        ..
                    }
                ),
                "{again:?}"
            );
            assert_eq!(fake.count("GET", "/bots"), 1);
        }
        assert_no_secret(&shown(&err));
    }
}

#[tokio::test]
async fn status_429_on_post_is_not_resent() {
    logs();
    let fake = fake(|_, _| answer(429, &[("retry-after", "1")], "")).await;
    let err = guard(GUARD, static_client(&fake, GUARD).execute::<String>(post()))
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(fake.count("POST", "/bots"), 1);
    assert_no_secret(&shown(&err));
}

#[tokio::test]
async fn burst_of_5xx_then_success() {
    logs();
    let fake = fake(|seen, n| match (seen.method.as_str(), n) {
        ("GET", 0) => html_502(),
        ("GET", 1) => json(503, r#"{"code":"service_unavailable"}"#),
        ("GET", _) => json(
            200,
            r#"{"data": {"name": "Support", "unique_name": "support"}}"#,
        ),
        (_, 0) => json(504, "{}"),
        _ => json(204, ""),
    })
    .await;
    let client = bots(&fake, GUARD);
    let bot = guard(GUARD, client.get_bot("support", &GetBotParams::default())).await;
    assert!(bot.is_ok(), "{bot:?}");
    assert_eq!(fake.count("GET", "/bots"), 3, "502, 503, then 200");
    let message = BotMessage {
        text: Some("hi".into()),
        ..BotMessage::default()
    };
    let params = SendBotMessageParams::default();
    let err = guard(GUARD, client.send_bot_message("support", &params, &message))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 504, .. }), "{err:?}");
    assert_eq!(fake.count("POST", "/bots"), 1, "the 504 was not resent");
    // The caller decides to resend; the burst is over.
    let ok: Result<NoResponse, _> =
        guard(GUARD, client.send_bot_message("support", &params, &message)).await;
    assert!(ok.is_ok(), "{ok:?}");
    assert_eq!(fake.count("POST", "/bots"), 2);
    // A burst longer than the resends: the last answer.
    let fake = fake_5xx_forever().await;
    let err = guard(
        GUARD,
        bots(&fake, GUARD).list_bots(&ListBotsParams::default()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err:?}");
    assert_eq!(fake.count("GET", "/bots"), 3);
    assert_no_secret(&shown(&err));
}

async fn fake_5xx_forever() -> Fake {
    fake(|_, _| answer(503, &[("content-type", "text/plain")], "overloaded")).await
}

// ---------------------------------------------------------------------------------------
// The token endpoint during a refresh.

/// The API answers `200` to the fresh token and `401 invalid token` to any other.
fn api_or_token(token_endpoint: Act) -> impl Fn(&Seen, usize) -> Act + Send + Sync + 'static {
    move |seen, _| {
        if seen.path.starts_with("/oauth/v2/token") {
            token_endpoint.clone()
        } else if seen.head.contains(&format!(
            "authorization: bearer {}",
            NEW_TOKEN.to_ascii_lowercase()
        )) {
            json(200, r#"{"data": []}"#)
        } else {
            json(
                401,
                r#"{"code":"oauthtoken_invalid","message":"Invalid OAuth token"}"#,
            )
        }
    }
}

#[tokio::test]
async fn failing_token_endpoint_is_an_auth_error() {
    logs();
    let failures = [
        (
            "500 HTML",
            answer(500, &[("content-type", "text/html")], HTML_502),
            Some(500),
        ),
        (
            "truncated JSON",
            json(200, r#"{"access_token": "1000.abc"#),
            Some(200),
        ),
        (
            "no access_token",
            json(200, r#"{"api_domain": "x"}"#),
            Some(200),
        ),
        (
            "OAuth error",
            json(200, r#"{"error": "invalid_client"}"#),
            Some(200),
        ),
        ("dropped", Act::Close, None),
    ];
    for (name, act, status) in failures {
        // First use (no token yet) and a 401 with a stale token.
        for initial in [None, Some(OLD_TOKEN)] {
            let fake = fake(api_or_token(act.clone())).await;
            let mut creds = refreshing(&fake);
            if let Some(t) = initial {
                creds = creds.access_token(t, None);
            }
            let c = runtime_client(&fake, GUARD, TokenSource::refresh(creds));
            let err = guard(GUARD, c.execute::<String>(get())).await.unwrap_err();
            let Error::Auth(auth) = &err else {
                panic!("{name}, initial {initial:?}: expected Auth: {err:?}");
            };
            assert_eq!(auth.status, status, "{name}: {err:?}");
            let expected_api = usize::from(initial.is_some());
            assert_eq!(fake.count("GET", "/bots"), expected_api, "{name}");
            // A failed refresh is not repeated by the same call.
            assert_eq!(fake.count("POST", "/oauth"), 1, "{name}");
            assert_no_secret(&shown(&err));
        }
    }
}

/// `n` concurrent `GET`s through clones of `c`.
async fn concurrent_gets(
    c: &Client,
    n: usize,
) -> Vec<Result<cliq_runtime::RawResponse, Error<String>>> {
    let calls = (0..n).map(|_| {
        let c = c.clone();
        async move { c.execute::<String>(get()).await }
    });
    futures::future::join_all(calls).await
}

/// A refresh that does not finish in time is a timeout; callers waiting on it each return
/// within their own timeout, not after the refreshes of everyone queued before them.
#[tokio::test]
async fn slow_token_endpoint_is_bounded_by_the_timeout() {
    logs();
    let slow = Act::After(
        Duration::from_secs(30),
        Box::new(json(200, &format!(r#"{{"access_token": "{NEW_TOKEN}"}}"#))),
    );
    for callers in [1, 8] {
        let fake = fake(api_or_token(slow.clone())).await;
        let c = runtime_client(&fake, SHORT, TokenSource::refresh(refreshing(&fake)));
        let results = guard(SHORT * 5, concurrent_gets(&c, callers)).await;
        for r in &results {
            assert!(matches!(r, Err(Error::Timeout { .. })), "{callers}: {r:?}");
        }
        assert_eq!(fake.count("GET", "/bots"), 0);
    }
    assert_no_secret(&[]);
}

/// A refresh that failed is shared with the callers that waited for it: the accounts
/// server (which rate-limits refreshes hard) sees one request, not one per caller.
#[tokio::test]
async fn concurrent_callers_share_one_failed_refresh() {
    logs();
    let failing = Act::After(
        Duration::from_millis(200),
        Box::new(json(500, r#"{"error": "internal"}"#)),
    );
    let fake = fake(api_or_token(failing)).await;
    let c = runtime_client(&fake, GUARD, TokenSource::refresh(refreshing(&fake)));
    let results = guard(GUARD, concurrent_gets(&c, 8)).await;
    for r in &results {
        assert!(
            matches!(r, Err(Error::Auth(e)) if e.status == Some(500)),
            "{r:?}"
        );
    }
    assert_eq!(fake.count("POST", "/oauth"), 1, "{:?}", fake.seen());
    // A later call tries again.
    let again = guard(GUARD, c.execute::<String>(get())).await;
    assert!(matches!(again, Err(Error::Auth(_))), "{again:?}");
    assert_eq!(fake.count("POST", "/oauth"), 2);
    assert_no_secret(&[]);
}

#[tokio::test]
async fn refresh_then_success_and_no_api_header_goes_to_the_accounts_server() {
    logs();
    let ok = json(
        200,
        &format!(r#"{{"access_token": "{NEW_TOKEN}", "expires_in": 3600}}"#),
    );
    let fake = fake(api_or_token(ok)).await;
    let creds = refreshing(&fake).access_token(OLD_TOKEN, None);
    let c = runtime_client(&fake, GUARD, TokenSource::refresh(creds));
    let r = guard(GUARD, c.execute::<String>(get())).await;
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(fake.count("GET", "/bots"), 2, "401, refresh, then 200");
    let seen = fake.seen();
    let token_request = seen.iter().find(|s| s.path.starts_with("/oauth")).unwrap();
    // Headers configured for the API (here a secret key) are not sent to another server.
    assert!(
        !token_request.head.contains("x-api-key"),
        "{}",
        token_request.head
    );
    assert!(!token_request.head.contains("authorization"));
    assert!(seen
        .iter()
        .filter(|s| s.path.starts_with("/bots"))
        .all(|s| s.head.contains("x-api-key")));
    assert_no_secret(&[]);
}

// ---------------------------------------------------------------------------------------
// Redirects.

/// A redirect to another server: neither the token nor the custom headers go there, and a
/// `POST` body is not sent twice.
#[tokio::test]
async fn redirect_to_another_origin_carries_no_secret() {
    logs();
    let elsewhere = fake(|_, _| json(200, r#"{"data": []}"#)).await;
    let target = elsewhere.base.clone();
    let fake = fake(move |seen, _| {
        let location = format!("{target}{}", seen.path);
        answer(307, &[("location", location.as_str())], "")
    })
    .await;
    let c = static_client(&fake, GUARD);
    let got = guard(GUARD, c.execute::<String>(get())).await;
    let post = guard(GUARD, c.execute::<String>(post())).await;
    for s in elsewhere.seen() {
        assert!(!s.head.contains("authorization"), "{}", s.head);
        assert!(!s.head.contains("x-api-key"), "{}", s.head);
    }
    assert_eq!(elsewhere.count("POST", "/bots"), 0, "{post:?}");
    assert!(
        matches!(&got, Err(Error::Api { status: 307, .. })),
        "not followed: {got:?}"
    );
    let shown: Vec<String> = [got.err(), post.err()]
        .iter()
        .flatten()
        .flat_map(shown)
        .collect();
    assert_no_secret(&shown);
}
