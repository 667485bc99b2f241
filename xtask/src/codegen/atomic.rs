//! Atomic output: a generated crate directory is replaced as a whole or not at all.
//!
//! [`replace_dir_with`] builds the new directory beside the target (`.NAME.cliq-new-PID`, same
//! filesystem, so renames are atomic), then swaps it in: the old directory is renamed aside
//! (`.NAME.cliq-old-PID`), the new one renamed into place, the old one removed; if the second
//! rename fails the old directory is renamed back. A run that fails, or is killed at any
//! point, leaves the previous directory in place, byte for byte:
//!
//! - killed while staging: the target was never touched; the stale `.cliq-new-*` directory is
//!   removed by the next run;
//! - killed between the two renames (a window of two system calls): the target is missing and
//!   `.NAME.cliq-old-PID` holds it intact; the next run renames it back before anything else;
//! - killed after the swap: the new directory is complete; the next run removes the leftover
//!   old one.
//!
//! What the generator does not own is carried over: every existing entry that is neither a
//! generated file nor inside an owned directory (`src/` for a crate whose sources are all
//! generated) is hard-linked (or copied) into the new directory, so a `target/` or a README
//! survives regeneration. Unchanged generated files are hard-linked too, so their
//! modification times (and cargo's fingerprints) stay as they were; when nothing changed the
//! target is not touched at all. Two runs writing the same target at once are not supported.
//!
//! [`write_file`] does the same for a single file (temporary file beside it, then rename).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// What [`replace_dir_with`] changed, as paths relative to the target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Generated files that are new or whose content changed.
    pub written: Vec<PathBuf>,
    /// Files under an owned directory that the generator no longer makes.
    pub removed: Vec<PathBuf>,
}

impl Changes {
    /// Nothing to write: the target already holds exactly the generated files.
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// A failed file-system step, with the path it failed on. The target is intact.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct WriteError {
    /// What was being done (`write`, `rename`, …).
    pub action: &'static str,
    /// The path it was done to.
    pub path: PathBuf,
    /// The operating system's error.
    #[source]
    pub source: io::Error,
}

fn err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

const NEW: &str = "cliq-new-";
const OLD: &str = "cliq-old-";

/// Replaces the directory `target` with one holding `files` (paths relative to `target`),
/// atomically; see the [module docs](self). Files under the `owned` directories (relative)
/// that are not in `files` are dropped; every other existing entry is kept. `after_each` is
/// called with every generated file's path once it is written into the staging directory
/// (progress reports; the kill test pauses here).
pub fn replace_dir_with(
    target: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: &[&Path],
    mut after_each: impl FnMut(&Path),
) -> Result<Changes, WriteError> {
    for rel in files.keys() {
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(WriteError {
                action: "write outside the target",
                path: rel.clone(),
                source: io::Error::new(io::ErrorKind::InvalidInput, "not a plain relative path"),
            });
        }
    }
    let (parent, name) = split(target)?;
    let target = &parent.join(&name);
    if !parent.as_os_str().is_empty() {
        fs::create_dir_all(&parent).map_err(err("create", &parent))?;
    }
    recover(&parent, &name, target)?;
    if target.exists() && !target.is_dir() {
        return Err(WriteError {
            action: "replace",
            path: target.to_path_buf(),
            source: io::Error::new(io::ErrorKind::AlreadyExists, "it is not a directory"),
        });
    }
    let changes = plan(target, files, owned)?;
    if changes.is_empty() {
        return Ok(changes);
    }
    let stage = sibling(&parent, &name, NEW);
    let staged = stage_dir(target, &stage, files, owned, &changes, &mut after_each);
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&stage);
        return Err(e);
    }
    let old = sibling(&parent, &name, OLD);
    swap(target, &stage, &old, |from, to| fs::rename(from, to))?;
    sync_dir(&parent);
    Ok(changes)
}

/// Writes `contents` to `path` atomically (temporary file beside it, then rename). Returns
/// whether the file changed; an identical file is not touched.
pub fn write_file(path: &Path, contents: &str) -> Result<bool, WriteError> {
    if fs::read(path).ok().as_deref() == Some(contents.as_bytes()) {
        return Ok(false);
    }
    let (parent, name) = split(path)?;
    let path = &parent.join(&name);
    if !parent.as_os_str().is_empty() {
        fs::create_dir_all(&parent).map_err(err("create", &parent))?;
    }
    recover(&parent, &name, path)?;
    let tmp = sibling(&parent, &name, NEW);
    let written =
        create(&tmp, contents).and_then(|()| fs::rename(&tmp, path).map_err(err("rename", path)));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map(|()| true)
}

fn split(target: &Path) -> Result<(PathBuf, String), WriteError> {
    // `.` or `dir/..` name no directory of their own: use the real path.
    if target.file_name().is_none() {
        if let Ok(real) = target.canonicalize() {
            if real.file_name().is_some() {
                return split(&real);
            }
        }
    }
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| WriteError {
            action: "name",
            path: target.to_path_buf(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "no UTF-8 file name"),
        })?;
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((parent, name.to_owned()))
}

/// `.NAME.cliq-new-PID` (or `-old-`) beside the target.
fn sibling(parent: &Path, name: &str, kind: &str) -> PathBuf {
    parent.join(format!(".{name}.{kind}{}", std::process::id()))
}

fn dir_or_dot(parent: &Path) -> &Path {
    if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }
}

/// Undoes what a killed earlier run left: a target renamed aside comes back, staging
/// directories and old copies are removed.
fn recover(parent: &Path, name: &str, target: &Path) -> Result<(), WriteError> {
    let Ok(entries) = fs::read_dir(dir_or_dot(parent)) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    let mut olds = Vec::new();
    let mut news = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        if rest.starts_with(OLD) {
            olds.push(entry.path());
        } else if rest.starts_with(NEW) {
            news.push(entry.path());
        }
    }
    if !target.exists() {
        if let Some(old) = olds.pop() {
            fs::rename(&old, target).map_err(err("restore", target))?;
        }
    }
    for path in olds.into_iter().chain(news) {
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
    Ok(())
}

/// Which generated files differ from the target, and which owned files go away.
fn plan(
    target: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: &[&Path],
) -> Result<Changes, WriteError> {
    let mut changes = Changes::default();
    for (rel, text) in files {
        if fs::read(target.join(rel)).ok().as_deref() != Some(text.as_bytes()) {
            changes.written.push(rel.clone());
        }
    }
    for dir in owned {
        for rel in walk_files(target, dir)? {
            if !files.contains_key(&rel) {
                changes.removed.push(rel);
            }
        }
    }
    Ok(changes)
}

/// Every non-directory entry under `root/rel`, as paths relative to `root`.
fn walk_files(root: &Path, rel: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut out = Vec::new();
    let mut todo = vec![rel.to_path_buf()];
    while let Some(rel) = todo.pop() {
        let dir = root.join(&rel);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(err("read", &dir)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(err("read", &dir))?;
            let child = rel.join(entry.file_name());
            let kind = entry.file_type().map_err(err("read", &entry.path()))?;
            if kind.is_dir() {
                todo.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn stage_dir(
    target: &Path,
    stage: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: &[&Path],
    changes: &Changes,
    after_each: &mut impl FnMut(&Path),
) -> Result<(), WriteError> {
    fs::create_dir(stage).map_err(err("create", stage))?;
    if target.is_dir() {
        carry_over(target, stage, Path::new(""), files, owned)?;
    }
    let changed: BTreeSet<&PathBuf> = changes.written.iter().collect();
    for (rel, text) in files {
        let to = stage.join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(err("create", dir))?;
        }
        if changed.contains(rel) {
            create(&to, text)?;
        } else {
            link_or_copy(&target.join(rel), &to)?;
        }
        after_each(rel);
    }
    Ok(())
}

/// Links every entry of `target/rel` that the generator neither makes nor owns into `stage`.
fn carry_over(
    target: &Path,
    stage: &Path,
    rel: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: &[&Path],
) -> Result<(), WriteError> {
    let dir = target.join(rel);
    for entry in fs::read_dir(&dir).map_err(err("read", &dir))? {
        let entry = entry.map_err(err("read", &dir))?;
        let child = rel.join(entry.file_name());
        if files.contains_key(&child) {
            continue;
        }
        let from = entry.path();
        let to = stage.join(&child);
        let kind = entry.file_type().map_err(err("read", &from))?;
        if kind.is_dir() {
            fs::create_dir_all(&to).map_err(err("create", &to))?;
            if !owned.iter().any(|o| *o == child) {
                carry_over(target, stage, &child, files, owned)?;
            }
        } else if owned.iter().any(|o| child.starts_with(o)) {
            // Owned and no longer generated: dropped.
        } else if kind.is_symlink() {
            copy_symlink(&from, &to)?;
        } else {
            link_or_copy(&from, &to)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_symlink(from: &Path, to: &Path) -> Result<(), WriteError> {
    let link = fs::read_link(from).map_err(err("read", from))?;
    std::os::unix::fs::symlink(link, to).map_err(err("link", to))
}

#[cfg(not(unix))]
fn copy_symlink(from: &Path, to: &Path) -> Result<(), WriteError> {
    link_or_copy(from, to)
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map(drop).map_err(err("copy", to))
}

/// A new file with `contents`, flushed to disk.
fn create(path: &Path, contents: &str) -> Result<(), WriteError> {
    let mut f = fs::File::create_new(path).map_err(err("create", path))?;
    f.write_all(contents.as_bytes())
        .map_err(err("write", path))?;
    f.sync_all().map_err(err("write", path))
}

/// Moves `stage` into place of `target`, keeping `target` (or restoring it) on failure.
fn swap(
    target: &Path,
    stage: &Path,
    old: &Path,
    rename: impl Fn(&Path, &Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    let had_target = target.exists();
    if had_target {
        if let Err(e) = rename(target, old) {
            let _ = fs::remove_dir_all(stage);
            return Err(err("move aside", target)(e));
        }
    }
    if let Err(e) = rename(stage, target) {
        if had_target {
            // Put the previous directory back; if even that fails, the next run does it.
            let _ = rename(old, target);
        }
        let _ = fs::remove_dir_all(stage);
        return Err(err("rename into place", target)(e));
    }
    if had_target {
        // The new directory is in place; a leftover old copy is removed by the next run.
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

/// Makes the renames durable where the platform allows it (best effort).
fn sync_dir(parent: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir_or_dot(parent)) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = parent;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace_dir(
        target: &Path,
        files: &BTreeMap<PathBuf, String>,
        owned: &[&Path],
    ) -> Result<Changes, WriteError> {
        replace_dir_with(target, files, owned, |_| {})
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cliq-write-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn files(list: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        list.iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect()
    }

    /// Every file under `dir` with its content, and the names beside `dir`.
    fn snapshot(dir: &Path) -> (BTreeMap<PathBuf, Vec<u8>>, Vec<String>) {
        let all = walk_files(dir, Path::new("")).unwrap();
        let map = all
            .into_iter()
            .map(|rel| {
                let bytes = fs::read(dir.join(&rel)).unwrap();
                (rel, bytes)
            })
            .collect();
        let mut beside: Vec<String> = fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        beside.sort();
        (map, beside)
    }

    #[test]
    fn replaces_keeps_what_it_does_not_own_and_drops_stale_owned_files() {
        let root = scratch("replace");
        let out = root.join("crate");
        let first = files(&[
            ("Cargo.toml", "a"),
            ("src/lib.rs", "1"),
            ("src/old.rs", "x"),
        ]);
        let c = replace_dir(&out, &first, &[Path::new("src")]).unwrap();
        assert_eq!(c.written.len(), 3);
        fs::create_dir_all(out.join("target/debug")).unwrap();
        fs::write(out.join("target/debug/keep"), "k").unwrap();
        fs::write(out.join("README.md"), "mine").unwrap();
        fs::write(out.join("src/stray.rs"), "s").unwrap();
        let mtime = |p: &str| fs::metadata(out.join(p)).unwrap().modified().unwrap();
        let cargo_before = mtime("Cargo.toml");

        let second = files(&[("Cargo.toml", "a"), ("src/lib.rs", "2")]);
        let c = replace_dir(&out, &second, &[Path::new("src")]).unwrap();
        assert_eq!(c.written, vec![PathBuf::from("src/lib.rs")]);
        assert_eq!(
            c.removed,
            vec![PathBuf::from("src/old.rs"), PathBuf::from("src/stray.rs")]
        );
        let (map, beside) = snapshot(&out);
        let names: Vec<_> = map.keys().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            ["Cargo.toml", "README.md", "src/lib.rs", "target/debug/keep"]
        );
        assert_eq!(map[Path::new("src/lib.rs")], b"2");
        assert_eq!(beside, ["crate"], "no staging or old directory left");
        assert_eq!(
            mtime("Cargo.toml"),
            cargo_before,
            "unchanged file kept as is"
        );

        // Nothing changed: nothing touched.
        let lib_before = mtime("src/lib.rs");
        assert!(replace_dir(&out, &second, &[Path::new("src")])
            .unwrap()
            .is_empty());
        assert_eq!(mtime("src/lib.rs"), lib_before);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_failing_run_leaves_the_target_intact() {
        let root = scratch("fail");
        let out = root.join("crate");
        replace_dir(&out, &files(&[("src/lib.rs", "1")]), &[]).unwrap();
        let before = snapshot(&out);
        // `a` as a file and as a directory: staging fails half-way.
        let bad = files(&[("a", "file"), ("a/b", "under a file"), ("src/lib.rs", "2")]);
        let e = replace_dir(&out, &bad, &[]).unwrap_err();
        assert!(e.to_string().starts_with("cannot "), "{e}");
        assert_eq!(snapshot(&out), before);
        // Paths outside the target are refused before anything happens.
        let escape = files(&[("../evil", "x")]);
        assert!(replace_dir(&out, &escape, &[]).is_err());
        assert_eq!(snapshot(&out), before);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_failed_rename_into_place_restores_the_target() {
        let root = scratch("swap");
        let out = root.join("crate");
        replace_dir(&out, &files(&[("f", "old")]), &[]).unwrap();
        let stage = root.join(".crate.cliq-new-1");
        fs::create_dir(&stage).unwrap();
        fs::write(stage.join("f"), "new").unwrap();
        let old = root.join(".crate.cliq-old-1");
        let calls = std::cell::Cell::new(0);
        let flaky = |from: &Path, to: &Path| {
            calls.set(calls.get() + 1);
            if calls.get() == 2 {
                Err(io::Error::other("injected"))
            } else {
                fs::rename(from, to)
            }
        };
        let e = swap(&out, &stage, &old, flaky).unwrap_err();
        assert!(e.to_string().contains("injected"), "{e}");
        assert_eq!(fs::read_to_string(out.join("f")).unwrap(), "old");
        assert!(!stage.exists() && !old.exists());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_run_killed_between_the_renames_is_recovered() {
        let root = scratch("recover");
        let out = root.join("crate");
        replace_dir(&out, &files(&[("f", "old")]), &[]).unwrap();
        // The state a kill between the two renames leaves, plus a half-written stage.
        fs::rename(&out, root.join(".crate.cliq-old-77")).unwrap();
        fs::create_dir(root.join(".crate.cliq-new-77")).unwrap();
        fs::write(root.join(".crate.cliq-new-77/f"), "ne").unwrap();
        let c = replace_dir(&out, &files(&[("f", "new")]), &[]).unwrap();
        assert_eq!(c.written, vec![PathBuf::from("f")]);
        let (map, beside) = snapshot(&out);
        assert_eq!(map[Path::new("f")], b"new");
        assert_eq!(beside, ["crate"]);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_target_named_dot_dot_is_resolved() {
        let root = scratch("dotdot");
        let out = root.join("crate");
        replace_dir(&out, &files(&[("f", "1")]), &[]).unwrap();
        fs::create_dir(out.join("sub")).unwrap();
        replace_dir(&out.join("sub/.."), &files(&[("f", "2")]), &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("f")).unwrap(), "2");
        assert!(out.join("sub").is_dir());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn single_files_are_replaced_atomically() {
        let root = scratch("file");
        let f = root.join("deep/table.rs");
        assert!(write_file(&f, "1").unwrap());
        assert!(!write_file(&f, "1").unwrap());
        assert!(write_file(&f, "2").unwrap());
        assert_eq!(fs::read_to_string(&f).unwrap(), "2");
        let left: Vec<_> = fs::read_dir(root.join("deep")).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        let _ = fs::remove_dir_all(&root);
    }
}
