//! `types.rs`: one Rust type per named schema, plus operation parameter structs.

use super::{doc_attrs, ty};
use crate::model::{Field, Model, Operation, TypeDef, TypeKind, TypeRef};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// All types of the model.
pub fn emit(model: &Model) -> TokenStream {
    let defs = model.types.iter().map(type_def);
    let params = model.operations.iter().filter_map(params_struct);
    quote! {
        #(#defs)*
        #(#params)*
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
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
            let fields_tokens = fields.iter().map(field);
            let extra_tokens = extra.as_ref().map(|value| {
                let map = ty(&TypeRef::Map(Box::new(value.clone())), &none);
                quote! {
                    /// Properties the spec does not declare, kept as received so that a value read
                    /// from Cliq and written back loses nothing.
                    #[serde(flatten)]
                    pub extra: #map,
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#fields_tokens)*
                    #extra_tokens
                }
            }
        }
        TypeKind::Enum { variants } => {
            let vs = variants.iter().map(|v| {
                let vn = ident(&v.rust_name);
                let wire = &v.wire;
                let d = format!(" The value `{wire}`.");
                quote!(#[doc = #d] #[serde(rename = #wire)] #vn,)
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
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
                pub enum #name {
                    #(#vs)*
                    /// A value this version of the spec does not list; kept verbatim so that new
                    /// values Cliq adds never break deserialization.
                    #[serde(untagged)]
                    Unknown(::std::string::String),
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
        TypeKind::OneOf { variants } => {
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
                pub enum #name {
                    #(#vs)*
                    /// A value matching none of the alternatives, kept verbatim.
                    Other(::serde_json::Value),
                }
            }
        }
        TypeKind::Alias(t) => {
            let t = ty(t, &none);
            quote! {
                #doc
                pub type #name = #t;
            }
        }
    }
}

fn field(f: &Field) -> TokenStream {
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
    let doc = doc_attrs(Some(
        f.doc
            .clone()
            // `description: ""` documents nothing: the fallback, not a bare field.
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| crate::docs::field_fallback(&f.wire_name, &f.ty))
            .as_str(),
    ));
    let bare = f.rust_name.strip_prefix("r#").unwrap_or(&f.rust_name);
    let rename = (bare != f.wire_name).then(|| {
        let w = &f.wire_name;
        quote!(rename = #w,)
    });
    if f.required {
        let attr = rename.map(|r| quote!(#[serde(#r)]));
        quote!(#doc #attr pub #name: #t,)
    } else {
        quote! {
            #doc
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #name: ::std::option::Option<#t>,
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
