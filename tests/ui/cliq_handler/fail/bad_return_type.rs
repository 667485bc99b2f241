use cliq_webhook::cliq_handler;

#[cliq_handler(type = "message_handler", permissions(message))]
async fn returns_a_number() -> u32 {
    42
}

fn main() {}
