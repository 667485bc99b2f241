//! The handler rules table of the `cliq-rules` crate (shared by the `#[cliq_handler]` macro and
//! the webhook runtime): every component's handler types, the permissions each may request,
//! their other names and the documented limits, as closed enums and one table.

use crate::model::{HandlerRules, PermissionsSource, HANDLER_TYPE_ALIASES};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust name of a component (`message_action` → `MessageAction`).
fn component_variant(rules: &HandlerRules) -> proc_macro2::Ident {
    naming::ident(&naming::type_name(&rules.component.name, "Component"))
}

/// The Rust name of a handler kind: component and handler type (`FunctionFormSubmit`).
fn kind_variant(rules: &HandlerRules, handler_type: &str) -> proc_macro2::Ident {
    let short = handler_type
        .strip_suffix("_handler")
        .unwrap_or(handler_type);
    naming::ident(&format!(
        "{}{}",
        naming::type_name(&rules.component.name, "Component"),
        naming::type_name(short, "Handler")
    ))
}

fn permission_variant(name: &str) -> proc_macro2::Ident {
    naming::ident(&naming::type_name(name, "Permission"))
}

/// The sentence saying where a component's permissions come from.
fn permissions_source(rules: &HandlerRules, spec: &str) -> String {
    match &rules.permissions_source {
        PermissionsSource::Table { pointer } => format!(
            " Permissions: the \"Permissions availability\" table of `{spec}` (`{pointer}`)."
        ),
        PermissionsSource::SchemaEnum { pointer } => format!(
            " Permissions: `{spec}` states no per-handler-type table; every handler type may \
             request the values of `{pointer}` (its prose: all of them apply to every handler)."
        ),
    }
}

/// The rules file's items, from each component's rules and the spec file it came from, in
/// the order given (the bot first: the menu limits are its own).
pub fn emit(components: &[(&str, &HandlerRules)]) -> TokenStream {
    // Every permission, in first-seen order across components.
    let mut perms: Vec<&str> = Vec::new();
    for (_, r) in components {
        for p in &r.permissions {
            if !perms.contains(&p.as_str()) {
                perms.push(p);
            }
        }
    }
    let perm_variants: Vec<_> = perms.iter().map(|p| permission_variant(p)).collect();
    let perm_docs = perms.iter().map(|p| format!(" `{p}`."));

    let comp_variants: Vec<_> = components
        .iter()
        .map(|(_, r)| component_variant(r))
        .collect();
    let comp_docs = components.iter().map(|(spec, r)| {
        format!(
            " `{}`: handlers of `{spec}` (`/{}`), sent with `\"type\": \"{}\"`.{}",
            r.component.name,
            r.component.api_path,
            r.component.wire,
            permissions_source(r, spec)
        )
    });
    let comp_names = components.iter().map(|(_, r)| &r.component.name);
    let comp_wires = components.iter().map(|(_, r)| &r.component.wire);
    let comp_paths = components.iter().map(|(_, r)| &r.component.api_path);

    let mut kind_variants = Vec::new();
    let mut kind_docs = Vec::new();
    let mut rows = Vec::new();
    for (_, r) in components {
        let component = component_variant(r);
        for h in &r.handlers {
            let variant = kind_variant(r, &h.handler_type);
            let mut doc = format!(" `{}` of a `{}`", h.handler_type, r.component.name);
            match &h.description {
                Some(d) => doc.push_str(&format!(": {d}")),
                None => doc.push('.'),
            }
            kind_docs.push(doc);
            let handler_type = &h.handler_type;
            let table = &h.table_name;
            let ps = h.permissions.iter().map(|p| permission_variant(p));
            let aliases = HANDLER_TYPE_ALIASES
                .iter()
                .filter(|(c, _, target)| *c == r.component.wire && *target == h.handler_type)
                .map(|(_, alias, _)| *alias);
            rows.push(quote!(HandlerRule {
                kind: HandlerKind::#variant,
                component: Component::#component,
                handler_type: #handler_type,
                table_name: #table,
                aliases: &[#(#aliases),*],
                permissions: &[#(Permission::#ps),*],
            },));
            kind_variants.push(variant);
        }
    }
    let indices = 0..kind_variants.len();
    let max_permissions = components
        .iter()
        .map(|(_, r)| r.max_permissions)
        .max()
        .unwrap_or(5);
    let bot = components.first().map(|(_, r)| *r);
    let menu_name = bot.map_or(15, |r| r.menu_name_max_chars);
    let sub_max = bot.map_or(5, |r| r.menu_sub_actions_max);
    let sub_name = bot.map_or(15, |r| r.menu_sub_action_name_max_chars);
    let per_bot = bot.map_or(5, |r| r.menu_actions_per_bot_max);
    quote! {
        /// A kind of Cliq component whose handlers run on your server (`execution_type:
        /// webhook`), one per spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Component {
            #(#[doc = #comp_docs] #comp_variants,)*
        }
        impl Component {
            /// Every component, in table order.
            pub const ALL: &'static [Component] = &[#(Component::#comp_variants),*];
            /// Its name in Rust and in `#[cliq_handler(component = ...)]`.
            pub const fn name(self) -> &'static str {
                match self { #(Component::#comp_variants => #comp_names,)* }
            }
            /// The request's `type` on the wire.
            pub const fn wire_name(self) -> &'static str {
                match self { #(Component::#comp_variants => #comp_wires,)* }
            }
            /// The management API's collection (`/commands/...`).
            pub const fn api_path(self) -> &'static str {
                match self { #(Component::#comp_variants => #comp_paths,)* }
            }
        }
        /// A permission: data Cliq forwards to a handler that declares it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission {
            #(#[doc = #perm_docs] #perm_variants,)*
        }
        impl Permission {
            /// Every permission, in table order.
            pub const ALL: &'static [Permission] = &[#(Permission::#perm_variants),*];
            /// Its name in the specs and in `permissions(...)`.
            pub const fn name(self) -> &'static str {
                match self { #(Permission::#perm_variants => #perms,)* }
            }
        }
        /// A handler type of a component: the pair the specs define (`execution_handler`
        /// exists for commands and message actions alike).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum HandlerKind {
            #(#[doc = #kind_docs] #kind_variants,)*
        }
        impl HandlerKind {
            /// Every handler kind, in table order.
            pub const ALL: &'static [HandlerKind] = &[#(HandlerKind::#kind_variants),*];
            /// Its rule in [`HANDLERS`].
            pub const fn rule(self) -> &'static HandlerRule {
                match self { #(HandlerKind::#kind_variants => &HANDLERS[#indices],)* }
            }
        }
        /// One handler type of one component and the permissions it may request.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct HandlerRule {
            /// The handler kind.
            pub kind: HandlerKind,
            /// The component it belongs to.
            pub component: Component,
            /// The handler type: its value in the spec's handler-type enum, e.g. `call_handler`.
            pub handler_type: &'static str,
            /// Name in the permissions table, e.g. `alert_handler` (same as `handler_type` for most).
            pub table_name: &'static str,
            /// Every other name Cliq uses for this type (permissions table, SDK and wire names).
            pub aliases: &'static [&'static str],
            /// Permissions this handler type may request, in table order.
            pub permissions: &'static [Permission],
        }
        /// One rule per handler kind, components in order, each in its spec's enum order.
        pub const HANDLERS: &[HandlerRule] = &[#(#rows)*];
        /// Most permissions one handler may request.
        pub const MAX_PERMISSIONS: usize = #max_permissions;
        /// Longest menu action name, in characters.
        pub const MENU_NAME_MAX_CHARS: usize = #menu_name;
        /// Most sub-actions of one menu action.
        pub const MENU_SUB_ACTIONS_MAX: usize = #sub_max;
        /// Longest sub-action name, in characters.
        pub const MENU_SUB_ACTION_NAME_MAX_CHARS: usize = #sub_name;
        /// Most menu actions one bot may have.
        pub const MENU_ACTIONS_PER_BOT_MAX: usize = #per_bot;
    }
}
