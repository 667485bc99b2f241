use cliq_webhook::cliq_handler;

#[cliq_handler(type = "message_handler", permission(chat), type = "mention_handler")]
async fn unknown_and_repeated_key() {}

#[cliq_handler(type = "message_handler", crate = "not a path")]
async fn bad_crate() {}

fn main() {}
