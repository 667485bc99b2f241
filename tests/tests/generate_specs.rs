//! `cargo xtask codegen --spec <file> --out <dir>` on every spec in `../shared/specs/`: each
//! must generate a standalone crate that compiles. Zoho's other Cliq modules carry warts the
//! Bots spec does not (two success types in chats, `NoResponse`/`no-response` colliding once
//! cased, arrays without `items` in messageactions); nexus.json is a large third-party spec.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use cliq_tests::harness::{self, needs, test};

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
    ])
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `cargo xtask codegen --spec <spec> --out <out>`.
fn xtask_codegen(spec: &Path, out: &Path) -> Output {
    cargo()
        .current_dir(cliq_tests::workspace_root())
        .args(["run", "--quiet", "-p", "xtask", "--", "codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("cargo runs")
}

fn generate_and_compile(spec: &Path, out: &Path) {
    let root = cliq_tests::workspace_root();
    let gen = xtask_codegen(spec, out);
    assert!(
        gen.status.success(),
        "codegen failed for {}:\n{}",
        spec.display(),
        String::from_utf8_lossy(&gen.stderr)
    );
    // Warnings name the spot in the spec; print them so they show in the test log.
    eprintln!("{}", String::from_utf8_lossy(&gen.stderr));
    let build = cargo()
        .current_dir(out)
        .env("CARGO_TARGET_DIR", root.join("target/spec-crates"))
        .args(["build", "--quiet"])
        .env("RUSTFLAGS", "-D warnings")
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
    assert_eq!(specs.len(), 4, "bots, chats, messageactions, slashcommands");
    specs.push(shared.join("specs/other/nexus.json"));
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        generate_and_compile(spec, &out_root.join(stem));
    }
}

fn bad_spec_fails_with_a_pointer_not_a_panic() {
    let dir = cliq_tests::workspace_root().join("target/spec-crates/bad");
    std::fs::create_dir_all(&dir).expect("target is writable");
    let spec = dir.join("bad.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.0\ninfo: {title: Bad, version: '1'}\npaths:\n  /x/{id}:\n    get:\n      operationId: get_x\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    )
    .expect("write spec");
    let out = xtask_codegen(&spec, &dir.join("out"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
    assert!(stderr.contains("error at #/paths/~1x~1{id}/get/responses/200/content/application~1json/schema: `$ref: #/components/schemas/Missing` does not name a schema"), "{stderr}");
    assert!(
        stderr.contains("path placeholder `{id}` has no `in: path` parameter"),
        "{stderr}"
    );
}
