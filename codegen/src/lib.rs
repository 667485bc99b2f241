//! Generate a typed Rust client for a Zoho Cliq module (or any API) from its OpenAPI 3.0 or
//! 3.1 document.
//!
//! The pipeline is spec → [`openapiv3`] → an intermediate model (names resolved, types decided)
//! → `quote` tokens → `prettyplease` text. Every problem in the document is collected and
//! reported at once, each with a JSON pointer into the document; nothing panics on bad input.
//!
//! ```no_run
//! // build.rs of a crate that wants a client for another Cliq module:
//! let text = std::fs::read_to_string("spec/chats.yaml").unwrap();
//! let doc = cliq_codegen::parse_spec(&text).unwrap();
//! let out = cliq_codegen::generate(&doc, &cliq_codegen::Settings::default()).unwrap();
//! let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("chats.rs");
//! std::fs::write(dest, out.single_file()).unwrap();
//! // and in src/lib.rs: `mod chats { include!(concat!(env!("OUT_DIR"), "/chats.rs")); }`
//! ```
#![deny(missing_docs)]

mod docs;
mod emit;
mod lower;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod openapi31;
pub mod path_template;
pub mod prose;
pub mod stubs;

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on with a documented fallback.
    Warning,
    /// Generation cannot produce a correct client.
    Error,
}

/// One problem in the document, located by a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, e.g. `#/paths/~1bots/post/requestBody`.
    pub pointer: String,
    /// What is wrong and what the generator did about it.
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn error(pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
    pub(crate) fn warning(pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level} at {}: {}", self.pointer, self.message)
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not an OpenAPI 3.0 or 3.1 document.
    #[error("cannot read the OpenAPI document: {0}")]
    Parse(String),
    /// The document has problems the generator cannot work around (all of them listed).
    #[error("{} problem(s) in the OpenAPI document:\n{}", .0.iter().filter(|d| d.severity == Severity::Error).count(), list(.0))]
    Invalid(Vec<Diagnostic>),
    /// The [`Settings`] are invalid (a runtime path or parameter type that is not Rust).
    #[error("invalid settings: {0}")]
    Settings(String),
    /// The generator produced code that does not parse: a bug in this crate.
    #[error("internal error (please report): generated {file} does not parse: {message}")]
    Internal {
        /// Which output.
        file: String,
        /// The parser's message.
        message: String,
    },
}

fn list(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What to generate. `Default` targets this workspace's `cliq-runtime`.
#[derive(Debug, Clone)]
pub struct Settings {
    runtime_path: String,
    path_param_types: BTreeMap<String, String>,
    command: String,
    source: String,
    strict: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let mut path_param_types = BTreeMap::new();
        path_param_types.insert(
            "BOT_UNIQUE_NAME".to_string(),
            "::cliq_runtime::BotName".to_string(),
        );
        path_param_types.insert(
            "BOT_ID_OR_UNIQUE_NAME".to_string(),
            "::cliq_runtime::BotName".to_string(),
        );
        Settings {
            runtime_path: "::cliq_runtime".to_string(),
            path_param_types,
            command: "cliq-codegen".to_string(),
            source: "an OpenAPI document".to_string(),
            strict: false,
        }
    }
}

impl Settings {
    /// Path of the runtime crate in generated code (default `::cliq_runtime`).
    pub fn with_runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_path = path.into();
        self
    }
    /// Type a path parameter takes (must be `From<&str>` and `AsRef<str>`); the default maps
    /// `BOT_UNIQUE_NAME` to `::cliq_runtime::BotName`, which also accepts a bot's full URL.
    pub fn with_path_param_type(
        &mut self,
        param: impl Into<String>,
        rust_type: impl Into<String>,
    ) -> &mut Self {
        self.path_param_types.insert(param.into(), rust_type.into());
        self
    }
    /// The command named in the "generated, do not edit" line.
    pub fn with_command(&mut self, command: impl Into<String>) -> &mut Self {
        self.command = command.into();
        self
    }
    /// The spec named in the "generated, do not edit" line (e.g. `spec/bots.yaml`).
    pub fn with_source(&mut self, source: impl Into<String>) -> &mut Self {
        self.source = source.into();
        self
    }
    /// Treat every warning as an error (`--strict`): nothing is skipped or worked around
    /// silently, generation fails instead.
    pub fn strict(&mut self, strict: bool) -> &mut Self {
        self.strict = strict;
        self
    }
    pub(crate) fn header(&self) -> String {
        format!(
            "// Generated by `{}` from {}; do not edit by hand.\n",
            self.command, self.source
        )
    }
}

/// Parse an OpenAPI 3.0 or 3.1 document from YAML or JSON text (3.1 is converted to the 3.0
/// model on load: see [`openapi31`]).
///
/// A document of the wrong shape is reported with the JSON pointer of the offending value
/// (`at #/paths/~1bots/get/responses: invalid type: …`).
pub fn parse_spec(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    // Deserializing a deeply nested (but legal) document recurses once per level through
    // several serde layers; the parsers stop at their own depth limit, but a caller's thread
    // (2 MiB for test threads and many runtimes) can run out of stack before that. Parse on a
    // thread of our own with room for the parsers' limits, so depth is an error, never an abort.
    const STACK: usize = 256 * 1024 * 1024;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("cliq-codegen-parse".into())
            .stack_size(STACK)
            .spawn_scoped(scope, || parse_spec_here(text))
            .map_err(|e| Error::Parse(format!("cannot start the parser thread: {e}")))?;
        worker
            .join()
            .unwrap_or_else(|_| Err(Error::Parse("the parser failed unexpectedly".into())))
    })
}

fn parse_spec_here(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    if text.trim().is_empty() {
        return Err(Error::Parse("the document is empty".into()));
    }
    let json = text.trim_start().starts_with('{');
    if openapi31::declares_31(text) {
        let mut value: serde_json::Value = if json {
            serde_json::from_str(text).map_err(|e| Error::Parse(e.to_string()))?
        } else {
            serde_yaml::from_str(text).map_err(|e| Error::Parse(e.to_string()))?
        };
        if openapi31::is_31(&value) {
            openapi31::convert(&mut value);
        }
        return serde_path_to_error::deserialize(value).map_err(located);
    }
    // 3.0 straight from the text, so errors keep their line and column. JSON is YAML too, but
    // serde_json's messages are clearer for JSON input.
    if json {
        let mut de = serde_json::Deserializer::from_str(text);
        let doc = serde_path_to_error::deserialize(&mut de).map_err(located)?;
        de.end().map_err(|e| Error::Parse(e.to_string()))?;
        return Ok(doc);
    }
    serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text)).map_err(located)
}

/// A deserialization error with the JSON pointer of where it happened.
fn located<E: fmt::Display>(e: serde_path_to_error::Error<E>) -> Error {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in e.path().iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    Error::Parse(format!("at {pointer}: {}", e.inner()))
}

/// A generated client: source files of a crate's `src/`, plus what else the model yields.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `src/`-relative file name → formatted Rust source (`lib.rs`, `types.rs`, …).
    pub files: BTreeMap<String, String>,
    /// The handler rules module, when the document is the Bots spec.
    pub rules: Option<String>,
    /// Warnings: things the generator worked around.
    pub warnings: Vec<Diagnostic>,
    /// Every request/response example: (JSON pointer, Rust type relative to the crate root).
    pub examples: Vec<(String, String)>,
    /// Operation count.
    pub operation_count: usize,
    single: String,
}

impl Generated {
    /// All modules in one file, for `include!` from a `build.rs` output (no inner attributes).
    pub fn single_file(&self) -> String {
        self.single.clone()
    }
}

/// Lower a document to the intermediate model, returning it with every diagnostic.
pub fn lower(doc: &openapiv3::OpenAPI, settings: &Settings) -> (model::Model, Vec<Diagnostic>) {
    lower::lower(doc, settings)
}

/// Generate the client for a parsed document.
pub fn generate(doc: &openapiv3::OpenAPI, settings: &Settings) -> Result<Generated, Error> {
    let (model, mut diags) = lower::lower(doc, settings);
    if settings.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Invalid(diags));
    }
    let rt = syn::parse_str::<syn::Path>(&settings.runtime_path)
        .map(|p| quote!(#p))
        .map_err(|e| Error::Settings(format!("runtime path `{}`: {e}", settings.runtime_path)))?;
    for (param, t) in &settings.path_param_types {
        syn::parse_str::<syn::Type>(t).map_err(|e| {
            Error::Settings(format!("type `{t}` for path parameter `{param}`: {e}"))
        })?;
    }
    let header = settings.header();
    let types = emit::types::emit(&model);
    let errors = emit::client::emit_errors(&model, &rt);
    let operations = emit::client::emit_operations(&model, &rt);
    let client = emit::client::emit_client(&model, &rt);
    let success = emit::client::emit_success_enums(&model);

    let mut files = BTreeMap::new();
    let title = docs::plain_text(&model.title);
    let version = docs::plain_text(&model.version);
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
    let lib = quote! {
        #(#crate_doc_lines)*
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant)]
        #![deny(missing_docs)]
        // Long chains of schemas that refer to each other (100 in a cycle, say) overflow
        // rustc's default limit (128) in drop checks (E0320) and rustdoc's auto traits (E0275).
        #![recursion_limit = "1024"]

        pub use #rt as runtime;
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
    files.insert(
        "lib.rs".to_string(),
        format_file(&header, "lib.rs", lib.clone())?,
    );
    let types_file = quote! {
        //! Models: one type per schema of the document, and the query parameters of each operation.
        #types
    };
    files.insert(
        "types.rs".into(),
        format_file(&header, "types.rs", types_file)?,
    );
    files.insert(
        "errors.rs".into(),
        format_file(
            &header,
            "errors.rs",
            quote! {
                //! Each operation's documented error codes (from its "Possible Error Codes" table), with a fallback.
                #errors
            },
        )?,
    );
    files.insert(
        "operations.rs".into(),
        format_file(
            &header,
            "operations.rs",
            quote! {
                //! Per-operation metadata: method, path template, OAuth scopes, documented rate limit.
                #operations
            },
        )?,
    );
    files.insert(
        "client.rs".into(),
        format_file(
            &header,
            "client.rs",
            quote! {
                //! The typed client.
                #client
                #success
            },
        )?,
    );
    let single = quote! {
        /// Models.
        pub mod types { #types }
        /// Documented error codes.
        pub mod errors { #errors }
        /// Per-operation metadata.
        pub mod operations { #operations }
        /// The typed client.
        pub mod client { #client #success }
        pub use client::Client;
    };
    let single = format_file(&header, "single file", single)?;
    let rules = match &model.handler_rules {
        Some(r) => Some(format_file(&header, "rules.rs", emit::rules::emit(r))?),
        None => None,
    };
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
        rules,
        warnings: diags,
        examples,
        operation_count: model.operations.len(),
        single,
    })
}

fn format_file(header: &str, name: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: name.to_string(),
        message: e.to_string(),
    })?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}
