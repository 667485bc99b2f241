//! `crate = "..."` points the expansion at a re-export of cliq_webhook.
mod bots {
    pub use cliq_webhook::*;
}

#[bots::cliq_handler(type = "message_handler", permissions(message), crate = "crate::bots")]
async fn echo(message: bots::extract::Message) -> String {
    message.text
}

fn main() {
    let _ = bots::Bot::builder().handler(echo {});
}
