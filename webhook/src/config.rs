//! Config drift: the handler configuration a bot's code declares ([`Bot::config`]), the one
//! Cliq has ([`live_config`]), what differs ([`diff`]) and how to make Cliq match
//! ([`apply`]). `cargo cliq diff` and `cargo cliq push` are these functions plus the command
//! line; a bot can also call [`check_drift`] at start-up to log a warning.
//!
//! **What is compared.** A handler is identified by its type, and menu handlers also by their
//! name (a renamed menu action is one removed and one added). For each handler: the
//! permissions as a set; the icon and the sub-action names of menu handlers. An icon the code
//! does not declare is not compared (Cliq's default stands); sub-actions are, so removing them
//! from the code removes them in Cliq. Sub-action icons, menu positions and Deluge scripts are
//! not part of the configuration. A handler Cliq refuses to delete
//! (`default_handler_delete_not_allowed`) stops a push with Cliq's message: declare it.
//!
//! **The canonical form and its hash.** [`BotConfig`] is sorted: handlers in the order of the
//! spec's `HANDLER_TYPE` enum, then by menu name; permissions alphabetically, without
//! duplicates; sub-actions as declared. [`BotConfig::hash`] is the SHA-256 of its compact JSON,
//! so two builds, machines or toolchains that declare the same handlers get the same hash, and
//! any change to a type, permission, menu name, icon or sub-action changes it. Everything it
//! covers is `'static` data the `#[cliq_handler]` macro embedded at compile time; only the
//! combination of the handlers given to the builder happens at run time.
//!
//! **How Cliq's side is read** (Zoho documents no "list handlers with permissions" call):
//! `GET /bots/{bot}` gives the handler list (type; id, name, icon and sub-actions of menu
//! actions), then `GET /bots/{bot}/handlers/{type}` (with `handler_id` for menu actions) gives
//! each handler's permissions: the `permissions` array when Cliq returns one (webhook bots;
//! the create example echoes it), otherwise the permission names among its `params`.
//!
//! **Several bots in one app.** Each handler's configuration names the bot it belongs to when
//! its attribute does (`bot = "..."`, [`HandlerConfig::bot`]; absent otherwise, so the JSON
//! and hash of an app serving one bot are unchanged); [`BotConfig::for_bot`] is one bot's
//! part, the one to compare with that bot in Cliq.
//!
//! **How the declared side reaches `cargo cliq`**: the bot binary answers `--print-config`
//! with [`BotConfig::to_json`] (see [`Bot::print_config_if_requested`]).
//!
//! **Commands, message actions and functions.** An app's other components are part of its
//! configuration too ([`BotConfig::components`], one [`ComponentConfig`] per kind and name:
//! each handler's type and permissions, in the spec's handler-type order), and of its hash
//! when there are any (an app with a bot alone hashes as before). Reading and writing them is
//! `cargo cliq`'s (`cli/src/components.rs`, through their own v3 APIs); [`diff`], [`apply`]
//! and [`live_config`] here are the bot's.

use std::fmt;

#[cfg(feature = "client")]
use cliq_api::bots::types;
use serde::{Deserialize, Serialize};
use serde_json::json;
#[cfg(feature = "client")]
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::bot::Bot;
use crate::handler::HandlerMeta;
use crate::rules::{self, Component, HandlerKind};

/// The bot handler type with a name (the menu action's).
const MENU: &str = HandlerKind::BotMenu.handler_type();

/// The command-line flag a bot answers with its configuration as JSON.
pub const PRINT_CONFIG_FLAG: &str = "--print-config";

/// One handler as Cliq is told about it: what `#[cliq_handler(...)]` declared, without the
/// Rust function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerConfig {
    /// Handler type, a `HANDLER_TYPE` value (`"menu_handler"`).
    #[serde(rename = "type")]
    pub handler_type: String,
    /// The unique name of the bot the handler belongs to (`#[cliq_handler(bot = "...")]`);
    /// `None` (not serialized, so an app serving one bot keeps its hash): it names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<String>,
    /// Permissions, sorted, without duplicates.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Menu action name (menu handlers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Menu action icon (menu handlers); `None`: not declared, not compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Menu sub-action names, in order (menu handlers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_actions: Vec<String>,
}

impl HandlerConfig {
    /// A handler's configuration in canonical form.
    pub fn new(
        handler_type: impl Into<String>,
        permissions: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut config = HandlerConfig {
            handler_type: handler_type.into(),
            bot: None,
            permissions: permissions.into_iter().map(Into::into).collect(),
            name: None,
            icon: None,
            sub_actions: Vec::new(),
        };
        config.canonicalize();
        config
    }

    fn canonicalize(&mut self) {
        self.canonicalize_in(Component::Bot);
    }

    /// Canonical form for a handler of `component`: the spec's name of its type, permissions
    /// sorted without duplicates.
    fn canonicalize_in(&mut self, component: Component) {
        if let Some(rule) = rules::resolve(Some(component.name()), &self.handler_type) {
            self.handler_type = rule.handler_type.to_owned();
        }
        self.permissions.sort();
        self.permissions.dedup();
    }

    fn is_menu(&self) -> bool {
        self.handler_type == MENU
    }

    /// The key a handler is matched by: its type, and its name for menu actions.
    fn key(&self) -> (usize, &str, Option<&str>) {
        let order = rules::HANDLERS
            .iter()
            .position(|r| r.component == Component::Bot && r.handler_type == self.handler_type)
            .unwrap_or(usize::MAX);
        let name = if self.is_menu() {
            self.name.as_deref()
        } else {
            None
        };
        (order, &self.handler_type, name)
    }

    /// `message_handler` or `menu_handler "Deploy"`.
    pub fn label(&self) -> String {
        match (&self.name, self.is_menu()) {
            (Some(name), true) => format!("{} {name:?}", self.handler_type),
            _ => self.handler_type.clone(),
        }
    }

    #[cfg(feature = "client")]
    fn body(&self, create: bool) -> Value {
        let mut body = json!({ "permissions": self.permissions });
        if create {
            body["type"] = json!(self.handler_type);
        }
        if self.is_menu() {
            if let Some(name) = &self.name {
                body["name"] = json!(name);
            }
            if let Some(icon) = &self.icon {
                body["icon"] = json!(icon);
            }
            // An edit always says which sub-actions remain, so removing them in code removes
            // them in Cliq; a create leaves out an empty list.
            if !create || !self.sub_actions.is_empty() {
                let subs: Vec<Value> = self
                    .sub_actions
                    .iter()
                    .map(|n| json!({ "name": n }))
                    .collect();
                body["sub_actions"] = json!(subs);
            }
        }
        body
    }

    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    /// The `HandlerCreate` body (webhook bot: permissions, no script).
    pub fn create_body(&self) -> Result<types::HandlerCreate, serde_json::Error> {
        serde_json::from_value(self.body(true))
    }

    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    /// The `HandlerEdit` body.
    pub fn edit_body(&self) -> Result<types::HandlerEdit, serde_json::Error> {
        serde_json::from_value(self.body(false))
    }

    /// What of `live` differs from this declaration (empty: nothing).
    /// What differs from `live`, one phrase each (`permissions [a] → [a, b]`); empty when
    /// nothing does.
    pub fn differences(&self, live: &HandlerConfig) -> Vec<String> {
        let mut out = Vec::new();
        if self.permissions != live.permissions {
            out.push(format!(
                "permissions {} → {}",
                list(&live.permissions),
                list(&self.permissions)
            ));
        }
        if self.is_menu() {
            if self.icon.is_some() && self.icon != live.icon {
                out.push(format!(
                    "icon {} → {}",
                    live.icon.as_deref().unwrap_or("(none)"),
                    self.icon.as_deref().unwrap_or("(none)")
                ));
            }
            if self.sub_actions != live.sub_actions {
                out.push(format!(
                    "sub-actions {} → {}",
                    list(&live.sub_actions),
                    list(&self.sub_actions)
                ));
            }
        }
        out
    }

    /// Its configuration in words: `permissions [chat, user], icon …`.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("permissions {}", list(&self.permissions))];
        if let Some(icon) = &self.icon {
            parts.push(format!("icon {icon}"));
        }
        if !self.sub_actions.is_empty() {
            parts.push(format!("sub-actions {}", list(&self.sub_actions)));
        }
        parts.join(", ")
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

impl From<&HandlerMeta> for HandlerConfig {
    fn from(meta: &HandlerMeta) -> Self {
        let mut config = HandlerConfig::new(
            meta.handler_type(),
            meta.permissions.iter().map(|p| p.name()),
        );
        config.bot = meta.bot.map(str::to_owned);
        config.name = meta.name.map(str::to_owned);
        config.icon = meta.icon.map(str::to_owned);
        config.sub_actions = meta.sub_actions.iter().map(|s| (*s).to_owned()).collect();
        config
    }
}

/// A slash command, message action or function as Cliq is told about it: its kind, its name
/// and what `#[cliq_handler(component = ..., name = ...)]` declared for each of its handlers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentConfig {
    /// The component kind's name (`command`, `message_action`, `function`:
    /// [`Component::name`]).
    pub component: String,
    /// Its name in Cliq (the request's `name`).
    pub name: String,
    /// Its handlers, in its spec's handler-type order, permissions sorted.
    pub handlers: Vec<HandlerConfig>,
}

impl ComponentConfig {
    /// A component's configuration in canonical form; `None` for a kind that is not a
    /// command, message action or function.
    pub fn new(
        component: Component,
        name: impl Into<String>,
        handlers: impl IntoIterator<Item = HandlerConfig>,
    ) -> Option<Self> {
        let mut config = ComponentConfig {
            component: component.name().to_owned(),
            name: name.into(),
            handlers: handlers.into_iter().collect(),
        };
        config.canonicalize().then_some(config)
    }

    /// The kind, when it is one of the rules' components other than the bot.
    pub fn kind(&self) -> Option<Component> {
        Component::from_name(&self.component).filter(|c| *c != Component::Bot)
    }

    /// Sorts the handlers (spec order) and their permissions; `false` for an unknown kind.
    fn canonicalize(&mut self) -> bool {
        let Some(component) = self.kind() else {
            return false;
        };
        self.component = component.name().to_owned();
        for h in &mut self.handlers {
            h.canonicalize_in(component);
        }
        let order = |h: &HandlerConfig| {
            rules::HANDLERS
                .iter()
                .position(|r| r.component == component && r.handler_type == h.handler_type)
                .unwrap_or(usize::MAX)
        };
        self.handlers
            .sort_by(|a, b| (order(a), &a.handler_type).cmp(&(order(b), &b.handler_type)));
        self.handlers
            .dedup_by(|a, b| a.handler_type == b.handler_type);
        true
    }

    /// The key a component is matched by: its kind (in [`Component::ALL`] order) and its name,
    /// case-insensitively (Cliq's names are).
    pub fn key(&self) -> (usize, String) {
        let order = self
            .kind()
            .and_then(|k| Component::ALL.iter().position(|c| *c == k))
            .unwrap_or(usize::MAX);
        (order, self.name.to_lowercase())
    }

    /// `command "deploy"`.
    pub fn label(&self) -> String {
        format!("{} {:?}", self.component, self.name)
    }

    /// Its handlers in words: `execution_handler (permissions [user]); …`.
    pub fn describe(&self) -> String {
        self.handlers
            .iter()
            .map(|h| format!("{} ({})", h.handler_type, h.describe()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The handler configuration of an app: its bot's handlers and its commands, message actions
/// and functions, in canonical order (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BotConfig {
    /// The bot's handlers.
    pub handlers: Vec<HandlerConfig>,
    /// The commands, message actions and functions, by kind then name (absent from the JSON,
    /// and from what the hash covers, when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentConfig>,
}

impl BotConfig {
    /// A configuration from handlers in any order; sorts them (and their permissions).
    pub fn new(handlers: impl IntoIterator<Item = HandlerConfig>) -> Self {
        let mut handlers: Vec<HandlerConfig> = handlers
            .into_iter()
            .map(|mut h| {
                h.canonicalize();
                h
            })
            .collect();
        handlers.sort_by(|a, b| (a.bot.as_deref(), a.key()).cmp(&(b.bot.as_deref(), b.key())));
        BotConfig {
            handlers,
            components: Vec::new(),
        }
    }

    /// With these commands, message actions and functions (canonicalized; those of an unknown
    /// kind are dropped).
    pub fn with_components(
        mut self,
        components: impl IntoIterator<Item = ComponentConfig>,
    ) -> Self {
        let mut components: Vec<ComponentConfig> = components
            .into_iter()
            .filter_map(|mut c| c.canonicalize().then_some(c))
            .collect();
        components.sort_by_key(ComponentConfig::key);
        self.components = components;
        self
    }

    /// The unique names of the bots the handlers name (`bot = "..."`), sorted, each once;
    /// empty when they name none.
    pub fn bots(&self) -> Vec<&str> {
        let mut bots: Vec<&str> = self
            .handlers
            .iter()
            .filter_map(|h| h.bot.as_deref())
            .collect();
        bots.dedup();
        bots
    }

    /// One bot's configuration, what [`diff`] compares with that bot's in Cliq: the handlers
    /// that name `unique_name` as their bot (ignoring ASCII case, as dispatch does) and those
    /// that name no bot; for an app serving one bot without naming it, the whole
    /// configuration. `None` when the handlers name bots and `unique_name` is none of them
    /// (an empty configuration would have `push` delete every handler the bot has).
    pub fn for_bot(&self, unique_name: &str) -> Option<BotConfig> {
        let of_bot = |h: &&HandlerConfig| {
            h.bot
                .as_deref()
                .is_none_or(|b| b.eq_ignore_ascii_case(unique_name))
        };
        let named = self.handlers.iter().any(|h| h.bot.is_some());
        if named && !self.handlers.iter().any(|h| h.bot.is_some() && of_bot(&h)) {
            return None;
        }
        Some(BotConfig {
            handlers: self.handlers.iter().filter(of_bot).cloned().collect(),
            components: self.components.clone(),
        })
    }

    /// SHA-256 of the compact canonical JSON, as 64 lowercase hex digits.
    pub fn hash(&self) -> String {
        // Serializing plain strings and vectors cannot fail; the fallback keeps this total.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Pretty JSON, `{"hash": …, "handlers": […], "components": […]}` (`components` only when
    /// there are any): what `--print-config` prints and
    /// `cargo cliq diff --config` reads (the `hash` is informative and ignored on reading).
    pub fn to_json(&self) -> String {
        let mut doc = json!({ "hash": self.hash(), "handlers": self.handlers });
        if !self.components.is_empty() {
            doc["components"] = json!(self.components);
        }
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    /// Reads [`Self::to_json`]'s output (or any JSON of that shape) back, canonicalized.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let config: BotConfig = serde_json::from_str(text)?;
        Ok(BotConfig::new(config.handlers).with_components(config.components))
    }
}

impl<S> Bot<S> {
    /// The handler configuration this app's code declares, in canonical form: the bots'
    /// handlers and, grouped by kind and name, its commands', message actions' and functions'
    /// (`cargo cliq diff`/`push` compare each through its own v3 API); its
    /// [`BotConfig::hash`] changes exactly when a handler's Cliq configuration does. In an app
    /// serving several bots each handler says which bot it belongs to
    /// ([`HandlerConfig::bot`]), and [`BotConfig::for_bot`] picks one bot's handlers.
    pub fn config(&self) -> BotConfig {
        let mut groups: Vec<(Component, &str, Vec<HandlerConfig>)> = Vec::new();
        for meta in self.handlers() {
            let component = meta.kind.component();
            if component == Component::Bot {
                continue;
            }
            let name = meta.name.unwrap_or(meta.function);
            let handler = HandlerConfig::new(
                meta.handler_type(),
                meta.permissions.iter().map(|p| p.name()),
            );
            match groups
                .iter_mut()
                .find(|(c, n, _)| *c == component && n.eq_ignore_ascii_case(name))
            {
                Some((_, _, handlers)) => handlers.push(handler),
                None => groups.push((component, name, vec![handler])),
            }
        }
        BotConfig::new(
            self.handlers()
                .filter(|m| m.kind.component() == Component::Bot)
                .map(HandlerConfig::from),
        )
        .with_components(
            groups
                .into_iter()
                .filter_map(|(c, n, h)| ComponentConfig::new(c, n, h)),
        )
    }

    /// When the process was started with `--print-config`, prints [`Self::config`] as JSON to
    /// stdout and returns `true` (the caller then exits); otherwise returns `false`. Call it
    /// first thing in `main`, before binding a port or reading secrets, so that
    /// `cargo cliq diff` / `push` can ask the binary what it declares:
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let bot: cliq_webhook::Bot<()> = cliq_webhook::Bot::builder().build()?;
    /// if bot.print_config_if_requested() {
    ///     return Ok(());
    /// }
    /// // … serve `bot` (axum: `Router::new().route_service("/cliq", bot)`) …
    /// # Ok(())
    /// # }
    /// ```
    pub fn print_config_if_requested(&self) -> bool {
        self.print_config_if(std::env::args().skip(1))
    }

    /// [`Self::print_config_if_requested`] for given arguments (tests, other parsers).
    pub fn print_config_if(&self, mut args: impl Iterator<Item = String>) -> bool {
        if args.any(|a| a == PRINT_CONFIG_FLAG) {
            println!("{}", self.config().to_json());
            true
        } else {
            false
        }
    }
}

/// A handler as Cliq has it: its configuration and, for menu actions, its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveHandler {
    /// Its configuration, canonicalized.
    pub config: HandlerConfig,
    /// Cliq's `handler_id` (menu actions; needed to edit or delete one of several).
    pub handler_id: Option<i64>,
}

/// The handlers Cliq has for a bot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveConfig {
    /// In canonical order.
    pub handlers: Vec<LiveHandler>,
}

impl LiveConfig {
    /// The configuration part, for hashing or printing.
    pub fn config(&self) -> BotConfig {
        BotConfig::new(self.handlers.iter().map(|h| h.config.clone()))
    }
}

/// One step that makes Cliq match the code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// Declared, not in Cliq: create it.
    Create(HandlerConfig),
    /// In both, different: edit Cliq's to the declaration.
    Update {
        /// What the code declares.
        declared: HandlerConfig,
        /// What Cliq has.
        live: LiveHandler,
    },
    /// In Cliq, not declared: delete it.
    Delete(LiveHandler),
}

impl fmt::Display for Change {
    /// One line: `+ menu_handler "Deploy": …`, `~ message_handler: permissions [a] → [a, b]`,
    /// `- mention_handler: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Create(h) => write!(f, "+ {}: {}", h.label(), h.describe()),
            Change::Update { declared, live } => write!(
                f,
                "~ {}: {}",
                declared.label(),
                declared.differences(&live.config).join("; ")
            ),
            Change::Delete(h) => write!(f, "- {}: {}", h.config.label(), h.config.describe()),
        }
    }
}

/// What must change in Cliq for it to match `declared` (one bot's configuration: for an app
/// serving several, [`BotConfig::for_bot`]): first the deletes of handlers the code
/// does not declare (so a renamed menu action fits within Cliq's limit of menu actions), then
/// the updates and creates of declared handlers, each group in canonical handler order.
pub fn diff(declared: &BotConfig, live: &LiveConfig) -> Vec<Change> {
    let mut changes: Vec<Change> = live
        .handlers
        .iter()
        .filter(|l| !declared.handlers.iter().any(|d| d.key() == l.config.key()))
        .map(|l| Change::Delete(l.clone()))
        .collect();
    for d in &declared.handlers {
        match live.handlers.iter().find(|l| l.config.key() == d.key()) {
            None => changes.push(Change::Create(d.clone())),
            Some(l) if !d.differences(&l.config).is_empty() => changes.push(Change::Update {
                declared: d.clone(),
                live: l.clone(),
            }),
            Some(_) => {}
        }
    }
    changes
}

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
/// Reading Cliq's configuration or applying a change failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DriftError {
    /// A read failed (bot not found, no access, network…).
    #[error("reading {what} from Cliq failed: {message}")]
    Read {
        /// What was being read.
        what: String,
        /// The client's error, rendered.
        message: String,
    },
    /// The code's handlers name their bots (`bot = "..."`), and not this one: nothing to
    /// compare it with.
    #[error("the code declares no handlers for the bot `{bot}`; its handlers are for {bots:?}")]
    NotDeclared {
        /// The bot asked about.
        bot: String,
        /// The bots the code declares handlers for.
        bots: Vec<String>,
    },
    /// A change could not be applied; the changes before it were.
    #[error("{change}\n  failed after {applied} change(s) were applied: {message}")]
    Write {
        /// The change, as printed by [`diff`].
        change: String,
        /// How many changes before it succeeded.
        applied: usize,
        /// The client's or body builder's error, rendered.
        message: String,
    },
}

#[cfg(feature = "client")]
fn read_error(what: impl Into<String>, e: impl fmt::Display) -> DriftError {
    DriftError::Read {
        what: what.into(),
        message: e.to_string(),
    }
}

#[cfg(feature = "client")]
/// Permissions of a handler as Cliq reports them: the `permissions` array, or else the
/// permission names among the handler's `params`.
fn live_permissions(data: &types::BotHandlerDetailsResponseData) -> Vec<String> {
    if let Some(Value::Array(items)) = data.extra.get("permissions") {
        return items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
    }
    data.params
        .iter()
        .flatten()
        .filter_map(|p| p.param_name.as_deref())
        .filter(|name| rules::Permission::from_name(name).is_some())
        .map(str::to_owned)
        .collect()
}

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
/// Reads the handlers Cliq has for `bot` (a unique name or the bot's API endpoint URL).
pub async fn live_config(
    client: &cliq_api::bots::Client,
    bot: &str,
) -> Result<LiveConfig, DriftError> {
    let bot = cliq_runtime::BotName::new(bot);
    let bot = bot.as_str();
    let details = client
        .get_bot(bot, &Default::default())
        .await
        .map_err(|e| read_error(format!("bot `{bot}`"), e))?;
    let listed = details.data.and_then(|d| d.handlers).unwrap_or_default();
    let mut handlers = Vec::new();
    for item in listed {
        let Some(handler_type) = item.r#type else {
            continue;
        };
        let mut config = HandlerConfig::new(handler_type, Vec::<String>::new());
        let handler_id = if config.is_menu() {
            config.name = item.name;
            config.icon = item.icon;
            config.sub_actions = item
                .sub_actions
                .iter()
                .flatten()
                .filter_map(|s| s.name.clone())
                .collect();
            match item.id.as_deref().map(str::parse::<i64>) {
                Some(Ok(id)) => Some(id),
                Some(Err(_)) => {
                    return Err(read_error(
                        format!("bot `{bot}`"),
                        format!("menu handler id {:?} is not a number", item.id),
                    ))
                }
                None => None,
            }
        } else {
            None
        };
        let params = types::GetBotHandlerParams { handler_id };
        let handler_type = types::HandlerType::from(config.handler_type.as_str());
        let what = || format!("the {} of bot `{bot}`", config.label());
        let handler = client
            .get_bot_handler(bot, &handler_type, &params)
            .await
            .map_err(|e| read_error(what(), e))?;
        if let Some(data) = &handler.data {
            config.permissions = live_permissions(data);
        }
        config.canonicalize();
        handlers.push(LiveHandler { config, handler_id });
    }
    handlers.sort_by(|a, b| a.config.key().cmp(&b.config.key()));
    Ok(LiveConfig { handlers })
}

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
/// Applies `changes` in order (as [`diff`] returned them); stops at the first failure, saying
/// how many were applied. Returns the number applied.
pub async fn apply(
    client: &cliq_api::bots::Client,
    bot: &str,
    changes: &[Change],
) -> Result<usize, DriftError> {
    let bot = cliq_runtime::BotName::new(bot);
    let bot = bot.as_str();
    for (applied, change) in changes.iter().enumerate() {
        let fail = |message: String| DriftError::Write {
            change: change.to_string(),
            applied,
            message,
        };
        match change {
            Change::Create(h) => {
                let body = h.create_body().map_err(|e| fail(e.to_string()))?;
                client
                    .create_handler_for_bot(bot, &body)
                    .await
                    .map_err(|e| fail(e.to_string()))?;
            }
            Change::Update { declared, live } => {
                let body = declared.edit_body().map_err(|e| fail(e.to_string()))?;
                let params = types::UpdateHandlerForBotParams {
                    handler_id: live.handler_id,
                };
                let handler_type = types::HandlerType::from(declared.handler_type.as_str());
                client
                    .update_handler_for_bot(bot, &handler_type, &params, &body)
                    .await
                    .map_err(|e| fail(e.to_string()))?;
            }
            Change::Delete(live) => {
                let params = types::DeleteHandlerFromBotParams {
                    handler_id: live.handler_id,
                };
                let handler_type = types::HandlerType::from(live.config.handler_type.as_str());
                client
                    .delete_handler_from_bot(bot, &handler_type, &params)
                    .await
                    .map_err(|e| fail(e.to_string()))?;
            }
        }
    }
    Ok(changes.len())
}

/// The part of `bot`'s configuration for the bot `bot_name` (a unique name or the bot's
/// API endpoint URL).
#[cfg(feature = "client")]
fn declared_for<S>(bot: &Bot<S>, bot_name: &str) -> Result<BotConfig, DriftError> {
    let unique_name = cliq_runtime::BotName::new(bot_name);
    let config = bot.config();
    config
        .for_bot(unique_name.as_str())
        .ok_or_else(|| DriftError::NotDeclared {
            bot: unique_name.as_str().to_owned(),
            bots: config.bots().iter().map(|b| (*b).to_owned()).collect(),
        })
}

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
/// For start-up: compares `bot`'s declaration (for an app serving several bots, its part for
/// `bot_name`, [`BotConfig::for_bot`]) with Cliq's and logs a `tracing` warning listing
/// the differences (or the read error). Returns the differences.
pub async fn check_drift<S>(
    client: &cliq_api::bots::Client,
    bot_name: &str,
    bot: &Bot<S>,
) -> Result<Vec<Change>, DriftError> {
    let result = declared_for(bot, bot_name);
    let result = match result {
        Ok(declared) => live_config(client, bot_name)
            .await
            .map(|live| diff(&declared, &live)),
        Err(e) => Err(e),
    };
    match &result {
        Ok(changes) if !changes.is_empty() => {
            let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
            tracing::warn!(
                bot = bot_name,
                "Cliq's handler configuration differs from the code (run `cargo cliq push`):\n{}",
                lines.join("\n")
            );
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(
            bot = bot_name,
            "cannot compare with Cliq's configuration: {e}"
        ),
    }
    result
}
