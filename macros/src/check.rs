//! Validation of the parsed arguments against the generated [`rules`] table. One `check_*`
//! per rule; every problem is recorded in the [`Ctxt`], spanned at the offending token.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Ident, ItemFn, LitStr};

use crate::attr::{HandlerArgs, Keyed};
use crate::ctxt::Ctxt;
use crate::rules::{self, Component, HandlerKind, HandlerRule, Permission};

/// The handler kind whose extra arguments (`name`, `icon`, `sub_actions`) the spec
/// documents ("Applicable only for `menu_handler` type").
pub const MENU: HandlerKind = HandlerKind::BotMenu;

/// A validated handler declaration; expansion assumes everything in it is valid.
pub struct Handler {
    pub rule: &'static HandlerRule,
    pub permissions: Vec<Permission>,
    /// The menu action's label (bot menu handlers) or the component's name (commands,
    /// message actions, functions: `name = "..."`, by default the function's name).
    pub name: Option<String>,
    pub icon: Option<String>,
    pub sub_actions: Vec<String>,
    /// The unique name of the bot a bot handler belongs to (`bot = "..."`).
    pub bot: Option<String>,
    pub krate: syn::Path,
}

/// Runs every check; returns the model when the handler type at least resolved.
pub fn check(cx: &Ctxt, args: &HandlerArgs, func: &ItemFn) -> Option<Handler> {
    check_function(cx, func);
    let component = check_component(cx, args);
    let rule = component.and_then(|c| check_type(cx, args, c));
    let permissions = check_permissions(cx, args, rule);
    check_menu_arguments(cx, args, rule);
    let bot = check_bot(cx, args, component, rule);
    let name = match rule.map(|r| r.component) {
        Some(Component::Bot) | None => args.name.as_ref().map(|n| n.value.value()),
        Some(_) => Some(
            args.name
                .as_ref()
                .map_or_else(|| func.sig.ident.unraw().to_string(), |n| n.value.value()),
        ),
    };
    let krate = args
        .krate
        .as_ref()
        .map(|k| k.value.clone())
        .unwrap_or_else(|| syn::parse_quote!(::cliq_webhook));
    rule.map(|rule| Handler {
        rule,
        permissions,
        name,
        icon: args.icon.as_ref().map(|n| n.value.value()),
        sub_actions: args
            .sub_actions
            .as_ref()
            .map(|s| s.value.iter().map(LitStr::value).collect())
            .unwrap_or_default(),
        bot,
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

/// `component = bot|command|message_action|function` (default `bot`): a component of the
/// rules table.
fn check_component(cx: &Ctxt, args: &HandlerArgs) -> Option<Component> {
    let Some(Keyed { value: ident, .. }) = &args.component else {
        return Some(Component::Bot);
    };
    let name = ident.unraw().to_string();
    if let Some(c) = Component::ALL.iter().copied().find(|c| c.name() == name) {
        return Some(c);
    }
    let names: Vec<&str> = Component::ALL.iter().map(|c| c.name()).collect();
    let mut msg = format!(
        "unknown component `{name}`; expected one of {}",
        list(&names)
    );
    let guess = Component::from_name(&name)
        .map(|c| c.name())
        .or_else(|| closest(&name, names.iter().copied()));
    if let Some(g) = guess {
        msg.push_str(&format!(" (did you mean `{g}`?)"));
    }
    cx.error(ident.span(), msg);
    None
}

/// What a component is called in messages: "a bot", "a command", …
fn component_phrase(c: Component) -> String {
    let name = c.name().replace('_', " ");
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// `type` is required and must name a value of the component spec's handler-type enum (the
/// permissions table's name for it is accepted too).
fn check_type(cx: &Ctxt, args: &HandlerArgs, component: Component) -> Option<&'static HandlerRule> {
    let of_component = || {
        rules::HANDLERS
            .iter()
            .filter(move |h| h.component == component)
    };
    let names: Vec<&str> = of_component().map(|h| h.handler_type).collect();
    let Some(Keyed { value: lit, .. }) = &args.ty else {
        let span = args
            .component
            .as_ref()
            .map_or_else(Span::call_site, |c| c.value.span());
        cx.error(
            span,
            format!(
                "missing handler type: add `type = \"...\"` with one of {} ({}'s handler types)",
                list(&names),
                component_phrase(component)
            ),
        );
        return None;
    };
    let value = lit.value();
    if let Some(rule) = rules::declared(component, &value) {
        return Some(rule);
    }
    let mut msg = format!(
        "unknown handler type `{value}` for {}; expected one of {}",
        component_phrase(component),
        list(&names)
    );
    // Another component's handler type: say which (before any spelling guess).
    if let Some(other) = rules::HANDLERS.iter().find(|h| {
        h.component != component && (h.handler_type == value || h.aliases.contains(&value.as_str()))
    }) {
        msg.push_str(&format!(
            " (`{value}` is a handler type of {}: add `component = {}`)",
            component_phrase(other.component),
            other.component.name()
        ));
        cx.error(lit.span(), msg);
        return None;
    }
    let candidates = of_component().flat_map(|h| [h.handler_type, h.table_name]);
    let guess = closest(&value, candidates)
        .or_else(|| {
            // `type = "menu"`: the same name without the suffix.
            names
                .iter()
                .copied()
                .find(|n| n.strip_suffix("_handler") == Some(value.as_str()))
        })
        .and_then(|g| rules::declared(component, g))
        .map(|h| h.handler_type);
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
) -> Vec<Permission> {
    let Some(Keyed { value: idents, .. }) = &args.permissions else {
        return Vec::new();
    };
    let mut seen: Vec<Permission> = Vec::new();
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
        let Some(perm) = Permission::from_name(&name) else {
            unknown_permission(cx, ident, &name);
            continue;
        };
        if seen.contains(&perm) {
            cx.error(
                ident.span(),
                format!("duplicate permission `{name}`; list each permission once"),
            );
            continue;
        }
        seen.push(perm);
        if let Some(rule) = rule {
            if !rule.permissions.contains(&perm) {
                cx.error(
                    ident.span(),
                    format!(
                        "{} cannot have the `{name}` permission; it allows {}",
                        describe(rule),
                        permission_list(rule.permissions)
                    ),
                );
            }
        }
    }
    seen
}

/// How messages name a handler: `` `menu_handler` `` for a bot's (as before), `` a function's
/// `button_handler` `` for the other components' (their type names repeat across components).
pub fn describe(rule: &HandlerRule) -> String {
    match rule.component {
        Component::Bot => format!("`{}`", rule.handler_type),
        c => format!("{}'s `{}`", component_phrase(c), rule.handler_type),
    }
}

/// A handler as the subject of a sentence: `` a `menu_handler` `` for a bot's, `` a
/// function's `button_handler` `` for the other components'.
pub fn subject(rule: &HandlerRule) -> String {
    match rule.component {
        Component::Bot => format!("a `{}`", rule.handler_type),
        _ => describe(rule),
    }
}

/// `` `a`, `b` `` from permissions; "no permission" when there are none.
pub fn permission_list(perms: &[Permission]) -> String {
    if perms.is_empty() {
        return "no permission".into();
    }
    let names: Vec<&str> = perms.iter().map(|p| p.name()).collect();
    list(&names)
}

fn unknown_permission(cx: &Ctxt, ident: &Ident, name: &str) {
    let all: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
    let mut msg = format!(
        "unknown permission `{name}`; expected one of {}",
        list(&all)
    );
    if let Some(g) = closest(name, all.iter().copied()) {
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
    if rule.kind != MENU {
        // Other components' handlers take `name`: the command's, message action's or
        // function's name.
        let name_key = match rule.component {
            Component::Bot => args.name.as_ref().map(|k| k.key),
            _ => None,
        };
        let given = [
            (name_key, "name"),
            (args.icon.as_ref().map(|k| k.key), "icon"),
            (args.sub_actions.as_ref().map(|k| k.key), "sub_actions"),
        ];
        for (key, arg) in given {
            if let Some(key) = key {
                cx.error(
                    key,
                    match rule.component {
                        Component::Bot => format!(
                            "`{arg}` applies only to `menu_handler`; this is a `{}`{}",
                            rule.handler_type,
                            if arg == "name" {
                                " (to say which bot the handler belongs to, write `bot = \"<unique name>\"`)"
                            } else {
                                ""
                            }
                        ),
                        _ => format!(
                            "`{arg}` applies only to a bot's `menu_handler`; this is {}",
                            describe(rule)
                        ),
                    },
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
                    "`menu_handler` needs `name = \"...\"`: the menu action's label, at most {} characters",
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

/// `bot = "..."`: the unique name of the bot a bot handler belongs to (the request's
/// `unique_name`), for an app serving several bots. Bot handlers only, not empty.
fn check_bot(
    cx: &Ctxt,
    args: &HandlerArgs,
    component: Option<Component>,
    rule: Option<&'static HandlerRule>,
) -> Option<String> {
    let Keyed { key, value: lit } = args.bot.as_ref()?;
    match component {
        Some(Component::Bot) | None => {}
        Some(c) => {
            let this = rule.map_or_else(|| component_phrase(c), describe);
            cx.error(
                *key,
                format!(
                    "`bot` applies only to a bot's handlers; this is {this}, which Cliq finds by its `name`"
                ),
            );
            return None;
        }
    }
    let value = lit.value();
    if value.trim().is_empty() {
        cx.error(
            lit.span(),
            "`bot` must not be empty: it is the bot's unique name in Cliq (the request's `unique_name`, e.g. `deploybot`)",
        );
        return None;
    }
    Some(value)
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
        assert_eq!(MENU.handler_type(), "menu_handler");
    }
}
