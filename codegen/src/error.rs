//! What the generator reports: [`Diagnostic`]s located by JSON pointer, and the [`Error`]
//! that ends generation.

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
    /// The [`Settings`](crate::Settings) are invalid (a runtime path or parameter type that is not Rust).
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
    /// A parser or the generator panicked on this document: a bug (in this crate or a parser
    /// it uses), caught so that the caller gets an error instead of an unwinding thread. Tests
    /// treat it as a failure, never as a refusal of the document.
    #[error("internal error (please report): {0}")]
    Panicked(String),
}

fn list(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}
