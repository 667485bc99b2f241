// Generated from the handler rules table by tests/tests/ui.rs; do not edit by hand.
use cliq_webhook::cliq_handler;

#[cliq_handler(component = command, type = "execution_handler", permissions(user))]
async fn handler() {}

fn main() {
    let _ = cliq_webhook::Bot::builder().handler(handler {});
}
