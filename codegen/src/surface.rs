//! The public surface of a generated crate, and what changed in it between two spec versions.
//!
//! [`ModuleSurface::of`] reads a [`Model`] into the parts of the generated code a user's code
//! can name: operations (keyed by the spec's `operationId`, so a renamed method is a rename,
//! not a removal and an addition), their parameters, body and response types, documented error
//! codes, and every named type with its fields, enum values or alternatives. A [`Surface`] is
//! the surface of a whole crate, a [`ModuleSurface`] per module; it serializes to a
//! deterministic JSON document (`BTreeMap`s only, sorted), which the workspace keeps as
//! `generated/api-surface.json` so the next spec update is compared model to model, with no
//! version control involved.
//!
//! [`diff`] lists the [`Change`]s from an old surface to a new one, each marked breaking or
//! not by Rust's semver rules for the generated code (a struct field added breaks struct
//! literals; an enum value added breaks exhaustive `match`es), and [`Changelog`] says which
//! version bump they imply and renders the Markdown entry. Nothing here does IO: `cargo xtask
//! codegen` and a `build.rs` alike pass text in and get text out.
//!
//! ```
//! use cliq_codegen::surface::{diff, Changelog, Surface};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let spec = |extra: &str| format!(
//!     "openapi: 3.0.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'204': {{description: ok}}}}\n{extra}"
//! );
//! let surface = |text: &str| -> Result<Surface, cliq_codegen::Error> {
//!     let doc = cliq_codegen::parse_spec(text)?;
//!     let generated = cliq_codegen::generate(&doc, &cliq_codegen::Settings::default())?;
//!     Ok(Surface::single("api", generated.surface))
//! };
//! let old = surface(&spec(""))?;
//! let new = surface(&spec("  /b:\n    get:\n      operationId: getB\n      responses: {'204': {description: ok}}\n"))?;
//! let log = Changelog::new(diff(&old, &new));
//! assert!(!log.is_breaking());
//! assert_eq!(log.bump_from("0.2.0").as_deref(), Some("0.2.1"));
//! assert!(log.markdown("0.2.0").contains("operation `getB` added: method `get_b`"));
//! # Ok(()) }
//! ```

use crate::model::{Model, Response, TypeKind, TypeRef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Version of the JSON layout of [`Surface`]; a file of another version is not compared.
pub const FORMAT: u32 = 1;

/// The public surface of a generated crate: one [`ModuleSurface`] per module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// [`FORMAT`].
    pub format: u32,
    /// Module name (the spec's file stem, `bots`) → its surface.
    pub modules: BTreeMap<String, ModuleSurface>,
}

/// The surface of one module (one spec).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleSurface {
    /// `info.version` of the spec.
    pub api_version: String,
    /// `operationId` → the operation.
    pub operations: BTreeMap<String, OperationSurface>,
    /// Rust name → the type.
    pub types: BTreeMap<String, TypeSurface>,
}

/// What a caller of one operation names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// The client's method.
    pub method_name: String,
    /// `GET`, `POST`, …
    pub http_method: String,
    /// The path template.
    pub path: String,
    /// Path parameters, positional: their Rust types in order.
    pub path_params: Vec<String>,
    /// The `<Op>Params` struct's fields (query, header and cookie parameters): Rust name →
    /// field.
    pub params: BTreeMap<String, FieldSurface>,
    /// The request body's Rust type and whether it is required.
    pub body: Option<FieldSurface>,
    /// The success type (`()` when there is no body).
    pub response: String,
    /// Documented error codes (wire values).
    pub error_codes: BTreeSet<String>,
    /// OAuth scopes.
    pub scopes: BTreeSet<String>,
    /// The `*_stream` method of a paginated operation.
    pub stream: Option<String>,
}

/// A struct field, parameter or body: its Rust type (without the `Option` of a non-required
/// one) and whether it is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    /// Rust type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Required (`T`, not `Option<T>`).
    pub required: bool,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeSurface {
    /// A struct (also a `multipart/form-data` form): field Rust name → field.
    Struct {
        /// Fields.
        fields: BTreeMap<String, FieldSurface>,
    },
    /// A string enum: wire value → Rust variant.
    Enum {
        /// Values.
        values: BTreeMap<String, String>,
    },
    /// A `oneOf`/`anyOf`: variant → Rust type.
    OneOf {
        /// Alternatives.
        variants: BTreeMap<String, String>,
    },
    /// `pub type Name = T;`
    Alias {
        /// Target Rust type.
        target: String,
    },
}

impl TypeSurface {
    fn kind(&self) -> &'static str {
        match self {
            TypeSurface::Struct { .. } => "struct",
            TypeSurface::Enum { .. } => "enum",
            TypeSurface::OneOf { .. } => "one-of enum",
            TypeSurface::Alias { .. } => "type alias",
        }
    }
}

impl ModuleSurface {
    /// The surface of a lowered model.
    pub fn of(model: &Model) -> ModuleSurface {
        let operations = model
            .operations
            .iter()
            .map(|op| {
                let field = |ty: &TypeRef, custom: Option<&String>, required: bool| FieldSurface {
                    ty: custom.cloned().unwrap_or_else(|| rust_type(ty)),
                    required,
                };
                let surface = OperationSurface {
                    method_name: op.fn_name.clone(),
                    http_method: format!("{:?}", op.method).to_uppercase(),
                    path: op.path.clone(),
                    path_params: op
                        .path_params
                        .iter()
                        .map(|p| field(&p.ty, p.custom.as_ref(), true).ty)
                        .collect(),
                    params: op
                        .query
                        .iter()
                        .map(|p| {
                            let f = field(&p.ty, p.custom.as_ref(), p.required);
                            (p.rust_name.clone(), f)
                        })
                        .collect(),
                    body: op.body.as_ref().map(|b| field(&b.ty, None, b.required)),
                    response: match &op.response {
                        Response::Single(Some(t)) => rust_type(t),
                        Response::Single(None) => "()".into(),
                        Response::ByStatus { name, .. } => name.clone(),
                    },
                    error_codes: op.error_codes.iter().map(|(_, e)| e.code.clone()).collect(),
                    scopes: op.scopes.iter().cloned().collect(),
                    stream: op.pagination.as_ref().map(|p| p.stream_fn.clone()),
                };
                (op.operation_id.clone(), surface)
            })
            .collect();
        let fields = |fields: &[crate::model::Field]| {
            fields
                .iter()
                .map(|f| {
                    let ty = if f.flatten {
                        format!("{} (flattened)", rust_type(&f.ty))
                    } else {
                        rust_type(&f.ty)
                    };
                    let required = f.required || f.flatten;
                    (f.rust_name.clone(), FieldSurface { ty, required })
                })
                .collect()
        };
        let types = model
            .types
            .iter()
            .map(|t| {
                let surface = match &t.kind {
                    TypeKind::Struct { fields: fs, .. } | TypeKind::Multipart { fields: fs } => {
                        TypeSurface::Struct { fields: fields(fs) }
                    }
                    TypeKind::Enum { variants } => TypeSurface::Enum {
                        values: variants
                            .iter()
                            .map(|v| (v.wire.clone(), v.rust_name.clone()))
                            .collect(),
                    },
                    TypeKind::OneOf { variants, .. } => TypeSurface::OneOf {
                        variants: variants
                            .iter()
                            .map(|(n, t)| (n.clone(), rust_type(t)))
                            .collect(),
                    },
                    // A tuple struct's fields are `.0`, `.1`, …, the rest last.
                    TypeKind::Tuple { elements, rest } => TypeSurface::Struct {
                        fields: elements
                            .iter()
                            .chain(rest.as_ref())
                            .enumerate()
                            .map(|(i, t)| {
                                let ty = if i >= elements.len() {
                                    rust_type(&TypeRef::Vec(Box::new(t.clone())))
                                } else {
                                    rust_type(t)
                                };
                                let field = FieldSurface { ty, required: true };
                                (i.to_string(), field)
                            })
                            .collect(),
                    },
                    TypeKind::Alias(target) => TypeSurface::Alias {
                        target: rust_type(target),
                    },
                };
                (t.name.clone(), surface)
            })
            .collect();
        ModuleSurface {
            api_version: model.version.clone(),
            operations,
            types,
        }
    }
}

impl Surface {
    /// A surface of one module.
    pub fn single(module: &str, surface: ModuleSurface) -> Surface {
        Surface {
            format: FORMAT,
            modules: BTreeMap::from([(module.to_string(), surface)]),
        }
    }

    /// The JSON document: sorted, pretty, its first line saying it is generated by `command`.
    pub fn to_json(&self, command: &str) -> String {
        // A `Surface` holds strings, numbers and maps with string keys: it always serializes.
        let body = serde_json::to_string_pretty(self).unwrap_or_default();
        let note = serde_json::Value::from(format!(
            "Generated by `{command}`; do not edit by hand. The public surface of the crate, \
             compared with the next spec to write CHANGELOG.md."
        ));
        // `{"//": note,` then the rest of the object.
        match body.strip_prefix('{') {
            Some(rest) => format!("{{\"//\": {note},{rest}\n"),
            None => format!("{body}\n"),
        }
    }

    /// Reads a document written by [`Surface::to_json`].
    pub fn from_json(text: &str) -> Result<Surface, String> {
        let surface: Surface = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if surface.format != FORMAT {
            return Err(format!(
                "format {} (this generator reads format {FORMAT})",
                surface.format
            ));
        }
        Ok(surface)
    }
}

/// The Rust type a [`TypeRef`] becomes, as the user reads it.
fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String | TypeRef::Text => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Int(t) => (*t).into(),
        TypeRef::Float => "f64".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(t) => format!("Vec<{}>", rust_type(t)),
        TypeRef::Map(t) if **t == TypeRef::Json => "serde_json::Map<String, Value>".into(),
        TypeRef::Map(t) => format!("BTreeMap<String, {}>", rust_type(t)),
        TypeRef::Boxed(t) => format!("Box<{}>", rust_type(t)),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Nullable(t) => format!("Option<{}>", rust_type(t)),
        TypeRef::File => "FilePart".into(),
        TypeRef::External(path) => path.trim_start_matches("::").into(),
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// New.
    Added,
    /// Gone.
    Removed,
    /// Still there, different.
    Changed,
}

/// One change of the public surface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Breaking for code written against the old surface.
    pub breaking: bool,
    /// The module it is in.
    pub module: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// What and how, in Markdown: ``field `Bot.name` removed``.
    pub text: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.breaking {
            "breaking"
        } else {
            "compatible"
        };
        write!(f, "[{mark}] {}: {}", self.module, self.text)
    }
}

/// Every change from `old` to `new`: breaking ones first, then by module, kind and text.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Changes::default();
    for (name, module) in &old.modules {
        match new.modules.get(name) {
            None => out.push(
                name,
                ChangeKind::Removed,
                true,
                format!("module `{name}` removed"),
            ),
            Some(new_module) => diff_module(&mut out, name, module, new_module),
        }
    }
    for name in new.modules.keys() {
        if !old.modules.contains_key(name) {
            out.push(
                name,
                ChangeKind::Added,
                false,
                format!("module `{name}` added"),
            );
        }
    }
    let mut changes = out.0;
    changes.sort_by(|a, b| {
        (!a.breaking, &a.module, a.kind, &a.text).cmp(&(!b.breaking, &b.module, b.kind, &b.text))
    });
    changes
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, module: &str, kind: ChangeKind, breaking: bool, text: String) {
        self.0.push(Change {
            breaking,
            module: module.to_string(),
            kind,
            text,
        });
    }
}

/// Added and removed entries of two maps, and the pairs present in both.
struct Keyed<'a, K, V> {
    added: Vec<(&'a K, &'a V)>,
    removed: Vec<(&'a K, &'a V)>,
    both: Vec<(&'a K, &'a V, &'a V)>,
}

fn keyed<'a, K: Ord, V>(old: &'a BTreeMap<K, V>, new: &'a BTreeMap<K, V>) -> Keyed<'a, K, V> {
    Keyed {
        removed: old.iter().filter(|(k, _)| !new.contains_key(k)).collect(),
        added: new.iter().filter(|(k, _)| !old.contains_key(k)).collect(),
        both: old
            .iter()
            .filter_map(|(k, o)| new.get(k).map(|n| (k, o, n)))
            .collect(),
    }
}

fn diff_module(out: &mut Changes, m: &str, old: &ModuleSurface, new: &ModuleSurface) {
    use ChangeKind::*;
    if old.api_version != new.api_version {
        out.push(
            m,
            Changed,
            false,
            format!("API version `{}` → `{}`", old.api_version, new.api_version),
        );
    }
    let Keyed {
        added,
        removed,
        both,
    } = keyed(&old.operations, &new.operations);
    for (id, op) in added {
        out.push(
            m,
            Added,
            false,
            format!(
                "operation `{id}` added: method `{}` ({} `{}`)",
                op.method_name, op.http_method, op.path
            ),
        );
    }
    for (id, op) in removed {
        out.push(
            m,
            Removed,
            true,
            format!(
                "operation `{id}` removed: method `{}` is gone",
                op.method_name
            ),
        );
    }
    for (id, o, n) in both {
        diff_operation(out, m, id, o, n);
    }
    let Keyed {
        added,
        removed,
        both,
    } = keyed(&old.types, &new.types);
    for (name, t) in added {
        out.push(
            m,
            Added,
            false,
            format!("type `{name}` added ({})", t.kind()),
        );
    }
    for (name, t) in removed {
        out.push(
            m,
            Removed,
            true,
            format!("type `{name}` removed ({})", t.kind()),
        );
    }
    for (name, o, n) in both {
        diff_type(out, m, name, o, n);
    }
}

fn diff_operation(
    out: &mut Changes,
    m: &str,
    id: &str,
    old: &OperationSurface,
    new: &OperationSurface,
) {
    use ChangeKind::*;
    let method = &new.method_name;
    if old.method_name != new.method_name {
        out.push(
            m,
            Changed,
            true,
            format!(
                "operation `{id}`: method `{}` renamed to `{method}`",
                old.method_name
            ),
        );
    }
    if (&old.http_method, &old.path) != (&new.http_method, &new.path) {
        out.push(
            m,
            Changed,
            false,
            format!(
                "`{method}` now sends {} `{}` (was {} `{}`)",
                new.http_method, new.path, old.http_method, old.path
            ),
        );
    }
    if old.path_params != new.path_params {
        out.push(
            m,
            Changed,
            true,
            format!(
                "`{method}` path parameters ({}) → ({})",
                old.path_params.join(", "),
                new.path_params.join(", ")
            ),
        );
    }
    let label = |name: &str| format!("`{method}` parameter `{name}`");
    diff_fields(out, m, &label, &old.params, &new.params, true);
    match (&old.body, &new.body) {
        (None, None) => {}
        (Some(_), None) => out.push(m, Removed, true, format!("`{method}` takes no body now")),
        (None, Some(b)) => out.push(
            m,
            Added,
            true,
            format!("`{method}` takes a body now (`{}`)", b.ty),
        ),
        (Some(o), Some(n)) if o != n => out.push(
            m,
            Changed,
            true,
            format!("`{method}` body {} → {}", o.describe(), n.describe()),
        ),
        _ => {}
    }
    if old.response != new.response {
        out.push(
            m,
            Changed,
            true,
            format!(
                "`{method}` returns `{}` (was `{}`)",
                new.response, old.response
            ),
        );
    }
    for code in new.error_codes.difference(&old.error_codes) {
        // A new variant of the operation's error code enum: exhaustive matches break.
        out.push(
            m,
            Added,
            true,
            format!("`{method}` error code `{code}` added"),
        );
    }
    for code in old.error_codes.difference(&new.error_codes) {
        out.push(
            m,
            Removed,
            true,
            format!("`{method}` error code `{code}` removed"),
        );
    }
    if old.scopes != new.scopes {
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
        out.push(
            m,
            Changed,
            false,
            format!(
                "`{method}` OAuth scopes ({}) → ({})",
                list(&old.scopes),
                list(&new.scopes)
            ),
        );
    }
    match (&old.stream, &new.stream) {
        (None, Some(s)) => out.push(
            m,
            Added,
            false,
            format!("`{method}` is paginated: `{s}` added"),
        ),
        (Some(s), None) => out.push(m, Removed, true, format!("`{s}` removed")),
        (Some(o), Some(n)) if o != n => {
            out.push(m, Changed, true, format!("`{o}` renamed to `{n}`"))
        }
        _ => {}
    }
}

impl FieldSurface {
    fn describe(&self) -> String {
        if self.required {
            format!("`{}`", self.ty)
        } else {
            format!("`Option<{}>`", self.ty)
        }
    }
}

/// Fields (or parameters) of one struct; `label` names one (``field `Bot.name` ``). Every
/// change breaks struct literals or field reads, except an optional parameter added to a
/// params struct (`params`), which callers build with `..Default::default()`.
fn diff_fields(
    out: &mut Changes,
    m: &str,
    label: &dyn Fn(&str) -> String,
    old: &BTreeMap<String, FieldSurface>,
    new: &BTreeMap<String, FieldSurface>,
    params: bool,
) {
    use ChangeKind::*;
    let Keyed {
        added,
        removed,
        both,
    } = keyed(old, new);
    for (name, f) in added {
        let required = if f.required { "required" } else { "optional" };
        // A params struct is built with `..Default::default()`; a model struct literal names
        // every field, so a new field breaks it.
        let breaking = !params || f.required;
        let why = if params {
            ""
        } else {
            "; struct literals must name it"
        };
        out.push(
            m,
            Added,
            breaking,
            format!("{} added ({required}, `{}`{why})", label(name), f.ty),
        );
    }
    for (name, _) in removed {
        out.push(m, Removed, true, format!("{} removed", label(name)));
    }
    for (name, o, n) in both {
        let text = match (o.required, n.required) {
            (false, true) if o.ty == n.ty => {
                format!(
                    "{} is required now (`{}`, was `Option<{}>`)",
                    label(name),
                    n.ty,
                    o.ty
                )
            }
            (true, false) if o.ty == n.ty => {
                format!(
                    "{} is optional now (`Option<{}>`, was `{}`)",
                    label(name),
                    n.ty,
                    o.ty
                )
            }
            _ if o != n => format!("{} type {} → {}", label(name), o.describe(), n.describe()),
            _ => continue,
        };
        out.push(m, Changed, true, text);
    }
}

fn diff_type(out: &mut Changes, m: &str, name: &str, old: &TypeSurface, new: &TypeSurface) {
    use ChangeKind::*;
    match (old, new) {
        (TypeSurface::Struct { fields: o }, TypeSurface::Struct { fields: n }) => {
            let label = |field: &str| format!("field `{name}.{field}`");
            diff_fields(out, m, &label, o, n, false)
        }
        (TypeSurface::Enum { values: o }, TypeSurface::Enum { values: n }) => {
            let Keyed {
                added,
                removed,
                both,
            } = keyed(o, n);
            for (wire, rust) in added {
                // Exhaustive matches on the enum break; the value read as `Unknown` before.
                out.push(
                    m,
                    Added,
                    true,
                    format!(
                        "enum `{name}` value `{wire}` added (`{name}::{rust}`, read as \
                         `{name}::Unknown` before; exhaustive `match`es must handle it)"
                    ),
                );
            }
            for (wire, rust) in removed {
                out.push(
                    m,
                    Removed,
                    true,
                    format!("enum `{name}` value `{wire}` removed (`{name}::{rust}`)"),
                );
            }
            for (wire, o, n) in both {
                if o != n {
                    out.push(
                        m,
                        Changed,
                        true,
                        format!(
                            "enum `{name}` value `{wire}`: `{name}::{o}` renamed to `{name}::{n}`"
                        ),
                    );
                }
            }
        }
        (TypeSurface::OneOf { variants: o }, TypeSurface::OneOf { variants: n }) => {
            let Keyed {
                added,
                removed,
                both,
            } = keyed(o, n);
            for (v, t) in added {
                out.push(
                    m,
                    Added,
                    true,
                    format!("`{name}` alternative `{v}` added (`{t}`)"),
                );
            }
            for (v, _) in removed {
                out.push(
                    m,
                    Removed,
                    true,
                    format!("`{name}` alternative `{v}` removed"),
                );
            }
            for (v, o, n) in both {
                if o != n {
                    out.push(
                        m,
                        Changed,
                        true,
                        format!("`{name}` alternative `{v}` type `{o}` → `{n}`"),
                    );
                }
            }
        }
        (TypeSurface::Alias { target: o }, TypeSurface::Alias { target: n }) => {
            if o != n {
                out.push(m, Changed, true, format!("type `{name}` = `{o}` → `{n}`"));
            }
        }
        (o, n) => out.push(
            m,
            Changed,
            true,
            format!("type `{name}` is a {} now (was a {})", n.kind(), o.kind()),
        ),
    }
}

/// The version bump a list of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing a user can see changed.
    None,
    /// Compatible changes (additions) before 1.0, fixes after.
    Patch,
    /// Breaking changes before 1.0, additions after.
    Minor,
    /// Breaking changes from 1.0 on.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// The changes of one spec update, ready to print or to write to a changelog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changelog {
    /// Breaking first.
    pub changes: Vec<Change>,
}

impl Changelog {
    /// The changelog of `changes` (as [`diff`] returns them).
    pub fn new(changes: Vec<Change>) -> Changelog {
        Changelog { changes }
    }

    /// No change a user can see.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Any breaking change.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// The bump Cargo's semver rules ask for, from a crate at `version`: before 1.0 a
    /// breaking change bumps the minor version and anything else the patch version; from 1.0
    /// on breaking → major, additions → minor, other changes → patch.
    pub fn bump(&self, version: &str) -> Bump {
        let pre_1 = parse_version(version).is_none_or(|(major, _, _)| major == 0);
        let added = self.changes.iter().any(|c| c.kind == ChangeKind::Added);
        match (self.is_empty(), self.is_breaking(), pre_1) {
            (true, _, _) => Bump::None,
            (_, true, true) => Bump::Minor,
            (_, true, false) => Bump::Major,
            (_, false, true) => Bump::Patch,
            (_, false, false) if added => Bump::Minor,
            _ => Bump::Patch,
        }
    }

    /// The version after [`Changelog::bump`] from `version`, when it is `MAJOR.MINOR.PATCH`
    /// and something changed.
    pub fn bump_from(&self, version: &str) -> Option<String> {
        let (major, minor, patch) = parse_version(version)?;
        Some(match self.bump(version) {
            Bump::None => return None,
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        })
    }

    /// The summary line: `breaking: minor bump (0.2.0 → 0.3.0)`.
    pub fn summary(&self, version: &str) -> String {
        let bump = self.bump(version);
        let nature = if self.is_breaking() {
            "breaking"
        } else {
            "compatible"
        };
        match self.bump_from(version) {
            Some(next) => format!("{nature}: {bump} version bump ({version} → {next})"),
            None if bump == Bump::None => "no change to the public surface".into(),
            None => format!("{nature}: {bump} version bump"),
        }
    }

    /// The changelog entry of a spec update of a crate at `version`: a `## ` title, then
    /// [`Changelog::markdown`].
    pub fn entry(&self, version: &str) -> String {
        format!(
            "## Spec update after {version}\n\n{}",
            self.markdown(version)
        )
    }

    /// The Markdown entry for a crate at `version`: the summary, then the breaking changes
    /// and the compatible ones, one item each.
    pub fn markdown(&self, version: &str) -> String {
        let mut s = format!("{}\n", self.summary(version));
        for (title, breaking) in [("Breaking", true), ("Compatible", false)] {
            let items: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if items.is_empty() {
                continue;
            }
            s.push_str(&format!("\n### {title}\n\n"));
            for c in items {
                s.push_str(&format!("- `{}`: {}\n", c.module, c.text));
            }
        }
        s
    }
}

/// `MAJOR.MINOR.PATCH` of a version, ignoring pre-release and build metadata.
fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// The changelog file with `entry` (a title and [`Changelog::markdown`]) on top of the entries
/// of `existing` (the file as it was, if any); `header` is the file's generated first line and
/// introduction, kept above every entry.
pub fn prepend_entry(header: &str, existing: Option<&str>, entry: Option<&str>) -> String {
    // The entries of the existing file: everything from its first `## ` heading.
    let old_entries = existing
        .and_then(|text| {
            if text.starts_with("## ") {
                Some(text)
            } else {
                text.find("\n## ").map(|at| &text[at + 1..])
            }
        })
        .unwrap_or("");
    let mut s = header.trim_end().to_string();
    s.push_str("\n\n");
    if let Some(entry) = entry {
        s.push_str(entry.trim_end());
        s.push_str("\n\n");
    }
    s.push_str(old_entries);
    let mut s = s.trim_end().to_string();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(breaking: bool, kind: ChangeKind) -> Changelog {
        Changelog::new(vec![Change {
            breaking,
            module: "m".into(),
            kind,
            text: "x".into(),
        }])
    }

    #[test]
    fn bumps_follow_cargo_semver() {
        assert_eq!(log(true, ChangeKind::Removed).bump("0.2.0"), Bump::Minor);
        assert_eq!(log(false, ChangeKind::Added).bump("0.2.0"), Bump::Patch);
        assert_eq!(log(true, ChangeKind::Removed).bump("1.4.2"), Bump::Major);
        assert_eq!(log(false, ChangeKind::Added).bump("1.4.2"), Bump::Minor);
        assert_eq!(log(false, ChangeKind::Changed).bump("1.4.2"), Bump::Patch);
        assert_eq!(Changelog::new(vec![]).bump("0.2.0"), Bump::None);
        assert_eq!(
            log(true, ChangeKind::Changed)
                .bump_from("0.2.3-alpha.1")
                .as_deref(),
            Some("0.3.0")
        );
        assert_eq!(log(true, ChangeKind::Changed).bump_from("1.2"), None);
    }

    #[test]
    fn entries_go_on_top_and_old_ones_stay() {
        let header = "<!-- generated -->\n# Changes\n\nIntro.\n";
        let first = prepend_entry(header, None, Some("## one\n\n- a\n"));
        assert_eq!(
            first,
            "<!-- generated -->\n# Changes\n\nIntro.\n\n## one\n\n- a\n"
        );
        let second = prepend_entry(header, Some(&first), Some("## two\n\n- b\n"));
        assert_eq!(
            second,
            "<!-- generated -->\n# Changes\n\nIntro.\n\n## two\n\n- b\n\n## one\n\n- a\n"
        );
        assert_eq!(prepend_entry(header, Some(&second), None), second);
    }

    #[test]
    fn the_json_says_it_is_generated_and_reads_back() {
        let s = Surface::single("bots", ModuleSurface::default());
        let json = s.to_json("cargo xtask codegen");
        assert!(json
            .lines()
            .next()
            .is_some_and(|l| l.contains("do not edit")));
        assert_eq!(Surface::from_json(&json), Ok(s));
        assert!(Surface::from_json("{\"format\": 99, \"modules\": {}}").is_err());
    }
}
