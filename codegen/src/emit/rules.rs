//! The handler rules table of the `cliq-rules` crate (shared by the `#[cliq_handler]` macro and
//! the webhook runtime): the spec's handler types, their permissions and the documented limits.

use crate::model::{HandlerRules, HANDLER_TYPE_ALIASES};
use proc_macro2::TokenStream;
use quote::quote;

/// The rules file's items.
pub fn emit(rules: &HandlerRules) -> TokenStream {
    let perms = &rules.permissions;
    let handlers = rules.handlers.iter().map(|h| {
        let handler_type = &h.handler_type;
        let table = &h.table_name;
        let ps = &h.permissions;
        let aliases = HANDLER_TYPE_ALIASES
            .iter()
            .filter(|(_, target)| *target == h.handler_type)
            .map(|(alias, _)| *alias);
        quote!(HandlerRule {
            handler_type: #handler_type,
            table_name: #table,
            aliases: &[#(#aliases),*],
            permissions: &[#(#ps),*],
        },)
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
            /// The handler type: its value in the spec's `HANDLER_TYPE` enum, e.g. `call_handler`.
            pub handler_type: &'static str,
            /// Name in the permissions table, e.g. `alert_handler` (same as `handler_type` for most).
            pub table_name: &'static str,
            /// Every other name Cliq uses for this type (permissions table, SDK and wire names).
            pub aliases: &'static [&'static str],
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
