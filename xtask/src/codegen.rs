//! `cargo xtask codegen`: spec → checked-in generated code, through one compare-or-write funnel.

mod atomic;

use crate::process::project_root;
use cliq_codegen::manifest::{Package, Published, RuntimeDep};
use cliq_codegen::{Generated, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Arguments of `cargo xtask codegen`.
#[derive(clap::Args)]
pub struct Args {
    /// Do not write: exit non-zero with a summary when generated files are stale.
    #[arg(long)]
    check: bool,
    /// Generate from this spec instead of `spec/bots.yaml` (needs `--out`).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a complete standalone crate here (needs `--spec`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Package name of the standalone crate (default: `cliq-<spec file stem>`).
    #[arg(long, requires = "spec")]
    name: Option<String>,
    /// Depend on this published `cliq-runtime` version (standalone crates).
    #[arg(long, requires = "spec", conflicts_with_all = ["runtime_git", "runtime_path"])]
    runtime_version: Option<String>,
    /// Depend on `cliq-runtime` from this git URL (standalone crates).
    #[arg(long, requires = "spec", conflicts_with = "runtime_path")]
    runtime_git: Option<String>,
    /// Depend on `cliq-runtime` at this path, written as given (default: this workspace's
    /// `runtime/`, relative to the output when the output lies inside this workspace).
    #[arg(long, requires = "spec")]
    runtime_path: Option<String>,
    /// Treat every warning as an error.
    #[arg(long)]
    strict: bool,
    /// Tests only: pause this long after each file written into the staging directory, so
    /// that a test can kill the run mid-write (`xtask/tests/atomic_write.rs`).
    #[arg(long, hide = true, value_name = "MS")]
    write_pause_ms: Option<u64>,
}

const COMMAND: &str = "cargo xtask codegen";

pub fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    match (&args.spec, &args.out) {
        (None, Some(_)) => return Err("--out needs --spec".into()),
        (Some(spec), Some(out)) => standalone(spec, out, &args)?,
        _ => workspace(args.check, args.strict, pause(&args))?,
    }
    eprintln!("codegen finished in {:.2?}", started.elapsed());
    Ok(())
}

fn load(spec: &Path, source: &str, strict: bool) -> Result<Generated, String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let doc = cliq_codegen::parse_spec(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut settings = Settings::default();
    settings
        .with_command(COMMAND)
        .with_source(source)
        .strict(strict);
    let generated =
        cliq_codegen::generate(&doc, &settings).map_err(|e| format!("{}: {e}", spec.display()))?;
    for w in &generated.warnings {
        eprintln!("{}: {w}", spec.display());
    }
    Ok(generated)
}

/// Everything `cargo xtask codegen` owns in this workspace, from `spec/bots.yaml`.
pub fn workspace_files() -> Result<BTreeMap<PathBuf, String>, String> {
    workspace_files_with(false)
}

fn workspace_files_with(strict: bool) -> Result<BTreeMap<PathBuf, String>, String> {
    let root = project_root();
    let generated = load(&root.join("spec/bots.yaml"), "spec/bots.yaml", strict)?;
    let mut files = BTreeMap::new();
    files.insert(
        root.join("generated/Cargo.toml"),
        cliq_codegen::manifest::published_cargo_toml(
            &header(),
            &Package {
                name: "cliq-api",
                description: "Typed Zoho Cliq Bots API client, generated from spec/bots.yaml",
                standalone: false,
            },
            &RuntimeDep::Path("../runtime".into()),
            // The README is prose, kept by hand outside the generated directory.
            &Published {
                readme: "../docs/crates/cliq-api.md",
                keywords: &["zoho", "cliq", "bots", "api", "client"],
                categories: &["api-bindings", "web-programming::http-client"],
            },
        ),
    );
    for (name, text) in &generated.files {
        files.insert(root.join("generated/src").join(name), text.clone());
    }
    files.insert(
        root.join("rules/src/table.rs"),
        rules_table(&generated, strict)?,
    );
    files.insert(
        root.join("tests/src/spec_examples.rs"),
        examples_table(&generated),
    );
    Ok(files)
}

/// The specs of the components whose handlers run on a server, after the bot's
/// (`spec/bots.yaml`, whose client is generated too): their handler rules go into the one
/// rules table.
pub const COMPONENT_SPECS: &[&str] = &[
    "spec/slashcommands.yml",
    "spec/messageactions.yml",
    "spec/functions.yml",
];

/// `rules/src/table.rs`: the handler rules of the bot (from `bots`' generation) and of every
/// spec of [`COMPONENT_SPECS`].
fn rules_table(bots: &Generated, strict: bool) -> Result<String, String> {
    let root = project_root();
    let missing =
        |spec: &str| format!("{spec} has no handler rules: cannot generate the rules table");
    let bot = bots
        .handler_rules
        .clone()
        .ok_or_else(|| missing("spec/bots.yaml"))?;
    let mut rules = vec![("spec/bots.yaml", bot)];
    for spec in COMPONENT_SPECS {
        let text = std::fs::read_to_string(root.join(spec))
            .map_err(|e| format!("cannot read {spec}: {e}"))?;
        let doc = cliq_codegen::parse_spec(&text).map_err(|e| format!("{spec}: {e}"))?;
        // Only the rules are taken from these documents (their clients are not generated
        // here), so only what lowering says about the rules is reported.
        let (model, diags) = cliq_codegen::lower(&doc, &Settings::default());
        let rules_model = model.handler_rules.ok_or_else(|| missing(spec))?;
        let about_rules = |d: &&cliq_codegen::Diagnostic| match &rules_model.permissions_source {
            cliq_codegen::model::PermissionsSource::Table { pointer } => d.pointer == *pointer,
            cliq_codegen::model::PermissionsSource::SchemaEnum { .. } => false,
        };
        for d in diags.iter().filter(about_rules) {
            if strict {
                return Err(format!("{spec}: {d}"));
            }
            eprintln!("{spec}: {d}");
        }
        rules.push((spec, rules_model));
    }
    let sources: Vec<&str> = rules.iter().map(|(s, _)| *s).collect();
    let mut settings = Settings::default();
    settings
        .with_command(COMMAND)
        .with_source(sources.join(", "));
    let components: Vec<(&str, &cliq_codegen::model::HandlerRules)> =
        rules.iter().map(|(s, r)| (*s, r)).collect();
    cliq_codegen::rules_file(&components, &settings).map_err(|e| format!("rules table: {e}"))
}

fn pause(args: &Args) -> Option<Duration> {
    args.write_pause_ms.map(Duration::from_millis)
}

fn workspace(check: bool, strict: bool, pause: Option<Duration>) -> Result<(), String> {
    let root = project_root();
    let files = if strict {
        workspace_files_with(true)?
    } else {
        workspace_files()?
    };
    // Files under generated/src that the generator no longer makes are stale too.
    let mut extra = Vec::new();
    if let Ok(dir) = std::fs::read_dir(root.join("generated/src")) {
        for entry in dir.flatten() {
            let p = entry.path();
            if !files.contains_key(&p) {
                extra.push(p);
            }
        }
    }
    let target = Target {
        dir: &root.join("generated"),
        owned: &[Path::new("src")],
        pause,
    };
    ensure(&files, &extra, check, &root, &target)
}

fn standalone(spec: &Path, out: &Path, args: &Args) -> Result<(), String> {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| cliq_codegen::manifest::package_name(stem));
    // The spec is named by its file name: nothing of the generating machine's layout.
    let file_name = spec
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "an OpenAPI document".into());
    let generated = load(spec, &file_name, args.strict)?;
    let runtime = match (&args.runtime_version, &args.runtime_git, &args.runtime_path) {
        (Some(v), _, _) => RuntimeDep::Version(v.clone()),
        (_, Some(url), _) => RuntimeDep::Git {
            url: url.clone(),
            rev: None,
        },
        (_, _, Some(p)) => RuntimeDep::Path(p.clone()),
        _ => RuntimeDep::Path(default_runtime_path(out)),
    };
    let mut files = BTreeMap::new();
    files.insert(
        out.join("Cargo.toml"),
        cargo_toml(
            &Package {
                name: &name,
                description: &format!("Typed client generated from {file_name}"),
                standalone: true,
            },
            &runtime,
        ),
    );
    for (file, text) in &generated.files {
        files.insert(out.join("src").join(file), text.clone());
    }
    let target = Target {
        dir: out,
        owned: &[],
        pause: pause(args),
    };
    ensure(&files, &[], args.check, out, &target)?;
    eprintln!(
        "{} operations → {}",
        generated.operation_count,
        out.display()
    );
    Ok(())
}

/// This workspace's `runtime/`: relative to `out` when `out` lies inside the workspace,
/// else absolute (pass `--runtime-version` or `--runtime-git` for a crate that travels).
fn default_runtime_path(out: &Path) -> String {
    let root = project_root();
    let root = root.canonicalize().unwrap_or(root);
    let runtime = root.join("runtime");
    // `out` may not exist yet: canonicalize its closest existing ancestor.
    let mut existing = out.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|f| f.to_owned()),
            existing.parent(),
        ) {
            (Some(f), Some(p)) => {
                rest.push(f);
                existing = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut abs = existing.canonicalize().unwrap_or(existing);
    for f in rest.iter().rev() {
        abs.push(f);
    }
    match abs.strip_prefix(&root) {
        Ok(inside) => {
            let up = "../".repeat(inside.components().count());
            format!("{up}runtime")
        }
        Err(_) => runtime.display().to_string(),
    }
}

fn cargo_toml(package: &Package<'_>, runtime: &RuntimeDep) -> String {
    cliq_codegen::manifest::cargo_toml(&header(), package, runtime)
}

/// The first line of every generated manifest.
fn header() -> String {
    format!("# Generated by `{COMMAND}`; do not edit by hand.")
}

/// The table of every example in the spec and the check for its generated type.
fn examples_table(generated: &Generated) -> String {
    let mut rows = String::new();
    for (pointer, ty) in &generated.examples {
        rows.push_str(&format!("    ({pointer:?}, check::<cliq_api::{ty}>),\n"));
    }
    format!(
        r#"// Generated by `{COMMAND}` from spec/bots.yaml; do not edit by hand.
//! Every request and response example in `spec/bots.yaml` (JSON pointer) with a check that it
//! deserializes into its generated type and serializes back to equal JSON.

use crate::examples::{{check, Check}};

/// (JSON pointer of the example, round-trip check through its generated type).
pub const EXAMPLES: &[(&str, Check)] = &[
{rows}];
"#
    )
}

/// The crate directory a run replaces atomically (`atomic`): files under it are
/// staged beside it and swapped in as a whole; files elsewhere are replaced one by one.
struct Target<'a> {
    dir: &'a Path,
    /// Directories (relative to `dir`) whose files the generator owns: stale ones are removed.
    owned: &'a [&'a Path],
    /// Tests only: see `--write-pause-ms`.
    pause: Option<Duration>,
}

/// Compare every file; in check mode report stale files and fail, else write the changes.
fn ensure(
    files: &BTreeMap<PathBuf, String>,
    extra: &[PathBuf],
    check: bool,
    root: &Path,
    target: &Target<'_>,
) -> Result<(), String> {
    let rel = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    if !check {
        return write(files, target, &rel);
    }
    let mut stale = Vec::new();
    for (path, want) in files {
        let have = std::fs::read_to_string(path)
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if have.as_deref() == Some(want.as_str()) {
            continue;
        }
        stale.push(match have {
            None => format!("  {}: missing", rel(path)),
            Some(have) => format!("  {}: {}", rel(path), diff_summary(&have, want)),
        });
    }
    for path in extra {
        stale.push(format!(
            "  {}: not made by the generator (delete it)",
            rel(path)
        ));
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "generated files are stale:\n{}\nrun `{COMMAND}` and commit the result",
        stale.join("\n")
    ))
}

/// Writes what changed: the crate directory atomically, every other file by rename.
fn write(
    files: &BTreeMap<PathBuf, String>,
    target: &Target<'_>,
    rel: &dyn Fn(&Path) -> String,
) -> Result<(), String> {
    let mut inside = BTreeMap::new();
    let mut outside = Vec::new();
    for (path, text) in files {
        match path.strip_prefix(target.dir) {
            Ok(r) => {
                inside.insert(r.to_path_buf(), text.clone());
            }
            Err(_) => outside.push((path, text)),
        }
    }
    let changes = atomic::replace_dir_with(target.dir, &inside, target.owned, |_| {
        if let Some(p) = target.pause {
            std::thread::sleep(p);
        }
    })
    .map_err(|e| format!("{e} (the previous {} is unchanged)", target.dir.display()))?;
    for r in &changes.written {
        eprintln!("wrote {}", rel(&target.dir.join(r)));
    }
    for r in &changes.removed {
        eprintln!("removed {}", rel(&target.dir.join(r)));
    }
    for (path, text) in outside {
        if atomic::write_file(path, text).map_err(|e| e.to_string())? {
            eprintln!("wrote {}", rel(path));
        }
    }
    Ok(())
}

fn diff_summary(have: &str, want: &str) -> String {
    let (h, w): (Vec<&str>, Vec<&str>) = (have.lines().collect(), want.lines().collect());
    let first = h
        .iter()
        .zip(&w)
        .position(|(a, b)| a != b)
        .unwrap_or(h.len().min(w.len()));
    format!(
        "differs from line {} ({} lines on disk, {} generated); on disk: {:?}, generated: {:?}",
        first + 1,
        h.len(),
        w.len(),
        h.get(first).copied().unwrap_or("<end of file>"),
        w.get(first).copied().unwrap_or("<end of file>"),
    )
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when checked-in generated code is stale.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = super::workspace(true, false, None) {
            panic!("{e}");
        }
    }
}
