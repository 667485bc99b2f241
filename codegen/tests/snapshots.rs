//! Snapshot tests of the generator on small fixture specs (`tests/specs/*.yaml`), one per
//! concern, plus targeted assertions on the output and a compile check of every output.
//!
//! Snapshots live in `tests/snapshots/`; to update them run
//! `INSTA_UPDATE=always cargo test -p cliq-codegen --test snapshots` and review the diff.

use cliq_codegen::{generate, parse_spec, Error, Generated, Settings, Severity};
use std::path::PathBuf;
use std::process::Command;

#[path = "../../tests/src/scratch.rs"]
mod scratch;

/// Every fixture that must generate successfully (file stem under `tests/specs/`).
const FIXTURES: &[&str] = &[
    "additional_properties",
    "array_without_items",
    "big_numbers",
    "bodies_and_media",
    "colliding_schema_names",
    "components_headers_examples",
    "cyclic_aliases",
    "deep_nesting",
    "default_responses",
    "discriminator",
    "enum_symbols",
    "error_bodies",
    "error_codes_rate_limit",
    "html_in_descriptions",
    "hyphenated_names",
    "identical_inline_types",
    "keyword_fields",
    "kitchen_sink",
    "multi_file",
    "multipart",
    "nested_inline",
    "nullable",
    "one_of",
    "openapi_31",
    "openapi_31_bounds",
    "openapi_31_not_enforced",
    "openapi_31_null",
    "openapi_31_refs",
    "openapi_31_tuples",
    "openapi_31_webhooks",
    "operation_id_spaces",
    "operation_ids",
    "pagination_shapes",
    "pointer_refs",
    "property_with_space",
    "recursive",
    "ref_chains",
    "shared_parameters",
    "string_enums",
    "two_success_types",
    "undocumented",
    "unknown_type",
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The root file of fixture `name`: `tests/specs/<name>.yaml`, or `tests/specs/<name>/openapi.yaml`
/// for a document split over files.
fn spec_path(name: &str) -> PathBuf {
    let specs = manifest_dir().join("tests/specs");
    let dir = specs.join(name);
    if dir.is_dir() {
        dir.join("openapi.yaml")
    } else {
        specs.join(format!("{name}.yaml"))
    }
}

fn spec_text(name: &str) -> String {
    let path = spec_path(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

fn try_gen(name: &str) -> Result<Generated, Error> {
    let doc = if spec_path(name).ends_with("openapi.yaml") {
        cliq_codegen::load(&spec_path(name), |p| std::fs::read_to_string(p))?.doc
    } else {
        parse_spec(&spec_text(name))?
    };
    generate(&doc, &Settings::default())
}

fn gen(name: &str) -> Generated {
    try_gen(name).unwrap_or_else(|e| panic!("fixture {name} does not generate: {e}"))
}

fn warnings_text(g: &Generated) -> String {
    if g.warnings.is_empty() {
        return "(no warnings)\n".to_string();
    }
    g.warnings.iter().map(|d| format!("{d}\n")).collect()
}

/// Snapshot the single-file output and the warnings of one fixture.
fn snapshot(name: &str) {
    let g = gen(name);
    insta::assert_snapshot!(name, g.single_file());
    insta::assert_snapshot!(format!("{name}__warnings"), warnings_text(&g));
}

macro_rules! snapshot_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                snapshot(stringify!($name));
            }
        )*
        /// The list of snapshot tests and `FIXTURES` name the same fixtures.
        #[test]
        fn every_fixture_has_a_snapshot_test() {
            let tested: Vec<&str> = vec![$(stringify!($name)),*];
            assert_eq!(tested, FIXTURES);
        }
    };
}

mod snapshot {
    use super::*;
    snapshot_tests!(
        additional_properties,
        array_without_items,
        big_numbers,
        bodies_and_media,
        colliding_schema_names,
        components_headers_examples,
        cyclic_aliases,
        deep_nesting,
        default_responses,
        discriminator,
        enum_symbols,
        error_bodies,
        error_codes_rate_limit,
        html_in_descriptions,
        hyphenated_names,
        identical_inline_types,
        keyword_fields,
        kitchen_sink,
        multi_file,
        multipart,
        nested_inline,
        nullable,
        one_of,
        openapi_31,
        openapi_31_bounds,
        openapi_31_not_enforced,
        openapi_31_null,
        openapi_31_refs,
        openapi_31_tuples,
        openapi_31_webhooks,
        operation_id_spaces,
        operation_ids,
        pagination_shapes,
        pointer_refs,
        property_with_space,
        recursive,
        ref_chains,
        shared_parameters,
        string_enums,
        two_success_types,
        undocumented,
        unknown_type,
    );
}

/// Every fixture under `tests/specs/` is either in `FIXTURES` or an expected failure.
#[test]
fn every_fixture_file_is_exercised() {
    let mut on_disk: Vec<String> = std::fs::read_dir(manifest_dir().join("tests/specs"))
        .expect("tests/specs is readable")
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "yaml").then(|| p.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    on_disk.sort();
    let mut known: Vec<String> = FIXTURES
        .iter()
        .filter(|s| !spec_path(s).ends_with("openapi.yaml"))
        .map(|s| s.to_string())
        .collect();
    known.push("dangling_ref".to_string());
    known.sort();
    assert_eq!(on_disk, known);
}

/// Every fixture file starts with a comment saying what it covers.
#[test]
fn every_fixture_says_what_it_covers() {
    for name in FIXTURES.iter().copied().chain(["dangling_ref"]) {
        let text = spec_text(name);
        assert!(
            text.starts_with("# Covers: "),
            "{name}.yaml must start with a `# Covers: ...` comment"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Targeted assertions.
// ---------------------------------------------------------------------------------------------

/// Collapse whitespace so assertions do not depend on prettyplease's line breaking.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn generation_is_deterministic() {
    for name in FIXTURES {
        let a = gen(name);
        let b = gen(name);
        assert_eq!(
            a.single_file(),
            b.single_file(),
            "{name}: single file differs"
        );
        assert_eq!(a.files, b.files, "{name}: files differ");
        assert_eq!(
            warnings_text(&a),
            warnings_text(&b),
            "{name}: warnings differ"
        );
    }
}

#[test]
fn keyword_fields_are_raw_identifiers_or_suffixed() {
    let out = squash(&gen("keyword_fields").single_file());
    assert!(out.contains("pub r#type: ::std::string::String,"), "{out}");
    assert!(
        out.contains("pub r#loop: ::std::option::Option<bool>"),
        "{out}"
    );
    assert!(
        out.contains("pub r#match: ::std::option::Option<i32>"),
        "{out}"
    );
    // `self` cannot be a raw identifier: `self_` with a rename.
    assert!(out.contains("pub self_: ::std::option::Option<"), "{out}");
    assert!(
        out.contains(r#"__map.serialize_entry("self", value)?;"#),
        "{out}"
    );
    assert!(out.contains(r#""self" => __field"#), "{out}");
    // A schema called `self` becomes `SelfSchema` (camel case), not `Self` or `Self_`.
    assert!(out.contains("pub struct SelfSchema {"), "{out}");
    assert!(out.contains("pub r#fn:"), "{out}");
    // Raw identifiers need no rename: `r#type` serializes as `type`.
    assert!(!out.contains(r#"rename = "type""#), "{out}");
}

#[test]
fn nested_inline_objects_get_named_structs() {
    let out = squash(&gen("nested_inline").single_file());
    for s in [
        "pub struct Message {",
        "pub struct MessageCard {",
        "pub struct MessageCardButtonsItem {",
        "pub struct MessageCardButtonsItemAction {",
        "pub struct MessageCardButtonsItemActionData {",
    ] {
        assert!(out.contains(s), "missing `{s}` in {out}");
    }
    assert!(
        out.contains("pub card: ::std::option::Option<MessageCard>"),
        "{out}"
    );
    assert!(
        out.contains("pub buttons: ::std::option::Option<::std::vec::Vec<MessageCardButtonsItem>>"),
        "{out}"
    );
}

#[test]
fn string_enum_variants_are_valid_and_distinct() {
    let out = squash(&gen("string_enums").single_file());
    assert!(
        out.contains(r#"Self::V2faRequired => "2fa_required","#),
        "{out}"
    );
    assert!(out.contains(r#"Self::Empty => "","#), "{out}");
    assert!(
        out.contains(r#"Self::InProgress => "in_progress","#),
        "{out}"
    );
    assert!(
        out.contains(r#"Self::InProgress2 => "IN-PROGRESS","#),
        "{out}"
    );
    // A listed value `unknown` must not clash with the `Unknown(String)` fallback.
    assert!(out.contains(r#"Self::Unknown2 => "unknown","#), "{out}");
    // The duplicate `active` is listed once.
    assert_eq!(out.matches(r#""active" => Self::"#).count(), 1, "{out}");
    // The inline property enum is named after the property.
    assert!(out.contains("pub enum Level {"), "{out}");
    assert!(
        out.contains("pub level: ::std::option::Option<Level>"),
        "{out}"
    );
}

#[test]
fn ref_chains_and_alias_components() {
    let out = squash(&gen("ref_chains").single_file());
    assert!(out.contains("pub b: ::std::option::Option<B>"), "{out}");
    assert!(out.contains("pub c: ::std::option::Option<C>"), "{out}");
    assert!(out.contains("pub type AliasOfC = C;"), "{out}");
    assert!(out.contains("pub type AliasOfAlias = AliasOfC;"), "{out}");
    assert!(
        out.contains("pub via_alias: ::std::option::Option<AliasOfAlias>"),
        "{out}"
    );
}

#[test]
fn recursive_fields_are_boxed() {
    let out = squash(&gen("recursive").single_file());
    assert!(
        out.contains("pub parent: ::std::option::Option<::std::boxed::Box<Node>>"),
        "{out}"
    );
    // A Vec already gives indirection: no Box needed inside it.
    assert!(
        out.contains("pub children: ::std::option::Option<::std::vec::Vec<Node>>"),
        "{out}"
    );
    // Mutual recursion: at least one side of the Ping/Pong cycle is boxed.
    assert!(
        out.contains("::std::boxed::Box<Pong>") || out.contains("::std::boxed::Box<Ping>"),
        "{out}"
    );
}

#[test]
fn hyphenated_schema_names_become_camel_case() {
    let out = squash(&gen("hyphenated_names").single_file());
    assert!(out.contains("pub struct TriggerBotCallRequest {"), "{out}");
    assert!(out.contains("pub struct TriggerBotCallResponse {"), "{out}");
    assert!(out.contains("body: &types::TriggerBotCallRequest"), "{out}");
    assert!(!out.contains("Trigger-Bot-Call-Request {"), "{out}");
}

#[test]
fn property_with_a_space_is_renamed() {
    let out = squash(&gen("property_with_space").single_file());
    assert!(out.contains("pub response_code: i64,"), "{out}");
    assert!(
        out.contains(r#"__map.serialize_entry("Response Code", &self.response_code)?;"#),
        "{out}"
    );
    assert!(out.contains(r#""Response Code" => { __field0 ="#), "{out}");
    assert!(out.contains(r#""x-request-id" => __field1 ="#), "{out}");
    assert!(
        out.contains("pub x_request_id: ::std::option::Option<::std::string::String>"),
        "{out}"
    );
}

#[test]
fn additional_properties_variants() {
    let out = squash(&gen("additional_properties").single_file());
    let body = |name: &str| -> String {
        let start = out
            .find(&format!("pub struct {name} {{"))
            .unwrap_or_else(|| panic!("no struct {name} in {out}"));
        let end = out[start..].find('}').map_or(out.len(), |e| start + e);
        out[start..end].to_string()
    };
    assert!(
        body("OpenObject")
            .contains("pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>"),
        "{}",
        body("OpenObject")
    );
    assert!(
        body("TypedExtras")
            .contains("pub extra: ::std::collections::BTreeMap<::std::string::String, i64>"),
        "{}",
        body("TypedExtras")
    );
    assert!(!body("Closed").contains("extra"), "{}", body("Closed"));
    assert!(
        body("Default").contains("pub extra:"),
        "{}",
        body("Default")
    );
    assert!(
        out.contains("pub type Counts = ::std::collections::BTreeMap<::std::string::String, i32>;"),
        "{out}"
    );
    assert!(
        out.contains(
            "pub type Labels = ::std::collections::BTreeMap<::std::string::String, LabelsValue>;"
        ),
        "{out}"
    );
    assert!(out.contains("pub struct LabelsValue {"), "{out}");
}

#[test]
fn array_without_items_warns_and_uses_value() {
    let g = gen("array_without_items");
    let out = squash(&g.single_file());
    assert!(
        out.contains("pub things: ::std::option::Option<::std::vec::Vec<::serde_json::Value>>"),
        "{out}"
    );
    let w = warnings_text(&g);
    assert!(
        w.contains("warning at #/components/schemas/Bag/properties/things: array without `items`"),
        "{w}"
    );
    assert!(
        w.contains("warning at #/components/schemas/Loose: array without `items`"),
        "{w}"
    );
}

#[test]
fn two_success_types_make_a_status_enum() {
    let out = squash(&gen("two_success_types").single_file());
    assert!(out.contains("pub enum UpsertWidgetSuccess {"), "{out}");
    assert!(out.contains("Status200(types::Widget),"), "{out}");
    assert!(out.contains("Status201(types::Created),"), "{out}");
    assert!(out.contains("Status204,"), "{out}");
    assert!(
        out.contains("201u16 => Ok(UpsertWidgetSuccess::Status201(response.json()?)),"),
        "{out}"
    );
    assert!(
        out.contains("204u16 => Ok(UpsertWidgetSuccess::Status204),"),
        "{out}"
    );
}

#[test]
fn colliding_schema_names_stay_distinct() {
    let out = squash(&gen("colliding_schema_names").single_file());
    assert!(out.contains("pub struct NoResponse {"), "{out}");
    assert!(out.contains("pub struct NoResponse2 {"), "{out}");
    assert!(
        out.contains("pub type NoResponse3 = ::std::string::String;"),
        "{out}"
    );
    // `Client` is taken by the client struct.
    assert!(out.contains("pub struct Client2 {"), "{out}");
    // Each operation returns its own schema.
    let a = out.find("pub fn delete_a").expect("delete_a");
    let b = out.find("pub fn delete_b").expect("delete_b");
    assert!(out[a..b].contains("types::NoResponse,"), "{}", &out[a..b]);
    assert!(out[b..].contains("types::NoResponse2,"), "{}", &out[b..]);
}

#[test]
fn operation_ids_with_spaces() {
    let g = gen("operation_id_spaces");
    let out = squash(&g.single_file());
    assert!(out.contains("pub fn trigger_bot_calls("), "{out}");
    assert!(out.contains("pub fn trigger_bot_calls2("), "{out}");
    assert!(
        out.contains(r#"operation_id: "Trigger Bot Calls""#),
        "{out}"
    );
    assert!(
        out.contains(r#"operation_id: "trigger bot calls""#),
        "{out}"
    );
    // The query parameters belong to the POST, which is met second and so is `..._calls2`.
    assert!(
        out.contains("pub fn trigger_bot_calls2( &self, bot_unique_name: impl ::std::convert::Into<::cliq_runtime::BotName>, params: &types::TriggerBotCallsParams,"),
        "{out}"
    );
    // Error enums are scoped: no duplicates.
    assert!(out.contains("pub enum TriggerBotCallsErrorCode {"), "{out}");
    assert!(
        out.contains("pub enum TriggerBotCallsErrorCode2 {"),
        "{out}"
    );
    assert!(
        warnings_text(&g).contains("warning at #/paths/~1ping/get: operation has no operationId"),
        "{}",
        warnings_text(&g)
    );
}

#[test]
fn operation_ids_colliding_once_cased_get_distinct_consts() {
    let out = squash(&gen("operation_id_spaces").single_file());
    let consts = out.matches("pub const TRIGGER_BOT_CALLS:").count();
    assert_eq!(consts, 1, "duplicate const TRIGGER_BOT_CALLS in {out}");
    assert!(out.contains("pub const TRIGGER_BOT_CALLS2:"), "{out}");
}

#[test]
fn one_of_becomes_untagged_enum() {
    let out = squash(&gen("one_of").single_file());
    assert!(
        out.contains("#[serde(untagged)] #[allow(clippy::large_enum_variant)] pub enum Content {"),
        "{out}"
    );
    assert!(out.contains("Text(Text),"), "{out}");
    assert!(out.contains("Image(Image),"), "{out}");
    assert!(out.contains("PlainNumber(InlinePlainNumber),"), "{out}");
    assert!(out.contains("Variant2(::std::string::String),"), "{out}");
    assert!(out.contains("Other(::serde_json::Value),"), "{out}");
    assert!(out.contains("pub type Single = Text;"), "{out}");
}

#[test]
fn one_of_inline_variant_types_are_camel_cased() {
    let out = squash(&gen("one_of").single_file());
    assert!(out.contains("Button(InlineButton),"), "{out}");
    assert!(out.contains("pub struct InlineButton {"), "{out}");
    assert!(out.contains("pub enum InlineButtonKind {"), "{out}");
}

#[test]
fn error_codes_and_rate_limit_from_prose() {
    let out = squash(&gen("error_codes_rate_limit").single_file());
    assert!(out.contains("pub enum CreateBotErrorCode {"), "{out}");
    for v in [
        "BotNameAlreadyExists",
        "InvalidInputs",
        "ExecutionUrlRequired",
        "Code2faRequired",
    ] {
        assert!(out.contains(v), "missing variant {v} in {out}");
    }
    for wire in [
        "\"bot_name_already_exists\"",
        "\"invalid_inputs\"",
        "\"execution_url_required\"",
        "\"2fa_required\"",
    ] {
        assert!(out.contains(wire), "missing code {wire} in {out}");
    }
    assert!(out.contains("Other(::std::string::String),"), "{out}");
    assert!(out.contains("requests: 10u32,"), "{out}");
    assert!(
        out.contains("window: ::std::time::Duration::from_secs(60u64),"),
        "{out}"
    );
    assert!(out.contains(r#"per: "user""#), "{out}");
    assert!(
        out.contains("lock_period: ::std::option::Option::Some( ::std::time::Duration::from_secs(300u64), ),"),
        "{out}"
    );
    assert!(
        out.contains(r#"scopes: &["ZohoCliq.Bots.CREATE"]"#),
        "{out}"
    );
}

/// Text outside inline code spans (`` `...` ``) of one doc line.
fn outside_backticks(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

#[test]
fn no_raw_html_reaches_doc_comments() {
    for name in FIXTURES {
        let g = gen(name);
        // The single file, and every per-module file (lib.rs carries the document's description).
        let outputs = std::iter::once(g.single_file()).chain(g.files.values().cloned());
        for line in outputs.flat_map(|o| o.lines().map(str::to_string).collect::<Vec<_>>()) {
            let t = line.trim_start();
            if !(t.starts_with("///")
                || t.starts_with("//!")
                || t.starts_with("#![doc")
                || t.starts_with("#[doc"))
            {
                continue;
            }
            let prose = outside_backticks(t).to_ascii_lowercase();
            for bad in [
                "<details", "ontoggle", "<script", "<summary", "<span", "onerror", "<img", "<div",
                "style=",
            ] {
                assert!(
                    !prose.contains(bad),
                    "{name}: raw HTML `{bad}` in doc line: {line}"
                );
            }
        }
    }
}

#[test]
fn html_descriptions_keep_their_text() {
    let out = gen("html_in_descriptions").single_file();
    assert!(out.contains("Lists things."), "{out}");
    assert!(out.contains("`next_token`"), "{out}");
    assert!(out.contains("`name`"), "{out}");
    assert!(out.contains("Because."), "{out}");
}

#[test]
fn html_in_document_description_is_converted() {
    let g = gen("html_in_descriptions");
    let lib = g.files.get("lib.rs").expect("lib.rs is generated");
    assert!(lib.contains("Top level **bold** text."), "{lib}");
    assert!(lib.contains("detail"), "{lib}");
}

#[test]
fn script_contents_are_dropped_from_docs() {
    let out = gen("html_in_descriptions").single_file();
    assert!(!out.contains("alert(1)"), "{out}");
}

#[test]
fn dangling_ref_is_an_error_with_its_pointer() {
    let err = match try_gen("dangling_ref") {
        Err(e) => e,
        Ok(_) => panic!("a dangling $ref must fail generation"),
    };
    let Error::Invalid(diags) = &err else {
        panic!("expected Error::Invalid, got {err}");
    };
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{diags:?}");
    assert_eq!(
        errors[0].pointer,
        "#/components/schemas/Holder/properties/missing"
    );
    assert!(
        errors[0]
            .message
            .contains("#/components/schemas/DoesNotExist"),
        "{}",
        errors[0]
    );
    let text = err.to_string();
    assert!(
        text.contains("error at #/components/schemas/Holder/properties/missing: `$ref: #/components/schemas/DoesNotExist` does not name a schema"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Compile check.
// ---------------------------------------------------------------------------------------------

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Write `fixtures`' single-file outputs as modules of one crate under `target/<dir_name>` and
/// build it with `-D warnings` as a scratch build (`target/scratch`, the flags the
/// generated-spec tests use, so the dependencies they compiled are reused).
fn build_fixture_crate(dir_name: &str, fixtures: &[&str]) -> Result<(), String> {
    fixture_crate(dir_name, fixtures, None, "build").map(drop)
}

/// Like [`build_fixture_crate`], with `main` as the crate's `src/main.rs` (it names the
/// fixtures' modules through the library, `cliq_codegen_<dir_name>`), run: its standard
/// output.
fn run_fixture_program(dir_name: &str, fixtures: &[&str], main: &str) -> Result<String, String> {
    fixture_crate(dir_name, fixtures, Some(main), "run")
}

fn fixture_crate(
    dir_name: &str,
    fixtures: &[&str],
    main: Option<&str>,
    command: &str,
) -> Result<String, String> {
    let workspace = manifest_dir().join("..");
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let dir = workspace.join("target").join(dir_name);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("create {}: {e}", src.display()))?;
    let runtime = workspace.join("runtime");
    let manifest = cliq_codegen::manifest::cargo_toml(
        "# Written by cliq-codegen's tests/snapshots.rs: every fixture output as one module.",
        &cliq_codegen::manifest::Package {
            name: &format!("cliq-codegen-{dir_name}"),
            description: "Fixture outputs of cliq-codegen's snapshot tests",
            standalone: true,
            features: &[],
        },
        &cliq_codegen::manifest::RuntimeDep::Path(runtime.display().to_string()),
    );
    // Unchanged files keep their mtimes: an unchanged crate is not rebuilt.
    let write = |path: &std::path::Path, text: &str| {
        scratch::write_if_changed(path, text).map_err(|e| format!("write {}: {e}", path.display()))
    };
    write(&dir.join("Cargo.toml"), &manifest)?;
    // Start from the workspace's resolved versions so the shared target dir's deps are reused.
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(workspace.join("Cargo.lock"), &lock);
    }
    // The generated crate denies missing docs; so does this one.
    let mut lib = String::from(
        "//! Fixture outputs of cliq-codegen's snapshot tests.\n#![deny(missing_docs)]\n",
    );
    for name in fixtures {
        let file = format!("{name}.rs");
        write(&src.join(&file), &gen(name).single_file())?;
        lib.push_str(&format!(
            "/// Output for `tests/specs/{name}.yaml`.\npub mod {name};\n"
        ));
    }
    write(&src.join("lib.rs"), &lib)?;
    if let Some(main) = main {
        write(&src.join("main.rs"), main)?;
    }
    let out = scratch::configure(&mut cargo())
        .current_dir(&dir)
        .args([command, "--quiet"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "fixture crate at {} fails `cargo {command}`:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Every fixture's single-file output as one module of one crate, built with `-D warnings`
/// and `#![deny(missing_docs)]`.
#[test]
fn fixture_outputs_compile() {
    if let Err(e) = build_fixture_crate("snapshot-crate", FIXTURES) {
        panic!("{e}");
    }
}

/// 3.1 tuples (`prefixItems`) read and write JSON arrays: element by element, with the rest
/// after the fixed elements kept, and arrays of the wrong length refused.
#[test]
fn tuples_round_trip_json_arrays() {
    let main = r##"
use cliq_codegen_tuple_crate::openapi_31_tuples::types::*;
use serde_json::{from_str, json, to_value, Value};

/// `text` read as `T` and written back: the JSON value it became.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Value {
    let read: T = from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    to_value(&read).expect("serializes")
}

fn main() {
    let point: Point = from_str("[1.5, -2]").expect("a point");
    assert_eq!(point, Point(1.5, -2.0));
    assert_eq!(to_value(&point).expect("serializes"), json!([1.5, -2.0]));
    assert_eq!(round_trip::<Entry>(r#"["a", 7]"#), json!(["a", 7]));
    assert_eq!(round_trip::<Single>("[true]"), json!([true]));
    assert_eq!(round_trip::<Capped>(r#"["a", null]"#), json!(["a", null]));
    let row: Row = from_str(r#"["r", [0, 1], 4, 5, 6]"#).expect("a row");
    assert_eq!(row, Row("r".into(), Point(0.0, 1.0), vec![4, 5, 6]));
    assert_eq!(to_value(&row).expect("serializes"), json!(["r", [0.0, 1.0], 4, 5, 6]));
    assert_eq!(round_trip::<Row>(r#"["r", [0, 1]]"#), json!(["r", [0.0, 1.0]]));
    assert_eq!(
        round_trip::<Loose>(r#"[{"id": "x", "more": 1}, "any", {"k": []}]"#),
        json!([{"id": "x", "more": 1}, "any", {"k": []}])
    );
    assert_eq!(round_trip::<Shape>(r#"{"corner": [3, 4]}"#), json!({"corner": [3, 4]}));
    // Wrong lengths and element types are refused, saying what was expected.
    for (text, error) in [
        ("[1]", "invalid length 1, expected"),
        ("[1, 2, 3]", "trailing"),
        ("[]", "invalid length 0, expected an array of 1 element"),
        ("[true, false]", "invalid length 2, expected an array of 1 element"),
    ] {
        let point = from_str::<Point>(text).err().map(|e| e.to_string());
        let single = from_str::<Single>(text).err().map(|e| e.to_string());
        let message = if text.starts_with("[1") { point } else { single };
        let message = message.unwrap_or_else(|| panic!("{text} is read"));
        assert!(message.contains(error), "{text}: {message}");
    }
    let short = from_str::<Row>(r#"["r"]"#).expect_err("too short");
    assert!(short.to_string().contains("expected an array of at least 2 elements"), "{short}");
    assert!(from_str::<Entry>(r#"[7, "a"]"#).is_err());
    println!("ok");
}
"##;
    match run_fixture_program("tuple-crate", &["openapi_31_tuples"], main) {
        Ok(out) => assert_eq!(out.trim(), "ok"),
        Err(e) => panic!("{e}"),
    }
}

/// A query written into a path (Zoho's `/pin-messages?primary=true`) whose name is a declared
/// query parameter is sent by the parameter alone, with a warning; the rest of it stays.
#[test]
fn a_query_in_the_path_is_sent_by_its_parameter() {
    let doc = parse_spec(
        r#"
openapi: 3.0.0
info: { title: T, version: "1" }
paths:
  /chats/{CHAT_ID}/pins?primary=true&view=compact:
    get:
      operationId: getPrimary
      parameters:
        - { name: CHAT_ID, in: path, required: true, schema: { type: string } }
        - { name: primary, in: query, required: true, schema: { type: boolean } }
      responses: { "204": { description: ok } }
"#,
    )
    .unwrap();
    let g = generate(&doc, &Settings::default()).unwrap();
    let client = &g.files["client.rs"];
    assert!(
        client.contains("\"/chats/{}/pins?view=compact\""),
        "{client}"
    );
    assert!(!client.contains("/pins?primary=true\","), "{client}");
    assert!(
        client.contains("request.query(\"primary\", params.primary)"),
        "{client}"
    );
    assert!(
        g.warnings.iter().any(|w| w.message
            == "the path's query `primary=true` names a declared query parameter; the parameter sends it"),
        "{:?}",
        g.warnings
    );
}

/// The conformance table (`Modules::conformance_table`) of a crate whose modules have every
/// kind of operation input (path parameters of every type, query, header and cookie
/// parameters, required and optional JSON, form, text, binary and multipart bodies, one or
/// several success types, documented error bodies) compiles with `-D warnings` beside it, and
/// lists every operation.
#[test]
fn conformance_table_compiles_for_every_kind_of_input() {
    let names = [
        "bodies_and_media",
        "multipart",
        "two_success_types",
        "shared_parameters",
        "keyword_fields",
        "error_bodies",
        "pagination_shapes",
        "string_enums",
    ];
    let docs: Vec<openapiv3::OpenAPI> = names
        .iter()
        .map(|n| parse_spec(&spec_text(n)).unwrap())
        .collect();
    let specs: Vec<cliq_codegen::ModuleSpec<'_>> = names
        .iter()
        .zip(&docs)
        .map(|(n, doc)| cliq_codegen::ModuleSpec {
            name: n.to_string(),
            doc,
            source: format!("tests/specs/{n}.yaml"),
        })
        .collect();
    let out = cliq_codegen::generate_modules("Fixtures", &specs, &Settings::default()).unwrap();
    let table = out.conformance_table("crate").unwrap();
    let operations: usize = out.modules.iter().map(|(_, g)| g.operation_count).sum();
    assert_eq!(
        table.matches("    Operation {").count(),
        operations,
        "one entry per operation"
    );
    assert!(
        table.contains("\"a multipart/form-data body: its parts are not JSON inputs\""),
        "a multipart body is named as not callable"
    );
    assert!(matches!(
        out.conformance_table("not a path"),
        Err(Error::Settings(_))
    ));

    let workspace = manifest_dir().join("..");
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let dir = workspace.join("target/conformance-table-crate");
    let src = dir.join("src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src).unwrap();
    let features: Vec<(&str, bool)> = names.iter().map(|n| (*n, true)).collect();
    let manifest = cliq_codegen::manifest::cargo_toml(
        "# Written by cliq-codegen's tests/snapshots.rs: fixture modules and their conformance table.",
        &cliq_codegen::manifest::Package {
            name: "cliq-codegen-conformance-table",
            description: "Fixture modules of cliq-codegen's tests and their conformance table",
            standalone: true,
            features: &features,
        },
        &cliq_codegen::manifest::RuntimeDep::Path(workspace.join("runtime").display().to_string()),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(workspace.join("Cargo.lock"), &lock);
    }
    for (file, text) in &out.files {
        let path = src.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if file == "lib.rs" {
            format!("{text}/// Every operation, callable from JSON inputs.\npub mod conformance;\n")
        } else {
            text.clone()
        };
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(src.join("conformance.rs"), &table).unwrap();
    let built = scratch::configure(&mut cargo())
        .current_dir(&dir)
        .args(["build", "--quiet"])
        .output()
        .expect("cargo runs");
    assert!(
        built.status.success(),
        "the conformance table does not compile (crate at {}):\n{}",
        dir.display(),
        String::from_utf8_lossy(&built.stderr)
    );
}

/// Every diagnostic's pointer is a valid RFC 6901 pointer (after the `#`) that resolves in
/// its document, for every fixture and the broken one.
#[test]
fn every_diagnostic_pointer_resolves() {
    for name in FIXTURES.iter().copied().chain(["dangling_ref"]) {
        let text = spec_text(name);
        // serde_json's values hold no integer beyond 64 bits (`big_numbers`): such a number's
        // digits are shortened, which moves no pointer.
        let shortened = {
            let mut out = String::new();
            let mut run = 0;
            for c in text.chars() {
                run = if c.is_ascii_digit() { run + 1 } else { 0 };
                if run <= 18 {
                    out.push(c);
                }
            }
            out
        };
        let value: serde_json::Value = serde_yaml::from_str(&shortened).expect("fixture is YAML");
        let doc = match spec_path(name).ends_with("openapi.yaml") {
            true => continue,
            false => cliq_codegen::parse_spec(&text).expect("fixture parses"),
        };
        let (_, diags) = cliq_codegen::lower(&doc, &cliq_codegen::Settings::default());
        for d in diags {
            let pointer = d
                .pointer
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{name}: pointer without `#`: {d}"));
            assert!(
                pointer.is_empty() || pointer.starts_with('/'),
                "{name}: not an RFC 6901 pointer: {d}"
            );
            assert!(
                value.pointer(pointer).is_some(),
                "{name}: pointer does not resolve: {d}"
            );
        }
    }
}

/// A wide synthetic spec (3,000 operations, each with a path parameter, a paginated query and
/// an inline response object) generates without errors, with every name distinct, and the
/// same output twice. (Compiling a crate this size is left to the generate_specs test's
/// real specs; this pins generation.)
#[test]
fn wide_spec_generates_deterministically() {
    let mut paths = serde_json::Map::new();
    for i in 0..3000 {
        paths.insert(
            format!("/things{i}/{{id}}"),
            serde_json::json!({"get": {
                "operationId": format!("listThings{i}"),
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "next_token", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "A page.", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "data": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
                        "next_token": {"type": "string"}
                    }
                }}}}}
            }}),
        );
    }
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Wide", "version": "1"},
        "paths": paths,
    });
    let text = doc.to_string();
    let parsed = cliq_codegen::parse_spec(&text).expect("wide spec parses");
    let a = cliq_codegen::generate(&parsed, &Settings::default()).expect("wide spec generates");
    assert_eq!(a.operation_count, 3000);
    assert!(a.warnings.is_empty(), "{:?}", a.warnings.first());
    let b = cliq_codegen::generate(&parsed, &Settings::default()).expect("generates again");
    assert_eq!(a.single_file(), b.single_file());
    let out = a.single_file();
    assert_eq!(out.matches("pub fn list_things2999_stream<'a>(").count(), 1);
    // 3,000 params structs; the identical inline page and item objects are one type each.
    assert_eq!(out.matches("pub struct ListThings").count(), 3000 + 2);
    assert_eq!(out.matches("impl ::cliq_runtime::Page for").count(), 1);
}

/// `Settings::strict` turns the warnings of a fixture into errors; invalid settings are
/// `Error::Settings`, not a parse error of the document.
#[test]
fn strict_settings_and_settings_errors() {
    let doc = parse_spec(&spec_text("shared_parameters")).expect("fixture parses");
    let lenient = generate(&doc, &Settings::default()).expect("warnings only");
    assert!(!lenient.warnings.is_empty());
    let mut strict = Settings::default();
    strict.strict(true);
    match generate(&doc, &strict) {
        Err(Error::Invalid(diags)) => {
            assert_eq!(diags.len(), lenient.warnings.len());
            assert!(diags.iter().all(|d| d.severity == Severity::Error));
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
    let mut bad = Settings::default();
    bad.with_runtime_path("not a path !!");
    assert!(matches!(generate(&doc, &bad), Err(Error::Settings(_))));
}

/// The rustdoc text of every operation of the Bots spec (Zoho's stripped-HTML prose rebuilt,
/// then `# Errors`, `# Rate limit`, `# Scopes`), as a reader meets it.
#[test]
fn bots_operation_docs() {
    let path = manifest_dir().join("../spec/bots.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = parse_spec(&text).unwrap_or_else(|e| panic!("bots.yaml: {e}"));
    let g = generate(&doc, &Settings::default()).unwrap_or_else(|e| panic!("bots.yaml: {e}"));
    let client = &g.files["client.rs"];
    let mut out = String::new();
    let mut block = Vec::new();
    for line in client.lines() {
        let t = line.trim_start();
        if let Some(d) = t.strip_prefix("///") {
            block.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            continue;
        }
        // An operation's method: its docs name the spec's operationId.
        let operation = block.iter().any(|d: &String| d.contains("operationId `"));
        if let Some(rest) = t.strip_prefix("pub fn ").filter(|_| operation) {
            let name = rest.split('(').next().unwrap_or_default();
            out.push_str(&format!("==== {name}\n{}\n\n", block.join("\n")));
        }
        block.clear();
    }
    insta::assert_snapshot!("bots_operation_docs", out);
}

#[test]
fn multipart_bodies_become_form_structs_with_file_parts() {
    let g = gen("multipart");
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let out = squash(&g.single_file());
    assert!(out.contains("pub use ::cliq_runtime::FilePart;"), "{out}");
    assert!(out.contains("pub struct UploadFileForm {"), "{out}");
    assert!(out.contains("pub file: FilePart,"), "{out}");
    assert!(
        out.contains("pub attachments: ::std::option::Option<::std::vec::Vec<FilePart>>,"),
        "{out}"
    );
    assert!(
        out.contains("form = form.file(\"file\", &body.file);"),
        "{out}"
    );
    assert!(
        out.contains("form = form.text(\"title\", &body.title);"),
        "{out}"
    );
    assert!(out.contains("form = form.json(\"meta\", value);"), "{out}");
    // A `$ref`'d body keeps its serde struct; the form is a struct of its own.
    assert!(out.contains("pub struct AvatarUpload {"), "{out}");
    assert!(
        out.contains("pub struct SetAvatarForm { /// Image: a file. pub image: FilePart,"),
        "{out}"
    );
    assert!(
        out.contains("body: ::std::option::Option<&types::SetAvatarForm>"),
        "{out}"
    );
}

#[test]
fn default_responses_are_successes_only_without_2xx() {
    let out = squash(&gen("default_responses").single_file());
    assert!(
        out.contains("Output = ::std::result::Result< types::Status, ::cliq_runtime::Error<errors::GetStatusErrorCode>, >"),
        "{out}"
    );
    assert!(
        out.contains("Output = ::std::result::Result< types::Job, ::cliq_runtime::Error<errors::StartJobErrorCode>, >"),
        "{out}"
    );
    assert!(
        out.contains("pub fn error_body( error: &::cliq_runtime::Error<Self>, ) -> ::std::option::Option<super::types::Problem> { let body = error.body()?; ::serde_json::from_str(body).ok() }"),
        "{out}"
    );
}

#[test]
fn error_bodies_by_status() {
    let out = squash(&gen("error_bodies").single_file());
    assert!(out.contains("pub enum PutThingErrorBody { /// HTTP 404. Status404(super::types::Problem), /// HTTP 409. Status409(super::types::PutThingError409), /// HTTP 4xx. Status4xx(super::types::Problem), }"), "{out}");
    assert!(
        out.contains(
            "400..=499 => { ::serde_json::from_str(body).ok().map(PutThingErrorBody::Status4xx) }"
        ),
        "{out}"
    );
    assert!(out.contains("match status { 404 | 410 => ::serde_json::from_str(body).ok(), _ => ::std::option::Option::None, }"), "{out}");
}

#[test]
fn discriminators_pick_the_alternative_by_tag() {
    let g = gen("discriminator");
    let out = squash(&g.single_file());
    assert!(
        out.contains("::std::option::Option::Some(\"dog\" | \"doggo\") => {"),
        "{out}"
    );
    assert!(
        out.contains("::std::option::Option::Some(\"cat\") => {"),
        "{out}"
    );
    assert!(
        out.contains("::std::option::Option::Some(\"Circle\") => {"),
        "{out}"
    );
    assert!(
        out.contains("::std::option::Option::Some(\"click\") => {"),
        "{out}"
    );
    assert!(out.contains("Neg(::std::boxed::Box<Neg>),"), "{out}");
    assert!(out.contains("map.entry(\"petType\")"), "{out}");
    // No tag for one alternative: untagged, with a warning.
    assert!(
        out.contains("#[serde(untagged)] #[allow(clippy::large_enum_variant)] pub enum Loose {"),
        "{out}"
    );
    let warnings = warnings_text(&g);
    assert!(
        warnings.contains("#/components/schemas/Loose/discriminator"),
        "{warnings}"
    );
    assert!(
        warnings.contains("#/components/schemas/Pet/discriminator/mapping/fish"),
        "{warnings}"
    );
}

#[test]
fn nullable_items_and_values_are_options() {
    let out = squash(&gen("nullable").single_file());
    assert!(
        out.contains(
            "pub scores: ::std::option::Option<::std::vec::Vec<::std::option::Option<i64>>>,"
        ),
        "{out}"
    );
    assert!(
        out.contains("pub deleted_at: ::std::option::Option<::std::string::String>,"),
        "{out}"
    );
    assert!(
        out.contains(
            "pub notes: ::std::option::Option<::std::vec::Vec<::std::option::Option<Note>>>,"
        ),
        "{out}"
    );
    assert!(
        out.contains("pub note: ::std::option::Option<Note>,"),
        "{out}"
    );
    assert!(
        out.contains(
            "::std::collections::BTreeMap< ::std::string::String, ::std::option::Option<f64>, >"
        ),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// References anywhere, other files.
// ---------------------------------------------------------------------------------------------

/// A value referred to by a pointer into another schema, a parameter, a header or a response
/// is one named type, used by the place it came from and by every reference.
#[test]
fn pointer_refs_share_one_type() {
    let out = squash(&gen("pointer_refs").single_file());
    for (ty, uses) in [
        ("PetAllOf0Owner", 2),
        ("PetAllOf0ToysItems", 2),
        ("PetAllOf1Tag", 2),
        ("XRate", 1),
        ("Limit", 2),
        ("PetsGetResponses200Page", 1),
    ] {
        assert_eq!(
            out.matches(&format!("pub struct {ty} {{")).count(),
            1,
            "{ty}: {out}"
        );
        assert!(
            out.matches(&format!("<{ty}>")).count() >= uses,
            "{ty} used fewer than {uses} times: {out}"
        );
    }
    // `~1`/`~0` escapes and percent-encoding name the components they spell.
    assert!(
        out.contains("pub weird: ::std::option::Option<ABC>"),
        "{out}"
    );
    assert!(
        out.contains("pub spaced: ::std::option::Option<WithSpace>"),
        "{out}"
    );
    // The response that refers to another operation's response schema returns its type.
    assert!(out.contains("types::PetsGetResponses200Page"), "{out}");
}

/// `load` reads every file a document's `$ref`s reach, once each, the root first.
#[test]
fn load_lists_every_file_read() {
    let root = spec_path("multi_file");
    let loaded = cliq_codegen::load(&root, |p| std::fs::read_to_string(p)).expect("loads");
    let dir = root.parent().expect("the fixture has a directory");
    let files: Vec<String> = loaded
        .files
        .iter()
        .map(|f| {
            f.strip_prefix(dir)
                .unwrap_or(f)
                .display()
                .to_string()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        files,
        [
            "openapi.yaml",
            "schemas/pet.yaml",
            "schemas/common/errors.yaml",
            "paths/pets.yaml",
            "parameters.yaml",
            "schemas/owner.json",
        ]
    );
    // The cycle across files (pet.yaml → owner.json → pet.yaml) is a cycle of components.
    let out = squash(&gen("multi_file").single_file());
    assert!(
        out.contains("pub owner: ::std::option::Option<Owner>"),
        "{out}"
    );
    assert!(
        out.contains("pub pets: ::std::option::Option<::std::vec::Vec<Pet>>"),
        "{out}"
    );
}

/// A remote reference is refused by name, where it is; so is a reference to another file
/// when the document was given as text.
#[test]
fn remote_and_file_refs_are_refused_with_their_pointer() {
    let text = "openapi: 3.0.3\ninfo: {title: R, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://example.com/s.yaml#/Pet'}\n    B: {$ref: 'b.yaml'}\n";
    let err = parse_spec(text).expect_err("refused").to_string();
    assert!(
        err.contains("error at #/components/schemas/A: `$ref: https://example.com/s.yaml#/Pet` is a remote reference, which is not fetched: download the file and refer to it by a relative path"),
        "{err}"
    );
    assert!(
        err.contains("error at #/components/schemas/B: `$ref: b.yaml` refers to another file: read the document with `cliq_codegen::load` (or `--spec` the root file), which follows references to other files"),
        "{err}"
    );
    let missing = cliq_codegen::load("root.yaml".as_ref(), |p| match p.to_str() {
        Some("root.yaml") => {
            Ok(text.replace("https://example.com/s.yaml#/Pet", "#/components/schemas/B"))
        }
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        )),
    })
    .expect_err("b.yaml is missing")
    .to_string();
    assert!(
        missing.contains(
            "error at #/components/schemas/B: `$ref: b.yaml`: cannot read b.yaml: no such file"
        ),
        "{missing}"
    );
}

/// `type: "null"` alternatives, 3.1's, are read in 3.0 documents too (real ones have them).
#[test]
fn null_alternatives_in_a_30_document_are_options() {
    let text = "openapi: 3.0.3\ninfo: {title: N, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [b]\n      properties:\n        b:\n          anyOf:\n            - {type: string}\n            - {type: 'null'}\n";
    let g = generate(&parse_spec(text).expect("parses"), &Settings::default()).expect("generates");
    assert_eq!(warnings_text(&g), "(no warnings)\n");
    let out = squash(&g.single_file());
    assert!(
        out.contains("pub b: ::std::option::Option<::std::string::String>"),
        "{out}"
    );
}
