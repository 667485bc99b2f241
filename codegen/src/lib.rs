//! Generate a typed Rust client for a Zoho Cliq module (or any API) from its OpenAPI 3.0 or
//! 3.1 document.
//!
//! The pipeline is spec → [`openapiv3`] → an intermediate model (names resolved, types decided)
//! → `quote` tokens → `prettyplease` text. Every problem in the document is collected and
//! reported at once, each with a JSON pointer into the document; nothing panics on bad input
//! (a panic would be a bug: [`parse_spec`] and [`generate`] return it as [`Error::Panicked`]).
//!
//! ```no_run
//! // build.rs of a crate that wants a client for another Cliq module:
//! let text = std::fs::read_to_string("spec/chats.yaml").unwrap();
//! let doc = cliq_codegen::parse_spec(&text).unwrap();
//! let out = cliq_codegen::generate(&doc, &cliq_codegen::Settings::default()).unwrap();
//! let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("chats.rs");
//! std::fs::write(dest, out.single_file()).unwrap();
//! // and in src/lib.rs: `mod chats { include!(concat!(env!("OUT_DIR"), "/chats.rs")); }`
//! // Several documents, one crate, a module and a Cargo feature each: `generate_modules`.
//! ```
#![deny(missing_docs)]

mod docs;
mod emit;
mod error;
mod load;
mod lower;
pub mod manifest;
pub mod model;
mod modules;
pub mod naming;
pub mod openapi31;
pub mod path_template;
pub mod prose;
mod settings;
pub mod surface;

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub use error::{Diagnostic, Error, Severity};
pub use load::Loaded;
pub use modules::{generate_modules, ModuleSpec, Modules};
pub use settings::Settings;

/// Runs `f`; a panic inside it becomes [`Error::Panicked`] naming `what` and the panic's
/// message. The default panic hook has already printed the message and location to stderr.
fn no_unwind<T>(what: &str, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    // Nothing `f` borrows is left half-updated for the caller to observe: it reads its
    // inputs and builds its own output, which a panic drops.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(panicked(what, payload.as_ref())))
}

/// The [`Error::Panicked`] for a caught panic's payload.
fn panicked(what: &str, payload: &(dyn std::any::Any + Send)) -> Error {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    Error::Panicked(format!("{what} panicked: {message}"))
}

/// Parse an OpenAPI 3.0 or 3.1 document from YAML or JSON text (3.1 is converted to the 3.0
/// model on load: see [`openapi31`]).
///
/// A document of the wrong shape is reported with the JSON pointer of the offending value
/// (`at #/paths/~1bots/get/responses: invalid type: …`).
pub fn parse_spec(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    on_parser_thread(|| parse_spec_here(text))
}

/// Runs `f` (a parse) on a thread with room for the parsers' own depth limits.
fn on_parser_thread<T: Send>(f: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    // Deserializing a deeply nested (but legal) document recurses once per level through
    // several serde layers; the parsers stop at their own depth limit, but a caller's thread
    // (2 MiB for test threads and many runtimes) can run out of stack before that. Parse on a
    // thread of our own with room for the parsers' limits, so depth is an error, never an abort.
    const STACK: usize = 256 * 1024 * 1024;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("cliq-codegen-parse".into())
            .stack_size(STACK)
            .spawn_scoped(scope, f)
            .map_err(|e| Error::Parse(format!("cannot start the parser thread: {e}")))?;
        worker
            .join()
            .unwrap_or_else(|payload| Err(panicked("the parser", payload.as_ref())))
    })
}

fn parse_spec_here(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    load::from_text(text)
}

/// Read the OpenAPI document whose root file is `root`, following its `$ref`s to other files
/// (YAML or JSON, relative to the file that refers to them, in any directory, cycles
/// included), as `redocly bundle` does: every value referred to becomes a component of the
/// one document returned. The files are read by `read` (the library does no IO of its own):
/// pass `|p| std::fs::read_to_string(p)`. [`Loaded::files`] lists every file read, the root
/// first. A remote (`http://`, `https://`) reference is an error naming it and where it is.
///
/// ```no_run
/// // build.rs: a client from a spec split over several files, rebuilt when any of them changes.
/// let loaded = cliq_codegen::load("spec/openapi.yaml".as_ref(), |p| std::fs::read_to_string(p))
///     .unwrap();
/// for file in &loaded.files {
///     println!("cargo:rerun-if-changed={}", file.display());
/// }
/// let out = cliq_codegen::generate(&loaded.doc, &cliq_codegen::Settings::default()).unwrap();
/// let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("api.rs");
/// std::fs::write(dest, out.single_file()).unwrap();
/// ```
pub fn load(
    root: &std::path::Path,
    mut read: impl FnMut(&std::path::Path) -> std::io::Result<String> + Send,
) -> Result<Loaded, Error> {
    on_parser_thread(move || load::from_files(root, &mut read))
}

/// A generated client: source files of a crate's `src/`, plus what else the model yields.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `src/`-relative file name → formatted Rust source (`lib.rs`, `types.rs`, …).
    pub files: BTreeMap<String, String>,
    /// The document's handler rules (one component's), when it has handler operations; the
    /// rules file of every component is [`rules_file`].
    pub handler_rules: Option<model::HandlerRules>,
    /// Warnings: things the generator worked around.
    pub warnings: Vec<Diagnostic>,
    /// Every request/response example: (JSON pointer, Rust type relative to the crate root).
    pub examples: Vec<(String, String)>,
    /// Operation count.
    pub operation_count: usize,
    /// The public surface of the generated code, to compare with the next spec's
    /// ([`surface::diff`]).
    pub surface: surface::ModuleSurface,
    /// The generated-file header, for [`Generated::single_file`].
    header: String,
}

impl Generated {
    /// All modules in one file, for `include!` from a `build.rs` output (no inner attributes).
    ///
    /// Built on demand from [`Generated::files`] (re-parsed, wrapped in modules, formatted), so
    /// `generate` formats each item once and only callers of this method pay for the second
    /// layout.
    pub fn single_file(&self) -> String {
        let items = |name: &str| -> Result<TokenStream, syn::Error> {
            let file = syn::parse_file(self.files.get(name).map_or("", String::as_str))?;
            let items = file.items;
            Ok(quote!(#(#items)*))
        };
        let single = (|| -> Result<TokenStream, syn::Error> {
            let (types, errors, operations, client) = (
                items("types.rs")?,
                items("errors.rs")?,
                items("operations.rs")?,
                items("client.rs")?,
            );
            Ok(quote! {
                /// Models.
                pub mod types { #types }
                /// Documented error codes.
                pub mod errors { #errors }
                /// Per-operation metadata.
                pub mod operations { #operations }
                /// The typed client.
                pub mod client { #client }
                pub use client::Client;
            })
        })();
        // The files were printed from syntax trees, so they parse; should that ever break,
        // the failure surfaces where the file is compiled, not as a panic here.
        let single = single.unwrap_or_else(|e| {
            let msg = format!("cliq-codegen: generated files did not re-parse: {e}");
            quote!(compile_error!(#msg);)
        });
        format_file(&self.header, "single file", single)
            .unwrap_or_else(|e| format!("{}compile_error!({:?});\n", self.header, e.to_string()))
    }
}

/// Lower a document to the intermediate model, returning it with every diagnostic.
pub fn lower(doc: &openapiv3::OpenAPI, settings: &Settings) -> (model::Model, Vec<Diagnostic>) {
    lower::lower(doc, settings)
}

/// Generate the client for a parsed document.
///
/// A panic inside the generator (a bug) is returned as [`Error::Panicked`], not unwound into
/// the caller.
pub fn generate(doc: &openapiv3::OpenAPI, settings: &Settings) -> Result<Generated, Error> {
    no_unwind("the generator", || generate_here(doc, settings))
}

fn generate_here(doc: &openapiv3::OpenAPI, settings: &Settings) -> Result<Generated, Error> {
    let (model, diags) = lower_checked(doc, settings)?;
    emit_model(&model, diags, settings, &Layout::Crate)
}

/// Lowers `doc`; every warning an error under `strict`; any error stops here.
fn lower_checked(
    doc: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<(model::Model, Vec<Diagnostic>), Error> {
    let (model, mut diags) = lower::lower(doc, settings);
    if settings.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Invalid(diags));
    }
    Ok((model, diags))
}

/// Where a model's files go: a crate of their own, or a module of a crate of several
/// (`generate_modules`).
enum Layout<'a> {
    /// `lib.rs` is a crate root.
    Crate,
    /// `lib.rs` is a module's `mod.rs`; the types named here are the crate's `shared` ones.
    Module {
        shared: &'a std::collections::BTreeSet<String>,
    },
}

/// The files of one lowered model.
fn emit_model(
    model: &model::Model,
    diags: Vec<Diagnostic>,
    settings: &Settings,
    layout: &Layout<'_>,
) -> Result<Generated, Error> {
    let rt = rt_path(settings)?;
    for (param, t) in &settings.path_param_types {
        syn::parse_str::<syn::Type>(t).map_err(|e| {
            Error::Settings(format!("type `{t}` for path parameter `{param}`: {e}"))
        })?;
    }
    let header = settings.header();
    let none = std::collections::BTreeSet::new();
    let shared = match layout {
        Layout::Crate => &none,
        Layout::Module { shared } => *shared,
    };
    // The model is plain data; the token streams are not `Send`. So each half of the output
    // is emitted and formatted on its own thread from the shared model (formatting is most of
    // the time of `generate`, and the files are independent).
    // The thread gets the main thread's usual room (syn and prettyplease recurse); should it
    // not start, the half runs here.
    let (types_half, client_half) = std::thread::scope(|scope| {
        let types_half = std::thread::Builder::new()
            .name("cliq-codegen-types".into())
            .stack_size(8 << 20)
            .spawn_scoped(scope, || {
                emit_types_half(model, &header, &rt_path(settings)?, shared)
            });
        let client_half = emit_client_half(model, settings, &header, &rt, layout);
        let types_half = match types_half {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => emit_types_half(model, &header, &rt, shared),
        };
        (types_half, client_half)
    });
    let mut files: BTreeMap<String, String> = types_half?.into_iter().collect();
    files.extend(client_half?);
    let examples = model
        .examples
        .iter()
        .map(|e| {
            (
                e.pointer.clone(),
                emit::ty(&e.ty, &quote!(types::))
                    .to_string()
                    .replace(' ', ""),
            )
        })
        .collect();
    Ok(Generated {
        files,
        handler_rules: model.handler_rules.clone(),
        warnings: diags,
        examples,
        operation_count: model.operations.len(),
        surface: surface::ModuleSurface::of(model),
        header,
    })
}

/// The runtime path of the settings as tokens.
fn rt_path(settings: &Settings) -> Result<TokenStream, Error> {
    syn::parse_str::<syn::Path>(&settings.runtime_path)
        .map(|p| quote!(#p))
        .map_err(|e| Error::Settings(format!("runtime path `{}`: {e}", settings.runtime_path)))
}

/// `types.rs` and `operations.rs`, emitted and formatted.
fn emit_types_half(
    model: &model::Model,
    header: &str,
    rt: &TokenStream,
    shared: &std::collections::BTreeSet<String>,
) -> Result<Vec<(String, String)>, Error> {
    let types = emit::types::emit(model, shared);
    let operations = emit::client::emit_operations(model, rt);
    Ok(vec![
        (
            "types.rs".into(),
            format_file(
                header,
                "types.rs",
                quote! {
                    //! Models: one type per schema of the document, and the query parameters of each operation.
                    #types
                },
            )?,
        ),
        (
            "operations.rs".into(),
            format_file(
                header,
                "operations.rs",
                quote! {
                    //! Per-operation metadata: method, path template, OAuth scopes, documented rate limit.
                    #operations
                },
            )?,
        ),
    ])
}

/// `lib.rs`, `errors.rs` and `client.rs`, emitted and formatted.
fn emit_client_half(
    model: &model::Model,
    settings: &Settings,
    header: &str,
    rt: &TokenStream,
    layout: &Layout<'_>,
) -> Result<Vec<(String, String)>, Error> {
    let errors = emit::client::emit_errors(model, rt);
    let client = emit::client::emit_client(model, rt);
    let success = emit::client::emit_success_enums(model);
    let title = docs::plain_to_markdown(&model.title);
    let version = docs::plain_to_markdown(&model.version);
    let crate_doc = {
        let mut d = format!("# {title} (API version {version})\n\nGenerated from {}: see [`Client`] for the operations, [`types`] for the models, [`errors`] for each operation's documented error codes and [`operations`] for per-operation metadata (method, path, OAuth scopes, rate limit).", settings.source);
        if let Some(doc) = &model.doc {
            d.push_str("\n\n");
            d.push_str(doc);
        }
        d
    };
    let crate_doc_lines = crate_doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    // A module of a crate of several: the crate root (`modules`) holds the crate-wide
    // attributes and the runtime's re-export.
    let root = matches!(layout, Layout::Crate).then(|| {
        quote! {
            #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]
            #![deny(missing_docs)]
            // Long chains of schemas that refer to each other (100 in a cycle, say) overflow
            // rustc's default limit (128) in drop checks (E0320) and rustdoc's auto traits (E0275).
            #![recursion_limit = "1024"]

            pub use #rt as runtime;
        }
    });
    let lib = quote! {
        #(#crate_doc_lines)*
        #root
        // Formatted by prettyplease when generated; rustfmt would only make them look stale.
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod errors;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod types;
        pub use client::Client;
    };
    Ok(vec![
        ("lib.rs".into(), format_file(header, "lib.rs", lib)?),
        (
            "errors.rs".into(),
            format_file(
                header,
                "errors.rs",
                quote! {
                    //! Each operation's documented error codes (from its "Possible Error Codes" table), with a fallback.
                    #errors
                },
            )?,
        ),
        (
            "client.rs".into(),
            format_file(
                header,
                "client.rs",
                quote! {
                    //! The typed client.
                    #client
                    #success
                },
            )?,
        ),
    ])
}

/// The handler rules module of the `cliq-rules` crate: every component's rules (each with the
/// spec file it came from, the bot's first), as enums and one table.
pub fn rules_file(
    components: &[(&str, &model::HandlerRules)],
    settings: &Settings,
) -> Result<String, Error> {
    format_file(
        &settings.header(),
        "rules.rs",
        emit::rules::emit(components),
    )
}

fn format_file(header: &str, name: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: name.to_string(),
        message: e.to_string(),
    })?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_its_own_error() {
        let caught: Result<(), Error> = no_unwind("the generator", || panic!("boom {}", 1));
        match caught {
            Err(Error::Panicked(message)) => assert_eq!(message, "the generator panicked: boom 1"),
            other => panic!("expected Error::Panicked, got {other:?}"),
        }
        let fine = no_unwind("the generator", || Ok(7));
        assert!(matches!(fine, Ok(7)));
    }
}
