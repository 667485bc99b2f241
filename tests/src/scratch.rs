//! Scratch builds: the crates the tests write and compile (`generality`'s and `generate_specs`'
//! spec crates, `cliq-codegen`'s fixture crates, the bots of `cargo cliq new`) all build into
//! one target directory, `target/scratch`, with one set of flags, so each dependency they share
//! (same version, features and flags) compiles once per checkout, not once per test.
//!
//! `cliq-codegen`'s, `cargo-cliq`'s and `cliq-ui-tests`' tests include this file by path (they
//! cannot depend on `cliq-tests`), and so does `xtask` for [`isolate`]; each uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Build settings of every scratch build, beside the target directory and the flags: scratch
/// crates are never debugged (debug info costs an eighth of their build time and a third of
/// their disk) and each is built once per run (incremental compilation only costs).
/// `cliq-ui-tests` gives them to trybuild's builds too.
pub const PROFILE: [(&str, &str); 2] = [
    ("CARGO_PROFILE_DEV_DEBUG", "false"),
    ("CARGO_INCREMENTAL", "0"),
];

/// `RUSTFLAGS` of every scratch build: a warning in generated code fails its test. The same
/// value everywhere, since the flags are part of every build's hash.
pub const RUSTFLAGS: &str = "-D warnings";

/// `target/scratch`, under the workspace root (the nearest directory above the including
/// package that holds `Cargo.lock`), as one canonical path: every build names it alike.
pub fn target_dir() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = package
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap_or(package);
    root.canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .join("target/scratch")
}

/// Makes `cargo` (a command running some `cargo` subcommand) a scratch build: [`isolate`]d,
/// into [`target_dir`], with [`RUSTFLAGS`] and the [`PROFILE`] settings.
pub fn configure(cargo: &mut Command) -> &mut Command {
    isolate(cargo)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", RUSTFLAGS)
        .envs(PROFILE)
}

/// Writes `text` to `path` (creating the directories above it) unless it already holds it:
/// cargo's fingerprints use mtimes, so a scratch crate whose sources did not change is not
/// rebuilt on the next run.
pub fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// Removes from `cargo`'s environment what `cargo test` or `cargo run` set for the running
/// program (its package's `CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, …). Build scripts record
/// such variables (ring's does): a cargo that passed them on would rerun the script whenever
/// another program, or `cargo` run from the shell, used the same build directory, and rebuild
/// everything above it (in a warm `cargo xtask test`, ring and all it feeds, three times).
pub fn isolate(cargo: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(set_for_program) {
            cargo.env_remove(key);
        }
    }
    cargo
}

/// A variable cargo sets for a program it runs (the `CARGO` it runs as is kept: it names the
/// toolchain).
fn set_for_program(key: &str) -> bool {
    key.starts_with("CARGO_PKG_")
        || key.starts_with("CARGO_MANIFEST_")
        || matches!(
            key,
            "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
        )
}
