//! `cargo cliq new <dir> --handlers message,mention,menu:Deploy,...`: a complete, tested bot
//! crate with one stub per handler, generated from the handler rules of the Bots spec this
//! binary was built with (`spec/bots.yaml`, embedded).
//!
//! `cargo cliq diff` / `cargo cliq push`: the bot's declared handler configuration against
//! Cliq's (see [`drift`]).

mod drift;
mod stubs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stubs::Dependency;

/// The Bots spec, embedded at build time: the same source the handler macro's rules come from.
// `cli/spec/bots.yaml` links to the workspace's spec, so the package carries its own copy.
const SPEC: &str = include_str!("../spec/bots.yaml");

#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    /// Zoho Cliq bot tools.
    #[command(subcommand)]
    Cliq(Command),
}

#[derive(Subcommand)]
enum Command {
    /// Write a new bot crate into DIR.
    New(NewArgs),
    /// Show how Cliq's handler configuration differs from the code (exit 1 when it does).
    Diff(drift::DriftArgs),
    /// Make Cliq's handler configuration match the code (creates, edits, deletes handlers).
    Push(drift::DriftArgs),
}

#[derive(clap::Args)]
struct NewArgs {
    /// Directory to create (its last component is the package name).
    dir: PathBuf,
    /// Handler types by short name: message, mention, welcome, context, participation,
    /// incoming_webhook, menu:<action name>, call.
    #[arg(long, required = true)]
    handlers: String,
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

/// `cliq-webhook` of the checkout this binary was built from, if it is one (a binary installed
/// from a package was built from the registry's sources, with no `webhook/` beside them).
fn checkout_webhook() -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let webhook = here.parent().unwrap_or(&here).join("webhook");
    webhook.join("Cargo.toml").is_file().then_some(webhook)
}

fn run_new(args: NewArgs) -> Result<(), String> {
    let rules = stubs::handler_rules(SPEC).map_err(|e| format!("embedded spec: {e}"))?;
    let handlers = stubs::parse_handlers(&rules, &args.handlers).map_err(|e| e.to_string())?;
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
    let files = stubs::bot_crate(&name, &handlers, &dependency);
    for (rel, text) in &files {
        let path = args.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!(
        "created bot `{name}` in {} with {} handler(s); next: cd {} && cargo test && cargo run",
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
