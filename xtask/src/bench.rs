//! `cargo xtask bench`: the side-by-side figures of `BENCHMARKS.md`, re-runnable from a clean
//! clone. Installs the peers it compares against, builds what it measures in release, runs
//! every comparison alternating A B A B … in one run, and writes `BENCHMARKS.md`.
//!
//! Benchmarks, not tests: nothing here fails because the machine is slow; a peer that refuses
//! a spec is a result, written in the table.

use crate::{cargo, project_root, rss_kib, KillOnDrop};
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
    /// A quick pass (about 15 minutes on a quiet 2-core machine): 3 runs, a subset of the
    /// specs (Bots, Zoho's module specs, nexus, synthetic 100 and 1,000), OpenAPI Generator on
    /// Bots only, short criterion and HTTP rounds, one build round for figures 3 and 4, and no
    /// top-up of the example bot to 1M requests.
    #[arg(long)]
    quick: bool,
    /// An earlier build of the xtask binary, measured beside the current one in figure 1
    /// (the before/after of a change): `cp target/release/xtask /tmp/xtask-before` first.
    #[arg(long)]
    before: Option<PathBuf>,
    /// Only these sections, comma-separated: gen, stages, dispatch, client, http, crate, macro.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

impl Args {
    fn wants(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }

    /// Applies `--quick` to the knobs it shortens.
    fn quicken(&mut self) {
        if self.quick {
            self.runs = self.runs.min(3);
            self.http_seconds = self.http_seconds.min(3);
            self.http_rounds = self.http_rounds.min(2);
        }
    }
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
fn install_peers(args: &Args, root: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    if args.no_install {
        return notes;
    }
    if !on_path("cargo-progenitor") {
        if let Err(e) = run_status(cargo().args(["install", "cargo-progenitor"])) {
            notes.push(format!("cargo-progenitor: {e}"));
        }
    }
    if !args.no_openapi_generator && openapi_generator(root).is_none() {
        // Into a venv of the scratch directory: no system or user site-packages touched.
        let venv = root.join("target/bench/venv");
        let pip = venv.join("bin/pip");
        let installed = run_status(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .and_then(|()| {
                run_status(Command::new(&pip).args(["install", "openapi-generator-cli"]))
            });
        if let Err(e) = installed {
            notes.push(format!("openapi-generator-cli: {e}"));
        }
        if Command::new("java").arg("-version").output().is_err() {
            notes.push("openapi-generator-cli needs Java (17 or later) on PATH".into());
        }
    }
    if !on_path("wrk") && !on_path("oha") {
        if let Err(e) = run_status(cargo().args(["install", "oha"])) {
            notes.push(format!("oha: {e}"));
        }
    }
    notes
}

/// OpenAPI Generator's launcher: on PATH, else in the venv `install_peers` makes.
fn openapi_generator(root: &Path) -> Option<PathBuf> {
    let venv = root.join("target/bench/venv/bin/openapi-generator-cli");
    if venv.is_file() {
        return Some(venv);
    }
    on_path("openapi-generator-cli").then(|| PathBuf::from("openapi-generator-cli"))
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
        return Err(refusal(&String::from_utf8_lossy(&out.stderr)));
    }
    let peak_kib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    Ok(Sample { wall, peak_kib })
}

/// What a peer says when it refuses a spec, from its stderr, as one table cell: a Rust
/// panic's message, a Java exception's message (the errors it lists, not its stack frames),
/// or else the last line that says something.
fn refusal(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let message = rust_panic(&lines)
        .or_else(|| java_exception(&lines))
        .or_else(|| last_line(&lines))
        .unwrap_or_else(|| "no message".into());
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cell: String = one_line.chars().take(160).collect();
    if cell.len() < one_line.len() {
        cell.push('…');
    }
    cell.replace('|', "/")
}

/// `thread 'main' panicked at src/main.rs:1:2:` and the message on the lines after it, up
/// to the `note:` (or the older one-line form, `panicked at 'message', src/main.rs:1:2`).
fn rust_panic(lines: &[&str]) -> Option<String> {
    let at = lines.iter().position(|l| l.contains("panicked at "))?;
    let (_, rest) = lines[at].split_once("panicked at ")?;
    let message = if rest.ends_with(':') {
        lines[at + 1..]
            .iter()
            .take_while(|l| {
                !l.is_empty() && !l.starts_with("note:") && !l.starts_with("stack backtrace:")
            })
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        rest.to_string()
    };
    Some(format!("panicked: {message}"))
}

/// `Exception in thread "main" org.x.SomeException: message`, its last `Caused by:`, and the
/// errors listed under `Errors:` (OpenAPI Generator's spec validation), without the stack
/// frames: `SomeException: first error (and N more)`.
fn java_exception(lines: &[&str]) -> Option<String> {
    let header = lines
        .iter()
        .find_map(|l| l.strip_prefix("Exception in thread "))?;
    let thrown = lines
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("Caused by: "))
        .unwrap_or_else(|| thread_name_off(header));
    let (class, message) = thrown.split_once(": ").unwrap_or((thrown, ""));
    let class = class.rsplit('.').next().unwrap_or(class);
    let errors: Vec<&str> = lines
        .iter()
        .skip_while(|l| **l != "Errors:")
        .skip(1)
        .map_while(|l| l.strip_prefix('-'))
        .collect();
    Some(match errors.as_slice() {
        [] => format!("{class}: {message}"),
        [one] => format!("{class}: {one}"),
        [first, rest @ ..] => format!(
            "{class}: {first} (and {} more error{})",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    })
}

/// `"main" org.x.SomeException: message` without the quoted thread name.
fn thread_name_off(header: &str) -> &str {
    header
        .strip_prefix('"')
        .and_then(|h| h.split_once('"'))
        .map_or(header, |(_, exception)| exception.trim_start())
}

/// The last line that says something: not a stack frame, not `/usr/bin/time`'s own lines.
fn last_line(lines: &[&str]) -> Option<String> {
    let says_nothing = |l: &str| {
        l.is_empty()
            || l.starts_with("at ")
            || (l.starts_with("...") && l.ends_with("more"))
            || l.contains("Command exited")
            || l.chars().all(|c| c.is_ascii_digit())
    };
    lines
        .iter()
        .rfind(|l| !says_nothing(l))
        .map(|l| l.to_string())
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
    root: &Path,
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
            program: openapi_generator(root)
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            args: oag_args,
            available: if args.no_openapi_generator {
                Err("skipped (--no-openapi-generator)".into())
            } else if openapi_generator(root).is_none() {
                Err("openapi-generator-cli is not installed".into())
            } else {
                Ok(())
            },
        },
        Tool {
            name: "cliq-rs before",
            program: args
                .before
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            args: ours_args,
            available: match &args.before {
                Some(p) if p.is_file() => Ok(()),
                Some(p) => Err(format!("{} does not exist", p.display())),
                None => Err("no --before binary".into()),
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
                if tool.name == "openapi-generator"
                    && (round >= args.openapi_generator_runs || (args.quick && name != "bots.yaml"))
                {
                    continue;
                }
                let out = scratch
                    .join("gen")
                    .join(tool.name.replace(' ', "-"))
                    .join(name);
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

/// The operations `spec` declares (each method of each path item), read with the generator's
/// own loader; `None` when it cannot read the spec.
fn operation_count(spec: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(spec).ok()?;
    let doc = cliq_codegen::parse_spec(&text).ok()?;
    Some(
        doc.paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .map(|item| item.iter().count())
            .sum(),
    )
}

/// (table name, path) of each spec measured.
type Specs = Vec<(String, PathBuf)>;

/// The specs of figure 1: Bots, `../shared/specs/**`, synthetic 100/1000/5000.
fn specs(args: &Args, root: &Path, scratch: &Path) -> Result<(Specs, Vec<String>), String> {
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
            let n = format!("{sub}/{}", n.unwrap_or_default());
            if args.quick && sub == "other" && n != "other/nexus.json" {
                continue;
            }
            specs.push((n, f));
        }
    }
    let synth = scratch.join("specs");
    std::fs::create_dir_all(&synth).map_err(|e| format!("{}: {e}", synth.display()))?;
    // synth-5000 is always written (figure 2 measures it in `--quick` runs too); figure 1
    // times it in full runs only.
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
        if !(args.quick && n == 5000) {
            specs.push((format!("synth-{n}"), path));
        }
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

/// The version `cargo install --list` shows for `krate` (progenitor has no `--version`).
fn installed_version(krate: &str) -> Option<String> {
    let out = cargo().args(["install", "--list"]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
        l.strip_prefix(krate)?
            .trim()
            .strip_prefix('v')
            .map(|v| v.trim_end_matches(':').to_string())
    })
}

fn peer_versions() -> String {
    let v = |p: &str, a: &[&str]| {
        Command::new(p)
            .args(a)
            .output()
            .ok()
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
        installed_version("cargo-progenitor").unwrap_or_else(|| "not installed".into()),
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
        "`cargo bench -p cliq-codegen --bench stages`. `generate` = lower + tokens + syn parse + \
         prettyplease (as `cliq_codegen::generate` does it). Two floors, both with the serde \
         parse of the same text into an untyped value: **floor A** adds prettyplease of the \
         same output files, syn-parsed outside the timing (formatting only); **floor B** adds \
         `syn::parse2` of the same files' token streams + prettyplease (what formatting tokens \
         costs: prettyplease needs a `syn::File`). Ratios are ours total / floor total.\n"
    );
    let _ = writeln!(
        report,
        "| spec | parse (ours) | parse floor | lower | generate | prettyplease floor | parse2 + prettyplease floor | write | ours total | floor A | floor B | ratio A | ratio B |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|"
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
            let _ = writeln!(report, "| {spec} | not measured ||||||||||||");
            continue;
        };
        let pp2 = g("floor_parse2_prettyplease");
        let ours = parse + generate;
        let floor_a = floor_parse + pp;
        let floor_b = pp2.map(|p| floor_parse + p);
        let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
        let _ = writeln!(
            report,
            "| {spec} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2}× | {} |",
            fmt_ns(parse),
            fmt_ns(floor_parse),
            fmt_ns(lower),
            fmt_ns(generate),
            fmt_ns(pp),
            or_dash(pp2.map(fmt_ns)),
            fmt_ns(write),
            fmt_ns(ours),
            fmt_ns(floor_a),
            or_dash(floor_b.map(fmt_ns)),
            ours / floor_a,
            or_dash(floor_b.map(|f| format!("{:.2}×", ours / f))),
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
         bytes into the same extractor structs + serialize of the same reply. Paired = the same \
         two calls timed in 20,000 pairs back to back (order flipping every pair, each call \
         timed alone): the median of the per-pair ratios with its quartiles, the figure for the \
         goal (criterion's groups run one after the other and drift with the load).\n"
    );
    let allocs: serde_json::Value =
        std::fs::read_to_string(root.join("target/bench/dispatch.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
    let _ = writeln!(
        report,
        "| handler type | dispatch | floor | ratio | paired ratio (quartiles) | allocs/request | floor allocs | ratio |\n|---|---|---|---|---|---|---|---|"
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
        let p = &allocs[kind]["paired"];
        let paired = match (
            p["ratio_median"].as_f64(),
            p["ratio_q1"].as_f64(),
            p["ratio_q3"].as_f64(),
        ) {
            (Some(m), Some(q1), Some(q3)) => format!("**{m:.2}×** ({q1:.2}–{q3:.2})"),
            _ => "—".into(),
        };
        let _ = writeln!(
            report,
            "| {kind} | {} | {} | {} | {paired} | {} | {} | {} |",
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
fn http_section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 6. Dispatch over HTTP ({}, 32 connections, release, 127.0.0.1)\n",
        if on_path("wrk") { "wrk -t2" } else { "oha" }
    );
    let result = (|| -> Result<String, String> {
        if !on_path("wrk") && !on_path("oha") {
            return Err("neither wrk nor oha is installed".into());
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

/// Figure 8: the generated client + runtime vs bare reqwest (criterion).
fn client_section(root: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 8. The client: overhead per call (criterion, median)\n\n\
         `cargo bench -p cliq-webhook --bench client`: `get_details_of_a_specific_bot` of the \
         generated client (runtime: auth header, limiter off, error decoding, JSON into \
         `BotGetResponse`) vs a bare `reqwest` GET of the same URL with the same header decoded \
         into the same type, against one local axum server, keep-alive.\n"
    );
    let g = criterion_median(root, "client", "generated");
    let b = criterion_median(root, "client", "bare_reqwest");
    let t = criterion_median(root, "client", "bare_reqwest_timeout");
    match (g, b) {
        (Some(g), Some(b)) => {
            let _ = writeln!(
                report,
                "| generated client | bare reqwest | overhead per call | goal | bare reqwest with the runtime's request timeout |\n|---|---|---|---|---|\n\
                 | {} | {} | {:+.1}% ({}) | ≤ 5% | {} |",
                fmt_ns(g),
                fmt_ns(b),
                (g / b - 1.0) * 100.0,
                fmt_ns(g - b),
                t.map(fmt_ns).unwrap_or_else(|| "—".into())
            );
        }
        _ => {
            let _ = writeln!(report, "Not measured in this run.");
        }
    }
    // The same calls timed in alternating blocks (the bench's paired pass): the figure for
    // the goal, as criterion's groups above run one after the other and drift with the load.
    let paired = std::fs::read_to_string(root.join("target/bench/client.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    if let Some(p) = paired {
        let f = |k: &str| p[k].as_f64().unwrap_or(f64::NAN);
        let _ = writeln!(
            report,
            "\nPaired ({} pairs of one generated and one bare call, alternating, each timed \
             alone): median call generated {}, bare {}; overhead **{:+.1}%** (median of the \
             per-pair ratios; quartiles {:+.1}% to {:+.1}%), ratio of the medians {:+.1}%.",
            f("pairs"),
            fmt_ns(f("generated_ns")),
            fmt_ns(f("bare_ns")),
            (f("ratio_median") - 1.0) * 100.0,
            (f("ratio_q1") - 1.0) * 100.0,
            (f("ratio_q3") - 1.0) * 100.0,
            (f("ratio_of_medians") - 1.0) * 100.0,
        );
    }
}

/// Timed `cargo build` (debug: the edit-compile loop) in `dir` with `target` as target dir.
fn timed_build(dir: &Path, target: &Path, extra: &[&str]) -> Result<f64, String> {
    let mut cmd = cargo();
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .args(["build", "--quiet"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let out = cmd.output().map_err(|e| format!("cargo build: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    if out.status.success() {
        Ok(secs)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(format!(
            "cargo build in {} failed: {}",
            dir.display(),
            err.lines().take(5).collect::<Vec<_>>().join(" ")
        ))
    }
}

fn package_name(dir: &Path) -> Option<String> {
    // The first `name = "…"` of the manifest: both generators write `[package]` first.
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    text.lines().find_map(|l| {
        let (key, value) = l.split_once('=')?;
        (key.trim() == "name").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// Lines of every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                rust_lines(&p)
            } else if p.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&p)
                    .map(|t| t.lines().count())
                    .unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
}

/// Seconds of the clean builds and of the rebuilds of one crate.
type BuildTimes = (Vec<f64>, Vec<f64>);

/// Clean build (dependencies already built) and rebuild after touching `src/lib.rs`, each
/// crate in turn per round (A B A B …). Returns (clean, rebuild) seconds per crate.
fn build_rounds(crates: &[(PathBuf, PathBuf)], rounds: usize) -> Result<Vec<BuildTimes>, String> {
    for (dir, target) in crates {
        timed_build(dir, target, &[])?; // dependencies, untimed
    }
    let mut out = vec![(Vec::new(), Vec::new()); crates.len()];
    for _ in 0..rounds {
        for ((dir, target), (clean, rebuild)) in crates.iter().zip(out.iter_mut()) {
            let name =
                package_name(dir).ok_or_else(|| format!("no package in {}", dir.display()))?;
            run_status(
                cargo()
                    .current_dir(dir)
                    .env("CARGO_TARGET_DIR", target)
                    .args(["clean", "--quiet", "-p", &name]),
            )?;
            clean.push(timed_build(dir, target, &[])?);
            let lib = dir.join("src/lib.rs");
            let text = std::fs::read(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
            std::fs::write(&lib, text).map_err(|e| format!("{}: {e}", lib.display()))?;
            rebuild.push(timed_build(dir, target, &[])?);
        }
    }
    Ok(out)
}

fn secs_cell(v: &[f64]) -> String {
    stats(v.to_vec())
        .map(|s| format!("{:.2} s ({:.2}–{:.2})", s.median, s.min, s.max))
        .unwrap_or_else(|| "—".into())
}

fn median(v: &[f64]) -> f64 {
    stats(v.to_vec()).map(|s| s.median).unwrap_or(f64::NAN)
}

/// Figure 3: the generated crate vs progenitor's output: lines, clean build, rebuild.
fn crate_section(args: &Args, root: &Path, xtask: &Path, scratch: &Path, report: &mut String) {
    let rounds = if args.quick { 1 } else { 3 };
    let _ = writeln!(
        report,
        "\n## 3. The generated crate vs progenitor's output (debug `cargo build`, median of {rounds} rounds)\n\n\
         Clean build = `cargo clean -p CRATE` then `cargo build` with the dependencies already \
         built (one target directory for both, so shared dependencies are built once); rebuild = after rewriting \
         `src/lib.rs` unchanged. Progenitor's crate gets an empty `[workspace]` table appended to \
         its `Cargo.toml` (its output lies inside this workspace's `target/`); nothing else is \
         changed.\n\n\
         | spec | lines ours | lines progenitor | clean ours | clean progenitor | ratio (goal ≤ 0.7) | rebuild ours | rebuild progenitor | ratio (goal ≤ 0.7) |\n|---|---|---|---|---|---|---|---|---|"
    );
    let mut specs = vec![("bots.yaml", root.join("spec/bots.yaml"))];
    if !args.quick {
        specs.push(("nexus.json", root.join("../shared/specs/other/nexus.json")));
    }
    for (name, spec) in specs {
        let row = (|| -> Result<String, String> {
            if !spec.is_file() {
                return Err(format!("{} is absent", spec.display()));
            }
            if !on_path("cargo-progenitor") {
                return Err("cargo-progenitor is not installed".into());
            }
            let ours = scratch.join("crates/cliq-rs").join(name);
            let theirs = scratch.join("crates/progenitor").join(name);
            for d in [&ours, &theirs] {
                let _ = std::fs::remove_dir_all(d);
            }
            timed(
                &xtask.display().to_string(),
                &ours_args(&spec, &ours, ""),
                scratch,
            )?;
            timed(
                "cargo-progenitor",
                &progenitor_args(&spec, &theirs, "bench-progenitor-crate"),
                scratch,
            )
            .map_err(|e| format!("progenitor refused it: {e}"))?;
            let manifest = theirs.join("Cargo.toml");
            let mut text = std::fs::read_to_string(&manifest)
                .map_err(|e| format!("{}: {e}", manifest.display()))?;
            if !text.contains("[workspace]") {
                text.push_str("\n[workspace]\n");
                std::fs::write(&manifest, text)
                    .map_err(|e| format!("{}: {e}", manifest.display()))?;
            }
            let t = build_rounds(
                &[
                    (ours.clone(), scratch.join("crates-target")),
                    (theirs.clone(), scratch.join("crates-target")),
                ],
                rounds,
            )?;
            let (o, p) = (&t[0], &t[1]);
            Ok(format!(
                "| {name} | {} | {} | {} | {} | {:.2} | {} | {} | {:.2} |",
                rust_lines(&ours.join("src")),
                rust_lines(&theirs.join("src")),
                secs_cell(&o.0),
                secs_cell(&p.0),
                median(&o.0) / median(&p.0),
                secs_cell(&o.1),
                secs_cell(&p.1),
                median(&o.1) / median(&p.1),
            ))
        })();
        let _ = writeln!(
            report,
            "{}",
            row.unwrap_or_else(|e| format!(
                "| {name} | not measured: {} ||||||||",
                e.replace('|', "/")
            ))
        );
    }
}

/// Figure 4: compile cost of `#[cliq_handler]`: `bench/macro-bot` vs `bench/hand-bot`.
fn macro_section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
    let rounds = if args.quick { 1 } else { 5 };
    let _ = writeln!(
        report,
        "\n## 4. The macro: compile time of a bot with one handler of each type (debug, median of {rounds} rounds)\n\n\
         `bench/macro-bot` (eight `#[cliq_handler]` functions) vs `bench/hand-bot` (the same \
         handlers wired by hand with `Handler::__new`, i.e. the expansion without its \
         compile-time permission checks). Both share one target directory with the \
         dependencies (cliq-webhook, the macro crate) built; the workspace's `Cargo.lock` pins \
         the same versions.\n"
    );
    let target = scratch.join("bots-target");
    let crates: Vec<(PathBuf, PathBuf)> = ["macro-bot", "hand-bot"]
        .iter()
        .map(|b| (root.join("bench").join(b), target.clone()))
        .collect();
    for (dir, _) in &crates {
        let lock = dir.join("Cargo.lock");
        if !lock.exists() {
            let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
        }
    }
    match build_rounds(&crates, rounds) {
        Ok(t) => {
            let (m, h) = (&t[0], &t[1]);
            let _ = writeln!(
                report,
                "| bot | clean build | rebuild after touching `lib.rs` |\n|---|---|---|\n\
                 | `#[cliq_handler]` | {} | {} |\n| hand-wired | {} | {} |\n\n\
                 Macro overhead: clean build **{:+.0}%**, rebuild **{:+.0}%** (goal ≤ +10%).",
                secs_cell(&m.0),
                secs_cell(&m.1),
                secs_cell(&h.0),
                secs_cell(&h.1),
                (median(&m.0) / median(&h.0) - 1.0) * 100.0,
                (median(&m.1) / median(&h.1) - 1.0) * 100.0,
            );
        }
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

/// Figure 1 and the generation half of figure 7.
fn generation_tables(
    args: &Args,
    specs: &[(String, PathBuf)],
    rows: &[(String, Vec<Outcome>)],
    report: &mut String,
) {
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
        "| spec | operations | cliq-rs | per operation | progenitor | openapi-generator | vs progenitor (goal ≥ 10×) | vs openapi-generator (goal ≥ 50×) | cliq-rs before | before / now |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for ((name, path), (_, o)) in specs.iter().zip(rows) {
        let ops = operation_count(path);
        let per_op = match (ms(&o[0]), ops) {
            (Some(s), Some(ops)) if ops > 0 => format!("{:.0} µs", s.median * 1e3 / ops as f64),
            _ => "—".into(),
        };
        let ops = ops.map_or_else(|| "—".into(), |n| n.to_string());
        let _ = writeln!(
            report,
            "| {name} | {ops} | {} | {per_op} | {} | {} | {} | {} | {} | {} |",
            cell(&o[0]),
            cell(&o[1]),
            cell(&o[2]),
            ratio(&o[0], &o[1]),
            ratio(&o[0], &o[2]),
            cell(&o[3]),
            ratio(&o[0], &o[3]),
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
    for (name, o) in rows {
        let _ = writeln!(
            report,
            "| {name} | {} | {} | {} |",
            mib(&o[0]),
            mib(&o[1]),
            mib(&o[2])
        );
    }
}

pub fn run(mut args: Args) -> Result<(), String> {
    args.quicken();
    let root = project_root();
    let scratch = root.join("target/bench");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let machine = machine_line();
    let load_before = loadavg();
    let install_notes = install_peers(&args, &root);
    run_status(
        cargo()
            .current_dir(&root)
            .args(["build", "--release", "-p", "xtask"]),
    )?;
    let xtask = root.join("target/release/xtask");
    let (specs, spec_notes) = specs(&args, &root, &scratch)?;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "Written by `cargo xtask bench` (see `xtask/src/bench.rs`); re-run it to \
         refresh every figure. Ratios come from runs alternating A B A B … in one run, so they \
         hold better than the absolute times on a busy machine.\n"
    );
    let _ = writeln!(report, "Machine: {machine}.  ");
    let _ = writeln!(report, "Load average at start: {load_before}.  ");
    let _ = writeln!(report, "Peers: {}.", peer_versions());
    for n in install_notes.iter().chain(&spec_notes) {
        let _ = writeln!(report, "\n- {n}");
    }

    let rows = if args.wants("gen") {
        generation(&args, &root, &xtask, &specs, &scratch)
    } else {
        Vec::new()
    };
    if args.wants("gen") {
        generation_tables(&args, &specs, &rows, &mut report);
    }
    if !args.no_criterion {
        let bench = |package: &str, bench: &str, filter: Option<&str>| {
            let mut cmd = cargo();
            cmd.current_dir(&root)
                .args(["bench", "-p", package, "--bench", bench, "--", "--noplot"]);
            if args.quick {
                cmd.args(["--warm-up-time", "1", "--measurement-time", "2"]);
            }
            cmd.args(filter);
            run_status(&mut cmd)
        };
        let quick_specs = args
            .quick
            .then_some("(bots|nexus|synth-100|synth-1000|synth-5000)/");
        for (wanted, package, name, filter) in [
            ("stages", "cliq-codegen", "stages", quick_specs),
            ("dispatch", "cliq-webhook", "dispatch", None),
            ("client", "cliq-webhook", "client", None),
        ] {
            if args.wants(wanted) {
                // The bench rewrites its own JSON figures; an earlier run's must not stand in.
                let own = match wanted {
                    "dispatch" => Some("dispatch.json"),
                    "client" => Some("client.json"),
                    _ => None,
                };
                if let Some(stale) = own {
                    let _ = std::fs::remove_file(root.join("target/bench").join(stale));
                }
                if let Err(e) = bench(package, name, filter) {
                    eprintln!("{e}");
                }
            }
        }
    }
    // Only what this run measured: never an earlier run's criterion estimates.
    if !args.no_criterion {
        if args.wants("stages") {
            stages_section(&root, &mut report);
        }
        if args.wants("dispatch") {
            dispatch_section(&root, &mut report);
        }
        if args.wants("client") {
            client_section(&root, &mut report);
        }
    }
    if args.wants("crate") {
        crate_section(&args, &root, &xtask, &scratch, &mut report);
    }
    if args.wants("macro") {
        macro_section(&args, &root, &scratch, &mut report);
    }
    if args.wants("http") {
        http_section(&args, &root, &scratch, &mut report);
    }
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
        // A new file: the title, then the figures (the analysis is written by hand).
        _ => format!("# Benchmarks\n\n{START}\n{figures}{END}\n{existing}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OpenAPI Generator 7 on Zoho's `messageactions.yml`, stderr as printed.
    const OAG_TWO_ERRORS: &str = "[main] ERROR o.o.codegen.utils.ModelUtils - Undefined array inner type for `null`. Default to String.
Exception in thread \"main\" org.openapitools.codegen.SpecValidationException: There were issues with the specification. The option can be disabled via validateSpec (Maven/Gradle) or --skip-validate-spec (CLI).
 | Error count: 2, Warning count: 5
Errors: 
\t-attribute components.schemas.MessageActionListItemsResponse.items is missing
\t-attribute components.schemas.MessageActionUpdateResponse.items is missing
Warnings: 
\t-attribute components.schemas.MessageActionListItemsResponse.items is missing

\tat org.openapitools.codegen.config.CodegenConfigurator.toContext(CodegenConfigurator.java:741)
\tat org.openapitools.codegen.OpenAPIGenerator.main(OpenAPIGenerator.java:66)
";

    #[test]
    fn a_java_refusal_is_its_errors_not_a_stack_frame() {
        assert_eq!(
            refusal(OAG_TWO_ERRORS),
            "SpecValidationException: attribute components.schemas.MessageActionListItemsResponse.items is missing (and 1 more error)"
        );
        let one = "Exception in thread \"main\" org.openapitools.codegen.SpecValidationException: There were issues.\n | Error count: 1, Warning count: 0\nErrors: \n\t-attribute paths.'/key/{query}'(get).responses.200.type is unexpected\n\n\tat org.openapitools.codegen.OpenAPIGenerator.main(OpenAPIGenerator.java:66)\n";
        assert_eq!(
            refusal(one),
            "SpecValidationException: attribute paths.'/key/{query}'(get).responses.200.type is unexpected"
        );
        let caused = "Exception in thread \"main\" java.lang.RuntimeException: failed\n\tat a.B.c(B.java:1)\nCaused by: java.io.FileNotFoundException: spec.yaml (No such file)\n\tat a.B.d(B.java:2)\n\t... 3 more\n";
        assert_eq!(
            refusal(caused),
            "FileNotFoundException: spec.yaml (No such file)"
        );
    }

    #[test]
    fn a_rust_panic_is_its_message() {
        let new_form = "thread 'main' panicked at /home/u/.cargo/registry/src/progenitor-impl-0.9.1/src/method.rs:1133:9:\nassertion failed: response_types.len() <= 1\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            refusal(new_form),
            "panicked: assertion failed: response_types.len() <= 1"
        );
        let old_form = "thread 'main' panicked at 'not yet implemented', src/lib.rs:3:5\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            refusal(old_form),
            "panicked: 'not yet implemented', src/lib.rs:3:5"
        );
    }

    #[test]
    fn otherwise_the_last_line_that_says_something() {
        assert_eq!(
            refusal("warming up\nError: invalid spec | x\n\n"),
            "Error: invalid spec / x"
        );
        assert_eq!(refusal(""), "no message");
    }
}
