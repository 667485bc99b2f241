//! Text (and the files it refers to) → `openapiv3` document.
//!
//! A document the 3.0 model reads as it is takes the fast path: straight from the text. Any
//! other — OpenAPI 3.1, a `$ref` that is not `#/components/<section>/<name>` (into another
//! schema, another file, percent-encoded), numbers the model's integer types cannot hold — is
//! read as a JSON value first and made readable: references bundled ([`bundle`]), 3.1
//! converted ([`crate::openapi31`], then [`schemas`]), out-of-range numbers dropped or
//! clamped. What that loses is said in warnings, which travel with the document (as the
//! extension [`WARNINGS`]) so that [`crate::generate`] reports them beside its own.

mod bundle;
mod schemas;
mod walk;

use crate::error::{Diagnostic, Error, Severity};
use crate::openapi31;
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub(crate) use bundle::Reader;
pub(crate) use schemas::TUPLE;

/// The document extension holding the loader's warnings (`[{pointer, message}]`).
pub(crate) const WARNINGS: &str = "x-cliq-codegen-load-warnings";

/// A document read from its root file and every file its `$ref`s reach.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document, every reference resolved into it.
    pub doc: openapiv3::OpenAPI,
    /// Every file read, the root first: a `build.rs` prints `cargo:rerun-if-changed` for each.
    pub files: Vec<PathBuf>,
}

/// The loader's warnings carried by `doc`.
pub(crate) fn warnings(doc: &openapiv3::OpenAPI) -> Vec<Diagnostic> {
    let Some(Value::Array(list)) = doc.extensions.get(WARNINGS) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|w| {
            Some(Diagnostic::warning(
                w.get("pointer")?.as_str()?,
                w.get("message")?.as_str()?,
            ))
        })
        .collect()
}

/// Whether the 3.0 model can read `text` as it is: no `$ref` but `#/components/<section>/<name>`
/// with a plain name (a cheap scan; a false "no" only costs the slower path).
fn plain_refs(text: &str) -> bool {
    text.match_indices("$ref").all(|(i, _)| {
        let rest = text[i + 4..].trim_start_matches(['"', '\'', ' ', '\t', ':']);
        let (quote, rest) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
            _ => (None, rest),
        };
        let end = rest
            .find(|c: char| match quote {
                Some(q) => c == q,
                None => matches!(c, '\n' | '\r' | ',' | '}' | ' '),
            })
            .unwrap_or(rest.len());
        let value = &rest[..end];
        value
            .strip_prefix("#/components/")
            .and_then(|v| v.split_once('/'))
            .is_some_and(|(_, name)| !name.contains(['/', '~', '%', '\\']) && !name.is_empty())
    })
}

/// Whether the fast path may read `text`: plain references only, and no `type: "null"` (3.1's,
/// met in 3.0 documents too), which the value path reads as `nullable`.
fn fast_path(text: &str) -> bool {
    const NULL_TYPES: &[&str] = &[
        "type: 'null'",
        "type: \"null\"",
        "\"type\":\"null\"",
        "\"type\": \"null\"",
    ];
    !openapi31::declares_31(text)
        && plain_refs(text)
        && !NULL_TYPES.iter().any(|t| text.contains(t))
}

/// `text` as a document, with no other files (a reference to one is an error).
pub(crate) fn from_text(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    if text.trim().is_empty() {
        return Err(Error::Parse("the document is empty".into()));
    }
    let is_31 = openapi31::declares_31(text);
    if fast_path(text) {
        if let Ok(doc) = fast(text) {
            return Ok(doc);
        }
    }
    let read = walk::parse_value(text)
        .map_err(Error::Parse)
        .and_then(|value| from_value(value, None, None));
    match read {
        Ok((doc, _)) => Ok(doc),
        // A 3.0 document that fails either way: the error of the text, with its location.
        Err(Error::Parse(_)) if !is_31 => Err(located_text_error(text)),
        Err(e) => Err(e),
    }
}

/// The document at `root` and every file it refers to, read by `read`.
pub(crate) fn from_files(root: &Path, read: &mut Reader<'_>) -> Result<Loaded, Error> {
    let text =
        read(root).map_err(|e| Error::Parse(format!("cannot read {}: {e}", root.display())))?;
    if text.trim().is_empty() {
        return Err(Error::Parse(format!("{} is empty", root.display())));
    }
    if fast_path(&text) {
        if let Ok(doc) = fast(&text) {
            return Ok(Loaded {
                doc,
                files: vec![root.to_path_buf()],
            });
        }
    }
    let is_31 = openapi31::declares_31(&text);
    let read = walk::parse_value(&text)
        .map_err(|e| Error::Parse(format!("{}: {e}", root.display())))
        .and_then(|value| from_value(value, Some(root), Some(read)));
    match read {
        Ok((doc, files)) => Ok(Loaded { doc, files }),
        // A 3.0 root file that is wrong in itself: the error of its text, with its location
        // (as `parse_spec` reports it); a wrong file it refers to keeps the bundle's error.
        Err(Error::Parse(bundled)) if !is_31 => match located_text_error(&text) {
            Error::Parse(own) if own != UNREADABLE => Err(Error::Parse(own)),
            _ => Err(Error::Parse(bundled)),
        },
        Err(e) => Err(e),
    }
}

/// What [`located_text_error`] says when the text reads without an error.
const UNREADABLE: &str = "the document cannot be read";

/// The 3.0 model straight from the text.
fn fast(text: &str) -> Result<openapiv3::OpenAPI, ()> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|_| ())
    } else {
        serde_yaml::from_str(text).map_err(|_| ())
    }
}

/// The error of reading `text` straight into the 3.0 model, located by JSON pointer (and
/// line and column).
fn located_text_error(text: &str) -> Error {
    if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&mut de) {
            Err(e) => located(e),
            Ok(_) => match de.end() {
                Err(e) => Error::Parse(e.to_string()),
                Ok(()) => Error::Parse(UNREADABLE.into()),
            },
        }
    } else {
        match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(
            serde_yaml::Deserializer::from_str(text),
        ) {
            Err(e) => located(e),
            Ok(_) => Error::Parse(UNREADABLE.into()),
        }
    }
}

/// Bundle, convert and fix a document read as a value, then read it into the 3.0 model.
fn from_value(
    value: Value,
    root: Option<&Path>,
    read: Option<&mut Reader<'_>>,
) -> Result<(openapiv3::OpenAPI, Vec<PathBuf>), Error> {
    let is_31 = openapi31::is_31(&value);
    let bundled = bundle::bundle(value, root, read);
    let mut diags = bundled.diags;
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Invalid(diags));
    }
    let mut doc = bundled.doc;
    if is_31 {
        openapi31::convert(&mut doc);
    }
    diags.extend(schemas::fix(&mut doc, is_31));
    if !diags.is_empty() {
        if let Value::Object(obj) = &mut doc {
            let list = diags
                .iter()
                .map(|d| serde_json::json!({"pointer": d.pointer, "message": d.message}))
                .collect();
            obj.insert(WARNINGS.into(), Value::Array(list));
        }
    }
    // Fast path: tracking the path costs ~2× on a valid document.
    let doc = match openapiv3::OpenAPI::deserialize(&doc) {
        Ok(doc) => doc,
        Err(_) => serde_path_to_error::deserialize(doc).map_err(located)?,
    };
    Ok((doc, bundled.files))
}

/// A deserialization error with the JSON pointer of where it happened.
fn located<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Error {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in e.path().iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&walk::escape(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    Error::Parse(format!("at {pointer}: {}", e.inner()))
}
