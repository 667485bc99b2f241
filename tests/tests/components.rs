//! End-to-end: one `App` serving a bot, a slash command, a message action and a function of
//! every handler type, mounted in an axum `Router` (one URL for all, and the function again on
//! a URL of its own) and driven through the router with signed requests: one test per
//! handler type of the three new components (the bot's eight are `e2e`'s). Then Zoho's own
//! sample payloads for commands, message actions and functions (the Catalyst CLI's
//! `templates/event/integ/cliq/`, fetched with `npm pack` into `target/`, never committed)
//! served by an app whose components carry the samples' names; without npm or the network
//! that test is reported ignored with the reason (a failure under `CI`).
//! `cargo test -p cliq-tests --test components`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cliq_tests::harness::{self, needs, test};
use cliq_webhook::extract::{
    ButtonClick, CommandInput, FieldChange, FormValues, Message, SelectQuery, TargetMessage, User,
    WidgetClick,
};
use cliq_webhook::rules::HandlerKind;
use cliq_webhook::testing::{test_signature, TestRequest, TEST_PUBLIC_KEY_PEM};
use cliq_webhook::{
    cliq_handler, App, Banner, Button, Form, FormErrors, FormModification, Reply, SelectOptions,
    Suggestion, Suggestions,
};
use serde_json::{json, Value};
use tower::ServiceExt;

#[cliq_handler(type = "message_handler", permissions(message))]
async fn echo(message: Message) -> Reply {
    Reply::text(message.text).button(Button::invoke("Approve", approve {}))
}

#[cliq_handler(component = command, type = "execution_handler", name = "deploy", permissions(user))]
async fn deploy(input: CommandInput, user: User) -> Reply {
    Reply::text(format!(
        "{} deploys {}",
        user.first_name.unwrap_or_default(),
        input.arguments
    ))
}

#[cliq_handler(component = command, type = "suggestion_handler", name = "deploy")]
async fn deploy_suggestions(input: CommandInput) -> Suggestions {
    Suggestions(
        ["staging", "production"]
            .into_iter()
            .filter(|env| env.starts_with(input.arguments.as_str()))
            .map(|env| Suggestion::new(env).description("environment"))
            .collect(),
    )
}

#[cliq_handler(component = message_action, type = "execution_handler", name = "quote", permissions(message))]
async fn quote(message: TargetMessage) -> String {
    format!("> {}", message.text.unwrap_or_default())
}

#[cliq_handler(component = function, type = "button_handler")]
async fn approve(click: ButtonClick) -> Banner {
    let id = click.arguments.get("id").and_then(Value::as_str);
    Banner::success(format!("approved {}", id.unwrap_or("?")))
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "request")]
async fn request_submit(form: FormValues) -> Result<Reply, FormErrors> {
    match form.text("env") {
        Some("production") | Some("staging") => Ok(Reply::text("requested")),
        _ => Err(FormErrors::new().field("env", "pick staging or production")),
    }
}

#[cliq_handler(component = function, type = "form_change_handler", name = "request")]
async fn request_change(change: FieldChange) -> FormModification {
    FormModification::new().remove(format!("{}-details", change.name))
}

#[cliq_handler(component = function, type = "form_dynamic_select_handler", name = "request")]
async fn request_options(query: SelectQuery) -> SelectOptions {
    ["alpha", "beta"]
        .into_iter()
        .filter(|o| o.starts_with(query.query.as_str()))
        .fold(SelectOptions::new(), |s, o| s.option(o, o))
}

#[cliq_handler(component = function, type = "form_view_handler", name = "request")]
async fn request_view() -> Form {
    Form::new("Request", "request", request_submit {}).text_input("env", "Environment")
}

#[cliq_handler(component = function, type = "widget_button_handler", name = "panel")]
async fn panel(click: WidgetClick) -> Banner {
    Banner::success(click.label.unwrap_or_default())
}

/// The app: every component on `/cliq`; the `approve` function alone on `/functions/approve`.
fn router() -> axum::Router {
    let all = App::builder()
        .handler(echo {})
        .handler(deploy {})
        .handler(deploy_suggestions {})
        .handler(quote {})
        .handler(approve {})
        .handler(request_submit {})
        .handler(request_change {})
        .handler(request_options {})
        .handler(request_view {})
        .handler(panel {})
        .signature_public_key_pem(TEST_PUBLIC_KEY_PEM)
        .build()
        .expect("the app assembles");
    let approve_only = App::builder()
        .handler(approve {})
        .signature_public_key_pem(TEST_PUBLIC_KEY_PEM)
        .build()
        .expect("the function assembles");
    axum::Router::new()
        .route_service("/cliq", all)
        .route_service("/functions/approve", approve_only)
}

/// Posts `body`, signed with the test kit's key, through the router.
async fn post(path: &str, body: Vec<u8>, signed: bool) -> (StatusCode, Value) {
    let mut request = Request::post(path).header("content-type", "application/json");
    if signed {
        request = request.header("x-cliq-signature", test_signature(&body));
    }
    let request = request.body(Body::from(body)).expect("a request");
    let router = if signed { router() } else { samples_router() };
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Sends a kit request as Cliq would for a handler declaring `permissions` (all of them here:
/// the kit's filtering is `testing`'s own test).
fn send(path: &'static str, request: TestRequest) -> (StatusCode, Value) {
    let body = request
        .to_json(cliq_webhook::rules::Permission::ALL)
        .to_string();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(post(path, body.into_bytes(), true))
}

fn output(reply: &(StatusCode, Value)) -> &Value {
    assert_eq!(reply.0, StatusCode::OK, "{}", reply.1);
    &reply.1["output"]
}

fn command_execution() {
    let reply = send("/cliq", TestRequest::command("deploy", "api v2"));
    assert_eq!(output(&reply)["text"], "Ada deploys api v2");
    // Another command's name is not this app's.
    let other = send("/cliq", TestRequest::command("rollback", ""));
    assert_eq!(other.0, StatusCode::NOT_FOUND);
    assert_eq!(other.1["error"]["code"], "unknown_component");
}

fn command_suggestion() {
    let reply = send("/cliq", TestRequest::command_suggestion("deploy", "pro"));
    assert_eq!(
        output(&reply),
        &json!([{"title": "production", "description": "environment"}])
    );
}

fn message_action_execution() {
    let reply = send("/cliq", TestRequest::message_action("quote", "ship it"));
    assert_eq!(output(&reply)["text"], "> ship it");
}

fn function_button() {
    // The bot's reply carries a button invoking the function, by its typed handle…
    let bot = send("/cliq", TestRequest::message("hi"));
    let button = &output(&bot)["buttons"][0];
    assert_eq!(button["action"]["type"], "invoke.function");
    let function = button["action"]["data"]["name"]
        .as_str()
        .expect("a function name");
    assert_eq!(function, "approve");
    // …and the click reaches that function, on the shared URL and on its own.
    for path in ["/cliq", "/functions/approve"] {
        let reply = send(path, TestRequest::button(function, json!({"id": "42"})));
        assert_eq!(output(&reply)["text"], "approved 42", "{path}");
    }
}

fn function_form_submit() {
    let ok = send(
        "/cliq",
        TestRequest::form_submit(
            "request",
            "request",
            json!({"env": {"label": "Prod", "value": "production"}}),
        ),
    );
    assert_eq!(output(&ok)["text"], "requested");
    // The SDK's name for the handler type, and a refused field.
    let refused = send(
        "/cliq",
        TestRequest::form_submit("request", "request", json!({"env": "moon"}))
            .wire_type("form_handler"),
    );
    let out = output(&refused);
    assert_eq!(out["type"], "form_error");
    assert_eq!(out["inputs"]["env"], "pick staging or production");
}

fn function_form_change() {
    let reply = send(
        "/cliq",
        TestRequest::form_change("request", "request", "env", json!("staging")),
    );
    assert_eq!(
        output(&reply),
        &json!({"type": "form_modification", "actions": [{"type": "remove", "name": "env-details"}]})
    );
}

fn function_form_dynamic_select() {
    let reply = send(
        "/cliq",
        TestRequest::form_dynamic_select("request", "request", "tier", "al")
            .wire_type("form_values_handler"),
    );
    assert_eq!(
        output(&reply),
        &json!({"options": [{"label": "alpha", "value": "alpha"}]})
    );
}

fn function_form_view() {
    let reply = send("/cliq", TestRequest::form_view("request"));
    let out = output(&reply);
    assert_eq!(out["type"], "form");
    assert_eq!(out["action"]["name"], "request");
}

fn function_widget_button() {
    let reply = send(
        "/cliq",
        TestRequest::widget_button("panel", "Refresh").wire_type("applet_button_handler"),
    );
    assert_eq!(output(&reply)["text"], "Refresh");
}

// ---- Zoho's sample payloads ----------------------------------------------------------

/// The Catalyst CLI version whose samples are served (the one the protocol note cites).
const CATALYST_CLI: &str = "zcatalyst-cli@1.25.3";

#[cliq_handler(component = command, type = "execution_handler", name = "catalystquote", permissions(user, chat, location, attachments))]
async fn sample_command(input: CommandInput, user: User) -> Reply {
    Reply::text(format!(
        "{}:{}",
        user.first_name.unwrap_or_default(),
        input.arguments
    ))
}

#[cliq_handler(component = command, type = "suggestion_handler", name = "catalystresource", permissions(user, chat))]
async fn sample_suggestions(input: CommandInput) -> Suggestions {
    Suggestions(
        input
            .selections
            .iter()
            .filter_map(|s| s.get("title")?.as_str())
            .map(Suggestion::new)
            .collect(),
    )
}

#[cliq_handler(component = message_action, type = "execution_handler", name = "Sample", permissions(message, user))]
async fn sample_action(message: TargetMessage) -> String {
    message.text.unwrap_or_default()
}

#[cliq_handler(component = function, type = "button_handler", name = "Sample", permissions(message))]
async fn sample_button(click: ButtonClick) -> String {
    click.name.unwrap_or_default()
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "Sample")]
async fn sample_submit(form: FormValues) -> Result<Reply, FormErrors> {
    Ok(Reply::text(
        form.text("username").unwrap_or_default().to_owned(),
    ))
}

#[cliq_handler(component = function, type = "form_change_handler", name = "Sample")]
async fn sample_change(change: FieldChange) -> FormModification {
    FormModification::new().remove(change.name)
}

#[cliq_handler(component = function, type = "form_dynamic_select_handler", name = "Sample")]
async fn sample_options(query: SelectQuery) -> SelectOptions {
    SelectOptions::new().option(query.query.clone(), query.name)
}

#[cliq_handler(component = function, type = "form_view_handler", name = "Sample")]
async fn sample_view() -> Form {
    Form::new("Asset Request", "ID", sample_submit {})
}

#[cliq_handler(component = function, type = "widget_button_handler", name = "Sample")]
async fn sample_widget(click: WidgetClick) -> Banner {
    Banner::success(click.label.unwrap_or_default())
}

fn samples_router() -> axum::Router {
    let app = App::builder()
        .handler(sample_command {})
        .handler(sample_suggestions {})
        .handler(sample_action {})
        .handler(sample_button {})
        .handler(sample_submit {})
        .handler(sample_change {})
        .handler(sample_options {})
        .handler(sample_view {})
        .handler(sample_widget {})
        .build()
        .expect("the samples' app assembles");
    axum::Router::new().route_service("/cliq", app)
}

/// `npm pack` of the Catalyst CLI into `target/catalyst-cli/`, unpacked; its Cliq samples'
/// directory, or why not.
fn catalyst_samples() -> Result<PathBuf, String> {
    let dir = cliq_tests::workspace_root().join("target/catalyst-cli");
    let samples = dir.join("package/templates/event/integ/cliq");
    if samples.is_dir() {
        return Ok(samples);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let pack = Command::new("npm")
        .args(["pack", CATALYST_CLI, "--silent"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("needs npm to fetch {CATALYST_CLI}'s sample payloads: {e}"))?;
    if !pack.status.success() {
        return Err(format!(
            "npm pack {CATALYST_CLI} failed (network?): {}",
            String::from_utf8_lossy(&pack.stderr).trim()
        ));
    }
    let tarball = String::from_utf8_lossy(&pack.stdout).trim().to_owned();
    let untar = Command::new("tar")
        .args(["xzf", &tarball])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("needs tar to unpack {tarball}: {e}"))?;
    if !untar.success() || !samples.is_dir() {
        return Err(format!("{tarball} has no templates/event/integ/cliq"));
    }
    Ok(samples)
}

fn zoho_samples_are_served(samples: PathBuf) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut served = Vec::new();
    for component in ["command", "messageaction", "function"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(samples.join(component))
            .unwrap_or_else(|e| panic!("{component}: {e}"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let body = std::fs::read(&file).expect("a sample");
            let sample: Value = serde_json::from_slice(&body).expect("a JSON sample");
            let wire = sample["handler"]["type"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let (status, reply) = runtime.block_on(post("/cliq", body, false));
            assert_eq!(status, StatusCode::OK, "{}: {reply}", file.display());
            assert!(reply.get("output").is_some(), "{}: {reply}", file.display());
            served.push(format!("{component}/{wire}"));
        }
    }
    // Every handler type of the three components, under the samples' own names.
    let kinds = [
        "command/execution_handler",
        "command/suggestion_handler",
        "messageaction/execution_handler",
        "function/button_handler",
        "function/form_handler",
        "function/form_change_handler",
        "function/form_values_handler",
        "function/form_view_handler",
        "function/applet_button_handler",
    ];
    for kind in kinds {
        assert!(
            served.iter().any(|s| s == kind),
            "no sample for {kind}: {served:?}"
        );
    }
    assert_eq!(
        HandlerKind::ALL
            .iter()
            .filter(|k| k.component() != cliq_webhook::rules::Component::Bot)
            .count(),
        kinds.len()
    );
}

fn main() -> ExitCode {
    harness::run(vec![
        test("command_execution_handler", command_execution),
        test("command_suggestion_handler", command_suggestion),
        test("message_action_execution_handler", message_action_execution),
        test("function_button_handler", function_button),
        test("function_form_submit_handler", function_form_submit),
        test("function_form_change_handler", function_form_change),
        test(
            "function_form_dynamic_select_handler",
            function_form_dynamic_select,
        ),
        test("function_form_view_handler", function_form_view),
        test("function_widget_button_handler", function_widget_button),
        needs(
            "zoho_samples_are_served",
            catalyst_samples,
            zoho_samples_are_served,
        ),
    ])
}
