//! A form derived from a struct, end to end: a bot replies with it, its submission comes back
//! to the function it names, and the handler receives the typed struct; a bad value is
//! answered on the form, naming the field, and the handler does not run.

use cliq_webhook::extract::Submission;
use cliq_webhook::message::{CliqChoice, CliqForm};
use cliq_webhook::testing::{TestBot, TestRequest};
use cliq_webhook::{cliq_handler, Bot, Form, FunctionTarget, Reply};
use serde_json::json;

#[derive(CliqChoice, Debug, Clone, Copy, PartialEq)]
enum Env {
    Staging,
    Production,
}

#[derive(CliqForm, Debug)]
#[cliq(title = "Deploy", name = "deploy", button_label = "Deploy")]
struct Deploy {
    #[cliq(label = "Environment")]
    env: Env,
    #[cliq(label = "Replicas", min = 1, max = 10)]
    replicas: u32,
    #[cliq(label = "Note")]
    note: Option<String>,
}

#[cliq_handler(type = "message_handler")]
async fn ask() -> Form {
    Deploy::form(deploy_submit {})
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "deploy_submit")]
async fn deploy_submit(Submission(d): Submission<Deploy>) -> Reply {
    Reply::text(format!(
        "{:?} x{}{}",
        d.env,
        d.replicas,
        d.note.map(|n| format!(" ({n})")).unwrap_or_default()
    ))
}

fn app() -> TestBot<()> {
    let bot = Bot::builder()
        .handler(ask {})
        .handler(deploy_submit {})
        .build()
        .expect("a valid app");
    TestBot::new(bot)
}

#[tokio::test]
async fn the_form_a_bot_sends_comes_back_typed() {
    let app = app();
    // 1. The bot's reply: the form built from the struct, submitting to `deploy_submit`.
    let form = app.send(TestRequest::message("deploy")).await;
    assert_eq!(form.status(), 200);
    let output = form.output().expect("a form");
    assert_eq!(output["type"], "form");
    assert_eq!(output["name"], "deploy");
    assert_eq!(output["action"]["name"], deploy_submit {}.function_name());
    let inputs: Vec<&str> = output["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(inputs, ["env", "replicas", "note"]);

    // 2. Its submission, as Cliq sends it: the handler gets the typed struct.
    let values = json!({"env": {"label": "Production", "value": "production"}, "replicas": "3"});
    let done = app
        .send(TestRequest::form_submit("deploy_submit", "deploy", values))
        .await;
    assert_eq!(done.status(), 200);
    assert_eq!(done.text(), Some("Production x3"));
}

#[tokio::test]
async fn a_bad_value_is_answered_on_the_form_naming_the_field() {
    let app = app();
    let values = json!({"env": {"label": "Moon", "value": "moon"}, "replicas": "40"});
    let refused = app
        .send(TestRequest::form_submit("deploy_submit", "deploy", values))
        .await;
    assert_eq!(refused.status(), 200, "{}", refused.json());
    assert_eq!(refused.output_type(), Some("form_error"));
    assert!(refused.form_error("env").is_some(), "{}", refused.json());
    let replicas = refused.form_error("replicas").expect("replicas refused");
    assert!(replicas.contains("10"), "names the limit: {replicas}");
    assert_eq!(
        refused.form_error("note"),
        None,
        "an optional field left empty is fine"
    );

    // A mandatory field missing is refused by name too.
    let missing = app
        .send(TestRequest::form_submit(
            "deploy_submit",
            "deploy",
            json!({"env": "staging"}),
        ))
        .await;
    assert!(
        missing.form_error("replicas").is_some(),
        "{}",
        missing.json()
    );
}
