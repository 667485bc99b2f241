//! Handler sync: the handlers a [`Bot`] declares, pushed to Cliq through the generated
//! client, so the code is the single source of truth for what Cliq sends.
//!
//! [`handler_create`] and [`handler_edit`] build the `HandlerCreate`/`HandlerEdit` bodies
//! from a handler's [`HandlerMeta`] (type, permissions, menu name, icon, sub-actions).
//! [`sync_handlers`] creates or updates each handler:
//! - non-menu handlers: update (`PATCH …/handlers/{type}`); on `execution_handler_not_found`
//!   (or a 404), create;
//! - menu handlers: read the menu handler (`GET …/handlers/menu_handler`); when the returned
//!   variant has the same name, update it by `handler_id`, otherwise create. The API returns
//!   one variant per read, so a bot whose other menu variants were created elsewhere may get
//!   a new variant instead of an update; delete stale ones in Cliq.

use cliq_bots::types;
use cliq_runtime::ErrorCode;

use crate::bot::Bot;
use crate::config::HandlerConfig;
use crate::handler::HandlerMeta;

/// A handler sync step that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// A body could not be built (a generated type rejected the declared values).
    #[error("handler `{function}` ({kind}): cannot build the request body: {source}")]
    Body {
        /// The Rust function.
        function: &'static str,
        /// Handler type.
        kind: &'static str,
        /// Why.
        source: serde_json::Error,
    },
    /// Cliq refused or could not be reached.
    #[error("handler `{function}` ({kind}): {step} failed: {message}")]
    Api {
        /// The Rust function.
        function: &'static str,
        /// Handler type.
        kind: &'static str,
        /// `create`, `update` or `read`.
        step: &'static str,
        /// The runtime error, rendered.
        message: String,
    },
}

/// What a sync did, per handler function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncReport {
    /// Handlers created.
    pub created: Vec<&'static str>,
    /// Handlers updated.
    pub updated: Vec<&'static str>,
}

/// The `HandlerCreate` body for a declared handler (webhook bot: permissions, no script).
pub fn handler_create(meta: &HandlerMeta) -> Result<types::HandlerCreate, serde_json::Error> {
    HandlerConfig::from(meta).create_body()
}

/// The `HandlerEdit` body for a declared handler.
pub fn handler_edit(meta: &HandlerMeta) -> Result<types::HandlerEdit, serde_json::Error> {
    HandlerConfig::from(meta).edit_body()
}

fn api_error<E: ErrorCode>(
    meta: &HandlerMeta,
    step: &'static str,
    e: cliq_runtime::Error<E>,
) -> SyncError {
    SyncError::Api {
        function: meta.function,
        kind: meta.kind,
        step,
        message: e.to_string(),
    }
}

fn not_found<E: ErrorCode>(e: &cliq_runtime::Error<E>) -> bool {
    match e {
        cliq_runtime::Error::Api { status, code, .. } => {
            *status == 404
                || code
                    .as_ref()
                    .is_some_and(|c| c.as_str() == "execution_handler_not_found")
        }
        _ => false,
    }
}

/// Creates or updates every handler `bot` declares on the Cliq bot `bot_id`.
pub async fn sync_handlers<S>(
    client: &cliq_bots::Client,
    bot_id: &str,
    bot: &Bot<S>,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    for meta in bot.handlers() {
        let body_err = |source| SyncError::Body {
            function: meta.function,
            kind: meta.kind,
            source,
        };
        let create = handler_create(meta).map_err(body_err)?;
        let edit = handler_edit(meta).map_err(body_err)?;
        let handler_type = types::HandlerType::from(meta.kind);
        let mut params = types::UpdateAHandlerForABotParams::default();
        if meta.kind == crate::MENU {
            let read = client
                .get_details_of_a_specific_bot_handler(bot_id, &handler_type, &Default::default())
                .await;
            let existing = match read {
                Ok(details) => details
                    .data
                    .filter(|d| d.name.as_deref() == meta.name)
                    .and_then(|d| d.handler_id)
                    .and_then(|id| id.parse::<i64>().ok()),
                Err(e) if not_found(&e) => None,
                Err(e) => return Err(api_error(meta, "read", e)),
            };
            match existing {
                Some(id) => params.handler_id = Some(id),
                None => {
                    client
                        .create_a_handler_for_a_bot(bot_id, &create)
                        .await
                        .map_err(|e| api_error(meta, "create", e))?;
                    report.created.push(meta.function);
                    continue;
                }
            }
        }
        match client
            .update_a_handler_for_a_bot(bot_id, &handler_type, &params, &edit)
            .await
        {
            Ok(_) => report.updated.push(meta.function),
            Err(e) if not_found(&e) && meta.kind != crate::MENU => {
                client
                    .create_a_handler_for_a_bot(bot_id, &create)
                    .await
                    .map_err(|e| api_error(meta, "create", e))?;
                report.created.push(meta.function);
            }
            Err(e) => return Err(api_error(meta, "update", e)),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MENU_META: HandlerMeta = HandlerMeta {
        kind: "menu_handler",
        permissions: &["chat", "user"],
        name: Some("Deploy"),
        icon: Some("wand/FF5733"),
        sub_actions: &["Staging", "Production"],
        function: "deploy",
    };

    #[test]
    fn create_body_carries_the_declaration() {
        let body = serde_json::to_value(handler_create(&MENU_META).unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"type": "menu_handler", "permissions": ["chat", "user"], "name": "Deploy",
                   "icon": "wand/FF5733", "sub_actions": [{"name": "Staging"}, {"name": "Production"}]})
        );
        let edit = serde_json::to_value(handler_edit(&MENU_META).unwrap()).unwrap();
        assert_eq!(edit.get("type"), None);
        assert_eq!(edit["permissions"], json!(["chat", "user"]));
    }

    #[test]
    fn every_rule_and_permission_fits_the_generated_types() {
        for rule in crate::rules::HANDLERS {
            let meta = HandlerMeta {
                kind: rule.handler_type,
                permissions: rule.permissions,
                name: None,
                icon: None,
                sub_actions: &[],
                function: "f",
            };
            let body = serde_json::to_value(handler_create(&meta).unwrap()).unwrap();
            assert_eq!(body["type"], rule.handler_type);
            assert_eq!(body["permissions"], json!(rule.permissions));
        }
    }
}
