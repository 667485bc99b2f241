use cliq_webhook::cliq_handler;

#[cliq_handler(type = "message_handler", permissions(message))]
async fn takes_a_string(_text: String) {}

fn main() {}
