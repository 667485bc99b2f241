//! The hostile spec corpus (`codegen/tests/hostile/cases.rs`) through the real
//! `cargo xtask codegen --spec F --out D` binary: exit code 1 with one `error:` message for
//! refused documents, 0 for accepted ones, never a panic (caught by the library and reported
//! as an internal error, or exit 101) or a signal (stack overflow).

#[path = "../../codegen/tests/hostile/cases.rs"]
mod cases;

use cases::{Expect, CASES};
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cliq-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs the binary on `spec`; returns (exit code, stderr). A signal is reported as -1.
fn codegen(spec: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run xtask");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn want_of(expect: &Expect) -> &'static str {
    match expect {
        Expect::Error(w) | Expect::Warning(w) => w,
        Expect::Ok => "",
    }
}

#[test]
fn every_case_exits_as_expected() {
    let dir = scratch("corpus");
    let mut wrong = Vec::new();
    for (name, doc, expect) in CASES {
        let spec = dir.join(format!("{name}.yaml"));
        std::fs::write(&spec, cases::text(doc)).expect("write spec");
        let (code, err) = codegen(&spec, &dir.join(name));
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        let warned = err
            .lines()
            .any(|l| l.contains("warning") && l.contains(want_of(expect)));
        match (expect, code) {
            _ if is_bug(&err) => wrong.push(format!("{name}: a bug, not a refusal: {err}")),
            (Expect::Ok, 0) if errors.is_empty() => {}
            (Expect::Warning(_), 0) if warned && errors.is_empty() => {}
            // One `error:` message naming the pointer (problems found by lowering are listed
            // under it, one `error at #/…` line each).
            (Expect::Error(want), 1) if errors.len() == 1 && err.contains(want) => {}
            _ => wrong.push(format!("{name}: expected {expect:?}, exit {code}: {err}")),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// Whether `stderr` reports a bug: a panic, which the library returns as
/// `Error::Panicked` (the binary then exits 1 like a refusal), or an internal error.
fn is_bug(stderr: &str) -> bool {
    stderr.contains("internal error (please report)") || stderr.contains("panicked at")
}

/// `stderr` holds exactly one `error:` line, and it says `want`; it reports no bug.
fn one_error_line(name: &str, stderr: &str, want: &str) {
    assert!(!is_bug(stderr), "{name}: a bug, not a refusal: {stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{name}: {stderr}");
    assert!(errors[0].contains(want), "{name}: {want:?} not in {stderr}");
}

#[test]
fn unreadable_and_generated_inputs_exit_1() {
    let dir = scratch("special");
    // (name, bytes, what the one error line must say).
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "invalid_utf8",
            b"openapi: 3.0.0\ninfo: {title: \xff\xfe, version: '1'}\n".to_vec(),
            "valid UTF-8",
        ),
        (
            "deep_yaml",
            cases::deep_brackets(20_000, false).into_bytes(),
            "at #/paths",
        ),
        (
            "deep_json",
            cases::deep_brackets(100_000, true).into_bytes(),
            "at #/openapi",
        ),
        (
            "deep_schema",
            cases::deep_schema(10_000).into_bytes(),
            "recursion limit",
        ),
    ];
    for (name, bytes, want) in cases {
        let spec = dir.join(format!("{name}.yaml"));
        std::fs::write(&spec, bytes).expect("write");
        let (code, err) = codegen(&spec, &dir.join(name));
        assert_eq!(code, 1, "{name}: {err}");
        one_error_line(name, &err, want);
    }
    let missing = dir.join("does-not-exist.yaml");
    let (code, err) = codegen(&missing, &dir.join("missing"));
    assert_eq!(code, 1, "{err}");
    one_error_line("missing", &err, "cannot read");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "50 MB spec: ~7 min in a debug build; `cargo xtask test` runs it on a release build"]
fn fifty_megabyte_spec_generates() {
    let dir = scratch("big");
    let spec = dir.join("big.yaml");
    std::fs::write(&spec, cases::big_spec(50 * 1024 * 1024)).expect("write");
    let (code, err) = codegen(&spec, &dir.join("out"));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{err}");
}
