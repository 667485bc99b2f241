//! `cargo xtask codegen`: spec → checked-in generated code, through one compare-or-write funnel.

mod atomic;

use crate::process::project_root;
use cliq_codegen::manifest::{Package, Published, RuntimeDep};
use cliq_codegen::surface::{self, Changelog, Surface};
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
    /// Generate from this spec instead of `spec/bots.yaml` (needs `--out`): the root file of a
    /// document split over files, whose `$ref`s to other files are followed.
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

/// The message content of every module that sends messages, typed by `cliq-message` (one model
/// with the webhook replies) instead of generated per module: cards, buttons and slides of
/// `bots.yaml`'s `BotMessage`, `buttons.yml`'s and `messageformat.yml`'s request bodies and
/// `messagecards.yml`'s `CardObject`, `CardButton` and `Slides`. Every spec example of these
/// reads into the model and writes back unchanged (`tests/tests/message_examples.rs`); a
/// pointer that no longer matches is a codegen warning.
const MESSAGE_TYPES: &[(&str, &str)] = &[
    ("#/components/schemas/BotMessage/properties/card", CARD),
    (
        "#/components/schemas/BotMessage/properties/buttons/items",
        BUTTON,
    ),
    (
        "#/components/schemas/BotMessage/properties/slides/items",
        SLIDE,
    ),
    ("#/components/schemas/CardObject", CARD),
    ("#/components/schemas/CardButton", BUTTON),
    ("#/components/schemas/Slides/items", SLIDE),
    (
        "#/components/schemas/message-card-buttons-request/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/message-card-buttons-request/properties/buttons/items",
        BUTTON,
    ),
    (
        "#/components/schemas/confirmation-popup-request/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/confirmation-popup-request/properties/buttons/items",
        BUTTON,
    ),
    (
        "#/components/schemas/send-table-message-request-body/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/send-table-message-request-body/properties/slides/items",
        SLIDE,
    ),
    (
        "#/components/schemas/send-list-message-request-body/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/send-list-message-request-body/properties/slides/items",
        SLIDE,
    ),
    (
        "#/components/schemas/send-label-message-request-body/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/send-label-message-request-body/properties/slides/items",
        SLIDE,
    ),
    (
        "#/components/schemas/send-image-message-request-body/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/send-image-message-request-body/properties/slides/items",
        SLIDE,
    ),
    (
        "#/components/schemas/send-chart-message-request-body/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/send-chart-message-request-body/properties/slides/items",
        SLIDE,
    ),
    (
        "#/components/schemas/send-graph-message-request-body/properties/card",
        CARD,
    ),
    (
        "#/components/schemas/send-graph-message-request-body/properties/slides/items",
        SLIDE,
    ),
];
const CARD: &str = "::cliq_message::Card";
const BUTTON: &str = "::cliq_message::Button";
const SLIDE: &str = "::cliq_message::Slide";

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

/// Generates a standalone crate's code from `spec` (the root file and every file its `$ref`s
/// reach); without [`MESSAGE_TYPES`], which only this workspace's `cliq-api` depends on.
fn load(spec: &Path, source: &str, strict: bool) -> Result<Generated, String> {
    let doc = cliq_codegen::load(spec, |p| std::fs::read_to_string(p))
        .map_err(|e| format!("{}: {e}", spec.display()))?
        .doc;
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

/// The module specs of `spec/`: (module name, file name). The Bots module reads the restored
/// `bots.yaml` (see `spec/README.md`); every other module Zoho's `<module>.yml` as shipped.
pub fn module_specs() -> Result<Vec<(String, String)>, String> {
    let dir = project_root().join("spec");
    let mut specs = Vec::new();
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = file
            .strip_suffix(".yml")
            .or_else(|| file.strip_suffix(".yaml"))
        {
            specs.push((stem.to_string(), file));
        }
    }
    specs.sort();
    let mut seen = std::collections::BTreeSet::new();
    for (stem, file) in &specs {
        if !seen.insert(stem) {
            return Err(format!(
                "spec/ holds two documents for the module `{stem}` (one is spec/{file}): one input per module"
            ));
        }
    }
    Ok(specs)
}

/// Everything `cargo xtask codegen` owns in this workspace, from the specs of `spec/`, and
/// what they changed in the public surface of `cliq-api` since `generated/api-surface.json`.
pub fn workspace_files() -> Result<(BTreeMap<PathBuf, String>, Changelog), String> {
    workspace_files_with(false)
}

fn workspace_files_with(strict: bool) -> Result<(BTreeMap<PathBuf, String>, Changelog), String> {
    let root = project_root();
    let specs = module_specs()?;
    let mut docs = Vec::new();
    for (_, file) in &specs {
        let path = root.join("spec").join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        docs.push(cliq_codegen::parse_spec(&text).map_err(|e| format!("spec/{file}: {e}"))?);
    }
    let modules: Vec<cliq_codegen::ModuleSpec<'_>> = specs
        .iter()
        .zip(&docs)
        .map(|((name, file), doc)| cliq_codegen::ModuleSpec {
            name: name.clone(),
            doc,
            source: format!("spec/{file}"),
        })
        .collect();
    let mut settings = Settings::default();
    settings
        .with_command(COMMAND)
        .with_source("the specs of spec/")
        .strict(strict);
    for (pointer, rust) in MESSAGE_TYPES {
        settings.with_type_replacement(*pointer, *rust);
    }
    let generated = cliq_codegen::generate_modules("Zoho Cliq REST API v3", &modules, &settings)
        .map_err(|e| e.to_string())?;
    for (name, module) in &generated.modules {
        for w in &module.warnings {
            eprintln!("spec/{name}: {w}");
        }
    }
    let features: Vec<(&str, bool)> = specs
        .iter()
        .map(|(name, _)| (name.as_str(), name == "bots"))
        .collect();
    let mut files = BTreeMap::new();
    let changelog = surface_files(
        &root.join("generated"),
        Surface {
            format: surface::FORMAT,
            modules: generated
                .modules
                .iter()
                .map(|(name, module)| (name.clone(), module.surface.clone()))
                .collect(),
        },
        &mut files,
    )?;
    files.insert(
        root.join("generated/Cargo.toml"),
        cliq_codegen::manifest::published_cargo_toml(
            &header(),
            &Package {
                name: "cliq-api",
                description: "Typed Zoho Cliq REST API v3 client, a Cargo feature per module, generated from Zoho's OpenAPI documents",
                standalone: false,
                features: &features,
            },
            &RuntimeDep::Path("../runtime".into()),
            // The README is prose, kept by hand outside the generated directory.
            &Published {
                readme: "../docs/crates/cliq-api.md",
                keywords: &["zoho", "cliq", "bots", "api", "client"],
                categories: &["api-bindings", "web-programming::http-client"],
                // the message content types the replacements below name
                path_dependencies: &[("cliq-message", "../message")],
            },
        ),
    );
    for (name, text) in &generated.files {
        files.insert(root.join("generated/src").join(name), text.clone());
    }
    files.insert(
        root.join("rules/src/table.rs"),
        rules_table(&generated.modules)?,
    );
    let bots = generated
        .modules
        .iter()
        .find(|(name, _)| name == "bots")
        .map(|(_, g)| g)
        .ok_or("spec/ has no bots.yaml: cannot generate the examples table")?;
    files.insert(
        root.join("tests/src/spec_examples.rs"),
        examples_table(bots),
    );
    // Every operation of every module callable from JSON inputs: what the Prism conformance
    // test (tests/tests/conformance.rs) drives.
    files.insert(
        root.join("tests/tests/conformance/calls.rs"),
        generated
            .conformance_table("::cliq_api")
            .map_err(|e| format!("conformance table: {e}"))?,
    );
    Ok((files, changelog))
}

/// The surface file of the crate in `dir` (`api-surface.json`) and its `CHANGELOG.md`, with
/// the changes from the surface on disk to `surface` on top; returns those changes (none when
/// there is no surface on disk yet: the first run records it).
fn surface_files(
    dir: &Path,
    surface: Surface,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<Changelog, String> {
    let surface_path = dir.join(SURFACE_FILE);
    let changelog_path = dir.join("CHANGELOG.md");
    let old = match std::fs::read_to_string(&surface_path) {
        Ok(text) => Some(Surface::from_json(&text).map_err(|e| {
            format!(
                "{}: {e}; delete it to record the current surface afresh",
                surface_path.display()
            )
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", surface_path.display())),
    };
    let changelog = Changelog::new(
        old.map(|old| surface::diff(&old, &surface))
            .unwrap_or_default(),
    );
    let version = cliq_codegen::manifest::RUNTIME_VERSION;
    let entry = (!changelog.is_empty()).then(|| changelog.entry(version));
    let existing = std::fs::read_to_string(&changelog_path).ok();
    files.insert(
        changelog_path,
        surface::prepend_entry(&changelog_header(), existing.as_deref(), entry.as_deref()),
    );
    files.insert(surface_path, surface.to_json(COMMAND));
    Ok(changelog)
}

/// The surface of the generated crate as of its last generation (`surface::Surface`).
const SURFACE_FILE: &str = "api-surface.json";

/// The first lines of the generated crate's `CHANGELOG.md`, above its entries.
fn changelog_header() -> String {
    format!(
        "<!-- Generated by `{COMMAND}`; do not edit by hand. -->
# What spec updates changed in this crate

Each time a spec in `spec/` changes, `{COMMAND}` compares the public surface of the new code
with `{SURFACE_FILE}` (the surface of the code before) and puts what changed for the crate's
users on top of this file: operations, types, fields and enum values added, removed or
changed, each marked breaking or compatible, and the version bump they imply (before 1.0, a
breaking change bumps the minor version). Newest first.
"
    )
}

/// The specs of the components whose handlers run on a server, after the bot's
/// (`spec/bots.yaml`, whose client is generated too): their handler rules go into the one
/// rules table.
pub const COMPONENT_SPECS: &[&str] = &[
    "spec/slashcommands.yml",
    "spec/messageactions.yml",
    "spec/functions.yml",
];

/// `rules/src/table.rs`: the handler rules of the bot (module `bots`) and of the component
/// module of each spec of [`COMPONENT_SPECS`], as lowered for `cliq-api` (what lowering said
/// about them was printed with the module's warnings).
fn rules_table(modules: &[(String, Generated)]) -> Result<String, String> {
    let missing =
        |spec: &str| format!("{spec} has no handler rules: cannot generate the rules table");
    let mut rules = Vec::new();
    for spec in std::iter::once(&"spec/bots.yaml").chain(COMPONENT_SPECS) {
        let module = spec
            .trim_start_matches("spec/")
            .split('.')
            .next()
            .unwrap_or_default();
        let found = modules
            .iter()
            .find(|(name, _)| name == module)
            .and_then(|(_, g)| g.handler_rules.clone())
            .ok_or_else(|| missing(spec))?;
        rules.push((*spec, found));
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
    let (files, changelog) = if strict {
        workspace_files_with(true)?
    } else {
        workspace_files()?
    };
    let version = cliq_codegen::manifest::RUNTIME_VERSION;
    let changes = (!changelog.is_empty()).then(|| {
        format!(
            "the spec changed the public surface of cliq-api ({}):\n{}",
            changelog.summary(version),
            changelog
                .changes
                .iter()
                .map(|c| format!("  {c}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    if let (Some(changes), false) = (&changes, check) {
        eprintln!("{changes}\n(written on top of generated/CHANGELOG.md)");
    }
    // Files under generated/src that the generator no longer makes are stale too.
    let mut extra = Vec::new();
    let mut dirs = vec![root.join("generated/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if !files.contains_key(&p) {
                extra.push(p);
            }
        }
    }
    extra.sort();
    let target = Target {
        dir: &root.join("generated"),
        owned: &[Path::new("src")],
        pause,
    };
    ensure(&files, &extra, check, &root, &target).map_err(|e| match &changes {
        Some(changes) => format!("{e}\n{changes}"),
        None => e,
    })
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
                features: &[],
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
        rows.push_str(&format!(
            "    ({pointer:?}, check::<cliq_api::bots::{ty}>),\n"
        ));
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
    use super::*;

    /// A surface on disk that lacks an operation the spec has: the changes name it, the
    /// changelog gets an entry on top of the old ones, and the new surface is written.
    #[test]
    fn a_changed_surface_gets_a_changelog_entry() {
        let dir = std::env::temp_dir().join(format!("xtask-surface-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let generated = load(
            &project_root().join("spec/bots.yaml"),
            "spec/bots.yaml",
            false,
        )
        .unwrap();
        let new = Surface::single("bots", generated.surface);
        let mut old = new.clone();
        let module = old.modules.get_mut("bots").unwrap();
        let id = module.operations.keys().next().unwrap().clone();
        module.operations.remove(&id);
        std::fs::write(dir.join(SURFACE_FILE), old.to_json(COMMAND)).unwrap();
        std::fs::write(
            dir.join("CHANGELOG.md"),
            "old header\n\n## An older entry\n",
        )
        .unwrap();
        let mut files = BTreeMap::new();
        let changelog = surface_files(&dir, new.clone(), &mut files).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(changelog.changes.len(), 1, "{:?}", changelog.changes);
        assert!(changelog.changes[0]
            .text
            .contains(&format!("operation `{id}` added")));
        let written = &files[&dir.join("CHANGELOG.md")];
        assert!(written.starts_with("<!-- Generated by `cargo xtask codegen`"));
        let entry = written.find("## Spec update after").unwrap();
        assert!(
            entry < written.find("## An older entry").unwrap(),
            "{written}"
        );
        assert_eq!(files[&dir.join(SURFACE_FILE)], new.to_json(COMMAND));
    }

    /// `cargo test` fails when checked-in generated code is stale.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = super::workspace(true, false, None) {
            panic!("{e}");
        }
    }
}
