//! The lowering state every part of lowering shares ([`Lowerer`]: the document, the
//! settings, the diagnostics and the types found so far) and the helpers they all use.

use crate::error::Diagnostic;
use crate::model::{Example, TypeDef};
use crate::naming::Scope;
use crate::settings::Settings;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr};
use std::collections::BTreeMap;

/// Escape one JSON pointer token.
pub(super) fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The state of one lowering run.
pub(super) struct Lowerer<'a> {
    pub(super) doc: &'a OpenAPI,
    pub(super) settings: &'a Settings,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) types: Vec<TypeDef>,
    pub(super) scope: Scope,
    /// `#/components/schemas/X` → Rust name.
    pub(super) component_names: BTreeMap<String, String>,
    pub(super) examples: Vec<Example>,
    /// (property or parameter name, values) → inline enum type already defined.
    pub(super) inline_enums: BTreeMap<(String, Vec<String>), String>,
    /// Shape (kind and docs) of each inline type → its name, to define each shape once.
    pub(super) inline_shapes: BTreeMap<String, String>,
    /// Pointers of `Settings::with_type_replacement` met so far.
    pub(super) replaced: std::collections::BTreeSet<String>,
}

impl Lowerer<'_> {
    pub(super) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(pointer, message));
    }

    pub(super) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(pointer, message));
    }
}

/// Follow `$ref`s to `#/components/<section>/…` until a definition: the definition and its
/// JSON pointer, or what went wrong.
pub(super) fn resolve_component<'d, T>(
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
