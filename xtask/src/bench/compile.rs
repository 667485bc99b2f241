//! Figures 3 and 4: compile times, the generated crate against progenitor's and the handler
//! macro against the same bot wired by hand.

use super::args::Args;
use super::peers::{on_path, ours_args, progenitor_args, progenitor_install_hint};
use super::stats::{median, stats};
use super::timing::timed;
use crate::process::{cargo, run_echoed};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

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
            run_echoed(
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

/// Figure 3: the generated crate vs progenitor's output: lines, clean build, rebuild.
pub(super) fn crate_section(
    args: &Args,
    root: &Path,
    xtask: &Path,
    scratch: &Path,
    report: &mut String,
) {
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
                return Err(progenitor_install_hint());
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

/// A clean debug build of `cliq-api` with `features` (`None`: all), in `workspace`, into
/// `target` (its dependencies already built there): `cargo clean -p cliq-api`, then a timed
/// `cargo build -p cliq-api`.
fn timed_api_build(workspace: &Path, target: &Path, features: Option<&str>) -> Result<f64, String> {
    run_echoed(
        cargo()
            .current_dir(workspace)
            .env("CARGO_TARGET_DIR", target)
            .args(["clean", "--quiet", "-p", "cliq-api"]),
    )?;
    let mut flags = vec!["-p", "cliq-api"];
    match features {
        Some(f) => flags.extend(["--no-default-features", "--features", f]),
        None => flags.push("--all-features"),
    }
    timed_build(workspace, target, &flags)
}

/// Operations of a module of the generated crate: its `operations::…` constants but `ALL`.
fn module_operations(root: &Path, module: &str) -> usize {
    count_operations(
        &root
            .join("generated/src")
            .join(module)
            .join("operations.rs"),
    )
}

/// The `pub const` items of a generated `operations.rs` but `ALL`.
fn count_operations(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| l.starts_with("pub const ") && !l.starts_with("pub const ALL:"))
                .count()
        })
        .unwrap_or(0)
}

/// Figure 3b: what each module's feature costs: a clean debug build of `cliq-api` with that
/// feature alone, against its operation count; all features; and, with `--api-before DIR` (a
/// checkout of the tree before the crate held every module, e.g. `git worktree add DIR REV`),
/// that tree's `cliq-api` (the Bots module alone) beside today's `bots` feature.
pub(super) fn features_section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
    let rounds = if args.quick { 1 } else { 3 };
    let _ = writeln!(
        report,
        "\n## 3b. `cliq-api`, one feature at a time (debug `cargo build -p cliq-api`, median of {rounds} rounds)\n\n\
         Clean build = `cargo clean -p cliq-api` then `cargo build -p cliq-api \
         --no-default-features --features MODULE` with the dependencies already built (one \
         target directory); goal: time in proportion to the module's operations, the Bots \
         feature no slower than the crate before it held every module.\n\n\
         | features | operations | clean build | per operation |\n|---|---|---|---|"
    );
    let target = scratch.join("api-target");
    let modules = match crate::codegen::module_specs() {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(report, "Not measured: {e}");
            return;
        }
    };
    // Dependencies, untimed.
    if let Err(e) = timed_api_build(root, &target, None) {
        let _ = writeln!(report, "Not measured: {e}");
        return;
    }
    let mut rows: Vec<(String, usize, Vec<f64>)> = Vec::new();
    let total: usize = modules
        .iter()
        .map(|(m, _)| module_operations(root, m))
        .sum();
    let before = args
        .api_before
        .as_ref()
        .map(|dir| (dir.clone(), scratch.join("api-before-target")));
    if let Some((dir, t)) = &before {
        if let Err(e) = timed_build(dir, t, &["-p", "cliq-api"]) {
            let _ = writeln!(
                report,
                "| before ({}) | not measured: {} |||",
                dir.display(),
                e.replace('|', "/")
            );
        }
    }
    for _ in 0..rounds {
        let mut row = 0;
        let mut push = |name: String,
                        ops: usize,
                        secs: Result<f64, String>,
                        rows: &mut Vec<(String, usize, Vec<f64>)>| {
            if rows.len() <= row {
                rows.push((name, ops, Vec::new()));
            }
            match secs {
                Ok(s) => rows[row].2.push(s),
                Err(e) => eprintln!("bench: {}: {e}", rows[row].0),
            }
            row += 1;
        };
        if let Some((dir, t)) = &before {
            let secs = run_echoed(
                cargo()
                    .current_dir(dir)
                    .env("CARGO_TARGET_DIR", t)
                    .args(["clean", "--quiet", "-p", "cliq-api"]),
            )
            .and_then(|()| timed_build(dir, t, &["-p", "cliq-api"]));
            push(
                "before: the Bots crate".into(),
                count_operations(&dir.join("generated/src/operations.rs")),
                secs,
                &mut rows,
            );
        }
        for (module, _) in &modules {
            let secs = timed_api_build(root, &target, Some(module));
            push(
                format!("`{module}`"),
                module_operations(root, module),
                secs,
                &mut rows,
            );
        }
        let secs = timed_api_build(root, &target, None);
        push("all features".into(), total, secs, &mut rows);
    }
    for (name, ops, secs) in &rows {
        let per = if *ops > 0 && !secs.is_empty() {
            format!("{:.3} s", median(secs) / *ops as f64)
        } else {
            "—".into()
        };
        let _ = writeln!(report, "| {name} | {ops} | {} | {per} |", secs_cell(secs));
    }
}

/// Figure 3c: `cliq-api` with the features of every Cliq module progenitor accepts, against
/// progenitor's crates for the same modules (one crate per module, as progenitor generates
/// them, built together as the members of one workspace): clean debug builds with the
/// dependencies already built, alternating A B A B …. The modules progenitor refuses are
/// listed with its reason. Without cargo-progenitor the figure says how to install it.
pub(super) fn modules_section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
    // More rounds than figure 3: a build of 17 crates swings more under load than one crate's.
    let rounds = if args.quick { 1 } else { 5 };
    let _ = writeln!(
        report,
        "\n## 3c. `cliq-api` vs progenitor on the Cliq modules progenitor accepts (debug `cargo build`, median of {rounds} rounds)\n\n\
         Each module spec of `spec/` as shipped (OpenAPI 3.0, given to progenitor unchanged) \
         through `cargo progenitor`; for the modules it accepts: ours = `cargo clean -p cliq-api` \
         then `cargo build -p cliq-api --no-default-features --features` those modules; \
         progenitor = its crates for the same modules as the members of one workspace, `cargo \
         clean -p` each then one `cargo build` (cargo builds two crates at a time, rustc's \
         front end runs one thread per crate). Same profile (dev), dependencies already built \
         in both target directories, so only the generated code is timed; rounds alternate.\n"
    );
    if !on_path("cargo-progenitor") {
        let _ = writeln!(report, "Not measured: {}.", progenitor_install_hint());
        return;
    }
    match modules_rounds(root, scratch, rounds) {
        Ok(figure) => report.push_str(&figure),
        Err(e) => {
            let _ = writeln!(report, "Not measured: {e}");
        }
    }
}

/// The measurement of figure 3c: its table and the modules progenitor refuses.
fn modules_rounds(root: &Path, scratch: &Path, rounds: usize) -> Result<String, String> {
    let modules = crate::codegen::module_specs()?;
    let dir = scratch.join("progenitor-modules");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for (module, file) in &modules {
        let spec = root.join("spec").join(file);
        let name = format!("progenitor-{module}");
        let argv = progenitor_args(&spec, &dir.join(module), &name);
        match timed("cargo-progenitor", &argv, scratch) {
            Ok(_) => accepted.push((module.clone(), name)),
            Err(why) => refused.push(format!("`{module}` ({why})")),
        }
    }
    if accepted.is_empty() {
        return Err(format!(
            "progenitor refuses every module: {}",
            refused.join("; ")
        ));
    }
    let members: Vec<String> = accepted.iter().map(|(m, _)| format!("{m:?}")).collect();
    let manifest = format!(
        "# Written by `cargo xtask bench` (figure 3c): progenitor's crates of the Cliq modules.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let features = accepted
        .iter()
        .map(|(m, _)| m.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let ours_target = scratch.join("api-target");
    let theirs_target = scratch.join("progenitor-modules-target");
    // Dependencies, untimed.
    timed_api_build(root, &ours_target, Some(&features))?;
    timed_build(&dir, &theirs_target, &[])?;
    let mut clean_theirs = vec!["clean".to_string(), "--quiet".to_string()];
    for (_, name) in &accepted {
        clean_theirs.extend(["-p".to_string(), name.clone()]);
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ours.push(timed_api_build(root, &ours_target, Some(&features))?);
        run_echoed(
            cargo()
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &theirs_target)
                .args(&clean_theirs),
        )?;
        theirs.push(timed_build(&dir, &theirs_target, &[])?);
    }
    let operations: usize = accepted
        .iter()
        .map(|(m, _)| module_operations(root, m))
        .sum();
    // The whole crate's source (the shared types and `lib.rs` too) but the modules not built.
    let generated = root.join("generated/src");
    let lines_ours = rust_lines(&generated)
        - modules
            .iter()
            .filter(|(m, _)| !accepted.iter().any(|(a, _)| a == m))
            .map(|(m, _)| rust_lines(&generated.join(m)))
            .sum::<usize>();
    let lines_theirs: usize = accepted
        .iter()
        .map(|(m, _)| rust_lines(&dir.join(m).join("src")))
        .sum();
    let mut out = String::from(
        "| modules | operations | lines ours | lines progenitor | clean ours | clean progenitor | ratio (goal ≤ 0.7) |\n|---|---|---|---|---|---|---|\n",
    );
    let _ = writeln!(
        out,
        "| {} of {} | {operations} | {lines_ours} | {lines_theirs} | {} | {} | **{:.2}** |",
        accepted.len(),
        modules.len(),
        secs_cell(&ours),
        secs_cell(&theirs),
        median(&ours) / median(&theirs),
    );
    let names: Vec<String> = accepted.iter().map(|(m, _)| format!("`{m}`")).collect();
    let _ = writeln!(out, "\nModules measured: {}.", names.join(", "));
    if !refused.is_empty() {
        let _ = writeln!(
            out,
            "\nProgenitor refuses {}: {}.",
            refused.len(),
            refused.join("; ")
        );
    }
    Ok(out)
}

/// Figure 4: compile cost of `#[cliq_handler]`: `bench/macro-bot` vs `bench/hand-bot`.
pub(super) fn macro_section(args: &Args, root: &Path, scratch: &Path, report: &mut String) {
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
