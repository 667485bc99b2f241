//! `#[cliq_handler]`: Zoho Cliq bot handlers whose handler type, permissions and typed
//! arguments are checked by the compiler against the rules in Cliq's Bots API document.
//!
//! Use it through `cliq_webhook`, which re-exports it and holds the runtime the expansion
//! points into (`::cliq_webhook::__private`). See that crate's docs for the full guide.
//!
//! Pipeline (thiserror style): `attr` parses the arguments into a spanned model,
//! `check` validates it against the generated [`rules`] table, collecting every error in
//! `ctxt::Ctxt`, and `expand` emits the glue. On error the macro still emits the function and its
//! registration item (see `expand::fallback`) so call sites don't pile up secondary errors.

#![deny(missing_docs)]

use proc_macro::TokenStream;

mod attr;
mod check;
mod ctxt;
mod expand;
mod form;
mod modes;
use cliq_rules as rules;

/// Declares a Zoho Cliq bot handler.
///
// The example needs `cliq-webhook`, which depends on this crate: a dev-dependency on it would be
// a cycle that keeps both from being published. So it is shown here (the docs, and
// `cliq_webhook::cliq_handler`'s, which inline these) but compiled and run as a doctest of the
// `cliq-tests` crate, which includes the same file.
#[cfg_attr(not(doctest), doc = include_str!("handler_example.md"))]
///
/// Arguments:
/// - `component = bot|command|message_action|function` (default `bot`): which kind of Cliq
///   component the handler belongs to (`cliq_rules::Component`).
/// - `type = "..."` (required): a value of the component spec's handler-type enum (the
///   permissions table's name, e.g. `alert_handler` for `call_handler`, is accepted too).
/// - `permissions(...)`: the data Cliq forwards to this handler; each must be allowed for
///   the handler type by the spec's "Permissions availability per handler type" table, no
///   more than the spec allows (`cliq_rules::MAX_PERMISSIONS`), no duplicates.
/// - `name = "..."`: a bot menu action's label; for a command, message action or function,
///   its name in Cliq (the request's `name`; default: the function's name). A function's
///   registration item is then a `cliq_webhook::FunctionTarget`, what `Button::invoke` takes.
/// - `icon = "name/HEX"`, `sub_actions("..", ..)`: bot menu handlers only.
/// - `bot = "..."`: bot handlers only, for an app serving several bots: the unique name of
///   the bot the handler belongs to (the request's `unique_name`, e.g. `"deploybot"`; not
///   empty). A bot request goes to the handlers of the bot it names; once one bot handler of
///   an app names its bot, all must. Without it, the handler serves the app's one bot.
/// - `crate = "path"`: where `cliq_webhook` lives, if renamed or re-exported.
///
/// The function (async or not) stays as written: call it directly, in unit tests too. Beside
/// it, in the type namespace, the attribute puts `struct name {}`, the registration item
/// (`Bot::builder().handler(name {})`, through `cliq_webhook::IntoHandler`), as Rocket's route
/// attributes do. The function's parameters are extractors; asking for data the declared
/// permissions don't grant, or data the handler type's requests do not carry, is a compile
/// error on that parameter, and so is a return type whose reply mode the handler type cannot
/// use.
#[proc_macro_attribute]
pub fn cliq_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cliq_handler(args.into(), item.into()).into()
}

/// `#[derive(CliqForm)]`: a Zoho Cliq form from a struct, and the struct from a submission.
///
/// Implements `cliq_message::CliqForm` (see its docs for the field types and attributes) and
/// defines `<Struct>Field`, an enum of the fields for change handlers. Use it through
/// `cliq_message`, which re-exports it.
#[proc_macro_derive(CliqForm, attributes(cliq))]
pub fn derive_cliq_form(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => form::derive_form(input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// `#[derive(CliqChoice)]`: a unit-variant enum as the options of a form input
/// (`cliq_message::FormChoice`). Use it through `cliq_message`, which re-exports it.
#[proc_macro_derive(CliqChoice, attributes(cliq))]
pub fn derive_cliq_choice(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => form::derive_choice(input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}
