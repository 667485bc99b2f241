//! The conformance table of a crate of several modules ([`crate::Modules::conformance_table`]):
//! every operation of every module, callable from JSON inputs through the generated client.
//!
//! A test that drives every operation against a mock server (Prism) cannot call 150 methods
//! with 150 different signatures by hand; this table does it for it. Each entry deserializes
//! its inputs into the operation's generated types (params struct, path parameter types, body
//! type), calls the generated method, and says how the call went: the success type decoded, or
//! the error (with whether the documented error body decoded). Nothing here is dynamic
//! dispatch over the wire: the requests are built by the generated methods themselves.

use super::ty;
use crate::model::{BodyEncoding, Model, Operation, TypeRef};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The table's items for `modules` (name, model) of the crate at `krate` (`::cliq_api`).
pub fn emit(modules: &[(&str, &Model)], krate: &TokenStream) -> TokenStream {
    let rt = quote!(#krate::runtime);
    let mut entries = Vec::new();
    let mut mods = Vec::new();
    for (name, model) in modules {
        let m = ident(name);
        let fns = model
            .operations
            .iter()
            .filter(|op| unsupported(op).is_none())
            .map(|op| call_fn(op, name, krate));
        for op in &model.operations {
            let c = ident(&op.const_name);
            let f = ident(&op.fn_name);
            let method_name = op.fn_name.trim_start_matches("r#");
            let call = match unsupported(op) {
                Some(why) => quote!(::std::result::Result::Err(#why)),
                None => quote!(::std::result::Result::Ok(#m::#f)),
            };
            entries.push(quote! {
                Operation {
                    module: #name,
                    method: #method_name,
                    meta: &#krate::#m::operations::#c,
                    call: #call,
                },
            });
        }
        let d = format!(" The calls of the module `{name}`.");
        mods.push(quote! {
            #[doc = #d]
            mod #m {
                #(#fns)*
            }
        });
    }
    quote! {
        use #rt as rt;

        /// The inputs of one call, as JSON, by the names the spec gives them.
        #[derive(Debug, Clone, Default)]
        pub struct Inputs {
            /// Path parameters (`BOT_ID`).
            pub path: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            /// Query, header and cookie parameters.
            pub params: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            /// The request body.
            pub body: ::std::option::Option<::serde_json::Value>,
        }

        // Not every table calls an operation with each kind of input.
        #[allow(dead_code)]
        impl Inputs {
            fn path<T: ::serde::de::DeserializeOwned>(&self, name: &str) -> ::std::result::Result<T, ::std::string::String> {
                match self.path.get(name) {
                    Some(value) => typed(value, &format!("path parameter `{name}`")),
                    None => Err(format!("no value for the path parameter `{name}`")),
                }
            }

            fn param<T: ::serde::de::DeserializeOwned>(&self, name: &str) -> ::std::result::Result<::std::option::Option<T>, ::std::string::String> {
                self.params
                    .get(name)
                    .map(|value| typed(value, &format!("parameter `{name}`")))
                    .transpose()
            }

            fn required_param<T: ::serde::de::DeserializeOwned>(&self, name: &str) -> ::std::result::Result<T, ::std::string::String> {
                self.param(name)?
                    .ok_or_else(|| format!("no value for the required parameter `{name}`"))
            }

            fn body<T: ::serde::de::DeserializeOwned>(&self) -> ::std::result::Result<::std::option::Option<T>, ::std::string::String> {
                self.body.as_ref().map(|value| typed(value, "the body")).transpose()
            }

            fn required_body<T: ::serde::de::DeserializeOwned>(&self) -> ::std::result::Result<T, ::std::string::String> {
                self.body()?.ok_or_else(|| "no value for the required body".to_string())
            }
        }

        /// `value` as the generated type `T`.
        fn typed<T: ::serde::de::DeserializeOwned>(value: &::serde_json::Value, what: &str) -> ::std::result::Result<T, ::std::string::String> {
            ::serde_json::from_value(value.clone()).map_err(|e| {
                format!("{what} does not deserialize into `{}`: {e}", ::std::any::type_name::<T>())
            })
        }

        /// How a call went.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Outcome {
            /// A 2xx response, decoded into the operation's success type (its `Debug` text).
            Decoded(::std::string::String),
            /// The call failed.
            Failed {
                /// The HTTP status, when a response came back.
                status: ::std::option::Option<u16>,
                /// The error, as displayed.
                error: ::std::string::String,
                /// Whether the error body decoded into the type the spec documents for the
                /// status (`None`: the operation documents no error body).
                error_body: ::std::option::Option<bool>,
            },
        }

        /// One call in flight; `Err` when the inputs do not fit the generated types.
        pub type Call = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::result::Result<Outcome, ::std::string::String>>>>;

        /// One operation of one module.
        pub struct Operation {
            /// The module (and Cargo feature).
            pub module: &'static str,
            /// The name of the module client's method.
            pub method: &'static str,
            /// The operation's metadata.
            pub meta: &'static rt::OperationMeta,
            /// Calls the operation through the module's generated client on the given runtime
            /// client; `Err`: why this table cannot call it.
            pub call: ::std::result::Result<fn(rt::Client, Inputs) -> Call, &'static str>,
        }

        #[allow(dead_code)] // a table of no callable operation
        fn outcome<T: ::std::fmt::Debug, E: rt::ErrorCode>(
            result: ::std::result::Result<T, rt::Error<E>>,
            error_body: ::std::option::Option<fn(&rt::Error<E>) -> bool>,
        ) -> Outcome {
            match result {
                Ok(value) => Outcome::Decoded(format!("{value:?}")),
                Err(e) => Outcome::Failed {
                    status: e.status(),
                    error: e.to_string(),
                    error_body: error_body.map(|decodes| decodes(&e)),
                },
            }
        }

        /// Every operation of every module, in module order, then document order.
        pub const OPERATIONS: &[Operation] = &[#(#entries)*];

        #(#mods)*
    }
}

/// Why the table cannot call `op` from JSON inputs, if it cannot.
fn unsupported(op: &Operation) -> Option<&'static str> {
    match &op.body {
        Some(b) if b.encoding == BodyEncoding::Multipart => {
            Some("a multipart/form-data body: its parts are not JSON inputs")
        }
        _ => None,
    }
}

/// `fn <method>(client, inputs) -> Call`: the inputs as the method's argument types, the call.
fn call_fn(op: &Operation, module: &str, krate: &TokenStream) -> TokenStream {
    let m = ident(module);
    let f = ident(&op.fn_name);
    let types = quote!(#krate::#m::types::);
    let mut prep = Vec::new();
    let mut args = Vec::new();
    for p in &op.path_params {
        let n = ident(&p.rust_name);
        let wire = &p.wire_name;
        match (&p.custom, &p.ty) {
            (Some(_), _) | (None, TypeRef::String) => {
                prep.push(quote!(let #n: ::std::string::String = inputs.path(#wire)?;));
                if p.custom.is_some() {
                    args.push(quote!(#n));
                } else {
                    args.push(quote!(&#n));
                }
            }
            (None, t) => {
                let t = ty(t, &types);
                prep.push(quote!(let #n: #t = inputs.path(#wire)?;));
                args.push(quote!(&#n));
            }
        }
    }
    if let Some(ps) = &op.params_struct {
        let ps = ident(ps);
        let fields = op.query.iter().map(|q| {
            let n = ident(&q.rust_name);
            let wire = &q.wire_name;
            if q.required {
                quote!(#n: inputs.required_param(#wire)?,)
            } else {
                quote!(#n: inputs.param(#wire)?,)
            }
        });
        prep.push(quote!(let params = #types #ps { #(#fields)* };));
        args.push(quote!(&params));
    }
    if let Some(body) = &op.body {
        let t = match &body.ty {
            TypeRef::Text => quote!(::std::string::String),
            TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
            other => ty(other, &types),
        };
        if body.required {
            prep.push(quote!(let body: #t = inputs.required_body()?;));
            args.push(quote!(&body));
        } else {
            prep.push(quote!(let body: ::std::option::Option<#t> = inputs.body()?;));
            let pass = match &body.ty {
                TypeRef::Text | TypeRef::Bytes => quote!(body.as_deref()),
                _ => quote!(body.as_ref()),
            };
            args.push(pass);
        }
    }
    let err = ident(&op.error_enum);
    let error_body = if op.error_body.is_some() {
        quote!(Some(|e| #krate::#m::errors::#err::error_body(e).is_some()))
    } else {
        quote!(None)
    };
    let d = format!(
        " `{} {}` (`{}`) through `{}::Client::{}`.",
        format!("{:?}", op.method).to_uppercase(),
        op.path.replace('`', ""),
        op.operation_id.replace('`', ""),
        module,
        op.fn_name.trim_start_matches("r#"),
    );
    let uses_inputs = !prep.is_empty();
    let inputs = if uses_inputs {
        quote!(inputs)
    } else {
        quote!(_inputs)
    };
    quote! {
        #[doc = #d]
        pub(super) fn #f(client: super::rt::Client, #inputs: super::Inputs) -> super::Call {
            ::std::boxed::Box::pin(async move {
                let client = #krate::#m::Client::new(client);
                #(#prep)*
                Ok(super::outcome(client.#f(#(#args),*).await, #error_body))
            })
        }
    }
}
