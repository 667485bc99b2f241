//! Generality (issue 10's proof): every spec the generator is meant to handle generates a crate
//! that a user can depend on as it is.
//!
//! The specs: every fixture under `codegen/tests/specs/` (one per construct, plus the kitchen
//! sink; whatever is there when the test runs), every spec in `../shared/specs/` (Zoho's Cliq
//! modules and third-party specs), and two synthetic ones built here: a deep one (64 levels of
//! nested objects) and a wide one (3,000 operations). For each, the generated crate must
//!
//! - compile with 0 warnings and pass `cargo clippy --all-targets -- -D warnings`,
//! - pass `cargo doc` with `RUSTDOCFLAGS=-D warnings`,
//! - round-trip every example of the spec (schema `example`, media-type `example` and
//!   `examples`): it deserializes into its generated type and serializes back to equal JSON,
//!   nulls aside (an absent optional field and an explicit `null` are the same value).
//!
//! To keep CI's time sane, every generated crate is a member of ONE temporary workspace
//! (`target/generality/`) built in ONE target dir (`target/scratch`, shared with the other
//! tests that compile generated code, same flags: `cliq_tests::scratch`), so dependencies
//! compile once: one `cargo clippy`, one `cargo doc`, one `cargo test --no-run` for
//! everything, then each spec's verdict is read from cargo's JSON messages for its own package.
//!
//! A fixture whose `# Covers:` header says generation "must fail" is checked to fail.
//! `cargo test -p cliq-tests --test generality -- <filter>` builds only the matching specs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::{Arc, OnceLock};

use cliq_codegen::manifest::{cargo_toml, Package, RuntimeDep};
use cliq_tests::harness::{self, Completion, Failed, Trial};
use serde_json::{json, Value};

/// Examples that cannot fit their type because of a wart in the spec itself, with the error
/// they must fail with: (test name, JSON pointer, expected error). If one starts passing, the
/// wart was fixed upstream; remove it here.
const WARTS: &[(&str, &str, &str)] = &[
    (
        "shared/cliq/bots",
        "#/components/schemas/HandlerCreate/example",
        "missing field `type`",
    ),
    // The example of a JSON object response is the string "204 No response".
    (
        "shared/cliq/chats",
        "#/paths/~1chats~1{CHAT_ID}/put/responses/200/content/application~1json/examples/update_history_status/value",
        "invalid type: string \"204 No response\"",
    ),
    // The response envelope's `data` is declared an object; the example's is a list.
    (
        "shared/cliq/datastores",
        "#/paths/~1datastores/get/responses/200/content/application~1json/example",
        "invalid type: sequence, expected a map",
    ),
    // Message ids (strings in the schema) written as unquoted 23–26-digit numbers, which YAML
    // reads as floats (`id: 1.7798544048141776e+25` in the file as shipped).
    (
        "shared/cliq/mentions",
        "#/components/schemas/get-mentions-response/example",
        "invalid type: floating point `1.7798544048141776e+25`, expected a string",
    ),
    (
        "shared/cliq/pinmessages",
        "#/components/schemas/get-pinned-messages-response/example",
        "invalid type: floating point `1.7738947728961294e+23`, expected a string",
    ),
];

/// The wide crate (3,000 operations, 125,000 lines) alone takes longer to clippy, document and
/// build than everything else here together.
const WIDE_IGNORED: &str = "synthetic/wide: 3,000 operations take ~5 min of CPU on 2 cores (clippy, doc, test build); run `cargo test -p cliq-tests --test generality -- --include-ignored synthetic/wide`";

fn main() -> ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let mut specs = fixtures();
    // 56 levels: a JSON document of 60 levels passes serde_json's nesting limit (128).
    specs.push(Spec::synthetic("synthetic/deep", deep_spec(56)));
    let mut wide = Spec::synthetic("synthetic/wide", wide_spec(1000, 5));
    wide.ignored = Some(WIDE_IGNORED);
    specs.push(wide);
    specs.push(Spec::synthetic("synthetic/long_chain", wide_spec(1, 100)));
    let ignored: Vec<(String, &str)> = specs
        .iter()
        .filter_map(|s| Some((s.name.clone(), s.ignored?)))
        .filter(|(name, _)| selected(&args, name))
        .collect();
    let shared = harness::shared();
    if let Ok(dir) = &shared {
        specs.extend(shared_specs(dir));
    }
    // Build only what the command line selects.
    let run_ignored = args.ignored || args.include_ignored;
    let selected: Vec<Arc<Spec>> = specs
        .into_iter()
        .filter(|s| selected(&args, &s.name) && (run_ignored || s.ignored.is_none()))
        .map(Arc::new)
        .collect();
    let build: Arc<OnceLock<Build>> = Arc::new(OnceLock::new());
    let mut trials: Vec<Trial> = selected
        .iter()
        .map(|spec| {
            let (spec, build, all) = (spec.clone(), build.clone(), selected.clone());
            Trial::test(spec.name.clone(), move || {
                let build = build.get_or_init(|| Build::run(&all));
                verdict(&spec, build)
            })
        })
        .collect();
    // Ignored specs are listed as ignored, with the reason, unless asked for.
    if !run_ignored {
        for (name, reason) in ignored {
            trials.push(Trial::ignorable_test(name, move || {
                Ok(Completion::ignored_with(reason))
            }));
        }
    }
    if let Err(reason) = shared {
        trials.push(Trial::ignorable_test("shared/*", move || {
            harness::missing(reason)
        }));
    }
    libtest_mimic::run(&args, trials).exit_code()
}

fn selected(args: &libtest_mimic::Arguments, name: &str) -> bool {
    let matches = |f: &str| {
        if args.exact {
            name == f
        } else {
            name.contains(f)
        }
    };
    args.filter.as_deref().is_none_or(matches) && !args.skip.iter().any(|s| matches(s))
}

// ---------------------------------------------------------------------------------------------
// The specs.
// ---------------------------------------------------------------------------------------------

struct Spec {
    /// Test name: `fixture/<stem>`, `shared/cliq/<stem>`, `synthetic/<what>`.
    name: String,
    /// The document's text (YAML or JSON).
    text: String,
    /// The generator must refuse it (a fixture saying so in its header).
    must_fail: bool,
    /// Why it runs only with `--ignored` / `--include-ignored`.
    ignored: Option<&'static str>,
}

impl Spec {
    fn synthetic(name: &str, doc: Value) -> Spec {
        Spec {
            name: name.into(),
            text: doc.to_string(),
            must_fail: false,
            ignored: None,
        }
    }
    /// Package name of the generated crate.
    fn package(&self) -> String {
        let mut p = String::from("gen-");
        for c in self.name.chars() {
            p.push(if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            });
        }
        p
    }
}

fn read_dir_sorted(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    files.sort();
    files
}

fn spec_from_file(prefix: &str, path: &Path) -> Spec {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header: String = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    Spec {
        name: format!("{prefix}/{stem}"),
        must_fail: header.contains("must fail"),
        ignored: None,
        text,
    }
}

/// Every fixture of the generator's own tests, as found on disk.
fn fixtures() -> Vec<Spec> {
    let dir = cliq_tests::workspace_root().join("codegen/tests/specs");
    read_dir_sorted(&dir, &["yaml", "yml", "json"])
        .iter()
        .map(|p| spec_from_file("fixture", p))
        .collect()
}

/// Every spec in `../shared/specs/{cliq,other}`.
fn shared_specs(shared: &Path) -> Vec<Spec> {
    let mut specs = Vec::new();
    for sub in ["cliq", "other"] {
        for p in read_dir_sorted(&shared.join("specs").join(sub), &["yaml", "yml", "json"]) {
            specs.push(spec_from_file(&format!("shared/{sub}"), &p));
        }
    }
    specs
}

/// `depth` levels of inline objects, each with a scalar and the next level, read and written
/// by two operations, with an example that goes all the way down.
fn deep_spec(depth: usize) -> Value {
    let mut schema = json!({"type": "object", "description": "The innermost level.",
        "properties": {"leaf": {"type": "string"}}});
    let mut example = json!({"leaf": "bottom"});
    for level in (0..depth).rev() {
        schema = json!({
            "type": "object",
            "properties": {
                "depth": {"type": "integer", "description": "This level's depth."},
                "next": schema,
            },
        });
        example = json!({"depth": level, "next": example});
    }
    schema["example"] = example;
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Deep", "version": "1", "description": format!("{depth} levels of nested objects.")},
        "paths": {"/deep": {
            "get": {"operationId": "getDeep", "responses": {"200": {"description": "The deep object.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}}}}},
            "put": {"operationId": "putDeep",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}}},
                "responses": {"204": {"description": "Stored."}}}
        }},
        "components": {"schemas": {"Deep": schema}},
    })
}

/// `resources` × 3 operations (list with pagination and query parameters, replace with a
/// JSON body, delete), over 100 component schemas of a few shapes, some with examples; no
/// descriptions on most of it, as large real specs often have.
/// `related` links each schema to the next one in rings of `ring` schemas (each ring a cycle,
/// so every link is boxed).
fn wide_spec(resources: usize, ring: usize) -> Value {
    const SCHEMAS: usize = 100;
    let mut schemas = serde_json::Map::new();
    for s in 0..SCHEMAS {
        let mut schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "count": {"type": "integer", "format": "int64"},
                "ratio": {"type": "number", "nullable": true},
                "state": {"type": "string", "enum": ["active", "in-review", "+1", ""]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "owner": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}},
                "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
                "related": {"$ref": format!("#/components/schemas/Resource{}", s - s % ring + (s + 1) % ring)},
            },
        });
        if s % 10 == 0 {
            schema["description"] = json!(format!("Resource kind {s}. Has an example."));
            schema["example"] = json!({"id": format!("r{s}"), "count": 3, "state": "+1",
                "tags": ["a"], "owner": {"name": "N"}, "extra": {"k": 1}});
        }
        schemas.insert(format!("Resource{s}"), schema);
    }
    let mut paths = serde_json::Map::new();
    for r in 0..resources {
        let schema = json!({"$ref": format!("#/components/schemas/Resource{}", r % SCHEMAS)});
        paths.insert(
            format!("/things{r}/{{id}}"),
            json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "operationId": format!("listThings{r}"),
                    "parameters": [
                        {"name": "next_token", "in": "query", "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "A page.", "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"data": {"type": "array", "items": schema}, "next_token": {"type": "string"}}
                    }}}}}
                },
                "put": {
                    "operationId": format!("replaceThing{r}"),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "Replaced.", "content": {"application/json": {"schema": schema}}}}
                },
                "delete": {
                    "operationId": format!("deleteThing{r}"),
                    "responses": {"204": {"description": "Deleted."}, "404": {"description": "Not found."}}
                }
            }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Wide", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

// ---------------------------------------------------------------------------------------------
// Generating the crates and building them together.
// ---------------------------------------------------------------------------------------------

/// What the generator did with one spec.
enum Generated {
    /// A crate, with the generator's warnings and how many examples its test checks.
    Crate {
        warnings: Vec<String>,
        examples: usize,
        skipped_examples: Vec<String>,
    },
    /// Generation failed with this error.
    Refused(String),
}

/// The one build of every selected crate, and what cargo said about each package.
struct Build {
    generated: BTreeMap<String, Generated>,
    /// Package name → diagnostics from clippy (rustc's and clippy's).
    clippy: BTreeMap<String, Vec<String>>,
    /// Package name → rustdoc's diagnostics.
    doc: BTreeMap<String, Vec<String>>,
    /// Package name → the examples test binary.
    test_bins: BTreeMap<String, PathBuf>,
    /// A cargo run that failed without naming a package (workspace-level trouble).
    failures: Vec<String>,
    /// Wall time of each step, printed once.
    times: Vec<(String, std::time::Duration)>,
}

fn root() -> PathBuf {
    let r = cliq_tests::workspace_root();
    r.canonicalize().unwrap_or(r)
}

/// `scratch::write_if_changed`: an untouched crate is not rebuilt on the next run.
fn write_if_changed(path: &Path, text: &str) {
    cliq_tests::scratch::write_if_changed(path, text)
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // A scratch build (`target/scratch`, the flags of every test that builds generated code:
    // their dependency builds are reused).
    cliq_tests::scratch::configure(&mut c)
        .current_dir(root().join("target/generality"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_MAKEFLAGS");
    c
}

impl Build {
    fn run(specs: &[Arc<Spec>]) -> Build {
        let root = root();
        let ws = root.join("target/generality");
        let mut generated = BTreeMap::new();
        let mut members = Vec::new();
        let started = std::time::Instant::now();
        for spec in specs {
            let g = generate_crate(spec, &ws.join("crates").join(spec.package()), &root);
            if matches!(g, Generated::Crate { .. }) {
                members.push(format!("crates/{}", spec.package()));
            }
            generated.insert(spec.name.clone(), g);
        }
        let mut times = vec![("generate".to_string(), started.elapsed())];
        let mut build = Build {
            generated,
            clippy: BTreeMap::new(),
            doc: BTreeMap::new(),
            test_bins: BTreeMap::new(),
            failures: Vec::new(),
            times: Vec::new(),
        };
        if members.is_empty() {
            build.times = times;
            return build;
        }
        // Member paths are `crates/gen-…`: lowercase letters, digits and dashes only.
        let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        write_if_changed(
            &ws.join("Cargo.toml"),
            &format!(
                "# Written by cliq-tests' generality test: every generated crate under test.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        );
        // Start from the workspace's resolved versions, so nothing is fetched or rebuilt.
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
        std::fs::write(ws.join("Cargo.lock"), lock).expect("target/ is writable");

        let mut step = |name: &str, args: &[&str], build: &mut Build| {
            let started = std::time::Instant::now();
            let out = cargo().args(args).output().expect("cargo runs");
            times.push((name.to_string(), started.elapsed()));
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let mut by_package: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for line in stdout.lines() {
                let Ok(msg) = serde_json::from_str::<Value>(line) else {
                    continue;
                };
                let package = msg["manifest_path"]
                    .as_str()
                    .and_then(|m| Path::new(m).parent()?.file_name()?.to_str())
                    .unwrap_or("")
                    .to_string();
                match msg["reason"].as_str() {
                    Some("compiler-message") => {
                        let level = msg["message"]["level"].as_str().unwrap_or("");
                        if level == "warning" || level == "error" {
                            let rendered = msg["message"]["rendered"].as_str().unwrap_or("");
                            by_package
                                .entry(package)
                                .or_default()
                                .push(rendered.to_string());
                        }
                    }
                    Some("compiler-artifact") if name == "test" => {
                        if let Some(exe) = msg["executable"].as_str() {
                            build.test_bins.insert(package, PathBuf::from(exe));
                        }
                    }
                    _ => {}
                }
            }
            if !out.status.success() && by_package.is_empty() {
                build.failures.push(format!(
                    "`cargo {}` failed:\n{}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            by_package
        };
        let fmt = "--message-format=json";
        build.clippy = step(
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--keep-going",
                fmt,
                "--",
                "-D",
                "warnings",
            ],
            &mut build,
        );
        build.doc = step(
            "doc",
            &["doc", "--workspace", "--no-deps", "--keep-going", fmt],
            &mut build,
        );
        // Only crates with examples have a test to run.
        let mut test_args: Vec<String> = ["test", "--no-run", "--no-fail-fast", fmt]
            .map(String::from)
            .to_vec();
        for spec in specs {
            if let Some(Generated::Crate { examples, .. }) = build.generated.get(&spec.name) {
                if *examples > 0 {
                    test_args.extend([
                        "-p".into(),
                        spec.package(),
                        "--test".into(),
                        "examples".into(),
                    ]);
                }
            }
        }
        if test_args.iter().any(|a| a == "-p") {
            let args: Vec<&str> = test_args.iter().map(String::as_str).collect();
            let compile = step("test", &args, &mut build);
            for (package, diags) in compile {
                build.clippy.entry(package).or_default().extend(diags);
            }
        }
        build.times = times;
        eprintln!(
            "generality: {} crates; {}",
            members.len(),
            build
                .times
                .iter()
                .map(|(n, t)| format!("{n} {:.1?}", t))
                .collect::<Vec<_>>()
                .join(", ")
        );
        build
    }
}

/// Generate `spec`'s crate into `dir` (sources, manifest, and `tests/examples.rs`).
fn generate_crate(spec: &Spec, dir: &Path, root: &Path) -> Generated {
    let result = cliq_codegen::parse_spec(&spec.text).and_then(|doc| {
        let mut settings = cliq_codegen::Settings::default();
        settings
            .with_command("cliq-tests' generality test")
            .with_source(format!("`{}`", spec.name));
        cliq_codegen::generate(&doc, &settings).map(|g| (doc, g))
    });
    let (doc, generated) = match result {
        Ok(ok) => ok,
        Err(e) => return Generated::Refused(e.to_string()),
    };
    let package = spec.package();
    write_if_changed(
        &dir.join("Cargo.toml"),
        &cargo_toml(
            "# Written by cliq-tests' generality test.",
            &Package {
                name: &package,
                description: "A crate generated by the generality test",
                standalone: false,
                features: &[],
            },
            &RuntimeDep::Path(root.join("runtime").display().to_string()),
        ),
    );
    for (name, text) in &generated.files {
        write_if_changed(&dir.join("src").join(name), text);
    }
    // The examples, taken from the document as the generator read it (3.1 converted).
    let value = serde_json::to_value(&doc).expect("a parsed document serializes");
    let mut checks = String::new();
    let mut examples = 0;
    let mut skipped = Vec::new();
    for (pointer, ty) in &generated.examples {
        let Some(example) = value.pointer(pointer.trim_start_matches('#')) else {
            skipped.push(format!("{pointer}: does not resolve"));
            continue;
        };
        if ty == "::std::vec::Vec<u8>" {
            skipped.push(format!("{pointer}: a binary body (bytes, not JSON)"));
            continue;
        }
        let wart = WARTS
            .iter()
            .find(|(s, p, _)| *s == spec.name && p == pointer)
            .map(|(_, _, e)| *e);
        checks.push_str(&format!(
            "    check::<{ty}>({pointer:?}, {:?}, {wart:?}, &mut failures);\n",
            example.to_string()
        ));
        examples += 1;
    }
    let crate_name = package.replace('-', "_");
    let test = if examples == 0 {
        String::new()
    } else {
        format!(
            r#"//! Written by cliq-tests' generality test: every example of `{name}` round-trips
//! through its generated type.

use {crate_name}::types;
use serde_json::Value;

/// Objects without their `null` members (an absent optional field and `null` are the same).
fn strip_nulls(v: &mut Value) {{
    match v {{
        Value::Object(map) => {{
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }}
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {{}}
    }}
}}

/// Equal as JSON values, numbers compared by value (`1` and `1.0` are the same number).
fn same(a: &Value, b: &Value) -> bool {{
    match (a, b) {{
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {{
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }}
        (Value::Object(x), Value::Object(y)) => {{
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same(a, b)))
        }}
        _ => a == b,
    }}
}}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<(), String> {{
    let mut example: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let typed: T = serde_json::from_value(example.clone()).map_err(|e| format!("does not deserialize: {{e}}"))?;
    let mut back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {{e}}"))?;
    strip_nulls(&mut example);
    strip_nulls(&mut back);
    if same(&example, &back) {{
        Ok(())
    }} else {{
        Err(format!("round trip changed it:\n  spec: {{example}}\n  back: {{back}}"))
    }}
}}

/// Check one example; `wart`: the error a known wart of the spec makes it fail with.
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    pointer: &str,
    json: &str,
    wart: Option<&str>,
    failures: &mut Vec<String>,
) {{
    match (round_trip::<T>(json), wart) {{
        (Ok(()), None) => {{}}
        (Err(e), Some(expected)) if e.contains(expected) => {{}}
        (Ok(()), Some(_)) => failures.push(format!("{{pointer}}: a known wart, but it round-trips now")),
        (Err(e), _) => failures.push(format!("{{pointer}}: {{e}}")),
    }}
}}

#[test]
fn examples_round_trip() {{
    let mut failures = Vec::new();
{checks}    assert!(failures.is_empty(), "{{}} of {examples} examples fail:\n{{}}", failures.len(), failures.join("\n"));
}}
"#,
            name = spec.name,
        )
    };
    let test_path = dir.join("tests/examples.rs");
    if test.is_empty() {
        let _ = std::fs::remove_file(&test_path);
    } else {
        write_if_changed(&test_path, &test);
    }
    Generated::Crate {
        warnings: generated.warnings.iter().map(|w| w.to_string()).collect(),
        examples,
        skipped_examples: skipped,
    }
}

/// One spec's verdict from the shared build.
fn verdict(spec: &Spec, build: &Build) -> Result<(), Failed> {
    if !build.failures.is_empty() {
        return Err(build.failures.join("\n").into());
    }
    let package = spec.package();
    let generated = build
        .generated
        .get(&spec.name)
        .ok_or("not generated: the build did not include this spec")?;
    let (warnings, examples, skipped) = match (generated, spec.must_fail) {
        (Generated::Refused(e), true) => {
            eprintln!("{}: refused as it must be: {e}", spec.name);
            return Ok(());
        }
        (Generated::Refused(e), false) => {
            return Err(format!("{}: generation failed: {e}", spec.name).into())
        }
        (Generated::Crate { .. }, true) => {
            return Err(
                format!("{}: generated, but its header says it must fail", spec.name).into(),
            )
        }
        (
            Generated::Crate {
                warnings,
                examples,
                skipped_examples,
            },
            false,
        ) => (warnings, *examples, skipped_examples),
    };
    let mut problems = Vec::new();
    if let Some(d) = build.clippy.get(&package) {
        problems.push(format!(
            "{} compiler/clippy diagnostic(s):\n{}",
            d.len(),
            d.join("\n")
        ));
    }
    if let Some(d) = build.doc.get(&package) {
        problems.push(format!(
            "{} rustdoc diagnostic(s):\n{}",
            d.len(),
            d.join("\n")
        ));
    }
    if examples > 0 {
        match build.test_bins.get(&package) {
            None => problems.push("the examples test did not build".into()),
            Some(exe) => {
                // A main thread's 8 MiB, not a test thread's 2: serde's derived code for
                // 56 nested structs overflows 2 MiB in a debug build.
                let out = Command::new(exe)
                    .env("RUST_MIN_STACK", "8388608")
                    .arg("--quiet")
                    .output()
                    .expect("test binary runs");
                if !out.status.success() {
                    problems.push(format!(
                        "examples do not round-trip:\n{}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
            }
        }
    }
    eprintln!(
        "{}: {} generator warning(s), {examples} example(s) round-tripped, {} skipped{}",
        spec.name,
        warnings.len(),
        skipped.len(),
        skipped
            .iter()
            .map(|s| format!("\n  skipped {s}"))
            .collect::<String>()
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} ({package}):\n{}", spec.name, problems.join("\n\n")).into())
    }
}
