use cliq_webhook::cliq_handler;

#[cliq_handler(type = "message_handler", permissions(chat), name = "Deploy", icon = "wand/FF5733", sub_actions("Prod"))]
async fn not_a_menu() {}

fn main() {}
