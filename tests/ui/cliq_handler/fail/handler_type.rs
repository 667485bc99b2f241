use cliq_webhook::cliq_handler;

#[cliq_handler(type = "mesage_handler", permissions(user))]
async fn typo() {}

#[cliq_handler(type = "menu", permissions(user))]
async fn short_name() {}

#[cliq_handler(permissions(user))]
async fn missing() {}

fn main() {}
