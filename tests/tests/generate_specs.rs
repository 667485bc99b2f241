//! `cargo xtask codegen --spec <file> --out <dir>` on every spec in `../shared/specs/`: each
//! must generate a standalone crate that compiles. Zoho's other Cliq modules carry warts the
//! Bots spec does not (two success types in chats, `NoResponse`/`no-response` colliding once
//! cased, arrays without `items` in messageactions); `specs/other/*.json` are third-party specs
//! (nexus is large, keeper and buildomat have header parameters, param-overrides shares them).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use cliq_tests::harness::{self, needs, test};
use cliq_tests::scratch;

fn main() -> ExitCode {
    harness::run(vec![
        needs(
            "every_shared_spec_generates_and_compiles",
            harness::shared,
            every_shared_spec_generates_and_compiles,
        ),
        test(
            "bad_spec_fails_with_a_pointer_not_a_panic",
            bad_spec_fails_with_a_pointer_not_a_panic,
        ),
        test(
            "strict_turns_warnings_into_errors",
            strict_turns_warnings_into_errors,
        ),
    ])
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `cargo xtask codegen --spec <spec> --out <out> <extra…>` (the build `cargo xtask` makes
/// in this workspace's `target/`, without this test's variables: see `scratch::isolate`).
fn xtask_codegen(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    scratch::isolate(&mut cargo())
        .current_dir(cliq_tests::workspace_root())
        .args(["run", "--quiet", "-p", "xtask", "--", "codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("cargo runs")
}

fn generate_and_compile(spec: &Path, out: &Path) {
    let root = cliq_tests::workspace_root();
    let gen = xtask_codegen(spec, out, &[]);
    assert!(
        gen.status.success(),
        "codegen failed for {}:\n{}",
        spec.display(),
        String::from_utf8_lossy(&gen.stderr)
    );
    // The crate travels: no absolute path of this machine in what was generated.
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml written");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs written");
    let root_text = root.display().to_string();
    assert!(!manifest.contains(&root_text), "{manifest}");
    assert!(!lib.contains(&root_text), "absolute path in lib.rs");
    // Warnings name the spot in the spec; print them so they show in the test log.
    eprintln!("{}", String::from_utf8_lossy(&gen.stderr));
    // A scratch build, with the versions this workspace is tested with.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    let build = scratch::configure(&mut cargo())
        .current_dir(out)
        .args(["build", "--quiet"])
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "generated crate for {} does not compile:\n{}",
        spec.display(),
        String::from_utf8_lossy(&build.stderr)
    );
}

fn every_shared_spec_generates_and_compiles(shared: PathBuf) {
    let out_root = cliq_tests::workspace_root().join("target/spec-crates/src");
    let mut specs: Vec<_> = std::fs::read_dir(shared.join("specs/cliq"))
        .expect("specs/cliq is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    specs.sort();
    // Every module spec Zoho publishes that `../shared` holds (22 today), the Bots one at least.
    assert!(
        specs.iter().any(|p| p.ends_with("bots.yml")),
        "specs/cliq has no bots.yml: {specs:?}"
    );
    // Every third-party spec too: the generator is for any spec a user brings.
    let mut other: Vec<_> = std::fs::read_dir(shared.join("specs/other"))
        .expect("specs/other is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    other.sort();
    specs.extend(other);
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        generate_and_compile(spec, &out_root.join(stem));
    }
}

/// Write `text` as `target/spec-crates/<dir>/spec.yaml` and run codegen on it with `extra`.
fn codegen_on(dir: &str, text: &str, extra: &[&str]) -> std::process::Output {
    let dir = cliq_tests::workspace_root()
        .join("target/spec-crates")
        .join(dir);
    std::fs::create_dir_all(&dir).expect("target is writable");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, text).expect("write spec");
    xtask_codegen(&spec, &dir.join("out"), extra)
}

fn bad_spec_fails_with_a_pointer_not_a_panic() {
    let out = codegen_on(
        "bad",
        "openapi: 3.0.0\ninfo: {title: Bad, version: '1'}\npaths:\n  /x/{id}:\n    get:\n      operationId: get_x\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("1 problem(s)"), "{stderr}");
    assert!(stderr.contains("error at #/paths/~1x~1{id}/get/responses/200/content/application~1json/schema: `$ref: #/components/schemas/Missing` does not name a schema"), "{stderr}");
    assert!(
        stderr.contains("warning at #/paths/~1x~1{id}/get: path placeholder `{id}` has no `in: path` parameter; it is a `&str` argument"),
        "{stderr}"
    );
}

/// Warnings alone generate a crate; `--strict` makes them errors.
fn strict_turns_warnings_into_errors() {
    let spec = "openapi: 3.0.0\ninfo: {title: Warns, version: '1'}\npaths:\n  /x/{id}:\n    get:\n      operationId: get_x\n      responses:\n        '204': {description: ok}\n";
    let run = |strict: bool| codegen_on("strict", spec, if strict { &["--strict"] } else { &[] });
    let lenient = run(false);
    assert!(
        lenient.status.success(),
        "{}",
        String::from_utf8_lossy(&lenient.stderr)
    );
    let strict = run(true);
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(!strict.status.success(), "{stderr}");
    assert!(
        stderr.contains("error at #/paths/~1x~1{id}/get: path placeholder"),
        "{stderr}"
    );
}
