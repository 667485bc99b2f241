//! `cargo cliq new` in a temporary directory: for every bot handler type alone, all eight
//! together, and every handler type of every component (a bot, slash commands, a message
//! action, functions) together, the generated crate builds, its tests pass and clippy is clean. The generated
//! crates share one target directory (under this workspace's `target/`) and this checkout's
//! `Cargo.lock`, and build offline from the local registry cache.

mod common;

use std::path::Path;
use std::process::Command;

use common::{bot_cargo, copy_lock, scratch};

const ALL: &[&str] = &[
    "message",
    "mention",
    "welcome",
    "context",
    "participation",
    "incoming_webhook",
    "menu:Deploy",
    "call",
];

fn cliq_new(dir: &Path, handlers: &str, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-cliq"))
        .args(["cliq", "new"])
        .arg(dir)
        .args(["--handlers", handlers])
        .args(extra)
        .output()
        .expect("run cargo-cliq")
}

fn cargo(dir: &Path, args: &[&str]) {
    let status = bot_cargo(dir, args).status().expect("run cargo");
    assert!(
        status.success(),
        "cargo {args:?} failed in {}",
        dir.display()
    );
}

fn generate_and_check(name: &str, handlers: &str) {
    generate_and_check_with(name, handlers, &[]);
}

fn generate_and_check_with(name: &str, handlers: &str, extra: &[&str]) {
    let dir = scratch(name);
    let out = cliq_new(&dir, handlers, extra);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    copy_lock(&dir);
    cargo(&dir, &["build"]);
    cargo(&dir, &["test"]);
    cargo(&dir, &["clippy", "--all-targets", "--", "-D", "warnings"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn all_eight_together() {
    generate_and_check("all-eight", &ALL.join(","));
}

/// Every component kind and all 17 handler types in one crate: the function `approve`'s button
/// rides on the bot's message reply and opens its form; `survey`'s view handler returns the
/// form its submit handler receives.
const COMPONENTS: &[&str] = &[
    "--command",
    "deploy:execution+suggestion",
    "--message-action",
    "translate",
    "--function",
    "approve:button+form_submit",
    "--function",
    "survey:form_view+form_submit+form_change+form_dynamic_select",
    "--function",
    "panel:widget_button",
];

#[test]
fn every_component_together() {
    generate_and_check_with("all-kinds", &ALL.join(","), COMPONENTS);
}

#[test]
fn components_without_a_bot() {
    let dir = scratch("no-bot");
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-cliq"))
        .args(["cliq", "new"])
        .arg(&dir)
        .args(["--command", "deploy", "--function", "approve:form_submit"])
        .output()
        .expect("run cargo-cliq");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let handlers = std::fs::read_to_string(dir.join("src/handlers.rs")).unwrap();
    // The command's reply carries the button that opens the form function's form (a button
    // handler is added to open it).
    for expected in [
        ".button(Button::invoke(\"Approve\", function_approve_button {}))",
        "Form::new(\"Approve\", \"approve\", function_approve_form_submit {})",
    ] {
        assert!(
            handlers.contains(expected),
            "missing {expected:?} in:\n{handlers}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn each_type_alone() {
    for h in ALL {
        let name = format!(
            "only-{}",
            h.split(':').next().unwrap_or(h).replace('_', "-")
        );
        generate_and_check(&name, h);
    }
}

#[test]
fn refuses_a_non_empty_dir_without_force() {
    let dir = scratch("non-empty");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = cliq_new(&dir, "message", &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty; pass --force"));
    assert!(!dir.join("Cargo.toml").exists(), "nothing written");
    let forced = cliq_new(&dir, "message", &["--force"]);
    assert!(forced.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.join("src/handlers.rs").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_handler_lists_are_refused_with_the_choices() {
    let dir = scratch("bad");
    let out = cliq_new(&dir, "message,shout", &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown handler `shout`; known: message, mention, welcome"),
        "{err}"
    );
    assert!(!dir.exists(), "nothing written");
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-cliq"))
        .args(["cliq", "new"])
        .arg(&dir)
        .args(["--function", "approve:click"])
        .output()
        .expect("run cargo-cliq");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown handler `approve:click`; known: button, form_submit, form_change, form_dynamic_select, form_view, widget_button"),
        "{err}"
    );
    assert!(!dir.exists(), "nothing written");
}
