//! `client.rs`, `errors.rs`, `operations.rs`: one method, one error-code enum and one metadata
//! constant per operation.

use super::{doc_attrs, ty};
use crate::model::{
    BodyEncoding, ErrorBody, Model, Operation, Param, ParamLocation, Response, StatusMatch, TypeRef,
};
use crate::naming::ident;
use crate::path_template::Segment;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `operations.rs`.
pub fn emit_operations(model: &Model, rt: &TokenStream) -> TokenStream {
    let consts = model.operations.iter().map(|op| {
        let name = ident(&op.const_name);
        let id = &op.operation_id;
        let path = &op.path;
        let method = format_ident!("{}", format!("{:?}", op.method));
        let scopes = &op.scopes;
        let rate = match &op.rate_limit {
            Some(r) => {
                let requests = r.requests;
                let window = r.window_secs;
                let per = &r.per;
                let lock = match r.lock_period_secs {
                    Some(s) => {
                        quote!(::std::option::Option::Some(::std::time::Duration::from_secs(#s)))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(::std::option::Option::Some(#rt::RateLimit {
                    requests: #requests,
                    window: ::std::time::Duration::from_secs(#window),
                    per: #per,
                    lock_period: #lock,
                }))
            }
            None => quote!(::std::option::Option::None),
        };
        let d = format!(
            " How [`Client::{}`](super::Client::{}) calls the API: `{} {}` (`{}`), its OAuth scopes and rate limit.",
            op.fn_name.trim_start_matches("r#"),
            op.fn_name.trim_start_matches("r#"),
            format!("{:?}", op.method).to_uppercase(),
            op.path,
            op.operation_id
        );
        quote! {
            #[doc = #d]
            pub const #name: #rt::OperationMeta = #rt::OperationMeta {
                operation_id: #id,
                method: #rt::Method::#method,
                path: #path,
                scopes: &[#(#scopes),*],
                rate_limit: #rate,
            };
        }
    });
    let all = model.operations.iter().map(|op| ident(&op.const_name));
    quote! {
        #(#consts)*
        /// Every operation of this API, in document order.
        pub const ALL: &[&#rt::OperationMeta] = &[#(&#all),*];
    }
}

/// `errors.rs`.
pub fn emit_errors(model: &Model, rt: &TokenStream) -> TokenStream {
    let enums = model.operations.iter().map(|op| {
        let name = ident(&op.error_enum);
        let variants = op.error_codes.iter().map(|(v, c)| {
            let v = ident(v);
            let d = if c.description.is_empty() {
                format!(" The error code `{}`.", c.code)
            } else {
                format!(
                    " `{}`: {}",
                    c.code,
                    crate::docs::cell(&crate::prose::to_doc_markdown(&c.description))
                )
            };
            quote!(#[doc = #d] #v,)
        });
        let from = op.error_codes.iter().map(|(v, c)| {
            let v = ident(v);
            let code = &c.code;
            quote!(#code => Self::#v,)
        });
        let as_str = op.error_codes.iter().map(|(v, c)| {
            let v = ident(v);
            let code = &c.code;
            quote!(Self::#v => #code,)
        });
        let from_body = if op.error_codes.is_empty() {
            quote!(Self::Other(code.to_string()))
        } else {
            quote!(match code { #(#from)* other => Self::Other(other.to_string()), })
        };
        let d = format!(
            " Error codes the spec documents for [`Client::{}`](super::Client::{}).",
            op.fn_name.trim_start_matches("r#"),
            op.fn_name.trim_start_matches("r#")
        );
        let body = op.error_body.as_ref().map(|b| error_body(op, b, rt));
        quote! {
            #[doc = #d]
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
                /// A code this operation's documentation does not list, kept verbatim.
                Other(::std::string::String),
            }
            impl #rt::ErrorCode for #name {
                fn from_code(code: &str) -> Self {
                    #from_body
                }
                fn as_str(&self) -> &str {
                    match self {
                        #(#as_str)*
                        Self::Other(code) => code.as_str(),
                    }
                }
            }
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#rt::ErrorCode::as_str(self))
                }
            }
            #body
        }
    });
    quote!(#(#enums)*)
}

/// The enum of an operation's error bodies (when they differ by status) and
/// `<Op>ErrorCode::error_body`, which decodes a failed call's body by its status.
fn error_body(op: &Operation, b: &ErrorBody, rt: &TokenStream) -> TokenStream {
    let name = ident(&op.error_enum);
    let types = quote!(super::types::);
    let fn_name = op.fn_name.trim_start_matches("r#");
    let status_doc = |m: &StatusMatch| match m {
        StatusMatch::Code(c) => format!("HTTP {c}"),
        StatusMatch::Range(r) => format!("HTTP {r}xx"),
        StatusMatch::Default => "Any other status (`default`)".to_string(),
    };
    let (ret, wrap, def): (TokenStream, Vec<TokenStream>, TokenStream) = match &b.enum_name {
        Some(e) => {
            let e = ident(e);
            let vs = b.cases.iter().map(|(m, v, t)| {
                let v = ident(v);
                let d = format!(" {}.", status_doc(m));
                let t = ty(t, &types);
                quote!(#[doc = #d] #v(#t),)
            });
            let d = format!(" The error bodies [`Client::{fn_name}`](super::Client::{fn_name}) documents, by status.");
            let wrap = b
                .cases
                .iter()
                .map(|(_, v, _)| {
                    let v = ident(v);
                    quote!(.map(#e::#v))
                })
                .collect();
            (
                quote!(#e),
                wrap,
                quote! {
                    #[doc = #d]
                    #[derive(Debug, Clone, PartialEq)]
                    #[allow(clippy::large_enum_variant)]
                    pub enum #e { #(#vs)* }
                },
            )
        }
        None => {
            let t = b
                .cases
                .first()
                .map(|(_, _, t)| ty(t, &types))
                .unwrap_or_else(|| quote!(::serde_json::Value));
            (t, vec![quote!(); b.cases.len()], quote!())
        }
    };
    let decode = quote!(::serde_json::from_str(body).ok());
    let pattern = |m: &StatusMatch| match m {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(r * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(r * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    };
    let has_default = b.cases.iter().any(|(m, _, _)| *m == StatusMatch::Default);
    let read = if b.enum_name.is_none() && has_default {
        // One type for every status.
        quote!(let body = error.body()?; #decode)
    } else if b.enum_name.is_none() {
        // One type for all of them: exact codes, then the classes with adjacent ones joined
        // (`4XX` + `5XX` → `400..=599`, which clippy's `manual_range_patterns` asks for).
        let mut pats: Vec<TokenStream> = Vec::new();
        let mut classes: Vec<u16> = Vec::new();
        for (m, _, _) in &b.cases {
            match m {
                StatusMatch::Range(r) => classes.push(*r),
                other => pats.push(pattern(other)),
            }
        }
        classes.sort_unstable();
        classes.dedup();
        let mut spans: Vec<(u16, u16)> = Vec::new();
        for r in classes {
            match spans.last_mut() {
                Some((_, hi)) if *hi + 1 == r => *hi = r,
                _ => spans.push((r, r)),
            }
        }
        pats.extend(spans.into_iter().map(|(lo, hi)| {
            let lo = proc_macro2::Literal::u16_unsuffixed(lo * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(hi * 100 + 99);
            quote!(#lo..=#hi)
        }));
        quote! {
            let status = error.status()?;
            let body = error.body()?;
            match status {
                #(#pats)|* => #decode,
                _ => ::std::option::Option::None,
            }
        }
    } else {
        let arms = b.cases.iter().zip(&wrap).map(|((m, _, _), w)| {
            let pat = pattern(m);
            quote!(#pat => #decode #w,)
        });
        let fallback = (!has_default).then(|| quote!(_ => ::std::option::Option::None,));
        quote! {
            let status = error.status()?;
            let body = error.body()?;
            match status { #(#arms)* #fallback }
        }
    };
    let d = format!(" The body of a failed call of [`Client::{fn_name}`](super::Client::{fn_name}), decoded as the type the spec documents for its status: `None` when no HTTP answer came back or the body does not fit.");
    quote! {
        #def
        impl #name {
            #[doc = #d]
            pub fn error_body(error: &#rt::Error<Self>) -> ::std::option::Option<#ret> {
                #read
            }
        }
    }
}

/// `client.rs`.
pub fn emit_client(model: &Model, rt: &TokenStream) -> TokenStream {
    let methods = model.operations.iter().map(|op| method(op, model, rt));
    let needs_helper = model.operations.iter().any(|op| {
        op.query
            .iter()
            .chain(op.path_params.iter().filter(|p| p.custom.is_none()))
            .any(|p| !displayable(&p.ty, model))
    });
    let helper = needs_helper.then(|| {
        quote! {
            /// A parameter value as text: strings as they are, anything else as its JSON.
            fn param_string<T: ::serde::Serialize + ?Sized>(value: &T) -> ::std::string::String {
                match ::serde_json::to_value(value) {
                    Ok(::serde_json::Value::String(s)) => s,
                    Ok(other) => other.to_string(),
                    Err(_) => ::std::string::String::new(),
                }
            }
        }
    });
    let pages = model
        .operations
        .iter()
        .filter_map(|op| page_impl(op, model, rt));
    let d = format!(
        " Typed client for the {} API: one method per operation.",
        crate::docs::plain_to_markdown(&model.title)
    );
    let imports = (!model.operations.is_empty()).then(|| {
        if model.operations.iter().any(uses_types) {
            quote!(
                use super::{errors, operations, types};
            )
        } else {
            quote!(
                use super::{errors, operations};
            )
        }
    });
    let with_options_doc = {
        let rt = doc_path(rt);
        format!(
            " A view of this client whose calls use `options` (timeout, retry policy, extra headers) over the client's own: see [`Client::with_options`]({rt}::Client::with_options). For a call's raw response (status, headers) beside its result, wrap the call in [`with_raw_response`]({rt}::with_raw_response)."
        )
    };
    quote! {
        #imports

        #[doc = #d]
        ///
        /// Wraps a configured runtime client (data center, token source, timeouts, limiter).
        #[derive(Clone)]
        pub struct Client {
            inner: #rt::Client,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client").finish_non_exhaustive()
            }
        }

        impl Client {
            /// Wrap a configured runtime client.
            pub fn new(inner: #rt::Client) -> Self {
                Self { inner }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &#rt::Client {
                &self.inner
            }

            #[doc = #with_options_doc]
            pub fn with_options(&self, options: #rt::CallOptions) -> Self {
                Self { inner: self.inner.with_options(options) }
            }

            #(#methods)*
        }

        #(#pages)*
        #helper
    }
}

/// Whether the method of `op` names anything in `types`.
fn uses_types(op: &Operation) -> bool {
    fn named(t: &TypeRef) -> bool {
        match t {
            TypeRef::Named(_) => true,
            TypeRef::Vec(t) | TypeRef::Map(t) | TypeRef::Boxed(t) | TypeRef::Nullable(t) => {
                named(t)
            }
            _ => false,
        }
    }
    op.params_struct.is_some()
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
        || op
            .path_params
            .iter()
            .any(|p| p.custom.is_none() && named(&p.ty))
        || match &op.response {
            Response::Single(t) => t.as_ref().is_some_and(named),
            Response::ByStatus { variants, .. } => variants
                .iter()
                .any(|(_, _, t)| t.as_ref().is_some_and(named)),
        }
}

/// Whether a parameter of this type renders with `Display` (scalars and string enums).
fn displayable(t: &TypeRef, model: &Model) -> bool {
    match t {
        TypeRef::String | TypeRef::Bool | TypeRef::Int(_) | TypeRef::Float => true,
        TypeRef::Named(n) => {
            model
                .types
                .iter()
                .find(|d| &d.name == n)
                .is_some_and(|d| match &d.kind {
                    crate::model::TypeKind::Enum { .. } => true,
                    crate::model::TypeKind::Alias(inner) => displayable(inner, model),
                    _ => false,
                })
        }
        TypeRef::Vec(inner) => displayable(inner, model),
        _ => false,
    }
}

/// How a success body of this type is read from `response`.
fn read_body(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Bytes => quote!(response.body.to_vec()),
        TypeRef::Text => quote!(response.text()),
        _ => quote!(response.json()?),
    }
}

fn path_arg(p: &Param) -> (TokenStream, TokenStream) {
    path_arg_in(p, TokenStream::new())
}

/// A path argument whose references carry `lifetime` (empty: elided).
fn path_arg_in(p: &Param, lifetime: TokenStream) -> (TokenStream, TokenStream) {
    let n = ident(&p.rust_name);
    let none = TokenStream::new();
    let types_prefix = quote!(types::);
    match (&p.custom, &p.ty) {
        (Some(custom), _) => {
            let path: TokenStream = custom
                .parse()
                .unwrap_or_else(|_| quote!(::std::string::String));
            (
                quote!(#n: impl ::std::convert::Into<#path>),
                quote!(let #n: #path = #n.into();),
            )
        }
        (None, TypeRef::String) => (quote!(#n: &#lifetime str), none),
        (None, t) => {
            let t = ty(t, &types_prefix);
            (quote!(#n: &#lifetime #t), none)
        }
    }
}

fn path_expr(op: &Operation, model: &Model) -> TokenStream {
    let mut fmt = String::new();
    let mut args = Vec::new();
    for s in &op.segments {
        match s {
            Segment::Literal(l) => fmt.push_str(&l.replace('{', "{{").replace('}', "}}")),
            Segment::Param(name) => {
                fmt.push_str("{}");
                if let Some(p) = op.path_params.iter().find(|p| &p.wire_name == name) {
                    let n = ident(&p.rust_name);
                    let value = match (&p.custom, &p.ty) {
                        (Some(_), _) => quote!(::std::convert::AsRef::<str>::as_ref(&#n)),
                        (None, TypeRef::String) => quote!(#n),
                        (None, t) if displayable(t, model) => quote!(&#n.to_string()),
                        (None, _) => quote!(&param_string(#n)),
                    };
                    args.push(quote!(encode_path_segment(#value)));
                }
            }
        }
    }
    if args.is_empty() {
        quote!(::std::string::String::from(#fmt))
    } else {
        quote!(format!(#fmt, #(#args),*))
    }
}

fn success_type(op: &Operation) -> TokenStream {
    let prefix = quote!(types::);
    match &op.response {
        Response::Single(Some(t)) => ty(t, &prefix),
        Response::Single(None) => quote!(()),
        Response::ByStatus { name, .. } => {
            let n = ident(name);
            quote!(#n)
        }
    }
}

fn method(op: &Operation, model: &Model, rt: &TokenStream) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let meta = ident(&op.const_name);
    let err = ident(&op.error_enum);
    let doc = method_doc(op, rt);
    let doc = doc_attrs(Some(&doc));
    let mut args = Vec::new();
    let mut prep = Vec::new();
    for p in &op.path_params {
        let (arg, pre) = path_arg(p);
        args.push(arg);
        prep.push(pre);
    }
    let mut build = Vec::new();
    if let Some(ps) = &op.params_struct {
        let ps = ident(ps);
        args.push(quote!(params: &types::#ps));
        for q in &op.query {
            let n = ident(&q.rust_name);
            let wire = &q.wire_name;
            let show = displayable(&q.ty, model);
            let add = match q.location {
                ParamLocation::Header => quote!(header_param),
                ParamLocation::Cookie => quote!(cookie),
                _ => quote!(query),
            };
            let push = |v: TokenStream| match &q.ty {
                TypeRef::Vec(_) if show => {
                    quote!(for item in #v { request = request.#add(#wire, item); })
                }
                _ if show => quote!(request = request.#add(#wire, #v);),
                _ => quote!(request = request.#add(#wire, param_string(#v));),
            };
            if q.required {
                // Copy scalars by value: borrowing them is clippy's needless borrow.
                let copy = show && matches!(q.ty, TypeRef::Bool | TypeRef::Int(_) | TypeRef::Float);
                build.push(push(if copy {
                    quote!(params.#n)
                } else {
                    quote!(&params.#n)
                }));
            } else {
                let inner = push(quote!(value));
                build.push(quote!(if let Some(value) = &params.#n { #inner }));
            }
        }
    }
    if let Some(body) = &op.body {
        let t = match (&body.encoding, &body.ty) {
            (BodyEncoding::Multipart, TypeRef::Json) => quote!(#rt::Multipart),
            (_, TypeRef::Text) => quote!(str),
            (_, TypeRef::Bytes) => quote!([u8]),
            (_, other) => ty(other, &quote!(types::)),
        };
        let set = match &body.encoding {
            BodyEncoding::Json => quote!(request = request.json(body);),
            BodyEncoding::Form => quote!(request = request.form(body);),
            BodyEncoding::Raw(ct) => {
                quote!(request = request.raw(#ct, body.to_owned());)
            }
            BodyEncoding::Multipart if body.ty == TypeRef::Json => {
                quote!(request = request.multipart(body.clone());)
            }
            BodyEncoding::Multipart => multipart_parts(&body.ty, model, rt),
        };
        if body.required {
            args.push(quote!(body: &#t));
            build.push(set);
        } else {
            args.push(quote!(body: ::std::option::Option<&#t>));
            build.push(quote!(if let Some(body) = body { #set }));
        }
    }
    let path = path_expr(op, model);
    let ret = success_type(op);
    // The success decoder, a plain `fn` (no captures) that `Call` runs on the response.
    let decode = match &op.response {
        Response::Single(Some(t @ (TypeRef::Bytes | TypeRef::Text))) => {
            let read = read_body(t);
            quote!(|response| Ok(#read))
        }
        Response::Single(Some(_)) => quote!(),
        Response::Single(None) => quote!(|_| Ok(())),
        Response::ByStatus { name, variants } => {
            let n = ident(name);
            let arms = variants.iter().map(|(code, v, t)| {
                let v = ident(v);
                match t {
                    Some(t) => {
                        let read = read_body(t);
                        quote!(#code => Ok(#n::#v(#read)),)
                    }
                    None => quote!(#code => Ok(#n::#v),),
                }
            });
            let fallback = match variants.first() {
                Some((_, v, Some(t))) => {
                    let v = ident(v);
                    let read = read_body(t);
                    quote!(_ => Ok(#n::#v(#read)),)
                }
                Some((_, v, None)) => {
                    let v = ident(v);
                    quote!(_ => Ok(#n::#v),)
                }
                None => quote!(),
            };
            quote!(|response| match response.status { #(#arms)* #fallback })
        }
    };
    let send = if decode.is_empty() {
        quote!(self.inner.call_json(request))
    } else {
        quote!(self.inner.call_with(request, #decode))
    };
    let mutable = if build.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let import = if op.path_params.is_empty() {
        quote!()
    } else {
        quote!(use #rt::encode_path_segment;)
    };
    let stream = op.pagination.as_ref().map(|pg| {
        let s = ident(&pg.stream_fn);
        let item = ty(&pg.item, &quote!(types::));
        let token = ident(&pg.token_param);
        let ps = ident(op.params_struct.as_deref().unwrap_or("Params"));
        let path_args: Vec<TokenStream> = op.path_params.iter().map(|p| path_arg_in(p, quote!('a)).0).collect();
        let tok_field = op.query.iter().find(|q| q.rust_name == pg.token_param);
        let set_token = match (&pg.token_type, tok_field.is_some_and(|q| q.required)) {
            (TypeRef::String, false) => quote!(params.#token = Some(token);),
            (TypeRef::String, true) => quote!(params.#token = token;),
            (_, false) => quote!(params.#token = token.parse().ok();),
            (_, true) => quote!(if let Ok(token) = token.parse() { params.#token = token; }),
        };
        let path_clone: Vec<TokenStream> = op.path_params.iter().map(|p| {
            let n = ident(&p.rust_name);
            match &p.custom {
                Some(c) => {
                    let path: TokenStream = c.parse().unwrap_or_else(|_| quote!(::std::string::String));
                    quote!(let #n: #path = #n.into();)
                }
                None => quote!(),
            }
        }).collect();
        let clones: Vec<TokenStream> = op.path_params.iter().filter(|p| p.custom.is_some()).map(|p| {
            let n = ident(&p.rust_name);
            quote!(let #n = #n.clone();)
        }).collect();
        let pass: Vec<TokenStream> = op.path_params.iter().map(|p| {
            let n = ident(&p.rust_name);
            quote!(#n)
        }).collect();
        let d = format!(" Every item of [`Client::{}`], following `next_token` to the last page.", op.fn_name.trim_start_matches("r#"));
        quote! {
            #[doc = #d]
            pub fn #s<'a>(&'a self, #(#path_args,)* params: &types::#ps) -> impl ::futures::Stream<Item = ::std::result::Result<#item, #rt::Error<errors::#err>>> + 'a {
                #(#path_clone)*
                let params = params.clone();
                #rt::paginate(move |token: ::std::option::Option<::std::string::String>| {
                    let mut params = params.clone();
                    if let Some(token) = token {
                        #set_token
                    }
                    #(#clones)*
                    async move { self.#fn_name(#(#pass,)* &params).await }
                })
            }
        }
    });
    quote! {
        #doc
        pub fn #fn_name(&self, #(#args),*) -> impl ::std::future::Future<Output = ::std::result::Result<#ret, #rt::Error<errors::#err>>> + '_ {
            #import
            #(#prep)*
            let #mutable request = #rt::Request::new(&operations::#meta, #path);
            #(#build)*
            #send
        }

        #stream
    }
}

/// The statements that send a multipart body struct as its parts: files as file parts,
/// scalars and string enums as text, anything else as a JSON part.
fn multipart_parts(body: &TypeRef, model: &Model, rt: &TokenStream) -> TokenStream {
    let fields = match body {
        TypeRef::Named(n) => {
            model
                .types
                .iter()
                .find(|t| &t.name == n)
                .and_then(|t| match &t.kind {
                    crate::model::TypeKind::Multipart { fields } => Some(fields.as_slice()),
                    _ => None,
                })
        }
        _ => None,
    };
    let parts = fields.unwrap_or_default().iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        let add = |v: TokenStream| match &f.ty {
            TypeRef::File => quote!(form = form.file(#wire, #v);),
            TypeRef::Vec(inner) if **inner == TypeRef::File => {
                quote!(for file in #v { form = form.file(#wire, file); })
            }
            TypeRef::Vec(inner) if displayable(inner, model) => {
                quote!(for item in #v { form = form.text(#wire, item); })
            }
            t if displayable(t, model) => quote!(form = form.text(#wire, #v);),
            _ => quote!(form = form.json(#wire, #v);),
        };
        if f.required {
            add(quote!(&body.#n))
        } else {
            let inner = add(quote!(value));
            quote!(if let Some(value) = &body.#n { #inner })
        }
    });
    quote! {
        let mut form = #rt::Multipart::new();
        #(#parts)*
        request = request.multipart(form);
    }
}

fn page_impl(op: &Operation, model: &Model, rt: &TokenStream) -> Option<TokenStream> {
    let pg = op.pagination.as_ref()?;
    // One impl per page type, even when several operations share it.
    let first = model
        .operations
        .iter()
        .find(|o| o.pagination.as_ref().map(|p| &p.page_type) == Some(&pg.page_type))?;
    if first.fn_name != op.fn_name {
        return None;
    }
    let page = ident(&pg.page_type);
    let item = ty(&pg.item, &quote!(types::));
    let items = ident(&pg.items_field);
    let def = model.types.iter().find(|t| t.name == pg.page_type)?;
    let crate::model::TypeKind::Struct { fields, .. } = &def.kind else {
        return None;
    };
    let required = |name: &str| {
        fields
            .iter()
            .find(|f| f.rust_name == name)
            .is_some_and(|f| f.required)
    };
    let read = |field: &str| {
        let f = ident(field);
        if required(field) {
            quote!(Some(self.#f.as_str()).filter(|t| !t.is_empty()))
        } else {
            quote!(self.#f.as_deref().filter(|t| !t.is_empty()))
        }
    };
    let next = match &pg.token_field {
        Some(field) => read(field),
        // Undeclared in the spec: read from the kept undeclared properties.
        None => quote!(self
            .extra
            .get("next_token")
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty())),
    };
    let sync = pg.sync_field.as_deref().map(|field| {
        let body = read(field);
        quote!(fn sync_token(&self) -> ::std::option::Option<&str> { #body })
    });
    let into_items = if required(&pg.items_field) {
        quote!(self.#items)
    } else {
        quote!(self.#items.unwrap_or_default())
    };
    Some(quote! {
        impl #rt::Page for types::#page {
            type Item = #item;
            fn next_token(&self) -> ::std::option::Option<&str> {
                #next
            }
            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                #into_items
            }
            #sync
        }
    })
}

/// The `<Op>Success` enums of operations with different types per success status.
pub fn emit_success_enums(model: &Model) -> TokenStream {
    let enums = model.operations.iter().filter_map(|op| {
        let Response::ByStatus { name, variants } = &op.response else {
            return None;
        };
        let n = ident(name);
        let vs = variants.iter().map(|(code, v, t)| {
            let v = ident(v);
            let d = format!(" HTTP {code}.");
            match t {
                Some(t) => {
                    let t = ty(t, &quote!(types::));
                    quote!(#[doc = #d] #v(#t),)
                }
                None => quote!(#[doc = #d] #v,),
            }
        });
        let d = format!(" Success responses of `{}`, by status.", op.operation_id);
        Some(quote! {
            #[doc = #d]
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #n { #(#vs)* }
        })
    });
    quote!(#(#enums)*)
}

/// The runtime's path for an intra-doc link (`cliq_runtime`): it resolves wherever the output
/// is included.
fn doc_path(rt: &TokenStream) -> String {
    let rt = rt.to_string().replace(' ', "");
    rt.trim_start_matches("::").to_string()
}

/// An operation's rustdoc: its prose, then `# Errors`, `# Rate limit` and `# Scopes`.
fn method_doc(op: &Operation, rt: &TokenStream) -> String {
    let rt = &doc_path(rt);
    let mut parts: Vec<String> = op.doc.iter().cloned().collect();
    // The spec's own name of the operation: the method's name is derived from it by
    // `naming::operation_words`, so a reader searching the spec for it lands here.
    parts.push(format!(
        "`{} {}`, operationId `{}` in the spec ([`operations::{}`]).",
        format!("{:?}", op.method).to_uppercase(),
        op.path.replace('`', ""),
        op.operation_id.replace('`', ""),
        op.const_name
    ));
    let errors = format!("errors::{}", op.error_enum);
    if op.error_codes.is_empty() {
        parts.push(format!(
            "# Errors\n\nFails with [`Error`]({rt}::Error) on transport, HTTP or decoding failures; the `code` of a JSON error body (`{{\"code\": …, \"message\": …}}`) arrives as [`{errors}`]."
        ));
    } else {
        let mut s = format!(
            "# Errors\n\nBesides transport, HTTP and decoding failures, the API answers with a JSON body `{{\"code\": …, \"message\": …}}` whose code is one of these, decoded into [`{errors}`]:\n\n| Code | Meaning |\n| --- | --- |"
        );
        for (variant, c) in &op.error_codes {
            let meaning = if c.description.is_empty() {
                "Undocumented.".to_string()
            } else {
                crate::docs::cell(&crate::prose::to_doc_markdown(&c.description))
            };
            s.push_str(&format!(
                "\n| [`{}`]({errors}::{variant}) | {meaning} |",
                c.code
            ));
        }
        parts.push(s);
    }
    if op.error_body.is_some() {
        if let Some(errors_section) = parts.last_mut() {
            errors_section.push_str(&format!(
                "\n\nThe error body the spec documents for the failing status is decoded by [`{errors}::error_body`]."
            ));
        }
    }
    if let Some(r) = &op.rate_limit {
        let lock = if r.lock_period_secs.is_some() {
            ", or else the lock period"
        } else {
            ""
        };
        parts.push(format!(
            "# Rate limit\n\n{} (recorded in [`operations::{}`]). A client built with [`rate_limiter(true)`]({rt}::ClientBuilder::rate_limiter) waits to stay within it; by default calls are sent at once. After a `429` the client refuses further calls of this operation for the `Retry-After` time{lock}.",
            crate::docs::rate_limit_sentence(r),
            op.const_name
        ));
    }
    if !op.scopes.is_empty() {
        let scopes: Vec<String> = op.scopes.iter().map(|s| format!("- `{s}`")).collect();
        parts.push(format!("# Scopes\n\n{}", scopes.join("\n")));
    }
    parts.join("\n\n")
}
