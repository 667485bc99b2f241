//! `cargo cliq diff` and `cargo cliq push`: the configuration an app's code declares (its
//! bot's handlers, its slash commands, message actions and functions) against the one Cliq
//! has, through the generated clients (`cliq_webhook::config` reads, compares and writes the
//! bot's; [`crate::components`] the other components'; this is the command line around them).
//!
//! The declared configuration comes from the bot binary itself: `cargo run --quiet -- --print-config`
//! in the current directory (or `--manifest-path`, `--bin`), which prints
//! `Bot::config()` as JSON when `main` calls `bot.print_config_if_requested()`; or from a
//! file written earlier by that command (`--config FILE`, `-` for stdin), for CI steps that
//! should not build the bot twice. Asking the binary keeps one source of truth: the
//! `#[cliq_handler]` attributes, read by the compiler, not re-parsed by this tool.
//!
//! Exit codes: `diff` 0 when Cliq matches, 1 when something differs; `push` 0 when Cliq
//! matches afterwards (with or without writes); both 2 on any error (credentials, network,
//! Cliq refusing a change).

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use cliq_webhook::config::{self, BotConfig, Change, PRINT_CONFIG_FLAG};

use crate::components::{self, Clients, ComponentChange, Scope};

/// Exit code for "something went wrong" (1 is "differs" for `diff`).
const TROUBLE: u8 = 2;

/// Arguments shared by `diff` and `push`.
#[derive(clap::Args)]
pub struct DriftArgs {
    /// The bot: its unique name, or its API endpoint URL copied from Cliq. Default:
    /// `$CLIQ_BOT`. Needed when the code declares bot handlers.
    #[arg(long)]
    bot: Option<String>,
    /// The app's execution URL (where Cliq posts to it), given to the commands, message
    /// actions and functions a push creates; Cliq's webhook components at this URL that the
    /// code does not declare are deleted. Default: `$CLIQ_EXECUTION_URL`.
    #[arg(long)]
    execution_url: Option<String>,
    /// Who sees the commands and message actions a push creates.
    #[arg(long, value_enum, default_value_t = Scope::Personal)]
    scope: Scope,
    /// The declared configuration as JSON (`--print-config`'s output), `-` for stdin,
    /// instead of running the bot binary.
    #[arg(long, conflicts_with_all = ["manifest_path", "bin"])]
    config: Option<PathBuf>,
    /// The bot crate's `Cargo.toml` (default: the one cargo finds from here).
    #[arg(long)]
    manifest_path: Option<PathBuf>,
    /// Which binary of the bot crate to run.
    #[arg(long)]
    bin: Option<String>,
}

/// What to set when no bot is named.
fn credentials_help() -> String {
    format!(
        "cargo cliq reads Cliq with the same variables as the client (see cliq_runtime::env):
  export CLIQ_DATA_CENTER=eu            # {}
  export CLIQ_ACCESS_TOKEN=1000.xxxx    # or CLIQ_CLIENT_ID + CLIQ_CLIENT_SECRET + CLIQ_REFRESH_TOKEN
  export CLIQ_BOT=deploybot             # or pass --bot (when the code declares bot handlers)
  export CLIQ_EXECUTION_URL=https://example.com/cliq   # or pass --execution-url (commands, message actions, functions)
The token needs the scopes ZohoCliq.Bots.READ (diff) and ZohoCliq.Bots.UPDATE (push), and for
commands, message actions and functions ZohoCliq.Commands.*, ZohoCliq.MessageActions.* and
ZohoCliq.Functions.* (READ for diff; CREATE, UPDATE, DELETE for push).",
        cliq_runtime::env::data_center_codes()
    )
}

/// `cargo cliq diff`.
pub fn diff(args: DriftArgs) -> ExitCode {
    run(args, false)
}

/// `cargo cliq push`.
pub fn push(args: DriftArgs) -> ExitCode {
    run(args, true)
}

fn run(args: DriftArgs, push: bool) -> ExitCode {
    match compare_and_apply(args, push) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(TROUBLE)
        }
    }
}

fn compare_and_apply(args: DriftArgs, push: bool) -> Result<ExitCode, String> {
    // Credentials and the bot first: they fail fast, building the bot does not.
    let bot = args
        .bot
        .clone()
        .or_else(|| std::env::var("CLIQ_BOT").ok())
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty());
    let url = args
        .execution_url
        .clone()
        .or_else(|| std::env::var("CLIQ_EXECUTION_URL").ok())
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    let no_bot = || {
        format!(
            "no bot: pass --bot <unique name> or set CLIQ_BOT (an app without a bot: \
             --execution-url or CLIQ_EXECUTION_URL)\n{}",
            credentials_help()
        )
    };
    if bot.is_none() && url.is_none() {
        return Err(no_bot());
    }
    // The limiter keeps a diff of a bot with many handlers under Zoho's per-minute thresholds
    // (10 handler reads a minute) by waiting, instead of earning a 5-minute lockout.
    let runtime_client = cliq_runtime::env::builder_from_env()
        .map_err(|e| format!("no usable Cliq credentials: {e}"))?
        .rate_limiter(true)
        .build()
        .map_err(|e| format!("no usable Cliq client: {e}"))?;
    let declared = declared_config(&args)?;
    if bot.is_none() && !declared.handlers.is_empty() {
        return Err(no_bot());
    }
    // An app serving several bots: the named bot's handlers only (never an empty set, which
    // `push` would read as "delete every handler").
    let declared = match &bot {
        Some(b) => {
            let name = cliq_runtime::BotName::new(b);
            declared.for_bot(name.as_str()).ok_or_else(|| {
                format!(
                    "the code declares no handlers for bot `{}`; its bots: {}",
                    name.as_str(),
                    declared.bots().join(", ")
                )
            })?
        }
        None => declared,
    };
    let client = cliq_api::bots::Client::new(runtime_client.clone());
    let clients = Clients::new(runtime_client);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let mut bot_changes: Vec<Change> = Vec::new();
        if let Some(bot) = &bot {
            let live = config::live_config(&client, bot)
                .await
                .map_err(|e| e.to_string())?;
            bot_changes = config::diff(&declared, &live);
            println!(
                "bot `{bot}`: the code declares {} handler(s) (config hash {}), Cliq has {}",
                declared.handlers.len(),
                &declared.hash()[..12],
                live.handlers.len()
            );
        }
        let mut component_changes: Vec<ComponentChange> = Vec::new();
        if !declared.components.is_empty() || url.is_some() {
            let live = clients.live(&declared.components, url.as_deref()).await?;
            component_changes = components::diff(&declared.components, &live, url.as_deref());
            println!(
                "commands, message actions and functions: the code declares {}, Cliq has {} of them{}",
                declared.components.len(),
                live.len(),
                url.as_deref()
                    .map(|u| format!(" (with those at {u})"))
                    .unwrap_or_default()
            );
        }
        let total = bot_changes.len() + component_changes.len();
        if total == 0 {
            println!("Cliq matches the code");
            return Ok(ExitCode::SUCCESS);
        }
        print_changes(&bot_changes);
        for change in &component_changes {
            println!("{change}");
        }
        if !push {
            println!("{total} difference(s); `cargo cliq push` makes Cliq match the code");
            return Ok(ExitCode::from(1));
        }
        let mut applied = 0;
        if let Some(bot) = &bot {
            applied += config::apply(&client, bot, &bot_changes)
                .await
                .map_err(|e| e.to_string())?;
        }
        applied += clients
            .apply(&component_changes, url.as_deref(), args.scope)
            .await
            .map_err(|e| format!("{e}\n  ({applied} change(s) applied before)"))?;
        println!("applied {applied} change(s); Cliq matches the code");
        Ok(ExitCode::SUCCESS)
    })
}

fn print_changes(changes: &[Change]) {
    for change in changes {
        println!("{change}");
    }
}

fn declared_config(args: &DriftArgs) -> Result<BotConfig, String> {
    let (text, source) = match &args.config {
        Some(path) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            (text, "stdin".to_owned())
        }
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            path.display().to_string(),
        ),
        None => (
            print_config_of_binary(args)?,
            "the bot's --print-config".to_owned(),
        ),
    };
    BotConfig::from_json(&text).map_err(|e| {
        format!("{source} is not a bot configuration (`{PRINT_CONFIG_FLAG}` output): {e}")
    })
}

const PRINT_CONFIG_HINT: &str = "does the bot's `main` call `bot.print_config_if_requested()` \
     before serving? (see cliq_webhook::Bot::print_config_if_requested)";

/// Runs `cargo run --quiet [--manifest-path P] [--bin B] -- --print-config` and returns its
/// stdout. A bot that does not know the flag starts serving instead: its first line of output
/// is then not JSON, and it is stopped.
fn print_config_of_binary(args: &DriftArgs) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["run", "--quiet"]);
    if let Some(path) = &args.manifest_path {
        command.arg("--manifest-path").arg(path);
    }
    if let Some(bin) = &args.bin {
        command.args(["--bin", bin]);
    }
    command
        .args(["--", PRINT_CONFIG_FLAG])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let shown = "cargo run -- --print-config";
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| format!("`{shown}`: no stdout"))?;
    let mut text = String::new();
    let mut reader = BufReader::new(stdout);
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| format!("`{shown}`: reading its output: {e}"))?;
        if n == 0 {
            break;
        }
        if text.trim().is_empty() && !line.trim().is_empty() && !line.trim_start().starts_with('{')
        {
            // Stopping a child we started, by its handle; its exit status no longer matters.
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`{shown}` printed {:?} instead of the configuration; {PRINT_CONFIG_HINT}",
                line.trim()
            ));
        }
        text.push_str(&line);
    }
    let status = child.wait().map_err(|e| format!("`{shown}`: {e}"))?;
    if !status.success() {
        return Err(format!("`{shown}` failed ({status}); {PRINT_CONFIG_HINT}"));
    }
    Ok(text)
}
