//! A spec taken through realistic edits, and the changelog `cliq_codegen::surface` writes for
//! each (snapshots in `tests/snapshots/spec_changes__*.snap`; to update them run
//! `INSTA_UPDATE=always cargo test -p cliq-codegen --test spec_changes` and review the diff).

use cliq_codegen::surface::{diff, Changelog, Surface};
use cliq_codegen::{generate, parse_spec, Settings};

const BASE: &str = include_str!("spec_changes/base.yaml");

fn surface(text: &str) -> Surface {
    let doc = parse_spec(text).unwrap_or_else(|e| panic!("the edited spec does not parse: {e}"));
    let generated = generate(&doc, &Settings::default())
        .unwrap_or_else(|e| panic!("the edited spec does not generate: {e}"));
    Surface::single("bots", generated.surface)
}

/// `BASE` with each `(from, to)` replaced, each exactly once.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` is not in the spec once"
        );
        text = text.replace(from, to);
    }
    text
}

/// The changelog from `BASE` to the edited spec, for a crate at 0.2.0.
fn changelog(edits: &[(&str, &str)]) -> Changelog {
    Changelog::new(diff(&surface(BASE), &surface(&edit(edits))))
}

#[test]
fn an_unchanged_spec_changes_nothing() {
    let log = changelog(&[]);
    assert!(log.is_empty());
    assert_eq!(log.summary("0.2.0"), "no change to the public surface");
}

#[test]
fn an_operation_added() {
    let log = changelog(&[(
        "components:\n",
        "    delete:
      operationId: delete_bot
      summary: Delete a bot
      parameters:
        - name: bot_unique_name
          in: path
          required: true
          schema: {type: string}
      responses:
        '204': {description: Deleted.}
components:\n",
    )]);
    assert!(!log.is_breaking());
    insta::assert_snapshot!(log.markdown("0.2.0"));
}

#[test]
fn a_field_removed() {
    let log = changelog(&[(
        "        unique_name: {type: string}\n        description: {type: string}\n",
        "        unique_name: {type: string}\n",
    )]);
    assert!(log.is_breaking());
    insta::assert_snapshot!(log.markdown("0.2.0"));
}

#[test]
fn a_field_made_required() {
    let log = changelog(&[("required: [name]", "required: [name, description]")]);
    assert!(log.is_breaking());
    insta::assert_snapshot!(log.markdown("0.2.0"));
}

#[test]
fn an_enum_value_added() {
    let log = changelog(&[(
        "enum: [personal, organization]",
        "enum: [personal, organization, team]",
    )]);
    assert!(log.is_breaking());
    insta::assert_snapshot!(log.markdown("0.2.0"));
}

#[test]
fn a_type_changed() {
    let log = changelog(&[(
        "subscribers_count: {type: integer}",
        "subscribers_count: {type: string}",
    )]);
    assert!(log.is_breaking());
    insta::assert_snapshot!(log.markdown("0.2.0"));
}

#[test]
fn an_operation_removed() {
    let start = BASE
        .find("  /bots/{bot_unique_name}:")
        .expect("the path is in the spec");
    let end = BASE
        .find("components:")
        .expect("components are in the spec");
    let log = changelog(&[(&BASE[start..end], "")]);
    assert!(log.is_breaking());
    insta::assert_snapshot!(log.markdown("0.2.0"));
}

#[test]
fn an_optional_query_parameter_and_a_new_version() {
    let log = changelog(&[
        ("version: 3.0.0", "version: 3.1.0"),
        (
            "          schema: {type: integer}\n      responses:",
            "          schema: {type: integer}\n        - name: next_token\n          in: query\n          schema: {type: string}\n      responses:",
        ),
    ]);
    assert!(!log.is_breaking());
    insta::assert_snapshot!(log.markdown("1.3.0"));
}

#[test]
fn the_surface_file_is_deterministic_and_reads_back() {
    let a = surface(BASE);
    let json = a.to_json("cargo xtask codegen");
    assert_eq!(json, surface(BASE).to_json("cargo xtask codegen"));
    assert_eq!(Surface::from_json(&json).as_ref(), Ok(&a));
}

/// The example in README.md's "When Zoho updates a spec" is what the tool writes for its edit
/// of `spec/bots.yaml`.
#[test]
fn the_readme_example_is_the_tools_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("cannot read {p}: {e}"))
    };
    let spec = read("spec/bots.yaml");
    // A new execution type, and the execution type made required, in `BotCreate`.
    let from = "      required:\n        - name\n        - description\n      properties:\n        execution_type:\n          type: string\n          enum:\n            - deluge\n            - webhook\n";
    let to = "      required:\n        - name\n        - description\n        - execution_type\n      properties:\n        execution_type:\n          type: string\n          enum:\n            - deluge\n            - webhook\n            - catalyst\n";
    assert_eq!(
        spec.matches(from).count(),
        1,
        "`{from}` is not in spec/bots.yaml once"
    );
    let edited = spec.replace(from, to);
    let entry = Changelog::new(diff(&surface(&spec), &surface(&edited))).entry("0.2.0");
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("```text\n{entry}```")),
        "README.md's example changelog is not what the tool writes now:\n{entry}"
    );
}
