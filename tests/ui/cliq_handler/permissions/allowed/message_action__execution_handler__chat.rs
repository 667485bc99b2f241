// Generated from the handler rules table by tests/tests/ui.rs; do not edit by hand.
use cliq_webhook::cliq_handler;

#[cliq_handler(component = message_action, type = "execution_handler", permissions(chat))]
async fn handler() {}

fn main() {
    let _ = cliq_webhook::Bot::builder().handler(handler {});
}
