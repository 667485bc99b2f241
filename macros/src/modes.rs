//! Reply modes: the handler's return type says how it answers (`IntoReply::MODE`); modes
//! the handler type cannot use ([`rules::reply_modes`]) are refused at the return type.

use proc_macro2::TokenStream;
use quote::quote_spanned;
use syn::spanned::Spanned;
use syn::{ItemFn, ReturnType, Type};

use crate::check::Handler;
use crate::rules::{self, ReplyMode};

/// A `const` block per mode the handler type refuses, spanned at the return type, so rustc
/// reports the message there; none when the handler type allows every mode (each emitted item
/// costs type-checking on every rebuild, figure 4 of BENCHMARKS.md). `impl Trait` return
/// types are not checked (no nameable type).
pub fn checks(handler: &Handler, private: &TokenStream, func: &ItemFn) -> TokenStream {
    let ReturnType::Type(_, ty) = &func.sig.output else {
        return TokenStream::new(); // `()`: immediate, allowed everywhere
    };
    if matches!(**ty, Type::ImplTrait(_)) {
        return TokenStream::new();
    }
    let who = crate::check::subject(handler.rule);
    let allowed = rules::reply_modes(handler.rule.kind);
    let allowed_list = allowed
        .iter()
        .map(|m| format!("`{}` (return {})", m.name(), m.returns()))
        .collect::<Vec<_>>()
        .join("; ");
    let refused: Vec<_> = ReplyMode::ALL
        .iter()
        .filter(|m| !allowed.contains(m))
        .collect();
    if refused.is_empty() {
        return TokenStream::new(); // every mode allowed: no `const` item to type-check
    }
    let body = refused.into_iter().map(|mode| {
        let variant = syn::Ident::new(&format!("{mode:?}"), ty.span());
        let msg = format!(
            "{who} cannot answer in the `{}` reply mode (this return type); it allows {allowed_list}",
            mode.name()
        );
        quote_spanned! {ty.span()=>
            if ::core::matches!(<#ty as #private::IntoReply>::MODE, #private::ReplyMode::#variant) {
                ::core::panic!(#msg)
            }
        }
    });
    quote_spanned! {ty.span()=>
        const _: () = { #(#body)* };
    }
}
