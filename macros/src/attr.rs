//! Parsing `#[cliq_handler(...)]` arguments into a spanned model. Parsing never stops at a
//! semantic problem: it records it in the [`Ctxt`] and goes on.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use crate::ctxt::Ctxt;

/// Argument keys (serde's `symbol.rs` habit).
pub const COMPONENT: &str = "component";
pub const TYPE: &str = "type";
pub const PERMISSIONS: &str = "permissions";
pub const NAME: &str = "name";
pub const ICON: &str = "icon";
pub const SUB_ACTIONS: &str = "sub_actions";
pub const BOT: &str = "bot";
pub const CRATE: &str = "crate";
const KEYS: &[&str] = &[
    COMPONENT,
    TYPE,
    PERMISSIONS,
    NAME,
    ICON,
    SUB_ACTIONS,
    BOT,
    CRATE,
];

/// A value together with the span of the key that set it.
pub struct Keyed<T> {
    pub key: Span,
    pub value: T,
}

/// The parsed arguments; every value keeps its tokens for error spans.
#[derive(Default)]
pub struct HandlerArgs {
    pub component: Option<Keyed<Ident>>,
    pub ty: Option<Keyed<LitStr>>,
    pub permissions: Option<Keyed<Vec<Ident>>>,
    pub name: Option<Keyed<LitStr>>,
    pub icon: Option<Keyed<LitStr>>,
    pub sub_actions: Option<Keyed<Vec<LitStr>>>,
    /// The unique name of the bot a bot handler belongs to.
    pub bot: Option<Keyed<LitStr>>,
    pub krate: Option<Keyed<syn::Path>>,
}

fn set<T>(cx: &Ctxt, slot: &mut Option<Keyed<T>>, key: &Ident, value: T) {
    if slot.is_some() {
        cx.error(key.span(), format!("`{key}` specified more than once"));
    } else {
        *slot = Some(Keyed {
            key: key.span(),
            value,
        });
    }
}

impl HandlerArgs {
    /// Parses the attribute's token stream; problems go to `cx`.
    pub fn parse(cx: &Ctxt, tokens: TokenStream) -> HandlerArgs {
        let mut args = HandlerArgs::default();
        let parser = syn::meta::parser(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                return Err(meta.error(unknown_key_message(&meta.path_string())));
            };
            match key.to_string().as_str() {
                COMPONENT => set(
                    cx,
                    &mut args.component,
                    &key,
                    meta.value()?.call(Ident::parse_any)?,
                ),
                TYPE => set(cx, &mut args.ty, &key, meta.value()?.parse()?),
                NAME => set(cx, &mut args.name, &key, meta.value()?.parse()?),
                ICON => set(cx, &mut args.icon, &key, meta.value()?.parse()?),
                BOT => set(cx, &mut args.bot, &key, meta.value()?.parse()?),
                CRATE => {
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.parse::<syn::Path>() {
                        Ok(path) => set(cx, &mut args.krate, &key, path),
                        Err(_) => cx.error(
                            lit.span(),
                            format!("`crate` must be a path, e.g. `crate = \"::cliq_webhook\"`; got `{}`", lit.value()),
                        ),
                    }
                }
                PERMISSIONS => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let list = Punctuated::<Ident, Token![,]>::parse_terminated_with(
                        &content,
                        Ident::parse_any,
                    )?;
                    set(cx, &mut args.permissions, &key, list.into_iter().collect());
                }
                SUB_ACTIONS => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                    set(cx, &mut args.sub_actions, &key, list.into_iter().collect());
                }
                other => {
                    cx.error(key.span(), unknown_key_message(other));
                    // Skip the unknown key's value so the remaining keys are still checked.
                    if meta.input.peek(Token![=]) {
                        let _: syn::Expr = meta.value()?.parse()?;
                    } else if meta.input.peek(syn::token::Paren) {
                        let _content;
                        syn::parenthesized!(_content in meta.input);
                        let _: TokenStream = _content.parse()?;
                    }
                }
            }
            Ok(())
        });
        if let Err(err) = parser.parse2(tokens) {
            cx.syn_error(err);
        }
        args
    }
}

trait PathString {
    fn path_string(&self) -> String;
}

impl PathString for syn::meta::ParseNestedMeta<'_> {
    fn path_string(&self) -> String {
        // An argument key is a plain path: its segments joined by `::`.
        let segments: Vec<String> = self
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let lead = if self.path.leading_colon.is_some() {
            "::"
        } else {
            ""
        };
        format!("{lead}{}", segments.join("::"))
    }
}

fn unknown_key_message(key: &str) -> String {
    let expected: Vec<String> = KEYS.iter().map(|k| format!("`{k}`")).collect();
    format!(
        "unknown cliq_handler argument `{key}`; expected one of {}",
        expected.join(", ")
    )
}
