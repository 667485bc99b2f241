//! Property test over the dispatch core: random bytes, random headers and random
//! envelope-shaped documents in, a response out. Dispatch never panics, and every answer is
//! either `200 {"output": …}` or a documented `{"error": {"code", "message"}}` with the
//! status that code maps to.
//!
//! CI runs proptest's default case count. Long runs (figures in `ROBUSTNESS.md`):
//! `PROPTEST_CASES=10000000 nice -n 19 cargo test -p cliq-webhook --test prop_dispatch`.

use cliq_webhook::extract::{Message, User};
use cliq_webhook::testing::TEST_PUBLIC_KEY_PEM;
use cliq_webhook::{cliq_handler, Bot, Reply, WebhookRequest};
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use serde_json::Value;

#[cliq_handler(type = "message_handler", permissions(message, user))]
async fn echo(message: Message, _user: User) -> Reply {
    Reply::text(message.text)
}

#[cliq_handler(type = "menu_handler", name = "act", permissions(chat))]
async fn act() -> Reply {
    Reply::text("ok")
}

/// Every documented error code and the status it is answered with.
const CODES: &[(&str, u16)] = &[
    ("payload_too_large", 413),
    ("unauthorized", 401),
    ("malformed_json", 400),
    ("unsupported_component", 400),
    ("missing_handler_type", 400),
    ("unknown_handler_type", 400),
    ("handler_not_registered", 404),
    ("unknown_menu_action", 404),
    ("missing_params", 400),
    ("missing_context", 400),
    ("invalid_field", 400),
    ("stale_request", 401),
    ("replayed_request", 409),
];

fn bots() -> &'static [Bot; 3] {
    static BOTS: std::sync::OnceLock<[Bot; 3]> = std::sync::OnceLock::new();
    BOTS.get_or_init(make_bots)
}

fn make_bots() -> [Bot; 3] {
    let plain = Bot::builder()
        .handler(echo())
        .handler(act())
        .max_body_bytes(4096)
        .build()
        .expect("bot");
    let secret = Bot::builder()
        .handler(echo())
        .shared_secret("s3cret")
        .build()
        .expect("bot");
    let signed = Bot::builder()
        .handler(echo())
        .signature_public_key_pem(TEST_PUBLIC_KEY_PEM)
        .build()
        .expect("bot");
    [plain, secret, signed]
}

fn check(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| TestCaseError::fail(format!("reply is not JSON: {e}")))?;
    if status == 200 {
        prop_assert!(v.get("output").is_some(), "200 without output: {v}");
        return Ok(());
    }
    let code = v["error"]["code"].as_str().unwrap_or_default();
    prop_assert!(
        v["error"]["message"].is_string(),
        "error without message: {v}"
    );
    let expected = CODES.iter().find(|(c, _)| *c == code).map(|(_, s)| *s);
    prop_assert_eq!(
        expected,
        Some(status),
        "undocumented answer {} {}",
        status,
        v
    );
    Ok(())
}

/// JSON values built from the envelope's vocabulary, so that random documents get past the
/// parser and reach the handler lookup and the extractors.
fn json_value() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "type",
        "bot",
        "handler",
        "message_handler",
        "menu_handler",
        "name",
        "act",
        "params",
        "message",
        "user",
        "id",
        "first_name",
        "chat",
        "timestamp",
        "response_url",
        "https://cliq.zoho.com/x",
        "sub_action",
        "",
        "\u{0}",
        "é",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        words.clone().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((words.clone(), inner), 0..6).prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let names = prop::sample::select(vec![
        "content-type",
        "x-webhook-token",
        "x-cliq-signature",
        "content-length",
        "x-other",
    ]);
    prop::collection::vec(
        (
            names.prop_map(str::to_owned),
            prop::collection::vec(any::<u8>(), 0..40),
        ),
        0..4,
    )
}

fn run(
    bot: usize,
    hdrs: &[(String, Vec<u8>)],
    query: Option<&str>,
    body: &[u8],
) -> Result<(), TestCaseError> {
    let bots = bots();
    let mut map = HeaderMap::new();
    for (k, v) in hdrs {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_bytes(v)) {
            map.append(k, v);
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let response = rt.block_on(bots[bot].dispatch(
        &(),
        WebhookRequest {
            headers: &map,
            query,
            body,
        },
    ));
    check(response.status.as_u16(), &response.body)
}

proptest! {
    #[test]
    fn random_bytes_get_a_documented_answer(
        bot in 0usize..3,
        hdrs in headers(),
        query in prop::option::of("(token=s3cret|token=.{0,8}|.{0,12})"),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        run(bot, &hdrs, query.as_deref(), &body)?;
    }

    #[test]
    fn random_envelopes_get_a_documented_answer(
        bot in 0usize..3,
        hdrs in headers(),
        doc in json_value(),
    ) {
        let body = doc.to_string();
        run(bot, &hdrs, Some("token=s3cret"), body.as_bytes())?;
    }
}
