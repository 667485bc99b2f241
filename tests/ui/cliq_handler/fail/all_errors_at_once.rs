//! Every problem in one attribute is reported in one build.
use cliq_webhook::cliq_handler;

#[cliq_handler(type = "welcome_handler", permissions(chat, usr), name = "Hi", icon = "x")]
async fn welcome() {}

fn main() {}
