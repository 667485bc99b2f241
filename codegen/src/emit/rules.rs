//! `rules.rs` for the macro and the webhook runtime: the handler/permission table of the spec.

use crate::model::HandlerRules;
use proc_macro2::TokenStream;
use quote::quote;

/// The rules file's items.
pub fn emit(rules: &HandlerRules) -> TokenStream {
    let perms = &rules.permissions;
    let handlers = rules.handlers.iter().map(|h| {
        let name = &h.name;
        let table = &h.table_name;
        let ps = &h.permissions;
        quote!(HandlerRule { name: #name, table_name: #table, permissions: &[#(#ps),*] },)
    });
    let max_permissions = rules.max_permissions;
    let menu_name = rules.menu_name_max_chars;
    let sub_max = rules.menu_sub_actions_max;
    let sub_name = rules.menu_sub_action_name_max_chars;
    let per_bot = rules.menu_actions_per_bot_max;
    quote! {
        /// One handler type and the permissions it may request.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct HandlerRule {
            /// Name in the spec's `HANDLER_TYPE` enum, e.g. `call_handler`.
            pub name: &'static str,
            /// Name in the permissions table, e.g. `alert_handler` (same as `name` for most).
            pub table_name: &'static str,
            /// Permissions this handler type may request, in table order.
            pub permissions: &'static [&'static str],
        }
        /// Every permission name, in table order.
        pub const PERMISSIONS: &[&str] = &[#(#perms),*];
        /// One rule per `HANDLER_TYPE` value, in enum order.
        pub const HANDLERS: &[HandlerRule] = &[#(#handlers)*];
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
