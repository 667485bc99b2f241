//! `cargo xtask publish-check`: the published crates as a user gets them, and their public API
//! against the last release.
//!
//! 1. `cargo package` of every publishable member (`publish` not `false`), which is
//!    `cargo publish --workspace --dry-run` without the upload: packaged in dependency order
//!    (unpublished members resolve through Cargo's temporary local registry overlay) and each
//!    package built from its own sources.
//! 2. The `.crate` files are unpacked into `target/publish-check/crates` and every workspace
//!    dependency of a package is pointed at the unpacked sources by a `[patch.crates-io]`
//!    config (`target/publish-check/patch.toml`); everything else still comes from the
//!    registry. `cargo install` of the unpacked `cargo-cliq` then builds it from its package
//!    alone, and the installed `cargo cliq new --version <version>` writes a bot that is built
//!    and tested against the same packages.
//! 3. [`semver`]: `cargo semver-checks` of the hand-written library crates against the latest
//!    release tag (`vX.Y.Z`), or a report of why it was skipped.
//!
//! Builds share the workspace's target directory, and the install and the bot reuse the
//! workspace's `Cargo.lock`, so dependencies the test suite already compiled are not rebuilt.

use crate::process::{cargo, project_root, run_status, stdout_of};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The hand-written library crates whose public API is checked for breaking changes (the
/// generated `cliq-api` follows the spec; `cargo-cliq` is a binary; `cliq-macros` is a
/// proc-macro crate, which cargo-semver-checks passes over without a word: what it accepts is
/// pinned by the trybuild cases of `tests/ui`).
const SEMVER_CHECKED: &[&str] = &["cliq-rules", "cliq-runtime", "cliq-webhook", "cliq-codegen"];

/// The components of the app written by the installed `cargo cliq new`: a bot, a slash
/// command, a message action and a form function opened by a button in the bot's reply (every
/// kind of component, few handlers, so its build stays short).
const APP_ARGS: &[&str] = &[
    "--handlers",
    "message,menu:Deploy,call",
    "--command",
    "deploy",
    "--message-action",
    "translate",
    "--function",
    "approve:button+form_submit",
];

/// A publishable member of the workspace.
struct Crate {
    name: String,
    version: String,
    /// Its directory (where its manifest is).
    dir: PathBuf,
}

impl Crate {
    /// `name-version`, the `.crate` file's stem and its top directory.
    fn stem(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }
}

pub fn run() -> Result<(), String> {
    packaging()?;
    semver()
}

/// Steps 1 and 2: package and verify every publishable crate, then install `cargo-cliq` from
/// the packages and build and test a bot it writes.
pub fn packaging() -> Result<(), String> {
    let root = project_root();
    let started = Instant::now();
    let crates = publishable(&root)?;
    // Verification builds each package against the others served from a local registry that
    // cargo unpacks under `$CARGO_HOME/registry/src/-<hash>/`, and never unpacks again a
    // version it finds there: an earlier run's copy of these versions (whose sources may have
    // changed since) would be built instead. Remove those copies first.
    remove_unpacked_copies(&crates)?;
    // …and what an earlier run built of them (cargo takes a registry package's build as final
    // for its version).
    let mut clean = cargo();
    clean.arg("clean").current_dir(&root);
    for c in &crates {
        clean.args(["--package", &c.name]);
    }
    run_status("cargo clean of the packages' earlier builds", &mut clean)?;
    // What `cargo publish --workspace --dry-run` does short of the upload, with the `.crate`
    // files kept in target/package.
    let mut package = package_cargo();
    package
        .args(["package", "--allow-dirty"])
        .current_dir(&root);
    for c in &crates {
        package.args(["--package", &c.name]);
    }
    timed(
        "cargo package (and verify) of every publishable crate",
        || run_status("cargo package", &mut package),
    )?;
    let scratch = root.join("target/publish-check");
    let unpacked = scratch.join("crates");
    remove_dir(&unpacked)?;
    std::fs::create_dir_all(&unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    eprintln!("packaged crates (target/package):");
    for c in &crates {
        let file = root
            .join("target/package")
            .join(format!("{}.crate", c.stem()));
        let size = std::fs::metadata(&file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .len();
        eprintln!("  {:<24} {:>8} bytes", c.stem(), size);
        run_status(
            &format!("unpack {}", file.display()),
            Command::new("tar")
                .arg("-xzf")
                .arg(&file)
                .arg("-C")
                .arg(&unpacked),
        )?;
    }
    let patch = scratch.join("patch.toml");
    std::fs::write(&patch, patch_config(&crates, &unpacked))
        .map_err(|e| format!("{}: {e}", patch.display()))?;
    let lock = root.join("Cargo.lock");
    let target_dir = root.join("target");

    let cli = crates
        .iter()
        .find(|c| c.name == "cargo-cliq")
        .ok_or("cargo-cliq is not among the publishable crates")?;
    let cli_dir = unpacked.join(cli.stem());
    // The workspace's versions, pruned to what the package uses (`--locked` below keeps them).
    copy(&lock, &cli_dir.join("Cargo.lock"))?;
    run_status(
        "cargo fetch for the packaged cargo-cliq",
        cargo()
            .arg("fetch")
            .arg("--manifest-path")
            .arg(cli_dir.join("Cargo.toml"))
            .arg("--config")
            .arg(&patch),
    )?;
    let install_root = scratch.join("root");
    timed("cargo install cargo-cliq (from its package)", || {
        run_status(
            "cargo install of the packaged cargo-cliq",
            package_cargo()
                .arg("install")
                .arg("--path")
                .arg(&cli_dir)
                .arg("--root")
                .arg(&install_root)
                .args(["--debug", "--locked", "--force", "--config"])
                .arg(&patch)
                .env("CARGO_TARGET_DIR", &target_dir),
        )
    })?;

    let bot = scratch.join("bot");
    remove_dir(&bot)?;
    let cargo_cliq = install_root.join("bin").join("cargo-cliq");
    run_status(
        "the installed cargo cliq new",
        Command::new(&cargo_cliq)
            .args(["cliq", "new"])
            .arg(&bot)
            .args(APP_ARGS)
            .args(["--version", &cli.version]),
    )?;
    copy(&lock, &bot.join("Cargo.lock"))?;
    timed(
        "cargo test of the bot `cargo cliq new --version` wrote",
        || {
            run_status(
                "cargo test of the new bot",
                package_cargo()
                    .arg("test")
                    .arg("--manifest-path")
                    .arg(bot.join("Cargo.toml"))
                    .arg("--config")
                    .arg(&patch)
                    .env("CARGO_TARGET_DIR", &target_dir),
            )
        },
    )?;
    eprintln!(
        "packaging, install and bot checked in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

/// `cargo` for the builds of the packages: without debug info, as the workspace builds its
/// dependencies (so their artifacts are shared), and without incremental state for the
/// unpacked sources, which are new on every run.
fn package_cargo() -> Command {
    let mut cmd = cargo();
    cmd.env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0");
    cmd
}

/// The workspace members that may be published (`publish` not `false`), in manifest order.
/// The names of the workspace's publishable crates (`cargo xtask test` documents each).
pub fn publishable_names() -> Result<Vec<String>, String> {
    Ok(publishable(&project_root())?
        .into_iter()
        .map(|c| c.name)
        .collect())
}

fn publishable(root: &Path) -> Result<Vec<Crate>, String> {
    let out = stdout_of(
        "cargo metadata",
        cargo()
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(root),
    )?;
    let meta: Value =
        serde_json::from_slice(&out).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let packages = meta["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?;
    let crates: Vec<Crate> = packages
        .iter()
        // `publish`: null when publishable anywhere, `[]` for `publish = false`.
        .filter(|p| p["publish"].as_array().is_none_or(|r| !r.is_empty()))
        .filter_map(|p| {
            Some(Crate {
                name: p["name"].as_str()?.to_owned(),
                version: p["version"].as_str()?.to_owned(),
                dir: Path::new(p["manifest_path"].as_str()?)
                    .parent()?
                    .to_path_buf(),
            })
        })
        .collect();
    if crates.is_empty() {
        return Err("no publishable crate in the workspace".into());
    }
    Ok(crates)
}

/// `[patch.crates-io]`: every packaged crate by the path of its unpacked sources. The bot does
/// not use `cliq-codegen`, so Cargo notes that patch as unused.
fn patch_config(crates: &[Crate], unpacked: &Path) -> String {
    let mut text = String::from(
        "# Written by `cargo xtask publish-check`: the packaged crates instead of the registry's.\n\
         [patch.crates-io]\n",
    );
    for c in crates.iter().filter(|c| c.name != "cargo-cliq") {
        // A JSON string is a TOML basic string: the path's quotes and backslashes escaped.
        let path = Value::from(unpacked.join(c.stem()).display().to_string());
        text.push_str(&format!("{} = {{ path = {path} }}\n", c.name));
    }
    text
}

/// Step 3: `cargo semver-checks` against the latest `vX.Y.Z` tag, or why it cannot run.
pub fn semver() -> Result<(), String> {
    let root = project_root();
    let Some(tag) = latest_release_tag(&root)? else {
        eprintln!(
            "semver check skipped: no release tag (`v<version>`, annotated, on the commit that \
             declares that version) in this clone, so there is no released API to compare with"
        );
        return Ok(());
    };
    let crates = publishable(&root)?;
    // Nothing a published crate is built from changed since the release: its API cannot have.
    let mut diff = Command::new("git");
    diff.args([
        "diff",
        "--quiet",
        &tag,
        "HEAD",
        "--",
        "Cargo.toml",
        "Cargo.lock",
    ]);
    for c in &crates {
        diff.arg(c.dir.strip_prefix(&root).unwrap_or(&c.dir));
    }
    let unchanged = diff
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run git diff: {e}"))?;
    if unchanged.success() {
        eprintln!(
            "semver check: no published crate, nor the workspace manifest or lockfile, changed \
             since {tag}; its API is the released one"
        );
        return Ok(());
    }
    // A version that may break the released API (0.1.x → 0.2.0, 1.x → 2.0.0) allows any change:
    // there is nothing to check, and the tool need not be installed.
    if let Some(c) = crates.iter().find(|c| is_breaking_bump(&tag, &c.version)) {
        eprintln!(
            "semver check skipped: {} {} may break the API released as {tag} \
             (its leftmost non-zero version component differs), so any change is allowed",
            c.name, c.version
        );
        return Ok(());
    }
    let installed = || {
        cargo()
            .args(["semver-checks", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !installed() {
        let mut install = cargo();
        install.args(["install", "cargo-semver-checks", "--locked", "--version"]);
        install.arg(SEMVER_CHECKS_VERSION);
        timed("cargo install cargo-semver-checks", || {
            run_status("cargo install cargo-semver-checks", &mut install)
        })?;
    }
    let mut cmd = cargo();
    cmd.args(["semver-checks", "check-release", "--baseline-rev", &tag]);
    for name in SEMVER_CHECKED {
        cmd.args(["--package", name]);
    }
    timed(&format!("cargo semver-checks against {tag}"), || {
        run_status(
            &format!("cargo semver-checks against {tag}"),
            cmd.current_dir(&root),
        )
    })
}

/// Removes the copies of `crates` (at their versions) that cargo unpacked from local
/// registries (`$CARGO_HOME/registry/src/-<hash>/<name>-<version>`; a registry from the
/// network has a host in its directory's name, never a leading `-`).
fn remove_unpacked_copies(crates: &[Crate]) -> Result<(), String> {
    let home = match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(".cargo"),
            None => return Ok(()),
        },
    };
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for c in crates {
            let copy = registry.path().join(c.stem());
            if copy.is_dir() {
                remove_dir(&copy)?;
            }
        }
    }
    Ok(())
}

/// The version of `cargo-semver-checks` installed when the check must run and it is missing.
const SEMVER_CHECKS_VERSION: &str = "0.51.0";

/// Whether `version` may break the API released as `tag` (`v1.2.3` or `1.2.3`), by Cargo's rule
/// for compatible versions: they are compatible when their leftmost non-zero component (and
/// every component before it) is the same, so `0.1.0` → `0.2.0` and `1.4.0` → `2.0.0` may break,
/// `0.1.0` → `0.1.1` and `1.4.0` → `1.5.0` may not. Unreadable versions count as compatible
/// (the check then runs).
fn is_breaking_bump(tag: &str, version: &str) -> bool {
    fn key(v: &str) -> Option<Vec<u64>> {
        let core = v.trim_start_matches('v').split(['-', '+']).next()?;
        let parts: Vec<u64> = core
            .split('.')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let first = parts
            .iter()
            .position(|&p| p != 0)
            .unwrap_or(parts.len().saturating_sub(1));
        Some(parts.get(..=first)?.to_vec())
    }
    match (key(tag), key(version)) {
        (Some(old), Some(new)) => new > old,
        _ => false,
    }
}

/// The highest `v<semver>` tag reachable from `HEAD`, if any.
fn latest_release_tag(root: &Path) -> Result<Option<String>, String> {
    let out = stdout_of(
        "git tag",
        Command::new("git")
            .args(["tag", "--merged", "HEAD", "--list", "v[0-9]*"])
            .arg("--sort=-v:refname")
            .current_dir(root),
    )?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .next()
        .map(str::to_owned))
}

/// What `cmd` printed on its standard output; the error names `what` and quotes its stderr.
fn timed(what: &str, step: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let started = Instant::now();
    step()?;
    eprintln!("{what}: {:.0?}", started.elapsed());
    Ok(())
}

fn remove_dir(dir: &PathBuf) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::is_breaking_bump;

    #[test]
    fn breaking_bumps_follow_cargos_compatibility_rule() {
        for (tag, version, breaking) in [
            ("v0.1.0", "0.2.0", true),
            ("v0.1.0", "0.1.1", false),
            ("v0.1.0", "0.1.0", false),
            ("v1.4.0", "1.5.0", false),
            ("v1.4.0", "2.0.0", true),
            ("v0.0.3", "0.0.4", true),
            ("v0.2.0", "0.1.9", false),
            ("v0.1.0", "0.2.0-alpha.1", true),
            ("vnext", "0.2.0", false),
        ] {
            assert_eq!(
                is_breaking_bump(tag, version),
                breaking,
                "{tag} -> {version}"
            );
        }
    }
}
