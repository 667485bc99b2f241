use cliq_webhook::cliq_handler;

#[cliq_handler(type = "message_handler", permissions(usr, chat, chat))]
async fn unknown_and_duplicate() {}

#[cliq_handler(type = "message_handler", permissions(chat, user, message, location, attachments, chat))]
async fn six() {}

fn main() {}
