//! `openapiv3` document → [`Model`]. All `$ref` resolution, naming and validation happen here,
//! once. Problems are collected, never thrown: the caller sees every one of them together.

use crate::error::Diagnostic;
use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use crate::settings::Settings;

mod cliq;
mod lowerer;
mod operations;
mod params;
mod schemas;

use lowerer::{esc, Lowerer};
use openapiv3::{OpenAPI, ReferenceOr};
use schemas::{box_recursive, break_alias_cycles};
use std::collections::BTreeMap;

/// The warning for a `Settings::with_type_replacement` pointer no schema is at.
pub(crate) const UNUSED_REPLACEMENT: &str =
    "a type replacement names this pointer, but no schema is there; it is unused";

/// Lower a parsed document. Returns the model and every problem found (errors and warnings).
pub fn lower(doc: &OpenAPI, settings: &Settings) -> (Model, Vec<Diagnostic>) {
    let mut l = Lowerer {
        doc,
        settings,
        // What the loader changed to read the document (numbers, 3.1 keywords).
        diags: crate::load::warnings(doc),
        types: Vec::new(),
        scope: Scope::with_reserved(&[
            "Client", "Error", "Result", "Value", "Map", "Option", "String", "Vec", "Box",
            "FilePart",
        ]),
        component_names: BTreeMap::new(),
        examples: Vec::new(),
        inline_enums: BTreeMap::new(),
        inline_shapes: BTreeMap::new(),
        replaced: Default::default(),
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
                // A component replaced by a type of another crate stays a name (an alias of
                // that type), so its references and docs keep working.
                ReferenceOr::Item(schema) if settings.type_replacements.contains_key(&pointer) => {
                    let target = l.type_of_named(schema, name, None, &pointer);
                    let replacement = settings.type_replacements[&pointer].as_str();
                    l.types.push(TypeDef {
                        name: rust,
                        origin: name.clone(),
                        doc: Some(format!(
                            "The spec's `{name}`, typed by `{}` instead of generated.",
                            replacement.trim_start_matches("::")
                        )),
                        pointer,
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
    for pointer in settings.type_replacements.keys() {
        if !l.replaced.contains(pointer) {
            l.warn(pointer, UNUSED_REPLACEMENT);
        }
    }
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
