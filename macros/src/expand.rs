//! Code generation. Assumes a validated [`check::Handler`]; on errors, [`fallback`] emits a
//! stub with the same outer signature next to the errors.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn};

use crate::attr::HandlerArgs;
use crate::check::{self, Handler};
use crate::ctxt::Ctxt;
use crate::rules;

mod render;

/// Entry point: parse → validate → expand.
pub fn cliq_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "#[cliq_handler] applies to a function: `async fn name(...) -> Reply { ... }`",
            )
            .into_compile_error();
            return quote!(#err #item);
        }
    };
    let cx = Ctxt::new();
    let parsed = HandlerArgs::parse(&cx, args);
    let handler = check::check(&cx, &parsed, &func);
    match (cx.check(), handler) {
        (Ok(()), Some(handler)) => expand(&handler, &func),
        (Err(err), handler) => fallback(err, handler.as_ref(), &parsed, &func),
        (Ok(()), None) => fallback(
            syn::Error::new(Span::call_site(), "invalid #[cliq_handler]"),
            None,
            &parsed,
            &func,
        ),
    }
}

fn krate(handler: Option<&Handler>, args: &HandlerArgs) -> syn::Path {
    handler
        .map(|h| h.krate.clone())
        .or_else(|| args.krate.as_ref().map(|k| k.value.clone()))
        .unwrap_or_else(|| syn::parse_quote!(::cliq_webhook))
}

/// The registration item's doc comment.
fn companion_doc(name: &syn::Ident) -> String {
    format!(
        " Registers the Cliq handler [`{name}`](fn@{name}) with a bot: \
         `Bot::builder().handler({name} {{}})`. Put here by `#[cliq_handler]`, which leaves the \
         function itself as written."
    )
}

/// The registration item: a braced struct named like the function, so it lives in the type
/// namespace beside the function (as Rocket's route attributes do) and `name {}` builds it.
fn companion(func: &ItemFn) -> TokenStream {
    let vis = &func.vis;
    let name = &func.sig.ident;
    let doc = companion_doc(name);
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #name {}
    }
}

/// On error: the errors, the function as written and a registration item whose handler
/// never runs, so the rest of the user's code (`.handler(name {})`, calls of `name`)
/// type-checks and no secondary errors pile up.
fn fallback(
    err: syn::Error,
    handler: Option<&Handler>,
    args: &HandlerArgs,
    func: &ItemFn,
) -> TokenStream {
    let krate = krate(handler, args);
    let errors = err.into_compile_error();
    let name = &func.sig.ident;
    let companion = companion(func);
    let target = handler.map(|h| function_target(h, func));
    quote! {
        #errors
        #func
        #companion
        #target
        impl<__S> #krate::__private::IntoHandler<__S> for #name {
            fn into_handler(self) -> #krate::__private::Handler<__S> {
                ::core::unreachable!()
            }
        }
    }
}

/// The identifier of a rules enum's variant (its `Debug` name, which the derive makes the
/// variant's own).
fn variant(value: impl std::fmt::Debug) -> syn::Ident {
    syn::Ident::new(&format!("{value:?}"), Span::call_site())
}

/// A function's registration item names the function for the buttons and forms that invoke
/// it (`Button::invoke("Approve", approve {})`); other components' items are not targets.
fn function_target(handler: &Handler, func: &ItemFn) -> TokenStream {
    if handler.rule.component != rules::Component::Function {
        return TokenStream::new();
    }
    let krate = &handler.krate;
    let name = &func.sig.ident;
    let function = handler.name.as_deref().unwrap_or_default();
    let form = submitted_form(handler, func).map(|form| {
        quote_spanned! {form.span()=>
            impl #krate::FormTarget<#form> for #name {}
        }
    });
    quote! {
        impl #krate::FunctionTarget for #name {
            fn function_name(&self) -> &str {
                #function
            }
        }
        #form
    }
}

/// The form a `form_submit_handler` receives: `T` of its `Submission<T>` parameter (a path
/// ending in `Submission`, as written), whose derived form (`T::form(name {})`) may then be
/// submitted to this function. Read from the signature: a type alias of `Submission<T>` hides
/// it, and such a handler is the target of no derived form (the compiler says so at the
/// form, naming `FormTarget`).
fn submitted_form<'a>(handler: &Handler, func: &'a ItemFn) -> Option<&'a syn::Type> {
    if handler.rule.kind != rules::HandlerKind::FunctionFormSubmit {
        return None;
    }
    func.sig.inputs.iter().find_map(|input| {
        let FnArg::Typed(pat) = input else {
            return None;
        };
        let syn::Type::Path(path) = &*pat.ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if last.ident != "Submission" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        match args.args.first()? {
            syn::GenericArgument::Type(ty) if args.args.len() == 1 => Some(ty),
            _ => None,
        }
    })
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn expand(handler: &Handler, func: &ItemFn) -> TokenStream {
    let krate = &handler.krate;
    let private = quote!(#krate::__private);
    let name = &func.sig.ident;
    let kind = variant(handler.rule.kind);
    let perms = handler.permissions.iter().map(|p| variant(*p));
    let menu_name = opt_str(&handler.name);
    let icon = opt_str(&handler.icon);
    let subs = &handler.sub_actions;
    // Only a handler that names its bot says so: other expansions stay as they were.
    let bot = handler.bot.as_ref().map(|b| quote!(.__bot(#b)));
    let is_async = func.sig.asyncness.is_some();

    let mut types = Vec::new();
    let mut labels = Vec::new();
    for input in &func.sig.inputs {
        if let FnArg::Typed(pat) = input {
            types.push((*pat.ty).clone());
            labels.push(render::param(&pat.pat, &pat.ty));
        }
    }
    let args: Vec<_> = (0..types.len())
        .map(|i| format_ident!("__arg{}", i))
        .collect();
    let checks = types
        .iter()
        .zip(&labels)
        .map(|(ty, label)| param_checks(handler, &private, ty, label));
    let extracts = types.iter().zip(&args).map(|(ty, arg)| {
        quote_spanned! {ty.span()=>
            let #arg = <#ty as #private::FromInvocation<__S>>::from_invocation(__inv)?;
        }
    });
    let bounds = types.iter().map(|ty| {
        quote_spanned! {ty.span()=> #ty: #private::FromInvocation<__S>, }
    });
    let call = if is_async {
        quote!(#name(#(#args),*).await)
    } else {
        quote!(#name(#(#args),*))
    };
    let ret_span = match &func.sig.output {
        syn::ReturnType::Default => func.sig.ident.span(),
        syn::ReturnType::Type(_, ty) => ty.span(),
    };
    let reply_modes = crate::modes::checks(handler, &private, func);
    let into_reply = quote_spanned! {ret_span=> #private::IntoReply::into_reply(__out) };
    let companion = companion(func);
    let target = function_target(handler, func);

    quote! {
        #func
        #companion
        #target
        const _: () = {
            #(#checks)*
            #reply_modes
        };
        impl<__S> #private::IntoHandler<__S> for #name
        where
            __S: ::core::marker::Send + ::core::marker::Sync + 'static,
            #(#bounds)*
        {
            fn into_handler(self) -> #private::Handler<__S> {
                #private::Handler::__new(
                    #private::HandlerMeta::__new(
                        #private::HandlerKind::#kind,
                        &[#(#private::Permission::#perms),*],
                        #menu_name,
                        #icon,
                        &[#(#subs),*],
                        ::core::stringify!(#name),
                    )#bot,
                    |__inv: &#private::Invocation<'_, __S>| -> #private::HandlerResult {
                        #(#extracts)*
                        ::core::result::Result::Ok(::std::boxed::Box::pin(async move {
                            let __out = #call;
                            #into_reply
                        }))
                    },
                )
            }
        }
    }
}

/// Compile-time checks on one parameter, spanned at its type: the permission the extractor
/// needs must be declared, and handler-specific data must be sent to this handler kind. The
/// extractor's needs are associated consts, compared in a `const` so rustc reports the
/// message below at the parameter.
fn param_checks(
    handler: &Handler,
    private: &TokenStream,
    ty: &syn::Type,
    label: &str,
) -> TokenStream {
    let rule = handler.rule;
    let who = check::subject(rule);
    let mut body = Vec::new();
    for perm in rules::Permission::ALL {
        if handler.permissions.contains(perm) {
            continue;
        }
        let name = perm.name();
        let msg = if rule.permissions.contains(perm) {
            format!(
                "`{label}` needs the `{name}` permission, which this handler does not declare; add `{name}` to `permissions(...)`"
            )
        } else {
            format!(
                "`{label}` needs the `{name}` permission, which {who} cannot have (it allows {})",
                check::permission_list(rule.permissions)
            )
        };
        let variant = variant(*perm);
        body.push(quote_spanned! {ty.span()=>
            if #private::needs(<#ty as #private::Extractor>::PERMISSION, #private::Permission::#variant) {
                ::core::panic!(#msg)
            }
        });
    }
    let own: Vec<String> = rules::data_extractors(rule.kind)
        .map(|e| format!("`{e}`"))
        .collect();
    let own = if own.is_empty() {
        "it has no data of its own".to_owned()
    } else {
        format!("its own data is {}", own.join(", "))
    };
    let msg = format!("`{label}` is not data that {who} receives; {own}");
    let kind = variant(rule.kind);
    body.push(quote_spanned! {ty.span()=>
        if !#private::data_of(<#ty as #private::Extractor>::HANDLERS, #private::HandlerKind::#kind) {
            ::core::panic!(#msg)
        }
    });
    quote_spanned! {ty.span()=>
        const _: () = { #(#body)* };
    }
}
