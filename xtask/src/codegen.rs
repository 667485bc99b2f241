//! `cargo xtask codegen`: spec → checked-in generated code, through one compare-or-write funnel.

use crate::project_root;
use cliq_codegen::{Generated, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `cargo xtask codegen`.
#[derive(clap::Args)]
pub struct Args {
    /// Do not write: exit non-zero with a summary when generated files are stale.
    #[arg(long)]
    check: bool,
    /// Generate from this spec instead of `spec/bots.yaml` (needs `--out`).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Write a complete standalone crate here (needs `--spec` or `--stubs`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write a bot crate with handler stubs to `--out` instead (`message,menu:Deploy,…`),
    /// depending on this checkout by path: what `cargo cliq new` writes.
    #[arg(long, requires = "out", conflicts_with_all = ["spec", "check"])]
    stubs: Option<String>,
    /// Package name of the standalone crate (default: `cliq-<spec file stem>`).
    #[arg(long, requires = "spec")]
    name: Option<String>,
}

const COMMAND: &str = "cargo xtask codegen";

pub fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    if let (Some(list), Some(out)) = (&args.stubs, &args.out) {
        return stubs(list, out);
    }
    match (&args.spec, &args.out) {
        (None, Some(_)) => return Err("--out needs --spec or --stubs".into()),
        (Some(spec), Some(out)) => standalone(spec, out, args.name.as_deref(), args.check)?,
        _ => workspace(args.check)?,
    }
    eprintln!("codegen finished in {:.2?}", started.elapsed());
    Ok(())
}

fn load(spec: &Path, source: &str) -> Result<Generated, String> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let doc = cliq_codegen::parse_spec(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut settings = Settings::default();
    settings.with_command(COMMAND).with_source(source);
    let generated =
        cliq_codegen::generate(&doc, &settings).map_err(|e| format!("{}: {e}", spec.display()))?;
    for w in &generated.warnings {
        eprintln!("{}: {w}", spec.display());
    }
    Ok(generated)
}

/// `--stubs`: a bot crate from the handler rules of `spec/bots.yaml`.
fn stubs(list: &str, out: &Path) -> Result<(), String> {
    let root = project_root();
    let spec = root.join("spec/bots.yaml");
    let text = std::fs::read_to_string(&spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let rules = cliq_codegen::stubs::handler_rules(&text)?;
    let handlers = cliq_codegen::stubs::parse_handlers(&rules, list).map_err(|e| e.to_string())?;
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("--out needs a directory name")?;
    let dep = cliq_codegen::stubs::Dependency::Path(root.join("webhook").display().to_string());
    for (rel, text) in cliq_codegen::stubs::bot_crate(name, &handlers, &dep) {
        let path = out.join(rel);
        if path.exists() {
            return Err(format!("{} exists; not overwritten", path.display()));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Everything `cargo xtask codegen` owns in this workspace, from `spec/bots.yaml`.
pub fn workspace_files() -> Result<BTreeMap<PathBuf, String>, String> {
    let root = project_root();
    let generated = load(&root.join("spec/bots.yaml"), "spec/bots.yaml")?;
    let mut files = BTreeMap::new();
    files.insert(
        root.join("generated/Cargo.toml"),
        cargo_toml(
            "cliq-bots",
            "Typed Zoho Cliq Bots API client, generated from spec/bots.yaml",
            "../runtime",
            false,
        ),
    );
    for (name, text) in &generated.files {
        files.insert(root.join("generated/src").join(name), text.clone());
    }
    let rules = generated.rules.clone().ok_or(
        "spec/bots.yaml has no handler permissions table: cannot generate the handler rules",
    )?;
    files.insert(root.join("macros/src/rules.rs"), rules.clone());
    files.insert(root.join("webhook/src/rules.rs"), rules);
    files.insert(
        root.join("tests/src/spec_examples.rs"),
        examples_table(&generated),
    );
    Ok(files)
}

fn workspace(check: bool) -> Result<(), String> {
    let root = project_root();
    let files = workspace_files()?;
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
    ensure(&files, &extra, check, &root)
}

fn standalone(spec: &Path, out: &Path, name: Option<&str>, check: bool) -> Result<(), String> {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| format!("cliq-{}", stem.replace('_', "-").to_lowercase()));
    let generated = load(spec, &spec.display().to_string())?;
    let runtime = project_root().join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    let mut files = BTreeMap::new();
    files.insert(
        out.join("Cargo.toml"),
        cargo_toml(
            &name,
            &format!("Typed Zoho Cliq client generated from {}", spec.display()),
            &runtime.display().to_string(),
            true,
        ),
    );
    for (file, text) in &generated.files {
        files.insert(out.join("src").join(file), text.clone());
    }
    ensure(&files, &[], check, out)?;
    eprintln!(
        "{} operations → {}",
        generated.operation_count,
        out.display()
    );
    Ok(())
}

fn cargo_toml(name: &str, description: &str, runtime_path: &str, standalone: bool) -> String {
    let workspace = if standalone {
        "\n# A crate of its own, not a member of any enclosing workspace.\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "# Generated by `{COMMAND}`; do not edit by hand.\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT OR Apache-2.0\"\ndescription = \"{description}\"\n\n[dependencies]\ncliq-runtime = {{ path = \"{runtime_path}\", version = \"0.1.0\" }}\nfutures = \"0.3\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n{workspace}",
    )
}

/// The table of every example in the spec and the check for its generated type.
fn examples_table(generated: &Generated) -> String {
    let mut rows = String::new();
    for (pointer, ty) in &generated.examples {
        rows.push_str(&format!("    ({pointer:?}, check::<cliq_bots::{ty}>),\n"));
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

/// Compare-or-write every file. In check mode, report stale files and fail.
fn ensure(
    files: &BTreeMap<PathBuf, String>,
    extra: &[PathBuf],
    check: bool,
    root: &Path,
) -> Result<(), String> {
    let mut stale = Vec::new();
    for (path, want) in files {
        let have = std::fs::read_to_string(path)
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if have.as_deref() == Some(want.as_str()) {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        if check {
            stale.push(match have {
                None => format!("  {rel}: missing"),
                Some(have) => format!("  {rel}: {}", diff_summary(&have, want)),
            });
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(path, want)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {rel}");
        }
    }
    for path in extra {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        if check {
            stale.push(format!("  {rel}: not made by the generator (delete it)"));
        } else {
            std::fs::remove_file(path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            eprintln!("removed {rel}");
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "generated files are stale:\n{}\nrun `{COMMAND}` and commit the result",
        stale.join("\n")
    ))
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
        if let Err(e) = super::workspace(true) {
            panic!("{e}");
        }
    }
}
