use cliq_webhook::cliq_handler;
use cliq_webhook::extract::{Location, MenuAction, Message, User};

// `location` is allowed for message handlers but not declared.
#[cliq_handler(type = "message_handler", permissions(message, user))]
async fn undeclared(_message: Message, _location: Location) {}

// Welcome handlers can never have `message`.
#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn impossible(_user: User, _message: Option<Message>) {}

// A menu handler's data on a message handler.
#[cliq_handler(type = "message_handler", permissions(message))]
async fn wrong_handler(_action: MenuAction) {}

fn main() {}
