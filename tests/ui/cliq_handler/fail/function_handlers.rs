//! A function's handlers: per handler type, data another kind receives and a reply mode it
//! cannot use.
use cliq_webhook::extract::{
    ButtonClick, CommandInput, FieldChange, FormValues, SelectQuery, TargetMessage, WidgetClick,
};
use cliq_webhook::{
    cliq_handler, Form, FormErrors, FormModification, Reply, SelectOptions, Suggestions,
};

#[cliq_handler(component = function, type = "button_handler")]
async fn approve(_form: FormValues) -> SelectOptions {
    SelectOptions::new()
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "request")]
async fn submit(_change: FieldChange) -> Form {
    Form::new("Again", "again", cliq_webhook::ExternalFunction("request"))
}

#[cliq_handler(component = function, type = "form_change_handler", name = "request")]
async fn change(_query: SelectQuery) -> Reply {
    Reply::text("changed")
}

#[cliq_handler(component = function, type = "form_dynamic_select_handler", name = "request")]
async fn options(_click: ButtonClick) -> FormModification {
    FormModification::new()
}

#[cliq_handler(component = function, type = "form_view_handler", name = "request")]
async fn view(_input: CommandInput) -> FormErrors {
    FormErrors::new()
}

#[cliq_handler(component = function, type = "widget_button_handler", name = "panel", permissions(user))]
async fn panel(_widget: WidgetClick, _message: TargetMessage) -> Suggestions {
    Suggestions::default()
}

fn main() {}
