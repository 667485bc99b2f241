//! Model → tokens. Emitters never see `openapiv3` types and never decide names.

pub mod client;
pub mod conformance;
pub mod rules;
pub mod types;

use crate::model::TypeRef;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line, for a doc string.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| {
        let l: String = l
            .chars()
            .filter(|&c| !crate::docs::is_direction_control(c))
            .collect();
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// Tokens for a type reference, with `types::` prefix for named types when `qualify` is set.
pub fn ty(t: &TypeRef, prefix: &TokenStream) -> TokenStream {
    match t {
        TypeRef::String | TypeRef::Text => quote!(::std::string::String),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Bool => quote!(bool),
        TypeRef::Int(i) => {
            let i = ident(i);
            quote!(#i)
        }
        TypeRef::Float => quote!(f64),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(n) => {
            let n = ident(n);
            quote!(#prefix #n)
        }
        TypeRef::Vec(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) if **inner == TypeRef::Json => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        TypeRef::Map(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::boxed::Box<#inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::option::Option<#inner>)
        }
        // Re-exported from the runtime by `types` when a multipart body uses it.
        TypeRef::File => quote!(#prefix FilePart),
        // Checked to parse as a type when lowered.
        TypeRef::External(path) => syn::parse_str::<syn::Type>(path)
            .map(|t| quote!(#t))
            .unwrap_or_else(|_| quote!(::serde_json::Value)),
    }
}
