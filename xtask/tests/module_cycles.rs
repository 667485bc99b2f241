//! No two modules import each other: for every library and binary of the workspace, the files
//! of its module tree and the dependencies between them, and a failure listing every cycle.
//!
//! File A depends on file B when a path written in A (in a `use`, a type, an expression, a
//! pattern, an attribute, or the tokens of a macro call) names an item that B defines, B's
//! module, or a module below it. Paths are resolved as rustc resolves the crate-relative
//! forms: `crate::…`, `super::…`, `self::…`, a module A declares, or a name A binds with `use`;
//! a name that a module re-exports (`pub use`) is followed to the file that defines it, so
//! `crate::Error` is a dependency on `error.rs` when `lib.rs` only re-exports it.
//!
//! Not dependencies:
//! - a parent's `mod child;`: it places the file in the tree, it does not use it;
//! - a re-export (`pub use child::Item;`): it names the item for others and uses nothing; a
//!   path through it is a dependency on the file that defines the item;
//! - a file's own items, inline modules included (`mod tests { use super::*; }`);
//! - paths into other crates, and names that are not crate-relative paths (locals, generics);
//! - paths inside `quote!`-like macros: they are code written for another crate;
//! - doc comments and string literals (intra-doc links, `#[serde(with = "…")]`).
//!
//! Not seen: method calls (`self.lower_schema()` defined in an `impl` block of another file
//! names no path), and names a glob import (`use super::*`) brings in, used unqualified (the
//! glob itself is a dependency on the module it imports from).
//!
//! A cycle is a strongly connected component of two or more files; each is listed with the
//! dependencies inside it and one path that makes each.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// Packages whose cycles are known and being removed elsewhere, each with the reason. Every
/// other package of the workspace must have none; a package listed here that has none fails
/// too, so the exception is dropped as soon as it is no longer needed.
const KNOWN_CYCLES: &[(&str, &str)] = &[];

/// Macros whose tokens are code for another crate (generated code), not paths of this one.
const CODE_MACROS: &[&str] = &[
    "quote",
    "quote_spanned",
    "parse_quote",
    "parse_quote_spanned",
];

type ModPath = Vec<String>;

/// A `use` binding: the path as written and the module it was written in.
#[derive(Debug, Clone)]
struct Binding {
    scope: ModPath,
    path: Vec<String>,
    /// The path starts with `::`: another crate.
    external: bool,
}

#[derive(Debug, Default)]
struct Module {
    file: usize,
    /// Names of the items it defines (child modules included).
    items: BTreeSet<String>,
    children: BTreeSet<String>,
    /// Names bound by `use` (renames applied), re-exports included.
    uses: BTreeMap<String, Binding>,
}

/// A path written in a module, to be resolved.
#[derive(Debug)]
struct Reference {
    scope: ModPath,
    path: Vec<String>,
}

/// One crate's module tree.
#[derive(Debug, Default)]
struct Tree {
    files: Vec<PathBuf>,
    modules: BTreeMap<ModPath, Module>,
    references: Vec<Reference>,
    problems: Vec<String>,
}

impl Tree {
    fn load(root: &Path) -> Tree {
        let mut tree = Tree::default();
        tree.load_file(root, Vec::new(), true);
        tree
    }

    /// Parses `file` as module `path`; `mod_rs` is whether its children live in its own
    /// directory (`lib.rs`, `main.rs`, `mod.rs`) rather than in a directory named after it.
    fn load_file(&mut self, file: &Path, path: ModPath, mod_rs: bool) {
        let parsed = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| syn::parse_file(&text).map_err(|e| e.to_string()));
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                self.problems.push(format!("{}: {e}", file.display()));
                return;
            }
        };
        let index = self.files.len();
        self.files.push(file.to_path_buf());
        let parent = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let children_dir = if mod_rs {
            parent.clone()
        } else {
            let stem = file.file_stem().map(PathBuf::from).unwrap_or_default();
            parent.join(stem)
        };
        self.load_items(&parsed.items, index, path, &parent, &children_dir);
    }

    /// The items of module `path` (in file `file`): `dir` is the directory of the file, for
    /// `#[path]`; `children_dir` where its `mod x;` files are.
    fn load_items(
        &mut self,
        items: &[syn::Item],
        file: usize,
        path: ModPath,
        dir: &Path,
        children_dir: &Path,
    ) {
        self.modules.entry(path.clone()).or_default().file = file;
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    let name = m.ident.to_string();
                    let module = self.modules.entry(path.clone()).or_default();
                    module.items.insert(name.clone());
                    module.children.insert(name.clone());
                    let mut child = path.clone();
                    child.push(name.clone());
                    if let Some((_, content)) = &m.content {
                        self.collect(&m.attrs, &path);
                        self.load_items(content, file, child, dir, &children_dir.join(&name));
                    } else if let Some(rel) = path_attribute(&m.attrs) {
                        let target = dir.join(rel);
                        self.load_file(&target, child, true);
                    } else {
                        let flat = children_dir.join(format!("{name}.rs"));
                        if flat.is_file() {
                            self.load_file(&flat, child, false);
                        } else {
                            self.load_file(&children_dir.join(&name).join("mod.rs"), child, true);
                        }
                    }
                }
                syn::Item::Use(u) => {
                    let mut leaves = Vec::new();
                    use_leaves(&u.tree, Vec::new(), &mut leaves);
                    // A re-export (`pub use`, `pub(crate) use`) names the item for others and
                    // uses nothing: paths through it are followed to where the item is.
                    let re_export = !matches!(u.vis, syn::Visibility::Inherited);
                    for (written, binding) in leaves {
                        let external = u.leading_colon.is_some();
                        if !external && !re_export {
                            self.references.push(Reference {
                                scope: path.clone(),
                                path: written.clone(),
                            });
                        }
                        if let Some(name) = binding {
                            self.modules.entry(path.clone()).or_default().uses.insert(
                                name,
                                Binding {
                                    scope: path.clone(),
                                    path: written,
                                    external,
                                },
                            );
                        }
                    }
                }
                other => {
                    if let Some(name) = item_name(other) {
                        self.modules
                            .entry(path.clone())
                            .or_default()
                            .items
                            .insert(name);
                    }
                    let mut paths = Paths::default();
                    paths.visit_item(other);
                    for written in paths.found {
                        self.references.push(Reference {
                            scope: path.clone(),
                            path: written,
                        });
                    }
                }
            }
        }
    }

    /// The paths in the attributes of an inline module, written in its parent.
    fn collect(&mut self, attrs: &[syn::Attribute], scope: &ModPath) {
        let mut paths = Paths::default();
        for attr in attrs {
            paths.visit_attribute(attr);
        }
        for written in paths.found {
            self.references.push(Reference {
                scope: scope.clone(),
                path: written,
            });
        }
    }

    /// The file of the item `path` names, written in module `scope`; `None` for what is not
    /// an item of this crate.
    fn resolve(&self, scope: &ModPath, path: &[String], depth: usize) -> Option<usize> {
        if depth > 32 {
            return None; // a `use` cycle: rustc refuses it, so nothing to report here
        }
        let (first, rest) = path.split_first()?;
        let mut start = scope.clone();
        let mut rest = rest;
        match first.as_str() {
            "crate" => start.clear(),
            "self" => {}
            "super" => {
                start.pop()?;
                while rest.first().is_some_and(|s| s == "super") {
                    start.pop()?;
                    rest = &rest[1..];
                }
            }
            name => {
                let module = self.modules.get(scope)?;
                if module.children.contains(name) {
                    rest = path;
                } else if let Some(binding) = module.uses.get(name) {
                    return self.follow(binding, rest, depth);
                } else {
                    return None;
                }
            }
        }
        self.walk(start, rest, depth)
    }

    /// From module `at`, down `rest`: through child modules and re-exports to the module
    /// that defines the last name it can follow.
    fn walk(&self, mut at: ModPath, rest: &[String], depth: usize) -> Option<usize> {
        for (i, segment) in rest.iter().enumerate() {
            let module = self.modules.get(&at)?;
            if module.children.contains(segment) {
                at.push(segment.clone());
            } else if let Some(binding) = module.uses.get(segment) {
                return self.follow(binding, &rest[i + 1..], depth);
            } else if module.items.contains(segment) {
                return Some(module.file);
            } else {
                return None;
            }
        }
        self.modules.get(&at).map(|m| m.file)
    }

    fn follow(&self, binding: &Binding, rest: &[String], depth: usize) -> Option<usize> {
        if binding.external {
            return None;
        }
        let mut full = binding.path.clone();
        full.extend(rest.iter().cloned());
        self.resolve(&binding.scope, &full, depth + 1)
    }

    /// Dependencies between distinct files: (from, to) → one path that makes it.
    fn edges(&self) -> BTreeMap<(usize, usize), String> {
        let mut edges = BTreeMap::new();
        for r in &self.references {
            let Some(from) = self.modules.get(&r.scope).map(|m| m.file) else {
                continue;
            };
            // A one-segment path is a local, a type parameter, a prelude name… unless the
            // module binds it with `use`.
            let bound = |name: &String| {
                self.modules
                    .get(&r.scope)
                    .is_some_and(|m| m.uses.contains_key(name))
            };
            if r.path.len() == 1 && !bound(&r.path[0]) {
                continue;
            }
            if let Some(to) = self.resolve(&r.scope, &r.path, 0) {
                if to != from {
                    edges.entry((from, to)).or_insert_with(|| r.path.join("::"));
                }
            }
        }
        edges
    }
}

/// The value of `#[path = "…"]`.
fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Each leaf of a `use` tree: the full path as written and the name it binds (`None` for a
/// glob or `as _`). `use a::{self}` binds `a` to `a`.
fn use_leaves(
    tree: &syn::UseTree,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    let with = |name: &syn::Ident| {
        let mut p = prefix.clone();
        p.push(name.to_string());
        p
    };
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, with(&p.ident), out),
        syn::UseTree::Name(n) if n.ident == "self" => {
            let bound = prefix.last().cloned();
            out.push((prefix, bound));
        }
        syn::UseTree::Name(n) => out.push((with(&n.ident), Some(n.ident.to_string()))),
        syn::UseTree::Rename(r) => {
            let path = if r.ident == "self" {
                prefix.clone()
            } else {
                with(&r.ident)
            };
            let bound = (r.rename != "_").then(|| r.rename.to_string());
            out.push((path, bound));
        }
        syn::UseTree::Glob(_) => out.push((prefix, None)),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_leaves(t, prefix.clone(), out);
            }
        }
    }
}

/// The name an item defines in its module's namespace, if any.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::ExternCrate(i) => i.rename.as_ref().map_or(&i.ident, |(_, r)| r),
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::TraitAlias(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The paths in an item (those of `use`s in its blocks included), and the paths of two or more
/// segments in the tokens of its macro calls.
#[derive(Default)]
struct Paths {
    found: Vec<Vec<String>>,
}

impl<'a> Visit<'a> for Paths {
    fn visit_path(&mut self, path: &'a syn::Path) {
        if path.leading_colon.is_none() {
            self.found
                .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, path);
    }

    /// A `use` in a block: its paths are relative to the module, like the module's own.
    fn visit_item_use(&mut self, u: &'a syn::ItemUse) {
        if u.leading_colon.is_none() {
            let mut leaves = Vec::new();
            use_leaves(&u.tree, Vec::new(), &mut leaves);
            self.found.extend(leaves.into_iter().map(|(path, _)| path));
        }
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        self.visit_path(&mac.path);
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        if !name.is_some_and(|n| CODE_MACROS.contains(&n.as_str())) {
            token_paths(mac.tokens.clone(), &mut self.found);
        }
    }
}

/// `a::b::c` sequences (not after `::`) in a token stream, through every group.
fn token_paths(tokens: TokenStream, out: &mut Vec<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let is_colon =
        |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':');
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(g) => token_paths(g.stream(), out),
            TokenTree::Ident(first) => {
                let after_path =
                    i >= 2 && is_colon(tokens.get(i - 1)) && is_colon(tokens.get(i - 2));
                let mut path = vec![first.to_string()];
                let mut j = i + 1;
                while is_colon(tokens.get(j)) && is_colon(tokens.get(j + 1)) {
                    match tokens.get(j + 2) {
                        Some(TokenTree::Ident(next)) => {
                            path.push(next.to_string());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                if !after_path && path.len() >= 2 {
                    out.push(path);
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Strongly connected components of two or more nodes (Tarjan's algorithm).
fn cycles(nodes: usize, edges: &BTreeMap<(usize, usize), String>) -> Vec<Vec<usize>> {
    struct State {
        next: Vec<Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        found: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for w in s.next[v].clone() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                s.found.push(component);
            }
        }
    }
    let mut next = vec![Vec::new(); nodes];
    for &(from, to) in edges.keys() {
        next[from].push(to);
    }
    let mut s = State {
        next,
        index: vec![None; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        counter: 0,
        found: Vec::new(),
    };
    for v in 0..nodes {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.found.sort();
    s.found
}

/// The cycles of one crate, described; or the files that could not be read or parsed.
fn describe_cycles(root: &Path, base: &Path) -> Result<Vec<String>, Vec<String>> {
    let tree = Tree::load(root);
    if !tree.problems.is_empty() {
        return Err(tree.problems);
    }
    let edges = tree.edges();
    let name = |i: usize| {
        let f = &tree.files[i];
        f.strip_prefix(base).unwrap_or(f).display().to_string()
    };
    Ok(cycles(tree.files.len(), &edges)
        .into_iter()
        .map(|component| {
            let mut text = format!(
                "cycle between {}:",
                component
                    .iter()
                    .map(|&i| name(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for ((from, to), via) in &edges {
                if component.contains(from) && component.contains(to) {
                    text.push_str(&format!("\n    {} → {} ({via})", name(*from), name(*to)));
                }
            }
            text
        })
        .collect())
}

/// (package, root source file) of every library, proc-macro and binary of the workspace.
fn workspace_roots() -> Vec<(String, PathBuf)> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let mut roots = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("package name");
        for target in package["targets"].as_array().expect("targets") {
            let kinds = target["kind"].as_array().expect("target kinds");
            if kinds
                .iter()
                .any(|k| matches!(k.as_str(), Some("lib" | "proc-macro" | "bin")))
            {
                let src = target["src_path"].as_str().expect("src_path");
                roots.push((name.to_string(), PathBuf::from(src)));
            }
        }
    }
    roots
}

#[test]
fn no_two_modules_import_each_other() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let roots = workspace_roots();
    assert!(roots.len() >= 10, "too few crates found: {roots:?}");
    let mut failures = Vec::new();
    for (package, root) in &roots {
        let found = match describe_cycles(root, &base) {
            Ok(found) => found,
            Err(unreadable) => {
                failures.push(format!("{package}: {}", unreadable.join("\n  ")));
                continue;
            }
        };
        let known = KNOWN_CYCLES.iter().find(|(p, _)| p == package);
        match (known, found.is_empty()) {
            (None, false) => failures.push(format!("{package}:\n  {}", found.join("\n  "))),
            (Some(_), true) => failures.push(format!(
                "{package} has no cycle any more: remove it from KNOWN_CYCLES"
            )),
            (Some((_, why)), false) => {
                eprintln!("{package} (known: {why}):\n  {}", found.join("\n  "))
            }
            (None, true) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The scanner itself, on a crate written for the purpose.
#[test]
fn the_scanner_finds_cycles_and_follows_re_exports() {
    let dir = std::env::temp_dir().join(format!("cliq-cycles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("b")).expect("scratch dir");
    let files = [
        // The root re-exports `Thing` from `c`: `a`'s use of `crate::Thing` is a dependency on
        // `c`, not on the root. `mod a;` in the root is no dependency of the root on `a`.
        (
            "lib.rs",
            "mod a; mod b; mod c; pub use c::Thing; pub fn top() { a::f(); }\n\
             #[cfg(test)] mod tests { use super::*; }",
        ),
        (
            "a.rs",
            "use crate::Thing; pub fn f() -> Thing { crate::b::g() }",
        ),
        // `b` goes back to `a` inside a macro call: a cycle a ↔ b. Its re-export of
        // `inner::h` is no dependency on `inner`, so `inner` using `super::helper` is none.
        (
            "b/mod.rs",
            "mod inner; pub use inner::h; pub(crate) fn helper() -> u8 { 1 }\n\
             pub fn g() -> crate::c::Thing { assert!(super::a::f() == crate::c::Thing); todo!() }",
        ),
        (
            "b/inner.rs",
            "pub fn h() -> u8 { let _ = quote!(crate::a::f); super::helper() }",
        ),
        ("c.rs", "pub struct Thing;"),
    ];
    for (rel, text) in files {
        std::fs::write(dir.join(rel), text).expect("write");
    }
    let found = describe_cycles(&dir.join("lib.rs"), &dir).expect("the files parse");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        found,
        vec!["cycle between a.rs, b/mod.rs:\n    a.rs → b/mod.rs (crate::b::g)\n    b/mod.rs → a.rs (super::a::f)".to_string()],
    );
}
