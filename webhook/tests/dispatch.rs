//! Dispatch core: bytes in → response out, through handlers made by `#[cliq_handler]`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cliq_webhook::bot::LateReplyError;
use cliq_webhook::extract::{BotState, Chat, Location, MenuAction, Message, User};
use cliq_webhook::reply::BoxFuture;
use cliq_webhook::{cliq_handler, Bot, BotError, Handler, IntoHandler, Reply, WebhookRequest};
use http::{HeaderMap, StatusCode};
use serde_json::{json, Value};

#[derive(Clone, Default)]
struct AppState {
    calls: Arc<AtomicUsize>,
}

#[cliq_handler(type = "message_handler", permissions(message, user, location))]
async fn echo(
    BotState(app): BotState<AppState>,
    message: Message,
    user: User,
    location: Option<Location>,
) -> Reply {
    app.calls.fetch_add(1, Ordering::SeqCst);
    let loc = location.and_then(|l| l.status).unwrap_or_default();
    Reply::text(format!(
        "{}: {} [{loc}]",
        user.first_name.unwrap_or_default(),
        message.text
    ))
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Staging", "Prod")
)]
fn deploy(BotState(app): BotState<AppState>, chat: Chat, action: MenuAction) -> String {
    app.calls.fetch_add(1, Ordering::SeqCst);
    format!(
        "deploy {} in {}",
        action.sub_action.unwrap_or_default(),
        chat.id.unwrap_or_default()
    )
}

async fn send(bot: &Bot<AppState>, body: Value) -> (StatusCode, Value) {
    let bytes = body.to_string();
    let headers = HeaderMap::new();
    let resp = bot
        .dispatch(WebhookRequest {
            headers: &headers,
            query: None,
            body: bytes.as_bytes(),
        })
        .await;
    (resp.status, resp.json_body().unwrap_or(Value::Null))
}

fn bot() -> Bot<AppState> {
    Bot::with_state(AppState::default())
        .handler(echo {})
        .handler(deploy {})
        .build()
        .unwrap()
}

#[tokio::test]
async fn message_reaches_the_handler_with_typed_arguments() {
    let bot = bot();
    let (status, body) = send(
        &bot,
        json!({"type": "bot", "handler": {"type": "message_handler"},
               "params": {"message": "hi", "user": {"id": 1, "first_name": "Ada"}, "location": {"status": "denied"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"output": {"text": "Ada: hi [denied]"}}));
    assert_eq!(bot.state().calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn menu_action_by_wire_alias_and_old_envelope() {
    let bot = bot();
    let (status, body) = send(
        &bot,
        json!({"handler": "action_handler", "handler_name": "Deploy", "sub_action": "Prod",
               "params": {"chat": {"id": "CT_1"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["output"]["text"], "deploy Prod in CT_1");
}

#[tokio::test]
async fn missing_context_is_a_400_and_the_handler_does_not_run() {
    let bot = bot();
    let (status, body) = send(
        &bot,
        json!({"handler": {"type": "message_handler"}, "params": {"message": "hi"}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "missing_context");
    assert_eq!(bot.state().calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn unknown_menu_action_is_a_404() {
    let bot = bot();
    let (status, body) = send(
        &bot,
        json!({"handler": {"type": "menu_handler", "name": "Nope"}, "params": {"chat": {}}}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_menu_action");
}

#[test]
fn duplicate_handler_types_are_refused() {
    let err = Bot::with_state(AppState::default())
        .handler(echo {})
        .handler(echo {})
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            BotError::DuplicateHandler {
                handler_type: "message_handler",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn metadata_carries_the_declaration() {
    let h: Handler<AppState> = deploy {}.into_handler();
    let meta = h.meta();
    assert_eq!(meta.handler_type(), "menu_handler");
    assert_eq!(meta.permissions, &[cliq_webhook::rules::Permission::Chat]);
    assert_eq!(meta.name, Some("Deploy"));
    assert_eq!(meta.icon, Some("wand/FF5733"));
    assert_eq!(meta.sub_actions, &["Staging", "Prod"]);
}

#[cliq_handler(type = "mention_handler", permissions(message))]
async fn slow(message: Message) -> String {
    tokio::time::sleep(std::time::Duration::from_secs(20)).await;
    format!("late: {}", message.text)
}

struct Recorder(tokio::sync::mpsc::UnboundedSender<(String, Value)>);

impl cliq_webhook::bot::LateReplySender for Recorder {
    fn send(
        &self,
        url: url::Url,
        body: bytes::Bytes,
    ) -> BoxFuture<'static, Result<(), LateReplyError>> {
        let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let _ = self.0.send((url.to_string(), body));
        Box::pin(async { Ok(()) })
    }
}

fn slow_bot(tx: tokio::sync::mpsc::UnboundedSender<(String, Value)>) -> Bot<AppState> {
    Bot::with_state(AppState::default())
        .handler(slow {})
        .clock(|| 1_000_000)
        .late_reply_sender(Recorder(tx))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn past_the_reply_window_the_answer_goes_to_response_url() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let bot = slow_bot(tx);
    let url = "https://cliq.zoho.com/v2/extensions/1/responses/2";
    let (status, body) = send(
        &bot,
        json!({"handler": {"type": "mention_handler"}, "timestamp": 1_000_000 - 2_000,
               "response_url": url, "params": {"message": "hi"}}),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"output": {}})));
    let (to, late) = rx.recv().await.unwrap();
    assert_eq!(to, url);
    assert_eq!(late, json!({"output": {"text": "late: hi"}}));
}

#[tokio::test(start_paused = true)]
async fn response_url_outside_zoho_is_never_posted_to() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let bot = slow_bot(tx);
    let (status, body) = send(
        &bot,
        json!({"handler": {"type": "mention_handler"}, "timestamp": 1_000_000,
               "response_url": "http://169.254.169.254/latest", "params": {"message": "hi"}}),
    )
    .await;
    // Without a usable response_url the handler is awaited for Cliq's whole reply budget
    // (15 s), no longer: this one needs 20 s, so the answer is a 504 and nothing is posted.
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{body}");
    assert_eq!(body["error"]["code"], "handler_timed_out", "{body}");
    assert!(rx.try_recv().is_err());
}

#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn panics(_user: User) -> String {
    panic!("handler bug")
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_bot_keeps_serving() {
    let bot: Bot<AppState> = Bot::with_state(AppState::default())
        .handler(panics {})
        .handler(echo {})
        .build()
        .unwrap();
    let (status, _) = send(
        &bot,
        json!({"handler": {"type": "welcome_handler"}, "params": {"user": {"first_name": "A"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, _) = send(&bot, json!({"handler": {"type": "message_handler"}, "params": {"message": "hi", "user": {"first_name": "A"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// `#[cliq_handler]` leaves the function as written: a unit test calls it directly.
#[tokio::test]
async fn the_handler_function_stays_callable() {
    let app = AppState::default();
    let mut user = User::default();
    user.first_name = Some("Ada".into());
    let reply = echo(BotState(app.clone()), Message::new("hi"), user, None).await;
    assert_eq!(reply.text.as_deref(), Some("Ada: hi []"));
    assert_eq!(app.calls.load(Ordering::SeqCst), 1);
    // The sync one too; and the registration item is a separate, type-namespace item.
    let mut action = MenuAction::default();
    action.sub_action = Some("Prod".into());
    let mut chat = Chat::default();
    chat.id = Some("CT_1".into());
    assert_eq!(deploy(BotState(app), chat, action), "deploy Prod in CT_1");
    let _registration: deploy = deploy {};
}
