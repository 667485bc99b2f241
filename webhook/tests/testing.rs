//! The test kit (`cliq_webhook::testing`) against one handler of each of the eight types.

use std::time::Duration;

use cliq_webhook::extract::{
    Attachments, CallEvent, Chat, ContextAnswers, IncomingWebhook, Location, MenuAction, Message,
    NewUser, Participation, User,
};
use cliq_webhook::testing::{TestBot, TestRequest, TEST_PUBLIC_KEY_PEM, TEST_RESPONSE_URL};
use cliq_webhook::{cliq_handler, Bot, Button, Card, Context, Reply};
use http::StatusCode;

#[cliq_handler(
    type = "message_handler",
    permissions(message, user, chat, location, attachments)
)]
async fn on_message(
    message: Message,
    user: User,
    chat: Chat,
    location: Location,
    attachments: Attachments,
) -> Reply {
    Reply::text(format!(
        "{} in {}: {} [{} {}]",
        user.first_name.unwrap_or_default(),
        chat.id.unwrap_or_default(),
        message.text,
        location.status.unwrap_or_default(),
        attachments.0.len()
    ))
    .button(Button::open_url("Docs", "https://example.com"))
}

#[cliq_handler(type = "mention_handler", permissions(message))]
async fn on_mention(message: Message) -> String {
    format!("mentioned: {}", message.text)
}

#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn on_welcome(user: User, new: NewUser) -> Reply {
    Reply::text(format!(
        "hello {} ({})",
        user.first_name.unwrap_or_default(),
        new.0
    ))
    .suggestions(["help", "status"])
}

#[cliq_handler(type = "context_handler", permissions(user))]
async fn on_context(answers: ContextAnswers) -> Reply {
    let city = answers.answers.get("city").cloned().unwrap_or_default();
    Reply::text(format!("{}: {city}", answers.context_id))
}

#[cliq_handler(type = "participation_handler", permissions(chat))]
async fn on_participation(p: Participation, chat: Chat) -> String {
    format!("{} in {}", p.operation, chat.id.unwrap_or_default())
}

#[cliq_handler(type = "incoming_webhook_handler", permissions(user))]
async fn on_incoming(hook: IncomingWebhook) -> Reply {
    let build = hook.json().and_then(|j| j["build"].as_i64()).unwrap_or(0);
    Reply::text("build finished").card(Card::new(
        format!("Build {build}"),
        cliq_webhook::message::Theme::ModernInline,
    ))
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat),
    name = "Deploy",
    sub_actions("Prod")
)]
async fn on_deploy(action: MenuAction) -> Reply {
    Reply::text(format!(
        "deploying {}",
        action.sub_action.unwrap_or_default()
    ))
    .context(Context::new("deploy", 60).question("why", "Why?"))
}

#[cliq_handler(type = "call_handler", permissions(user))]
async fn on_call(call: CallEvent) {
    assert_eq!(call.operation, "answered");
}

fn all() -> Bot {
    Bot::builder()
        .handler(on_message {})
        .handler(on_mention {})
        .handler(on_welcome {})
        .handler(on_context {})
        .handler(on_participation {})
        .handler(on_incoming {})
        .handler(on_deploy {})
        .handler(on_call {})
        .build()
        .unwrap()
}

#[tokio::test]
async fn message() {
    let bot = TestBot::new(all());
    let reply = bot
        .send(
            TestRequest::message("hi")
                .from_user("Grace")
                .in_chat("CT_9")
                .at_location(51.5, -0.1)
                .with_attachment("a.txt", "https://files.example/a.txt"),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.text(), Some("Grace in CT_9: hi [granted 1]"));
    assert_eq!(reply.buttons(), ["Docs"]);
}

#[tokio::test]
async fn mention_sees_only_granted_objects() {
    let bot = TestBot::new(all());
    let reply = bot.send(TestRequest::mention("@bot status")).await;
    assert_eq!(reply.text(), Some("mentioned: @bot status"));
    let body = TestRequest::mention("x").to_json(&[cliq_webhook::rules::Permission::Message]);
    assert!(body["params"].get("user").is_none());
    assert!(body["params"].get("chat").is_none());
    assert_eq!(body["params"]["message"], "x");
}

#[tokio::test]
async fn welcome() {
    let bot = TestBot::new(all());
    let reply = bot.send(TestRequest::welcome().from_user("Lin")).await;
    assert_eq!(reply.text(), Some("hello Lin (true)"));
    assert_eq!(reply.suggestions(), ["help", "status"]);
}

#[tokio::test]
async fn context() {
    let bot = TestBot::new(all());
    let reply = bot
        .send(TestRequest::context("trip").answer("city", "Oslo"))
        .await;
    assert_eq!(reply.text(), Some("trip: Oslo"));
}

#[tokio::test]
async fn participation() {
    let bot = TestBot::new(all());
    let reply = bot
        .send(TestRequest::participation("added").in_chat("CT_7"))
        .await;
    assert_eq!(reply.text(), Some("added in CT_7"));
}

#[tokio::test]
async fn incoming_webhook() {
    let bot = TestBot::new(all());
    let reply = bot
        .send(TestRequest::incoming_webhook(r#"{"build": 42}"#))
        .await;
    assert_eq!(reply.text(), Some("build finished"));
    assert_eq!(reply.card_title(), Some("Build 42"));
}

#[tokio::test]
async fn menu() {
    let bot = TestBot::new(all());
    let reply = bot
        .send(TestRequest::menu("Deploy").sub_action("Prod"))
        .await;
    assert_eq!(reply.text(), Some("deploying Prod"));
    assert_eq!(reply.context_id(), Some("deploy"));
    let unknown = bot.send(TestRequest::menu("Nope")).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn call() {
    let bot = TestBot::new(all());
    let reply = bot.send(TestRequest::call("answered")).await;
    assert!(reply.is_empty(), "{:?}", reply.json());
    assert!(TestRequest::call("x")
        .to_json(&[cliq_webhook::rules::Permission::User])
        .get("response_url")
        .is_none());
}

#[tokio::test]
async fn signs_and_sends_the_secret_when_the_bot_checks_them() {
    let checked = || {
        Bot::builder()
            .handler(on_welcome {})
            .shared_secret("s3cret")
            .signature_public_key_pem(TEST_PUBLIC_KEY_PEM)
            .build()
            .unwrap()
    };
    let ok = TestBot::new(checked()).shared_secret("s3cret");
    assert_eq!(
        ok.send(TestRequest::welcome()).await.text(),
        Some("hello Ada (true)")
    );
    let no_secret = TestBot::new(checked());
    let refused = no_secret.send(TestRequest::welcome()).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.error_code(), Some("unauthorized"));
}

#[cliq_handler(type = "message_handler", permissions(message))]
async fn slow(message: Message) -> String {
    tokio::time::sleep(Duration::from_millis(300)).await;
    format!("late: {}", message.text)
}

#[tokio::test]
async fn late_replies_are_captured_without_a_network() {
    let bot = Bot::builder()
        .handler(slow {})
        .reply_budget(Duration::from_millis(100))
        .reply_margin(Duration::ZERO)
        .build()
        .unwrap();
    let bot = TestBot::new(bot);
    let now = bot.send(TestRequest::message("build")).await;
    assert!(now.is_empty(), "acknowledged at once: {:?}", now.json());
    let late = bot
        .late_reply(Duration::from_secs(5))
        .await
        .expect("late reply");
    assert_eq!(late.url, TEST_RESPONSE_URL);
    assert_eq!(late.reply.text(), Some("late: build"));
}
