//! Typed reply modes through the test kit: immediate, deferred (ack now, follow-up via
//! `response_url`), form; and the automatic deferral of a slow deferred reply.

use std::time::Duration;

use cliq_webhook::extract::{MenuAction, Message};
use cliq_webhook::testing::{TestBot, TestRequest, TEST_RESPONSE_URL};
use cliq_webhook::{cliq_handler, Bot, Deferred, Form, Reply};

#[cliq_handler(type = "message_handler", permissions(message))]
async fn deploy_form(message: Message) -> Form {
    Form::new(
        "Deploy",
        "deploy",
        cliq_webhook::ExternalFunction("deployForm"),
    )
    .hint(message.text)
    .button_label("Go")
    .text_input("env", "Environment")
}

#[cliq_handler(type = "menu_handler", name = "Deploy")]
async fn deploy(action: MenuAction) -> Deferred {
    let name = action.name.unwrap_or_default();
    Deferred::new(Reply::text("Deploying…"), async move {
        Reply::text(format!("{name}: done"))
    })
}

#[cliq_handler(type = "mention_handler", permissions(message))]
async fn quiet(message: Message) -> Result<Deferred, String> {
    Ok(Deferred::silently(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        format!("checked {}", message.text)
    }))
}

fn bot() -> TestBot<()> {
    let bot = Bot::builder()
        .handler(deploy_form {})
        .handler(deploy {})
        .handler(quiet {})
        .build()
        .unwrap();
    TestBot::new(bot)
}

#[tokio::test]
async fn form_reply_is_the_synchronous_output() {
    let reply = bot().send(TestRequest::message("prod or staging?")).await;
    let out = reply.output().expect("output");
    assert_eq!(out["type"], "form");
    assert_eq!(out["title"], "Deploy");
    assert_eq!(out["hint"], "prod or staging?");
    assert_eq!(out["button_label"], "Go");
    assert_eq!(out["inputs"][0]["name"], "env");
    assert_eq!(out["action"]["name"], "deployForm");
}

#[tokio::test]
async fn deferred_acknowledges_now_and_follows_up_via_response_url() {
    let bot = bot();
    let now = bot.send(TestRequest::menu("Deploy")).await;
    assert_eq!(now.text(), Some("Deploying…"));
    let late = bot
        .late_reply(Duration::from_secs(5))
        .await
        .expect("follow-up");
    assert_eq!(late.url, TEST_RESPONSE_URL);
    assert_eq!(late.reply.text(), Some("Deploy: done"));
    assert!(bot.late_reply(Duration::from_millis(100)).await.is_none());
}

#[tokio::test]
async fn silent_deferred_acknowledges_with_nothing() {
    let bot = bot();
    let now = bot.send(TestRequest::mention("@bot db")).await;
    assert!(now.is_empty(), "{:?}", now.json());
    let late = bot.late_reply(Duration::from_secs(5)).await.expect("late");
    assert_eq!(late.reply.text(), Some("checked @bot db"));
}

#[tokio::test]
async fn deferred_without_response_url_answers_synchronously() {
    let bot = bot();
    let now = bot
        .send(TestRequest::menu("Deploy").response_url(None))
        .await;
    assert_eq!(now.text(), Some("Deploy: done"));
    assert!(bot.late_reply(Duration::from_millis(100)).await.is_none());
}

#[cliq_handler(type = "message_handler", permissions(message))]
async fn slow_ack(message: Message) -> Deferred {
    tokio::time::sleep(Duration::from_millis(300)).await;
    Deferred::new("ack", async move { format!("done {}", message.text) })
}

#[tokio::test]
async fn a_deferred_reply_that_misses_the_window_posts_its_follow_up() {
    let bot = Bot::builder()
        .handler(slow_ack {})
        .reply_budget(Duration::from_millis(100))
        .reply_margin(Duration::ZERO)
        .build()
        .unwrap();
    let bot = TestBot::new(bot);
    let now = bot.send(TestRequest::message("x")).await;
    assert!(now.is_empty(), "automatic deferral: {:?}", now.json());
    let late = bot.late_reply(Duration::from_secs(5)).await.expect("late");
    assert_eq!(late.reply.text(), Some("done x"));
}

#[cliq_handler(type = "menu_handler", name = "Crash")]
async fn crash() -> Deferred {
    Deferred::new("ack", async {
        if std::hint::black_box(true) {
            panic!("follow-up panicked");
        }
        "unreachable"
    })
}

#[tokio::test]
async fn a_panicking_follow_up_without_response_url_is_a_500() {
    let bot = TestBot::new(Bot::builder().handler(crash {}).build().unwrap());
    let now = bot
        .send(TestRequest::menu("Crash").response_url(None))
        .await;
    assert_eq!(now.status(), 500, "{:?}", now.json());
    assert_eq!(now.error_code(), Some("handler_failed"));
}
