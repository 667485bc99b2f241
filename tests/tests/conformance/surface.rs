//! Conformance over the whole surface: every operation of every module of `cliq-api`, each
//! against a Prism started for its module's spec (`spec/<module>.yml`).
//!
//! # How an operation is driven
//!
//! The generated methods have 158 different signatures; calling each by hand would be 158
//! hand-written calls to keep in step with the specs. Instead `cargo xtask codegen` writes
//! `calls.rs` beside this file (from the same lowered models as the crate, through the same
//! `quote` → `prettyplease` pipeline, checked by `codegen --check`): for every operation a
//! function that deserializes JSON inputs into the operation's generated argument types (its
//! path parameter types, its `…Params` struct, its body type) and calls the generated method.
//! So the generated types are exercised, and the request is built by the generated code; there
//! is no dynamic dispatch on the wire side. A generated table was chosen over a generic
//! entry point in `cliq-api` itself: the crate stays free of test-only API, and the table is
//! test code, compiled only here.
//!
//! The inputs come from the spec, read here: a parameter's example (or its schema's) when its
//! schema's type and enum allow it (Zoho's path examples are placeholders: `HANDLER_TYPE` for
//! an enum), else a value synthesized from the schema ([`sample`]); a path placeholder the
//! spec does not declare gets its own name; optional parameters without an example are left
//! out. The request body's examples are one request each (Zoho's known-broken ones corrected,
//! `KNOWN_INVALID_EXAMPLES`); without any, a body synthesized from its schema. For each
//! operation:
//!
//! 1. every request is sent; Prism must accept it (2xx, no `sl-violations` header) and the
//!    response must decode into the generated success type;
//! 2. every documented response is asked for (`Prefer: code=<status>[, example=<name>]`, one
//!    request per named example): a 2xx must decode into the success type, any other status
//!    must come back as that status, its body decoded into the error body type the spec
//!    documents for it (`<Op>ErrorCode::error_body`). `429` goes last: after it the client
//!    refuses the operation for its lock period, as it should.
//!
//! What Prism cannot mock or a spec gets wrong is listed in [`EXCEPTIONS`], each with its
//! reason; an excepted operation is reported as ignored with that reason, an excepted response
//! is counted in the summary printed after the tests. Nothing else is skipped.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use cliq_api::runtime::{self as rt, CallOptions};
use libtest_mimic::{Completion, Failed, Trial};
use serde_json::{json, Map, Value};

use crate::calls::{Inputs, Operation, Outcome, OPERATIONS};
use crate::harness::{
    on_prism, prism_missing, spec_path, Prism, Recorder, Seen, KNOWN_INVALID_EXAMPLES,
    REQUEST_TIMEOUT,
};

/// What this suite does not drive, and why. Each reason is checked where it can be
/// (`conformance_exceptions_hold`), so that a fixed spec does not leave a stale exception.
#[derive(Debug, Clone, Copy)]
enum Exception {
    /// Zoho declares several operations on one method and path, telling them apart by
    /// renaming the path parameter (`/chats/{CHAT_ID}`, `/chats/{CHAT_ID1}`, …) or by a query
    /// in the path (`/pin-messages?primary=true`). Prism routes every request on that path to
    /// one of them (`routed_to`) and answers as that operation: it validates the body against
    /// its schema, which this one's does not fit, or sends its response. The operation is
    /// reported as ignored.
    SharedPath { routed_to: &'static str },
    /// The spec's own example for this success response violates the response schema
    /// (`violation`, as Prism words it), so Prism (`--errors`) answers 500 instead of the
    /// example. Requests are still checked (Prism's only violations must be about its
    /// response); the response is not decoded.
    InvalidResponseExample {
        status: u16,
        violation: &'static str,
    },
}

/// (module, operationId, exception).
const EXCEPTIONS: &[(&str, &str, Exception)] = &[
    (
        "buttons",
        "messageCardButtons",
        Exception::SharedPath {
            routed_to: "instantButtons",
        },
    ),
    (
        "buttons",
        "confirmationPopup",
        Exception::SharedPath {
            routed_to: "instantButtons",
        },
    ),
    (
        "chats",
        "updateChatV3",
        Exception::SharedPath {
            routed_to: "closeChatV3",
        },
    ),
    (
        "chats",
        "markChatAsUnreadV3",
        Exception::SharedPath {
            routed_to: "closeChatV3",
        },
    ),
    (
        "chats",
        "clearChatMessagesV3",
        Exception::SharedPath {
            routed_to: "closeChatV3",
        },
    ),
    (
        "mypins",
        "updatePinCategory",
        Exception::SharedPath {
            routed_to: "bulkUpdateChatsInCategory",
        },
    ),
    (
        "mypins",
        "reorderChatInCategory",
        Exception::SharedPath {
            routed_to: "bulkUpdateChatsInCategory",
        },
    ),
    (
        "mypins",
        "reorderCategory",
        Exception::SharedPath {
            routed_to: "bulkUpdateChatsInCategory",
        },
    ),
    (
        "pinmessages",
        "getPrimaryPinnedMessage",
        Exception::SharedPath {
            routed_to: "getPinnedMessages",
        },
    ),
    (
        "datastores",
        "get_list_of_datastores",
        Exception::InvalidResponseExample {
            status: 200,
            violation: "Response body property data must be object",
        },
    ),
    (
        "mentions",
        "getMentions",
        Exception::InvalidResponseExample {
            status: 200,
            violation: "Response body property data.0.message.id must be string",
        },
    ),
    (
        "pinmessages",
        "getPinnedMessages",
        Exception::InvalidResponseExample {
            status: 200,
            violation: "Response body property data.0.id must be string",
        },
    ),
];

fn exception(module: &str, operation_id: &str) -> Option<Exception> {
    EXCEPTIONS
        .iter()
        .find(|(m, o, _)| *m == module && *o == operation_id)
        .map(|(_, _, e)| *e)
}

impl std::fmt::Display for Exception {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exception::SharedPath { routed_to } => write!(
                f,
                "the spec declares this operation on the same method and path as others (its path parameter renamed); Prism routes them all to `{routed_to}` and validates the body against its schema"
            ),
            Exception::InvalidResponseExample { status, violation } => write!(
                f,
                "the spec's example of response {status} violates its schema ({violation}); Prism answers 500"
            ),
        }
    }
}

/// Per module: operations run, passed, excepted (ignored), and responses excepted.
#[derive(Default, Clone, Copy)]
struct Counts {
    run: usize,
    passed: usize,
    excepted: usize,
    responses_excepted: usize,
    /// Requests accepted, documented responses decoded.
    requests: usize,
    responses: usize,
}

static SUMMARY: Mutex<BTreeMap<&'static str, Counts>> = Mutex::new(BTreeMap::new());

fn count(module: &'static str, f: impl FnOnce(&mut Counts)) {
    f(SUMMARY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(module)
        .or_default());
}

/// The per-module counts, printed after the tests.
pub(super) fn print_summary() {
    let summary = SUMMARY.lock().unwrap_or_else(|p| p.into_inner());
    if summary.is_empty() {
        return;
    }
    println!("\nEvery operation against Prism (module: operations run / passed / excepted, responses excepted; requests accepted, documented responses decoded):");
    let mut total = Counts::default();
    for (module, c) in summary.iter() {
        println!(
            "  {module}: {} / {} / {}, {}; {}, {}",
            c.run, c.passed, c.excepted, c.responses_excepted, c.requests, c.responses
        );
        total.requests += c.requests;
        total.responses += c.responses;
        total.run += c.run;
        total.passed += c.passed;
        total.excepted += c.excepted;
        total.responses_excepted += c.responses_excepted;
    }
    println!(
        "  all: {} / {} / {}, {}; {}, {}",
        total.run,
        total.passed,
        total.excepted,
        total.responses_excepted,
        total.requests,
        total.responses
    );
}

/// One test per operation of every module: `conformance_<module>_<method>`.
pub(super) fn trials() -> Vec<(&'static str, Trial)> {
    OPERATIONS
        .iter()
        .map(|op| {
            let name = format!("conformance_{}_{}", op.module, op.method);
            let excepted = match (op.call, exception(op.module, op.meta.operation_id)) {
                (Err(why), _) => Some(why.to_owned()),
                (Ok(_), Some(e @ Exception::SharedPath { .. })) => Some(e.to_string()),
                _ => None,
            };
            if let Some(why) = excepted {
                let test = Trial::ignorable_test(name, move || {
                    count(op.module, |c| c.excepted += 1);
                    Ok(Completion::ignored_with(why))
                });
                return ("", test);
            }
            let test = Trial::ignorable_test(name, move || {
                if prism_missing().is_none() {
                    count(op.module, |c| c.run += 1);
                }
                let done = on_prism(op.module, |prism| drive(op, prism));
                if matches!(done, Ok(Completion::Completed)) {
                    count(op.module, |c| c.passed += 1);
                }
                done
            });
            (op.module, test)
        })
        .chain(std::iter::once((
            "",
            Trial::test("conformance_exceptions_hold", exceptions_hold),
        )))
        .collect()
}

/// Every exception names an operation of the crate, and what it says of the spec is so:
/// a shared path is shared with the operation Prism routes to; an invalid
/// response example is of a documented response (that Prism still answers 500 for it is
/// checked when the operation runs).
fn exceptions_hold() -> Result<(), Failed> {
    let shape = |path: &str| {
        let mut out = String::new();
        let mut inside = false;
        for c in path.split('?').next().unwrap_or_default().chars() {
            match c {
                '{' => inside = true,
                '}' => {
                    inside = false;
                    out.push_str("{}");
                }
                _ if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    for &(module, id, e) in EXCEPTIONS {
        let find = |id: &str| {
            OPERATIONS
                .iter()
                .find(|o| o.module == module && o.meta.operation_id == id)
                .ok_or_else(|| Failed::from(format!("{module} has no operation `{id}`")))
        };
        let op = find(id)?;
        match e {
            Exception::SharedPath { routed_to } => {
                let to = find(routed_to)?;
                let key = |o: &Operation| (o.meta.method, shape(o.meta.path));
                if key(to) != key(op) || routed_to == id {
                    return Err(format!(
                        "{module} {id}: `{routed_to}` is not another operation on {} {}",
                        op.meta.method, op.meta.path
                    )
                    .into());
                }
            }
            Exception::InvalidResponseExample { status, .. } => {
                let root = spec(module)?;
                let (operation, _) = spec_operation(&root, op)?;
                if operation.pointer(&format!("/responses/{status}")).is_none() {
                    return Err(format!("{module} {id}: no response {status}").into());
                }
            }
        }
    }
    Ok(())
}

/// The parsed spec of each module, read once.
fn spec(module: &str) -> Result<Arc<Value>, Failed> {
    static SPECS: Mutex<BTreeMap<String, Arc<Value>>> = Mutex::new(BTreeMap::new());
    let mut specs = SPECS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = specs.get(module) {
        return Ok(s.clone());
    }
    let path = spec_path(module)?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: Value =
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let value = Arc::new(value);
    specs.insert(module.to_owned(), value.clone());
    Ok(value)
}

/// `v`, its `$ref`s (local ones: `#/components/…`) followed.
fn resolve<'a>(root: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            return v;
        };
        match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
            Some(target) => v = target,
            None => return v,
        }
    }
    v
}

/// A value the schema accepts: its example, default or first enum value, else one built from
/// its type (objects with their required properties, arrays of one item).
fn sample(root: &Value, schema: &Value, depth: usize) -> Value {
    let s = resolve(root, schema);
    for key in ["example", "default", "const"] {
        if let Some(v) = s.get(key) {
            return v.clone();
        }
    }
    if let Some(v) = s
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return v.clone();
    }
    if let Some(v) = s
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return v.clone();
    }
    if depth > 12 {
        return json!({});
    }
    if let Some(parts) = s.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(o) = sample(root, part, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = s.get(key).and_then(Value::as_array).and_then(|a| a.first()) {
            return sample(root, first, depth + 1);
        }
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if s.get("properties").is_some() => "object",
        _ if s.get("items").is_some() => "array",
        _ => "string",
    };
    let number = |key: &str| s.get(key).and_then(Value::as_f64);
    match ty {
        "object" => {
            let mut out = Map::new();
            let props = s.get("properties");
            for name in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let value = props
                    .and_then(|p| p.get(name))
                    .map_or(json!("x"), |p| sample(root, p, depth + 1));
                out.insert(name.to_owned(), value);
            }
            Value::Object(out)
        }
        "array" => {
            let n = number("minItems").unwrap_or(1.0).max(1.0) as usize;
            let item = s
                .get("items")
                .map_or(json!("x"), |i| sample(root, i, depth + 1));
            Value::Array(vec![item; n])
        }
        "integer" => json!(number("minimum").map_or(1, |m| m.ceil() as i64)),
        "number" => json!(number("minimum").unwrap_or(1.0)),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => {
            let text = match s.get("format").and_then(Value::as_str) {
                Some("date-time") => "2025-01-15T09:30:00Z".to_owned(),
                Some("date") => "2025-01-15".to_owned(),
                Some("email") => "olivia.palmer@zylker.com".to_owned(),
                Some("uri" | "url") => "https://www.zylker.com/".to_owned(),
                Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_owned(),
                _ => {
                    let n = number("minLength").unwrap_or(1.0).max(1.0) as usize;
                    "x".repeat(n)
                }
            };
            json!(text)
        }
    }
}

/// A parameter's own example, if the spec gives one that its schema's type and enum allow
/// (Zoho's path parameters have placeholders as examples: `HANDLER_TYPE` for an enum).
fn param_example(root: &Value, p: &Value) -> Option<Value> {
    let schema = p.get("schema").map(|s| resolve(root, s));
    let example = p
        .get("example")
        .cloned()
        .or_else(|| {
            p.get("examples")
                .and_then(Value::as_object)
                .and_then(|m| m.values().next())
                .and_then(|v| resolve(root, v).get("value").cloned())
        })
        .or_else(|| schema.and_then(|s| s.get("example").cloned()))?;
    let Some(schema) = schema else {
        return Some(example);
    };
    let in_enum = schema
        .get("enum")
        .and_then(Value::as_array)
        .is_none_or(|values| values.contains(&example));
    let typed = match schema.get("type").and_then(Value::as_str) {
        Some("string") => example.is_string(),
        Some("integer") => example.is_i64() || example.is_u64(),
        Some("number") => example.is_number(),
        Some("boolean") => example.is_boolean(),
        _ => true,
    };
    (in_enum && typed).then_some(example)
}

/// The spec's operation for `op`: (its object, its path item's parameters and its own).
fn spec_operation<'a>(
    root: &'a Value,
    op: &Operation,
) -> Result<(&'a Value, Vec<&'a Value>), Failed> {
    let item = root
        .get("paths")
        .and_then(|p| p.get(op.meta.path))
        .map(|i| resolve(root, i))
        .ok_or_else(|| format!("no path {} in the spec", op.meta.path))?;
    let method = op.meta.method.as_str().to_ascii_lowercase();
    let operation = item
        .get(&method)
        .ok_or_else(|| format!("no {method} {} in the spec", op.meta.path))?;
    let mut params: Vec<&Value> = Vec::new();
    for list in [item.get("parameters"), operation.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
    {
        for p in list {
            let p = resolve(root, p);
            // An operation's parameter overrides its path item's of the same name and place.
            params.retain(|q| !(q.get("name") == p.get("name") && q.get("in") == p.get("in")));
            params.push(p);
        }
    }
    Ok((operation, params))
}

/// The JSON content of a request body or response, if any.
fn json_content<'a>(root: &'a Value, holder: &'a Value) -> Option<&'a Value> {
    let content = resolve(root, holder).get("content")?.as_object()?;
    content
        .iter()
        .find(|(ct, _)| ct.contains("json"))
        .map(|(_, c)| c)
}

/// The requests to send: (label, inputs), one per request body example.
fn requests(
    root: &Value,
    op: &Operation,
    operation: &Value,
    params: &[&Value],
) -> Vec<(String, Inputs)> {
    let mut base = Inputs::default();
    for p in params {
        let (Some(name), Some(place)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let required = p.get("required").and_then(Value::as_bool) == Some(true);
        let value = match param_example(root, p) {
            Some(v) => v,
            None if required || place == "path" => {
                sample(root, p.get("schema").unwrap_or(&Value::Null), 0)
            }
            None => continue,
        };
        match place {
            "path" => base.path.insert(name.to_owned(), value),
            _ => base.params.insert(name.to_owned(), value),
        };
    }
    // A placeholder the spec does not declare (the generated method takes a `&str`): its
    // name, as Zoho's own examples of path parameters do.
    for placeholder in op.meta.path.split('{').skip(1) {
        if let Some((name, _)) = placeholder.split_once('}') {
            if !base.path.contains_key(name) {
                base.path.insert(name.to_owned(), json!(name));
            }
        }
    }
    let Some(body) = operation.get("requestBody") else {
        return vec![("request".into(), base)];
    };
    let Some(content) = json_content(root, body) else {
        return vec![("request".into(), base)];
    };
    let mut bodies: Vec<(String, Value)> = Vec::new();
    if let Some(examples) = content.get("examples").and_then(Value::as_object) {
        for (name, ex) in examples {
            if let Some(v) = resolve(root, ex).get("value") {
                bodies.push((format!("request example `{name}`"), v.clone()));
            }
        }
    }
    if bodies.is_empty() {
        if let Some(v) = content.get("example") {
            bodies.push(("request example".into(), v.clone()));
        }
    }
    if bodies.is_empty() {
        let schema = content.get("schema").unwrap_or(&Value::Null);
        bodies.push((
            "request body from the schema".into(),
            sample(root, schema, 0),
        ));
    }
    bodies
        .into_iter()
        .map(|(label, mut body)| {
            // Zoho's examples that violate their own schema, corrected (the Bots tests check
            // that Prism rejects them as shipped).
            for &(id, pointer, wrong, right) in KNOWN_INVALID_EXAMPLES {
                if id == op.meta.operation_id && body.pointer(pointer) == Some(&json!(wrong)) {
                    if let Some(v) = body.pointer_mut(pointer) {
                        *v = json!(right);
                    }
                }
            }
            let mut inputs = base.clone();
            inputs.body = Some(body);
            (label, inputs)
        })
        .collect()
}

/// A documented response to ask Prism for.
struct Documented {
    status: u16,
    example: Option<String>,
    /// Whether the spec documents a JSON body for it.
    has_body: bool,
}

fn documented(root: &Value, operation: &Value) -> Vec<Documented> {
    let mut out = Vec::new();
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return out;
    };
    for (code, response) in responses {
        // `default`, `4XX`: no one status to ask for.
        let Ok(status) = code.parse::<u16>() else {
            continue;
        };
        let content = json_content(root, response);
        let names: Vec<String> = content
            .and_then(|c| c.get("examples"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let has_body = content.is_some_and(|c| c.get("schema").is_some());
        if names.is_empty() {
            out.push(Documented {
                status,
                example: None,
                has_body,
            });
        }
        for name in names {
            out.push(Documented {
                status,
                example: Some(name),
                has_body,
            });
        }
    }
    // After a 429 the client refuses the operation for its lock period.
    out.sort_by_key(|d| d.status == 429);
    out
}

fn short(text: &str) -> String {
    let mut t: String = text.chars().take(400).collect();
    if t.len() < text.len() {
        t.push('…');
    }
    t
}

async fn drive(op: &'static Operation, prism: Arc<Prism>) -> Result<(), Failed> {
    let Ok(call) = op.call else {
        return Err("not callable".into());
    };
    let root = spec(op.module)?;
    let (operation, params) = spec_operation(&root, op)?;
    let seen = Recorder::default();
    let sink = seen.clone();
    let client = rt::Client::builder()
        .base_url(&prism.base_url)
        .token(rt::TokenSource::static_token("1000.conformance-test-token"))
        .timeout(REQUEST_TIMEOUT)
        .retry(rt::RetryPolicy::never())
        .on_response(move |info| {
            sink.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Seen::of(info))
        })
        .build()?;
    let id = op.meta.operation_id;
    let invalid_example = match exception(op.module, id) {
        Some(Exception::InvalidResponseExample { status, violation }) => Some((status, violation)),
        _ => None,
    };
    let requests = requests(&root, op, operation, &params);
    // 1. Every request shape: accepted, the response decoded.
    for (label, inputs) in &requests {
        let outcome = call(client.clone(), inputs.clone())
            .await
            .map_err(|e| format!("{label}: {e}"))?;
        let recorded = seen.take();
        if let Some((status, violation)) = invalid_example {
            // Only Prism's own answer is wrong: the request is accepted.
            let as_excepted = !recorded.is_empty()
                && recorded.iter().all(|s| {
                    s.operation == id
                        && s.status == 500
                        && s.violations
                            .as_deref()
                            .is_some_and(|v| v.contains(violation) && !v.contains("\"request\""))
                });
            if !as_excepted {
                return Err(format!(
                    "{label}: expected Prism's 500 for its invalid example of response {status} ({violation}); the exception may be stale: {recorded:?}"
                )
                .into());
            }
            continue;
        }
        let accepted = !recorded.is_empty()
            && recorded.iter().all(|s| {
                s.operation == id && (200..300).contains(&s.status) && s.violations.is_none()
            });
        if !accepted {
            return Err(format!("{label}: Prism did not accept the request: {recorded:?}").into());
        }
        if let Outcome::Failed { error, .. } = &outcome {
            return Err(format!("{label}: the response did not decode: {}", short(error)).into());
        }
        count(op.module, |c| c.requests += 1);
    }
    // 2. Every documented response, decoded.
    let (_, first) = requests
        .first()
        .ok_or_else(|| Failed::from("no request to send"))?;
    for d in documented(&root, operation) {
        let what = match &d.example {
            Some(name) => format!("response {} (example `{name}`)", d.status),
            None => format!("response {}", d.status),
        };
        if invalid_example.is_some_and(|(status, _)| status == d.status) {
            count(op.module, |c| c.responses_excepted += 1);
            continue;
        }
        let prefer = match &d.example {
            Some(name) => format!("code={}, example={name}", d.status),
            None => format!("code={}", d.status),
        };
        let value = reqwest::header::HeaderValue::from_str(&prefer).map_err(|e| e.to_string())?;
        let options =
            CallOptions::new().header(reqwest::header::HeaderName::from_static("prefer"), value);
        let outcome = call(client.with_options(options), first.clone())
            .await
            .map_err(|e| format!("{what}: {e}"))?;
        let recorded = seen.take();
        let sent = recorded.len() == 1
            && recorded[0].status == d.status
            && recorded[0].violations.is_none();
        if !sent {
            return Err(format!("{what}: Prism answered {recorded:?}").into());
        }
        match outcome {
            Outcome::Decoded(_) if (200..300).contains(&d.status) => {}
            Outcome::Failed {
                status, error_body, ..
            } if !(200..300).contains(&d.status)
                && status == Some(d.status)
                && (error_body != Some(false) || !d.has_body) => {}
            other => {
                return Err(format!("{what}: {}", short(&format!("{other:?}"))).into());
            }
        }
        count(op.module, |c| c.responses += 1);
    }
    Ok(())
}
