//! Several bots in one app: bot handlers name their bot (`bot = "..."`), and a bot request
//! goes to the bot its `unique_name` names, through the app's own `tower::Service` (the test
//! kit) and through an axum `Router`; a request naming no bot or an unknown one is refused
//! and no handler runs. Then the other way: each bot an app of its own, on its own URL.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use cliq_webhook::extract::{BotState, ButtonClick, MenuAction, Message, User};
use cliq_webhook::rules::Permission;
use cliq_webhook::testing::{TestBot, TestReply, TestRequest};
use cliq_webhook::{cliq_handler, App, Banner, BotError, Reply};
use http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

#[derive(Clone, Default)]
struct Runs(Arc<AtomicUsize>);

impl Runs {
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

#[cliq_handler(type = "message_handler", bot = "deploybot", permissions(message))]
async fn deploy_message(BotState(runs): BotState<Runs>, message: Message) -> Reply {
    runs.0.fetch_add(1, Ordering::SeqCst);
    Reply::text(format!("deploybot: {}", message.text))
}

#[cliq_handler(type = "menu_handler", bot = "deploybot", name = "Ship")]
async fn deploy_ship(action: MenuAction) -> String {
    format!("deploybot ships {}", action.name.unwrap_or_default())
}

#[cliq_handler(
    type = "message_handler",
    bot = "supportbot",
    permissions(message, user)
)]
async fn support_message(BotState(runs): BotState<Runs>, message: Message, user: User) -> Reply {
    runs.0.fetch_add(1, Ordering::SeqCst);
    Reply::text(format!(
        "supportbot: {} from {}",
        message.text,
        user.first_name.unwrap_or_default()
    ))
}

// The same menu action name in another bot: each bot has its own menu.
#[cliq_handler(type = "menu_handler", bot = "supportbot", name = "Ship")]
async fn support_ship() -> String {
    "supportbot ships".to_owned()
}

#[cliq_handler(type = "welcome_handler", bot = "supportbot")]
async fn support_welcome() -> String {
    "welcome to support".to_owned()
}

// A function beside the bots: found by its `name`, whatever the bots.
#[cliq_handler(component = function, type = "button_handler")]
async fn approve(_click: ButtonClick) -> Banner {
    Banner::success("approved")
}

fn two_bots(runs: &Runs) -> App<Runs> {
    App::with_state(runs.clone())
        .handler(deploy_message {})
        .handler(deploy_ship {})
        .handler(support_message {})
        .handler(support_ship {})
        .handler(support_welcome {})
        .handler(approve {})
        .build()
        .expect("two bots in one app assemble")
}

/// `request`'s body with its `unique_name` set to `name` (`None`: removed).
async fn send_naming(bot: &TestBot<Runs>, request: TestRequest, name: Option<&str>) -> TestReply {
    let mut body = request.to_json(Permission::ALL);
    match name {
        Some(name) => body["unique_name"] = Value::from(name),
        None => {
            body.as_object_mut().map(|b| b.remove("unique_name"));
        }
    }
    bot.send_raw(body.to_string().into_bytes()).await
}

#[tokio::test]
async fn each_bot_answers_its_own_message_handler() {
    let runs = Runs::default();
    let app = TestBot::new(two_bots(&runs));
    assert_eq!(app.bot().bots(), ["deploybot", "supportbot"]);

    let cases = [
        (
            TestRequest::message("ship 42").for_bot("deploybot"),
            "deploybot: ship 42",
        ),
        (
            TestRequest::message("help").for_bot("supportbot"),
            "supportbot: help from Ada",
        ),
        // Exact first, then ignoring ASCII case, as component names are matched.
        (
            TestRequest::message("hi").for_bot("SupportBot"),
            "supportbot: hi from Ada",
        ),
        // The same menu action name, each bot its own handler.
        (
            TestRequest::menu("Ship").for_bot("deploybot"),
            "deploybot ships Ship",
        ),
        (
            TestRequest::menu("Ship").for_bot("supportbot"),
            "supportbot ships",
        ),
    ];
    for (request, text) in cases {
        let reply = app.send(request).await;
        assert_eq!(reply.text(), Some(text), "{}", reply.json());
    }

    // Commands, message actions and functions need no bot.
    let reply = app
        .send(TestRequest::button("approve", serde_json::json!({})))
        .await;
    assert_eq!(reply.banner_status(), Some("success"), "{}", reply.json());
    assert_eq!(runs.count(), 3);
}

#[tokio::test]
async fn a_bot_request_naming_no_bot_or_an_unknown_one_is_refused() {
    let runs = Runs::default();
    let app = TestBot::new(two_bots(&runs));

    let reply = app
        .send(TestRequest::message("hi").for_bot("payrollbot"))
        .await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);
    assert_eq!(reply.error_code(), Some("unknown_bot"));
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no bot named `payrollbot`")),
        "{}",
        reply.json()
    );

    for name in [None, Some("")] {
        let reply = send_naming(&app, TestRequest::message("hi"), name).await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST, "{name:?}");
        assert_eq!(reply.error_code(), Some("missing_context"));
        assert!(
            reply.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("`unique_name`") && m.contains("several bots")),
            "{}",
            reply.json()
        );
    }

    // A bot the app serves, without that handler type.
    let reply = app.send(TestRequest::welcome().for_bot("deploybot")).await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);
    assert_eq!(reply.error_code(), Some("handler_not_registered"));
    let reply = app.send(TestRequest::welcome().for_bot("supportbot")).await;
    assert_eq!(reply.text(), Some("welcome to support"));

    assert_eq!(runs.count(), 0, "no handler ran for a refused request");
}

#[tokio::test]
async fn an_app_with_one_named_bot_serves_requests_naming_no_bot() {
    let runs = Runs::default();
    let app = TestBot::new(
        App::with_state(runs.clone())
            .handler(deploy_message {})
            .build()
            .expect("one bot"),
    );
    // The kit names the app's only bot.
    let reply = app.send(TestRequest::message("a")).await;
    assert_eq!(reply.text(), Some("deploybot: a"));
    let reply = send_naming(&app, TestRequest::message("b"), None).await;
    assert_eq!(reply.text(), Some("deploybot: b"));
    // Another bot's request sent here by mistake is refused, not answered by this bot.
    let reply = send_naming(&app, TestRequest::message("c"), Some("supportbot")).await;
    assert_eq!(reply.error_code(), Some("unknown_bot"));
    assert_eq!(runs.count(), 2);
}

#[cliq_handler(type = "message_handler", permissions(message))]
async fn unnamed_message(message: Message) -> Reply {
    Reply::text(message.text)
}

#[tokio::test]
async fn handlers_naming_no_bot_ignore_unique_name_as_before() {
    let app = TestBot::new(
        App::with_state(Runs::default())
            .handler(unnamed_message {})
            .build()
            .unwrap(),
    );
    assert!(app.bot().bots().is_empty());
    for name in [Some("anybot"), Some(""), None] {
        let reply = send_naming(&app, TestRequest::message("as before"), name).await;
        assert_eq!(reply.text(), Some("as before"), "{name:?}");
    }
}

#[test]
fn handler_set_rules_hold_per_bot() {
    // One `message_handler` per bot, not per app.
    #[cliq_handler(type = "message_handler", bot = "deploybot")]
    async fn second_deploy_message() {}
    let twice = App::with_state(Runs::default())
        .handler(deploy_message {})
        .handler(support_message {})
        .handler(second_deploy_message {})
        .build();
    assert!(matches!(
        twice,
        Err(BotError::DuplicateHandler {
            first: "deploy_message",
            second: "second_deploy_message",
            ..
        })
    ));
    // A bot handler naming no bot beside ones that do: which bot would it serve?
    let mixed = App::with_state(Runs::default())
        .handler(deploy_message {})
        .handler(unnamed_message {})
        .build();
    let Err(err) = mixed else {
        panic!("a handler naming no bot beside named ones must be refused")
    };
    assert_eq!(
        err,
        BotError::UnnamedBotHandler {
            function: "unnamed_message",
            named: "deploy_message",
            bot: "deploybot",
        }
    );
    assert!(err.to_string().contains("bot = \"...\""), "{err}");
}

#[test]
fn the_config_says_which_bot_each_handler_belongs_to() {
    let app = two_bots(&Runs::default());
    let config = app.config();
    assert_eq!(config.bots(), ["deploybot", "supportbot"]);
    let json = config.to_json();
    assert!(json.contains("\"bot\": \"deploybot\""), "{json}");
    let deploy = config.for_bot("deploybot").expect("a bot of the app");
    let types: Vec<&str> = deploy
        .handlers
        .iter()
        .map(|h| h.handler_type.as_str())
        .collect();
    assert_eq!(types, ["message_handler", "menu_handler"]);
    assert_eq!(
        config.for_bot("SUPPORTBOT").map(|c| c.handlers.len()),
        Some(3)
    );
    // A bot the code declares nothing for: not an empty configuration (`push` would delete
    // every handler that bot has in Cliq).
    assert_eq!(config.for_bot("payrollbot"), None);
    // Read back as `cargo cliq diff --config` does.
    assert_eq!(cliq_webhook::BotConfig::from_json(&json).unwrap(), config);
    // An app naming no bot prints no `bot`: its hash is what it was.
    let unnamed = App::builder().handler(unnamed_message {}).build().unwrap();
    assert!(!unnamed.config().to_json().contains("\"bot\""));
    assert_eq!(unnamed.config().for_bot("anybot"), Some(unnamed.config()));
}

async fn post(router: &axum::Router, path: &str, request: TestRequest) -> (StatusCode, Value) {
    let body = request.to_json(Permission::ALL).to_string();
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a request");
    let (parts, body) = router
        .clone()
        .oneshot(request)
        .await
        .expect("infallible")
        .into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("a body");
    (
        parts.status,
        serde_json::from_slice(&bytes).expect("a JSON answer"),
    )
}

#[tokio::test]
async fn two_bots_in_one_app_through_an_axum_router() {
    let router = axum::Router::new().route_service("/cliq", two_bots(&Runs::default()));
    let (status, reply) = post(
        &router,
        "/cliq",
        TestRequest::message("x").for_bot("deploybot"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["output"]["text"], "deploybot: x");
    let (status, reply) = post(&router, "/cliq", TestRequest::message("y").for_bot("nobot")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(reply["error"]["code"], "unknown_bot");
}

#[tokio::test]
async fn each_bot_an_app_of_its_own_on_its_own_url() {
    // No bot names needed: each URL serves one bot (its `execution_url` in Cliq).
    #[cliq_handler(type = "message_handler", permissions(message))]
    async fn other_message(message: Message) -> String {
        format!("other: {}", message.text)
    }
    let first = App::builder().handler(unnamed_message {}).build().unwrap();
    let second = App::builder().handler(other_message {}).build().unwrap();
    let router = axum::Router::new()
        .route_service("/bots/first", first)
        .route_service("/bots/second", second);
    let (status, reply) = post(&router, "/bots/first", TestRequest::message("one")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["output"]["text"], "one");
    let (status, reply) = post(&router, "/bots/second", TestRequest::message("two")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["output"]["text"], "other: two");
    // Named bots mount the same way, each app serving its own.
    let router = axum::Router::new()
        .route_service(
            "/deploy",
            App::with_state(Runs::default())
                .handler(deploy_message {})
                .build()
                .unwrap(),
        )
        .route_service(
            "/support",
            App::with_state(Runs::default())
                .handler(support_message {})
                .build()
                .unwrap(),
        );
    let (_, reply) = post(
        &router,
        "/support",
        TestRequest::message("s").for_bot("supportbot"),
    )
    .await;
    assert_eq!(reply["output"]["text"], "supportbot: s from Ada");
    let (status, reply) = post(
        &router,
        "/deploy",
        TestRequest::message("s").for_bot("supportbot"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    assert_eq!(reply["error"]["code"], "unknown_bot");
}
