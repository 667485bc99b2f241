//! Parameters: `$ref` resolution, path-level parameters and their per-operation overrides.

use super::Lowerer;
use openapiv3::{Parameter, ReferenceOr};

impl Lowerer<'_> {
    pub(super) fn parameter<'p>(
        &mut self,
        p: &'p ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'p Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|n| self.doc.components.as_ref()?.parameters.get(n));
                match found {
                    Some(ReferenceOr::Item(_)) => {
                        self.error(pointer, format!("parameter `$ref: {reference}`: shared parameters are not supported yet"));
                        None
                    }
                    _ => {
                        self.error(
                            pointer,
                            format!("parameter `$ref: {reference}` does not resolve"),
                        );
                        None
                    }
                }
            }
        }
    }
}

pub(super) fn param_loc(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Path { .. } => "path",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}
