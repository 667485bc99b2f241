//! Replay protection with signature verification on: stale and future timestamps, repeated
//! deliveries, a configurable window, an injected clock; and what happens with it off.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cliq_webhook::bot::DEFAULT_REPLAY_WINDOW;
use cliq_webhook::extract::{BotState, Message};
use cliq_webhook::testing::{TestBot, TestRequest, TEST_PUBLIC_KEY_PEM};
use cliq_webhook::{cliq_handler, Bot, BotBuilder};
use http::StatusCode;

#[derive(Clone, Default)]
struct App {
    calls: Arc<AtomicUsize>,
}

#[cliq_handler(type = "message_handler", permissions(message))]
async fn echo(BotState(app): BotState<App>, message: Message) -> String {
    app.calls.fetch_add(1, Ordering::SeqCst);
    message.text
}

const T0: i64 = 1_767_225_600_000;
const MIN: i64 = 60_000;

fn bot(
    clock: &Arc<AtomicI64>,
    tune: impl FnOnce(BotBuilder<App>) -> BotBuilder<App>,
) -> (TestBot<App>, App) {
    let c = Arc::clone(clock);
    let app = App::default();
    let builder = Bot::with_state(app.clone())
        .handler(echo {})
        .clock(move || c.load(Ordering::SeqCst));
    (TestBot::new(tune(builder).build().expect("bot")), app)
}

/// A message request created at `ts`, without `response_url` (an old timestamp would
/// otherwise send the reply late, through it).
fn msg(text: &str, ts: i64) -> TestRequest {
    TestRequest::message(text).timestamp(ts).response_url(None)
}

fn signed(b: BotBuilder<App>) -> BotBuilder<App> {
    b.signature_public_key_pem(TEST_PUBLIC_KEY_PEM)
}

#[tokio::test]
async fn stale_future_and_repeated_signed_requests_are_refused() {
    assert_eq!(DEFAULT_REPLAY_WINDOW, Duration::from_secs(300));
    let clock = Arc::new(AtomicI64::new(T0));
    let (bot, app) = bot(&clock, signed);

    let fresh = msg("hi", T0 - 2 * MIN);
    assert_eq!(bot.send(fresh.clone()).await.text(), Some("hi"));

    // The same delivery again (same bytes, so the same signature): refused.
    let again = bot.send(fresh.clone()).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "{:?}", again.json());
    assert_eq!(again.error_code(), Some("replayed_request"));

    for (name, ts) in [
        ("from 2017", 1_500_000_000_000),
        ("6 min old", T0 - 6 * MIN),
        ("6 min ahead", T0 + 6 * MIN),
    ] {
        let r = bot.send(msg(name, ts)).await;
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "{name}: {:?}",
            r.json()
        );
        assert_eq!(r.error_code(), Some("stale_request"), "{name}");
    }
    // Within the window on either side: accepted.
    for ts in [T0 - 5 * MIN, T0 + 4 * MIN] {
        let r = bot.send(msg("edge", ts)).await;
        assert_eq!(r.status(), StatusCode::OK, "{ts}: {:?}", r.json());
    }
    // No timestamp at all: the age is unknown, so it is refused.
    let body = br#"{"type":"bot","handler":{"type":"message_handler"},"params":{"message":"x"}}"#;
    let r = bot.send_raw(body.to_vec()).await;
    assert_eq!(r.error_code(), Some("stale_request"), "{:?}", r.json());

    // Later, the remembered delivery has left the window: it is stale now, not "replayed",
    // and a new request is served.
    clock.store(T0 + 10 * MIN, Ordering::SeqCst);
    assert_eq!(bot.send(fresh).await.error_code(), Some("stale_request"));
    let now = msg("later", T0 + 10 * MIN);
    assert_eq!(bot.send(now).await.text(), Some("later"));
    assert_eq!(
        app.calls.load(Ordering::SeqCst),
        4,
        "refused requests never ran the handler"
    );
}

#[tokio::test]
async fn the_window_is_configurable() {
    let clock = Arc::new(AtomicI64::new(T0));
    let (bot, _) = bot(&clock, |b| signed(b).replay_window(Duration::from_secs(30)));
    let old = bot.send(msg("a", T0 - 31_000)).await;
    assert_eq!(old.error_code(), Some("stale_request"));
    let ok = bot.send(msg("b", T0 - 29_000)).await;
    assert_eq!(ok.text(), Some("b"));
}

/// Without signature verification there is nothing authentic to remember or to date: old
/// and repeated requests are served (documented on `BotBuilder::signature_public_key`).
#[tokio::test]
async fn without_verification_there_is_no_replay_protection() {
    let clock = Arc::new(AtomicI64::new(T0));
    let (bot, app) = bot(&clock, |b| b.shared_secret("s3cret"));
    let bot = bot.shared_secret("s3cret");
    let old = msg("old", 1_500_000_000_000);
    assert_eq!(bot.send(old.clone()).await.text(), Some("old"));
    assert_eq!(bot.send(old).await.text(), Some("old"));
    assert_eq!(app.calls.load(Ordering::SeqCst), 2);
}
