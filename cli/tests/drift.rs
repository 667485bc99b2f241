//! `cargo cliq diff` / `push` as a user runs them (the real binary, credentials from the
//! environment) against a fake Cliq server (axum on 127.0.0.1) that keeps a bot's handlers and
//! the slash commands, message actions and functions of the v3 APIs, answers the generated
//! clients' reads and applies and records every write.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Output;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use cliq_webhook::{cliq_handler, App, Bot, Reply, Suggestions};
use serde_json::{json, Value};

#[path = "../../tests/src/scratch.rs"]
mod scratch;

#[cliq_handler(type = "message_handler", permissions(message, user))]
async fn echo() -> Reply {
    Reply::text("hi")
}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat, user),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Staging", "Production")
)]
async fn deploy() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(component = command, type = "execution_handler", name = "deploy", permissions(user))]
async fn deploy_command() -> Reply {
    Reply::text("deploying")
}

#[cliq_handler(component = command, type = "suggestion_handler", name = "deploy", permissions(chat))]
async fn deploy_suggestions() -> Suggestions {
    Suggestions(Vec::new())
}

#[cliq_handler(component = command, type = "execution_handler", name = "status", permissions(user))]
async fn status_command() -> Reply {
    Reply::text("all green")
}

#[cliq_handler(component = message_action, type = "execution_handler", name = "translate", permissions(message, user))]
async fn translate() -> Reply {
    Reply::text("translated")
}

#[cliq_handler(component = message_action, type = "execution_handler", name = "summarize", permissions(message))]
async fn summarize() -> Reply {
    Reply::text("in short")
}

#[cliq_handler(component = function, type = "button_handler", name = "approve", permissions(user))]
async fn approve_click() -> Reply {
    Reply::text("approved")
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "approve", permissions(user))]
async fn approve_submit() -> Reply {
    Reply::text("submitted")
}

#[cliq_handler(component = function, type = "button_handler", name = "notify", permissions(user))]
async fn notify() -> Reply {
    Reply::text("notified")
}

const BOT: &str = "deploybot";
/// The app's execution URL, as `--execution-url` gives it.
const APP_URL: &str = "https://app.example.com/cliq";
const TOKEN: &str = "1000.test-token";

/// A bot's handlers as the fake Cliq keeps them (`permissions` included), and every write.
#[derive(Default)]
struct Fake {
    handlers: Vec<Value>,
    /// Commands, message actions and functions: `{"collection", "id", "name", "execution_type",
    /// "execution_url", "handlers": [{"type", "permissions"}]}`.
    components: Vec<Value>,
    writes: Vec<String>,
    next_id: i64,
    unauthorized: usize,
}

type Shared = Arc<Mutex<Fake>>;

type Answer = (StatusCode, Json<Value>);

fn error(status: StatusCode, code: &str) -> Answer {
    (status, Json(json!({"code": code, "message": code})))
}

fn authorized(headers: &HeaderMap, fake: &Shared) -> bool {
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {TOKEN}"));
    if !ok {
        fake.lock().unwrap().unauthorized += 1;
    }
    ok
}

fn matches(handler: &Value, kind: &str, id: Option<&str>) -> bool {
    handler["type"] == kind && id.is_none_or(|id| handler["id"] == id)
}

async fn bot_details(
    State(fake): State<Shared>,
    Path(bot): Path<String>,
    headers: HeaderMap,
) -> Answer {
    if !authorized(&headers, &fake) {
        return error(StatusCode::UNAUTHORIZED, "oauthtoken_invalid");
    }
    if bot != BOT {
        return error(StatusCode::NOT_FOUND, "bot_not_found");
    }
    let fake = fake.lock().unwrap();
    // The bot-details summary: no permissions, menu details only for menus.
    let handlers: Vec<Value> = fake
        .handlers
        .iter()
        .map(|h| {
            let mut h = h.clone();
            if let Some(o) = h.as_object_mut() {
                o.remove("permissions");
            }
            h
        })
        .collect();
    let data = json!({"unique_name": BOT, "name": "Deploy Bot", "handlers": handlers});
    (StatusCode::OK, Json(json!({"type": "bot", "data": data})))
}

async fn handler_details(
    State(fake): State<Shared>,
    Path((bot, kind)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    if !authorized(&headers, &fake) || bot != BOT {
        return error(StatusCode::UNAUTHORIZED, "oauthtoken_invalid");
    }
    let fake = fake.lock().unwrap();
    let id = query.get("handler_id").map(String::as_str);
    match fake.handlers.iter().find(|h| matches(h, &kind, id)) {
        Some(h) => {
            let mut data = h.clone();
            data["handler_id"] = h.get("id").cloned().unwrap_or(json!("1"));
            (
                StatusCode::OK,
                Json(json!({"type": "execution_handler", "data": data})),
            )
        }
        None => error(StatusCode::NOT_FOUND, "execution_handler_not_found"),
    }
}

/// The fake's state, for a request with the right token to the known bot.
fn admit<'a>(
    headers: &HeaderMap,
    fake: &'a Shared,
    bot: &str,
) -> Result<MutexGuard<'a, Fake>, Answer> {
    if !authorized(headers, fake) || bot != BOT {
        return Err(error(StatusCode::UNAUTHORIZED, "oauthtoken_invalid"));
    }
    Ok(fake.lock().unwrap())
}

fn done() -> Answer {
    (
        StatusCode::OK,
        Json(json!({"type": "execution_handler", "data": {}})),
    )
}

fn record(fake: &mut Fake, line: String) {
    fake.writes.push(line);
}

fn apply_fields(handler: &mut Value, body: &Value) {
    for key in ["permissions", "name", "icon"] {
        if let Some(v) = body.get(key) {
            handler[key] = v.clone();
        }
    }
    if let Some(subs) = body.get("sub_actions") {
        handler["sub_actions"] = subs.clone();
    }
}

async fn create(
    State(fake): State<Shared>,
    Path(bot): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut fake = match admit(&headers, &fake, &bot) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(&mut fake, format!("POST /bots/{bot}/handlers {body}"));
    let mut handler = json!({"type": body["type"]});
    if body["type"] == "menu_handler" {
        fake.next_id += 1;
        handler["id"] = json!(format!("5371900000{}", fake.next_id));
    }
    apply_fields(&mut handler, &body);
    fake.handlers.push(handler);
    done()
}

async fn edit(
    State(fake): State<Shared>,
    Path((bot, kind)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut fake = match admit(&headers, &fake, &bot) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    let id = query.get("handler_id").cloned();
    record(
        &mut fake,
        format!("PATCH /bots/{bot}/handlers/{kind}?handler_id={id:?} {body}"),
    );
    match fake
        .handlers
        .iter_mut()
        .find(|h| matches(h, &kind, id.as_deref()))
    {
        Some(h) => {
            apply_fields(h, &body);
            done()
        }
        None => error(StatusCode::NOT_FOUND, "execution_handler_not_found"),
    }
}

async fn delete(
    State(fake): State<Shared>,
    Path((bot, kind)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    let mut fake = match admit(&headers, &fake, &bot) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    let id = query.get("handler_id").cloned();
    record(
        &mut fake,
        format!("DELETE /bots/{bot}/handlers/{kind}?handler_id={id:?}"),
    );
    let before = fake.handlers.len();
    fake.handlers.retain(|h| !matches(h, &kind, id.as_deref()));
    if fake.handlers.len() == before {
        return error(StatusCode::NOT_FOUND, "execution_handler_not_found");
    }
    (StatusCode::NO_CONTENT, Json(json!({})))
}

/// The fake's state, for a request with the right token.
fn admit_any<'a>(headers: &HeaderMap, fake: &'a Shared) -> Result<MutexGuard<'a, Fake>, Answer> {
    if !authorized(headers, fake) {
        return Err(error(StatusCode::UNAUTHORIZED, "oauthtoken_invalid"));
    }
    Ok(fake.lock().unwrap())
}

/// A component as the details and create calls show it: handler types, no permissions.
fn summary(c: &Value) -> Value {
    let mut c = c.clone();
    if let Some(o) = c.as_object_mut() {
        o.remove("collection");
        o.remove("unlisted_url");
    }
    if let Some(handlers) = c["handlers"].as_array_mut() {
        for h in handlers {
            h.as_object_mut().map(|o| o.remove("permissions"));
        }
    }
    c
}

fn ok(data: Value) -> Answer {
    (StatusCode::OK, Json(json!({"data": data})))
}

async fn list_components(
    State(fake): State<Shared>,
    Path(collection): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    let data: Vec<Value> = fake
        .components
        .iter()
        .filter(|c| c["collection"] == collection.as_str())
        .map(|c| {
            // Zoho's list examples show no `execution_url`: a component marked so is listed
            // without it, as the details call is not.
            let mut shown = summary(c);
            if c["unlisted_url"] == true {
                shown.as_object_mut().map(|o| o.remove("execution_url"));
            }
            shown
        })
        .collect();
    ok(json!(data))
}

async fn component_details(
    State(fake): State<Shared>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    match find(&mut fake, &collection, &id) {
        Some(c) => ok(summary(c)),
        None => error(StatusCode::NOT_FOUND, "not_found"),
    }
}

async fn create_component(
    State(fake): State<Shared>,
    Path(collection): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(&mut fake, format!("POST /{collection} {body}"));
    fake.next_id += 1;
    // Cliq creates a command's and a message action's execution handler with it.
    let handlers = if collection == "functions" {
        json!([])
    } else {
        json!([{"type": "execution_handler", "permissions": []}])
    };
    let component = json!({"collection": collection, "id": format!("9000{}", fake.next_id),
        "name": body["name"], "execution_type": body["execution_type"],
        "execution_url": body["execution_url"], "handlers": handlers});
    let shown = summary(&component);
    fake.components.push(component);
    ok(shown)
}

fn find<'a>(fake: &'a mut Fake, collection: &str, id: &str) -> Option<&'a mut Value> {
    fake.components
        .iter_mut()
        .find(|c| c["collection"] == collection && c["id"] == id)
}

async fn edit_component(
    State(fake): State<Shared>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(&mut fake, format!("PATCH /{collection}/{id} {body}"));
    match find(&mut fake, &collection, &id) {
        Some(c) => {
            if let Some(url) = body.get("execution_url") {
                c["execution_url"] = url.clone();
            }
            ok(summary(c))
        }
        None => error(StatusCode::NOT_FOUND, "not_found"),
    }
}

async fn delete_component(
    State(fake): State<Shared>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(&mut fake, format!("DELETE /{collection}/{id}"));
    fake.components
        .retain(|c| !(c["collection"] == collection.as_str() && c["id"] == id.as_str()));
    (StatusCode::OK, Json(json!({})))
}

async fn component_handler(
    State(fake): State<Shared>,
    Path((collection, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    let handler = find(&mut fake, &collection, &id).and_then(|c| {
        c["handlers"]
            .as_array()
            .and_then(|hs| hs.iter().find(|h| h["type"] == kind.as_str()).cloned())
    });
    match handler {
        Some(h) => ok(h),
        None => error(StatusCode::NOT_FOUND, "execution_handler_not_found"),
    }
}

async fn create_component_handler(
    State(fake): State<Shared>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(
        &mut fake,
        format!("POST /{collection}/{id}/handlers {body}"),
    );
    match find(&mut fake, &collection, &id).and_then(|c| c["handlers"].as_array_mut()) {
        Some(hs) => {
            hs.push(json!({"type": body["type"], "permissions": body["permissions"]}));
            ok(json!({}))
        }
        None => error(StatusCode::NOT_FOUND, "not_found"),
    }
}

async fn edit_component_handler(
    State(fake): State<Shared>,
    Path((collection, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(
        &mut fake,
        format!("PATCH /{collection}/{id}/handlers/{kind} {body}"),
    );
    let handler = find(&mut fake, &collection, &id).and_then(|c| {
        c["handlers"]
            .as_array_mut()
            .and_then(|hs| hs.iter_mut().find(|h| h["type"] == kind.as_str()))
    });
    match handler {
        Some(h) => {
            h["permissions"] = body["permissions"].clone();
            ok(json!({}))
        }
        None => error(StatusCode::NOT_FOUND, "execution_handler_not_found"),
    }
}

async fn delete_component_handler(
    State(fake): State<Shared>,
    Path((collection, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let mut fake = match admit_any(&headers, &fake) {
        Ok(fake) => fake,
        Err(answer) => return answer,
    };
    record(
        &mut fake,
        format!("DELETE /{collection}/{id}/handlers/{kind}"),
    );
    if let Some(hs) = find(&mut fake, &collection, &id).and_then(|c| c["handlers"].as_array_mut()) {
        hs.retain(|h| h["type"] != kind.as_str());
    }
    (StatusCode::OK, Json(json!({})))
}

/// Starts the fake Cliq with `handlers`; returns its base URL and state.
async fn fake_cliq(handlers: Vec<Value>) -> (String, Shared) {
    fake_cliq_with(handlers, Vec::new()).await
}

/// Starts the fake Cliq with a bot's `handlers` and `components`; returns its base URL and
/// state.
async fn fake_cliq_with(handlers: Vec<Value>, components: Vec<Value>) -> (String, Shared) {
    let fake: Shared = Arc::new(Mutex::new(Fake {
        handlers,
        components,
        ..Fake::default()
    }));
    let app = Router::new()
        .route("/{collection}", get(list_components).post(create_component))
        .route(
            "/{collection}/{id}",
            get(component_details)
                .patch(edit_component)
                .delete(delete_component),
        )
        .route(
            "/{collection}/{id}/handlers",
            axum::routing::post(create_component_handler),
        )
        .route(
            "/{collection}/{id}/handlers/{kind}",
            get(component_handler)
                .patch(edit_component_handler)
                .delete(delete_component_handler),
        )
        .route("/bots/{bot}", get(bot_details))
        .route("/bots/{bot}/handlers", axum::routing::post(create))
        .route(
            "/bots/{bot}/handlers/{kind}",
            get(handler_details).patch(edit).delete(delete),
        )
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), fake)
}

/// The declared configuration as `--print-config` prints it, in a file.
fn config_file(name: &str, bot: &Bot) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("drift-{name}.json"));
    std::fs::write(&path, bot.config().to_json()).unwrap();
    path
}

/// Runs `cargo-cliq cliq <args>` with only the given `CLIQ_*` variables set; the builds it
/// starts are scratch builds (`target/scratch`, shared with `tests/new.rs`'s bots).
async fn cargo_cliq(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-cliq"));
    scratch::configure(&mut command).arg("cliq").args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("CLIQ_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(output.status.code(), Some(101), "panicked: {output:?}");
    output
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn env(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("CLIQ_BASE_URL", base.to_owned()),
        ("CLIQ_ACCESS_TOKEN", TOKEN.to_owned()),
        ("CLIQ_BOT", BOT.to_owned()),
    ]
}

async fn run(args: &[&str], env: &[(&'static str, String)]) -> Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    cargo_cliq(args, &env).await
}

fn in_step() -> Vec<Value> {
    vec![
        json!({"type": "message_handler", "permissions": ["user", "message"]}),
        json!({"type": "menu_handler", "id": "53719000001878017", "name": "Deploy",
               "icon": "wand/FF5733", "position": 1, "permissions": ["chat", "user"],
               "sub_actions": [{"name": "Staging", "icon": "wand/1"}, {"name": "Production"}]}),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_change_exits_0_and_writes_nothing() {
    let bot = Bot::builder()
        .handler(echo {})
        .handler(deploy {})
        .build()
        .unwrap();
    let config = config_file("same", &bot);
    let config = config.to_str().unwrap();
    let (base, fake) = fake_cliq(in_step()).await;

    let out = run(&["diff", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("Cliq matches the code"), "{out:?}");
    let out = run(&["push", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let fake = fake.lock().unwrap();
    assert_eq!(fake.writes, Vec::<String>::new());
    assert_eq!(fake.unauthorized, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_printed_then_applied_once() {
    let bot = Bot::builder()
        .handler(echo {})
        .handler(deploy {})
        .build()
        .unwrap();
    let config = config_file("change", &bot);
    let config = config.to_str().unwrap();
    // Cliq lacks `user` on the message handler and the Deploy menu action, and still has a
    // mention handler the code no longer declares.
    let (base, fake) = fake_cliq(vec![
        json!({"type": "mention_handler", "permissions": ["message"]}),
        json!({"type": "message_handler", "permissions": ["message"]}),
    ])
    .await;

    let out = run(&["diff", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    for line in [
        "~ message_handler: permissions [message] → [message, user]",
        "+ menu_handler \"Deploy\": permissions [chat, user], icon wand/FF5733, sub-actions [Staging, Production]",
        "- mention_handler: permissions [message]",
        "3 difference(s)",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(fake.lock().unwrap().writes.is_empty(), "diff never writes");

    let out = run(&["push", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("applied 3 change(s)"), "{out:?}");
    let writes = fake.lock().unwrap().writes.clone();
    assert_eq!(
        writes,
        [
            "DELETE /bots/deploybot/handlers/mention_handler?handler_id=None",
            r#"PATCH /bots/deploybot/handlers/message_handler?handler_id=None {"permissions":["message","user"]}"#,
            r#"POST /bots/deploybot/handlers {"type":"menu_handler","permissions":["chat","user"],"name":"Deploy","icon":"wand/FF5733","sub_actions":[{"name":"Staging"},{"name":"Production"}]}"#,
        ]
    );

    // Idempotent: a second push changes nothing, and diff agrees.
    let out = run(&["push", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("Cliq matches the code"), "{out:?}");
    let out = run(&["diff", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(fake.lock().unwrap().writes.len(), 3, "no further writes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_menu_variant_is_edited_by_its_handler_id() {
    let bot = Bot::builder().handler(deploy {}).build().unwrap();
    let config = config_file("menu", &bot);
    let config = config.to_str().unwrap();
    let (base, fake) = fake_cliq(vec![
        json!({"type": "menu_handler", "id": "1001", "name": "Other", "permissions": ["chat"]}),
        json!({"type": "menu_handler", "id": "1002", "name": "Deploy", "icon": "wand/000000",
               "permissions": ["chat", "user"], "sub_actions": [{"name": "Staging"}]}),
    ])
    .await;
    let out = run(&["push", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains("~ menu_handler \"Deploy\": icon wand/000000 → wand/FF5733; sub-actions [Staging] → [Staging, Production]"),
        "{text}"
    );
    let writes = fake.lock().unwrap().writes.clone();
    assert_eq!(
        writes,
        [
            r#"DELETE /bots/deploybot/handlers/menu_handler?handler_id=Some("1001")"#,
            r#"PATCH /bots/deploybot/handlers/menu_handler?handler_id=Some("1002") {"permissions":["chat","user"],"name":"Deploy","icon":"wand/FF5733","sub_actions":[{"name":"Staging"},{"name":"Production"}]}"#,
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_are_a_clear_error() {
    let bot = Bot::builder().handler(echo {}).build().unwrap();
    let config = config_file("creds", &bot);
    let config = config.to_str().unwrap();
    let (base, fake) = fake_cliq(in_step()).await;

    let cases: Vec<(Vec<(&'static str, String)>, &str)> = vec![
        (vec![], "no bot: pass --bot"),
        (
            vec![("CLIQ_BOT", BOT.to_owned())],
            "CLIQ_DATA_CENTER is not set",
        ),
        (
            vec![
                ("CLIQ_BOT", BOT.to_owned()),
                ("CLIQ_DATA_CENTER", "eu".to_owned()),
            ],
            "no token: set CLIQ_ACCESS_TOKEN",
        ),
        (
            vec![
                ("CLIQ_BOT", BOT.to_owned()),
                ("CLIQ_DATA_CENTER", "mars".to_owned()),
                ("CLIQ_ACCESS_TOKEN", TOKEN.to_owned()),
            ],
            "unknown Zoho data center \"mars\"",
        ),
        (
            vec![
                ("CLIQ_BOT", BOT.to_owned()),
                ("CLIQ_BASE_URL", base.clone()),
                ("CLIQ_ACCESS_TOKEN", "wrong".to_owned()),
            ],
            "oauthtoken_invalid",
        ),
        (
            vec![
                ("CLIQ_BOT", "nosuchbot".to_owned()),
                ("CLIQ_BASE_URL", base.clone()),
                ("CLIQ_ACCESS_TOKEN", TOKEN.to_owned()),
            ],
            "bot_not_found",
        ),
    ];
    for (vars, expected) in cases {
        for command in ["diff", "push"] {
            let out = run(&[command, "--config", config], &vars).await;
            assert_eq!(out.status.code(), Some(2), "{command} {vars:?}: {out:?}");
            let err = stderr(&out);
            assert!(
                err.starts_with("error: ") && err.contains(expected),
                "{command} {vars:?}: expected {expected:?} in:\n{err}"
            );
            assert!(!err.contains(TOKEN), "the token never shows: {err}");
        }
    }
    assert!(fake.lock().unwrap().writes.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_config_file_is_a_clear_error() {
    let (base, _fake) = fake_cliq(in_step()).await;
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drift-bad.json");
    std::fs::write(&path, "{\"handlers\": 3}").unwrap();
    let out = run(&["diff", "--config", path.to_str().unwrap()], &env(&base)).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out).contains("is not a bot configuration"),
        "{out:?}"
    );
    let out = run(&["diff", "--config", "/nonexistent/x.json"], &env(&base)).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out).contains("cannot read /nonexistent/x.json"),
        "{out:?}"
    );
}

/// Writes an executable script standing in for `cargo` (`$CARGO`): it records its arguments
/// and prints `output`, then runs `then`.
#[cfg(unix)]
fn fake_cargo(name: &str, output: &str, then: &str) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let script = dir.join(format!("fake-cargo-{name}.sh"));
    let args = dir.join(format!("fake-cargo-{name}.args"));
    let text = format!(
        "#!/bin/sh\necho \"$@\" > '{}'\ncat <<'JSON'\n{output}\nJSON\n{then}\n",
        args.display()
    );
    std::fs::write(&script, text).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, args)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_config_the_bot_binary_is_asked() {
    let bot: Bot = Bot::builder()
        .handler(echo {})
        .handler(deploy {})
        .build()
        .unwrap();
    let (base, fake) = fake_cliq(in_step()).await;
    let (script, args) = fake_cargo("ok", &bot.config().to_json(), "exit 0");
    let mut vars = env(&base);
    vars.push(("CARGO", script.display().to_string()));
    let out = run(
        &["diff", "--manifest-path", "bot/Cargo.toml", "--bin", "b"],
        &vars,
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&args).unwrap().trim(),
        "run --quiet --manifest-path bot/Cargo.toml --bin b -- --print-config"
    );

    // A bot whose `main` ignores the flag starts serving: it is stopped, with a hint.
    let (script, _) = fake_cargo(
        "serves",
        "bot listening on http://127.0.0.1:3000/cliq",
        "exec sleep 600",
    );
    vars.pop();
    vars.push(("CARGO", script.display().to_string()));
    let started = std::time::Instant::now();
    let out = run(&["push"], &vars).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr(&out).contains("print_config_if_requested"),
        "{out:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert!(fake.lock().unwrap().writes.is_empty());
}

/// The whole flow on an app made by `cargo cliq new` (a bot, a command, a function): its
/// `main` answers `--print-config` (through a real `cargo run`), diff sees what Cliq lacks,
/// push creates it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_bot_is_diffed_and_pushed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir()
        .join(format!("cargo-cliq-drift-{}", std::process::id()))
        .join("deploy-bot");
    let _ = std::fs::remove_dir_all(&dir);
    let dir_s = dir.display().to_string();
    let out = run(
        &[
            "new",
            &dir_s,
            "--handlers",
            "message,menu:Deploy",
            "--command",
            "deploy",
            "--function",
            "approve:button+form_submit",
        ],
        &[],
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let manifest = dir.join("Cargo.toml").display().to_string();
    let (base, fake) = fake_cliq(vec![]).await;
    let mut vars = env(&base);
    vars.push(("CLIQ_EXECUTION_URL", APP_URL.to_owned()));

    let out = run(&["diff", "--manifest-path", &manifest], &vars).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    for line in [
        "+ message_handler: permissions [attachments, chat, location, message, user]",
        "+ menu_handler \"Deploy\": permissions [chat, location, user]",
        "+ command \"deploy\": execution_handler (permissions [attachments, chat, location, user])",
        "+ function \"approve\": button_handler (permissions [chat, message, user]); form_submit_handler (permissions [chat, message, user])",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }

    let out = run(&["push", "--manifest-path", &manifest], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = run(&["diff", "--manifest-path", &manifest], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // The bot's two handlers; the command and its execution handler's permissions; the
    // function and its two handlers.
    assert_eq!(fake.lock().unwrap().writes.len(), 7);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The environment of an app without a bot: credentials and the execution URL.
fn app_env(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("CLIQ_BASE_URL", base.to_owned()),
        ("CLIQ_ACCESS_TOKEN", TOKEN.to_owned()),
        ("CLIQ_EXECUTION_URL", APP_URL.to_owned()),
    ]
}

fn component(collection: &str, id: &str, name: &str, url: &str, handlers: Value) -> Value {
    json!({"collection": collection, "id": id, "name": name, "execution_type": "webhook",
        "execution_url": url, "handlers": handlers})
}

/// Diff prints `lines` (exit 1, no writes); push writes `writes`, in order; a second push and
/// a diff find nothing more to do.
async fn drift_and_push(
    name: &str,
    app: &App,
    components: Vec<Value>,
    lines: &[&str],
    writes: &[&str],
) {
    let config = config_file(name, app);
    let config = config.to_str().unwrap();
    let (base, fake) = fake_cliq_with(vec![], components).await;
    let vars = app_env(&base);

    let out = run(&["diff", "--config", config], &vars).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    for line in lines {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(
        text.contains(&format!("{} difference(s)", lines.len())),
        "{text}"
    );
    assert!(fake.lock().unwrap().writes.is_empty(), "diff never writes");

    let out = run(&["push", "--config", config], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stdout(&out).contains(&format!("applied {} change(s)", lines.len())),
        "{out:?}"
    );
    assert_eq!(fake.lock().unwrap().writes, writes);

    let out = run(&["push", "--config", config], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("Cliq matches the code"), "{out:?}");
    let out = run(&["diff", "--config", config], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let fake = fake.lock().unwrap();
    assert_eq!(fake.writes.len(), writes.len(), "no further writes");
    assert_eq!(fake.unauthorized, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_are_created_edited_and_deleted() {
    let app = App::builder()
        .handler(deploy_command {})
        .handler(deploy_suggestions {})
        .handler(status_command {})
        .build()
        .unwrap();
    // Cliq: `deploy` with the wrong permissions and no suggestion handler, `old` at the app's
    // URL (not declared: deleted), `support` elsewhere (not the app's: left alone).
    let components = vec![
        component(
            "commands",
            "11",
            "deploy",
            APP_URL,
            json!([{"type": "execution_handler", "permissions": ["chat"]}]),
        ),
        component(
            "commands",
            "12",
            "old",
            APP_URL,
            json!([{"type": "execution_handler", "permissions": []}]),
        ),
        component(
            "commands",
            "13",
            "support",
            "https://other.example.com",
            json!([{"type": "execution_handler", "permissions": []}]),
        ),
    ];
    drift_and_push(
        "commands",
        &app,
        components,
        &[
            "- command \"old\": execution_handler (permissions [])",
            "~ command \"deploy\": ~ execution_handler: permissions [chat] → [user]; + suggestion_handler (permissions [chat])",
            "+ command \"status\": execution_handler (permissions [user])",
        ],
        &[
            "DELETE /commands/12",
            r#"PATCH /commands/11/handlers/execution_handler {"permissions":["user"]}"#,
            r#"POST /commands/11/handlers {"type":"suggestion_handler","permissions":["chat"]}"#,
            r#"POST /commands {"execution_type":"webhook","execution_url":"https://app.example.com/cliq","name":"status","hint":"status","scope":"personal"}"#,
            r#"PATCH /commands/90001/handlers/execution_handler {"permissions":["user"]}"#,
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_actions_are_created_edited_and_deleted() {
    let app = App::builder()
        .handler(translate {})
        .handler(summarize {})
        .build()
        .unwrap();
    // Cliq: `translate` at another URL with fewer permissions (declared: moved to the app's
    // URL), `gone` at the app's URL (deleted); their list entries leave the URL out.
    let mut components = vec![
        component(
            "messageactions",
            "21",
            "Translate",
            "https://old.example.com/cliq",
            json!([{"type": "execution_handler", "permissions": ["message"]}]),
        ),
        component(
            "messageactions",
            "22",
            "gone",
            APP_URL,
            json!([{"type": "execution_handler", "permissions": ["user"]}]),
        ),
    ];
    for c in &mut components {
        c["unlisted_url"] = json!(true);
    }
    drift_and_push(
        "message-actions",
        &app,
        components,
        &[
            "- message_action \"gone\": execution_handler (permissions [user])",
            "~ message_action \"translate\": ~ execution_handler: permissions [message] → [message, user]; execution_url https://old.example.com/cliq → https://app.example.com/cliq",
            "+ message_action \"summarize\": execution_handler (permissions [message])",
        ],
        &[
            "DELETE /messageactions/22",
            // Declared components in canonical order: by kind, then name.
            r#"POST /messageactions {"execution_type":"webhook","execution_url":"https://app.example.com/cliq","name":"summarize","hint":"summarize","scope":"personal"}"#,
            r#"PATCH /messageactions/90001/handlers/execution_handler {"permissions":["message"]}"#,
            r#"PATCH /messageactions/21 {"execution_url":"https://app.example.com/cliq"}"#,
            r#"PATCH /messageactions/21/handlers/execution_handler {"permissions":["message","user"]}"#,
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn functions_are_created_edited_and_deleted() {
    let app = App::builder()
        .handler(approve_click {})
        .handler(approve_submit {})
        .handler(notify {})
        .build()
        .unwrap();
    // Cliq: `approve` with a view handler the code does not declare and no submit handler,
    // `legacy` at the app's URL (deleted).
    let components = vec![
        component(
            "functions",
            "31",
            "approve",
            APP_URL,
            json!([
                {"type": "button_handler", "permissions": ["user"]},
                {"type": "form_view_handler", "permissions": []},
            ]),
        ),
        component(
            "functions",
            "32",
            "legacy",
            APP_URL,
            json!([{"type": "button_handler", "permissions": []}]),
        ),
    ];
    drift_and_push(
        "functions",
        &app,
        components,
        &[
            "- function \"legacy\": button_handler (permissions [])",
            "~ function \"approve\": - form_view_handler (permissions []); + form_submit_handler (permissions [user])",
            "+ function \"notify\": button_handler (permissions [user])",
        ],
        &[
            "DELETE /functions/32",
            "DELETE /functions/31/handlers/form_view_handler",
            r#"POST /functions/31/handlers {"type":"form_submit_handler","permissions":["user"]}"#,
            r#"POST /functions {"name":"notify","description":"notify, served at https://app.example.com/cliq","function_type":"button","execution_type":"webhook","execution_url":"https://app.example.com/cliq"}"#,
            r#"POST /functions/90001/handlers {"type":"button_handler","permissions":["user"]}"#,
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_component_needs_the_execution_url() {
    let app = App::builder().handler(status_command {}).build().unwrap();
    let config = config_file("no-url", &app);
    let config = config.to_str().unwrap();
    let (base, fake) = fake_cliq_with(vec![], vec![]).await;
    // A bot name but no URL: the declared command is compared, and creating it is refused.
    let out = run(&["push", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("--execution-url"), "{out:?}");
    assert!(fake.lock().unwrap().writes.is_empty());
}

#[cliq_handler(
    type = "message_handler",
    bot = "deploybot",
    permissions(message, user)
)]
async fn deploybot_echo() -> Reply {
    Reply::text("hi")
}

#[cliq_handler(type = "mention_handler", bot = "supportbot", permissions(message))]
async fn supportbot_mention() -> Reply {
    Reply::text("hello")
}

/// An app serving two bots: `--bot deploybot` compares deploybot's handlers only (the other
/// bot's are neither created nor deleted there), and a bot the code does not declare is
/// refused before anything is read or written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_bots_compare_the_named_bot_only() {
    let app = Bot::builder()
        .handler(deploybot_echo {})
        .handler(supportbot_mention {})
        .build()
        .unwrap();
    let config = config_file("two-bots", &app);
    let config = config.to_str().unwrap();
    let (base, fake) = fake_cliq(vec![
        json!({"type": "message_handler", "permissions": ["user", "message"]}),
    ])
    .await;

    let out = run(&["push", "--config", config], &env(&base)).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("Cliq matches the code"), "{out:?}");
    assert!(fake.lock().unwrap().writes.is_empty());

    let mut other = env(&base);
    other.retain(|(k, _)| *k != "CLIQ_BOT");
    other.push(("CLIQ_BOT", "payrollbot".to_owned()));
    let out = run(&["diff", "--config", config], &other).await;
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stderr(&out)
            .contains("declares no handlers for bot `payrollbot`; its bots: deploybot, supportbot"),
        "{out:?}"
    );
    assert!(fake.lock().unwrap().writes.is_empty());
}
