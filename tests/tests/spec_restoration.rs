//! `spec/bots.yaml` is the user's seed (Zoho Cliq's Bots OpenAPI document with its
//! indentation lost and its prose reduced to plain text) restored to valid YAML.
//!
//! These tests prove the restoration:
//! * its structure equals Zoho's published `bots.yml` once prose is ignored;
//! * every line of the seed survives, in order, and nothing but indentation and the
//!   header comment was added;
//! * Zoho's warts were kept as shipped (nobody "fixed" the spec).
//!
//! The seed and Zoho's copy live in `../shared` (never copied into the repository). When
//! it is absent the tests that need it are reported as ignored with the reason, unless
//! `CI` is set, in which case they fail.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use cliq_tests::harness::{self, needs, test};

use serde_json::Value;

fn main() -> ExitCode {
    harness::run(vec![
        needs(
            "restored_spec_matches_zoho_structure",
            harness::shared,
            restored_spec_matches_zoho_structure,
        ),
        test(
            "prose_filter_keeps_properties_and_example_data_named_description",
            prose_filter_keeps_properties_and_example_data_named_description,
        ),
        test(
            "structural_diff_reports_json_pointers",
            structural_diff_reports_json_pointers,
        ),
        needs(
            "seed_lines_appear_in_restored_spec_in_order",
            harness::shared,
            seed_lines_appear_in_restored_spec_in_order,
        ),
        needs(
            "restoration_only_adds_indentation_and_a_header",
            harness::shared,
            restoration_only_adds_indentation_and_a_header,
        ),
        test(
            "restored_prose_is_the_seeds_plain_text",
            restored_prose_is_the_seeds_plain_text,
        ),
        test(
            "zoho_warts_are_kept_as_shipped",
            zoho_warts_are_kept_as_shipped,
        ),
        // restore.py reads the seed from ../shared and runs in the venv tools/setup.sh makes.
        needs(
            "restore_tool_reproduces_committed_spec",
            || harness::shared().and_then(|_| harness::tool("tools/.venv/bin/python")),
            restore_tool_reproduces_committed_spec,
        ),
    ])
}

const SEED: &str = "seeds/003_75da7cbcef408098.txt";
const ZOHO_BOTS: &str = "specs/cliq/bots.yml";
/// Maximum number of differences printed on a structural mismatch.
const MAX_DIFFS: usize = 12;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn restored_spec_text() -> String {
    read(&cliq_tests::workspace_root().join("spec").join("bots.yaml"))
}

/// Parse YAML into JSON, stringifying scalar mapping keys (e.g. unquoted `200:`).
fn yaml_to_json(text: &str, what: &str) -> Value {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{what} is not valid YAML: {e}"));
    convert(yaml, what)
}

fn convert(v: serde_yaml::Value, what: &str) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n)
            .unwrap_or_else(|e| panic!("{what}: number {n} has no JSON form: {e}")),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(|i| convert(i, what)).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        other => panic!("{what}: unsupported mapping key {other:?}"),
                    };
                    (key, convert(v, what))
                })
                .collect(),
        ),
        Y::Tagged(t) => convert(t.value, what),
    }
}

/// Where a value sits, for deciding which `description`/`summary` keys are prose.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Ctx {
    /// OpenAPI structure (including Example Objects): `description`/`summary` strings are prose.
    Doc,
    /// A `properties` map: its keys are property names (a property may be named `description`).
    Properties,
    /// An `examples` map of the OpenAPI document: its keys are example names.
    Examples,
    /// An Example Object: its `value` is data.
    ExampleObject,
    /// Inside an example value: data, never prose.
    Data,
}

impl Ctx {
    /// Context of the value stored under `key` in a map that has context `self`.
    fn child(self, key: &str) -> Ctx {
        match self {
            Ctx::Data => Ctx::Data,
            Ctx::Properties => Ctx::Doc,
            Ctx::Examples => Ctx::ExampleObject,
            Ctx::ExampleObject if key == "value" => Ctx::Data,
            Ctx::Doc | Ctx::ExampleObject => match key {
                "example" => Ctx::Data,
                "examples" => Ctx::Examples,
                "properties" => Ctx::Properties,
                _ => Ctx::Doc,
            },
        }
    }

    fn is_prose(self, key: &str, value: &Value) -> bool {
        matches!(self, Ctx::Doc | Ctx::ExampleObject)
            && (key == "description" || key == "summary")
            && value.is_string()
    }
}

/// Drop prose and normalize white space inside multi-line strings (example scripts).
fn strip_prose(v: &Value, ctx: Ctx) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, child)| !ctx.is_prose(k, child))
                .map(|(k, child)| (k.clone(), strip_prose(child, ctx.child(k))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| strip_prose(i, ctx)).collect()),
        Value::String(s) if s.contains('\n') => {
            Value::String(s.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        other => other.clone(),
    }
}

/// Escape one JSON pointer reference token (RFC 6901).
fn escape_token(t: &str) -> String {
    t.replace('~', "~0").replace('/', "~1")
}

fn short(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".to_owned(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 100 {
                format!("{}…", s.chars().take(100).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// Collect the JSON pointers at which `a` and `b` differ (depth first, document order).
fn diff(a: &Value, b: &Value, pointer: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            let keys_a: Vec<&String> = ma.keys().collect();
            let keys_b: Vec<&String> = mb.keys().collect();
            for k in ma.keys().chain(mb.keys().filter(|k| !ma.contains_key(*k))) {
                let p = format!("{pointer}/{}", escape_token(k));
                match (ma.get(k), mb.get(k)) {
                    (Some(x), Some(y)) => diff(x, y, &p, out),
                    (x, y) => out.push(format!("{p}: restored {} vs Zoho {}", short(x), short(y))),
                }
            }
            let common_a: Vec<&&String> = keys_a.iter().filter(|k| mb.contains_key(**k)).collect();
            let common_b: Vec<&&String> = keys_b.iter().filter(|k| ma.contains_key(**k)).collect();
            if common_a != common_b {
                out.push(format!("{pointer}: same keys, different order"));
            }
        }
        (Value::Array(xa), Value::Array(xb)) => {
            for i in 0..xa.len().max(xb.len()) {
                let p = format!("{pointer}/{i}");
                match (xa.get(i), xb.get(i)) {
                    (Some(x), Some(y)) => diff(x, y, &p, out),
                    (x, y) => out.push(format!("{p}: restored {} vs Zoho {}", short(x), short(y))),
                }
            }
        }
        (x, y) if x == y => {}
        (x, y) => out.push(format!(
            "{pointer}: restored {} vs Zoho {}",
            short(Some(x)),
            short(Some(y))
        )),
    }
}

fn restored_spec_matches_zoho_structure(shared: PathBuf) {
    let restored = yaml_to_json(&restored_spec_text(), "spec/bots.yaml");
    let zoho = yaml_to_json(&read(&shared.join(ZOHO_BOTS)), ZOHO_BOTS);
    let restored = strip_prose(&restored, Ctx::Doc);
    let zoho = strip_prose(&zoho, Ctx::Doc);
    let mut diffs = Vec::new();
    diff(&restored, &zoho, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "spec/bots.yaml differs structurally from Zoho's bots.yml at {} place(s); first ones:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(MAX_DIFFS)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Sanity: the comparison saw the whole API (9 paths, 14 operations, 24 schemas), not an
    // empty or truncated document.
    let paths = restored
        .pointer("/paths")
        .and_then(Value::as_object)
        .map_or(0, |m| m.len());
    let schemas = restored
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, |m| m.len());
    assert_eq!(
        (paths, schemas),
        (9, 24),
        "unexpected size of spec/bots.yaml (paths, schemas)"
    );
}

fn prose_filter_keeps_properties_and_example_data_named_description() {
    let doc = serde_json::json!({
        "description": "prose",
        "properties": {
            "description": {"type": "string", "description": "prose"},
            "summary": {"type": "string"}
        },
        "example": {"description": "data", "summary": "data"},
        "examples": {
            "summary": {"summary": "prose", "value": {"description": "data"}}
        }
    });
    let expected = serde_json::json!({
        "properties": {
            "description": {"type": "string"},
            "summary": {"type": "string"}
        },
        "example": {"description": "data", "summary": "data"},
        "examples": {
            "summary": {"value": {"description": "data"}}
        }
    });
    assert_eq!(strip_prose(&doc, Ctx::Doc), expected);
}

fn structural_diff_reports_json_pointers() {
    let a =
        serde_json::json!({"paths": {"/bots/{id}": {"get": {"operationId": "a"}}}, "x": [1, 2]});
    let b = serde_json::json!({"paths": {"/bots/{id}": {"get": {"operationId": "b"}}}, "x": [1]});
    let mut diffs = Vec::new();
    diff(&a, &b, "", &mut diffs);
    assert_eq!(
        diffs,
        vec![
            "/paths/~1bots~1{id}/get/operationId: restored \"a\" vs Zoho \"b\"".to_owned(),
            "/x/1: restored 2 vs Zoho (absent)".to_owned(),
        ]
    );
}

/// Lines of the restored file below the leading header comment, trimmed.
fn restored_body_lines(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| l.starts_with('#'))
        .map(str::trim)
        .collect()
}

fn seed_lines_appear_in_restored_spec_in_order(shared: PathBuf) {
    let seed = read(&shared.join(SEED));
    let restored = restored_spec_text();
    let mut body = restored_body_lines(&restored).into_iter();
    let mut checked = 0usize;
    for (no, line) in seed.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        assert!(
            body.any(|r| r == line),
            "seed line {} ({line:?}) is missing from spec/bots.yaml (or out of order)",
            no + 1
        );
        checked += 1;
    }
    assert!(checked > 3000, "only {checked} seed lines checked");
}

fn restoration_only_adds_indentation_and_a_header(shared: PathBuf) {
    let seed = read(&shared.join(SEED));
    let restored = restored_spec_text();
    assert!(
        restored.starts_with("# ") && restored.contains("seed") && restored.contains("bots.yml"),
        "spec/bots.yaml must start with a header comment naming the seed and Zoho's bots.yml"
    );
    let seed_lines: Vec<&str> = seed.lines().map(str::trim).collect();
    let body = restored_body_lines(&restored);
    if let Some(i) =
        (0..seed_lines.len().max(body.len())).find(|&i| seed_lines.get(i) != body.get(i))
    {
        panic!(
            "first difference at seed line {}: seed {:?} vs restored {:?}",
            i + 1,
            seed_lines.get(i),
            body.get(i)
        );
    }
}

fn restored_prose_is_the_seeds_plain_text() {
    let restored = restored_spec_text();
    for needle in ["<p>", "<br", "<table", "<code>", "ontoggle", "<details"] {
        assert!(
            !restored.contains(needle),
            "spec/bots.yaml contains {needle:?}: prose must come from the seed (plain text), not Zoho's HTML"
        );
    }
    // A multi-line prose block with key-like lines survived as a block scalar.
    let doc = yaml_to_json(&restored, "spec/bots.yaml");
    let create = doc
        .pointer("/paths/~1bots/post/description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(
        create.contains("\nThreshold limit: 10 requests per min per user\n"),
        "POST /bots description lost its rate-limit line: {create:?}"
    );
}

/// Zoho's warts must survive restoration exactly as shipped (spec/README.md lists them).
fn zoho_warts_are_kept_as_shipped() {
    let doc = yaml_to_json(&restored_spec_text(), "spec/bots.yaml");
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("spec/bots.yaml has no components/schemas"));
    for name in [
        "Trigger-Bot-Call-Request",
        "Bot-call-response",
        "NoResponse",
    ] {
        assert!(schemas.contains_key(name), "schema {name} is gone");
    }
    let op_ids: Vec<&str> = doc
        .pointer("/paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        .collect();
    assert!(
        op_ids.contains(&"Trigger Bot Calls"),
        "operationId `Trigger Bot Calls` is gone: {op_ids:?}"
    );
    let text = restored_spec_text();
    for needle in [
        "maxLength: 2147483648",
        "Response Code:",
        "- enable\n",
        "calls: enabled",
    ] {
        assert!(
            text.contains(needle),
            "wart {needle:?} is gone from spec/bots.yaml"
        );
    }
}

/// `spec/restore/restore.py --check`: the committed file is what the tool produces from the seed.
fn restore_tool_reproduces_committed_spec(python: PathBuf) {
    let root = cliq_tests::workspace_root();
    let out = Command::new(&python)
        .arg(root.join("spec/restore/restore.py"))
        .arg("--check")
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "restore.py --check failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
