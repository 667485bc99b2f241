//! Shared helpers for the workspace integration tests.

pub mod examples;
pub mod spec_examples;

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// `../shared` beside the workspace, when present. Without it, tests that need Zoho's published
/// specs skip with a message; on CI (`CI` set) its absence is a failure.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared is missing on CI: it holds Zoho's published specs these tests read");
    }
    eprintln!("skipping: ../shared (Zoho's published specs, not part of this repository) is not beside the workspace");
    None
}

/// The README's code blocks, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
