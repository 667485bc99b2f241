//! Parameters: `$ref` resolution, path-level parameters and their per-operation overrides,
//! path/query/header/cookie placement, and the path template's placeholders.

use super::lowerer::{esc, Lowerer};
use crate::model::{Param, ParamLocation, TypeRef};
use crate::naming::{self, Scope};
use crate::path_template::{self, Segment};
use crate::prose;
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

/// The parameters of one operation, placed.
pub(super) struct OpParams {
    /// Path parameters in template order (undeclared placeholders included, as `&str`).
    pub path: Vec<Param>,
    /// Query, header and cookie parameters.
    pub other: Vec<Param>,
    /// The parsed path template.
    pub segments: Vec<Segment>,
}

/// Headers OpenAPI says a parameter definition must not describe (they are ignored).
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

impl Lowerer<'_> {
    /// Resolve a parameter (following `$ref`s to `#/components/parameters`), with the pointer
    /// of the definition that was used. `None` (after a diagnostic) when it does not resolve.
    pub(super) fn parameter(
        &mut self,
        p: &ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<(Parameter, String)> {
        let doc = self.doc;
        let mut current = p;
        let mut at = pointer.to_string();
        // A chain longer than the number of shared parameters is a cycle.
        let limit = self
            .doc
            .components
            .as_ref()
            .map_or(0, |c| c.parameters.len())
            + 1;
        for _ in 0..=limit {
            match current {
                ReferenceOr::Item(p) => return Some((p.clone(), at)),
                ReferenceOr::Reference { reference } => {
                    let found = reference
                        .strip_prefix("#/components/parameters/")
                        .and_then(|n| Some((n, doc.components.as_ref()?.parameters.get(n)?)));
                    match found {
                        Some((name, next)) => {
                            current = next;
                            at = format!("#/components/parameters/{}", esc(name));
                        }
                        None => {
                            self.warn(
                                pointer,
                                format!("parameter `$ref: {reference}` does not resolve to #/components/parameters; operation skipped"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        self.warn(pointer, "parameter `$ref`s form a cycle; operation skipped");
        None
    }

    /// Every parameter of an operation: path-item level first, overridden by operation level
    /// parameters of the same name and location. `None` when the operation must be skipped
    /// (a diagnostic says why).
    pub(super) fn operation_params(
        &mut self,
        path: &str,
        item_ptr: &str,
        shared: &[ReferenceOr<Parameter>],
        op: &openapiv3::Operation,
        ptr: &str,
        pascal: &str,
    ) -> Option<OpParams> {
        let mut params: IndexMap<(String, ParamLocation), (Parameter, String)> = IndexMap::new();
        let mut ok = true;
        let levels = [
            (shared, format!("{item_ptr}/parameters")),
            (op.parameters.as_slice(), format!("{ptr}/parameters")),
        ];
        for (list, base) in &levels {
            for (i, p) in list.iter().enumerate() {
                match self.parameter(p, &format!("{base}/{i}")) {
                    Some((p, at)) => {
                        let key = (p.parameter_data_ref().name.clone(), param_loc(&p));
                        params.insert(key, (p, at));
                    }
                    None => ok = false,
                }
            }
        }
        let mut segments = match path_template::parse(path) {
            Ok(s) => s,
            Err(e) => {
                self.warn(ptr, format!("{e}; operation skipped"));
                return None;
            }
        };
        // A query written into the path (`/pin-messages?primary=true`, Zoho's way of telling
        // two operations on one path apart) names a declared query parameter: the parameter
        // carries it, else the client would send it twice (`primary=true&primary=true`).
        if let Some(Segment::Literal(last)) = segments.last_mut() {
            if let Some((before, query)) = last.split_once('?') {
                let declared = |pair: &&str| {
                    let key = pair.split('=').next().unwrap_or_default();
                    params.contains_key(&(key.to_string(), ParamLocation::Query))
                };
                let (dropped, kept): (Vec<&str>, Vec<&str>) = query
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .partition(declared);
                if !dropped.is_empty() {
                    self.warn(
                        ptr,
                        format!(
                            "the path's query `{}` names a declared query parameter; the parameter sends it",
                            dropped.join("&")
                        ),
                    );
                    *last = if kept.is_empty() {
                        before.to_string()
                    } else {
                        format!("{before}?{}", kept.join("&"))
                    };
                }
            }
        }
        if !ok {
            return None;
        }
        let mut arg_scope = Scope::with_reserved(&["self", "body", "params"]);
        let mut field_scope = Scope::default();
        let mut path_params = Vec::new();
        let mut other = Vec::new();
        for ((name, loc), (p, pp)) in &params {
            let data = p.parameter_data_ref();
            if *loc == ParamLocation::Header
                && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            {
                self.warn(
                    pp,
                    format!("header parameter `{name}` is ignored, as OpenAPI requires; the client sets it"),
                );
                continue;
            }
            let hint = format!("{pascal}{}", naming::type_name(name, "Param"));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                    self.type_of_named(s, &hint, Some(name), &format!("{pp}/schema"))
                }
                ParameterSchemaOrContent::Schema(s) => {
                    self.schema_ref_type(s, &hint, &format!("{pp}/schema"))
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(
                        &format!("{pp}/content"),
                        "parameter with `content` is typed as String",
                    );
                    TypeRef::String
                }
            };
            let doc = prose::doc_of(data.description.as_deref());
            let (rust_name, custom, required) = match loc {
                ParamLocation::Path => (
                    arg_scope.unique(naming::value_name(name)),
                    self.settings.path_param_types.get(name).cloned(),
                    true,
                ),
                _ => (
                    field_scope.unique(naming::value_name(name)),
                    None,
                    data.required,
                ),
            };
            let param = Param {
                location: *loc,
                rust_name,
                wire_name: name.clone(),
                ty,
                custom,
                required,
                doc,
            };
            match loc {
                ParamLocation::Path => path_params.push((param, pp.clone())),
                _ => other.push(param),
            }
        }
        // Path parameters in template order; a placeholder nobody declared is a `&str`.
        let mut ordered = Vec::new();
        for s in &segments {
            let Segment::Param(ph) = s else { continue };
            match path_params.iter().position(|(p, _)| &p.wire_name == ph) {
                Some(i) => ordered.push(path_params.remove(i).0),
                None if ordered.iter().any(|p: &Param| &p.wire_name == ph) => {}
                None => {
                    self.warn(
                        ptr,
                        format!("path placeholder `{{{ph}}}` has no `in: path` parameter; it is a `&str` argument"),
                    );
                    ordered.push(Param {
                        location: ParamLocation::Path,
                        rust_name: arg_scope.unique(naming::value_name(ph)),
                        wire_name: ph.clone(),
                        ty: TypeRef::String,
                        custom: self.settings.path_param_types.get(ph).cloned(),
                        required: true,
                        doc: None,
                    });
                }
            }
        }
        for (extra, pp) in path_params {
            self.warn(
                &pp,
                format!(
                    "path parameter `{}` does not appear in the path template; ignored",
                    extra.wire_name
                ),
            );
        }
        Some(OpParams {
            path: ordered,
            other,
            segments,
        })
    }
}

pub(super) fn param_loc(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}
