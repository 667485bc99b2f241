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

/// A Cargo package name derived from a spec's file stem: `cliq-` + the stem lower-cased, with
/// every run of characters Cargo does not accept (`.`, spaces, …) turned into one `-`
/// (`api.github.com` → `cliq-api-github-com`).
pub fn package_name(stem: &str) -> String {
    let lower = stem.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "cliq".to_owned()
    } else {
        format!("cliq-{}", words.join("-"))
    }
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
    /// Cargo features, one per module of a crate of several
    /// ([`generate_modules`](crate::generate_modules)): (name, on by default). Empty for a
    /// crate of one document.
    pub features: &'a [(&'a str, bool)],
}

/// The runtime's version the generated code is written against: this generator's own version,
/// since the workspace's published crates are released together, at one version.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The dependencies every generated crate needs besides `cliq-runtime`:
/// (name, version, features).
pub const DEPENDENCIES: &[(&str, &str, &[&str])] = &[
    ("futures", "0.3", &[]),
    ("serde", "1", &["derive"]),
    ("serde_json", "1", &[]),
];

/// What a generated crate published from this workspace (`cliq-api`) declares for the
/// registry besides its [`Package`]. The fields every published crate of the workspace shares
/// (`version`, `edition`, `license`, `rust-version`, `repository`) are not here: its manifest
/// inherits them from the workspace's `[workspace.package]`, where they are kept once.
#[derive(Debug, Clone)]
pub struct Published<'a> {
    /// The README shown on the registry, relative to the crate's directory.
    pub readme: &'a str,
    /// Registry keywords (at most five).
    pub keywords: &'a [&'a str],
    /// Registry category slugs.
    pub categories: &'a [&'a str],
    /// Workspace crates the generated code names (`Settings::with_type_replacement`'s
    /// types): `(package, path)`, each depended on by path and this workspace's version.
    pub path_dependencies: &'a [(&'a str, &'a str)],
}

/// The fields a published member inherits from `[workspace.package]`, in manifest order.
const INHERITED: &[&str] = &[
    "version",
    "edition",
    "rust-version",
    "license",
    "repository",
];

/// `Cargo.toml` text for a generated crate, with `header` (a comment line) on top.
pub fn cargo_toml(header: &str, package: &Package<'_>, runtime: &RuntimeDep) -> String {
    let mut pkg = Table::new();
    pkg.insert("name".into(), package.name.into());
    pkg.insert("version".into(), "0.1.0".into());
    pkg.insert("edition".into(), "2021".into());
    pkg.insert("license".into(), "MIT OR Apache-2.0".into());
    pkg.insert("description".into(), package.description.into());
    document(header, pkg, &[], package, runtime, &[])
}

/// `Cargo.toml` text for a generated crate that is a published member of this workspace:
/// the shared fields inherited from the workspace, the registry metadata of `published`.
pub fn published_cargo_toml(
    header: &str,
    package: &Package<'_>,
    runtime: &RuntimeDep,
    published: &Published<'_>,
) -> String {
    let strings = |items: &[&str]| Value::Array(items.iter().map(|i| Value::from(*i)).collect());
    let mut pkg = Table::new();
    pkg.insert("name".into(), package.name.into());
    pkg.insert("description".into(), package.description.into());
    pkg.insert("readme".into(), published.readme.into());
    pkg.insert("keywords".into(), strings(published.keywords));
    pkg.insert("categories".into(), strings(published.categories));
    document(
        header,
        pkg,
        INHERITED,
        package,
        runtime,
        published.path_dependencies,
    )
}

/// The manifest around a `[package]` table: the fields inherited from the workspace, the
/// dependencies, then `[workspace]` if standalone.
fn document(
    header: &str,
    pkg: Table,
    inherited: &[&str],
    package: &Package<'_>,
    runtime: &RuntimeDep,
    path_dependencies: &[(&str, &str)],
) -> String {
    let mut rt = source_table(runtime, &[]);
    if let RuntimeDep::Path(_) = runtime {
        rt.insert("version".into(), RUNTIME_VERSION.into());
    }
    let mut deps = Table::new();
    deps.insert("cliq-runtime".into(), Value::Table(rt));
    for (name, path) in path_dependencies {
        let mut t = Table::new();
        t.insert("path".into(), (*path).into());
        t.insert("version".into(), RUNTIME_VERSION.into());
        deps.insert((*name).into(), Value::Table(t));
    }
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
    let mut head = Table::new();
    head.insert("package".into(), Value::Table(pkg));
    // `version.workspace = true` as dotted keys: `toml` would write each as a table of its own.
    let inherits: String = inherited
        .iter()
        .map(|field| format!("{field}.workspace = true\n"))
        .collect();
    let mut rest = Table::new();
    rest.insert("dependencies".into(), Value::Table(deps));
    if !package.features.is_empty() {
        let mut features = Table::new();
        let default: Vec<Value> = package
            .features
            .iter()
            .filter(|(_, on)| *on)
            .map(|(name, _)| Value::from(*name))
            .collect();
        features.insert("default".into(), Value::Array(default));
        for (name, _) in package.features {
            features.insert((*name).into(), Value::Array(Vec::new()));
        }
        rest.insert("features".into(), Value::Table(features));
    }
    if package.standalone {
        rest.insert("workspace".into(), Value::Table(Table::new()));
    }
    let head = toml::to_string(&head).unwrap_or_default();
    let rest = toml::to_string(&rest).unwrap_or_default();
    format!("{}\n{head}{inherits}\n{rest}", header.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_ones_cargo_accepts() {
        assert_eq!(package_name("bots"), "cliq-bots");
        assert_eq!(package_name("api.github.com"), "cliq-api-github-com");
        assert_eq!(package_name("My_Spec v2"), "cliq-my-spec-v2");
        assert_eq!(package_name("..."), "cliq");
        assert_eq!(package_name("-x-"), "cliq-x");
    }
}
