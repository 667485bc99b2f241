//! Third-party OpenAPI validators accept `spec/bots.yaml`.
//!
//! The validators are installed by the project itself: `tools/setup.sh` puts
//! `openapi-spec-validator` into `tools/.venv` and `@redocly/cli` into `tools/node_modules`
//! (versions pinned by `tools/requirements.txt` and `tools/package-lock.json`).
//! When a tool is not installed the test is reported as ignored with how to install it,
//! unless the `CI` environment variable is set, in which case it fails.

use std::path::Path;
use std::process::{Command, ExitCode, Output};

use cliq_tests::harness::{self, needs};

const OPENAPI_SPEC_VALIDATOR: &str = "tools/.venv/bin/openapi-spec-validator";
const REDOCLY: &str = "tools/node_modules/.bin/redocly";

fn main() -> ExitCode {
    harness::run(vec![
        needs(
            "openapi_spec_validator_accepts_bots_spec",
            || harness::tool(OPENAPI_SPEC_VALIDATOR),
            openapi_spec_validator_accepts_bots_spec,
        ),
        needs(
            "redocly_lint_accepts_bots_spec",
            || harness::tool(REDOCLY),
            redocly_lint_accepts_bots_spec,
        ),
    ])
}

fn run(program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cliq_tests::workspace_root())
        // redocly: no telemetry, no colour codes in the captured output
        .env("REDOCLY_TELEMETRY", "off")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

fn describe(out: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn openapi_spec_validator_accepts_bots_spec(validator: std::path::PathBuf) {
    let out = run(&validator, &["spec/bots.yaml"]);
    assert!(
        out.status.success(),
        "openapi-spec-validator rejected spec/bots.yaml\n{}",
        describe(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("OK"),
        "unexpected openapi-spec-validator output\n{}",
        describe(&out)
    );
}

fn redocly_lint_accepts_bots_spec(redocly: std::path::PathBuf) {
    // `spec` ruleset: OpenAPI structural validity only (Zoho's style warts are documented
    // in spec/README.md, not linted away). JSON output so errors and warnings are counted.
    let out = run(
        &redocly,
        &["lint", "--extends=spec", "--format=json", "spec/bots.yaml"],
    );
    assert!(
        out.status.success(),
        "redocly lint rejected spec/bots.yaml\n{}",
        describe(&out)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "redocly --format=json printed no JSON ({e})\n{}",
            describe(&out)
        )
    });
    let errors = report
        .pointer("/totals/errors")
        .and_then(serde_json::Value::as_u64);
    assert_eq!(
        errors,
        Some(0),
        "redocly reported errors\n{}",
        describe(&out)
    );
    let warnings = report
        .pointer("/totals/warnings")
        .and_then(serde_json::Value::as_u64);
    assert_eq!(
        warnings,
        Some(0),
        "redocly's `spec` ruleset reported warnings\n{}",
        describe(&out)
    );
}
