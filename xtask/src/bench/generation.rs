//! Figures 1 and 7a: every spec through every generator, whole command, alternating.

use super::args::Args;
use super::peers::{oag_args, on_path, openapi_generator, ours_args, progenitor_args};
use super::specs::operation_count;
use super::stats::{stats, Stats};
use super::timing::{timed, Sample};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The outcome of one tool on one spec.
pub(super) enum Outcome {
    Ran(Vec<Sample>),
    Refused(String),
    Missing(String),
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

/// A generator under comparison: how to run it on (spec, output directory).
struct Tool {
    name: &'static str,
    program: String,
    args: fn(&Path, &Path, &str) -> Vec<String>,
    available: Result<(), String>,
}

/// Figure 1 and the generation half of figure 7: every spec, every tool, alternating.
pub(super) fn measure(
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

/// Figure 1 and the generation half of figure 7.
pub(super) fn tables(
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
