//! `generate_modules`: several documents → one crate, a module and a feature each; identical
//! schemas once, in `shared.rs`; different schemas of one name apart.

use cliq_codegen::{generate_modules, parse_spec, Error, ModuleSpec, Settings};

fn spec(title: &str, path: &str, op: &str, extra_field: &str) -> openapiv3::OpenAPI {
    let text = format!(
        r##"
openapi: 3.0.0
info: {{ title: {title}, version: "1" }}
paths:
  {path}:
    get:
      operationId: {op}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{ $ref: "#/components/schemas/Page" }}
components:
  schemas:
    Page:
      type: object
      properties:
        item: {{ $ref: "#/components/schemas/Item" }}
        kind: {{ $ref: "#/components/schemas/Kind" }}
    Item:
      type: object
      properties:
        id: {{ type: string }}
    Kind:
      type: object
      properties:
        {extra_field}: {{ type: string }}
"##
    );
    parse_spec(&text).unwrap()
}

#[test]
fn identical_schemas_are_shared_and_different_ones_stay_apart() {
    let a = spec("Alpha", "/a", "getA", "colour");
    let b = spec("Beta", "/b", "getB", "colour");
    let c = spec("Gamma", "/c", "getC", "shape");
    let specs = [
        ModuleSpec {
            name: "alpha".into(),
            doc: &a,
            source: "alpha.yml".into(),
        },
        ModuleSpec {
            name: "beta".into(),
            doc: &b,
            source: "beta.yml".into(),
        },
        ModuleSpec {
            name: "gamma".into(),
            doc: &c,
            source: "gamma.yml".into(),
        },
    ];
    let out = generate_modules("Three", &specs, &Settings::default()).unwrap();
    let names: Vec<&str> = out.files.keys().map(String::as_str).collect();
    for m in ["alpha", "beta", "gamma"] {
        for f in [
            "mod.rs",
            "types.rs",
            "errors.rs",
            "operations.rs",
            "client.rs",
        ] {
            assert!(
                names.contains(&format!("{m}/{f}").as_str()),
                "{m}/{f} in {names:?}"
            );
        }
    }
    // `Item` is one type for all three; `Kind` differs in gamma, so alpha and beta share
    // theirs and gamma keeps its own; `Page` names `Kind`, so it is shared by alpha and beta.
    assert_eq!(out.shared["Item"], ["alpha", "beta", "gamma"]);
    assert_eq!(out.shared["Kind"], ["alpha", "beta"]);
    let shared = &out.files["shared.rs"];
    assert!(
        shared.contains(r#"#[cfg(any(feature = "alpha", feature = "beta", feature = "gamma"))]"#),
        "{shared}"
    );
    assert!(out.files["alpha/types.rs"].contains("pub use crate::shared::Kind;"));
    assert!(out.files["gamma/types.rs"].contains("pub struct Kind {"));
    assert!(out.files["gamma/types.rs"].contains("pub use crate::shared::Item;"));
    let lib = &out.files["lib.rs"];
    for m in ["alpha", "beta", "gamma"] {
        assert!(
            lib.contains(&format!(
                "#[cfg(feature = \"{m}\")]\n#[rustfmt::skip]\npub mod {m};"
            )),
            "{lib}"
        );
        assert!(
            lib.contains(&format!("pub fn {m}(&self) -> &{m}::Client")),
            "{lib}"
        );
    }
    // One file for `include!`: every module inline, no crate-level inner attributes.
    let single = out.single_file();
    for m in ["alpha", "beta", "gamma"] {
        assert!(single.contains(&format!("pub mod {m} {{")), "{single}");
    }
    assert!(
        single.contains("pub mod types {") && single.contains("mod shared {"),
        "{single}"
    );
    assert!(
        !single.contains("#![recursion_limit") && !single.contains("compile_error!"),
        "{single}"
    );
    // Byte-identical on a second run.
    let again = generate_modules("Three", &specs, &Settings::default()).unwrap();
    assert_eq!(out.files, again.files);
}

#[test]
fn module_names_must_be_identifiers_and_distinct() {
    let a = spec("Alpha", "/a", "getA", "colour");
    for bad in ["Alpha", "two words", "shared", "9lives", "type"] {
        let specs = [ModuleSpec {
            name: bad.into(),
            doc: &a,
            source: "a.yml".into(),
        }];
        let err = generate_modules("X", &specs, &Settings::default()).unwrap_err();
        assert!(matches!(err, Error::Settings(_)), "{bad}: {err}");
    }
    let twice = [
        ModuleSpec {
            name: "a".into(),
            doc: &a,
            source: "a.yml".into(),
        },
        ModuleSpec {
            name: "a".into(),
            doc: &a,
            source: "b.yml".into(),
        },
    ];
    assert!(matches!(
        generate_modules("X", &twice, &Settings::default()),
        Err(Error::Settings(_))
    ));
}
