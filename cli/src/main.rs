//! `cargo cliq new <dir> --handlers message,menu:Deploy --command deploy --function approve`:
//! a complete, tested crate serving a bot, slash commands, message actions and functions, one
//! stub per handler, generated from the handler rules of the component specs this binary was
//! built with (`spec/bots.yaml`, `slashcommands.yml`, `messageactions.yml`, `functions.yml`,
//! embedded: the documents `cliq-rules`' table is generated from).
//!
//! `cargo cliq diff` / `cargo cliq push`: the app's declared configuration against Cliq's
//! (see [`drift`]).

mod components;
mod drift;
mod stubs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cliq_codegen::model::HandlerRules;
use cliq_rules::Component;
use stubs::Dependency;

/// The component specs, embedded at build time: the same sources the handler macro's rules
/// come from, in `cliq_rules::Component` order.
// `cli/spec/*` link to the workspace's specs, so the package carries its own copies.
const SPECS: [&str; 4] = [
    include_str!("../spec/bots.yaml"),
    include_str!("../spec/slashcommands.yml"),
    include_str!("../spec/messageactions.yml"),
    include_str!("../spec/functions.yml"),
];

#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    /// Zoho Cliq tools: new apps (bots, slash commands, message actions, functions), config drift.
    #[command(subcommand)]
    Cliq(Command),
}

#[derive(Subcommand)]
enum Command {
    /// Write a new crate serving a bot, slash commands, message actions and functions into DIR.
    New(NewArgs),
    /// Show how Cliq's configuration of the bot, commands, message actions and functions
    /// differs from the code (exit 1 when it does).
    Diff(drift::DriftArgs),
    /// Make Cliq's configuration match the code (creates, edits, deletes handlers and
    /// components).
    Push(drift::DriftArgs),
}

#[derive(clap::Args)]
#[command(after_help = "\
Each command, message action and function is NAME[:TYPE+TYPE...], its handler types by short \
name (without `_handler`); without types, the component's first handler type. Repeat the flag \
or separate components with commas. Every function with a button handler gets a button in the \
reply of the first bot, command or message action stub (Button::invoke(label, item {})); a \
function with a form_submit handler gets a form invoking it, returned by its form_view and \
button handlers (a button handler is added when it has neither).

Example: cargo cliq new my-app --handlers message,menu:Deploy --command deploy:execution+suggestion \
--message-action translate --function approve:button+form_submit")]
#[command(group(clap::ArgGroup::new("any").required(true).multiple(true)
    .args(["handlers", "command", "message_action", "function"])))]
struct NewArgs {
    /// Directory to create (its last component is the package name).
    dir: PathBuf,
    // The help of these four lists each component's handler types from `cliq-rules`' table.
    #[arg(long, help = format!("The bot's handler types by short name: {}", types_help(Component::Bot)))]
    handlers: Option<String>,
    #[arg(long, value_name = "NAME[:TYPES]", value_delimiter = ',',
        help = component_help("Slash commands", Component::Command))]
    command: Vec<String>,
    #[arg(long, value_name = "NAME[:TYPES]", value_delimiter = ',',
        help = component_help("Message actions", Component::MessageAction))]
    message_action: Vec<String>,
    #[arg(long, value_name = "NAME[:TYPES]", value_delimiter = ',',
        help = component_help("Functions", Component::Function))]
    function: Vec<String>,
    /// Write into a non-empty directory (files of the same name are replaced).
    #[arg(long)]
    force: bool,
    /// Depend on this published version of cliq-webhook. Default: the checkout cargo-cliq was
    /// built from, when it still exists; otherwise cargo-cliq's own version (an installed
    /// package).
    #[arg(long, conflicts_with = "git")]
    version: Option<String>,
    /// Depend on cliq-webhook from this git repository instead of this checkout.
    #[arg(long)]
    git: Option<String>,
    /// Revision for `--git`.
    #[arg(long, requires = "git")]
    rev: Option<String>,
}

/// `component`'s handler types by short name, in `cliq-rules`' table order (the menu handler
/// with its action name).
fn types_help(component: Component) -> String {
    cliq_rules::HANDLERS
        .iter()
        .filter(|r| r.component == component)
        .map(|r| {
            let short = stubs::short_type(r.handler_type);
            if r.kind == cliq_rules::HandlerKind::BotMenu {
                format!("{short}:<action name>")
            } else {
                short.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The help of `--command`, `--message-action`, `--function`.
fn component_help(what: &str, component: Component) -> String {
    let first = cliq_rules::HANDLERS
        .iter()
        .find(|r| r.component == component)
        .map_or("", |r| stubs::short_type(r.handler_type));
    format!(
        "{what}: NAME[:TYPES], types {} (default: {first})",
        types_help(component)
    )
}

/// `cliq-webhook` of the checkout this binary was built from, if it is one (a binary installed
/// from a package was built from the registry's sources, with no `webhook/` beside them).
fn checkout_webhook() -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let webhook = here.parent().unwrap_or(&here).join("webhook");
    webhook.join("Cargo.toml").is_file().then_some(webhook)
}

/// The handler rules of each embedded spec, by component.
fn component_rules() -> Result<Vec<(Component, HandlerRules)>, String> {
    SPECS
        .iter()
        .map(|spec| {
            let rules = stubs::handler_rules(spec).map_err(|e| format!("embedded spec: {e}"))?;
            let component = stubs::component_of(&rules).ok_or_else(|| {
                format!(
                    "embedded spec: component `{}` is not in cliq-rules",
                    rules.component.name
                )
            })?;
            Ok((component, rules))
        })
        .collect()
}

fn run_new(args: NewArgs) -> Result<(), String> {
    let all = component_rules()?;
    let rules_of = |c: Component| all.iter().find(|(k, _)| *k == c).map(|(_, r)| r);
    let mut handlers = Vec::new();
    if let (Some(list), Some(rules)) = (&args.handlers, rules_of(Component::Bot)) {
        handlers.extend(stubs::parse_handlers(rules, list).map_err(|e| e.to_string())?);
    }
    for (component, items) in [
        (Component::Command, &args.command),
        (Component::MessageAction, &args.message_action),
        (Component::Function, &args.function),
    ] {
        let rules = rules_of(component)
            .ok_or_else(|| format!("no embedded spec for {}", component.name()))?;
        for item in items.iter().filter(|i| !i.trim().is_empty()) {
            handlers.extend(stubs::parse_component(rules, item).map_err(|e| e.to_string())?);
        }
    }
    let handlers =
        stubs::complete(handlers, rules_of(Component::Function)).map_err(|e| e.to_string())?;
    let dependency = match (args.version, args.git) {
        (Some(v), _) => Dependency::Version(v),
        (None, Some(url)) => Dependency::Git { url, rev: args.rev },
        (None, None) => match checkout_webhook() {
            Some(path) => Dependency::Path(path.display().to_string()),
            None => Dependency::Version(env!("CARGO_PKG_VERSION").to_owned()),
        },
    };
    let name = package_name(&args.dir)?;
    if !args.force && is_non_empty(&args.dir)? {
        return Err(format!(
            "{} is not empty; pass --force to write into it (files of the same name are replaced)",
            args.dir.display()
        ));
    }
    let files = stubs::app_crate(&name, &handlers, &dependency);
    for (rel, text) in &files {
        let path = args.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!(
        "created `{name}` in {} with {} handler(s); next: cd {} && cargo test && cargo run",
        args.dir.display(),
        handlers.len(),
        args.dir.display()
    );
    Ok(())
}

fn package_name(dir: &Path) -> Result<String, String> {
    let last = dir.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        format!(
            "{}: no directory name to use as package name",
            dir.display()
        )
    })?;
    let name: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("`{last}` cannot be a package name"));
    }
    Ok(name)
}

fn is_non_empty(dir: &Path) -> Result<bool, String> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("cannot read {}: {e}", dir.display())),
    }
}

fn main() -> ExitCode {
    let Cargo::Cliq(command) = Cargo::parse();
    let result = match command {
        Command::New(args) => run_new(args),
        Command::Diff(args) => return drift::diff(args),
        Command::Push(args) => return drift::push(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
