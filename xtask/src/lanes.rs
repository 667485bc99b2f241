//! The test suite of `cargo xtask test`: what `cargo test --workspace --no-fail-fast` runs,
//! built once, then run in two lanes at a time.
//!
//! `cargo test` runs its test binaries one after another, and the long ones leave a core idle
//! for much of their time (a nested cargo building one crate, Prism answering, trybuild's
//! cases compiled one by one). So the suite is built first (`--no-run`), then run by several
//! `cargo test --workspace` invocations, each selecting some targets (`--test NAME`, `--lib`,
//! `--bins`, `--doc`), two at a time. Every invocation selects the whole workspace, so its
//! features are those of the build and nothing is compiled again; `cargo test` holds no lock
//! while its tests run, so the two lanes do not wait for each other. Together the invocations
//! select exactly what `cargo test --workspace` runs: [`plan`] gives every test target of the
//! workspace's manifests (from `cargo metadata`) to one of them, and names in [`LANES`] that no
//! longer exist are an error. Each lane's output is kept in a file and shown when the lane
//! ends.

use crate::process::{cargo, project_root, stdout_of};
use serde_json::Value;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The long test targets (by target name; `hostile` is both `cliq-codegen`'s and `xtask`'s), in
/// two lanes, each a sequence of `cargo test` invocations. Lane 1 holds the tests whose nested
/// builds share `target/scratch`: cargo builds one at a time in a target directory, so they
/// would only wait for each other in two lanes. `cargo-cliq`'s three stay in one invocation, in
/// cargo's order: `readme`'s `cargo install` writes `target/debug/cargo-cliq`, which `drift` and
/// `new` run. Lane 2 starts with trybuild (a target directory of its own); every test target
/// not named here, the unit tests of every library and binary, then the doctests, follow it.
const LANES: [&[&[&str]]; 2] = [
    &[
        &["drift", "new", "readme"],
        &["generality"],
        &["generate_specs", "hostile", "snapshots"],
    ],
    &[&["ui"], &["conformance", "module_cycles"]],
];

/// One `cargo test` invocation of a lane: its target selection.
#[derive(Debug, PartialEq)]
struct Run {
    args: Vec<String>,
}

/// The test targets of the workspace's manifests: (kind, name, `test` flag) of every target
/// that is not a build script.
fn targets() -> Result<Vec<(String, String, bool)>, String> {
    let out = stdout_of(
        "cargo metadata",
        cargo()
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(project_root()),
    )?;
    let meta: Value =
        serde_json::from_slice(&out).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let mut found = Vec::new();
    for package in meta["packages"].as_array().into_iter().flatten() {
        for target in package["targets"].as_array().into_iter().flatten() {
            let kinds: Vec<&str> = target["kind"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let kind = match kinds.as_slice() {
                ["custom-build"] => continue,
                ["test"] => "test",
                ["bin"] => "bin",
                ["example"] => "example",
                ["bench"] => "bench",
                // lib, rlib, proc-macro, …
                _ => "lib",
            };
            let name = target["name"].as_str().ok_or("a target without a name")?;
            let test = target["test"].as_bool().unwrap_or(true);
            found.push((kind.to_string(), name.to_string(), test));
        }
    }
    Ok(found)
}

/// The lanes' invocations for `targets`: [`LANES`] as written, every other target `cargo test`
/// runs by default (integration tests, and examples or benches marked `test = true`) with the
/// unit tests of libraries and binaries appended to lane 2, then the doctests.
fn plan(targets: &[(String, String, bool)]) -> Result<[Vec<Run>; 2], String> {
    let named: Vec<&str> = LANES
        .iter()
        .flat_map(|l| l.iter())
        .flat_map(|r| r.iter().copied())
        .collect();
    for name in &named {
        if !targets.iter().any(|(k, n, _)| k == "test" && n == name) {
            return Err(format!(
                "xtask/src/lanes.rs names the test target `{name}`, which no manifest has"
            ));
        }
    }
    if let Some((kind, name, _)) = targets
        .iter()
        .find(|(k, _, test)| (k == "lib" || k == "bin") && !test)
    {
        // `--lib` and `--bins` would run it; `cargo test` does not.
        return Err(format!(
            "the {kind} target `{name}` has `test = false`: xtask/src/lanes.rs cannot select the others without it"
        ));
    }
    let to_run = |names: &[&str]| Run {
        args: names
            .iter()
            .flat_map(|n| ["--test".to_string(), n.to_string()])
            .collect(),
    };
    let mut lanes = LANES.map(|lane| lane.iter().map(|names| to_run(names)).collect::<Vec<_>>());
    let mut rest = vec!["--lib".to_string(), "--bins".to_string()];
    let mut seen = Vec::new();
    for (kind, name, test) in targets {
        let flag = match kind.as_str() {
            "test" if *test && !named.contains(&name.as_str()) => "--test",
            "example" if *test => "--example",
            "bench" if *test => "--bench",
            _ => continue,
        };
        if !seen.contains(&(flag, name)) {
            seen.push((flag, name));
            rest.extend([flag.to_string(), name.clone()]);
        }
    }
    lanes[1].push(Run { args: rest });
    lanes[1].push(Run {
        args: vec!["--doc".to_string()],
    });
    Ok(lanes)
}

/// Runs one lane: its invocations in order, output into `log`. The error lists the failed ones.
fn lane(number: usize, runs: &[Run], log: &Path) -> Result<(), String> {
    let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut failed = Vec::new();
    for run in runs {
        let shown = format!(
            "cargo test --workspace --no-fail-fast {}",
            run.args.join(" ")
        );
        eprintln!("==> tests, lane {number}: {shown}");
        let mut lines = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let _ = writeln!(lines, "==> tests, lane {number}: {shown}");
        let err = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let started = Instant::now();
        let status = cargo()
            .args(["test", "--workspace", "--no-fail-fast"])
            .args(&run.args)
            .current_dir(project_root())
            .stdout(lines)
            .stderr(err)
            .status();
        let took = started.elapsed();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => failed.push(format!("`{shown}` ({s})")),
            Err(e) => failed.push(format!("`{shown}` did not start: {e}")),
        }
        eprintln!("==> tests, lane {number}: {shown}: done in {took:.0?}");
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("tests failed: {}", failed.join("; ")))
    }
}

/// Builds the test suite, then runs it in the two lanes; every invocation runs even when
/// another failed (`--no-fail-fast`), and each lane's output is shown when it ends.
pub fn run() -> Result<(), String> {
    let lanes = plan(&targets()?)?;
    eprintln!("==> tests: build (cargo test --workspace --no-fail-fast --no-run)");
    crate::process::run_status(
        "cargo test --no-run",
        cargo()
            .args(["test", "--workspace", "--no-fail-fast", "--no-run"])
            .current_dir(project_root()),
    )?;
    let started = Instant::now();
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lanes
            .iter()
            .enumerate()
            .map(|(i, runs)| {
                scope.spawn(move || {
                    let log = project_root().join(format!("target/xtask-test-lane-{}.log", i + 1));
                    let result = lane(i + 1, runs, &log);
                    eprintln!("==> tests, lane {} (output)", i + 1);
                    if let Ok(text) = std::fs::read(&log) {
                        let mut stderr = std::io::stderr().lock();
                        let _ = stderr.write_all(&text);
                    }
                    result
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a test lane panicked".into()))
            })
            .collect()
    });
    eprintln!("tests: both lanes done in {:.0?}", started.elapsed());
    let failed: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(kind: &str, name: &str, test: bool) -> (String, String, bool) {
        (kind.into(), name.into(), test)
    }

    fn every_named() -> Vec<(String, String, bool)> {
        LANES
            .iter()
            .flat_map(|l| l.iter())
            .flat_map(|r| r.iter())
            .map(|n| t("test", n, true))
            .collect()
    }

    #[test]
    fn every_other_target_goes_to_lane_two_then_the_doctests() {
        let mut targets = every_named();
        targets.extend([
            t("lib", "cliq_api", true),
            t("bin", "xtask", true),
            t("test", "e2e", true),
            t("test", "hostile", true),
            t("test", "opted_out", false),
            t("example", "echo_bot", false),
            t("example", "tested_example", true),
            t("bench", "dispatch", false),
        ]);
        let lanes = plan(&targets).unwrap();
        let rest = &lanes[1][lanes[1].len() - 2].args;
        assert_eq!(
            rest,
            &[
                "--lib",
                "--bins",
                "--test",
                "e2e",
                "--example",
                "tested_example"
            ]
        );
        assert_eq!(lanes[1].last().unwrap().args, ["--doc"]);
        assert_eq!(
            lanes[0][0].args,
            ["--test", "drift", "--test", "new", "--test", "readme"]
        );
    }

    /// The lanes of this workspace: every name in [`LANES`] is a test target of it.
    #[test]
    fn this_workspace_has_a_plan() {
        let lanes = plan(&targets().unwrap()).unwrap();
        let rest = &lanes[1][lanes[1].len() - 2].args;
        for target in ["e2e", "docs_claims", "dispatch"] {
            assert!(rest.iter().any(|a| a == target), "{target} in {rest:?}");
        }
    }

    #[test]
    fn a_lane_target_no_manifest_has_is_an_error() {
        let targets: Vec<_> = every_named()
            .into_iter()
            .filter(|(_, n, _)| n != "ui")
            .collect();
        let err = plan(&targets).unwrap_err();
        assert!(err.contains("`ui`"), "{err}");
    }

    #[test]
    fn a_unit_test_target_opted_out_is_an_error() {
        let mut targets = every_named();
        targets.push(t("bin", "quiet", false));
        let err = plan(&targets).unwrap_err();
        assert!(err.contains("`quiet` has `test = false`"), "{err}");
    }
}
