//! `Settings::with_type_replacement`: an inline schema typed by an existing Rust type.

use cliq_codegen::{generate, parse_spec, Settings};

const SPEC: &str = r#"
openapi: 3.0.0
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Msg:
      type: object
      properties:
        card: {type: object, properties: {title: {type: string}}}
        buttons: {type: array, items: {type: object, properties: {label: {type: string}}}}
        poll: {$ref: '#/components/schemas/Poll'}
    Poll:
      description: A poll card.
      type: object
      properties:
        options: {type: array, items: {$ref: '#/components/schemas/PollOption'}}
    PollOption:
      type: object
      properties: {text: {type: string}}
"#;

fn types(settings: &Settings) -> (String, Vec<String>) {
    let doc = parse_spec(SPEC).expect("parses");
    let g = generate(&doc, settings).expect("generates");
    let types = g
        .files
        .iter()
        .find(|(n, _)| n.as_str() == "types.rs")
        .map(|(_, t)| t.clone());
    (
        types.expect("types.rs"),
        g.warnings.iter().map(|w| w.to_string()).collect(),
    )
}

#[test]
fn replaced_schemas_use_the_given_type_and_generate_nothing() {
    let mut s = Settings::default();
    s.with_type_replacement(
        "#/components/schemas/Msg/properties/card",
        "::my_crate::Card",
    )
    .with_type_replacement(
        "#/components/schemas/Msg/properties/buttons/items",
        "::my_crate::Button",
    );
    let (types, warnings) = types(&s);
    assert!(
        types.contains("::std::option::Option<::my_crate::Card>"),
        "{types}"
    );
    assert!(
        types.contains("::std::vec::Vec<::my_crate::Button>"),
        "{types}"
    );
    assert!(!types.contains("pub struct MsgCard"), "{types}");
    assert!(!types.contains("pub struct MsgButtonsItem"), "{types}");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_replaced_component_is_an_alias_its_references_use() {
    let mut s = Settings::default();
    s.with_type_replacement("#/components/schemas/Poll", "::my_crate::Card");
    let (types, warnings) = types(&s);
    assert!(
        types.contains("pub type Poll = ::my_crate::Card;"),
        "{types}"
    );
    assert!(
        types.contains("pub poll: ::std::option::Option<Poll>"),
        "{types}"
    );
    // Nothing of the replaced schema is generated (its options' type is still a component
    // of its own, as written in the spec).
    assert!(!types.contains("pub struct Poll "), "{types}");
    assert!(!types.contains("PollOptionsItem"), "{types}");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn an_unused_replacement_is_a_warning_and_a_bad_type_an_error() {
    let mut s = Settings::default();
    s.with_type_replacement("#/components/schemas/Msg/properties/nothing", "::x::Y");
    let (_, warnings) = types(&s);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("properties/nothing") && w.contains("unused")),
        "{warnings:?}"
    );

    let mut s = Settings::default();
    s.with_type_replacement("#/components/schemas/Msg/properties/card", "not a type!");
    let doc = parse_spec(SPEC).expect("parses");
    let err = generate(&doc, &s).expect_err("refused").to_string();
    assert!(err.contains("not a Rust type"), "{err}");
}
