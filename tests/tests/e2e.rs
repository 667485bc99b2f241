//! End-to-end: the example bot (`examples/examples/echo_bot.rs`, compiled in here as a
//! module) served by axum on 127.0.0.1, driven over real HTTP. Request bodies come from the
//! test kit (`cliq_webhook::testing::TestRequest`, shaped like Cliq's payloads), filtered by
//! each handler's declared permissions; only the wire variants the kit does not build (older
//! envelope, malformed envelopes) are written out. `cargo test --workspace e2e`.
//!
//! The RSA key pair in `tests/fixtures/` is a throwaway 1024-bit test key (fast in debug
//! builds); it signs nothing but these tests.

#[allow(dead_code)]
#[path = "../../examples/examples/echo_bot.rs"]
mod echo_bot;

use std::sync::atomic::Ordering;

use base64::Engine;
use cliq_webhook::testing::TestRequest;
use echo_bot::{AppState, Options};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{json, Value};

const PRIVATE_KEY: &str = include_str!("fixtures/test_rsa_1024_private.pem");
const PUBLIC_KEY: &str = include_str!("fixtures/test_rsa_1024_public.pem");

struct Server {
    base: String,
    state: AppState,
    client: reqwest::Client,
}

async fn start(options: Options) -> Server {
    let state = AppState::default();
    let app = echo_bot::app(state.clone(), &options).expect("example bot assembles");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base: format!("http://{addr}"),
        state,
        client: reqwest::Client::new(),
    }
}

impl Server {
    fn runs(&self) -> usize {
        self.state.runs.load(Ordering::SeqCst)
    }

    async fn post_raw(
        &self,
        path: &str,
        body: Vec<u8>,
        headers: &[(&str, String)],
    ) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(ctype, "application/json", "every answer is JSON");
        (status, resp.json().await.unwrap())
    }

    async fn post(&self, body: &Value) -> (u16, Value) {
        self.post_raw("/cliq", body.to_string().into_bytes(), &[])
            .await
    }
}

/// The body Cliq sends for `request` to the example bot's handler of that type: the test
/// kit's payload (`cliq_webhook::testing`), keeping only the objects that handler's declared
/// permissions grant.
fn cliq_body(request: &TestRequest) -> Value {
    let bot =
        echo_bot::bot(Default::default(), &Options::default()).expect("example bot assembles");
    let permissions = bot
        .handlers()
        .find(|m| m.kind == request.kind())
        .map_or(&[][..], |m| m.permissions);
    request.to_json(permissions)
}

/// `body` with `handler.type` spelled `wire` (Cliq's other names for a handler type).
fn wire_type(mut body: Value, wire: &str) -> Value {
    body["handler"]["type"] = json!(wire);
    body
}

fn user() -> Value {
    json!({"id": "55501234", "zoho_user_id": "55501234", "first_name": "Ada", "last_name": "L",
           "email": "ada@example.com", "admin": false, "organization_id": 60001234,
           "timezone": "Europe/London", "country": "gb", "language": "en"})
}

fn chat() -> Value {
    json!({"id": "CT_1111_55501234-B1", "type": "bot", "title": "Deploy Bot", "owner": 55501234})
}

#[tokio::test]
async fn e2e_message_handler_echoes() {
    let s = start(Options::default()).await;
    let body = cliq_body(&TestRequest::message("status of build 42?"));
    let (status, reply) = s.post(&body).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(
        reply,
        json!({"output": {"text": "Ada said: status of build 42?"}})
    );
    assert_eq!(s.runs(), 1);
}

#[tokio::test]
async fn e2e_message_handler_starts_a_context() {
    let s = start(Options::default()).await;
    let (status, reply) = s.post(&cliq_body(&TestRequest::message("survey"))).await;
    assert_eq!(status, 200);
    assert_eq!(
        reply["output"]["context"],
        json!({"id": "survey", "timeout": 300, "params": [{"name": "team", "question": "Which team are you on?"}]})
    );
}

#[tokio::test]
async fn e2e_mention_handler_with_object_message() {
    let s = start(Options::default()).await;
    // The CLI's mention sample sends `message` as an object.
    let request = TestRequest::mention("@Deploy Bot ship it").param(
        "message",
        json!({"sender": {"name": "Ada", "id": "55501234"}, "time": "1493707283711",
               "text": "@Deploy Bot ship it", "type": "text"}),
    );
    let (status, reply) = s.post(&cliq_body(&request)).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(
        reply["output"]["text"],
        "Hi Ada, you mentioned me: @Deploy Bot ship it"
    );
}

#[tokio::test]
async fn e2e_welcome_handler() {
    let s = start(Options::default()).await;
    let (status, reply) = s.post(&cliq_body(&TestRequest::welcome())).await;
    assert_eq!(status, 200);
    assert_eq!(
        reply["output"]["text"],
        "Welcome, Ada! Type anything and I'll echo it."
    );
    assert_eq!(reply["output"]["suggestions"]["list"][0]["text"], "survey");
}

#[tokio::test]
async fn e2e_context_handler() {
    let s = start(Options::default()).await;
    let request = TestRequest::context("survey").answer("team", "Platform");
    let (status, reply) = s.post(&cliq_body(&request)).await;
    assert_eq!(status, 200);
    assert_eq!(
        reply,
        json!({"output": {"text": "Thanks! Noted team Platform (survey)."}})
    );
}

#[tokio::test]
async fn e2e_participation_handler() {
    let s = start(Options::default()).await;
    let added = TestRequest::participation("added").param(
        "chat",
        json!({"id": "CT_2", "type": "channel", "title": "#releases"}),
    );
    let (status, reply) = s.post(&cliq_body(&added)).await;
    assert_eq!(status, 200);
    assert_eq!(
        reply["output"]["text"],
        "Thanks for adding me to #releases!"
    );
    let sent = TestRequest::participation("message_sent");
    let (status, reply) = s.post(&cliq_body(&sent)).await;
    assert_eq!(status, 200);
    assert_eq!(reply, json!({"output": {}}));
    assert_eq!(s.runs(), 2);
}

#[tokio::test]
async fn e2e_incoming_webhook_handler_wire_name() {
    let s = start(Options::default()).await;
    let request = TestRequest::incoming_webhook(r#"{"status":"green"}"#);
    let body = wire_type(cliq_body(&request), "incomingwebhook_handler");
    let (status, reply) = s.post(&body).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["output"]["text"], "Incoming: green");
    assert_eq!(
        reply["output"]["card"],
        json!({"title": "Build report", "theme": "modern-inline"})
    );
}

#[tokio::test]
async fn e2e_menu_handler_action_handler_envelope() {
    let s = start(Options::default()).await;
    let request = TestRequest::menu("Deploy")
        .sub_action("Production")
        .at_location(12.83, 80.05);
    let body = wire_type(cliq_body(&request), "action_handler");
    assert!(
        body["params"].get("location").is_none(),
        "the Deploy action does not ask for the location permission"
    );
    let (status, reply) = s.post(&body).await;
    assert_eq!(status, 200, "{reply}");
    let out = &reply["output"];
    assert_eq!(out["text"], "Deploying to Production from Test Bot");
    assert_eq!(out["card"]["theme"], "basic");
    assert_eq!(out["buttons"][0]["action"]["type"], "open.url");
    assert_eq!(
        out["slides"][0],
        json!({"type": "list", "title": "Steps", "data": ["build", "test", "ship"]})
    );
}

#[tokio::test]
async fn e2e_menu_handler_older_envelope() {
    let s = start(Options::default()).await;
    // 2019 envelope: `handler` a bare string, name in `handler_name`, no timestamp/response_url.
    // The test kit builds only today's envelope, so this one is written out.
    let body = json!({"type": "bot", "handler": "menu_handler", "handler_name": "Deploy",
                      "params": {"chat": chat(), "user": user(), "sub_action": ""}});
    let (status, reply) = s.post(&body).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(
        reply["output"]["text"],
        "Deploying to Staging from Deploy Bot"
    );
}

#[tokio::test]
async fn e2e_call_handler_alert_wire_name_replies_nothing() {
    let s = start(Options::default()).await;
    // The kit's call request, like Cliq's sample, has no response_url.
    let body = wire_type(cliq_body(&TestRequest::call("answered")), "alert_handler");
    assert!(body.get("response_url").is_none());
    let (status, reply) = s.post(&body).await;
    assert_eq!(status, 200);
    assert_eq!(reply, json!({"output": {}}));
    assert_eq!(s.runs(), 1);
}

#[tokio::test]
async fn e2e_bad_requests_get_4xx_and_no_handler_runs() {
    let s = start(Options::default()).await;
    let bytes = |body: Value| body.to_string().into_bytes();
    let hi = TestRequest::message("hi");
    let mut no_params = cliq_body(&hi);
    no_params.as_object_mut().unwrap().remove("params");
    // Envelopes of the wrong shape are written out: the kit builds only well-formed ones.
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "malformed JSON",
            b"{\"type\": \"bot\", \"handler\":".to_vec(),
            400,
            "malformed_json",
        ),
        ("not an object", b"[1, 2]".to_vec(), 400, "malformed_json"),
        (
            "wrong shape",
            br#"{"handler": {"type": "message_handler"}, "params": {"user": [1]}}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "no handler type",
            bytes(json!({"type": "bot", "params": {}})),
            400,
            "missing_handler_type",
        ),
        (
            "unknown handler type",
            bytes(wire_type(cliq_body(&hi), "execution_handler")),
            400,
            "unknown_handler_type",
        ),
        (
            "a function this bot-only app does not serve",
            bytes(json!({"type": "function", "handler": {"type": "button_handler"}, "params": {}})),
            404,
            "handler_not_registered",
        ),
        (
            "a component no app serves",
            bytes(json!({"type": "widget", "handler": {"type": "view_handler"}, "params": {}})),
            400,
            "unsupported_component",
        ),
        (
            "menu action the bot lacks",
            bytes(cliq_body(&TestRequest::menu("Rollback"))),
            404,
            "unknown_menu_action",
        ),
        ("no params", bytes(no_params), 400, "missing_params"),
        (
            "missing context (user withheld)",
            bytes(hi.to_json(&[cliq_webhook::rules::Permission::Message])),
            400,
            "missing_context",
        ),
        (
            "missing message",
            bytes(hi.to_json(&[cliq_webhook::rules::Permission::User])),
            400,
            "missing_context",
        ),
        (
            "oversized body",
            bytes(cliq_body(&TestRequest::message(
                "x".repeat(1024 * 1024 + 10),
            ))),
            413,
            "payload_too_large",
        ),
    ];
    for (what, body, status, code) in cases {
        let (got, reply) = s.post_raw("/cliq", body, &[]).await;
        assert_eq!(got, status, "{what}: {reply}");
        assert_eq!(reply["error"]["code"], code, "{what}: {reply}");
        assert!(reply["error"]["message"].is_string(), "{what}");
    }
    assert_eq!(s.runs(), 0, "no handler ran for a bad request");
}

fn sign(body: &[u8]) -> String {
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(PRIVATE_KEY).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
    base64::engine::general_purpose::STANDARD.encode(signer.sign(body).to_bytes())
}

#[tokio::test]
async fn e2e_shared_secret_and_signature() {
    let s = start(Options {
        shared_secret: Some("correct horse".into()),
        public_key_pem: Some(PUBLIC_KEY.into()),
        ..Options::default()
    })
    .await;
    let body = cliq_body(&TestRequest::message("hi"))
        .to_string()
        .into_bytes();
    let signature = sign(&body);
    let path = "/cliq?token=correct%20horse";

    let (status, reply) = s
        .post_raw(
            "/cliq",
            body.clone(),
            &[("x-cliq-signature", signature.clone())],
        )
        .await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (401, Some("unauthorized")),
        "no token"
    );
    let (status, _) = s
        .post_raw(
            "/cliq?token=wrong",
            body.clone(),
            &[("x-cliq-signature", signature.clone())],
        )
        .await;
    assert_eq!(status, 401, "wrong token");
    let (status, _) = s.post_raw(path, body.clone(), &[]).await;
    assert_eq!(status, 401, "no signature");
    let mut tampered = body.clone();
    let at = tampered.len() - 3;
    tampered[at] = b' ';
    let (status, _) = s
        .post_raw(path, tampered, &[("x-cliq-signature", signature.clone())])
        .await;
    assert_eq!(status, 401, "signature over other bytes");
    assert_eq!(s.runs(), 0);

    let (status, reply) = s
        .post_raw(path, body.clone(), &[("x-cliq-signature", signature)])
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["output"]["text"], "Ada said: hi");
    // The same signed delivery again is a replay (signature verification turns replay
    // protection on).
    let (status, reply) = s
        .post_raw(path, body.clone(), &[("x-cliq-signature", sign(&body))])
        .await;
    assert_eq!(
        (status, reply["error"]["code"].as_str()),
        (409, Some("replayed_request"))
    );
    // The header form of the secret works too.
    let body = cliq_body(&TestRequest::message("hi again"))
        .to_string()
        .into_bytes();
    let (status, _) = s
        .post_raw(
            "/cliq",
            body.clone(),
            &[
                ("x-cliq-signature", sign(&body)),
                ("x-webhook-token", "correct horse".into()),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(s.runs(), 2);
}

#[tokio::test]
async fn e2e_app_routes_still_served() {
    let s = start(Options::default()).await;
    let resp = s
        .client
        .get(format!("{}/health", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.text().await.unwrap(), "ok");
}
