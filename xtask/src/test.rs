//! `cargo xtask test`: what CI runs.

use crate::process::{cargo, project_root, run_status};
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

pub fn run(args: Args) -> Result<(), String> {
    if !args.no_setup {
        step(
            "install test tools (tools/setup.sh)",
            Command::new("bash").arg("tools/setup.sh"),
        )?;
    }
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
        "rustdoc of the generated crate (0 warnings)",
        cargo()
            .args(["doc", "--no-deps", "-p", "cliq-bots"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    step(
        "tests",
        cargo().args(["test", "--workspace", "--no-fail-fast"]),
    )?;
    // The debug run above ignores it: in a debug build it takes ~7 minutes, in release ~15 s.
    step(
        "the 50 MB spec through a release build of the generator (xtask/tests/hostile.rs)",
        cargo().args([
            "test",
            "--release",
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
    publish_check()
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
