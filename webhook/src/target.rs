//! Typed links between components: what a button or a form names when it invokes a function.
//!
//! `#[cliq_handler(component = function, ...)]` makes the function's registration item (`name
//! {}`) a [`FunctionTarget`], so `Button::invoke("Approve", approve {})` names a function
//! this app serves, checked by the compiler; a bot handler's item, or a name nothing
//! declares, does not compile. [`ExternalFunction`] is the explicit escape hatch for a
//! function served elsewhere (Deluge, another service).

// The trait and the escape hatch live in `cliq-message` (whose `Button::invoke` and forms take
// them); the handler macro implements the trait for a function handler's item.
pub use cliq_message::{ExternalFunction, FormTarget, FunctionTarget};
