//! `Bot::config()`: the declared handler configuration, its canonical JSON and stable hash,
//! and the diff against a live configuration.

use cliq_webhook::config::{diff, BotConfig, Change, HandlerConfig, LiveConfig, LiveHandler};
use cliq_webhook::IntoHandler;
use cliq_webhook::{cliq_handler, Bot, Reply};

#[cliq_handler(type = "message_handler", permissions(user, message))]
async fn echo() -> Reply {
    Reply::text("hi")
}

#[cliq_handler(
    type = "menu_handler",
    permissions(user, chat),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Staging", "Production")
)]
async fn deploy() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat, user),
    name = "Deploy",
    icon = "wand/000000",
    sub_actions("Staging", "Production")
)]
async fn deploy_other_icon() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Staging", "Production")
)]
async fn deploy_fewer_permissions() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat, user),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Staging")
)]
async fn deploy_one_sub_action() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat, user),
    name = "Ship",
    icon = "wand/FF5733",
    sub_actions("Staging", "Production")
)]
async fn ship() -> Reply {
    Reply::text("shipping")
}

#[cliq_handler(type = "mention_handler", permissions(message))]
async fn mentioned() -> Reply {
    Reply::text("you called")
}

fn bot(handlers: Vec<cliq_webhook::Handler<()>>) -> Bot {
    handlers
        .into_iter()
        .fold(Bot::builder(), |b, h| b.handler(h))
        .build()
        .expect("valid bot")
}

/// The pinned hash of `echo` + `deploy`: a change to the canonical form (field names, order,
/// sorting) changes every deployed bot's hash, so it must be deliberate. Checked independently:
/// `sha256sum` of the compact JSON `{"handlers":[{"type":"message_handler",…}]}`.
const ECHO_DEPLOY_HASH: &str = "6365a639b6a45988fd3cf34108bbac5c6d26f4ac6351374bad3791f0f2fd0e53";

#[test]
fn config_is_canonical_and_its_json_is_pinned() {
    let config = bot(vec![deploy {}.into_handler(), echo {}.into_handler()]).config();
    let json = config.to_json();
    assert_eq!(
        json,
        format!(
            r#"{{
  "hash": "{}",
  "handlers": [
    {{
      "type": "message_handler",
      "permissions": [
        "message",
        "user"
      ]
    }},
    {{
      "type": "menu_handler",
      "permissions": [
        "chat",
        "user"
      ],
      "name": "Deploy",
      "icon": "wand/FF5733",
      "sub_actions": [
        "Staging",
        "Production"
      ]
    }}
  ]
}}"#,
            config.hash()
        )
    );
    assert_eq!(BotConfig::from_json(&json).unwrap(), config);
}

#[test]
fn hash_is_stable() {
    let a = bot(vec![echo {}.into_handler(), deploy {}.into_handler()]).config();
    let b = bot(vec![deploy {}.into_handler(), echo {}.into_handler()]).config();
    assert_eq!(a, b, "registration order does not matter");
    assert_eq!(a.hash(), b.hash());
    assert_eq!(a.hash().len(), 64);
    assert_eq!(a.hash(), ECHO_DEPLOY_HASH);
}

#[test]
fn hash_changes_when_a_handler_changes() {
    let base = bot(vec![echo {}.into_handler(), deploy {}.into_handler()])
        .config()
        .hash();
    let variants = [
        (
            "icon",
            bot(vec![
                echo {}.into_handler(),
                deploy_other_icon {}.into_handler(),
            ]),
        ),
        (
            "permissions",
            bot(vec![
                echo {}.into_handler(),
                deploy_fewer_permissions {}.into_handler(),
            ]),
        ),
        (
            "sub-actions",
            bot(vec![
                echo {}.into_handler(),
                deploy_one_sub_action {}.into_handler(),
            ]),
        ),
        (
            "menu name",
            bot(vec![echo {}.into_handler(), ship {}.into_handler()]),
        ),
        (
            "handler added",
            bot(vec![
                echo {}.into_handler(),
                deploy {}.into_handler(),
                mentioned {}.into_handler(),
            ]),
        ),
        ("handler removed", bot(vec![echo {}.into_handler()])),
        (
            "handler type",
            bot(vec![mentioned {}.into_handler(), deploy {}.into_handler()]),
        ),
    ];
    for (what, bot) in variants {
        assert_ne!(bot.config().hash(), base, "{what} must change the hash");
    }
}

#[test]
fn print_config_only_when_asked() {
    let bot = bot(vec![echo {}.into_handler()]);
    assert!(!bot.print_config_if(["--port".to_owned(), "3000".to_owned()].into_iter()));
    assert!(bot.print_config_if(["--print-config".to_owned()].into_iter()));
}

fn live(config: &BotConfig) -> LiveConfig {
    LiveConfig {
        handlers: config
            .handlers
            .iter()
            .enumerate()
            .map(|(i, h)| LiveHandler {
                config: h.clone(),
                handler_id: (h.handler_type == "menu_handler").then_some(100 + i as i64),
            })
            .collect(),
    }
}

#[test]
fn diff_lists_creates_updates_and_deletes() {
    let declared = bot(vec![echo {}.into_handler(), deploy {}.into_handler()]).config();
    assert_eq!(diff(&declared, &live(&declared)), vec![]);

    // Cliq has: echo without `user`, Deploy with another icon and no sub-actions, a mention
    // handler the code no longer declares; it lacks nothing else.
    let mut cliq = bot(vec![
        mentioned {}.into_handler(),
        deploy_other_icon {}.into_handler(),
    ])
    .config();
    cliq.handlers
        .push(HandlerConfig::new("message_handler", ["message"]));
    cliq.handlers[1].sub_actions.clear();
    let cliq = live(&BotConfig::new(cliq.handlers));
    let changes = diff(&declared, &cliq);
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "- mention_handler: permissions [message]",
            "~ message_handler: permissions [message] → [message, user]",
            "~ menu_handler \"Deploy\": icon wand/000000 → wand/FF5733; sub-actions [] → [Staging, Production]",
        ]
    );
    assert!(matches!(&changes[2], Change::Update { live, .. } if live.handler_id == Some(102)));

    let changes = diff(&declared, &LiveConfig::default());
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "+ message_handler: permissions [message, user]",
            "+ menu_handler \"Deploy\": permissions [chat, user], icon wand/FF5733, sub-actions [Staging, Production]",
        ]
    );
}

#[test]
fn an_undeclared_icon_is_not_compared() {
    let mut declared = bot(vec![deploy {}.into_handler()]).config();
    let cliq = live(&declared);
    declared.handlers[0].icon = None;
    assert_eq!(diff(&declared, &cliq), vec![]);
}

#[test]
fn bodies_carry_the_configuration() {
    let config = bot(vec![deploy {}.into_handler()]).config();
    let create = serde_json::to_value(config.handlers[0].create_body().unwrap()).unwrap();
    assert_eq!(
        create,
        serde_json::json!({"type": "menu_handler", "permissions": ["chat", "user"], "name": "Deploy",
            "icon": "wand/FF5733", "sub_actions": [{"name": "Staging"}, {"name": "Production"}]})
    );
    let mut none = config.handlers[0].clone();
    none.sub_actions.clear();
    let edit = serde_json::to_value(none.edit_body().unwrap()).unwrap();
    assert_eq!(
        edit["sub_actions"],
        serde_json::json!([]),
        "an edit removes sub-actions"
    );
    assert_eq!(edit.get("type"), None);
}

/// Reading Cliq's side through the generated client: the bot's handler list, then each
/// handler's permissions (from `permissions`, or else from the Deluge-style `params`), and the
/// start-up check that compares them with the code.
#[tokio::test]
async fn live_config_and_the_start_up_check() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let ok = |body: serde_json::Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("GET"))
        .and(path("/bots/deploybot"))
        .respond_with(ok(serde_json::json!({"data": {"handlers": [
            {"type": "message_handler"},
            {"type": "action_handler", "id": "77", "name": "Deploy", "icon": "wand/FF5733",
             "position": 1, "sub_actions": [{"name": "Staging"}, {"name": "Production"}]}
        ]}})))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots/deploybot/handlers/message_handler"))
        .respond_with(ok(
            serde_json::json!({"data": {"permissions": ["user", "message", "user"]}}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots/deploybot/handlers/menu_handler"))
        .and(query_param("handler_id", "77"))
        .respond_with(ok(
            serde_json::json!({"data": {"handler_id": "77", "params": [
                {"param_name": "access", "param_type": "MAP"},
                {"param_name": "user", "param_type": "MAP"},
                {"param_name": "sub_action", "param_type": "STRING"}
            ]}}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_of(&server);

    // The bot's API endpoint URL works as well as its unique name (each mock is read twice:
    // here and by the start-up check).
    let url = "https://cliq.zoho.eu/api/v2/bots/deploybot/message?zapikey=secret";
    let live = cliq_webhook::config::live_config(&client, url)
        .await
        .unwrap();
    assert_eq!(
        live.handlers[0].config,
        HandlerConfig::new("message_handler", ["message", "user"])
    );
    assert_eq!(live.handlers[1].handler_id, Some(77));
    assert_eq!(
        live.handlers[1].config.handler_type, "menu_handler",
        "wire name resolved"
    );
    assert_eq!(live.handlers[1].config.permissions, ["user"]);

    let changes = cliq_webhook::config::check_drift(
        &client,
        "deploybot",
        &bot(vec![echo {}.into_handler(), deploy {}.into_handler()]),
    )
    .await
    .unwrap();
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["~ menu_handler \"Deploy\": permissions [user] → [chat, user]"]
    );
}

#[cliq_handler(component = command, type = "suggestion_handler", name = "Deploy", permissions(user, chat))]
async fn deploy_suggestions() -> cliq_webhook::Suggestions {
    cliq_webhook::Suggestions(Vec::new())
}

#[cliq_handler(component = command, type = "execution_handler", name = "deploy", permissions(user))]
async fn deploy_command() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "approve")]
async fn approve_submit() -> Reply {
    Reply::text("approved")
}

#[cliq_handler(component = function, type = "button_handler")]
async fn approve() -> Reply {
    Reply::text("approve?")
}

/// Commands, message actions and functions: one entry per kind and name (case-insensitively),
/// handlers in their spec's order, in the JSON and the hash; a bot's hash without them is the
/// pinned one.
#[test]
fn components_are_part_of_the_config() {
    let app = bot(vec![
        approve_submit {}.into_handler(),
        echo {}.into_handler(),
        deploy_suggestions {}.into_handler(),
        deploy {}.into_handler(),
        approve {}.into_handler(),
        deploy_command {}.into_handler(),
    ]);
    let config = app.config();
    let components: Vec<(String, String, Vec<String>)> = config
        .components
        .iter()
        .map(|c| {
            (
                c.component.clone(),
                c.name.clone(),
                c.handlers.iter().map(|h| h.label()).collect(),
            )
        })
        .collect();
    assert_eq!(
        components,
        [
            (
                "command".to_owned(),
                "Deploy".to_owned(),
                vec![
                    "execution_handler".to_owned(),
                    "suggestion_handler".to_owned()
                ]
            ),
            (
                "function".to_owned(),
                "approve".to_owned(),
                vec![
                    "button_handler".to_owned(),
                    "form_submit_handler".to_owned()
                ]
            ),
        ]
    );
    assert_eq!(
        config.components[0].handlers[1].permissions,
        ["chat", "user"]
    );
    assert_eq!(
        config.components[0].label(),
        "command \"Deploy\"",
        "the first registered spelling"
    );
    let json = config.to_json();
    assert!(json.contains("\"components\": ["), "{json}");
    assert_eq!(BotConfig::from_json(&json).unwrap(), config);
    // The bot's part alone hashes as a bot without components does.
    let bot_only = bot(vec![echo {}.into_handler(), deploy {}.into_handler()]).config();
    assert_eq!(bot_only.hash(), ECHO_DEPLOY_HASH);
    assert!(!bot_only.to_json().contains("components"));
    assert_ne!(config.hash(), ECHO_DEPLOY_HASH);
    assert_eq!(config.handlers, bot_only.handlers);
}

/// A Bots client calling the mock server.
fn client_of(server: &wiremock::MockServer) -> cliq_api::bots::Client {
    cliq_api::bots::Client::new(
        cliq_runtime::Client::builder()
            .base_url(server.uri())
            .token(cliq_runtime::TokenSource::static_token("t"))
            .build()
            .unwrap(),
    )
}

#[cliq_handler(type = "message_handler", bot = "deploybot", permissions(message))]
async fn deploybot_message() {}

#[cliq_handler(type = "menu_handler", bot = "deploybot", name = "Ship")]
async fn deploybot_ship() {}

#[cliq_handler(
    type = "message_handler",
    bot = "supportbot",
    permissions(message, user)
)]
async fn supportbot_message() {}

/// An app serving two bots: the start-up check compares Cliq's handlers of one bot with that
/// bot's part of the code, and refuses a bot the code declares nothing for before reading.
#[tokio::test]
async fn the_start_up_check_compares_one_bot_of_several() {
    use cliq_webhook::config::{check_drift, DriftError};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let ok = |body: serde_json::Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("GET"))
        .and(path("/bots/deploybot"))
        .respond_with(ok(
            serde_json::json!({"data": {"handlers": [{"type": "message_handler"}]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots/deploybot/handlers/message_handler"))
        .respond_with(ok(
            serde_json::json!({"data": {"permissions": ["message"]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_of(&server);
    let app = bot(vec![
        deploybot_message {}.into_handler(),
        deploybot_ship {}.into_handler(),
        supportbot_message {}.into_handler(),
    ]);
    let changes = check_drift(&client, "deploybot", &app).await.unwrap();
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    // supportbot's message handler is not deploybot's: only deploybot's menu action is missing.
    assert_eq!(lines, ["+ menu_handler \"Ship\": permissions []"]);

    let err = check_drift(&client, "payrollbot", &app).await.unwrap_err();
    assert!(
        matches!(&err, DriftError::NotDeclared { bot, bots }
            if bot == "payrollbot" && bots == &["deploybot", "supportbot"]),
        "{err}"
    );
}
