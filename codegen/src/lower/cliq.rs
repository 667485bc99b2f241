//! Zoho Cliq's conventions: facts written in descriptions (error codes, rate limits), the
//! handler permissions table and limits of the Bots spec.

use super::lowerer::{esc, Lowerer};
use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use openapiv3::{ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

impl Lowerer<'_> {
    /// Facts Zoho writes in an operation's description (`prose::describe`): the "Possible Error
    /// Codes" table, given Rust variant names here, and the "Threshold limit" / "Lock period" rate
    /// limit.
    pub(super) fn prose_facts(
        &mut self,
        codes: Vec<ErrorCodeDoc>,
        rate_limit: Option<RateLimitDoc>,
    ) -> (Vec<(String, ErrorCodeDoc)>, Option<RateLimitDoc>) {
        let mut vscope = Scope::with_reserved(&["Other"]);
        let error_codes = codes
            .into_iter()
            .map(|c| (vscope.unique(naming::type_name(&c.code, "Code")), c))
            .collect();
        (error_codes, rate_limit)
    }

    /// Extract handler rules when the document has handler operations
    /// (`/{component}/{ID}/handlers/{…HANDLER_TYPE}`) whose handler-type parameter is a string
    /// enum (inline, as the Bots spec has it, or a `$ref`), and the permissions of each type:
    /// the "Permissions availability per/by handler type" table, or, where the document has
    /// none (message actions), the values of its handler schema's `permissions` enum, which
    /// its prose says every handler type may request.
    pub(super) fn handler_rules(&mut self) -> Option<HandlerRules> {
        let doc = self.doc;
        let mut found: Option<(String, Vec<String>, String)> = None;
        let mut table = None;
        let mut table_ptr = String::new();
        for (path, item) in doc.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                for p in item.parameters.iter().chain(&op.parameters) {
                    let ReferenceOr::Item(p) = p else { continue };
                    let d = p.parameter_data_ref();
                    if found.is_some() || !d.name.ends_with("HANDLER_TYPE") {
                        continue;
                    }
                    let ParameterSchemaOrContent::Schema(schema) = &d.format else {
                        continue;
                    };
                    let schema = match schema {
                        ReferenceOr::Item(s) => Some(s),
                        ReferenceOr::Reference { reference } => self.component_schema(reference),
                    };
                    if let Some(SchemaKind::Type(Type::String(st))) = schema.map(|s| &s.schema_kind)
                    {
                        let values: Vec<String> =
                            st.enumeration.iter().flatten().cloned().collect();
                        let segment = path.trim_start_matches('/').split('/').next().unwrap_or("");
                        if !values.is_empty() && !segment.is_empty() {
                            let mut enum_doc = d.description.clone().unwrap_or_default();
                            if let Some(s) = schema.and_then(|s| s.schema_data.description.as_ref())
                            {
                                enum_doc.push('\n');
                                enum_doc.push_str(s);
                            }
                            found = Some((segment.to_owned(), values, enum_doc));
                        }
                    }
                }
                if table.is_none() {
                    if let Some(t) = op.description.as_deref().and_then(prose::permissions_table) {
                        table = Some(t);
                        table_ptr = format!("#/paths/{}/{method}/description", esc(path));
                    }
                }
            }
        }
        let (segment, values, enum_doc) = found?;
        let component = component_name(&segment);
        let (perms, rows, permissions_source) = match table {
            Some((perms, rows)) => (
                perms,
                rows,
                PermissionsSource::Table {
                    pointer: table_ptr.clone(),
                },
            ),
            None => {
                let (pointer, perms) = self.permissions_enum()?;
                let rows = values.iter().map(|v| (v.clone(), perms.clone())).collect();
                (perms, rows, PermissionsSource::SchemaEnum { pointer })
            }
        };
        let mut handlers = Vec::new();
        let mut used_rows = BTreeSet::new();
        for name in &values {
            // The table may use another name for the type (`alert_handler` for `call_handler`).
            let row = rows.iter().find(|(r, _)| r == name).or_else(|| {
                rows.iter().find(|(r, _)| {
                    HANDLER_TYPE_ALIASES.iter().any(|(c, alias, target)| {
                        *c == component.wire && alias == r && target == name
                    })
                })
            });
            match row {
                Some((table_name, allowed)) => {
                    used_rows.insert(table_name.clone());
                    handlers.push(HandlerRule { handler_type: name.clone(), table_name: table_name.clone(), permissions: allowed.clone(), description: value_description(&enum_doc, name) });
                }
                None => self.warn(&table_ptr, format!("handler type `{name}` has no row in the permissions table; it may request no permissions")),
            }
        }
        for (r, _) in &rows {
            if !used_rows.contains(r) {
                self.warn(
                    &table_ptr,
                    format!("permissions table row `{r}` matches no handler type value; ignored"),
                );
            }
        }
        // Documented limits: from the HandlerCreate schema where it says them.
        let handler_create = self.component_schema("#/components/schemas/HandlerCreate");
        let prop = |name: &str| -> Option<&Schema> {
            let SchemaKind::Type(Type::Object(o)) = &handler_create?.schema_kind else {
                return None;
            };
            match o.properties.get(name)? {
                ReferenceOr::Item(s) => Some(s.as_ref()),
                ReferenceOr::Reference { reference } => self.component_schema(reference),
            }
        };
        let max_items = |s: Option<&Schema>| match s.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Array(a))) => a.max_items,
            _ => None,
        };
        let max_len = |s: Option<&Schema>| match s.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::String(st))) => st.max_length,
            _ => None,
        };
        let sub_action_name_max = prop("sub_actions").and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::Array(a)) => match a.items.as_ref()? {
                ReferenceOr::Item(i) => max_len(Some(i)),
                ReferenceOr::Reference { reference } => max_len(self.component_schema(reference)),
            },
            _ => None,
        });
        Some(HandlerRules {
            component,
            permissions_source,
            permissions: perms,
            handlers,
            max_permissions: max_items(prop("permissions")).unwrap_or(5),
            menu_name_max_chars: max_len(prop("name")).unwrap_or(15),
            menu_sub_actions_max: max_items(prop("sub_actions")).unwrap_or(5),
            menu_sub_action_name_max_chars: sub_action_name_max.unwrap_or(15),
            menu_actions_per_bot_max: 5,
        })
    }
}

/// `name: text` (or `name - text`, `name (text)`) from an "Allowed values" list in a
/// parameter or schema description, HTML or plain.
fn value_description(doc: &str, name: &str) -> Option<String> {
    let plain = prose::markup_to_plain(doc);
    plain.lines().find_map(|l| {
        let l = l
            .trim()
            .trim_start_matches(['-', '*', ' '])
            .replace('`', "");
        let rest = l.strip_prefix(name)?.trim_start();
        let text = rest
            .strip_prefix(':')
            .or_else(|| rest.strip_prefix('-'))
            .or_else(|| rest.strip_prefix('(').map(|r| r.trim_end_matches(')')))?
            .trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}

/// The component of a handler path's first segment (`messageactions`): the wire name is its
/// singular, the Rust name that or its [`COMPONENT_NAMES`] entry.
fn component_name(segment: &str) -> ComponentName {
    let wire = segment.strip_suffix('s').unwrap_or(segment).to_owned();
    let name = COMPONENT_NAMES
        .iter()
        .find(|(w, _)| *w == wire)
        .map_or_else(|| wire.clone(), |(_, n)| (*n).to_owned());
    ComponentName {
        api_path: segment.to_owned(),
        wire,
        name,
    }
}

impl Lowerer<'_> {
    /// The first component schema (document order) with a `permissions` array property whose
    /// items are a string enum: its pointer and values.
    fn permissions_enum(&self) -> Option<(String, Vec<String>)> {
        let schemas = &self.doc.components.as_ref()?.schemas;
        schemas.iter().find_map(|(name, s)| {
            let ReferenceOr::Item(s) = s else { return None };
            let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
                return None;
            };
            let ReferenceOr::Item(p) = o.properties.get("permissions")? else {
                return None;
            };
            let SchemaKind::Type(Type::Array(a)) = &p.schema_kind else {
                return None;
            };
            let ReferenceOr::Item(items) = a.items.as_ref()? else {
                return None;
            };
            let SchemaKind::Type(Type::String(st)) = &items.schema_kind else {
                return None;
            };
            let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
            (!values.is_empty()).then(|| {
                (
                    format!(
                        "#/components/schemas/{}/properties/permissions/items/enum",
                        esc(name)
                    ),
                    values,
                )
            })
        })
    }
}
