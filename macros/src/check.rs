//! Validation of the parsed arguments against the generated [`rules`] table. One `check_*`
//! per rule; every problem is recorded in the [`Ctxt`], spanned at the offending token.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Ident, ItemFn, LitStr};

use crate::attr::{HandlerArgs, Keyed};
use crate::ctxt::Ctxt;
use crate::rules::{self, HandlerRule};

/// The handler type whose extra arguments (`name`, `icon`, `sub_actions`) the spec
/// documents ("Applicable only for `menu_handler` type").
pub const MENU: &str = "menu_handler";

/// A validated handler declaration; expansion assumes everything in it is valid.
pub struct Handler {
    pub rule: &'static HandlerRule,
    pub permissions: Vec<&'static str>,
    pub name: Option<String>,
    pub icon: Option<String>,
    pub sub_actions: Vec<String>,
    pub krate: syn::Path,
}

/// Runs every check; returns the model when the handler type at least resolved.
pub fn check(cx: &Ctxt, args: &HandlerArgs, func: &ItemFn) -> Option<Handler> {
    check_function(cx, func);
    let rule = check_type(cx, args);
    let permissions = check_permissions(cx, args, rule);
    check_menu_arguments(cx, args, rule);
    let krate = args
        .krate
        .as_ref()
        .map(|k| k.value.clone())
        .unwrap_or_else(|| syn::parse_quote!(::cliq_webhook));
    rule.map(|rule| Handler {
        rule,
        permissions,
        name: args.name.as_ref().map(|n| n.value.value()),
        icon: args.icon.as_ref().map(|n| n.value.value()),
        sub_actions: args
            .sub_actions
            .as_ref()
            .map(|s| s.value.iter().map(LitStr::value).collect())
            .unwrap_or_default(),
        krate,
    })
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closest candidate, if any is close enough to be a plausible typo.
fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Handlers are free functions: no `self`, no generic parameters (the macro adds its own
/// state parameter), no variadics.
fn check_function(cx: &Ctxt, func: &ItemFn) {
    let sig = &func.sig;
    if let Some(param) = sig.generics.params.first() {
        cx.error(
            syn::spanned::Spanned::span(param),
            "#[cliq_handler] functions cannot be generic; use concrete extractor types",
        );
    }
    for input in &sig.inputs {
        if let syn::FnArg::Receiver(r) = input {
            cx.error(
                syn::spanned::Spanned::span(r),
                "#[cliq_handler] functions cannot take `self`; use a free function",
            );
        }
    }
    if let Some(v) = &sig.variadic {
        cx.error(
            syn::spanned::Spanned::span(v),
            "#[cliq_handler] functions cannot be variadic",
        );
    }
}

/// `type` is required and must name a value of the spec's `HANDLER_TYPE` enum (the
/// permissions table's name for it is accepted too).
fn check_type(cx: &Ctxt, args: &HandlerArgs) -> Option<&'static HandlerRule> {
    let Some(Keyed { value: lit, .. }) = &args.ty else {
        let names: Vec<&str> = rules::HANDLERS.iter().map(|h| h.handler_type).collect();
        cx.error(
            Span::call_site(),
            format!(
                "missing handler type: add `type = \"...\"` with one of {}",
                list(&names)
            ),
        );
        return None;
    };
    let value = lit.value();
    if let Some(rule) = rules::declared(&value) {
        return Some(rule);
    }
    let names: Vec<&str> = rules::HANDLERS.iter().map(|h| h.handler_type).collect();
    let candidates = rules::HANDLERS
        .iter()
        .flat_map(|h| [h.handler_type, h.table_name])
        .chain(names.iter().copied());
    let guess = closest(&value, candidates)
        .or_else(|| {
            // `type = "menu"`: the same name without the suffix.
            rules::HANDLERS
                .iter()
                .map(|h| h.handler_type)
                .find(|n| n.strip_suffix("_handler") == Some(value.as_str()))
        })
        .and_then(rules::declared)
        .map(|h| h.handler_type);
    let mut msg = format!(
        "unknown handler type `{value}`; expected one of {}",
        list(&names)
    );
    if let Some(g) = guess {
        msg.push_str(&format!(" (did you mean `{g}`?)"));
    }
    cx.error(lit.span(), msg);
    None
}

/// Each permission must be one of the spec's permissions, allowed for this handler type
/// by the "Permissions availability per handler type" table, given once, at most
/// `MAX_PERMISSIONS` in all.
fn check_permissions(
    cx: &Ctxt,
    args: &HandlerArgs,
    rule: Option<&'static HandlerRule>,
) -> Vec<&'static str> {
    let Some(Keyed { value: idents, .. }) = &args.permissions else {
        return Vec::new();
    };
    let mut seen: Vec<&'static str> = Vec::new();
    let mut count = 0usize;
    for ident in idents {
        count += 1;
        let name = ident.unraw().to_string();
        if count == rules::MAX_PERMISSIONS + 1 {
            cx.error(
                ident.span(),
                format!(
                    "too many permissions: a handler may request at most {}",
                    rules::MAX_PERMISSIONS
                ),
            );
        }
        let Some(&perm) = rules::PERMISSIONS.iter().find(|p| **p == name) else {
            unknown_permission(cx, ident, &name);
            continue;
        };
        if seen.contains(&perm) {
            cx.error(
                ident.span(),
                format!("duplicate permission `{perm}`; list each permission once"),
            );
            continue;
        }
        seen.push(perm);
        if let Some(rule) = rule {
            if !rule.permissions.contains(&perm) {
                cx.error(
                    ident.span(),
                    format!(
                        "`{}` cannot have the `{perm}` permission; it allows {}",
                        rule.handler_type,
                        list(rule.permissions)
                    ),
                );
            }
        }
    }
    seen
}

fn unknown_permission(cx: &Ctxt, ident: &Ident, name: &str) {
    let mut msg = format!(
        "unknown permission `{name}`; expected one of {}",
        list(rules::PERMISSIONS)
    );
    if let Some(g) = closest(name, rules::PERMISSIONS.iter().copied()) {
        msg.push_str(&format!(" (did you mean `{g}`?)"));
    }
    cx.error(ident.span(), msg);
}

/// Menu handlers need a `name` of at most `MENU_NAME_MAX_CHARS` characters, may have an
/// `icon` in `{icon-name}/{HEX_COLOR}` form and at most `MENU_SUB_ACTIONS_MAX`
/// `sub_actions` of at most `MENU_SUB_ACTION_NAME_MAX_CHARS` characters each. Other handler
/// types take none of these.
fn check_menu_arguments(cx: &Ctxt, args: &HandlerArgs, rule: Option<&'static HandlerRule>) {
    let Some(rule) = rule else { return };
    if rule.handler_type != MENU {
        let given = [
            (args.name.as_ref().map(|k| k.key), "name"),
            (args.icon.as_ref().map(|k| k.key), "icon"),
            (args.sub_actions.as_ref().map(|k| k.key), "sub_actions"),
        ];
        for (key, arg) in given {
            if let Some(key) = key {
                cx.error(
                    key,
                    format!(
                        "`{arg}` applies only to `{MENU}`; this is a `{}`",
                        rule.handler_type
                    ),
                );
            }
        }
        return;
    }
    match &args.name {
        None => {
            let span = args
                .ty
                .as_ref()
                .map_or_else(Span::call_site, |t| t.value.span());
            cx.error(
                span,
                format!(
                    "`{MENU}` needs `name = \"...\"`: the menu action's label, at most {} characters",
                    rules::MENU_NAME_MAX_CHARS
                ),
            );
        }
        Some(Keyed { value, .. }) => {
            check_label(cx, value, "menu action name", rules::MENU_NAME_MAX_CHARS)
        }
    }
    if let Some(Keyed { value, .. }) = &args.icon {
        check_icon(cx, value);
    }
    if let Some(Keyed { value: subs, .. }) = &args.sub_actions {
        let mut seen: Vec<String> = Vec::new();
        for (i, sub) in subs.iter().enumerate() {
            if i == rules::MENU_SUB_ACTIONS_MAX {
                cx.error(
                    sub.span(),
                    format!(
                        "too many sub_actions: a menu handler may have at most {}",
                        rules::MENU_SUB_ACTIONS_MAX
                    ),
                );
            }
            check_label(
                cx,
                sub,
                "sub-action name",
                rules::MENU_SUB_ACTION_NAME_MAX_CHARS,
            );
            let v = sub.value();
            if seen.contains(&v) {
                cx.error(sub.span(), format!("duplicate sub-action `{v}`"));
            }
            seen.push(v);
        }
    }
}

fn check_label(cx: &Ctxt, lit: &LitStr, what: &str, max: usize) {
    let value = lit.value();
    let chars = value.chars().count();
    if value.trim().is_empty() {
        cx.error(lit.span(), format!("{what} must not be empty"));
    } else if chars > max {
        cx.error(
            lit.span(),
            format!("{what} `{value}` is {chars} characters; Cliq allows at most {max}"),
        );
    }
}

/// `{icon-name}/{HEX_COLOR}`, e.g. `wand/FF5733`; the spec's own examples also write the
/// colour with a leading `#` (`wand/#FFFFFF`), so that is accepted.
pub fn icon_is_valid(icon: &str) -> bool {
    let Some((name, color)) = icon.split_once('/') else {
        return false;
    };
    let color = color.strip_prefix('#').unwrap_or(color);
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && color.len() == 6
        && color.chars().all(|c| c.is_ascii_hexdigit())
}

fn check_icon(cx: &Ctxt, lit: &LitStr) {
    if !icon_is_valid(&lit.value()) {
        cx.error(
            lit.span(),
            format!(
                "malformed icon `{}`; expected `{{icon-name}}/{{HEX_COLOR}}`, e.g. `wand/FF5733`",
                lit.value()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icon_format() {
        assert!(icon_is_valid("wand/FF5733"));
        assert!(icon_is_valid("wand/#ffffff"));
        assert!(!icon_is_valid("wand"));
        assert!(!icon_is_valid("wand/FF57"));
        assert!(!icon_is_valid("/FF5733"));
        assert!(!icon_is_valid("wand/GG5733"));
    }

    #[test]
    fn menu_is_a_handler_type_of_the_table() {
        assert!(rules::HANDLERS.iter().any(|h| h.handler_type == MENU));
    }
}
