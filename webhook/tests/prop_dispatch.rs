//! Property test over the dispatch core: random bytes, random headers and random
//! envelope-shaped documents in, a response out. Dispatch never panics, and every answer is
//! either `200 {"output": …}` or a documented `{"error": {"code", "message"}}` with the
//! status that code maps to. The signed bot gets validly signed, fresh requests (unless the
//! random headers bring a signature of their own), so its cases reach the handler lookup and
//! the extractors like the others'; [`every_bot_gets_past_authentication`] checks that they do.
//!
//! CI runs proptest's default case count. Long runs (figures in `ROBUSTNESS.md`):
//! `PROPTEST_CASES=10000000 nice -n 19 cargo test -p cliq-webhook --test prop_dispatch`.

use cliq_webhook::extract::{Message, User};
use cliq_webhook::testing::{test_signature, TEST_PUBLIC_KEY_PEM};
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

/// The signed bot's clock; its requests carry this `timestamp`.
const T0: i64 = 1_767_225_600_000;
/// Index of the signed bot in [`bots`].
const SIGNED: usize = 2;

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
        .handler(echo {})
        .handler(act {})
        .max_body_bytes(4096)
        .build()
        .expect("bot");
    let secret = Bot::builder()
        .handler(echo {})
        .shared_secret("s3cret")
        .build()
        .expect("bot");
    let signed = Bot::builder()
        .handler(echo {})
        .handler(act {})
        .signature_public_key_pem(TEST_PUBLIC_KEY_PEM)
        .clock(|| T0)
        .build()
        .expect("bot");
    [plain, secret, signed]
}

/// Checks the answer and returns its error code (`None` for a 200).
fn check_answer(status: u16, body: &[u8]) -> Result<Option<String>, TestCaseError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| TestCaseError::fail(format!("reply is not JSON: {e}")))?;
    if status == 200 {
        prop_assert!(v.get("output").is_some(), "200 without output: {v}");
        return Ok(None);
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
    Ok(Some(code.to_owned()))
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
    dispatch(bot, hdrs, query, body).map(|_| ())
}

/// For the signed bot, a document made fresh: its `timestamp` set to the bot's clock and a
/// `nonce` never used before (a random document is otherwise refused as stale, and a repeated
/// one as replayed, before anything else is looked at).
fn fresh(bot: usize, mut doc: Value) -> Value {
    static NONCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if let (SIGNED, Value::Object(map)) = (bot, &mut doc) {
        map.insert("timestamp".into(), Value::from(T0));
        let nonce = NONCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        map.insert("nonce".into(), Value::from(nonce));
    }
    doc
}

/// Dispatches and checks the answer; returns its error code (`None` for a 200).
fn dispatch(
    bot: usize,
    hdrs: &[(String, Vec<u8>)],
    query: Option<&str>,
    body: &[u8],
) -> Result<Option<String>, TestCaseError> {
    let bots = bots();
    let mut map = HeaderMap::new();
    for (k, v) in hdrs {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_bytes(v)) {
            map.append(k, v);
        }
    }
    // The signed bot gets a valid signature unless the random headers carry one.
    if bot == SIGNED && !map.contains_key("x-cliq-signature") {
        if let Ok(sig) = HeaderValue::from_str(&test_signature(body)) {
            map.insert("x-cliq-signature", sig);
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let response = rt.block_on(bots[bot].dispatch(WebhookRequest {
        headers: &map,
        query,
        body,
    }));
    check_answer(response.status.as_u16(), &response.body)
}

proptest! {
    // Failures are kept in `proptest-regressions/tests/prop_dispatch.txt` (committed) and
    // replayed first on every run.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::SourceParallel("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

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
        let body = fresh(bot, doc).to_string();
        run(bot, &hdrs, Some("token=s3cret"), body.as_bytes())?;
    }
}

/// The envelope cases of every bot, the signed one included, get past the authenticity
/// checks in most cases (into parsing, handler lookup and extraction), so the property above
/// exercises dispatch, not only the door.
#[test]
fn every_bot_gets_past_authentication() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let doc = json_value();
    for bot in 0..3 {
        let (mut past, mut parsed_count) = (0, 0);
        let n = 300;
        for _ in 0..n {
            let body = fresh(bot, doc.new_tree(&mut runner).expect("tree").current()).to_string();
            let code = dispatch(bot, &[], Some("token=s3cret"), body.as_bytes()).expect("answer");
            let refused_at_the_door = matches!(
                code.as_deref(),
                Some("unauthorized" | "stale_request" | "replayed_request")
            );
            past += usize::from(!refused_at_the_door);
            // Parsed as an envelope: refused by dispatch's later steps, or answered.
            let parsed = !refused_at_the_door && code.as_deref() != Some("malformed_json");
            parsed_count += usize::from(parsed);
        }
        eprintln!("bot {bot}: {past}/{n} past authentication, {parsed_count}/{n} parsed");
        assert!(
            past * 10 >= n * 9,
            "bot {bot}: only {past}/{n} cases got past authentication"
        );
        assert!(
            parsed_count * 4 >= n,
            "bot {bot}: only {parsed_count}/{n} cases were parsed as envelopes"
        );
    }
}
