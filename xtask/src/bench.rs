//! `cargo xtask bench`: the side-by-side figures of `BENCHMARKS.md`, re-runnable from a clean
//! clone. Installs the peers it compares against, builds what it measures in release, runs
//! every comparison alternating A B A B … in one run, and writes `BENCHMARKS.md`.
//!
//! Benchmarks, not tests: nothing here fails because the machine is slow; a peer that refuses
//! a spec is a result, written in the table.

use crate::{cargo, project_root};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Whole-process runs per command and spec (alternating between the tools).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Do not install missing peers (they are then reported as not installed).
    #[arg(long)]
    no_install: bool,
    /// Skip OpenAPI Generator (a JVM start per run: the slowest part of the harness).
    #[arg(long)]
    no_openapi_generator: bool,
    /// Runs of OpenAPI Generator per spec (in the first rounds; 10–60 s each, and its ratio
    /// is two orders of magnitude, so one run is enough to place it).
    #[arg(long, default_value_t = 1)]
    openapi_generator_runs: usize,
    /// Seconds of load per HTTP round (rounds alternate bot, bare, bot, bare, …).
    #[arg(long, default_value_t = 10)]
    http_seconds: u32,
    /// HTTP rounds per server.
    #[arg(long, default_value_t = 3)]
    http_rounds: usize,
    /// Skip the criterion benches (figures 2 and 5).
    #[arg(long)]
    no_criterion: bool,
    /// Where to write the report (default: BENCHMARKS.md at the workspace root).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// One measured run of a command.
struct Sample {
    wall: Duration,
    peak_kib: Option<u64>,
}

/// The outcome of one tool on one spec.
enum Outcome {
    Ran(Vec<Sample>),
    Refused(String),
    Missing(String),
}

struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

fn stats(mut v: Vec<f64>) -> Option<Stats> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(Stats {
        median,
        min: v[0],
        max: v[n - 1],
    })
}

fn ms(o: &Outcome) -> Option<Stats> {
    match o {
        Outcome::Ran(s) => stats(s.iter().map(|s| s.wall.as_secs_f64() * 1e3).collect()),
        _ => None,
    }
}

fn peak_mib(o: &Outcome) -> Option<f64> {
    match o {
        Outcome::Ran(s) => s
            .iter()
            .filter_map(|s| s.peak_kib)
            .max()
            .map(|k| k as f64 / 1024.0),
        _ => None,
    }
}

fn cell(o: &Outcome) -> String {
    match o {
        Outcome::Ran(_) => match ms(o) {
            Some(s) => format!("{:.0} ms ({:.0}–{:.0})", s.median, s.min, s.max),
            None => "—".into(),
        },
        Outcome::Refused(why) => format!("refused: {why}"),
        Outcome::Missing(why) => format!("not run: {why}"),
    }
}

fn ratio(ours: &Outcome, peer: &Outcome) -> String {
    match (ms(ours), ms(peer)) {
        (Some(a), Some(b)) if a.median > 0.0 => format!("{:.1}×", b.median / a.median),
        _ => "—".into(),
    }
}

/// Is `program` on PATH?
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
}

/// Runs `cmd`, echoing it first.
fn run_status(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    eprintln!("$ {shown}");
    crate::run_status(&shown, cmd)
}

/// Installs what is missing; returns a note per peer that could not be installed.
fn install_peers(args: &Args) -> Vec<String> {
    let mut notes = Vec::new();
    if args.no_install {
        return notes;
    }
    if !on_path("cargo-progenitor") {
        if let Err(e) = run_status(cargo().args(["install", "cargo-progenitor"])) {
            notes.push(format!("cargo-progenitor: {e}"));
        }
    }
    if !args.no_openapi_generator && !on_path("openapi-generator-cli") {
        if let Err(e) = run_status(Command::new("python3").args([
            "-m",
            "pip",
            "install",
            "--user",
            "openapi-generator-cli",
        ])) {
            notes.push(format!("openapi-generator-cli: {e}"));
        }
    }
    if !on_path("wrk") && !on_path("oha") {
        let apt = run_status(Command::new("apt-get").arg("update"))
            .and_then(|()| run_status(Command::new("apt-get").args(["install", "-y", "wrk"])));
        if apt.is_err() {
            if let Err(e) = run_status(cargo().args(["install", "oha"])) {
                notes.push(format!("wrk/oha: {e}"));
            }
        }
    }
    notes
}

/// Runs `program` with `argv` once, timed, with its peak RSS from `/usr/bin/time` when present.
fn timed(program: &str, argv: &[String], scratch: &Path) -> Result<Sample, String> {
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
        let err = String::from_utf8_lossy(&out.stderr);
        let line = err
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.contains("Command exited"))
            .rfind(|l| !l.trim().chars().all(|c| c.is_ascii_digit()))
            .unwrap_or("no message")
            .trim()
            .chars()
            .take(140)
            .collect::<String>();
        return Err(line.replace('|', "/"));
    }
    let peak_kib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    Ok(Sample { wall, peak_kib })
}

/// A generator under comparison: how to run it on (spec, output directory).
struct Tool {
    name: &'static str,
    program: String,
    args: fn(&Path, &Path, &str) -> Vec<String>,
    available: Result<(), String>,
}

fn ours_args(spec: &Path, out: &Path, _: &str) -> Vec<String> {
    vec![
        "codegen".into(),
        "--spec".into(),
        spec.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ]
}

fn progenitor_args(spec: &Path, out: &Path, name: &str) -> Vec<String> {
    vec![
        "progenitor".into(),
        "-i".into(),
        spec.display().to_string(),
        "-o".into(),
        out.display().to_string(),
        "-n".into(),
        name.into(),
        "-v".into(),
        "0.1.0".into(),
    ]
}

fn oag_args(spec: &Path, out: &Path, _: &str) -> Vec<String> {
    vec![
        "generate".into(),
        "-g".into(),
        "rust".into(),
        "-i".into(),
        spec.display().to_string(),
        "-o".into(),
        out.display().to_string(),
    ]
}

/// Figure 1 and the generation half of figure 7: every spec, every tool, alternating.
fn generation(
    args: &Args,
    xtask: &Path,
    specs: &[(String, PathBuf)],
    scratch: &Path,
) -> Vec<(String, Vec<Outcome>)> {
    let which = |p: &str| {
        if on_path(p) {
            Ok(())
        } else {
            Err(format!("{p} is not installed"))
        }
    };
    let tools = [
        Tool {
            name: "cliq-rs",
            program: xtask.display().to_string(),
            args: ours_args,
            available: Ok(()),
        },
        Tool {
            name: "progenitor",
            program: "cargo-progenitor".into(),
            args: progenitor_args,
            available: which("cargo-progenitor"),
        },
        Tool {
            name: "openapi-generator",
            program: "openapi-generator-cli".into(),
            args: oag_args,
            available: if args.no_openapi_generator {
                Err("skipped (--no-openapi-generator)".into())
            } else {
                which("openapi-generator-cli")
            },
        },
    ];
    let mut rows = Vec::new();
    for (name, spec) in specs {
        eprintln!("generation: {name}");
        let mut samples: Vec<Result<Vec<Sample>, String>> = tools
            .iter()
            .map(|t| t.available.clone().map(|()| Vec::new()))
            .collect();
        for round in 0..args.runs {
            for (tool, result) in tools.iter().zip(samples.iter_mut()) {
                let Ok(list) = result else { continue };
                if tool.name == "openapi-generator" && round >= args.openapi_generator_runs {
                    continue;
                }
                let out = scratch.join("gen").join(tool.name).join(name);
                let _ = std::fs::remove_dir_all(&out);
                let crate_name = format!("bench-{}", name.replace(['.', '_'], "-"));
                match timed(
                    &tool.program,
                    &(tool.args)(spec, &out, &crate_name),
                    scratch,
                ) {
                    Ok(s) => list.push(s),
                    Err(e) => *result = Err(format!("refused: {e}")),
                }
            }
        }
        let outcomes = tools
            .iter()
            .zip(samples)
            .map(|(tool, r)| match r {
                Ok(s) => Outcome::Ran(s),
                Err(e) if e.starts_with("refused: ") => {
                    Outcome::Refused(e["refused: ".len()..].to_string())
                }
                Err(e) if tool.available.is_err() => Outcome::Missing(e),
                Err(e) => Outcome::Refused(e),
            })
            .collect();
        rows.push((name.clone(), outcomes));
    }
    rows
}

fn operation_count(spec: &Path) -> usize {
    std::fs::read_to_string(spec)
        .map(|t| t.matches("operationId").count())
        .unwrap_or(0)
}

/// (table name, path) of each spec measured.
type Specs = Vec<(String, PathBuf)>;

/// The specs of figure 1: Bots, `../shared/specs/**`, synthetic 100/1000/5000.
fn specs(root: &Path, scratch: &Path) -> Result<(Specs, Vec<String>), String> {
    let mut notes = Vec::new();
    let mut specs = vec![("bots.yaml".to_string(), root.join("spec/bots.yaml"))];
    let shared = root.join("../shared/specs");
    for sub in ["cliq", "other"] {
        let Ok(dir) = std::fs::read_dir(shared.join(sub)) else {
            notes.push(format!(
                "{} is absent: its specs are not measured",
                shared.join(sub).display()
            ));
            continue;
        };
        let mut files: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let n = f.file_name().map(|n| n.to_string_lossy().to_string());
            specs.push((format!("{sub}/{}", n.unwrap_or_default()), f));
        }
    }
    let synth = scratch.join("specs");
    std::fs::create_dir_all(&synth).map_err(|e| format!("{}: {e}", synth.display()))?;
    for n in [100, 1000, 5000] {
        let path = synth.join(format!("synth-{n}.json"));
        let out = Command::new("python3")
            .arg(root.join("bench/synth_spec.py"))
            .arg(n.to_string())
            .output()
            .map_err(|e| format!("python3 bench/synth_spec.py: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "bench/synth_spec.py {n}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        std::fs::write(&path, out.stdout).map_err(|e| format!("{}: {e}", path.display()))?;
        specs.push((format!("synth-{n}"), path));
    }
    Ok((specs, notes))
}

fn machine_line() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| {
                    l.split_whitespace()
                        .nth(1)
                        .and_then(|k| k.parse::<u64>().ok())
                })
        })
        .map(|k| format!("{:.0} GiB", k as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "? GiB".into());
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1).map(|s| s.trim().to_string()))
        })
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem} memory, {rustc}")
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn peer_versions() -> String {
    let v = |p: &str, a: &[&str]| {
        Command::new(p)
            .args(a)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| {
                let s = String::from_utf8_lossy(&o.stdout).to_string()
                    + &String::from_utf8_lossy(&o.stderr);
                s.lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .unwrap_or_else(|| "not installed".into())
    };
    format!(
        "cargo-progenitor: {}; openapi-generator-cli: {}; wrk: {}",
        v("cargo-progenitor", &["progenitor", "--version"]),
        v("openapi-generator-cli", &["version"]),
        v("wrk", &["-v"]),
    )
}

/// Reads a criterion estimate (median, ns) of `group/id`.
fn criterion_median(root: &Path, group: &str, id: &str) -> Option<f64> {
    let path = root
        .join("target/criterion")
        .join(group)
        .join(id.replace('/', "_"))
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Figure 2: stages of generation in process vs the parse + format floor (criterion).
fn stages_section(root: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 2. Generation in process, by stage (criterion, median)\n"
    );
    let _ = writeln!(
        report,
        "`cargo bench -p cliq-codegen --bench stages`. Floor = serde parse of the same text into \
         an untyped value + prettyplease of the same output files (syn-parsed outside the timing). \
         `generate` = lower + tokens + prettyplease (as `cliq_codegen::generate` does it).\n"
    );
    let _ = writeln!(
        report,
        "| spec | parse (ours) | parse floor | lower | generate | prettyplease floor | write | ours total | floor total | ratio |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for spec in ["bots", "nexus", "synth-100", "synth-1000", "synth-5000"] {
        let g = |id: &str| criterion_median(root, "stages", &format!("{spec}/{id}"));
        let (Some(parse), Some(floor_parse), Some(lower), Some(generate), Some(pp), Some(write)) = (
            g("parse"),
            g("floor_parse"),
            g("lower"),
            g("generate"),
            g("floor_prettyplease"),
            g("write"),
        ) else {
            let _ = writeln!(report, "| {spec} | not measured |||||||||");
            continue;
        };
        let ours = parse + generate;
        let floor = floor_parse + pp;
        let _ = writeln!(
            report,
            "| {spec} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2}× |",
            fmt_ns(parse),
            fmt_ns(floor_parse),
            fmt_ns(lower),
            fmt_ns(generate),
            fmt_ns(pp),
            fmt_ns(write),
            fmt_ns(ours),
            fmt_ns(floor),
            ours / floor
        );
    }
}

/// Figure 5: dispatch in process vs the serde floor (criterion + counting allocator).
fn dispatch_section(root: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 5. Dispatch in process (criterion, median; allocations from a counting allocator)\n"
    );
    let _ = writeln!(
        report,
        "`cargo bench -p cliq-webhook --bench dispatch`. Floor = `serde_json` parse of the same \
         bytes into the same extractor structs + serialize of the same reply.\n"
    );
    let allocs: serde_json::Value = std::fs::read_to_string(root.join("target/bench/allocs.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    let _ = writeln!(
        report,
        "| handler type | dispatch | floor | ratio | allocs/request | floor allocs | ratio |\n|---|---|---|---|---|---|---|"
    );
    for kind in ["message", "menu", "welcome", "participation"] {
        let d = criterion_median(root, "dispatch", &format!("{kind}/dispatch"));
        let f = criterion_median(root, "dispatch", &format!("{kind}/floor"));
        let ad = allocs[kind]["dispatch"].as_f64();
        let af = allocs[kind]["floor"].as_f64();
        let r = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
            _ => "—".into(),
        };
        let n = |a: Option<f64>| a.map(|a| format!("{a:.0}")).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            report,
            "| {kind} | {} | {} | {} | {} | {} | {} |",
            d.map(fmt_ns).unwrap_or_else(|| "—".into()),
            f.map(fmt_ns).unwrap_or_else(|| "—".into()),
            r(d, f),
            n(ad),
            n(af),
            r(ad, af)
        );
    }
}

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

fn rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse().ok()))
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(program: &Path, envs: &[(&str, String)], port: u16) -> Result<Server, String> {
    let child = Command::new(program)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let server = Server(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{} did not listen on {port}", program.display()))
}

/// Figures 6 and the server half of 7: example bot vs bare axum route, wrk, alternating.
fn http_section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 6. Dispatch over HTTP (wrk -t2 -c32, release, 127.0.0.1)\n"
    );
    let result = (|| -> Result<String, String> {
        if !on_path("wrk") {
            return Err("wrk is not installed".into());
        }
        run_status(cargo().current_dir(root).args([
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
            bot_runs.push(run_wrk(
                &format!("http://127.0.0.1:{bot_port}/cliq"),
                &body,
                args.http_seconds,
                scratch,
            )?);
            bare_runs.push(run_wrk(
                &format!("http://127.0.0.1:{floor_port}/cliq"),
                &body,
                args.http_seconds,
                scratch,
            )?);
        }
        let bot_requests: u64 = bot_runs.iter().map(|r| r.requests).sum();
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

pub fn run(args: Args) -> Result<(), String> {
    let root = project_root();
    let scratch = root.join("target/bench");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let machine = machine_line();
    let load_before = loadavg();
    let install_notes = install_peers(&args);
    run_status(
        cargo()
            .current_dir(&root)
            .args(["build", "--release", "-p", "xtask"]),
    )?;
    let xtask = root.join("target/release/xtask");
    let (specs, spec_notes) = specs(&root, &scratch)?;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "# Benchmarks\n\nWritten by `cargo xtask bench` (see `xtask/src/bench.rs`); re-run it to \
         refresh every figure. Ratios come from runs alternating A B A B … in one run, so they \
         hold better than the absolute times on a busy machine.\n"
    );
    let _ = writeln!(report, "Machine: {machine}.  ");
    let _ = writeln!(report, "Load average at start: {load_before}.  ");
    let _ = writeln!(report, "Peers: {}.", peer_versions());
    for n in install_notes.iter().chain(&spec_notes) {
        let _ = writeln!(report, "\n- {n}");
    }

    let rows = generation(&args, &xtask, &specs, &scratch);
    let _ = writeln!(
        report,
        "\n## 1. Generation, whole command (median of {} runs, min–max)\n\n\
         Ours: release `xtask codegen --spec S --out D` (a standalone crate). Peers: \
         `cargo progenitor -i S -o D -n N -v 0.1.0`, `openapi-generator-cli generate -g rust`. \
         Output directories are removed before each run.\n",
        args.runs
    );
    let _ = writeln!(
        report,
        "| spec | operations | cliq-rs | progenitor | openapi-generator | vs progenitor | vs openapi-generator |\n|---|---|---|---|---|---|---|"
    );
    for ((name, path), (_, o)) in specs.iter().zip(&rows) {
        let _ = writeln!(
            report,
            "| {name} | {} | {} | {} | {} | {} | {} |",
            operation_count(path),
            cell(&o[0]),
            cell(&o[1]),
            cell(&o[2]),
            ratio(&o[0], &o[1]),
            ratio(&o[0], &o[2]),
        );
    }
    let _ = writeln!(
        report,
        "\n## 7a. Peak RSS of generation (max over runs)\n\n| spec | cliq-rs | progenitor | openapi-generator |\n|---|---|---|---|"
    );
    let mib = |o: &Outcome| {
        peak_mib(o)
            .map(|m| format!("{m:.0} MiB"))
            .unwrap_or_else(|| "—".into())
    };
    for (name, o) in &rows {
        let _ = writeln!(
            report,
            "| {name} | {} | {} | {} |",
            mib(&o[0]),
            mib(&o[1]),
            mib(&o[2])
        );
    }

    if !args.no_criterion {
        let bench = |package: &str, bench: &str| {
            run_status(
                cargo()
                    .current_dir(&root)
                    .args(["bench", "-p", package, "--bench", bench, "--", "--noplot"]),
            )
        };
        if let Err(e) = bench("cliq-codegen", "stages") {
            eprintln!("{e}");
        }
        if let Err(e) = bench("cliq-webhook", "dispatch") {
            eprintln!("{e}");
        }
    }
    stages_section(&root, &mut report);
    dispatch_section(&root, &mut report);
    http_section(&args, &root, &scratch, &mut report);
    let _ = writeln!(report, "\nLoad average at end: {}.", loadavg());

    let out = args.out.unwrap_or_else(|| root.join("BENCHMARKS.md"));
    let text = splice(&std::fs::read_to_string(&out).unwrap_or_default(), &report);
    std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

const START: &str = "<!-- figures: written by `cargo xtask bench`, do not edit by hand -->";
const END: &str = "<!-- end of figures -->";

/// Replaces the figures between the markers, keeping the hand-written analysis around them.
fn splice(existing: &str, figures: &str) -> String {
    match (existing.find(START), existing.find(END)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{START}\n{figures}{}", &existing[..a], &existing[b..])
        }
        _ => format!("{START}\n{figures}{END}\n{existing}"),
    }
}
