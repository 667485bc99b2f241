//! Several documents → one crate: a module and a Cargo feature per document, the schemas they
//! define identically as one shared type, one `Client` reaching every enabled module.
//!
//! Layout of the files ([`Modules::files`], relative to the crate's `src/`):
//!
//! - `<module>/mod.rs`, `<module>/{types,errors,operations,client}.rs`: what [`crate::generate`]
//!   makes for that document alone, as a module behind `#[cfg(feature = "<module>")]`;
//! - `shared.rs`: every type two or more modules define with the same name and the same
//!   definition (its fields, their types and docs, the types those refer to, recursively),
//!   once, compiled when any module using it is; the modules re-export it from their `types`
//!   (`bots::types::NoResponse` and `chats::types::NoResponse` are then the same type). Types
//!   with one name and different definitions stay in their modules, told apart by the module
//!   path (`messages::types::X` vs `threads::types::X`);
//! - `lib.rs`: the crate root: docs with a table of the modules, the crate-wide attributes,
//!   `pub use <runtime> as runtime`, the modules, and `Client`, whose accessors
//!   (`client.bots()`, `client.chats()`, …) hand out each module's client.

use crate::model::{Model, TypeDef, TypeKind, TypeRef};
use crate::naming::ident;
use crate::{emit, format_file, lower_checked, no_unwind, Error, Generated, Layout, Settings};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// One document of a crate of several.
#[derive(Debug, Clone)]
pub struct ModuleSpec<'a> {
    /// The Rust module's name and the Cargo feature's (a lowercase identifier: `bots`).
    pub name: String,
    /// The parsed document.
    pub doc: &'a openapiv3::OpenAPI,
    /// The document as named in the "generated, do not edit" lines (`spec/bots.yaml`).
    pub source: String,
}

/// A crate of several modules, generated.
#[derive(Debug, Clone)]
pub struct Modules {
    /// `src/`-relative file name → formatted Rust source (`lib.rs`, `shared.rs`,
    /// `bots/mod.rs`, `bots/types.rs`, …).
    pub files: BTreeMap<String, String>,
    /// Each module's name and its own output (its files, relative to its directory; its
    /// rules, warnings, examples and operation count), in the order given.
    pub modules: Vec<(String, Generated)>,
    /// The shared types: name → the modules (features) that use it.
    pub shared: BTreeMap<String, Vec<String>>,
    /// The generated-file header, for [`Modules::single_file`].
    header: String,
    /// Each module's lowered model, for [`Modules::conformance_table`].
    models: Vec<(String, Model)>,
}

impl Modules {
    /// A test-only table calling every operation of every module from JSON inputs, for a
    /// conformance test against a mock server: `OPERATIONS` (each operation's module, metadata
    /// and a call that deserializes `Inputs` into the operation's generated argument types and
    /// calls the generated method on a runtime client) with `Inputs` and `Outcome`. `krate` is
    /// the path of the generated crate where the table is compiled (`::cliq_api`); the
    /// including crate must enable every module's feature.
    pub fn conformance_table(&self, krate: &str) -> Result<String, Error> {
        let path = syn::parse_str::<syn::Path>(krate)
            .map_err(|e| Error::Settings(format!("crate path `{krate}`: {e}")))?;
        let models: Vec<(&str, &Model)> = self
            .models
            .iter()
            .map(|(name, model)| (name.as_str(), model))
            .collect();
        let items = emit::conformance::emit(&models, &quote!(#path));
        format_file(
            &self.header,
            "conformance table",
            quote! {
                //! Every operation of every module of the generated crate, callable from JSON inputs
                //! through the generated client (`OPERATIONS`), for the conformance test.
                #items
            },
        )
    }

    /// Every file in one, for `include!` from a build script's output: each `mod m;` of
    /// `lib.rs` and of the modules replaced by its file's items, inline. The crate root's
    /// inner attributes (its docs, `#![deny(missing_docs)]`, `#![recursion_limit]`) are left
    /// out: an included file cannot carry them; the including crate sets its own.
    pub fn single_file(&self) -> String {
        let inlined = (|| -> Result<Vec<syn::Item>, syn::Error> {
            let root = syn::parse_file(self.files.get("lib.rs").map_or("", String::as_str))?;
            self.inline("", root.items)
        })();
        let items = match inlined {
            Ok(items) => quote!(#(#items)*),
            Err(e) => {
                let msg = format!("cliq-codegen: generated files did not re-parse: {e}");
                quote!(compile_error!(#msg);)
            }
        };
        format_file(&self.header, "single file", items)
            .unwrap_or_else(|e| format!("{}compile_error!({:?});\n", self.header, e.to_string()))
    }

    /// `items` of the file in directory `dir` (`""` or `"bots/"`), each `mod m;` replaced by
    /// `mod m { … }` with the items of `dir/m/mod.rs` or `dir/m.rs`.
    fn inline(&self, dir: &str, items: Vec<syn::Item>) -> Result<Vec<syn::Item>, syn::Error> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let syn::Item::Mod(mut m) = item else {
                out.push(item);
                continue;
            };
            if m.content.is_none() {
                let name = m.ident.to_string();
                let (file, sub) = match self.files.get(&format!("{dir}{name}/mod.rs")) {
                    Some(text) => (text, format!("{dir}{name}/")),
                    None => (
                        self.files.get(&format!("{dir}{name}.rs")).ok_or_else(|| {
                            syn::Error::new(m.ident.span(), format!("no file for `mod {name}`"))
                        })?,
                        dir.to_string(),
                    ),
                };
                let parsed = syn::parse_file(file)?;
                m.attrs.extend(parsed.attrs);
                m.content = Some((Default::default(), self.inline(&sub, parsed.items)?));
                m.semi = None;
            }
            out.push(syn::Item::Mod(m));
        }
        Ok(out)
    }
}

/// Generate one crate from several documents: a module and a Cargo feature per document
/// (`<module>/{mod,types,errors,operations,client}.rs`), the schemas they define identically
/// as one shared type (`shared.rs`), and a crate root (`lib.rs`) whose `Client` reaches every
/// enabled module; all in [`Modules::files`]. `title` heads the crate's docs. The crate's manifest must declare
/// one feature per module ([`crate::manifest::Package::features`]).
///
/// A panic inside the generator (a bug) is returned as [`Error::Panicked`].
///
/// ```no_run
/// // build.rs of a crate that declares the features `chats` and `threads`; then in
/// // src/lib.rs: `include!(concat!(env!("OUT_DIR"), "/cliq.rs"));`
/// use cliq_codegen::{generate_modules, parse_spec, ModuleSpec, Settings};
/// let names = ["chats", "threads"];
/// let texts: Vec<String> = names
///     .iter()
///     .map(|n| std::fs::read_to_string(format!("spec/{n}.yml")).unwrap())
///     .collect();
/// let docs: Vec<_> = texts.iter().map(|t| parse_spec(t).unwrap()).collect();
/// let specs: Vec<ModuleSpec<'_>> = names
///     .iter()
///     .zip(&docs)
///     .map(|(n, doc)| ModuleSpec { name: n.to_string(), doc, source: format!("spec/{n}.yml") })
///     .collect();
/// let out = generate_modules("Cliq chats and threads", &specs, &Settings::default()).unwrap();
/// let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("cliq.rs");
/// std::fs::write(dest, out.single_file()).unwrap();
/// ```
pub fn generate_modules(
    title: &str,
    specs: &[ModuleSpec<'_>],
    settings: &Settings,
) -> Result<Modules, Error> {
    no_unwind("the generator", || generate_here(title, specs, settings))
}

fn generate_here(
    title: &str,
    specs: &[ModuleSpec<'_>],
    settings: &Settings,
) -> Result<Modules, Error> {
    let mut names = BTreeSet::new();
    for spec in specs {
        let valid = spec
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && spec.name.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid || crate::naming::value_name(&spec.name) != spec.name {
            return Err(Error::Settings(format!(
                "module name `{}` is not a lowercase Rust identifier",
                spec.name
            )));
        }
        if spec.name == "shared" || !names.insert(spec.name.as_str()) {
            return Err(Error::Settings(format!(
                "module name `{}` is reserved or given twice",
                spec.name
            )));
        }
    }
    let mut lowered = Vec::new();
    for spec in specs {
        let mut s = settings.clone();
        s.with_source(spec.source.clone());
        let (model, diags) = lower_checked(spec.doc, &s).map_err(|e| match e {
            Error::Invalid(mut diags) => {
                for d in &mut diags {
                    d.pointer = format!("{}{}", spec.source, d.pointer);
                }
                Error::Invalid(diags)
            }
            other => other,
        })?;
        lowered.push((spec, s, model, diags));
    }
    // A type replacement applies to the module whose document has its pointer: unused in the
    // others is not worth a word, unused in every module is.
    let unused = crate::lower::UNUSED_REPLACEMENT;
    let used: BTreeSet<String> = settings
        .type_replacements
        .keys()
        .filter(|p| {
            lowered.iter().any(|(_, _, _, diags)| {
                !diags
                    .iter()
                    .any(|d| &d.pointer == *p && d.message == unused)
            })
        })
        .cloned()
        .collect();
    for (_, _, _, diags) in &mut lowered {
        diags.retain(|d| !(d.message == unused && used.contains(&d.pointer)));
    }
    let models: Vec<(&str, &Model)> = lowered
        .iter()
        .map(|(spec, _, model, _)| (spec.name.as_str(), model))
        .collect();
    let shared = shared_types(&models);

    let mut files = BTreeMap::new();
    let mut modules = Vec::new();
    for (spec, s, model, diags) in &lowered {
        let names: BTreeSet<String> = shared
            .iter()
            .filter(|(_, (users, _))| users.contains(&spec.name))
            .map(|(name, _)| name.clone())
            .collect();
        let generated =
            crate::emit_model(model, diags.clone(), s, &Layout::Module { shared: &names })?;
        for (file, text) in &generated.files {
            let file = if file == "lib.rs" { "mod.rs" } else { file };
            files.insert(format!("{}/{file}", spec.name), text.clone());
        }
        modules.push((spec.name.clone(), generated));
    }
    let header = settings.header();
    if !shared.is_empty() {
        let rt = emit::types::runtime_path(&settings.runtime_path);
        files.insert("shared.rs".into(), shared_file(&header, &shared, &rt)?);
    }
    files.insert(
        "lib.rs".into(),
        lib_file(
            title,
            &header,
            &lowered_summary(&lowered),
            !shared.is_empty(),
            settings,
        )?,
    );
    let models = lowered
        .into_iter()
        .map(|(spec, _, model, _)| (spec.name.clone(), model))
        .collect();
    Ok(Modules {
        files,
        header,
        models,
        modules,
        shared: shared
            .into_iter()
            .map(|(name, (users, _))| (name, users))
            .collect(),
    })
}

/// (module, title, operation count, source) of each module, for the crate docs.
fn lowered_summary(
    lowered: &[(&ModuleSpec<'_>, Settings, Model, Vec<crate::Diagnostic>)],
) -> Vec<(String, String, usize, String)> {
    lowered
        .iter()
        .map(|(spec, _, model, _)| {
            (
                spec.name.clone(),
                model.title.clone(),
                model.operations.len(),
                spec.source.clone(),
            )
        })
        .collect()
}

/// The types defined identically by two or more modules: name → (the modules using it, its
/// definition). A type is shared only when every type it names is shared too, with the
/// same modules; one name, one shared definition (the one most modules use, the earliest on
/// a tie; the others stay in their modules). Multipart bodies and page types (their
/// `Page` impl lives in the module of the operation) are never shared.
fn shared_types(models: &[(&str, &Model)]) -> BTreeMap<String, (Vec<String>, TypeDef)> {
    let never: BTreeSet<&str> = models
        .iter()
        .flat_map(|(_, m)| m.operations.iter())
        .filter_map(|op| op.pagination.as_ref().map(|p| p.page_type.as_str()))
        .collect();
    // (name, definition text) → (modules, definition).
    let mut candidates: BTreeMap<(String, String), (Vec<String>, TypeDef)> = BTreeMap::new();
    for (module, model) in models {
        for def in &model.types {
            if never.contains(def.name.as_str()) || matches!(def.kind, TypeKind::Multipart { .. }) {
                continue;
            }
            let key = (
                def.name.clone(),
                emit::types::type_def(def, &emit::types::runtime_path(&model.runtime_path))
                    .to_string(),
            );
            candidates
                .entry(key)
                .or_insert_with(|| (Vec::new(), def.clone()))
                .0
                .push(module.to_string());
        }
    }
    candidates.retain(|_, (users, _)| users.len() > 1);
    // One definition per name: the most used, then the earliest met (users are listed in
    // module order, so the first user's position orders the ties).
    let order: Vec<&str> = models.iter().map(|(m, _)| *m).collect();
    let rank = |users: &[String]| {
        let first = users
            .iter()
            .filter_map(|u| order.iter().position(|m| m == u))
            .min()
            .unwrap_or(usize::MAX);
        (std::cmp::Reverse(users.len()), first)
    };
    let mut best: BTreeMap<&str, &(String, String)> = BTreeMap::new();
    for (key, (users, _)) in &candidates {
        let better = best
            .get(key.0.as_str())
            .is_none_or(|b| rank(users) < rank(&candidates[*b].0));
        if better {
            best.insert(key.0.as_str(), key);
        }
    }
    let chosen: Vec<(String, String)> = best.into_values().cloned().collect();
    let mut shared: BTreeMap<String, (Vec<String>, TypeDef)> = chosen
        .into_iter()
        .filter_map(|key| candidates.remove(&key).map(|v| (key.0, v)))
        .collect();
    // A shared type may only name shared types used by (at least) the same modules.
    loop {
        let drop: Vec<String> = shared
            .iter()
            .filter(|(_, (users, def))| {
                let mut refs = BTreeSet::new();
                named_in_kind(&def.kind, &mut refs);
                refs.iter().any(|r| match shared.get(r) {
                    None => true,
                    Some((theirs, _)) => users.iter().any(|u| !theirs.contains(u)),
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        if drop.is_empty() {
            break;
        }
        for name in drop {
            shared.remove(&name);
        }
    }
    shared
}

fn named_in_kind(kind: &TypeKind, out: &mut BTreeSet<String>) {
    match kind {
        TypeKind::Struct { fields, extra } => {
            for f in fields {
                named_in(&f.ty, out);
            }
            if let Some(e) = extra {
                named_in(e, out);
            }
        }
        TypeKind::Multipart { fields } => {
            for f in fields {
                named_in(&f.ty, out);
            }
        }
        TypeKind::OneOf { variants, .. } => {
            for (_, t) in variants {
                named_in(t, out);
            }
        }
        TypeKind::Tuple { elements, rest } => {
            for t in elements.iter().chain(rest) {
                named_in(t, out);
            }
        }
        TypeKind::Alias(t) => named_in(t, out),
        TypeKind::Enum { .. } => {}
    }
}

fn named_in(t: &TypeRef, out: &mut BTreeSet<String>) {
    match t {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) | TypeRef::Nullable(i) => {
            named_in(i, out)
        }
        _ => {}
    }
}

/// The `#[cfg(any(feature = …))]` of an item compiled for `features`.
fn cfg_any(features: &[String]) -> TokenStream {
    quote!(#[cfg(any(#(feature = #features),*))])
}

/// `shared.rs`: each shared type's items, each behind the features of the modules using it.
fn shared_file(
    header: &str,
    shared: &BTreeMap<String, (Vec<String>, TypeDef)>,
    rt: &TokenStream,
) -> Result<String, Error> {
    let mut items = Vec::new();
    for (users, def) in shared.values() {
        let cfg = cfg_any(users);
        let mut list = format!(
            " Defined identically by the specs of the modules {}:",
            users
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        list.push_str(" one type, re-exported by each module's `types`.");
        let file: syn::File =
            syn::parse2(emit::types::type_def(def, rt)).map_err(|e| Error::Internal {
                file: "shared.rs".into(),
                message: e.to_string(),
            })?;
        for mut item in file.items {
            let cfg_attr: syn::Attribute = syn::parse_quote!(#cfg);
            if let Some(attrs) = item_attrs(&mut item) {
                attrs.insert(0, cfg_attr);
                if matches!(
                    item,
                    syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Type(_)
                ) {
                    if let Some(attrs) = item_attrs(&mut item) {
                        let at = attrs
                            .iter()
                            .rposition(|a| a.path().is_ident("doc"))
                            .map_or(1, |i| i + 1);
                        attrs.insert(at, syn::parse_quote!(#[doc = ""]));
                        attrs.insert(at + 1, syn::parse_quote!(#[doc = #list]));
                    }
                }
            }
            items.push(item);
        }
    }
    format_file(
        header,
        "shared.rs",
        quote! {
            //! Types that several modules' specs define identically: one type each, compiled when
            //! a module using it is, re-exported by the `types` of every module that uses it.
            #(#items)*
        },
    )
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(i) => Some(&mut i.attrs),
        syn::Item::Enum(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Type(i) => Some(&mut i.attrs),
        syn::Item::Fn(i) => Some(&mut i.attrs),
        syn::Item::Const(i) => Some(&mut i.attrs),
        syn::Item::Use(i) => Some(&mut i.attrs),
        syn::Item::Mod(i) => Some(&mut i.attrs),
        syn::Item::Trait(i) => Some(&mut i.attrs),
        _ => None,
    }
}

/// `lib.rs` of the crate.
fn lib_file(
    title: &str,
    header: &str,
    summary: &[(String, String, usize, String)],
    has_shared: bool,
    settings: &Settings,
) -> Result<String, Error> {
    let rt = crate::rt_path(settings)?;
    let total: usize = summary.iter().map(|(_, _, n, _)| n).sum();
    let mut doc = format!(
        "# {}\n\n{total} operations in {} modules, one module and one Cargo feature each: enable the features of the modules you call (a module you do not enable costs no compile time). Each module has a `Client` (one method per operation), `types`, `errors` (each operation's documented error codes) and `operations` (per-operation metadata: method, path, OAuth scopes, rate limit); [`Client`] reaches every enabled module's client (`client.{}()`).\n\n| module (feature) | API | operations | generated from |\n|---|---|---|---|\n",
        crate::docs::plain_to_markdown(title),
        summary.len(),
        summary.first().map_or("module", |(name, ..)| name.as_str()),
    );
    for (name, api, ops, source) in summary {
        doc.push_str(&format!(
            "| `{name}` | {} | {ops} | {} |\n",
            crate::docs::plain_to_markdown(api),
            crate::docs::plain_to_markdown(source)
        ));
    }
    let doc_lines = doc.trim_end().lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let shared = has_shared.then(|| {
        let all: Vec<String> = summary.iter().map(|(n, ..)| n.clone()).collect();
        let cfg = cfg_any(&all);
        quote! {
            #cfg
            #[rustfmt::skip]
            mod shared;
        }
    });
    // No outer docs on the modules: rustdoc would resolve the links of their inner docs
    // (`[`Client`]`, `[`types`]`) in the crate root.
    let mods = summary.iter().map(|(name, ..)| {
        let m = ident(name);
        quote! {
            #[cfg(feature = #name)]
            #[rustfmt::skip]
            pub mod #m;
        }
    });
    let fields = summary.iter().map(|(name, ..)| {
        let m = ident(name);
        quote!(#[cfg(feature = #name)] #m: #m::Client,)
    });
    let inits = summary.iter().map(|(name, ..)| {
        let m = ident(name);
        quote!(#[cfg(feature = #name)] #m: #m::Client::new(inner.clone()),)
    });
    let accessors = summary.iter().map(|(name, api, _, _)| {
        let m = ident(name);
        let d = format!(
            " The {} module's client (feature `{name}`).",
            crate::docs::plain_to_markdown(api)
        );
        quote! {
            #[doc = #d]
            #[cfg(feature = #name)]
            pub fn #m(&self) -> &#m::Client {
                &self.#m
            }
        }
    });
    let tokens = quote! {
        #(#doc_lines)*
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]
        #![deny(missing_docs)]
        // Long chains of schemas that refer to each other (100 in a cycle, say) overflow
        // rustc's default limit (128) in drop checks (E0320) and rustdoc's auto traits (E0275).
        #![recursion_limit = "1024"]

        pub use #rt as runtime;
        #shared
        #(#mods)*

        /// One client for every enabled module: `client.bots()`, `client.chats()`, … hand out
        /// each module's typed client, all over the same runtime client (data center, token
        /// source, timeouts, limiter).
        #[derive(Clone)]
        pub struct Client {
            inner: #rt::Client,
            #(#fields)*
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client").finish_non_exhaustive()
            }
        }

        impl Client {
            /// Wrap a configured runtime client.
            pub fn new(inner: #rt::Client) -> Self {
                Self {
                    #(#inits)*
                    inner,
                }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &#rt::Client {
                &self.inner
            }

            /// A view of this client, every module's included, whose calls use `options`
            /// (timeout, retry policy, extra headers) over the client's own: see
            /// [`Client::with_options`](cliq_runtime::Client::with_options). For a call's raw
            /// response (status, headers) beside its result, wrap the call in
            /// [`with_raw_response`](cliq_runtime::with_raw_response).
            pub fn with_options(&self, options: #rt::CallOptions) -> Self {
                Self::new(self.inner.with_options(options))
            }

            #(#accessors)*
        }
    };
    format_file(header, "lib.rs", tokens)
}
