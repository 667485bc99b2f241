//! `#[derive(CliqForm)]` and `#[derive(CliqChoice)]`: Cliq forms from structs, options from
//! unit-variant enums. The expansion points into `::cliq_message`; every literal is checked
//! against `cliq_message::limits` by a `const` spanned at the literal (the limits live there,
//! once), and a field type with no input kind fails on `FormValue`, at the type.
//!
//! Errors go to their own sink ([`Ctxt`]): all of them in one build, each at its token.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Lit, LitStr};

use crate::ctxt::Ctxt;
use crate::rules::message_limits::{self as limits, Limit};

const STRUCT_KEYS: &[&str] = &["title", "name", "hint", "button_label"];
const FIELD_KEYS: &[&str] = &[
    "label",
    "placeholder",
    "hint",
    "rename",
    "min",
    "max",
    "radio",
    "checkbox",
    "textarea",
    "email",
    "url",
    "password",
];
const WIDGETS: &[&str] = &["radio", "checkbox", "textarea", "email", "url", "password"];
const VARIANT_KEYS: &[&str] = &["label", "value"];

/// `key = "text"` values and flags of one `#[cliq(...)]` list.
#[derive(Default)]
struct Attrs {
    strs: Vec<(Ident, LitStr)>,
    nums: Vec<(Ident, Lit)>,
    flags: Vec<Ident>,
}

impl Attrs {
    fn str(&self, key: &str) -> Option<&LitStr> {
        self.strs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    fn num(&self, key: &str) -> Option<&Lit> {
        self.nums.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

fn unknown(key: &Ident, allowed: &[&str]) -> String {
    let name = key.to_string();
    let close = allowed
        .iter()
        .find(|a| strsim::jaro_winkler(a, &name) > 0.8)
        .map(|a| format!("; did you mean `{a}`?"))
        .unwrap_or_default();
    format!(
        "unknown `cliq` attribute `{name}`{close} (allowed here: {})",
        allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Reads every `#[cliq(...)]` of `attrs`; problems go to `cx`.
fn parse_attrs(cx: &Ctxt, attrs: &[syn::Attribute], allowed: &[&str]) -> Attrs {
    let mut out = Attrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cliq")) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                cx.error(meta.path.span(), "expected a `cliq` attribute name");
                return Ok(());
            };
            let name = key.to_string();
            if !allowed.contains(&name.as_str()) {
                cx.error(key.span(), unknown(&key, allowed));
                // skip its value, if any, so the next keys are still read
                if meta.input.peek(syn::Token![=]) {
                    let _: Lit = meta.value()?.parse()?;
                }
                return Ok(());
            }
            let dup = out.strs.iter().any(|(k, _)| *k == key)
                || out.nums.iter().any(|(k, _)| *k == key)
                || out.flags.contains(&key);
            if dup {
                cx.error(key.span(), format!("`{name}` specified more than once"));
            }
            if WIDGETS.contains(&name.as_str()) {
                if meta.input.peek(syn::Token![=]) {
                    cx.error(
                        key.span(),
                        format!("`{name}` takes no value: write `#[cliq({name})]`"),
                    );
                    let _: Lit = meta.value()?.parse()?;
                } else {
                    out.flags.push(key);
                }
                return Ok(());
            }
            let lit: Lit = meta.value()?.parse()?;
            match (name.as_str(), lit) {
                ("min" | "max", lit @ (Lit::Int(_) | Lit::Float(_))) => out.nums.push((key, lit)),
                ("min" | "max", other) => cx.error(
                    other.span(),
                    format!("`{name}` must be a number literal, e.g. `{name} = 10`"),
                ),
                (_, Lit::Str(s)) => out.strs.push((key, s)),
                (_, other) => cx.error(
                    other.span(),
                    format!("`{name}` must be a string literal, e.g. `{name} = \"…\"`"),
                ),
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// A literal over one of Cliq's limits (`cliq_rules::message_limits`, the table
/// `cliq_message::limits` re-exports) is an error at the literal.
fn check_str(cx: &Ctxt, limit: Limit, lit: &LitStr) {
    let value = lit.value();
    if !limit.fits(&value) {
        cx.error(
            lit.span(),
            format!(
                "{}; this one has {} characters",
                limit.over,
                value.chars().count()
            ),
        );
    }
}

fn unraw(id: &Ident) -> String {
    let s = id.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn camel(s: &str) -> String {
    s.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|f| f.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// `deploy_target` → `Deploy target`.
fn label_of(s: &str) -> String {
    let words = s.replace('_', " ");
    let mut cs = words.trim().chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

fn num_tokens(lit: &Lit) -> TokenStream {
    match lit {
        Lit::Float(_) => quote!(::cliq_message::__private::serde_json::Number::from_f64(#lit)),
        _ => {
            quote!(::std::option::Option::Some(::cliq_message::__private::serde_json::Number::from(#lit)))
        }
    }
}

fn num_value(lit: &Lit) -> Option<f64> {
    match lit {
        Lit::Int(i) => i.base10_digits().parse().ok(),
        Lit::Float(f) => f.base10_digits().parse().ok(),
        _ => None,
    }
}

pub fn derive_form(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let out = form(&cx, &input);
    match cx.check() {
        Ok(()) => out,
        Err(e) => e.to_compile_error(),
    }
}

fn form(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        cx.error(
            input.generics.span(),
            "`#[derive(CliqForm)]` does not support generic structs",
        );
    }
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named.named.iter().collect::<Vec<_>>(),
            other => {
                cx.error(
                    other.span(),
                    "`#[derive(CliqForm)]` needs named fields: each field is a form input",
                );
                Vec::new()
            }
        },
        _ => {
            cx.error(ident.span(), "`#[derive(CliqForm)]` is for structs (a form of fields); for an enum of options use `#[derive(CliqChoice)]`");
            Vec::new()
        }
    };
    let attrs = parse_attrs(cx, &input.attrs, STRUCT_KEYS);
    let title = attrs
        .str("title")
        .cloned()
        .unwrap_or_else(|| LitStr::new(&ident.to_string(), ident.span()));
    let name = match attrs.str("name") {
        Some(n) => {
            check_str(cx, limits::FORM_NAME, n);
            n.clone()
        }
        None => LitStr::new(&snake(&ident.to_string()), ident.span()),
    };
    if fields.len() > limits::FORM_INPUTS.max {
        cx.error(
            ident.span(),
            format!(
                "{}; this struct has {} fields",
                limits::FORM_INPUTS.over,
                fields.len()
            ),
        );
    }
    let hint = attrs.str("hint").map(|h| quote!(let form = form.hint(#h);));
    let button_label = attrs
        .str("button_label")
        .map(|b| quote!(let form = form.button_label(#b);));

    let mut inputs = Vec::new();
    let mut reads = Vec::new();
    let mut binds = Vec::new();
    let mut variants = Vec::new();
    let mut variant_names = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let Some(fid) = &field.ident else { continue };
        let ty = &field.ty;
        let fa = parse_attrs(cx, &field.attrs, FIELD_KEYS);
        let input_name = match fa.str("rename") {
            Some(r) => r.clone(),
            None => LitStr::new(&unraw(fid), fid.span()),
        };
        check_str(cx, limits::INPUT_NAME, &input_name);
        let label = match fa.str("label") {
            Some(l) => l.clone(),
            None => LitStr::new(&label_of(&unraw(fid)), fid.span()),
        };
        check_str(cx, limits::INPUT_LABEL, &label);
        let mut spec = quote_spanned! {ty.span()=>
            ::cliq_message::submission::FieldSpec::new(#input_name, #label, !<#ty as ::cliq_message::FormValue>::OPTIONAL)
        };
        if let Some(p) = fa.str("placeholder") {
            check_str(cx, limits::INPUT_PLACEHOLDER, p);
            spec = quote!(#spec.placeholder(#p));
        }
        if let Some(h) = fa.str("hint") {
            check_str(cx, limits::INPUT_HINT, h);
            spec = quote!(#spec.hint(#h));
        }
        let (min, max) = (fa.num("min"), fa.num("max"));
        if let (Some(lo), Some(hi)) = (min, max) {
            if let (Some(a), Some(b)) = (num_value(lo), num_value(hi)) {
                if a > b {
                    cx.error(
                        lo.span(),
                        format!("`min` ({a}) is greater than `max` ({b})"),
                    );
                }
            }
        }
        if min.is_some() || max.is_some() {
            let lo = min
                .map(num_tokens)
                .unwrap_or_else(|| quote!(::std::option::Option::None));
            let hi = max
                .map(num_tokens)
                .unwrap_or_else(|| quote!(::std::option::Option::None));
            spec = quote!(#spec.bounds(#lo, #hi));
        }
        if fa.flags.len() > 1 {
            cx.error(
                fa.flags[1].span(),
                format!(
                    "a field has one input kind: `{}` and `{}` both set it",
                    fa.flags[0], fa.flags[1]
                ),
            );
        }
        let input = match fa.flags.first() {
            Some(w) => {
                let widget = Ident::new(&w.to_string(), w.span());
                quote_spanned! {ty.span()=> ::cliq_message::submission::widget::#widget::<#ty>(&#spec) }
            }
            None => quote_spanned! {ty.span()=> <#ty as ::cliq_message::FormValue>::input(&#spec) },
        };
        inputs.push(input);
        let var = format_ident!("__f{}", i);
        reads.push(quote_spanned! {ty.span()=>
            let #var = <#ty as ::cliq_message::FormValue>::read(values, &#spec, &mut errors);
        });
        binds.push((fid.clone(), var));
        let variant = Ident::new(&camel(&unraw(fid)), fid.span());
        variants.push(variant.clone());
        variant_names.push(input_name);
    }

    let vis = &input.vis;
    let field_enum = format_ident!("{}Field", ident);
    let vars: Vec<_> = binds.iter().map(|(_, v)| v).collect();
    let fids: Vec<_> = binds.iter().map(|(f, _)| f).collect();
    let doc = format!("The fields of [`{ident}`], as a change handler receives them.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #vis enum #field_enum {
            #(
                #[allow(missing_docs)]
                #variants,
            )*
        }

        impl ::cliq_message::FormField for #field_enum {
            const ALL: &'static [Self] = &[#(#field_enum::#variants),*];
            fn name(&self) -> &'static str {
                match *self {
                    #(#field_enum::#variants => #variant_names,)*
                }
            }
        }

        impl ::cliq_message::CliqForm for #ident {
            type Field = #field_enum;
            const TITLE: &'static str = #title;
            const NAME: &'static str = #name;

            fn inputs() -> ::std::vec::Vec<::cliq_message::Input> {
                ::std::vec![#(#inputs),*]
            }

            fn decorate(form: ::cliq_message::Form) -> ::cliq_message::Form {
                #hint
                #button_label
                <Self as ::cliq_message::CliqForm>::inputs().into_iter().fold(form, ::cliq_message::Form::input)
            }

            fn from_submission(
                values: &::cliq_message::__private::serde_json::Value,
            ) -> ::std::result::Result<Self, ::cliq_message::FormErrors> {
                let mut errors = ::cliq_message::FormErrors::default();
                #(#reads)*
                match (#(#vars,)*) {
                    (#(::std::option::Option::Some(#vars),)*) if errors.is_empty() => {
                        ::std::result::Result::Ok(#ident { #(#fids: #vars),* })
                    }
                    _ => ::std::result::Result::Err(errors),
                }
            }
        }
    }
}

pub fn derive_choice(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let out = choice(&cx, &input);
    match cx.check() {
        Ok(()) => out,
        Err(e) => e.to_compile_error(),
    }
}

fn choice(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let Data::Enum(data) = &input.data else {
        cx.error(ident.span(), "`#[derive(CliqChoice)]` is for enums of unit variants (the options); for a form use `#[derive(CliqForm)]`");
        return TokenStream::new();
    };
    if !input.generics.params.is_empty() {
        cx.error(
            input.generics.span(),
            "`#[derive(CliqChoice)]` does not support generic enums",
        );
    }
    let mut pairs = Vec::new();
    let mut arms = Vec::new();
    let mut back = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            cx.error(
                v.fields.span(),
                format!(
                    "`{}` carries data: a `CliqChoice` option is a unit variant",
                    v.ident
                ),
            );
            continue;
        }
        let a = parse_attrs(cx, &v.attrs, VARIANT_KEYS);
        let value = a
            .str("value")
            .cloned()
            .unwrap_or_else(|| LitStr::new(&snake(&v.ident.to_string()), v.ident.span()));
        let label = a
            .str("label")
            .cloned()
            .unwrap_or_else(|| LitStr::new(&v.ident.to_string(), v.ident.span()));
        check_str(cx, limits::OPTION_LABEL, &label);
        let vid = &v.ident;
        pairs.push(quote!((#value, #label)));
        arms.push(quote!(#value => ::std::option::Option::Some(#ident::#vid)));
        back.push(quote!(#ident::#vid => #value));
    }
    quote! {
        impl ::cliq_message::FormChoice for #ident {
            const CHOICES: &'static [(&'static str, &'static str)] = &[#(#pairs),*];
            fn from_choice(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#arms,)*
                    _ => ::std::option::Option::None,
                }
            }
            fn choice(&self) -> &'static str {
                match *self {
                    #(#back,)*
                }
            }
        }

        impl ::cliq_message::FormValue for #ident {
            fn input(spec: &::cliq_message::submission::FieldSpec) -> ::cliq_message::Input {
                ::cliq_message::submission::choice_input::<Self>(spec)
            }
            fn from_value(
                value: &::cliq_message::__private::serde_json::Value,
            ) -> ::std::result::Result<Self, ::std::string::String> {
                ::cliq_message::submission::choice_from_value(value)
            }
        }

        impl ::cliq_message::submission::HasChoices for #ident {
            fn options() -> ::std::vec::Vec<::cliq_message::SelectOption> {
                <::std::option::Option<Self> as ::cliq_message::submission::HasChoices>::options()
            }
        }
    }
}
