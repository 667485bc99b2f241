//! `cargo xtask corpus`: public API descriptions of other vendors, fetched from the package
//! registry by `npm pack` at pinned versions (nothing committed), each generated as a
//! standalone crate by `cargo xtask codegen --spec`, then `cargo clippy -D warnings` and
//! `cargo doc` (warnings denied) on it. Writes a table (spec, operations, schemas, generation
//! time, crate build time, warnings) to `target/corpus/corpus.md`, and fails when any spec is
//! refused or its crate does not pass. The peers (cargo-progenitor, OpenAPI Generator) run on
//! the same specs when installed, their refusals in their own words (a Rust panic's message,
//! a Java exception's); progenitor's crate, when it generates one, is built too.

use crate::bench::peers::{on_path, progenitor_install_hint};
use crate::bench::refusal::refusal;
use crate::process::{cargo, project_root};
use crate::scratch;
use clap::Parser;
use cliq_codegen::openapi31;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One API description: a file inside a package of the npm registry.
struct Spec {
    /// Short name: the crate's and the table's.
    name: &'static str,
    /// Who publishes the API.
    vendor: &'static str,
    /// `package@version`.
    package: &'static str,
    /// The file inside the package (`package/…`).
    file: &'static str,
}

/// The corpus: 13 descriptions of 11 vendors, OpenAPI 3.0 and 3.1, YAML and JSON.
const CORPUS: &[Spec] = &[
    Spec {
        name: "blockfrost",
        vendor: "Blockfrost (Cardano)",
        package: "@blockfrost/openapi@0.1.93",
        file: "package/openapi.yaml",
    },
    Spec {
        name: "dialogporten",
        vendor: "Digdir (Norway)",
        package: "@digdir/dialogporten-schema@1.118.6",
        file: "package/swagger.verified.json",
    },
    Spec {
        name: "directus",
        vendor: "Directus",
        package: "@directus/specs@15.2.0",
        file: "package/dist/openapi.json",
    },
    Spec {
        name: "rclone",
        vendor: "Rclone",
        package: "rclone-openapi@1.75.0",
        file: "package/openapi.yaml",
    },
    Spec {
        name: "scalar-galaxy",
        vendor: "Scalar",
        package: "@scalar/galaxy@0.6.12",
        file: "package/dist/3.1.yaml",
    },
    Spec {
        name: "github-webhooks",
        vendor: "GitHub",
        package: "@octokit/openapi-webhooks@12.1.0",
        file: "package/generated/api.github.com.json",
    },
    Spec {
        name: "uspto",
        vendor: "USPTO",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.0/json/uspto.json",
    },
    Spec {
        name: "star-trek",
        vendor: "STAPI",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.0/json/star-trek.json",
    },
    Spec {
        name: "petstore",
        vendor: "Swagger",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.0/json/petstore.json",
    },
    Spec {
        name: "petstore-31",
        vendor: "Swagger",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.1/json/petstore.json",
    },
    Spec {
        name: "train-travel",
        vendor: "Bump.sh",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.1/json/train-travel.json",
    },
    Spec {
        name: "readme",
        vendor: "ReadMe",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.1/json/readme.json",
    },
    Spec {
        name: "webhooks-example",
        vendor: "OpenAPI Initiative",
        package: "@readme/oas-examples@8.2.2",
        file: "package/3.1/json/webhooks.json",
    },
];

/// The specs small enough for CI's time (a few seconds of build each, beside the workspace's).
pub const CI_SUBSET: &[&str] = &["petstore-31", "train-travel"];

#[derive(Parser)]
pub struct Args {
    /// Only these specs (names from the table); default: all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Only the specs CI runs (a small 3.1 pair).
    #[arg(long, conflicts_with = "only")]
    ci: bool,
}

/// What one spec gave.
struct Row {
    name: &'static str,
    vendor: &'static str,
    operations: usize,
    schemas: usize,
    generation: Duration,
    build: Duration,
    warnings: usize,
    failure: Option<String>,
    peers: Vec<(String, String)>,
}

pub fn run(args: Args) -> Result<(), String> {
    let root = project_root();
    let dir = root.join("target/corpus");
    let specs: Vec<&Spec> = CORPUS
        .iter()
        .filter(|s| {
            if args.ci {
                CI_SUBSET.contains(&s.name)
            } else {
                args.only.is_empty() || args.only.iter().any(|o| o == s.name)
            }
        })
        .collect();
    if specs.is_empty() {
        return Err("no spec of the corpus matches --only".into());
    }
    let xtask = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let mut rows = Vec::new();
    for spec in specs {
        let file = fetch(&dir.join("packages"), spec)?;
        eprintln!("corpus: {} ({})", spec.name, spec.vendor);
        rows.push(measure(
            spec,
            &file,
            &dir.join("crates").join(spec.name),
            &xtask,
            &root,
        ));
    }
    let table = table(&rows);
    let out = dir.join("corpus.md");
    std::fs::write(&out, &table).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("{table}\ncorpus: table written to {}", out.display());
    let failed: Vec<String> = rows
        .iter()
        .filter_map(|r| r.failure.as_ref().map(|f| format!("{}: {f}", r.name)))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} spec(s) failed:\n{}",
            failed.len(),
            failed.join("\n")
        ))
    }
}

/// The spec's file, from its package unpacked under `packages/` (packed by `npm pack` once).
fn fetch(packages: &Path, spec: &Spec) -> Result<PathBuf, String> {
    let unpacked = packages.join(
        spec.package
            .trim_start_matches('@')
            .replace(['/', '@'], "-"),
    );
    let file = unpacked.join(spec.file);
    if file.is_file() {
        return Ok(file);
    }
    std::fs::create_dir_all(&unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    let out = Command::new("npm")
        .args(["pack", "--silent", spec.package, "--pack-destination"])
        .arg(packages)
        .output()
        .map_err(|e| format!("cannot run npm (needed to fetch {}): {e}", spec.package))?;
    let tarball = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || tarball.is_empty() {
        return Err(format!(
            "npm pack {} failed: {}",
            spec.package,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let status = Command::new("tar")
        .arg("xzf")
        .arg(packages.join(tarball.lines().last().unwrap_or_default()))
        .arg("-C")
        .arg(&unpacked)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() || !file.is_file() {
        return Err(format!("{} has no {}", spec.package, spec.file));
    }
    Ok(file)
}

/// Generate, lint and document one spec's crate; the peers on the same file.
fn measure(spec: &Spec, file: &Path, out: &Path, xtask: &Path, root: &Path) -> Row {
    let mut row = Row {
        name: spec.name,
        vendor: spec.vendor,
        operations: 0,
        schemas: 0,
        generation: Duration::ZERO,
        build: Duration::ZERO,
        warnings: 0,
        failure: None,
        peers: peers(file, &out.with_extension("peers"), spec.name, root),
    };
    match cliq_codegen::load(file, |p| std::fs::read_to_string(p)) {
        Ok(loaded) => {
            row.schemas = loaded
                .doc
                .components
                .as_ref()
                .map_or(0, |c| c.schemas.len());
        }
        Err(e) => {
            row.failure = Some(format!("refused: {e}"));
            return row;
        }
    }
    let started = Instant::now();
    let generated = Command::new(xtask)
        .args(["codegen", "--spec"])
        .arg(file)
        .arg("--out")
        .arg(out)
        .arg("--name")
        .arg(format!("corpus-{}", spec.name))
        .arg("--runtime-path")
        .arg(root.join("runtime"))
        .output();
    row.generation = started.elapsed();
    let generated = match generated {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            row.failure = Some(format!("generation failed: {}", last_line(&o.stderr)));
            return row;
        }
        Err(e) => {
            row.failure = Some(format!("cannot run xtask: {e}"));
            return row;
        }
    };
    let stderr = String::from_utf8_lossy(&generated.stderr);
    row.warnings = stderr.matches(": warning at ").count();
    row.operations = stderr
        .lines()
        .find_map(|l| {
            l.split_once(" operations → ")
                .map(|(n, _)| n.trim().to_string())
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    // The workspace's lock file: the versions the scratch directory has built already.
    let _ = std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    let manifest = out.join("Cargo.toml");
    let started = Instant::now();
    let clippy = scratch::configure(&mut cargo())
        .arg("clippy")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["--", "-D", "warnings"])
        .output();
    row.build = started.elapsed();
    if let Some(f) = failure("clippy -D warnings", clippy) {
        row.failure = Some(f);
        return row;
    }
    let doc = scratch::configure(&mut cargo())
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(["doc", "--quiet", "--no-deps", "--manifest-path"])
        .arg(&manifest)
        .output();
    row.failure = failure("cargo doc", doc);
    row
}

/// Why a command's run failed, or `None`.
fn failure(what: &str, out: std::io::Result<std::process::Output>) -> Option<String> {
    match out {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!("{what} failed: {}", first_error(&o.stderr))),
        Err(e) => Some(format!("cannot run {what}: {e}")),
    }
}

fn first_error(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .find(|l| l.starts_with("error"))
        .map_or_else(|| last_line(stderr), str::to_string)
}

fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(no output)")
        .to_string()
}

/// The peers on `file`: what each said, or that it is not installed.
fn peers(file: &Path, out: &Path, name: &str, root: &Path) -> Vec<(String, String)> {
    let venv = root.join("target/bench/venv/bin/openapi-generator-cli");
    let oag = venv
        .is_file()
        .then(|| Command::new(&venv))
        .or_else(|| on_path("openapi-generator-cli").then(|| Command::new("openapi-generator-cli")))
        .map(|mut c| {
            c.args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                .arg(file)
                .arg("-o")
                .arg(out.join("openapi-generator"));
            c
        });
    let oag = match oag {
        None => "not installed".to_string(),
        Some(mut cmd) => match cmd.output() {
            Ok(o) if o.status.success() => "generated".to_string(),
            Ok(o) => format!("refused: {}", refusal(&String::from_utf8_lossy(&o.stderr))),
            Err(e) => format!("cannot run: {e}"),
        },
    };
    vec![
        (
            "cargo-progenitor".to_string(),
            progenitor(file, &out.join("progenitor"), name, root),
        ),
        ("OpenAPI Generator".to_string(), oag),
    ]
}

/// cargo-progenitor on `file`: refused (why, in its words; an OpenAPI 3.1 document, which it
/// does not read, says so first), or generated, and then whether its crate builds (`cargo
/// build`, debug, one target directory for every spec's crate so dependencies build once).
fn progenitor(file: &Path, out: &Path, name: &str, root: &Path) -> String {
    if !on_path("cargo-progenitor") {
        return progenitor_install_hint();
    }
    let _ = std::fs::remove_dir_all(out);
    let generated = cargo()
        .arg("progenitor")
        .arg("-i")
        .arg(file)
        .arg("-o")
        .arg(out)
        .args(["-n", &format!("progenitor-{name}"), "-v", "0.1.0"])
        .output();
    let is_31 = std::fs::read_to_string(file).is_ok_and(|t| openapi31::declares_31(&t));
    match generated {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            // Its `gen fail: …` reasons go to stdout, the panic or `Error:` to stderr.
            let said = [o.stdout, o.stderr].concat();
            let why = refusal(&String::from_utf8_lossy(&said));
            return if is_31 {
                format!("refused: OpenAPI 3.1, which it does not read ({why})")
            } else {
                format!("refused: {why}")
            };
        }
        Err(e) => return format!("cannot run: {e}"),
    }
    // Its crate lies inside this workspace's `target/`: a workspace of its own.
    let manifest = out.join("Cargo.toml");
    if let Ok(mut text) = std::fs::read_to_string(&manifest) {
        if !text.contains("[workspace]") {
            text.push_str("\n[workspace]\n");
            let _ = std::fs::write(&manifest, text);
        }
    }
    let build = cargo()
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/corpus/progenitor-target"),
        )
        .envs(scratch::PROFILE)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .output();
    match failure("cargo build", build) {
        None => "generated; its crate builds".to_string(),
        Some(f) => format!("generated; {}", f.replace('|', "/")),
    }
}

/// The Markdown table of the run.
fn table(rows: &[Row]) -> String {
    let mut t = String::from(
        "| spec | vendor | operations | schemas | generation | crate build (clippy) | warnings | result | cargo-progenitor | OpenAPI Generator |\n|---|---|---:|---:|---:|---:|---:|---|---|---|\n",
    );
    for r in rows {
        let peer = |i: usize| r.peers.get(i).map_or("", |(_, s)| s.as_str()).to_string();
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {:.2} s | {:.1} s | {} | {} | {} | {} |",
            r.name,
            r.vendor,
            r.operations,
            r.schemas,
            r.generation.as_secs_f64(),
            r.build.as_secs_f64(),
            r.warnings,
            r.failure
                .as_deref()
                .unwrap_or("clippy and doc pass")
                .replace('|', "/"),
            peer(0),
            peer(1),
        );
    }
    t
}
