//! Helpers shared by the `cargo cliq` integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../../tests/src/scratch.rs"]
pub mod scratch;

/// This checkout.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An empty scratch directory for one test, under the system's temp directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("cargo-cliq-test-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `cargo <subcommand> --offline <rest>` in a generated bot crate, as its author runs it:
/// `cargo` from PATH with the toolchain the crate's own directory selects and nothing of this
/// test run's toolchain environment; a scratch build (`target/scratch`, kept between runs, so
/// only the bot crates themselves are rebuilt).
pub fn bot_cargo(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("cargo");
    scratch::configure(&mut cmd)
        .arg(args[0])
        .arg("--offline")
        .args(&args[1..])
        .current_dir(dir)
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO");
    cmd
}

/// Gives a generated crate this checkout's `Cargo.lock`, so it builds offline from the
/// local registry cache with the versions this workspace is tested with.
pub fn copy_lock(dir: &Path) {
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
}
