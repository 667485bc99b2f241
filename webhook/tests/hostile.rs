//! Hostile requests through the real axum router: each gets its documented 4xx JSON error,
//! the handler never runs, and a good request right after succeeds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use cliq_webhook::extract::{BotState, Message, User};
use cliq_webhook::{cliq_handler, Bot, Reply};
use http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

#[derive(Clone, Default)]
struct App {
    calls: Arc<AtomicUsize>,
}

#[cliq_handler(type = "message_handler", permissions(message, user))]
async fn echo(BotState(app): BotState<App>, message: Message, _user: User) -> Reply {
    app.calls.fetch_add(1, Ordering::SeqCst);
    // Echoes what fits a reply (Cliq's text limit is checked before answering), else its length.
    match message.text.chars().count() {
        n if n > 1_000 => Reply::text(format!("{n} characters")),
        _ => Reply::text(message.text),
    }
}

const GOOD: &str = r#"{"type":"bot","handler":{"type":"message_handler"},"params":{"message":"hi","user":{"id":"1","first_name":"Ada"}}}"#;

async fn post(app: &App, query: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let bot: Bot<App> = Bot::with_state(app.clone())
        .handler(echo {})
        .shared_secret("s3cret")
        .max_body_bytes(64 * 1024)
        .build()
        .expect("bot");
    let router = axum::Router::new().route_service("/", bot);
    let req = Request::post(format!("/{query}"))
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request");
    let resp = router.oneshot(req).await.expect("infallible");
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn env(params: &str) -> Vec<u8> {
    format!(r#"{{"type":"bot","handler":{{"type":"message_handler"}},"params":{params}}}"#)
        .into_bytes()
}

fn cases() -> Vec<(&'static str, &'static str, Vec<u8>, u16, &'static str)> {
    let t = "?token=s3cret";
    let deep = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000)).into_bytes();
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes();
    let huge = format!(
        r#"{{"type":"bot","handler":{{"type":"message_handler"}},"params":{{"message":"{}"}}}}"#,
        "x".repeat(70_000)
    )
    .into_bytes();
    vec![
        ("empty_body", t, vec![], 400, "malformed_json"),
        ("whitespace", t, b"  \n ".to_vec(), 400, "malformed_json"),
        (
            "truncated_json",
            t,
            GOOD.as_bytes()[..40].to_vec(),
            400,
            "malformed_json",
        ),
        ("not_json", t, b"hello".to_vec(), 400, "malformed_json"),
        ("json_array", t, b"[1,2]".to_vec(), 400, "malformed_json"),
        ("json_string", t, b"\"bot\"".to_vec(), 400, "malformed_json"),
        ("json_number", t, b"42".to_vec(), 400, "malformed_json"),
        ("json_null", t, b"null".to_vec(), 400, "malformed_json"),
        (
            "trailing_garbage",
            t,
            format!("{GOOD} x").into_bytes(),
            400,
            "malformed_json",
        ),
        (
            "invalid_utf8",
            t,
            b"{\"type\":\"bot\",\"params\":{\"message\":\"\xff\xfe\"}}".to_vec(),
            400,
            "malformed_json",
        ),
        ("deep_arrays", t, deep, 400, "malformed_json"),
        ("deep_objects", t, deep_obj, 400, "missing_handler_type"),
        ("over_limit", t, huge, 413, "payload_too_large"),
        (
            "no_token",
            "",
            GOOD.as_bytes().to_vec(),
            401,
            "unauthorized",
        ),
        (
            "wrong_token",
            "?token=s3cre",
            GOOD.as_bytes().to_vec(),
            401,
            "unauthorized",
        ),
        (
            "token_prefix",
            "?token=s3cret2",
            GOOD.as_bytes().to_vec(),
            401,
            "unauthorized",
        ),
        (
            "token_empty",
            "?token=",
            GOOD.as_bytes().to_vec(),
            401,
            "unauthorized",
        ),
        (
            "token_other_param",
            "?tok=s3cret",
            GOOD.as_bytes().to_vec(),
            401,
            "unauthorized",
        ),
        (
            "empty_object",
            t,
            b"{}".to_vec(),
            400,
            "missing_handler_type",
        ),
        (
            "type_not_served",
            t,
            br#"{"type":"widget","handler":{"type":"view_handler"},"params":{}}"#.to_vec(),
            400,
            "unsupported_component",
        ),
        (
            "bot_type_under_another_component",
            t,
            br#"{"type":"command","handler":{"type":"message_handler"},"params":{}}"#.to_vec(),
            400,
            "unknown_handler_type",
        ),
        (
            "handler_missing",
            t,
            br#"{"type":"bot","params":{}}"#.to_vec(),
            400,
            "missing_handler_type",
        ),
        (
            "handler_null",
            t,
            br#"{"type":"bot","handler":null,"params":{}}"#.to_vec(),
            400,
            "missing_handler_type",
        ),
        (
            "unknown_handler_type",
            t,
            br#"{"type":"bot","handler":{"type":"evil_handler"},"params":{}}"#.to_vec(),
            400,
            "unknown_handler_type",
        ),
        (
            "handler_type_empty",
            t,
            br#"{"type":"bot","handler":{"type":""},"params":{}}"#.to_vec(),
            400,
            "unknown_handler_type",
        ),
        (
            "handler_not_registered",
            t,
            br#"{"type":"bot","handler":{"type":"welcome_handler"},"params":{}}"#.to_vec(),
            404,
            "handler_not_registered",
        ),
        (
            "menu_not_registered",
            t,
            br#"{"type":"bot","handler":{"type":"menu_handler","name":"x"},"params":{}}"#.to_vec(),
            404,
            "handler_not_registered",
        ),
        (
            "params_missing",
            t,
            br#"{"type":"bot","handler":{"type":"message_handler"}}"#.to_vec(),
            400,
            "missing_params",
        ),
        (
            "params_null",
            t,
            br#"{"type":"bot","handler":{"type":"message_handler"},"params":null}"#.to_vec(),
            400,
            "missing_params",
        ),
        ("params_empty", t, env("{}"), 400, "missing_context"),
        (
            "user_missing",
            t,
            env(r#"{"message":"hi"}"#),
            400,
            "missing_context",
        ),
        (
            "user_null",
            t,
            env(r#"{"message":"hi","user":null}"#),
            400,
            "missing_context",
        ),
        (
            "message_missing",
            t,
            env(r#"{"user":{"id":"1"}}"#),
            400,
            "missing_context",
        ),
        (
            "message_null",
            t,
            env(r#"{"message":null,"user":{"id":"1"}}"#),
            400,
            "missing_context",
        ),
        (
            "message_number",
            t,
            env(r#"{"message":12,"user":{"id":"1"}}"#),
            400,
            "",
        ),
        (
            "handler_type_number",
            t,
            br#"{"type":"bot","handler":{"type":5},"params":{}}"#.to_vec(),
            400,
            "",
        ),
        (
            "user_is_string",
            t,
            env(r#"{"message":"hi","user":"ada"}"#),
            400,
            "",
        ),
        (
            "user_is_array",
            t,
            env(r#"{"message":"hi","user":[1]}"#),
            400,
            "",
        ),
        (
            "params_is_array",
            t,
            br#"{"type":"bot","handler":{"type":"message_handler"},"params":[1]}"#.to_vec(),
            400,
            "",
        ),
        (
            "handler_is_number",
            t,
            br#"{"type":"bot","handler":7,"params":{}}"#.to_vec(),
            400,
            "",
        ),
        (
            "type_is_object",
            t,
            br#"{"type":{"a":1},"handler":{"type":"message_handler"},"params":{}}"#.to_vec(),
            400,
            "",
        ),
    ]
}

#[tokio::test]
async fn hostile_requests_are_refused_and_the_server_keeps_serving() {
    let app = App::default();
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut wrong = Vec::new();
    for (name, query, body, status, code) in cases {
        let (got, json) = post(&app, query, body).await;
        let got_code = json["error"]["code"].as_str().unwrap_or("<no JSON error>");
        if got.as_u16() != status
            || (!code.is_empty() && got_code != code)
            || json["error"]["message"].as_str().is_none()
        {
            wrong.push(format!("{name}: want {status} {code}, got {got} {json}"));
        }
        if app.calls.load(Ordering::SeqCst) != 0 {
            wrong.push(format!("{name}: the handler ran"));
            app.calls.store(0, Ordering::SeqCst);
        }
        let (ok, reply) = post(&app, "?token=s3cret", GOOD.as_bytes().to_vec()).await;
        if ok != StatusCode::OK {
            wrong.push(format!("{name}: good request after it got {ok} {reply}"));
        }
        app.calls.store(0, Ordering::SeqCst);
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// A bot that checks the kit's signature key (and so has replay protection on).
fn signed_bot(app: App) -> Bot<App> {
    Bot::with_state(app)
        .handler(echo {})
        .signature_public_key_pem(cliq_webhook::testing::TEST_PUBLIC_KEY_PEM)
        .build()
        .expect("bot")
}

/// Sends `body` with the given headers through `bot`'s router.
async fn post_signed_bot(
    bot: &Bot<App>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (StatusCode, Value) {
    let router = bot.clone();
    let mut req = Request::post("/");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = router
        .oneshot(req.body(Body::from(body.to_vec())).expect("request"))
        .await
        .expect("infallible");
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn bad_signatures_are_refused_and_the_handler_never_runs() {
    use base64::Engine as _;
    use cliq_webhook::testing::{TestBot, TestRequest};
    let app = App::default();
    let bot = signed_bot(app.clone());
    // The kit signs good requests with the private half of the bot's key.
    let good = TestBot::new(bot.clone());
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let wrong_bytes = b64(&[7u8; 256]);
    let short = b64(b"short");
    let cases: [(&str, Vec<(&str, &str)>); 6] = [
        ("no_signature", vec![]),
        (
            "signature_not_base64",
            vec![("x-cliq-signature", "%%%not base64%%%")],
        ),
        ("signature_empty", vec![("x-cliq-signature", "")]),
        ("signature_too_short", vec![("x-cliq-signature", &short)]),
        (
            "signature_wrong_bytes",
            vec![("x-cliq-signature", &wrong_bytes)],
        ),
        (
            "signature_in_token_header",
            vec![("x-webhook-token", &wrong_bytes)],
        ),
    ];
    for (i, (name, headers)) in cases.into_iter().enumerate() {
        let (status, json) = post_signed_bot(&bot, &headers, GOOD.as_bytes()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: {json}");
        assert_eq!(json["error"]["code"], "unauthorized", "{name}: {json}");
        assert_eq!(
            app.calls.load(Ordering::SeqCst),
            0,
            "{name}: the handler ran"
        );
        // A good signed request right after is served by the same bot.
        let text = format!("after {i}");
        let reply = good
            .send(TestRequest::message(text.as_str()).response_url(None))
            .await;
        assert_eq!(
            reply.text(),
            Some(text.as_str()),
            "{name}: {:?}",
            reply.json()
        );
        app.calls.store(0, Ordering::SeqCst);
    }
}

/// The body decides, not `Content-Type` (Cliq's own header is not documented): a non-JSON
/// body under any content type is `400 malformed_json`, and a JSON body is served whatever
/// the header says.
#[tokio::test]
async fn wrong_content_type_gets_a_json_error_and_the_server_keeps_serving() {
    let app = App::default();
    let bot: Bot<App> = Bot::with_state(app.clone())
        .handler(echo {})
        .build()
        .expect("bot");
    let send = |ct: &'static str, body: &'static [u8]| {
        let router = bot.clone();
        async move {
            let req = Request::post("/")
                .header("content-type", ct)
                .body(Body::from(body))
                .expect("request");
            let resp = router.oneshot(req).await.expect("infallible");
            let status = resp.status();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .expect("body");
            (
                status,
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }
    };
    for (ct, body) in [
        (
            "application/x-www-form-urlencoded",
            &b"type=bot&handler=message_handler"[..],
        ),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--",
        ),
        ("text/html", b"<html><body>hi</body></html>"),
        ("application/xml", b"<type>bot</type>"),
    ] {
        let (status, json) = send(ct, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{ct}: {json}");
        assert_eq!(json["error"]["code"], "malformed_json", "{ct}: {json}");
        assert_eq!(app.calls.load(Ordering::SeqCst), 0, "{ct}: the handler ran");
    }
    let (status, json) = send("text/plain", GOOD.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(app.calls.load(Ordering::SeqCst), 1);
}

/// The rest of the issue's list: duplicate keys, IDs as numbers instead of strings, a huge
/// string under the body limit. Each gets its exact answer: the documented 4xx JSON error with
/// the handler never run, or a normal reply (the handler run once) where the input is
/// well-formed; either way a good request right after is served.
#[tokio::test]
async fn duplicate_keys_numeric_ids_and_huge_strings() {
    let app = App::default();
    let t = "?token=s3cret";
    let big = "é".repeat(30_000); // 60 000 bytes: under the 64 KiB limit of `post`.
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "duplicate_type_key",
            br#"{"type":"bot","type":"bot","handler":{"type":"message_handler"},"params":{"message":"hi","user":{"id":"1"}}}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "duplicate_handler_key",
            br#"{"type":"bot","handler":{"type":"message_handler"},"handler":{"type":"menu_handler"},"params":{"message":"hi","user":{"id":"1"}}}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "duplicate_handler_type_key",
            br#"{"type":"bot","handler":{"type":"message_handler","type":"bot_handler"},"params":{"message":"hi","user":{"id":"1"}}}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "user_id_number",
            env(r#"{"message":"hi","user":{"id":1,"first_name":"Ada"}}"#),
            200,
            "",
        ),
        (
            "user_id_huge_number",
            env(r#"{"message":"hi","user":{"id":123456789012345678901234567890,"first_name":"Ada"}}"#),
            200,
            "",
        ),
        (
            "huge_message_under_the_limit",
            env(&format!(r#"{{"message":"{big}","user":{{"id":"1"}}}}"#)),
            200,
            "",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, body, status, code) in cases {
        let (got, json) = post(&app, t, body).await;
        let calls = app.calls.swap(0, Ordering::SeqCst);
        let ok = if status == 200 {
            got == StatusCode::OK && calls == 1 && json["output"].is_object()
        } else {
            got.as_u16() == status && json["error"]["code"] == code && calls == 0
        };
        if !ok {
            wrong.push(format!(
                "{name}: want {status} {code}, got {got} {json} ({calls} handler calls)"
            ));
        }
        let (after, reply) = post(&app, t, GOOD.as_bytes().to_vec()).await;
        if after != StatusCode::OK {
            wrong.push(format!("{name}: good request after it got {after} {reply}"));
        }
        app.calls.store(0, Ordering::SeqCst);
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
