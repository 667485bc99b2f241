//! Handlers that panic, hang or outlive the reply budget. The server answers per the protocol
//! note (`reference/webhook-protocol.md` §4.5): a panic is `500 handler_failed` JSON and the
//! server keeps serving; a handler still running when Cliq's window closes is answered
//! `{"output":{}}` at once and its reply goes to `response_url` later, exactly once; a hung
//! handler never blocks other requests. Late replies cannot be steered: no redirect is
//! followed, only Cliq's own hosts are posted to, and a handler that never finishes is dropped
//! at the late-reply deadline.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use cliq_webhook::bot::{HttpLateReplySender, LateReplyError, LateReplySender};
use cliq_webhook::extract::{BotState, Message};
use cliq_webhook::testing::{TestBot, TestRequest, TEST_RESPONSE_URL};
use cliq_webhook::{cliq_handler, Bot, Reply};
use http::StatusCode;
use serde_json::{json, Value};

#[derive(Clone, Default)]
struct App {
    finished: Arc<AtomicUsize>,
    /// Handlers dropped before they finished.
    dropped: Arc<AtomicUsize>,
}

/// Counts a handler dropped while still running.
struct DropGuard(Arc<AtomicUsize>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[cliq_handler(type = "message_handler", permissions(message))]
async fn boom(message: Message) -> Reply {
    if message.text == "panic" {
        panic!("secret detail that must not reach the caller");
    }
    Reply::text(format!("ok: {}", message.text))
}

/// Sleeps for the number of milliseconds in the text, then answers; "forever" never does.
#[cliq_handler(type = "mention_handler", permissions(message))]
async fn slow(BotState(app): BotState<App>, message: Message) -> Reply {
    if message.text == "forever" {
        let _guard = DropGuard(Arc::clone(&app.dropped));
        std::future::pending::<()>().await;
    }
    if let Some(ms) = message.text.strip_prefix("panic after ") {
        tokio::time::sleep(Duration::from_millis(ms.parse().unwrap_or(0))).await;
        panic!("late panic");
    }
    tokio::time::sleep(Duration::from_millis(message.text.parse().unwrap_or(0))).await;
    app.finished.fetch_add(1, Ordering::SeqCst);
    Reply::text(format!("late: {}", message.text))
}

/// The bot's clock (tests with deferred replies run on tokio's paused clock, so the
/// timings below are exact, not measured).
const T0: i64 = 1_767_225_600_000;

/// A bot with a 400 ms reply budget and no network margin, whose clock stands at `T0`.
fn builder(app: App) -> cliq_webhook::BotBuilder<App> {
    Bot::with_state(app)
        .handler(boom {})
        .handler(slow {})
        .reply_budget(Duration::from_millis(400))
        .reply_margin(Duration::ZERO)
        .clock(|| T0)
}

fn bot(app: App) -> Bot<App> {
    builder(app).build().expect("bot")
}

/// The bot served over TCP on 127.0.0.1 at `/`; returns its base URL.
async fn serve(bot: Bot<App>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("addr");
    let router = axum::Router::new().route_service("/", bot);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}/")
}

async fn post(client: &reqwest::Client, url: &str, body: Value) -> (StatusCode, Value) {
    let resp = client
        .post(url)
        .json(&body)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("the server answers");
    let status = StatusCode::from_u16(resp.status().as_u16()).expect("status");
    let json = resp.json().await.unwrap_or(Value::Null);
    (status, json)
}

fn message(text: &str) -> Value {
    json!({"type": "bot", "handler": {"type": "message_handler"}, "params": {"message": text}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_an_error_json_and_the_server_keeps_serving() {
    let url = serve(bot(App::default())).await;
    let client = reqwest::Client::new();
    let (status, json) = post(&client, &url, message("panic")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{json}");
    assert_eq!(json["error"]["code"], "handler_failed", "{json}");
    assert!(json["error"]["message"].is_string(), "{json}");
    assert!(
        !json.to_string().contains("secret detail"),
        "the panic message leaked: {json}"
    );
    // 50 panics and 50 good requests at once over the same server: every good one is served.
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let text = if i % 2 == 0 {
                "panic".to_owned()
            } else {
                i.to_string()
            };
            (i, post(&client, &url, message(&text)).await)
        }));
    }
    for t in tasks {
        let (i, (status, json)) = t.await.expect("task");
        if i % 2 == 0 {
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{i}: {json}");
        } else {
            assert_eq!(status, StatusCode::OK, "{i}: {json}");
            assert_eq!(json["output"]["text"], format!("ok: {i}"));
        }
    }
    let (status, json) = post(&client, &url, message("after")).await;
    assert_eq!(
        (status, &json["output"]["text"]),
        (StatusCode::OK, &json!("ok: after"))
    );
}

/// A mention created at `T0`: 400 ms of the window are left.
fn mention(text: &str) -> TestRequest {
    TestRequest::mention(text).timestamp(T0)
}

#[tokio::test(start_paused = true)]
async fn past_the_budget_the_reply_goes_to_response_url_exactly_once() {
    let app = App::default();
    let bot = TestBot::new(bot(app.clone()));
    let started = Instant::now();
    let reply = bot.send(mention("1200")).await;
    let answered = started.elapsed();
    assert_eq!(reply.status(), StatusCode::OK, "{:?}", reply.json());
    assert!(reply.is_empty(), "deferred: {:?}", reply.json());
    assert_eq!(
        answered,
        Duration::from_millis(400),
        "answered when the budget ran out, not after the handler"
    );
    let late = bot
        .late_reply(Duration::from_secs(10))
        .await
        .expect("late reply");
    assert_eq!(late.url, TEST_RESPONSE_URL);
    assert_eq!(late.reply.text(), Some("late: 1200"));
    assert!(
        bot.late_reply(Duration::from_millis(800)).await.is_none(),
        "the late reply is sent once"
    );
    assert_eq!(
        app.finished.load(Ordering::SeqCst),
        1,
        "the handler ran once"
    );
    // Within the budget the same handler answers synchronously, and nothing goes late.
    let reply = bot.send(mention("10")).await;
    assert_eq!(reply.text(), Some("late: 10"));
    assert!(bot.late_reply(Duration::from_millis(300)).await.is_none());
}

#[tokio::test(start_paused = true)]
async fn a_handler_that_panics_after_the_budget_sends_nothing_late() {
    let bot = TestBot::new(bot(App::default()));
    let reply = bot.send(mention("panic after 700")).await;
    assert_eq!(reply.status(), StatusCode::OK, "{:?}", reply.json());
    assert!(reply.is_empty(), "{:?}", reply.json());
    assert!(
        bot.late_reply(Duration::from_millis(1500)).await.is_none(),
        "a failed handler posts nothing to response_url"
    );
    assert_eq!(bot.send(mention("5")).await.text(), Some("late: 5"));
}

#[tokio::test(start_paused = true)]
async fn hung_handlers_are_answered_and_never_block_other_requests() {
    let app = App::default();
    let bot = Arc::new(TestBot::new(bot(app.clone())));
    // 20 handlers that never finish, all at once: each is answered when the budget runs out.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let bot = Arc::clone(&bot);
        tasks.push(tokio::spawn(async move {
            let started = Instant::now();
            let reply = bot.send(mention("forever")).await;
            (reply.status(), reply.is_empty(), started.elapsed())
        }));
    }
    // Meanwhile other requests are served at once.
    tokio::task::yield_now().await;
    let started = Instant::now();
    let reply = bot.send(TestRequest::message("still here")).await;
    assert_eq!(reply.text(), Some("ok: still here"));
    assert_eq!(started.elapsed(), Duration::ZERO);
    for t in tasks {
        let (status, empty, took) = t.await.expect("task");
        assert_eq!(status, StatusCode::OK);
        assert!(empty, "deferred answer");
        assert_eq!(took, Duration::from_millis(400), "answered at the budget");
    }
    assert!(
        bot.late_reply(Duration::from_millis(500)).await.is_none(),
        "nothing to send for a handler that never finishes"
    );
    assert_eq!(bot.send(mention("1")).await.text(), Some("late: 1"));
}

#[tokio::test(start_paused = true)]
async fn a_hung_handler_without_response_url_gets_504_at_the_budget() {
    let bot = TestBot::new(bot(App::default()));
    let started = Instant::now();
    let reply = tokio::time::timeout(
        Duration::from_secs(60),
        bot.send(mention("forever").response_url(None)),
    )
    .await
    .expect("answered after the reply budget, not never");
    assert_eq!(
        reply.status(),
        StatusCode::GATEWAY_TIMEOUT,
        "{:?}",
        reply.json()
    );
    assert_eq!(
        reply.error_code(),
        Some("handler_timed_out"),
        "{:?}",
        reply.json()
    );
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(400),
        "at the budget"
    );
}

/// Late-reply failures seen by the bot's observer.
fn observed() -> (
    Arc<std::sync::Mutex<Vec<LateReplyError>>>,
    impl Fn(&LateReplyError) + Send + Sync,
) {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |e: &LateReplyError| {
        sink.lock().unwrap().push(e.clone())
    })
}

#[tokio::test(start_paused = true)]
async fn a_handler_that_never_finishes_is_dropped_at_the_late_reply_deadline() {
    let app = App::default();
    let (seen, observer) = observed();
    let bot = builder(app.clone())
        .late_reply_deadline(Duration::from_secs(2))
        .on_late_reply_error(observer)
        .build()
        .expect("bot");
    let bot = TestBot::new(bot);
    let reply = bot.send(mention("forever")).await;
    assert!(
        reply.is_empty(),
        "deferred at the window: {:?}",
        reply.json()
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        app.dropped.load(Ordering::SeqCst),
        0,
        "still running before the deadline"
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        app.dropped.load(Ordering::SeqCst),
        1,
        "dropped at the deadline"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [LateReplyError::HandlerTimedOut(Duration::from_secs(2))]
    );
    assert!(bot.late_reply(Duration::from_millis(100)).await.is_none());
}

#[tokio::test(start_paused = true)]
async fn a_response_url_on_a_zoho_host_that_is_not_cliq_is_never_posted_to() {
    for url in [
        "https://accounts.zoho.com/oauth/v2/token",
        "https://evil.zoho.com/x",
        "https://www.zoho.eu/x",
        "https://x.cliq.zoho.com/x",
        "https://cliq.zoho.com:8443/x",
        "http://cliq.zoho.com/x",
    ] {
        let bot = TestBot::new(bot(App::default()));
        // Later than the window: with an allowed URL this would go late; here the URL is
        // ignored, so the handler gets the whole budget and then a 504.
        let reply = bot.send(mention("1200").response_url(Some(url))).await;
        assert_eq!(
            reply.status(),
            StatusCode::GATEWAY_TIMEOUT,
            "{url}: {:?}",
            reply.json()
        );
        assert!(
            bot.late_reply(Duration::from_secs(5)).await.is_none(),
            "{url}: nothing is posted"
        );
    }
}

/// A loopback server answering every POST with `status` and `Location: location`; returns its
/// URL and the number of requests it got.
async fn answering(status: u16, location: Option<String>) -> (url::Url, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let app = axum::Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let location = location.clone();
        async move {
            let mut resp = axum::response::Response::new(axum::body::Body::empty());
            *resp.status_mut() = StatusCode::from_u16(status).expect("status");
            if let Some(l) = location {
                resp.headers_mut()
                    .insert(http::header::LOCATION, l.parse().expect("location"));
            }
            resp
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (
        url::Url::parse(&format!("http://{addr}/responses/1")).expect("url"),
        hits,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_from_response_url_is_not_followed() {
    let (target, target_hits) = answering(200, None).await;
    let (redirecting, redirect_hits) = answering(307, Some(target.to_string())).await;

    // The default sender itself: a typed error, and nothing reaches the target.
    let sent = HttpLateReplySender::default()
        .send(
            redirecting.clone(),
            bytes::Bytes::from_static(br#"{"output":{}}"#),
        )
        .await;
    assert_eq!(
        sent,
        Err(LateReplyError::Redirected {
            status: 307,
            location: Some(target.to_string())
        })
    );

    // Through a served bot (its policy widened to the loopback server, which stands in for
    // Cliq): the late reply hits the redirecting URL once and never its target.
    let (seen, observer) = observed();
    let bot = Bot::with_state(App::default())
        .handler(slow {})
        .reply_budget(Duration::from_millis(300))
        .reply_margin(Duration::ZERO)
        .allow_response_url(|_| true)
        .on_late_reply_error(observer)
        .build()
        .expect("bot");
    let url = serve(bot).await;
    let client = reqwest::Client::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let body = json!({"type": "bot", "handler": {"type": "mention_handler"}, "timestamp": now,
                      "response_url": redirecting.as_str(), "params": {"message": "800"}});
    let (status, json) = post(&client, &url, body).await;
    assert_eq!((status, json), (StatusCode::OK, json!({"output": {}})));
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.lock().unwrap().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        *seen.lock().unwrap(),
        [LateReplyError::Redirected {
            status: 307,
            location: Some(target.to_string())
        }]
    );
    assert_eq!(
        redirect_hits.load(Ordering::SeqCst),
        2,
        "one POST by the sender test, one late reply"
    );
    assert_eq!(
        target_hits.load(Ordering::SeqCst),
        0,
        "the redirect was never followed"
    );
}
