//! The generated crate's `Cargo.toml`: its dependency list lives here, once, for every caller
//! (`cargo xtask codegen`, build scripts, the tests that compile generated crates).

use toml::{Table, Value};

/// How the generated crate depends on `cliq-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A published version requirement, e.g. `0.1`.
    Version(String),
    /// A git repository (optionally at a revision).
    Git {
        /// Repository URL.
        url: String,
        /// Commit, tag or branch name to pin, if any.
        rev: Option<String>,
    },
    /// A path, best relative to the generated crate (e.g. `../runtime`).
    Path(String),
}

/// A dependency on one of this workspace's crates, as an inline TOML table: `path`,
/// `version` or `git` (+ `rev`), then `features` when there are any. Shared by the generated
/// client's `Cargo.toml` and the bot crates of `cargo cliq new`.
pub fn source_table(source: &RuntimeDep, features: &[&str]) -> Table {
    let mut t = Table::new();
    match source {
        RuntimeDep::Version(v) => {
            t.insert("version".into(), v.as_str().into());
        }
        RuntimeDep::Git { url, rev } => {
            t.insert("git".into(), url.as_str().into());
            if let Some(rev) = rev {
                t.insert("rev".into(), rev.as_str().into());
            }
        }
        RuntimeDep::Path(p) => {
            t.insert("path".into(), p.as_str().into());
        }
    }
    if !features.is_empty() {
        t.insert(
            "features".into(),
            Value::Array(features.iter().map(|f| Value::from(*f)).collect()),
        );
    }
    t
}

/// The package's identity.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    /// Package name.
    pub name: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// Add an empty `[workspace]` table, so the crate is not taken for a member of an
    /// enclosing workspace.
    pub standalone: bool,
}

/// The runtime's version the generated code is written against.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// The dependencies every generated crate needs besides `cliq-runtime`:
/// (name, version, features).
pub const DEPENDENCIES: &[(&str, &str, &[&str])] = &[
    ("futures", "0.3", &[]),
    ("serde", "1", &["derive"]),
    ("serde_json", "1", &[]),
];

/// `Cargo.toml` text for a generated crate, with `header` (a comment line) on top.
pub fn cargo_toml(header: &str, package: &Package<'_>, runtime: &RuntimeDep) -> String {
    let mut pkg = Table::new();
    pkg.insert("name".into(), package.name.into());
    pkg.insert("version".into(), "0.1.0".into());
    pkg.insert("edition".into(), "2021".into());
    pkg.insert("license".into(), "MIT OR Apache-2.0".into());
    pkg.insert("description".into(), package.description.into());
    let mut rt = source_table(runtime, &[]);
    if let RuntimeDep::Path(_) = runtime {
        rt.insert("version".into(), RUNTIME_VERSION.into());
    }
    let mut deps = Table::new();
    deps.insert("cliq-runtime".into(), Value::Table(rt));
    for (name, version, features) in DEPENDENCIES {
        let dep = if features.is_empty() {
            Value::from(*version)
        } else {
            let mut t = Table::new();
            t.insert("version".into(), (*version).into());
            t.insert(
                "features".into(),
                Value::Array(features.iter().map(|f| Value::from(*f)).collect()),
            );
            Value::Table(t)
        };
        deps.insert((*name).into(), dep);
    }
    let mut doc = Table::new();
    doc.insert("package".into(), Value::Table(pkg));
    doc.insert("dependencies".into(), Value::Table(deps));
    if package.standalone {
        doc.insert("workspace".into(), Value::Table(Table::new()));
    }
    let body = toml::to_string(&doc).unwrap_or_default();
    format!("{}\n{body}", header.trim_end())
}
