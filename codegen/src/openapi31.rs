//! OpenAPI 3.1 → 3.0, on load, so the rest of the generator sees one model.
//!
//! Converted: `type: [T, "null"]` → `type: T` + `nullable: true` (a list of several non-null
//! types drops `type`: any value); `const: v` → `enum: [v]`; schema `examples: [..]` →
//! `example` (the first); a document without `paths` (webhooks only) gets empty `paths`. The
//! `openapi` field becomes `3.0.3`. The rest of 3.1 (numeric `exclusiveMinimum`, `$ref` with
//! siblings, `null` alternatives, `prefixItems`, webhooks, …) is read in `load/schemas.rs`,
//! which knows where each schema is.

use serde_json::{Map, Value};

/// Whether the text may declare `openapi: 3.1.x` (a cheap scan before parsing; confirmed by
/// [`is_31`] on the parsed value).
pub fn declares_31(text: &str) -> bool {
    text.match_indices("openapi").any(|(i, _)| {
        let rest = text[i + "openapi".len()..].trim_start_matches(['"', '\'', ' ']);
        rest.strip_prefix(':')
            .map(|v| v.trim_start_matches([' ', '"', '\'']))
            .is_some_and(|v| v.starts_with("3.1"))
    })
}

/// Whether `doc` says it is OpenAPI 3.1.
pub fn is_31(doc: &Value) -> bool {
    doc.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"))
}

/// Convert a 3.1 document in place.
pub fn convert(doc: &mut Value) {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("openapi".into(), Value::from("3.0.3"));
        obj.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    walk(doc, false);
}

/// Walk every object; `names` is true where keys are names (`properties`, `components/*`),
/// not keywords, so a property called `const` is left alone.
fn walk(v: &mut Value, names: bool) {
    match v {
        Value::Object(obj) => {
            if !names {
                schema_keywords(obj);
            }
            for (k, child) in obj.iter_mut() {
                let child_names = !names
                    && matches!(
                        k.as_str(),
                        "properties"
                            | "patternProperties"
                            | "schemas"
                            | "parameters"
                            | "responses"
                            | "paths"
                            | "examples"
                            | "headers"
                            | "requestBodies"
                            | "securitySchemes"
                            | "content"
                            | "callbacks"
                            | "links"
                            | "webhooks"
                    )
                    && child.is_object();
                walk(child, child_names);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, false);
            }
        }
        _ => {}
    }
}

fn schema_keywords(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = obj.get("type") {
        let nullable = types.iter().any(|t| t == "null");
        let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        match others.as_slice() {
            [one] => {
                obj.insert("type".into(), one.clone());
            }
            _ => {
                obj.remove("type");
            }
        }
        if nullable {
            obj.insert("nullable".into(), Value::Bool(true));
        }
    }
    if let Some(c) = obj.remove("const") {
        obj.entry("enum").or_insert_with(|| Value::Array(vec![c]));
    }
    if let Some(Value::Array(examples)) = obj.get("examples") {
        let first = examples.first().cloned();
        obj.remove("examples");
        if let Some(first) = first {
            obj.entry("example").or_insert(first);
        }
    }
}
