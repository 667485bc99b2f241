//! Drift of slash commands, message actions and functions: what the code declares
//! ([`ComponentConfig`]s of `--print-config`) against what Cliq has, read and written through
//! the generated v3 clients (`cliq-api`'s `slashcommands`, `messageactions` and `functions`).
//!
//! **Which components are the app's.** A declared component is matched by kind and name
//! (case-insensitively). Cliq's other components are the app's only when they are webhook
//! components whose `execution_url` is the app's (`--execution-url`): those the code does not
//! declare are deleted by a push; without the URL, none is (an organization's commands are not
//! all this app's). Created components get that URL and `execution_type: webhook`; a declared
//! component at another URL is moved to it.
//!
//! **What is compared.** Per component, its handlers (by type) and each handler's permissions
//! as a set, and its execution URL when one is given and Cliq reports one. Cliq's side: the
//! list call (`GET /commands`, `/messageactions`, `/functions`, every page) gives each
//! component's id, name, execution type and handler types, and its URL (when the list leaves a
//! webhook component's out, `GET …/{id}` gives it); the handler call
//! (`GET …/{id}/handlers/{type}`) its permissions (the `permissions` array, else the
//! permission names among its `params`).
//!
//! **What a create sends.** A command: `name`, `hint` (the name), `scope` (`--scope`),
//! `execution_type: webhook`, `execution_url`. A message action: the same without `hint`'s
//! requirement (it is sent too). A function: `name`, `description`, `function_type` (from its
//! handlers: `widget_button` with a widget button handler, `form` with any form handler,
//! otherwise `button`), `execution_type`, `execution_url`. Then each declared handler's
//! permissions: edited when the created component already has that handler (Cliq creates a
//! command's and message action's execution handler with it), created otherwise. Message
//! actions have one handler, edited only (their API has no handler create or delete).

use std::fmt;

use cliq_api::{functions, messageactions, slashcommands};
use cliq_webhook::config::{ComponentConfig, HandlerConfig};
use cliq_webhook::rules::{Component, HandlerKind, Permission};
use serde_json::Value;

/// The scope of a created command or message action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// Only the token's user.
    Personal,
    /// Everyone in the organization.
    Organization,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Personal => "personal",
            Scope::Organization => "organization",
        }
    }
}

/// The generated clients of the three components, over one runtime client.
pub struct Clients {
    commands: slashcommands::Client,
    message_actions: messageactions::Client,
    functions: functions::Client,
}

impl Clients {
    /// The three clients, sharing `runtime`'s credentials and limiter.
    pub fn new(runtime: cliq_runtime::Client) -> Clients {
        Clients {
            commands: slashcommands::Client::new(runtime.clone()),
            message_actions: messageactions::Client::new(runtime.clone()),
            functions: functions::Client::new(runtime),
        }
    }
}

/// A component as Cliq has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveComponent {
    /// Its configuration, canonicalized.
    pub config: ComponentConfig,
    /// Cliq's id.
    pub id: String,
    /// Its `execution_url`, when Cliq reports one.
    pub execution_url: Option<String>,
}

/// One handler step inside an edited component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerChange {
    /// Declared, not in Cliq.
    Create(HandlerConfig),
    /// In both, different.
    Update {
        /// What the code declares.
        declared: HandlerConfig,
        /// What Cliq has.
        live: HandlerConfig,
    },
    /// In Cliq, not declared.
    Delete(HandlerConfig),
}

/// One step that makes Cliq's components match the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentChange {
    /// Declared, not in Cliq: create it and its handlers.
    Create(ComponentConfig),
    /// In both, different.
    Update {
        /// What the code declares.
        declared: ComponentConfig,
        /// What Cliq has.
        live: LiveComponent,
        /// The execution URL to set, when it differs.
        url: Option<String>,
        /// The handler steps.
        handlers: Vec<HandlerChange>,
    },
    /// At the app's URL, not declared: delete it.
    Delete(LiveComponent),
}

impl fmt::Display for ComponentChange {
    /// One line: `+ command "deploy": execution_handler (permissions [user])`,
    /// `~ function "approve": + form_submit_handler (permissions [user]); execution_url a → b`,
    /// `- message_action "translate": …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComponentChange::Create(c) => write!(f, "+ {}: {}", c.label(), c.describe()),
            ComponentChange::Update {
                declared,
                live,
                url,
                handlers,
            } => {
                let mut parts: Vec<String> = handlers
                    .iter()
                    .map(|h| match h {
                        HandlerChange::Create(h) => {
                            format!("+ {} ({})", h.handler_type, h.describe())
                        }
                        HandlerChange::Update { declared, live } => format!(
                            "~ {}: {}",
                            declared.handler_type,
                            declared.differences(live).join(", ")
                        ),
                        HandlerChange::Delete(h) => {
                            format!("- {} ({})", h.handler_type, h.describe())
                        }
                    })
                    .collect();
                if let Some(url) = url {
                    parts.push(format!(
                        "execution_url {} → {url}",
                        live.execution_url.as_deref().unwrap_or("(none)")
                    ));
                }
                write!(f, "~ {}: {}", declared.label(), parts.join("; "))
            }
            ComponentChange::Delete(c) => {
                write!(f, "- {}: {}", c.config.label(), c.config.describe())
            }
        }
    }
}

/// What must change in Cliq for its components to match `declared`: deletes first, then edits
/// and creates, each in canonical order. `url`: the app's execution URL, when known.
pub fn diff(
    declared: &[ComponentConfig],
    live: &[LiveComponent],
    url: Option<&str>,
) -> Vec<ComponentChange> {
    let mut changes: Vec<ComponentChange> = live
        .iter()
        .filter(|l| !declared.iter().any(|d| d.key() == l.config.key()))
        .map(|l| ComponentChange::Delete(l.clone()))
        .collect();
    for d in declared {
        let Some(l) = live.iter().find(|l| l.config.key() == d.key()) else {
            changes.push(ComponentChange::Create(d.clone()));
            continue;
        };
        let mut handlers: Vec<HandlerChange> = l
            .config
            .handlers
            .iter()
            .filter(|lh| {
                !d.handlers
                    .iter()
                    .any(|dh| dh.handler_type == lh.handler_type)
            })
            .map(|lh| HandlerChange::Delete(lh.clone()))
            .collect();
        for dh in &d.handlers {
            match l
                .config
                .handlers
                .iter()
                .find(|lh| lh.handler_type == dh.handler_type)
            {
                None => handlers.push(HandlerChange::Create(dh.clone())),
                Some(lh) if !dh.differences(lh).is_empty() => {
                    handlers.push(HandlerChange::Update {
                        declared: dh.clone(),
                        live: lh.clone(),
                    })
                }
                Some(_) => {}
            }
        }
        // A URL Cliq does not report is not compared (a push could not tell it had set it).
        let url = url
            .filter(|u| l.execution_url.as_deref().is_some_and(|live| live != *u))
            .map(str::to_owned);
        if !handlers.is_empty() || url.is_some() {
            changes.push(ComponentChange::Update {
                declared: d.clone(),
                live: l.clone(),
                url,
                handlers,
            });
        }
    }
    changes
}

/// A component read from a list call, before its handlers' permissions.
struct Listed {
    id: String,
    name: String,
    execution_type: Option<String>,
    execution_url: Option<String>,
    handler_types: Vec<String>,
}

fn text(item: &Value, key: &str) -> Option<String> {
    match item.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn listed(item: &Value) -> Option<Listed> {
    Some(Listed {
        id: text(item, "id")?,
        name: text(item, "name")?,
        execution_type: text(item, "execution_type"),
        execution_url: text(item, "execution_url"),
        handler_types: item
            .get("handlers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| text(h, "type"))
            .collect(),
    })
}

/// Permissions of a handler as Cliq reports them (a response's `data`): the `permissions`
/// array, or else the permission names among its `params`.
fn permissions_of(data: &Value) -> Vec<String> {
    if let Some(items) = data.get("permissions").and_then(Value::as_array) {
        return items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
    }
    data.get("params")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("param_name")?.as_str())
        .filter(|name| Permission::from_name(name).is_some())
        .map(str::to_owned)
        .collect()
}

fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The function type a function's handlers need (`function_type` of `functions.yml`'s create
/// body).
fn function_type(c: &ComponentConfig) -> &'static str {
    use HandlerKind::*;
    let kinds: Vec<HandlerKind> = c
        .handlers
        .iter()
        .filter_map(|h| cliq_webhook::rules::declared(Component::Function, &h.handler_type))
        .map(|r| r.kind)
        .collect();
    if kinds.contains(&FunctionWidgetButton) {
        "widget_button"
    } else if kinds.iter().any(|k| {
        matches!(
            k,
            FunctionFormSubmit | FunctionFormChange | FunctionFormDynamicSelect | FunctionFormView
        )
    }) {
        "form"
    } else {
        "button"
    }
}

/// Reading or writing failed: what, and Cliq's or the client's words.
fn failed(what: impl fmt::Display, e: impl fmt::Display) -> String {
    format!("{what}: {e}")
}

impl Clients {
    /// Every component of `kind` Cliq lists (all pages).
    async fn list(&self, kind: Component) -> Result<Vec<Listed>, String> {
        let what = || format!("listing {}s", kind.name());
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let (items, token): (Vec<Value>, Option<String>) = match kind {
                Component::Command => {
                    let params = slashcommands::types::ListCommandsParams {
                        next_token: next.clone(),
                        ..Default::default()
                    };
                    let page = self
                        .commands
                        .list_commands(&params)
                        .await
                        .map_err(|e| failed(what(), e))?;
                    let items = page.data.unwrap_or_default();
                    (items.iter().map(to_value).collect(), page.next_token)
                }
                Component::MessageAction => {
                    let params = messageactions::types::ListMessageActionsParams {
                        next_token: next.clone(),
                        ..Default::default()
                    };
                    let page = self
                        .message_actions
                        .list_message_actions(&params)
                        .await
                        .map_err(|e| failed(what(), e))?;
                    let items = page.data.unwrap_or_default();
                    (items.iter().map(to_value).collect(), page.next_token)
                }
                Component::Function => {
                    let params = functions::types::ListFunctionsParams {
                        next_token: next.clone(),
                        ..Default::default()
                    };
                    let page = self
                        .functions
                        .list_functions(&params)
                        .await
                        .map_err(|e| failed(what(), e))?;
                    let items = page.data.unwrap_or_default();
                    (
                        items.into_iter().map(Value::Object).collect(),
                        page.next_token,
                    )
                }
                Component::Bot => return Ok(out),
            };
            out.extend(items.iter().filter_map(listed));
            match token.filter(|t| !t.is_empty() && Some(t) != next.as_ref()) {
                Some(t) => next = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// The `data` of a handler's details.
    async fn handler(
        &self,
        kind: Component,
        id: &str,
        handler_type: &str,
    ) -> Result<Value, String> {
        let what = || format!("reading the {handler_type} of {} {id}", kind.name());
        let id = id.to_owned();
        let data = match kind {
            Component::Command => {
                let t = slashcommands::types::CommandHandlerTypeRegex::from(handler_type);
                to_value(
                    self.commands
                        .get_command_handler(&id, &t)
                        .await
                        .map_err(|e| failed(what(), e))?
                        .data,
                )
            }
            Component::MessageAction => {
                let t = messageactions::types::HandlerTypeRegex::from(handler_type);
                to_value(
                    self.message_actions
                        .get_message_action_handler(&id, &t)
                        .await
                        .map_err(|e| failed(what(), e))?
                        .data,
                )
            }
            Component::Function => {
                let t = functions::types::FunctionHandlerTypeRegex::from(handler_type);
                to_value(
                    self.functions
                        .get_function_handler(&id, &t)
                        .await
                        .map_err(|e| failed(what(), e))?
                        .data,
                )
            }
            Component::Bot => Value::Null,
        };
        Ok(data)
    }

    /// A component's details (its `execution_url`, which a list call may leave out).
    async fn details(&self, kind: Component, id: &str) -> Result<Value, String> {
        let what = || format!("reading {} {id}", kind.name());
        let id = id.to_owned();
        Ok(match kind {
            Component::Command => to_value(
                self.commands
                    .get_command(&id)
                    .await
                    .map_err(|e| failed(what(), e))?
                    .data,
            ),
            Component::MessageAction => to_value(
                self.message_actions
                    .get_message_action(&id)
                    .await
                    .map_err(|e| failed(what(), e))?
                    .data,
            ),
            Component::Function => to_value(
                self.functions
                    .get_function(&id)
                    .await
                    .map_err(|e| failed(what(), e))?
                    .data,
            ),
            Component::Bot => Value::Null,
        })
    }

    /// The components Cliq has that are the app's: those named as `declared` ones of the same
    /// kind, and (with `url`) the webhook components at `url`. Lists only the kinds the code
    /// declares, or every kind when `url` is given.
    pub async fn live(
        &self,
        declared: &[ComponentConfig],
        url: Option<&str>,
    ) -> Result<Vec<LiveComponent>, String> {
        let mut out = Vec::new();
        for kind in Component::ALL
            .iter()
            .copied()
            .filter(|k| *k != Component::Bot)
        {
            let named: Vec<&ComponentConfig> =
                declared.iter().filter(|d| d.kind() == Some(kind)).collect();
            if named.is_empty() && url.is_none() {
                continue;
            }
            for mut item in self.list(kind).await? {
                let is_declared = named
                    .iter()
                    .any(|d| d.name.eq_ignore_ascii_case(&item.name));
                let webhook = item.execution_type.as_deref() == Some("webhook");
                if item.execution_url.is_none() && webhook && (is_declared || url.is_some()) {
                    item.execution_url =
                        text(&self.details(kind, &item.id).await?, "execution_url");
                }
                let at_url = webhook && url.is_some() && item.execution_url.as_deref() == url;
                if !is_declared && !at_url {
                    continue;
                }
                let mut handlers = Vec::new();
                for t in &item.handler_types {
                    let data = self.handler(kind, &item.id, t).await?;
                    handlers.push(HandlerConfig::new(t.clone(), permissions_of(&data)));
                }
                if let Some(config) = ComponentConfig::new(kind, item.name, handlers) {
                    out.push(LiveComponent {
                        config,
                        id: item.id,
                        execution_url: item.execution_url,
                    });
                }
            }
        }
        out.sort_by_key(|l| l.config.key());
        Ok(out)
    }

    /// Applies `changes` in order; stops at the first failure, saying how many were applied.
    pub async fn apply(
        &self,
        changes: &[ComponentChange],
        url: Option<&str>,
        scope: Scope,
    ) -> Result<usize, String> {
        for (applied, change) in changes.iter().enumerate() {
            let result = match change {
                ComponentChange::Create(c) => self.create(c, url, scope).await,
                ComponentChange::Update {
                    declared,
                    live,
                    url,
                    handlers,
                } => self.update(declared, live, url.as_deref(), handlers).await,
                ComponentChange::Delete(l) => self.delete(l).await,
            };
            result.map_err(|message| {
                format!("{change}\n  failed after {applied} change(s) were applied: {message}")
            })?;
        }
        Ok(changes.len())
    }

    async fn create(
        &self,
        c: &ComponentConfig,
        url: Option<&str>,
        scope: Scope,
    ) -> Result<(), String> {
        let url = url.ok_or_else(|| {
            "creating it needs the app's execution URL: pass --execution-url or set CLIQ_EXECUTION_URL"
                .to_owned()
        })?;
        let kind = c
            .kind()
            .ok_or("not a command, message action or function")?;
        let created: Value = match kind {
            Component::Command => {
                let body = slashcommands::types::CreateSlashCommandRequestBody {
                    execution_type: Some(slashcommands::types::ExecutionType::Webhook),
                    execution_url: Some(url.to_owned()),
                    name: c.name.clone(),
                    hint: c.name.clone(),
                    description: None,
                    options: None,
                    scope: slashcommands::types::Scope::from(scope.as_str()),
                    team_ids: None,
                    image: None,
                    max_suggestions: None,
                    extra: Default::default(),
                };
                to_value(
                    self.commands
                        .creating_extension_command(&body)
                        .await
                        .map_err(|e| e.to_string())?
                        .data,
                )
            }
            Component::MessageAction => {
                let body = messageactions::types::V3MsgactionCreate {
                    execution_type: Some(messageactions::types::ExecutionType::Webhook),
                    execution_url: Some(url.to_owned()),
                    name: c.name.clone(),
                    hint: c.name.clone(),
                    scope: Some(messageactions::types::Scope::from(scope.as_str())),
                    team_ids: None,
                    multi_selectable: None,
                    image: None,
                    message_types: None,
                    extra: Default::default(),
                };
                to_value(
                    self.message_actions
                        .create_message_action(&body)
                        .await
                        .map_err(|e| e.to_string())?
                        .data,
                )
            }
            Component::Function => {
                let body = functions::types::V3FunctionCreate {
                    name: c.name.clone(),
                    description: format!("{}, served at {url}", c.name),
                    function_type: functions::types::FunctionType::from(function_type(c)),
                    execution_type: Some(functions::types::ExecutionType::Webhook),
                    execution_url: Some(url.to_owned()),
                    extra: Default::default(),
                };
                to_value(
                    self.functions
                        .create_function(&body)
                        .await
                        .map_err(|e| e.to_string())?
                        .data,
                )
            }
            Component::Bot => return Err("a bot is not created here".into()),
        };
        let made = listed(&created).ok_or("Cliq's answer has no id")?;
        for h in &c.handlers {
            if made.handler_types.contains(&h.handler_type) {
                self.edit_handler(kind, &made.id, h).await?;
            } else {
                self.create_handler(kind, &made.id, h).await?;
            }
        }
        Ok(())
    }

    async fn update(
        &self,
        declared: &ComponentConfig,
        live: &LiveComponent,
        url: Option<&str>,
        handlers: &[HandlerChange],
    ) -> Result<(), String> {
        let kind = declared
            .kind()
            .ok_or("not a command, message action or function")?;
        let id = live.id.clone();
        if let Some(url) = url {
            let url = Some(url.to_owned());
            match kind {
                Component::Command => {
                    let body = slashcommands::types::UpdateSlashCommandRequestBody {
                        execution_url: url,
                        ..Default::default()
                    };
                    self.commands
                        .editing_extension_command(&id, &body)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Component::MessageAction => {
                    let body = messageactions::types::V3MsgactionEdit {
                        execution_url: url,
                        ..Default::default()
                    };
                    self.message_actions
                        .update_message_action(&id, &body)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Component::Function => {
                    let body = functions::types::V3FunctionEdit {
                        execution_url: url,
                        ..Default::default()
                    };
                    self.functions
                        .update_function(&id, &body)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Component::Bot => {}
            }
        }
        for h in handlers {
            match h {
                HandlerChange::Create(h) => self.create_handler(kind, &id, h).await?,
                HandlerChange::Update { declared, .. } => {
                    self.edit_handler(kind, &id, declared).await?
                }
                HandlerChange::Delete(h) => self.delete_handler(kind, &id, h).await?,
            }
        }
        Ok(())
    }

    async fn delete(&self, live: &LiveComponent) -> Result<(), String> {
        let id = live.id.clone();
        match live.config.kind() {
            Some(Component::Command) => self
                .commands
                .deleting_extension_command(&id)
                .await
                .map_err(|e| e.to_string()),
            Some(Component::MessageAction) => self
                .message_actions
                .delete_message_action(&id)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Some(Component::Function) => self
                .functions
                .delete_function(&id)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            _ => Err("not a command, message action or function".into()),
        }
    }

    async fn create_handler(
        &self,
        kind: Component,
        id: &str,
        h: &HandlerConfig,
    ) -> Result<(), String> {
        let id = id.to_owned();
        match kind {
            Component::Command => {
                let body = slashcommands::types::V3ExehandlerCreate {
                    r#type: slashcommands::types::V3ExehandlerCreateType::from(
                        h.handler_type.as_str(),
                    ),
                    script: None,
                    permissions: Some(h.permissions.iter().map(|p| p.as_str().into()).collect()),
                    extra: Default::default(),
                };
                self.commands
                    .create_command_handler(&id, &body)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Component::Function => {
                let body = functions::types::V3ExehandlerCreate {
                    r#type: functions::types::V3ExehandlerCreateType::from(h.handler_type.as_str()),
                    script: None,
                    permissions: Some(h.permissions.iter().map(|p| p.as_str().into()).collect()),
                    extra: Default::default(),
                };
                self.functions
                    .create_function_handler(&id, &body)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            _ => Err(format!(
                "a {}'s {} cannot be created through Cliq's API (it comes with the {0})",
                kind.name(),
                h.handler_type
            )),
        }
    }

    async fn edit_handler(
        &self,
        kind: Component,
        id: &str,
        h: &HandlerConfig,
    ) -> Result<(), String> {
        let id = id.to_owned();
        let t = h.handler_type.as_str();
        match kind {
            Component::Command => {
                let body = slashcommands::types::V3ExehandlerEdit {
                    permissions: Some(h.permissions.iter().map(|p| p.as_str().into()).collect()),
                    ..Default::default()
                };
                self.commands
                    .update_command_handler(&id, &t.into(), &body)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Component::MessageAction => {
                let body = messageactions::types::V3ExehandlerEdit {
                    permissions: Some(h.permissions.iter().map(|p| p.as_str().into()).collect()),
                    ..Default::default()
                };
                self.message_actions
                    .update_message_action_handler(&id, &t.into(), &body)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Component::Function => {
                let body = functions::types::V3ExehandlerEdit {
                    permissions: Some(h.permissions.iter().map(|p| p.as_str().into()).collect()),
                    ..Default::default()
                };
                self.functions
                    .update_function_handler(&id, &t.into(), &body)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Component::Bot => Ok(()),
        }
    }

    async fn delete_handler(
        &self,
        kind: Component,
        id: &str,
        h: &HandlerConfig,
    ) -> Result<(), String> {
        let id = id.to_owned();
        let t = h.handler_type.as_str();
        match kind {
            Component::Command => self
                .commands
                .delete_command_handler(&id, &t.into())
                .await
                .map_err(|e| e.to_string()),
            Component::Function => self
                .functions
                .delete_function_handler(&id, &t.into())
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            _ => Err(format!(
                "a {}'s {} cannot be deleted through Cliq's API",
                kind.name(),
                h.handler_type
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(kind: Component, name: &str, handlers: &[(&str, &[&str])]) -> ComponentConfig {
        ComponentConfig::new(
            kind,
            name,
            handlers
                .iter()
                .map(|(t, p)| HandlerConfig::new(*t, p.iter().copied())),
        )
        .unwrap()
    }

    #[test]
    fn diff_steps() {
        let deploy = component(
            Component::Command,
            "deploy",
            &[("execution_handler", &["user"])],
        );
        let live_deploy = LiveComponent {
            config: component(
                Component::Command,
                "Deploy",
                &[
                    ("execution_handler", &["chat"]),
                    ("suggestion_handler", &[]),
                ],
            ),
            id: "1".into(),
            execution_url: Some("https://old/cliq".into()),
        };
        let stale = LiveComponent {
            config: component(Component::Function, "old", &[("button_handler", &[])]),
            id: "2".into(),
            execution_url: Some("https://new/cliq".into()),
        };
        let approve = component(
            Component::Function,
            "approve",
            &[("button_handler", &["user"])],
        );
        let changes = diff(
            &[deploy, approve],
            &[live_deploy, stale],
            Some("https://new/cliq"),
        );
        let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "- function \"old\": button_handler (permissions [])",
                "~ command \"deploy\": - suggestion_handler (permissions []); ~ execution_handler: permissions [chat] → [user]; execution_url https://old/cliq → https://new/cliq",
                "+ function \"approve\": button_handler (permissions [user])",
            ]
        );
        assert_eq!(
            function_type(&component(
                Component::Function,
                "f",
                &[("form_view_handler", &[])]
            )),
            "form"
        );
        assert_eq!(
            permissions_of(
                &serde_json::json!({"params": [{"param_name": "user"}, {"param_name": "arguments"}]})
            ),
            ["user"]
        );
    }
}
