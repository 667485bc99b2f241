//! One whole-process run of a command, timed, with its peak memory; a failed run is the
//! command's refusal in its own words.

use super::refusal::refusal;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One measured run of a command.
pub(super) struct Sample {
    pub(super) wall: Duration,
    pub(super) peak_kib: Option<u64>,
}

/// Runs `program` with `argv` once, timed, with its peak RSS from `/usr/bin/time` when present.
pub(super) fn timed(program: &str, argv: &[String], scratch: &Path) -> Result<Sample, String> {
    let rss_file = scratch.join("rss.txt");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(argv).stdin(Stdio::null()).stdout(Stdio::null());
    cmd.stderr(Stdio::piped());
    let started = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let wall = started.elapsed();
    if !out.status.success() {
        return Err(refusal(&String::from_utf8_lossy(&out.stderr)));
    }
    let peak_kib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    Ok(Sample { wall, peak_kib })
}
