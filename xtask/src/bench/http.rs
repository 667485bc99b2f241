//! Figures 6 and 7b: the example bot against a bare axum route over HTTP (wrk or oha),
//! alternating, and the bot's memory after the run.

use super::args::Args;
use super::peers::on_path;
use super::stats::stats;
use crate::process::{cargo, rss_kib, run_echoed, KillOnDrop};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

struct WrkResult {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
}

fn wrk_latency(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v / 1e3,
        "ms" => v,
        "s" => v * 1e3,
        _ => return None,
    })
}

fn run_wrk(url: &str, body_file: &Path, seconds: u32, scratch: &Path) -> Result<WrkResult, String> {
    let lua = scratch.join("post.lua");
    let body = std::fs::read_to_string(body_file).map_err(|e| e.to_string())?;
    std::fs::write(
        &lua,
        format!(
            "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{body}]==]\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    let out = Command::new("wrk")
        .args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(&lua)
        .arg(url)
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("non-2xx answers from {url}: {text}"));
    }
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
    };
    let rps = field("Requests/sec:").and_then(|v| v.parse().ok());
    let p50 = field("50%").and_then(|v| wrk_latency(&v));
    let p99 = field("99%").and_then(|v| wrk_latency(&v));
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next().and_then(|n| n.parse().ok()));
    match (rps, p50, p99, requests) {
        (Some(rps), Some(p50_ms), Some(p99_ms), Some(requests)) => Ok(WrkResult {
            rps,
            p50_ms,
            p99_ms,
            requests,
        }),
        _ => Err(format!("cannot read wrk's output: {text}")),
    }
}

/// The same load with `oha` (when `wrk` is absent): JSON output.
fn run_oha(url: &str, body_file: &Path, seconds: u32) -> Result<WrkResult, String> {
    let out = Command::new("oha")
        .args(["-z", &format!("{seconds}s"), "-c", "32", "-m", "POST"])
        .args([
            "-H",
            "Content-Type: application/json",
            "--no-tui",
            "-j",
            "-D",
        ])
        .arg(body_file)
        .arg(url)
        .output()
        .map_err(|e| format!("oha: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cannot read oha's output ({e})"))?;
    let codes = v["statusCodeDistribution"].as_object();
    if codes.is_some_and(|c| c.keys().any(|k| !k.starts_with('2'))) {
        return Err(format!(
            "non-2xx answers from {url}: {}",
            v["statusCodeDistribution"]
        ));
    }
    let requests = codes
        .map(|c| c.values().filter_map(|n| n.as_u64()).sum())
        .unwrap_or(0);
    match (
        v["summary"]["requestsPerSec"].as_f64(),
        v["latencyPercentiles"]["p50"].as_f64(),
        v["latencyPercentiles"]["p99"].as_f64(),
    ) {
        (Some(rps), Some(p50), Some(p99)) => Ok(WrkResult {
            rps,
            p50_ms: p50 * 1e3,
            p99_ms: p99 * 1e3,
            requests,
        }),
        _ => Err(format!("cannot read oha's output: {v}")),
    }
}

/// `wrk` when installed, else `oha`: the same generator for both servers of a run.
fn load(url: &str, body_file: &Path, seconds: u32, scratch: &Path) -> Result<WrkResult, String> {
    if on_path("wrk") {
        run_wrk(url, body_file, seconds, scratch)
    } else {
        run_oha(url, body_file, seconds)
    }
}

fn start(program: &Path, envs: &[(&str, String)], port: u16) -> Result<KillOnDrop, String> {
    let child = Command::new(program)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let server = KillOnDrop(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{} did not listen on {port}", program.display()))
}

/// Figures 6 and the server half of 7: example bot vs bare axum route, wrk, alternating.
pub(super) fn section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 6. Dispatch over HTTP ({}, 32 connections, release, 127.0.0.1)\n",
        if on_path("wrk") { "wrk -t2" } else { "oha" }
    );
    let result = (|| -> Result<String, String> {
        if !on_path("wrk") && !on_path("oha") {
            return Err("neither wrk nor oha is installed".into());
        }
        run_echoed(cargo().current_dir(root).args([
            "build",
            "--release",
            "-p",
            "cliq-examples",
            "--example",
            "echo_bot",
        ]))?;
        let floor = build_bench_binary(root, "cliq-webhook", "http_floor")?;
        let bot_bin = root.join("target/release/examples/echo_bot");
        let body = root.join("bench/message.json");
        let (bot_port, floor_port) = (18787u16, 18788u16);
        let bot = start(
            &bot_bin,
            &[("CLIQ_BOT_PORT", bot_port.to_string())],
            bot_port,
        )?;
        let bare = start(
            &floor,
            &[("BENCH_HTTP_PORT", floor_port.to_string())],
            floor_port,
        )?;
        let mut bot_runs = Vec::new();
        let mut bare_runs = Vec::new();
        for _ in 0..args.http_rounds {
            bot_runs.push(load(
                &format!("http://127.0.0.1:{bot_port}/cliq"),
                &body,
                args.http_seconds,
                scratch,
            )?);
            bare_runs.push(load(
                &format!("http://127.0.0.1:{floor_port}/cliq"),
                &body,
                args.http_seconds,
                scratch,
            )?);
        }
        let mut bot_requests: u64 = bot_runs.iter().map(|r| r.requests).sum();
        // Figure 7: the bot's RSS after 1M requests; top it up to that count (bounded).
        let goal = 1_000_000u64;
        let bot_rps = stats(bot_runs.iter().map(|r| r.rps).collect()).map_or(0.0, |s| s.median);
        if !args.quick && bot_requests < goal && bot_rps > 0.0 {
            let secs = (((goal - bot_requests) as f64 / bot_rps) * 1.1)
                .ceil()
                .min(180.0) as u32;
            let extra = load(
                &format!("http://127.0.0.1:{bot_port}/cliq"),
                &body,
                secs.max(1),
                scratch,
            )?;
            bot_requests += extra.requests;
        }
        let bot_rss = rss_kib(bot.0.id());
        let bare_rss = rss_kib(bare.0.id());
        let s = |v: &[WrkResult], f: fn(&WrkResult) -> f64| {
            stats(v.iter().map(f).collect()).map(|s| (s.median, s.min, s.max))
        };
        let mut t = String::from(
            "| server | req/s median (min–max) | p50 ms | p99 ms |\n|---|---|---|---|\n",
        );
        for (name, runs) in [
            ("example bot (`echo_bot`, message handler)", &bot_runs),
            ("bare axum route, same JSON work", &bare_runs),
        ] {
            let (r, r0, r1) = s(runs, |r| r.rps).unwrap_or_default();
            let (p50, _, _) = s(runs, |r| r.p50_ms).unwrap_or_default();
            let (p99, _, _) = s(runs, |r| r.p99_ms).unwrap_or_default();
            let _ = writeln!(
                t,
                "| {name} | {r:.0} ({r0:.0}–{r1:.0}) | {p50:.2} | {p99:.2} |"
            );
        }
        let rb = s(&bot_runs, |r| r.rps).map(|x| x.0).unwrap_or(0.0);
        let rf = s(&bare_runs, |r| r.rps).map(|x| x.0).unwrap_or(1.0);
        let _ = writeln!(
            t,
            "\nRatio bot / bare (req/s): **{:.2}×** (goal ≥ 0.97×). {} rounds of {} s each, alternating.",
            rb / rf,
            args.http_rounds,
            args.http_seconds
        );
        let _ = writeln!(
            t,
            "\n## 7b. Memory of the example bot\n\nRSS after {bot_requests} requests: {} (bare axum server: {}).",
            bot_rss
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "?".into()),
            bare_rss
                .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "?".into()),
        );
        Ok(t)
    })();
    match result {
        Ok(t) => report.push_str(&t),
        Err(e) => {
            let _ = writeln!(report, "Not measured: {e}");
        }
    }
}

/// Builds a `harness = false` bench target in release and returns its executable.
fn build_bench_binary(root: &Path, package: &str, bench: &str) -> Result<PathBuf, String> {
    let out = cargo()
        .current_dir(root)
        .args([
            "bench",
            "--no-run",
            "--message-format=json",
            "-p",
            package,
            "--bench",
            bench,
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo bench --no-run: {e}"))?;
    if !out.status.success() {
        return Err(format!("cannot build bench {bench} of {package}"));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"]["name"] == bench)
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("no executable for bench {bench}"))
}
