//! Where the commands run and the child processes they start: the workspace root, `cargo`,
//! running to the end, killing on drop, resident memory.

use std::path::PathBuf;
use std::process::{Child, Command};

/// The workspace root (the parent of this crate's manifest directory).
pub fn project_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// `cargo`: the one running xtask (`$CARGO`), else the one on `PATH`; without the variables
/// `cargo run` set for xtask itself, so what it builds is what `cargo` run from the shell
/// builds (build scripts record such variables: see `scratch::isolate`).
pub fn cargo() -> Command {
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    crate::scratch::isolate(&mut cargo);
    cargo
}

/// Runs `cmd` to its end; the error names `what` when it cannot start or does not succeed.
pub fn run_status(what: &str, cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Runs `cmd` to its end and returns its standard output; the error names `what` and carries
/// its standard error when it cannot start or does not succeed.
pub fn stdout_of(what: &str, cmd: &mut Command) -> Result<Vec<u8>, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A child process killed (and reaped) when dropped, so an early error never leaves it running.
pub struct KillOnDrop(pub Child);

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

/// [`run_status`], echoing the command first (`$ "cargo" "build" …`).
pub fn run_echoed(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    eprintln!("$ {shown}");
    run_status(&shown, cmd)
}
