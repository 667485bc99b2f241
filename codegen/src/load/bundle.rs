//! Every `$ref` made one the lowering understands: `#/components/<section>/<name>`.
//!
//! A reference to anything else — a schema inside another schema, a parameter's schema, a
//! response's media type schema, a value in another file — moves the value it points at into
//! the `components` section of its kind, under a name made from its path, and every reference
//! to it (and the place it was taken from) becomes a reference to that component: one value,
//! one named type, whatever the number of references. Path items (which have no section in
//! 3.0) are copied in place of their reference, as `redocly bundle` and `swagger-cli bundle`
//! do. Other files are read through the caller's reader, relative to the file that refers to
//! them; a cycle of references across files is a cycle of components, as within one file.

use super::walk::{self, get, get_mut, pointer, visit, Kind};
use crate::error::Diagnostic;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

/// Reads a file the document refers to.
pub(crate) type Reader<'r> = dyn FnMut(&Path) -> std::io::Result<String> + Send + 'r;

/// A document with every reference resolved into it.
pub(crate) struct Bundled {
    pub doc: Value,
    /// Every file read, the root first (empty when the root was given as text).
    pub files: Vec<PathBuf>,
    pub diags: Vec<Diagnostic>,
}

/// A value in one of the files: the file's index and the pointer's unescaped tokens.
type Place = (usize, Vec<String>);

enum Rewrite {
    /// The reference becomes this one.
    To(String),
    /// The reference is replaced by (a copy of) the value at this place.
    Inline(Place),
}

struct Bundler<'r, 'f> {
    read: Option<&'f mut Reader<'r>>,
    /// (path, value); the root at 0.
    files: Vec<(Option<PathBuf>, Value)>,
    by_path: BTreeMap<PathBuf, usize>,
    /// Values moved into `components`: place → (section, name), in the order first met.
    targets: IndexMap<Place, (&'static str, String)>,
    taken: BTreeSet<(&'static str, String)>,
    rewrites: IndexMap<Place, Rewrite>,
    diags: Vec<Diagnostic>,
}

/// Resolve every reference of `root` (read from `root_path`, when there is a file) into it.
/// Without a reader, a reference to another file is an error.
pub(crate) fn bundle(
    root: Value,
    root_path: Option<&Path>,
    read: Option<&mut Reader<'_>>,
) -> Bundled {
    let root_path = root_path.map(normalize);
    let mut b = Bundler {
        read,
        by_path: root_path.iter().map(|p| (p.clone(), 0)).collect(),
        files: vec![(root_path, root)],
        targets: IndexMap::new(),
        taken: BTreeSet::new(),
        rewrites: IndexMap::new(),
        diags: Vec::new(),
    };
    let mut queue: VecDeque<(Place, Kind)> = VecDeque::from([((0, Vec::new()), Kind::Doc)]);
    let mut walked = BTreeSet::new();
    while let Some((place, kind)) = queue.pop_front() {
        if !walked.insert((place.clone(), kind)) {
            continue;
        }
        let (file, tokens) = &place;
        let Some(v) = get(&b.files[*file].1, tokens) else {
            continue;
        };
        let mut nodes = visit(v, kind, tokens);
        // Root components that are only a reference first: they name what they refer to.
        nodes.sort_by_key(|n| !(*file == 0 && n.tokens.len() == 3 && n.tokens[0] == "components"));
        let mut refs = Vec::new();
        for node in nodes {
            match node.reference {
                Some(r) => refs.push((node.tokens, node.kind, r)),
                None if node.kind == Kind::Schema => refs.extend(mapping(v, tokens, node.tokens)),
                None => {}
            }
        }
        for (at, kind, r) in refs {
            if let Some(next) = b.reference(*file, at, kind, &r) {
                queue.push_back(next);
            }
        }
    }
    b.apply()
}

impl Bundler<'_, '_> {
    /// Where a diagnostic about `tokens` of `file` points: `#/…` in the root, `file#/…` else.
    fn at(&self, file: usize, tokens: &[String]) -> String {
        match (&self.files[file].0, file) {
            (Some(path), f) if f > 0 => format!("{}{}", path.display(), pointer(tokens)),
            _ => pointer(tokens),
        }
    }

    /// Record what becomes of the reference `r` at `tokens` of `file` (a value of `kind`);
    /// the value it points at, to be walked in turn.
    fn reference(
        &mut self,
        file: usize,
        tokens: Vec<String>,
        kind: Kind,
        r: &str,
    ) -> Option<(Place, Kind)> {
        let at = self.at(file, &tokens);
        let (path, fragment) = r.split_once('#').unwrap_or((r, ""));
        let target_file = if path.is_empty() {
            file
        } else {
            match self.file(file, path, r) {
                Ok(f) => f,
                Err(message) => {
                    self.diags.push(Diagnostic::error(&at, message));
                    return None;
                }
            }
        };
        let fragment = decode(fragment);
        let target: Vec<String> = match fragment.strip_prefix('/') {
            Some(rest) => rest.split('/').map(walk::unescape).collect(),
            None if fragment.is_empty() => Vec::new(),
            None => {
                self.diags.push(Diagnostic::error(
                    &at,
                    format!("`$ref: {r}`: `#{fragment}` is not a JSON pointer (anchors are not supported)"),
                ));
                return None;
            }
        };
        let section = kind.section();
        if let ([first, sec, name], Some(section)) = (target.as_slice(), section) {
            if target_file == 0 && first == "components" && sec == section {
                // Already a component (a missing one is the lowering's to report).
                let canonical = format!("#/components/{section}/{name}");
                if canonical != r {
                    self.rewrites.insert((file, tokens), Rewrite::To(canonical));
                }
                return None;
            }
        }
        if get(&self.files[target_file].1, &target).is_none() {
            let message = format!(
                "`$ref: {r}` points at nothing (no {} in {})",
                pointer(&target),
                self.files[target_file]
                    .0
                    .as_ref()
                    .map_or("this document".to_string(), |p| p.display().to_string())
            );
            self.diags.push(Diagnostic::error(&at, message));
            return None;
        }
        let place = (target_file, target);
        let Some(section) = section else {
            self.rewrites
                .insert((file, tokens), Rewrite::Inline(place.clone()));
            return Some((place, kind));
        };
        let new = !self.targets.contains_key(&place);
        if new {
            // A root component that is only a reference takes the value under its own name.
            let name = match (file, tokens.as_slice()) {
                (0, [c, s, own]) if c == "components" && s == section => own.clone(),
                _ => self.free_name(section, &place),
            };
            self.taken.insert((section, name.clone()));
            self.targets.insert(place.clone(), (section, name));
        }
        let (_, name) = &self.targets[&place];
        self.rewrites.insert(
            (file, tokens),
            Rewrite::To(format!("#/components/{section}/{name}")),
        );
        new.then_some((place, kind))
    }

    /// The index of the file `path` names, relative to the file `from`, read on first use.
    fn file(&mut self, from: usize, path: &str, r: &str) -> Result<usize, String> {
        if path.contains("://") || path.starts_with("//") {
            return Err(format!("`$ref: {r}` is a remote reference, which is not fetched: download the file and refer to it by a relative path"));
        }
        let Some(read) = self.read.as_mut() else {
            return Err(format!("`$ref: {r}` refers to another file: read the document with `cliq_codegen::load` (or `--spec` the root file), which follows references to other files"));
        };
        let base = self.files[from]
            .0
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let full = normalize(&base.join(decode(path)));
        if let Some(&i) = self.by_path.get(&full) {
            return Ok(i);
        }
        let text =
            read(&full).map_err(|e| format!("`$ref: {r}`: cannot read {}: {e}", full.display()))?;
        let value = walk::parse_value(&text)
            .map_err(|e| format!("`$ref: {r}`: {} is not YAML or JSON: {e}", full.display()))?;
        self.files.push((Some(full.clone()), value));
        self.by_path.insert(full, self.files.len() - 1);
        Ok(self.files.len() - 1)
    }

    /// A component name for the value at `place`, from its path (or its file's name), not
    /// yet used in `section`.
    fn free_name(&self, section: &'static str, place: &Place) -> String {
        let (file, tokens) = place;
        let stem = self.files[*file]
            .0
            .as_deref()
            .and_then(Path::file_stem)
            .and_then(|s| s.to_str());
        let base = name_from_path(tokens, *file > 0)
            .or_else(|| stem.map(str::to_string))
            .unwrap_or_else(|| "Root".to_string());
        let existing = self.files[0]
            .1
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(Value::as_object);
        let used = |n: &str| {
            existing.is_some_and(|m| m.contains_key(n))
                || self.taken.contains(&(section, n.to_string()))
        };
        if !used(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| !used(n))
            .unwrap_or(base)
    }

    fn apply(mut self) -> Bundled {
        // 1. References, in their files as read (nothing has moved yet).
        let mut inline = Vec::new();
        for ((file, tokens), rewrite) in &self.rewrites {
            match rewrite {
                Rewrite::To(r) => match get_mut(&mut self.files[*file].1, tokens) {
                    Some(Value::Object(obj)) => {
                        obj.insert("$ref".into(), Value::from(r.as_str()));
                    }
                    // A discriminator's mapping value.
                    Some(slot @ Value::String(_)) => *slot = Value::from(r.as_str()),
                    _ => {}
                },
                Rewrite::Inline(place) => inline.push(((*file, tokens.clone()), place.clone())),
            }
        }
        // 2. Copies in place of path item references; the last met first, so a copy of a
        // copy holds the copy.
        for ((file, tokens), (tf, tt)) in inline.into_iter().rev() {
            let Some(value) = get(&self.files[tf].1, &tt).cloned() else {
                continue;
            };
            if let Some(slot) = get_mut(&mut self.files[file].1, &tokens) {
                *slot = value;
            }
        }
        // 3. Values taken into components, the deepest first: a value inside another is a
        // reference in it by the time the outer one is taken.
        let mut order: Vec<&Place> = self.targets.keys().collect();
        order.sort_by_key(|(_, tokens)| std::cmp::Reverse(tokens.len()));
        let mut taken: BTreeMap<&Place, Value> = BTreeMap::new();
        for place in order {
            let (section, name) = &self.targets[place];
            let reference = serde_json::json!({ "$ref": format!("#/components/{section}/{name}") });
            if let Some(slot) = get_mut(&mut self.files[place.0].1, &place.1) {
                taken.insert(place, std::mem::replace(slot, reference));
            }
        }
        // 4. Into the root's components, in the order first met.
        let mut doc = std::mem::take(&mut self.files[0].1);
        if let Value::Object(root) = &mut doc {
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(components) = components {
                for (place, (section, name)) in &self.targets {
                    let Some(value) = taken.remove(place) else {
                        continue;
                    };
                    if let Value::Object(s) = components
                        .entry(*section)
                        .or_insert_with(|| Value::Object(Map::new()))
                    {
                        s.insert(name.clone(), value);
                    }
                }
            }
        }
        Bundled {
            doc,
            files: self.files.into_iter().filter_map(|(p, _)| p).collect(),
            diags: self.diags,
        }
    }
}

/// The references among the `discriminator.mapping` values of the schema at `tokens` (`v` is
/// the value at `base`): each a reference to a schema, where it is. A bare schema name (`Dog`,
/// meaning `#/components/schemas/Dog`) is left as it is.
fn mapping(v: &Value, base: &[String], tokens: Vec<String>) -> Vec<(Vec<String>, Kind, String)> {
    let Some(Value::Object(map)) = get(v, &tokens[base.len()..])
        .and_then(|s| s.get("discriminator"))
        .and_then(|d| d.get("mapping"))
    else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(tag, to)| {
            let to = to.as_str()?;
            let at = [
                tokens.as_slice(),
                &["discriminator".into(), "mapping".into(), tag.clone()],
            ]
            .concat();
            (to.contains(['#', '/', '.'])).then(|| (at, Kind::Schema, to.to_string()))
        })
        .collect()
}

/// A component name from a pointer's tokens: a definition's own name (`…/schemas/Pet`,
/// `…/$defs/Pet`; in another file, any `…/schemas/Pet`), else the words of its path without the structural keywords
/// (`/paths/~1pets/get/…/schema` → `pets_get_responses_200`). `None` for a whole file.
fn name_from_path(tokens: &[String], other_file: bool) -> Option<String> {
    if let [.., holder, name] = tokens {
        let defines = matches!(holder.as_str(), "$defs" | "definitions")
            || (tokens.len() == 3 && tokens[0] == "components")
            || (other_file
                && matches!(
                    holder.as_str(),
                    "schemas"
                        | "parameters"
                        | "responses"
                        | "headers"
                        | "requestBodies"
                        | "callbacks"
                ));
        if defines {
            return Some(name.clone());
        }
    }
    let mut words = Vec::new();
    let mut skip_next = false;
    for (i, t) in tokens.iter().enumerate() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        match t.as_str() {
            "content" => skip_next = true,
            "components" | "paths" | "webhooks" | "properties" | "schema" => {}
            _ if i == 1 && tokens[0] == "components" => {}
            _ => words.push(t.trim_matches('/').to_string()),
        }
    }
    (!words.is_empty()).then(|| words.join("_"))
}

/// Percent-decoding of a reference (`%20` → space); invalid UTF-8 is replaced.
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `a/./b/../c` → `a/c`, without asking the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
