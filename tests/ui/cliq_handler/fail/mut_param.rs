use cliq_webhook::cliq_handler;
use cliq_webhook::extract::{Chat, Message};

// A `mut` binding is shown as written (`mut chat: Chat`), not glued together.
#[cliq_handler(type = "message_handler", permissions(message))]
async fn mutable(_message: Message, mut chat: Chat) {
    let _ = &mut chat;
}

fn main() {}
