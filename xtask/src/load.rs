//! `cargo xtask load`: the example bot under loopback load (ROBUSTNESS.md, "Load").
//!
//! Builds the example bot (`echo_bot`) and the load client (`bench/load`, `cliq-load`) in
//! release in one cargo run, starts the bot on 127.0.0.1 with signature verification on (the
//! webhook test kit's public key), runs the client for `--seconds` with a fixed mix of signed
//! good requests and hostile ones, and reports good requests and their errors, hostile answers
//! by kind and status, latency percentiles and the bot's RSS (`/proc/PID/status` `VmRSS`) at
//! start and end. Fails when a good request failed, a hostile one got a 5xx or no answer, or
//! the bot died. Run it under `nice` on a shared machine: it loads every core for the run.

use crate::process::{cargo, project_root, rss_kib, KillOnDrop};
use serde_json::Value;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Arguments of `cargo xtask load`.
#[derive(clap::Args)]
pub struct Args {
    /// Seconds of load.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Concurrent connections of the load client.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// The bot's replay window in seconds (default: the runtime's, 300). A window shorter than
    /// the run shows the replay store's plateau: it holds one window of signatures.
    #[arg(long)]
    replay_window: Option<u64>,
    /// Replace the block between the `load:begin` / `load:end` markers of ROBUSTNESS.md with
    /// the report (otherwise it is only printed).
    #[arg(long)]
    write: bool,
}

const BEGIN: &str = "<!-- load:begin (written by `cargo xtask load --write`) -->";
const END: &str = "<!-- load:end -->";

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// Waits until `GET /health` answers 200.
fn wait_healthy(port: u16, bot: &mut Child) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = bot.try_wait() {
            return Err(format!("the bot exited at start: {status}"));
        }
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let mut answer = String::new();
            let _ = s.write_all(b"GET /health HTTP/1.0\r\nhost: 127.0.0.1\r\n\r\n");
            let _ = s.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the bot did not answer GET /health within 30 s".into())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn utc_now() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown date".into())
}

pub fn run(args: Args) -> Result<(), String> {
    let root = project_root();
    eprintln!("building the example bot and the load client in release…");
    let status = cargo()
        .current_dir(&root)
        .args(["build", "--release", "--quiet"])
        .args(["-p", "cliq-examples", "--example", "echo_bot"])
        .args(["-p", "cliq-load", "--bin", "cliq-load"])
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed: {status}"));
    }
    let release = root.join("target/release");
    let public_key = std::fs::read_to_string(root.join("webhook/src/testing/test_key_public.pem"))
        .map_err(|e| format!("test key: {e}"))?;
    let port = free_port()?;
    let mut command = Command::new(release.join("examples/echo_bot"));
    command
        .env("CLIQ_BOT_PORT", port.to_string())
        .env("CLIQ_BOT_PUBLIC_KEY", public_key)
        .env_remove("CLIQ_BOT_SECRET")
        .env_remove("CLIQ_BOT_REPLAY_WINDOW_SECS")
        .stdout(Stdio::null());
    if let Some(secs) = args.replay_window {
        command.env("CLIQ_BOT_REPLAY_WINDOW_SECS", secs.to_string());
    }
    let mut bot = KillOnDrop(
        command
            .spawn()
            .map_err(|e| format!("cannot start echo_bot: {e}"))?,
    );
    let pid = bot.0.id();
    wait_healthy(port, &mut bot.0)?;
    let rss_start = rss_kib(pid);
    let load_start = loadavg();
    let date = utc_now();
    eprintln!(
        "echo_bot (pid {pid}) on 127.0.0.1:{port}; {} s of load, {} connections…",
        args.seconds, args.concurrency
    );
    let output = Command::new(release.join("cliq-load"))
        .args(["--url", &format!("http://127.0.0.1:{port}/cliq")])
        .args(["--seconds", &args.seconds.to_string()])
        .args(["--concurrency", &args.concurrency.to_string()])
        .args(["--pid", &pid.to_string(), "--sign"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cliq-load: {e}"))?;
    let exited = bot.0.try_wait().ok().flatten();
    let rss_end = rss_kib(pid);
    drop(bot);
    if !output.status.success() {
        return Err(format!("cliq-load failed: {}", output.status));
    }
    let summary: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cannot read cliq-load's summary: {e}"))?;
    let facts = Facts {
        date,
        load_start,
        load_end: loadavg(),
        rss_start,
        rss_end,
        bot_exited: exited.map(|s| s.to_string()),
        replay_window: args.replay_window.unwrap_or(300),
    };
    let (report, problems) = render(&summary, &facts);
    println!("{report}");
    if args.write {
        write_block(&root.join("ROBUSTNESS.md"), &report)?;
        eprintln!("ROBUSTNESS.md updated");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// What the orchestrator saw besides the client's summary.
struct Facts {
    date: String,
    load_start: String,
    load_end: String,
    rss_start: Option<u64>,
    rss_end: Option<u64>,
    bot_exited: Option<String>,
    /// Seconds.
    replay_window: u64,
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("—".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn ms(v: &Value) -> String {
    v.as_u64()
        .map_or("—".into(), |us| format!("{:.2} ms", us as f64 / 1000.0))
}

/// The Markdown block and the problems found (empty: the run passed).
fn render(s: &Value, f: &Facts) -> (String, Vec<String>) {
    let mut problems = Vec::new();
    let mut r = String::new();
    let good = &s["good"];
    let hostile = &s["hostile"];
    let _ = writeln!(r, "{BEGIN}");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let hostile_kinds = hostile["by_kind"]
        .as_object()
        .map_or(0, |kinds| kinds.len());
    let _ = writeln!(
        r,
        "Run of {}: {:.0} s, {} connections, example bot and client built in release, on {} \
         cores (load average {} at start, {} at end), signature verification on with a {} s \
         replay window. {} requests, {:.0} per second.\n",
        f.date,
        s["seconds"].as_f64().unwrap_or(0.0),
        s["concurrency"],
        cores,
        f.load_start,
        f.load_end,
        f.replay_window,
        s["requests"],
        s["requests_per_second"].as_f64().unwrap_or(0.0),
    );
    let _ = writeln!(r, "| Requests | Sent | Errors | p50 | p99 | p99.9 | max |");
    let _ = writeln!(r, "|---|---|---|---|---|---|---|");
    for (name, v, errors) in [
        (
            "good (signed, every handler type of the bot, fresh timestamp)".to_owned(),
            good,
            good["errors"].to_string(),
        ),
        (
            format!("hostile ({hostile_kinds} kinds, table below)"),
            hostile,
            "—".into(),
        ),
    ] {
        let l = &v["latency"];
        let _ = writeln!(
            r,
            "| {name} | {} | {errors} | {} | {} | {} | {} |",
            v["sent"],
            ms(&l["p50_us"]),
            ms(&l["p99_us"]),
            ms(&l["p999_us"]),
            ms(&l["max_us"]),
        );
    }
    if good["errors"].as_u64() != Some(0) {
        problems.push(format!(
            "good requests failed: {}",
            good["errors_by_status"]
        ));
    }
    let _ = writeln!(r, "\n| Hostile kind | Answers by status |\n|---|---|");
    if let Some(kinds) = hostile["by_kind"].as_object() {
        for (kind, statuses) in kinds {
            let mut cells = Vec::new();
            for (status, n) in statuses.as_object().into_iter().flatten() {
                cells.push(format!("{status}: {n}"));
                if !status.starts_with('2') && !status.starts_with('4') {
                    problems.push(format!("hostile {kind}: {n} × {status}"));
                }
            }
            let _ = writeln!(r, "| `{kind}` | {} |", cells.join(", "));
        }
    }
    let samples: Vec<(u64, u64)> = s["rss_kib"]["samples"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p[0].as_u64()?, p[1].as_u64()?)))
        .collect();
    let every_10s: Vec<String> = samples
        .iter()
        .filter(|(t, _)| t % 10 == 0)
        .map(|(t, k)| format!("{t} s: {}", mib(Some(*k))))
        .collect();
    let _ = writeln!(
        r,
        "\nRSS of the bot: {} idle before the load; during the load {}; {} after it (client \
         gone, connections closed).",
        mib(f.rss_start),
        if every_10s.is_empty() {
            "no samples".into()
        } else {
            every_10s.join(", ")
        },
        mib(f.rss_end.or(s["rss_kib"]["end"].as_u64())),
    );
    if let Some(status) = &f.bot_exited {
        problems.push(format!("the bot exited during the load: {status}"));
        let _ = writeln!(r, "\n**The bot exited during the load: {status}.**");
    }
    let _ = write!(r, "{END}");
    (r, problems)
}

/// Replaces the marked block of `path` with `block` (appends it when there is none).
fn write_block(path: &Path, block: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let updated = match (text.find(BEGIN), text.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{block}{}", &text[..b], &text[e + END.len()..])
        }
        _ => format!("{}\n{block}\n", text.trim_end()),
    };
    std::fs::write(path, updated).map_err(|e| format!("{}: {e}", path.display()))
}
