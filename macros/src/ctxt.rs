//! Error sink (serde's `Ctxt`): checks record errors and keep going, so users see every
//! problem in one build.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::Span;

/// Collects `syn::Error`s; must be drained with [`Ctxt::check`].
pub struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error at `span`.
    pub fn error(&self, span: Span, msg: impl Display) {
        self.syn_error(syn::Error::new(span, msg));
    }

    /// Records a parse error.
    pub fn syn_error(&self, err: syn::Error) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(err);
        }
    }

    /// Drains the sink: `Ok` when nothing was recorded, else all errors combined.
    pub fn check(self) -> Result<(), syn::Error> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut iter = errors.into_iter();
        match iter.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in iter {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        // Our own invariant (never input-derived): every path must drain the sink.
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("cliq-macros bug: Ctxt dropped without check()");
        }
    }
}
