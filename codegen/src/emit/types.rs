//! `types.rs`: one Rust type per named schema, plus operation parameter structs.

use super::{doc_attrs, ty};
use crate::model::{Field, Model, Operation, TypeDef, TypeKind, TypeRef};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// All types of the model. Types named in `shared` are defined once for several modules of a
/// crate (in `crate::shared`, see `crate::modules`) and only re-exported here.
pub fn emit(model: &Model, shared: &BTreeSet<String>) -> TokenStream {
    let rt = runtime_path(&model.runtime_path);
    let defs = model.types.iter().map(|def| {
        if shared.contains(&def.name) {
            let name = ident(&def.name);
            quote!(pub use crate::shared::#name;)
        } else {
            type_def(def, &rt)
        }
    });
    let params = model.operations.iter().filter_map(params_struct);
    let uses_files = model.types.iter().any(|t| match &t.kind {
        TypeKind::Multipart { fields } => fields.iter().any(|f| {
            matches!(&f.ty, TypeRef::File) || f.ty == TypeRef::Vec(Box::new(TypeRef::File))
        }),
        _ => false,
    });
    let file_part = uses_files.then(|| quote!(pub use #rt::FilePart;));
    quote! {
        #file_part
        #(#defs)*
        #(#params)*
    }
}

/// The items (definition and impls) of one named type.
pub fn type_def(def: &TypeDef, rt: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(Some(
        def.doc
            .clone()
            .unwrap_or_else(|| crate::docs::type_fallback(def))
            .as_str(),
    ));
    let none = TokenStream::new();
    match &def.kind {
        TypeKind::Struct { fields, extra } => {
            let all_optional = fields.iter().all(|f| !f.required);
            let derive_default = if all_optional && fields.iter().all(|f| !f.flatten) {
                quote!(Default,)
            } else {
                quote!()
            };
            // An `allOf` part is flattened by serde's derive (it buffers the object); every
            // other object takes the written-out impls of `struct_serialize`/`struct_deserialize`.
            let derived = fields.iter().any(|f| f.flatten);
            let fields_tokens = fields.iter().map(|f| field(f, derived));
            let extra_tokens = extra.as_ref().map(|value| {
                let map = ty(&TypeRef::Map(Box::new(value.clone())), &none);
                let flatten = derived.then(|| quote!(#[serde(flatten)]));
                quote! {
                    /// Properties the spec does not declare, kept as received so that a value read
                    /// from the API and written back loses nothing.
                    #flatten
                    pub extra: #map,
                }
            });
            if derived {
                return quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize, ::serde::Deserialize)]
                    pub struct #name {
                        #(#fields_tokens)*
                        #extra_tokens
                    }
                };
            }
            let serialize = struct_serialize(&name, fields, extra.is_some());
            let deserialize = struct_deserialize(&name, fields, extra.as_ref(), rt);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #derive_default)]
                pub struct #name {
                    #(#fields_tokens)*
                    #extra_tokens
                }
                #serialize
                #deserialize
            }
        }
        TypeKind::Enum { variants } => {
            let vs = variants.iter().map(|v| {
                let vn = ident(&v.rust_name);
                let wire = &v.wire;
                let d = format!(" The value `{wire}`.");
                quote!(#[doc = #d] #vn,)
            });
            let as_str = variants.iter().map(|v| {
                let vn = ident(&v.rust_name);
                let wire = &v.wire;
                quote!(Self::#vn => #wire,)
            });
            let from = variants.iter().map(|v| {
                let vn = ident(&v.rust_name);
                let wire = &v.wire;
                quote!(#wire => Self::#vn,)
            });
            // No listed value (an enum of only `null`, say): no one-arm `match`.
            let from = if variants.is_empty() {
                quote!(Self::Unknown(value.to_string()))
            } else {
                quote!(match value {
                    #(#from)*
                    other => Self::Unknown(other.to_string()),
                })
            };
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#vs)*
                    /// A value this version of the spec does not list; kept verbatim so that new
                    /// values the API adds never break deserialization.
                    Unknown(::std::string::String),
                }
                // Written and read as the string `as_str` and `From<&str>` map (no derive: it
                // would buffer every value to try the untagged `Unknown`).
                impl ::serde::Serialize for #name {
                    fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                        <#rt::de::Key<'de> as ::serde::Deserialize<'de>>::deserialize(deserializer)
                            .map(|value| Self::from(value.as_str()))
                    }
                }
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#as_str)*
                            Self::Unknown(value) => value.as_str(),
                        }
                    }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        #from
                    }
                }
                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        Ok(Self::from(value))
                    }
                }
            }
        }
        TypeKind::OneOf {
            variants,
            discriminator: Some(disc),
        } => tagged_enum(&name, &doc, variants, disc),
        TypeKind::OneOf { variants, .. } => {
            let vs = variants.iter().map(|(vn, t)| {
                let vn = ident(vn);
                let d = format!(" The alternative holding {}.", crate::docs::type_phrase(t));
                let t = ty(t, &none);
                quote!(#[doc = #d] #vn(#t),)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs)*
                    /// A value matching none of the alternatives, kept verbatim.
                    Other(::serde_json::Value),
                }
            }
        }
        TypeKind::Multipart { fields } => {
            let derive_default = if fields.iter().all(|f| !f.required) {
                quote!(Default,)
            } else {
                quote!()
            };
            let fields = fields.iter().map(|f| {
                let n = ident(&f.rust_name);
                let t = ty(&f.ty, &none);
                let doc = field_doc(f);
                if f.required {
                    quote!(#doc pub #n: #t,)
                } else {
                    quote!(#doc pub #n: ::std::option::Option<#t>,)
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #derive_default)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Tuple { elements, rest } => tuple_struct(&name, &doc, elements, rest.as_ref()),
        TypeKind::Alias(t) => {
            let t = ty(t, &none);
            quote! {
                #doc
                pub type #name = #t;
            }
        }
    }
}

/// The runtime crate's path as tokens (checked to parse by `Settings`; `::cliq_runtime` else).
pub fn runtime_path(path: &str) -> TokenStream {
    syn::parse_str::<syn::Path>(path)
        .map(|p| quote!(#p))
        .unwrap_or_else(|_| quote!(::cliq_runtime))
}

/// `Serialize` for an object without `allOf` parts, written out as `struct_deserialize` is:
/// the declared properties in order (an absent optional one left out), then `extra`.
fn struct_serialize(name: &proc_macro2::Ident, fields: &[Field], extra: bool) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        if f.required {
            quote!(__map.serialize_entry(#wire, &self.#field)?;)
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#field {
                    __map.serialize_entry(#wire, value)?;
                }
            }
        }
    });
    let extra = extra.then(|| {
        quote! {
            for (key, value) in &self.extra {
                __map.serialize_entry(key, value)?;
            }
        }
    });
    let map = if fields.is_empty() && extra.is_none() {
        quote!(__map)
    } else {
        quote!(mut __map)
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                use ::serde::ser::SerializeMap;
                let #map = serializer.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                #extra
                __map.end()
            }
        }
    }
}

/// `Deserialize` for an object without `allOf` parts, written out rather than derived: one
/// `visit_map` that matches each key against the declared names and keeps the others in
/// `extra` (or skips them when the spec forbids them). It reads what the derive with
/// `#[serde(flatten)] extra` reads (a missing optional or nullable property is `None`, a
/// missing required one is the error `missing field`), without the derive's buffering of
/// the whole object and its field-identifier and sequence visitors: a large share of the
/// generated crate's compile time (BENCHMARKS.md, figure 3c). A key repeated in one object
/// keeps its last value, as `serde_json::Value` does.
fn struct_deserialize(
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&TypeRef>,
    rt: &TokenStream,
) -> TokenStream {
    let none = TokenStream::new();
    let vars: Vec<proc_macro2::Ident> = (0..fields.len())
        .map(|i| quote::format_ident!("__field{}", i))
        .collect();
    let declare = fields.iter().zip(&vars).map(|(f, v)| {
        let t = ty(&f.ty, &none);
        quote!(let mut #v: ::std::option::Option<#t> = ::std::option::Option::None;)
    });
    let arms = fields.iter().zip(&vars).map(|(f, v)| {
        let wire = &f.wire_name;
        if f.required {
            quote!(#wire => #v = ::std::option::Option::Some(__map.next_value()?),)
        } else {
            quote!(#wire => #v = __map.next_value()?,)
        }
    });
    let construct = fields.iter().zip(&vars).map(|(f, v)| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        if !f.required {
            quote!(#field: #v,)
        } else if matches!(f.ty, TypeRef::Nullable(_)) {
            // As serde's derive: a missing `Option` is `None`, even when required.
            quote!(#field: #v.unwrap_or(::std::option::Option::None),)
        } else {
            quote!(#field: match #v {
                ::std::option::Option::Some(value) => value,
                ::std::option::Option::None => {
                    return ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(#wire));
                }
            },)
        }
    });
    let (extra_declare, other, extra_field) = match extra {
        Some(value) => {
            let map = ty(&TypeRef::Map(Box::new(value.clone())), &none);
            (
                quote!(let mut __extra = <#map>::new();),
                quote! {
                    __extra.insert(__key.into_string(), __map.next_value()?);
                },
                quote!(extra: __extra,),
            )
        }
        None => (
            TokenStream::new(),
            quote! {
                __map.next_value::<::serde::de::IgnoredAny>()?;
            },
            TokenStream::new(),
        ),
    };
    let dispatch = if fields.is_empty() {
        quote! {
            #other
        }
    } else {
        quote! {
            match __key.as_str() {
                #(#arms)*
                _ => {
                    #other
                }
            }
        }
    };
    let key = if fields.is_empty() && extra.is_none() {
        quote!(_key)
    } else {
        quote!(__key)
    };
    let expecting = format!("struct {name}");
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut __map: __A,
                    ) -> ::std::result::Result<#name, __A::Error> {
                        #(#declare)*
                        #extra_declare
                        while let ::std::option::Option::Some(#key) = __map.next_key::<#rt::de::Key<'de>>()? {
                            #dispatch
                        }
                        ::std::result::Result::Ok(#name {
                            #(#construct)*
                            #extra_field
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    }
}

/// A tuple struct read and written as a JSON array. With two or more fixed elements and no
/// rest, serde's derive does it; one element (which the derive writes bare, as a newtype) or
/// a rest (the elements after the fixed ones, in a last `Vec` field) take impls of their own.
fn tuple_struct(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    elements: &[TypeRef],
    rest: Option<&TypeRef>,
) -> TokenStream {
    let none = TokenStream::new();
    let n = elements.len();
    let element_fields = elements.iter().enumerate().map(|(i, t)| {
        let d = format!(" Element {i}: {}.", crate::docs::type_phrase(t));
        let t = ty(t, &none);
        quote!(#[doc = #d] pub #t,)
    });
    let rest_field = rest.map(|t| {
        let d = format!(
            " The elements after the first {n}: {}.",
            crate::docs::type_phrase(&TypeRef::Vec(Box::new(t.clone())))
        );
        let t = ty(&TypeRef::Vec(Box::new(t.clone())), &none);
        quote!(#[doc = #d] pub #t,)
    });
    if rest.is_none() && n != 1 {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #name(#(#element_fields)*);
        };
    }
    let index = (0..n).map(syn::Index::from);
    let rest_index = syn::Index::from(n);
    let (len, write_rest) = match rest {
        Some(_) => (
            quote!(#n + self.#rest_index.len()),
            quote! {
                for element in &self.#rest_index {
                    seq.serialize_element(element)?;
                }
            },
        ),
        None => (quote!(#n), TokenStream::new()),
    };
    let vars: Vec<proc_macro2::Ident> = (0..n)
        .map(|i| quote::format_ident!("element{}", i))
        .collect();
    let read = vars.iter().enumerate().map(|(i, v)| {
        quote! {
            let #v = seq
                .next_element()?
                .ok_or_else(|| ::serde::de::Error::invalid_length(#i, &self))?;
        }
    });
    let elements_word = if n == 1 { "element" } else { "elements" };
    let (expecting, read_rest, construct) = match rest {
        Some(_) => (
            format!("an array of at least {n} {elements_word}"),
            quote! {
                let mut rest = ::std::vec::Vec::new();
                while let ::std::option::Option::Some(element) = seq.next_element()? {
                    rest.push(element);
                }
            },
            quote!(#name(#(#vars,)* rest)),
        ),
        None => (
            format!("an array of {n} {elements_word}"),
            quote! {
                let mut extra = 0usize;
                while seq.next_element::<::serde::de::IgnoredAny>()?.is_some() {
                    extra += 1;
                }
                if extra > 0 {
                    return ::std::result::Result::Err(::serde::de::Error::invalid_length(#n + extra, &self));
                }
            },
            quote!(#name(#(#vars),*)),
        ),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name(#(#element_fields)* #rest_field);
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeSeq;
                let mut seq = serializer.serialize_seq(::std::option::Option::Some(#len))?;
                #(seq.serialize_element(&self.#index)?;)*
                #write_rest
                seq.end()
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, mut seq: A) -> ::std::result::Result<Self::Value, A::Error> {
                        #(#read)*
                        #read_rest
                        ::std::result::Result::Ok(#construct)
                    }
                }
                deserializer.deserialize_seq(__Visitor)
            }
        }
    }
}

/// A struct field; with `serde_attrs`, the `#[serde]` attributes serde's derive reads (a struct
/// whose serde impls are written out carries none).
fn field(f: &Field, serde_attrs: bool) -> TokenStream {
    let name = ident(&f.rust_name);
    let none = TokenStream::new();
    let t = ty(&f.ty, &none);
    if f.flatten {
        let d = format!(
            " Flattened `allOf` part: [`{}`].",
            quote!(#t).to_string().replace(' ', "")
        );
        return quote!(#[doc = #d] #[serde(flatten)] pub #name: #t,);
    }
    let doc = field_doc(f);
    let bare = f.rust_name.strip_prefix("r#").unwrap_or(&f.rust_name);
    let rename = (bare != f.wire_name).then(|| {
        let w = &f.wire_name;
        quote!(rename = #w,)
    });
    match (f.required, serde_attrs) {
        (true, true) => {
            let attr = rename.map(|r| quote!(#[serde(#r)]));
            quote!(#doc #attr pub #name: #t,)
        }
        (true, false) => quote!(#doc pub #name: #t,),
        (false, true) => quote! {
            #doc
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #name: ::std::option::Option<#t>,
        },
        (false, false) => quote!(#doc pub #name: ::std::option::Option<#t>,),
    }
}

fn field_doc(f: &Field) -> TokenStream {
    doc_attrs(Some(
        f.doc
            .clone()
            // `description: ""` documents nothing: the fallback, not a bare field.
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| crate::docs::field_fallback(&f.wire_name, &f.ty))
            .as_str(),
    ))
}

/// A `oneOf`/`anyOf` with a discriminator: the tag property picks the alternative when
/// reading (an unknown tag is kept in `Other`), and is written (when the alternative does not
/// carry it already) with the alternative's first tag. The alternatives keep the tag property
/// they declare, which `#[serde(tag = ...)]` would strip.
fn tagged_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[(String, TypeRef)],
    disc: &crate::model::Discriminator,
) -> TokenStream {
    let none = TokenStream::new();
    let prop = &disc.property;
    let vs = variants.iter().zip(&disc.tags).map(|((vn, t), tags)| {
        let vn = ident(vn);
        let d = format!(
            " `{prop}` is {}: {}.",
            tags.iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(" or "),
            crate::docs::type_phrase(t)
        );
        let t = ty(t, &none);
        quote!(#[doc = #d] #vn(#t),)
    });
    let ser = variants.iter().zip(&disc.tags).map(|((vn, _), tags)| {
        let vn = ident(vn);
        let tag = tags.first().map(String::as_str).unwrap_or_default();
        quote!(Self::#vn(value) => (#tag, ::serde_json::to_value(value)),)
    });
    let de = variants.iter().zip(&disc.tags).map(|((vn, _), tags)| {
        let vn = ident(vn);
        quote! {
            ::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value)
                .map(Self::#vn)
                .map_err(::serde::de::Error::custom),
        }
    });
    let other_doc =
        format!(" A value whose `{prop}` names none of the alternatives, kept verbatim.");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#vs)*
            #[doc = #other_doc]
            Other(::serde_json::Value),
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #(#ser)*
                    Self::Other(value) => return ::serde::Serialize::serialize(value, serializer),
                };
                let mut value = value.map_err(::serde::ser::Error::custom)?;
                if let ::serde_json::Value::Object(map) = &mut value {
                    map.entry(#prop).or_insert_with(|| ::serde_json::Value::from(tag));
                }
                ::serde::Serialize::serialize(&value, serializer)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#prop).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#de)*
                    _ => ::std::result::Result::Ok(Self::Other(value)),
                }
            }
        }
    }
}

fn params_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let none = TokenStream::new();
    let d = format!(
        " Query parameters of [`Client::{}`](super::Client::{}).",
        op.fn_name.trim_start_matches("r#"),
        op.fn_name.trim_start_matches("r#")
    );
    let all_optional = op.query.iter().all(|p| !p.required);
    let derive_default = if all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    let fields = op.query.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = ty(&p.ty, &none);
        let doc = doc_attrs(Some(
            p.doc
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| crate::docs::field_fallback(&p.wire_name, &p.ty))
                .as_str(),
        ));
        if p.required {
            quote!(#doc pub #n: #t,)
        } else {
            quote!(#doc pub #n: ::std::option::Option<#t>,)
        }
    });
    Some(quote! {
        #[doc = #d]
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #name {
            #(#fields)*
        }
    })
}
