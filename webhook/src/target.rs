//! Typed links between components: what a button or a form names when it invokes a function.
//!
//! `#[cliq_handler(component = function, ...)]` makes the function's registration item (`name
//! {}`) a [`FunctionTarget`], so `Button::invoke(approve {}, "Approve")` names a function
//! this app serves, checked by the compiler; a bot handler's item, or a name nothing
//! declares, does not compile. [`ExternalFunction`] is the explicit escape hatch for a
//! function served elsewhere (Deluge, another service).

/// A Cliq function a button or form can invoke: the registration item of a
/// `#[cliq_handler(component = function, ...)]` handler, or an [`ExternalFunction`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Cliq function this app serves",
    label = "not a function handler's item",
    note = "a button or form invokes a function: pass the item `name {{}}` of a `#[cliq_handler(component = function, ...)]` handler, or `ExternalFunction(\"name\")` for a function served elsewhere"
)]
pub trait FunctionTarget {
    /// The function's name in Cliq.
    fn function_name(&self) -> &str;
}

/// A function served somewhere else (a Deluge function, another service), named by a string
/// nothing checks: the explicit escape hatch of [`FunctionTarget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalFunction(pub &'static str);

impl FunctionTarget for ExternalFunction {
    fn function_name(&self) -> &str {
        self.0
    }
}

#[diagnostic::do_not_recommend]
impl<T: FunctionTarget + ?Sized> FunctionTarget for &T {
    fn function_name(&self) -> &str {
        (**self).function_name()
    }
}
