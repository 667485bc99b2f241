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

    /// Extract handler rules when the document has a `HANDLER_TYPE` enum and the permissions
    /// table (the Bots spec).
    pub(super) fn handler_rules(&mut self) -> Option<HandlerRules> {
        let doc = self.doc;
        let mut enum_values: Option<Vec<String>> = None;
        let mut enum_doc = String::new();
        let mut table = None;
        let mut table_ptr = String::new();
        for (path, item) in doc.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                for p in &op.parameters {
                    if let ReferenceOr::Item(p) = p {
                        let d = p.parameter_data_ref();
                        if d.name == "HANDLER_TYPE" && enum_values.is_none() {
                            if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) =
                                &d.format
                            {
                                if let SchemaKind::Type(Type::String(st)) = &s.schema_kind {
                                    enum_values =
                                        Some(st.enumeration.iter().flatten().cloned().collect());
                                    enum_doc = d.description.clone().unwrap_or_default();
                                }
                            }
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
        let (perms, rows) = table?;
        let Some(values) = enum_values else {
            self.warn(
                &table_ptr,
                "permissions table found but no HANDLER_TYPE enum; handler rules not generated",
            );
            return None;
        };
        let mut handlers = Vec::new();
        let mut used_rows = BTreeSet::new();
        for name in &values {
            // The table may use another name for the type (`alert_handler` for `call_handler`).
            let row = rows.iter().find(|(r, _)| r == name).or_else(|| {
                rows.iter().find(|(r, _)| {
                    HANDLER_TYPE_ALIASES
                        .iter()
                        .any(|(alias, target)| alias == r && target == name)
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
                    format!("permissions table row `{r}` matches no HANDLER_TYPE value; ignored"),
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

/// `name: text` from an "Allowed values" list in a parameter description.
fn value_description(doc: &str, name: &str) -> Option<String> {
    doc.lines().find_map(|l| {
        let text = l.trim().strip_prefix(name)?.strip_prefix(':')?.trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}
