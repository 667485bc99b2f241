//! One app serving a bot, a command, a message action and a function of every handler type,
//! each taking its typed data and answering in a mode its kind allows; a bot's button
//! invokes the function through its item.
use cliq_webhook::extract::{
    ButtonClick, CommandInput, FieldChange, FormValues, Message, SelectQuery, TargetMessage,
    User, WidgetClick,
};
use cliq_webhook::{
    cliq_handler, App, Banner, Button, ExternalFunction, Form, FormErrors, FormModification,
    FunctionTarget, Reply, SelectOptions, Suggestion, Suggestions,
};

#[cliq_handler(type = "message_handler", permissions(message))]
async fn echo(message: Message) -> Reply {
    Reply::text(message.text)
        .button(Button::invoke("Approve", approve {}))
        .button(Button::invoke("Legacy", ExternalFunction("legacyDeluge")))
}

#[cliq_handler(component = command, type = "execution_handler", name = "deploy", permissions(user, chat))]
async fn deploy(input: CommandInput, user: User) -> Form {
    let _ = (input.arguments, user);
    Form::new("Deploy", "deploy", ExternalFunction("request"))
}

#[cliq_handler(component = command, type = "suggestion_handler", name = "deploy")]
fn deploy_suggestions(input: CommandInput) -> Suggestions {
    Suggestions(vec![Suggestion::new(input.arguments).description("as typed")])
}

#[cliq_handler(component = message_action, type = "execution_handler", permissions(message))]
async fn quote(message: TargetMessage) -> String {
    message.text.unwrap_or_default()
}

#[cliq_handler(component = function, type = "button_handler")]
async fn approve(click: ButtonClick) -> Banner {
    let _ = click.arguments;
    Banner::success("approved")
}

#[cliq_handler(component = function, type = "form_submit_handler", name = "request")]
async fn request_submit(form: FormValues) -> Result<Reply, FormErrors> {
    match form.text("env") {
        Some(env) => Ok(Reply::text(format!("deploying to {env}"))),
        None => Err(FormErrors::new().field("env", "pick an environment")),
    }
}

#[cliq_handler(component = function, type = "form_change_handler", name = "request")]
async fn request_change(change: FieldChange, form: FormValues) -> FormModification {
    let _ = form;
    FormModification::new().remove(change.name)
}

#[cliq_handler(component = function, type = "form_dynamic_select_handler", name = "request")]
async fn request_options(query: SelectQuery) -> SelectOptions {
    SelectOptions::new().option(query.query.clone(), query.query)
}

#[cliq_handler(component = function, type = "form_view_handler", name = "request")]
async fn request_view() -> Form {
    Form::new("Deploy", "deploy", ExternalFunction("request"))
}

#[cliq_handler(component = function, type = "widget_button_handler", name = "panel")]
async fn panel(click: WidgetClick) -> Banner {
    Banner::success(click.label.unwrap_or_default())
}

fn main() {
    assert_eq!(approve {}.function_name(), "approve");
    let app = App::builder()
        .handler(echo {})
        .handler(deploy {})
        .handler(deploy_suggestions {})
        .handler(quote {})
        .handler(approve {})
        .handler(request_submit {})
        .handler(request_change {})
        .handler(request_options {})
        .handler(request_view {})
        .handler(panel {})
        .build();
    assert!(app.is_ok());
}
