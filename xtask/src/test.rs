//! `cargo xtask test`: what CI runs.

use crate::process::{cargo, project_root, run_status, KillOnDrop};
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// Arguments of `cargo xtask test`.
#[derive(clap::Args)]
pub struct Args {
    /// Skip the tool installation step (tools/setup.sh).
    #[arg(long)]
    no_setup: bool,
}

fn step(name: &str, cmd: &mut Command) -> Result<(), String> {
    eprintln!("==> {name}");
    run_status(name, cmd.current_dir(project_root()))
}

/// A step run beside the others, its output kept in a file and shown after theirs. Dropped
/// unfinished (an earlier step failed), it is stopped.
struct Beside {
    name: &'static str,
    log: PathBuf,
    child: KillOnDrop,
}

impl Beside {
    /// Starts `cmd`, its output into `target/<log>`.
    fn start(name: &'static str, log: &str, cmd: &mut Command) -> Result<Beside, String> {
        eprintln!("==> {name}: started beside the steps below, its output follows theirs");
        let log = project_root().join("target").join(log);
        let cannot = |e: std::io::Error| format!("cannot start {name}: {}: {e}", log.display());
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).map_err(cannot)?;
        }
        let out = File::create(&log).map_err(cannot)?;
        let err = out.try_clone().map_err(cannot)?;
        let child = cmd
            .current_dir(project_root())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Beside {
            name,
            log,
            child: KillOnDrop(child),
        })
    }

    fn finish(mut self) -> Result<(), String> {
        let status = self.child.0.wait();
        eprintln!("==> {} (output)", self.name);
        if let Ok(text) = std::fs::read(&self.log) {
            let _ = std::io::stderr().write_all(&text);
        }
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("{} failed ({s})", self.name)),
            Err(e) => Err(format!("{} did not finish: {e}", self.name)),
        }
    }
}

pub fn run(args: Args) -> Result<(), String> {
    // The debug test suite skips the 50 MB spec: in a debug build it takes ~7 minutes, in an
    // optimized one seconds. Its build (profile `quick-release`: `release` at opt-level 1, as
    // fast on this spec for a sixth less compile time) has a target directory of its own, so
    // it compiles beside the steps below, on the core their serial stretches leave idle.
    let big_spec = Beside::start(
        "the 50 MB spec through an optimized build of the generator (xtask/tests/hostile.rs)",
        "xtask-test-beside.log",
        cargo().args([
            "test",
            "--profile",
            "quick-release",
            "-p",
            "xtask",
            "--test",
            "hostile",
            "--",
            "--ignored",
            "--exact",
            "fifty_megabyte_spec_generates",
        ]),
    )?;
    // npm and pip mostly wait on the network and the disk: beside the checks below, which
    // do not need the tools; the tests do.
    let setup = if args.no_setup {
        None
    } else {
        Some(Beside::start(
            "install test tools (tools/setup.sh)",
            "xtask-test-setup.log",
            Command::new("bash").arg("tools/setup.sh"),
        )?)
    };
    step(
        "generated code is fresh (cargo xtask codegen --check)",
        cargo().args(["xtask", "codegen", "--check"]),
    )?;
    step("format", cargo().args(["fmt", "--all", "--check"]))?;
    step(
        "clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "clippy of every module of the generated crate (cliq-api --all-features)",
        cargo().args([
            "clippy",
            "-p",
            "cliq-api",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // Every published crate's docs, every feature on (all 22 modules of `cliq-api`), no
    // rustdoc warning (a broken or private link is one).
    let mut doc = cargo();
    doc.args(["doc", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings");
    for name in crate::publish::publishable_names()? {
        doc.args(["-p", &name]);
    }
    step(
        "rustdoc of every published crate, every feature (0 warnings)",
        &mut doc,
    )?;
    each_feature()?;
    if let Some(setup) = setup {
        setup.finish()?;
    }
    // `cargo test --workspace --no-fail-fast`, built once and run in two lanes (lanes.rs).
    let tests = crate::lanes::run();
    let big_spec = big_spec.finish();
    tests.and(big_spec)?;
    // Two small 3.1 descriptions of other vendors (the whole corpus takes longer than CI has).
    step(
        "other vendors' specs generated, linted, documented (cargo xtask corpus --ci)",
        cargo().args(["xtask", "corpus", "--ci"]),
    )?;
    publish_check()
}

/// Every module of the generated crate builds alone (what `cargo hack --each-feature` checks,
/// without installing it): `cargo check -p cliq-api --no-default-features` with no feature,
/// then with each module's. Checks, not builds, sharing the workspace's target: the
/// dependencies are checked once (by the clippy steps above), each run checks `cliq-api`
/// alone, warnings denied (about 1 s for a small module; the figure is printed at the end).
fn each_feature() -> Result<(), String> {
    let started = std::time::Instant::now();
    let modules = crate::codegen::module_specs()?;
    let mut features: Vec<Option<&str>> = vec![None];
    features.extend(modules.iter().map(|(name, _)| Some(name.as_str())));
    for feature in &features {
        // `cargo rustc --profile check` is `cargo check` with flags for this crate alone:
        // `RUSTFLAGS=-D warnings` would rebuild every dependency.
        let mut cmd = cargo();
        cmd.args([
            "rustc",
            "-p",
            "cliq-api",
            "--lib",
            "--profile",
            "check",
            "--no-default-features",
        ]);
        if let Some(f) = feature {
            cmd.args(["--features", f]);
        }
        cmd.args(["--", "-D", "warnings"]);
        step(
            &format!(
                "cliq-api with {} alone",
                feature.map_or("no module".to_string(), |f| format!("the module `{f}`"))
            ),
            &mut cmd,
        )?;
    }
    eprintln!(
        "every module alone: {} checks in {:.1?}",
        features.len(),
        started.elapsed()
    );
    Ok(())
}

/// The crates as a user gets them: every publishable crate packaged and built from its
/// package, `cargo-cliq` installed from the packages, a bot it writes built and tested, and the
/// hand-written crates' public API against the last release tag (`xtask/src/publish.rs`).
fn publish_check() -> Result<(), String> {
    eprintln!(
        "==> packaging, install from the packages, semver checks (cargo xtask publish-check)"
    );
    crate::publish::run()
}
