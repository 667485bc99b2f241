//! Project automation. `cargo xtask codegen [--check]`, `cargo xtask codegen --spec F --out D`,
//! `cargo xtask test`, `cargo xtask bench`, `cargo xtask load`.

mod bench;
mod codegen;
mod load;
// For `isolate`; the rest configures the tests' scratch builds.
#[path = "../../tests/src/scratch.rs"]
mod scratch;
mod test;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

// Generation is allocation-bound in a cold one-shot process (libc malloc/free were 35% of the
// self time of `xtask codegen`, see BENCHMARKS.md); only this binary picks the allocator, the
// library never does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "cliq-rs project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` (and the handler rules) from `spec/bots.yaml`,
    /// or generate a standalone crate for another spec with `--spec F --out D`.
    Codegen(codegen::Args),
    /// Install the test tools (tools/setup.sh) and run every check CI runs.
    Test(test::Args),
    /// Install the peers, measure every figure side by side and write BENCHMARKS.md.
    Bench(bench::Args),
    /// The example bot under 60 s of loopback load, good and hostile requests (ROBUSTNESS.md).
    Load(load::Args),
}

/// The workspace root (the parent of this crate's manifest directory).
pub fn project_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// A child process killed (and reaped) when dropped, so an early error never leaves it running.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The resident set size of process `pid` in KiB (`VmRSS` of `/proc/PID/status`), where there
/// is a `/proc`.
pub fn rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `cargo`: the one running xtask (`$CARGO`), else the one on `PATH`; without the variables
/// `cargo run` set for xtask itself, so what it builds is what `cargo` run from the shell
/// builds (build scripts record such variables: see `scratch::isolate`).
pub fn cargo() -> std::process::Command {
    let mut cargo =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    scratch::isolate(&mut cargo);
    cargo
}

/// Runs `cmd` to its end; the error names `what` when it cannot start or does not succeed.
pub fn run_status(what: &str, cmd: &mut std::process::Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Test(args) => test::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Load(args) => load::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
