//! `openapiv3` document → [`Model`]. All `$ref` resolution, naming and validation happen here,
//! once. Problems are collected, never thrown: the caller sees every one of them together.

use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use crate::{Diagnostic, Settings};
use indexmap::IndexMap;

mod cliq;
mod operations;
mod params;
mod schemas;

use openapiv3::{OpenAPI, ReferenceOr};
use schemas::{box_recursive, break_alias_cycles};
use std::collections::BTreeMap;

/// Escape one JSON pointer token.
fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    settings: &'a Settings,
    diags: Vec<Diagnostic>,
    types: Vec<TypeDef>,
    scope: Scope,
    /// `#/components/schemas/X` → Rust name.
    component_names: BTreeMap<String, String>,
    examples: Vec<Example>,
    /// (property or parameter name, values) → inline enum type already defined.
    inline_enums: BTreeMap<(String, Vec<String>), String>,
    /// Shape (kind and docs) of each inline type → its name, to define each shape once.
    inline_shapes: BTreeMap<String, String>,
}

/// Lower a parsed document. Returns the model and every problem found (errors and warnings).
pub fn lower(doc: &OpenAPI, settings: &Settings) -> (Model, Vec<Diagnostic>) {
    let mut l = Lowerer {
        doc,
        settings,
        diags: Vec::new(),
        types: Vec::new(),
        scope: Scope::with_reserved(&[
            "Client", "Error", "Result", "Value", "Map", "Option", "String", "Vec", "Box",
            "FilePart",
        ]),
        component_names: BTreeMap::new(),
        examples: Vec::new(),
        inline_enums: BTreeMap::new(),
        inline_shapes: BTreeMap::new(),
    };
    // Reserve component names first so inline types never take them.
    if let Some(components) = &doc.components {
        for name in components.schemas.keys() {
            let rust = l.scope.unique(naming::type_name(name, "Schema"));
            l.component_names
                .insert(format!("#/components/schemas/{name}"), rust);
        }
        for (name, schema) in &components.schemas {
            let pointer = format!("#/components/schemas/{}", esc(name));
            let rust = l.component_names[&format!("#/components/schemas/{name}")].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = l.resolve_ref_type(reference, &pointer);
                    l.types.push(TypeDef {
                        name: rust,
                        origin: name.clone(),
                        pointer,
                        doc: None,
                        kind: TypeKind::Alias(target),
                    });
                }
                ReferenceOr::Item(schema) => {
                    if schema.schema_data.example.is_some() {
                        l.examples.push(Example {
                            pointer: format!("{pointer}/example"),
                            ty: TypeRef::Named(rust.clone()),
                        });
                    }
                    l.define(rust, name, schema, &pointer)
                }
            }
        }
    }
    let operations = l.operations();
    let handler_rules = l.handler_rules();
    let cycles = break_alias_cycles(&mut l.types);
    l.diags.extend(cycles);
    box_recursive(&mut l.types);
    let model = Model {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        doc: prose::doc_of(doc.info.description.as_deref()),
        types: l.types,
        operations,
        handler_rules,
        examples: l.examples,
        runtime_path: settings.runtime_path.clone(),
    };
    (model, l.diags)
}

impl Lowerer<'_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(pointer, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(pointer, message));
    }
}

/// Follow `$ref`s to `#/components/<section>/…` until a definition: the definition and its
/// JSON pointer, or what went wrong.
fn resolve_component<'d, T>(
    doc: &'d OpenAPI,
    item: &'d ReferenceOr<T>,
    pointer: &str,
    section: &str,
    get: impl Fn(&'d openapiv3::Components) -> &'d IndexMap<String, ReferenceOr<T>>,
) -> Result<(&'d T, String), String> {
    let mut current = item;
    let mut at = pointer.to_string();
    let prefix = format!("#/components/{section}/");
    let table = doc.components.as_ref().map(&get);
    for _ in 0..=table.map_or(0, IndexMap::len) {
        match current {
            ReferenceOr::Item(t) => return Ok((t, at)),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(&prefix);
                match name.and_then(|n| Some((n, table?.get(n)?))) {
                    Some((n, next)) => {
                        current = next;
                        at = format!("{prefix}{}", esc(n));
                    }
                    None => {
                        return Err(format!("`$ref: {reference}` does not resolve to {prefix}…"))
                    }
                }
            }
        }
    }
    Err(format!("`$ref`s under {prefix} form a cycle"))
}
