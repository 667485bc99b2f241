//! The tools compared against: installing them, finding them, their versions, and how each
//! generator (ours included) is invoked on a spec.

use super::args::Args;
use crate::process::{cargo, run_echoed};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo-progenitor release the figures and the corpus are measured with.
pub(crate) const PROGENITOR_VERSION: &str = "0.15.1";

/// How to install cargo-progenitor, for a figure that needs it and finds it missing.
pub(crate) fn progenitor_install_hint() -> String {
    format!(
        "cargo-progenitor is not installed (`cargo install cargo-progenitor --locked --version {PROGENITOR_VERSION}`)"
    )
}

/// Is `program` on PATH?
pub(crate) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
}

/// Installs what is missing; returns a note per peer that could not be installed.
pub(super) fn install(args: &Args, root: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    if args.no_install {
        return notes;
    }
    if !on_path("cargo-progenitor") {
        let installed = run_echoed(cargo().args([
            "install",
            "cargo-progenitor",
            "--locked",
            "--version",
            PROGENITOR_VERSION,
        ]));
        if let Err(e) = installed {
            notes.push(format!("cargo-progenitor: {e}"));
        }
    }
    if !args.no_openapi_generator && openapi_generator(root).is_none() {
        // Into a venv of the scratch directory: no system or user site-packages touched.
        let venv = root.join("target/bench/venv");
        let pip = venv.join("bin/pip");
        let installed = run_echoed(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .and_then(|()| {
                run_echoed(Command::new(&pip).args(["install", "openapi-generator-cli"]))
            });
        if let Err(e) = installed {
            notes.push(format!("openapi-generator-cli: {e}"));
        }
        if Command::new("java").arg("-version").output().is_err() {
            notes.push("openapi-generator-cli needs Java (17 or later) on PATH".into());
        }
    }
    if !on_path("wrk") && !on_path("oha") {
        if let Err(e) = run_echoed(cargo().args(["install", "oha"])) {
            notes.push(format!("oha: {e}"));
        }
    }
    notes
}

/// OpenAPI Generator's launcher: on PATH, else in the venv `install` makes.
pub(super) fn openapi_generator(root: &Path) -> Option<PathBuf> {
    let venv = root.join("target/bench/venv/bin/openapi-generator-cli");
    if venv.is_file() {
        return Some(venv);
    }
    on_path("openapi-generator-cli").then(|| PathBuf::from("openapi-generator-cli"))
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

/// The peers' versions, for the head of the report.
pub(super) fn versions() -> String {
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

/// Ours: the release `xtask codegen --spec S --out D` (a standalone crate).
pub(super) fn ours_args(spec: &Path, out: &Path, _: &str) -> Vec<String> {
    vec![
        "codegen".into(),
        "--spec".into(),
        spec.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ]
}

/// `cargo progenitor -i S -o D -n N -v 0.1.0`.
pub(super) fn progenitor_args(spec: &Path, out: &Path, name: &str) -> Vec<String> {
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

/// `openapi-generator-cli generate -g rust -i S -o D`.
pub(super) fn oag_args(spec: &Path, out: &Path, _: &str) -> Vec<String> {
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
