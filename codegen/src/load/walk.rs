//! What each position of an OpenAPI document is (a schema, a parameter, a path item, …), and
//! JSON pointers: the one walk every load pass uses to know where it is.

use serde_json::Value;

/// What an OpenAPI value is, known from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Doc,
    Components,
    PathItem,
    Operation,
    Callback,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Schema,
    /// A map of values of a kind (`properties`, `responses`, `content`, …): OpenAPI allows no
    /// `$ref` here, bundlers do (a copy in place).
    MapOf(&'static Kind),
    /// A list of values of a kind (`parameters`, `allOf`, …), likewise.
    ListOf(&'static Kind),
}

impl Kind {
    /// The `components` section that holds values of this kind (`None`: the value is copied
    /// in place of each reference, as bundlers do for path items).
    pub(crate) fn section(self) -> Option<&'static str> {
        match self {
            Kind::Schema => Some("schemas"),
            Kind::Parameter => Some("parameters"),
            Kind::Header => Some("headers"),
            Kind::RequestBody => Some("requestBodies"),
            Kind::Response => Some("responses"),
            Kind::Callback => Some("callbacks"),
            _ => None,
        }
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the value under `key` of a value of kind `kind` is.
fn holds(kind: Kind, key: &str) -> Option<Kind> {
    use Kind::{ListOf as List, MapOf as Map};
    Some(match (kind, key) {
        (Kind::Doc, "paths" | "webhooks") => Map(&Kind::PathItem),
        (Kind::Doc, "components") => Kind::Components,
        (Kind::Components, "schemas") => Map(&Kind::Schema),
        (Kind::Components, "parameters") => Map(&Kind::Parameter),
        (Kind::Components, "headers") => Map(&Kind::Header),
        (Kind::Components, "requestBodies") => Map(&Kind::RequestBody),
        (Kind::Components, "responses") => Map(&Kind::Response),
        (Kind::Components, "callbacks") => Map(&Kind::Callback),
        (Kind::Components, "pathItems") => Map(&Kind::PathItem),
        (Kind::PathItem | Kind::Operation, "parameters") => List(&Kind::Parameter),
        (Kind::PathItem, m) if METHODS.contains(&m) => Kind::Operation,
        (Kind::Operation, "requestBody") => Kind::RequestBody,
        (Kind::Operation, "responses") => Map(&Kind::Response),
        (Kind::Operation, "callbacks") => Map(&Kind::Callback),
        (Kind::Callback, _) => Kind::PathItem,
        (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => Kind::Schema,
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => {
            Map(&Kind::MediaType)
        }
        (Kind::Response, "headers") => Map(&Kind::Header),
        (
            Kind::Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
        ) => Map(&Kind::Schema),
        (
            Kind::Schema,
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "additionalItems"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties",
        ) => Kind::Schema,
        (Kind::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => List(&Kind::Schema),
        _ => return None,
    })
}

/// One value met by [`visit`]: its pointer tokens (unescaped), its kind, and its `$ref` when
/// it is a reference.
pub(crate) struct Node {
    pub tokens: Vec<String>,
    pub kind: Kind,
    pub reference: Option<String>,
}

/// Every value of a known kind under `v` (itself included, at `base`), in document order (a
/// parent before its children). A reference's own keys are not descended into.
pub(crate) fn visit(v: &Value, kind: Kind, base: &[String]) -> Vec<Node> {
    let mut out = Vec::new();
    // An explicit stack: a document may nest deeper than the thread's stack allows.
    let mut stack: Vec<(&Value, Kind, Vec<String>)> = vec![(v, kind, base.to_vec())];
    while let Some((v, kind, tokens)) = stack.pop() {
        if let (Value::Array(items), Kind::ListOf(k)) = (v, kind) {
            for (i, item) in items.iter().enumerate().rev() {
                let mut t = tokens.clone();
                t.push(i.to_string());
                stack.push((item, *k, t));
            }
            continue;
        }
        let Value::Object(obj) = v else { continue };
        let reference = obj.get("$ref").and_then(Value::as_str).map(str::to_string);
        let is_ref = reference.is_some();
        if !is_ref {
            let mut children = Vec::new();
            let at = |key: &str| -> Vec<String> {
                let mut t = tokens.clone();
                t.push(key.to_string());
                t
            };
            match kind {
                Kind::MapOf(k) => {
                    for (name, item) in obj {
                        children.push((item, *k, at(name)));
                    }
                }
                _ => {
                    for (k, child) in obj {
                        if let Some(c) = holds(kind, k) {
                            children.push((child, c, at(k)));
                        }
                    }
                }
            }
            // Reversed so the stack pops them in document order.
            stack.extend(children.into_iter().rev());
        }
        out.push(Node {
            tokens,
            kind,
            reference,
        });
    }
    out
}

/// Unescape one JSON pointer token (`~1` → `/`, `~0` → `~`).
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Escape one JSON pointer token.
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `#/a/b~1c` from unescaped tokens.
pub(crate) fn pointer(tokens: &[String]) -> String {
    let mut p = String::from("#");
    for t in tokens {
        p.push('/');
        p.push_str(&escape(t));
    }
    p
}

/// The value at unescaped `tokens`.
pub(crate) fn get<'v>(v: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(v, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(a) => a.get(t.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The value at unescaped `tokens`, mutably.
pub(crate) fn get_mut<'v>(v: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    tokens.iter().try_fold(v, |v, t| match v {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?),
        _ => None,
    })
}

/// A YAML or JSON text as a value (JSON when it starts with `{`: serde_json's messages are
/// clearer for JSON). Integers beyond 64 bits (a 20-digit ID, `-9223372036854776000`) are read
/// as floating point numbers instead of refusing the document.
pub(crate) fn parse_value(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str::<Lenient>(text)
            .map(|l| l.0)
            .map_err(|e| e.to_string())
    }
}

/// A JSON value read from any self-describing format, with integers of any size (as `f64`
/// beyond 64 bits) and YAML's non-string keys (`200:`) as strings.
struct Lenient(Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Lenient(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut obj = serde_json::Map::new();
        while let Some((Lenient(k), Lenient(v))) = map.next_entry()? {
            let key = match k {
                Value::String(s) => s,
                other => other.to_string(),
            };
            if obj.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            obj.insert(key, v);
        }
        Ok(Value::Object(obj))
    }
}
