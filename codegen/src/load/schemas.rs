//! Schemas made readable by the 3.0 model, each change that loses something said in a
//! warning: numbers of any size in bounds and enums (every document), and what OpenAPI 3.1
//! (JSON Schema 2020-12) adds beyond [`crate::openapi31`]'s keyword renames: `$ref` with
//! sibling keywords, `anyOf`/`oneOf` with a `null` alternative, `prefixItems` (tuples), the keywords no
//! Rust type expresses, and webhooks' payload schemas.

use super::walk::{get_mut, pointer, visit, Kind};
use crate::error::Diagnostic;
use serde_json::{Map, Value};

/// The schema extension holding a 3.1 tuple (`prefixItems`), which the 3.0 model lacks:
/// `{"prefix": [schema, …], "rest": schema}`, `rest` present when the array may hold more
/// elements after the prefix. Lowering reads it as a [`crate::model::TypeKind::Tuple`].
pub(crate) const TUPLE: &str = "x-cliq-codegen-tuple";

/// Fix every schema of `doc` in place. `is_31`: the document was OpenAPI 3.1.
pub(crate) fn fix(doc: &mut Value, is_31: bool) -> Vec<Diagnostic> {
    let mut per_node = Vec::new();
    if is_31 {
        webhook_payloads(doc);
    }
    let nodes = visit(doc, Kind::Doc, &[]);
    // Children before their parents: a change to a parent moves no child still to be fixed.
    for node in nodes.iter().rev().filter(|n| n.kind == Kind::Schema) {
        let Some(Value::Object(obj)) = get_mut(doc, &node.tokens) else {
            continue;
        };
        let at = pointer(&node.tokens);
        let mut diags = Vec::new();
        numbers(obj, &at, &mut diags);
        // `type: "null"` is 3.1, and met in 3.0 documents too.
        nulls(obj);
        if is_31 {
            json_schema(obj, &at, &mut diags);
        }
        per_node.push(diags);
    }
    // Diagnostics in document order.
    per_node.into_iter().rev().flatten().collect()
}

/// 2^63: the first integer an `i64` cannot hold.
const I64_END: f64 = 9_223_372_036_854_775_808.0;
/// 2^53: beyond it, a JSON number read as `f64` may not be the integer written.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// Bounds, multiples, enums and counts the 3.0 model (`i64`, `usize`) cannot hold.
fn numbers(obj: &mut Map<String, Value>, at: &str, diags: &mut Vec<Diagnostic>) {
    // A 3.0 document written with 3.1's numeric `exclusiveMinimum`.
    for (key, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = obj.get(key).cloned() {
            obj.insert(bound.into(), n);
            obj.insert(key.into(), Value::Bool(true));
        }
    }
    let mut warn = |key: &str, message: String| {
        diags.push(Diagnostic::warning(&format!("{at}/{key}"), message));
    };
    let integer = obj.get("type").and_then(Value::as_str) == Some("integer");
    for key in ["minimum", "maximum", "multipleOf"] {
        let Some(v) = obj.get(key) else { continue };
        if v.is_i64() || (!integer && v.is_number()) {
            continue;
        }
        let shown = v.to_string();
        let Some(x) = v.as_f64().filter(|x| x.is_finite()) else {
            obj.remove(key);
            warn(key, format!("`{key}: {shown}` is not a number; dropped"));
            continue;
        };
        let whole = match key {
            "minimum" => x.ceil(),
            "maximum" => x.floor(),
            _ => x,
        };
        let message = if key == "multipleOf" && whole.fract() != 0.0 {
            Some(format!("`multipleOf: {shown}` is not a whole number, which an integer's multiple must be; dropped"))
        } else if !(-I64_END..I64_END).contains(&whole) {
            let below = whole < 0.0;
            Some(match (key, below) {
                ("minimum", true) | ("maximum", false) => format!(
                    "`{key}: {shown}` does not fit an i64 and excludes no i64 value; dropped"
                ),
                ("multipleOf", _) => {
                    format!("`multipleOf: {shown}` does not fit an i64; dropped")
                }
                _ => format!(
                    "`{key}: {shown}` does not fit an i64 and no i64 value meets it; dropped, so it is not checked"
                ),
            })
        } else {
            None
        };
        match message {
            Some(m) => {
                obj.remove(key);
                warn(key, m);
            }
            None => {
                let kept = whole as i64;
                obj.insert(key.into(), Value::from(kept));
                if whole.abs() >= EXACT {
                    warn(key, format!("`{key}: {shown}` is beyond the integers a JSON number holds exactly; kept as {kept}"));
                }
            }
        }
    }
    if integer {
        let bad = obj
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|values| {
                values
                    .iter()
                    .find(|v| !(v.is_i64() || v.is_null()))
                    .map(Value::to_string)
            });
        if let Some(bad) = bad {
            obj.remove("enum");
            warn("enum", format!("`enum` value {bad} does not fit an i64; the `enum` is dropped and any integer is accepted"));
        }
    }
    for key in [
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ] {
        let Some(v) = obj.get(key) else { continue };
        if v.is_u64() {
            continue;
        }
        let shown = v.to_string();
        match v.as_f64() {
            Some(x) if x >= 0.0 && x.fract() == 0.0 && x < EXACT => {
                obj.insert(key.into(), Value::from(x as u64));
            }
            _ => {
                obj.remove(key);
                warn(
                    key,
                    format!("`{key}: {shown}` is not a count (a whole number from 0 to 2^64 - 1); dropped"),
                );
            }
        }
    }
}

/// Keywords of JSON Schema that no Rust type expresses: accepted, not enforced.
const NOT_ENFORCED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "contains",
];

/// Keys of a schema that say nothing about its values.
fn annotation(key: &str) -> bool {
    matches!(
        key,
        "description" | "title" | "$comment" | "deprecated" | "readOnly" | "writeOnly"
    ) || key.starts_with("x-")
}

/// Whether `v` is the schema of `null` only (`{type: "null"}`, converted or not).
fn null_only(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let null_type = match obj.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(t)) => t.iter().all(|t| t == "null"),
        None => obj.get("nullable") == Some(&Value::Bool(true)),
        _ => false,
    };
    null_type
        && obj
            .keys()
            .all(|k| k == "type" || k == "nullable" || annotation(k))
}

/// `type: "null"` → `nullable`; `anyOf: [X, {type: "null"}]` → `X`, `nullable`.
fn nulls(obj: &mut Map<String, Value>) {
    if obj.get("type").and_then(Value::as_str) == Some("null") {
        obj.remove("type");
        obj.insert("nullable".into(), Value::Bool(true));
    }
    // `anyOf: [X, {type: null}]`: X, nullable.
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(parts)) = obj.get(keyword) else {
            continue;
        };
        if !parts.iter().any(null_only) {
            continue;
        }
        let rest: Vec<Value> = parts.iter().filter(|p| !null_only(p)).cloned().collect();
        obj.insert("nullable".into(), Value::Bool(true));
        if rest.len() == 1 && !obj.contains_key("allOf") {
            obj.remove(keyword);
            obj.insert("allOf".into(), Value::Array(rest));
        } else {
            obj.insert(keyword.into(), Value::Array(rest));
        }
    }
}

/// OpenAPI 3.1 schema keywords the 3.0 model lacks.
fn json_schema(obj: &mut Map<String, Value>, at: &str, diags: &mut Vec<Diagnostic>) {
    for &key in NOT_ENFORCED {
        if obj.remove(key).is_some() {
            diags.push(Diagnostic::warning(
                &format!("{at}/{key}"),
                format!("`{key}` is accepted but not enforced: no Rust type expresses it, so values are typed by the rest of the schema"),
            ));
        }
    }
    // `$ref` beside other keywords (3.1 reads them all): an `allOf` of the reference, so the
    // description, `default` or `nullable` beside it are kept.
    if obj.contains_key("$ref") && obj.keys().any(|k| k != "$ref") {
        if let Some(r) = obj.remove("$ref") {
            let mut reference = Map::new();
            reference.insert("$ref".into(), r);
            obj.insert("allOf".into(), Value::Array(vec![Value::Object(reference)]));
        }
    }
    if let Some(Value::Array(prefix)) = obj.remove("prefixItems") {
        tuple(obj, prefix);
    }
}

/// `prefixItems` → the [`TUPLE`] extension, read by lowering as a tuple struct: the element
/// schemas, and the schema of the elements after them when the array may hold more. It may
/// not when `items` is `false` or absent, or `maxItems` is at most the number of elements
/// (absent `items` allows more in JSON Schema; specs that write a tuple mean a tuple, and
/// `items: {}` keeps the extra elements).
fn tuple(obj: &mut Map<String, Value>, prefix: Vec<Value>) {
    let items = obj.remove("items");
    let capped = obj
        .get("maxItems")
        .and_then(Value::as_u64)
        .is_some_and(|max| max <= prefix.len() as u64);
    let rest = match items {
        Some(Value::Bool(false)) | None => None,
        _ if capped => None,
        Some(Value::Bool(true)) => Some(Value::Object(Map::new())),
        Some(schema) => Some(schema),
    };
    let mut ext = Map::new();
    ext.insert("prefix".into(), Value::Array(prefix));
    if let Some(rest) = rest {
        ext.insert("rest".into(), rest);
    }
    obj.insert("type".into(), Value::from("array"));
    obj.insert(TUPLE.into(), Value::Object(ext));
}

/// Each webhook's inline request body schema becomes the component `<webhook>Payload`, so the
/// generated `types` hold a type for every webhook payload.
fn webhook_payloads(doc: &mut Value) {
    let Some(Value::Object(hooks)) = doc.get("webhooks").cloned() else {
        return;
    };
    let mut moved = Vec::new();
    for (hook, item) in &hooks {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(content) = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (media, m) in content {
                match m.get("schema") {
                    Some(schema) if schema.get("$ref").is_none() => {
                        moved.push((hook.clone(), method.clone(), media.clone(), schema.clone()));
                    }
                    _ => {}
                }
            }
        }
    }
    for (hook, method, media, schema) in moved {
        let schemas = doc
            .as_object_mut()
            .map(|d| {
                d.entry("components")
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .and_then(Value::as_object_mut)
            .map(|c| {
                c.entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .and_then(Value::as_object_mut);
        let Some(schemas) = schemas else { return };
        let base = format!("{hook}Payload");
        let name = std::iter::once(base.clone())
            .chain((2..).map(|i| format!("{base}{i}")))
            .find(|n| !schemas.contains_key(n))
            .unwrap_or(base);
        schemas.insert(name.clone(), schema);
        let tokens: Vec<String> = [
            "webhooks",
            &hook,
            &method,
            "requestBody",
            "content",
            &media,
            "schema",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if let Some(slot) = get_mut(doc, &tokens) {
            *slot = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        }
    }
}
