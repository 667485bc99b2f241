//! trybuild cases for `#[cliq_handler]` (`cargo test --workspace ui`).
//!
//! `tests/ui/cliq_handler/permissions/{allowed,denied}/` hold one case per
//! (handler kind × permission) pair of the rules table (bots' as `<type>__<perm>.rs`, the
//! other components' as `<component>__<type>__<perm>.rs`), written by
//! [`ui_permission_cases_match_rules_table`] from `cliq_webhook::rules` (the table generated
//! from `spec/bots.yaml`, `spec/slashcommands.yml`, `spec/messageactions.yml` and
//! `spec/functions.yml`). When the table changes that test fails; regenerate with
//! `CLIQ_UI_REGENERATE=1 cargo test -p cliq-ui-tests --test ui ui_permission`, then pin the new
//! messages with `TRYBUILD=overwrite cargo test -p cliq-ui-tests --test ui ui_cases` and review
//! the diff. The other cases in `pass/` and `fail/` are hand-written, one file per rule.
//!
//! This package (`tests/ui-tests`, `ui` a symlink to `tests/ui`) depends on `cliq-webhook`
//! alone: trybuild builds every case against all of its package's dependencies.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cliq_webhook::rules::{self, Component, Permission};

// For the build settings it gives trybuild's builds.
#[path = "../../src/scratch.rs"]
mod scratch;

const GENERATED_HEADER: &str =
    "// Generated from the handler rules table by tests/tests/ui.rs; do not edit by hand.";

fn permission_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/cliq_handler/permissions")
}

/// A case's file stem: `<type>__<perm>` for a bot's handler, `<component>__<type>__<perm>`
/// for the others'.
fn case_stem(handler: &rules::HandlerRule, perm: Permission) -> String {
    match handler.component {
        Component::Bot => format!("{}__{}", handler.handler_type, perm.name()),
        c => format!("{}__{}__{}", c.name(), handler.handler_type, perm.name()),
    }
}

/// Every case the table implies: relative path → file content.
fn expected_permission_cases() -> BTreeMap<String, String> {
    let mut cases = BTreeMap::new();
    for handler in rules::HANDLERS {
        for perm in Permission::ALL {
            let allowed = handler.permissions.contains(perm);
            let dir = if allowed { "allowed" } else { "denied" };
            // Menu handlers need their name; it is not what these cases test.
            let extra = if handler.handler_type == "menu_handler" {
                ", name = \"Case\""
            } else {
                ""
            };
            let component = match handler.component {
                Component::Bot => String::new(),
                c => format!("component = {}, ", c.name()),
            };
            let content = format!(
                "{GENERATED_HEADER}\nuse cliq_webhook::cliq_handler;\n\n\
                 #[cliq_handler({component}type = \"{}\", permissions({}){extra})]\n\
                 async fn handler() {{}}\n\n\
                 fn main() {{\n    let _ = cliq_webhook::Bot::builder().handler(handler {{}});\n}}\n",
                handler.handler_type,
                perm.name()
            );
            cases.insert(format!("{dir}/{}.rs", case_stem(handler, *perm)), content);
        }
    }
    cases
}

/// The message a denied pair must produce (pinned in its `.stderr`).
fn denied_message(handler: &rules::HandlerRule, perm: Permission) -> String {
    let allowed: Vec<String> = handler
        .permissions
        .iter()
        .map(|p| format!("`{}`", p.name()))
        .collect();
    let who = match handler.component {
        Component::Bot => format!("`{}`", handler.handler_type),
        Component::MessageAction => format!("a message action's `{}`", handler.handler_type),
        c => format!("a {}'s `{}`", c.name(), handler.handler_type),
    };
    format!(
        "{who} cannot have the `{}` permission; it allows {}",
        perm.name(),
        allowed.join(", ")
    )
}

fn existing_cases(root: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for dir in ["allowed", "denied"] {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
                found.insert(name, fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    found
}

#[test]
fn ui_permission_cases_match_rules_table() {
    let root = permission_dir();
    let expected = expected_permission_cases();
    assert_eq!(
        expected.len(),
        rules::HANDLERS.len() * Permission::ALL.len(),
        "one case per (handler kind, permission) pair"
    );
    if std::env::var_os("CLIQ_UI_REGENERATE").is_some() {
        let _ = fs::remove_dir_all(&root);
        for (rel, content) in &expected {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, content).unwrap();
        }
    }
    let existing = existing_cases(&root);
    let stale: Vec<&String> = existing
        .keys()
        .filter(|k| expected.get(*k) != existing.get(*k))
        .chain(expected.keys().filter(|k| !existing.contains_key(*k)))
        .collect();
    assert!(
        stale.is_empty(),
        "trybuild permission cases are stale against the rules table: {stale:?}\n\
         run `CLIQ_UI_REGENERATE=1 cargo test -p cliq-ui-tests --test ui ui_permission` and then \
         `TRYBUILD=overwrite cargo test -p cliq-ui-tests --test ui ui_cases`, and review the diff"
    );
    // Each denied pair's pinned stderr says what is allowed.
    let mut missing = Vec::new();
    for handler in rules::HANDLERS {
        for perm in Permission::ALL {
            if handler.permissions.contains(perm) {
                continue;
            }
            let stderr = root.join(format!("denied/{}.stderr", case_stem(handler, *perm)));
            let text = fs::read_to_string(&stderr).unwrap_or_default();
            if !text.contains(&denied_message(handler, *perm)) {
                missing.push(stderr.display().to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these .stderr files lack the pinned message (run with TRYBUILD=overwrite and review): {missing:?}"
    );
}

/// The rustc flags trybuild 1.0.122 gives each case's build (its `rustflags.rs`, plus the
/// `--diagnostic-width=140` its per-case builds add), as `CARGO_ENCODED_RUSTFLAGS`.
///
/// trybuild first builds the dependencies without `--diagnostic-width` (`--config
/// build.rustflags=…`), then every case with it: another flag is another build, so the whole
/// dependency stack compiled twice (about a minute of CI). `CARGO_ENCODED_RUSTFLAGS` comes
/// before any `--config` rustflags, so with it every build trybuild starts has these same
/// flags and the dependencies compile once. Nothing else changes: these are the flags the
/// cases were always compiled with (the `.stderr` files pin their output). Another trybuild
/// version may change its flags: compare with its `rustflags.rs` and `cargo.rs` when
/// updating it.
const TRYBUILD_RUSTFLAGS: &[&str] = &[
    "--cfg",
    "trybuild",
    "--verbose",
    "-A",
    "dead_code",
    "--diagnostic-width=140",
];

#[test]
fn ui_cases() {
    // trybuild's cargo inherits this process's environment: its builds (in a target directory
    // of their own, `target/tests/trybuild`) get the scratch builds' settings, and one set of
    // flags for every build (see `TRYBUILD_RUSTFLAGS`).
    for (key, value) in scratch::PROFILE {
        std::env::set_var(key, value);
    }
    std::env::set_var("CARGO_ENCODED_RUSTFLAGS", TRYBUILD_RUSTFLAGS.join("\x1f"));
    let t = trybuild::TestCases::new();
    t.pass("ui/cliq_handler/pass/*.rs");
    t.pass("ui/cliq_handler/permissions/allowed/*.rs");
    t.compile_fail("ui/cliq_handler/fail/*.rs");
    t.compile_fail("ui/cliq_handler/permissions/denied/*.rs");
    // cliq-message: limits on literals, button action shapes, #[derive(CliqForm)]
    t.pass("ui/cliq_message/pass/*.rs");
    t.compile_fail("ui/cliq_message/fail/*.rs");
}
