use cliq_webhook::{cliq_handler, extract::Message, App, Reply};

#[cliq_handler(type = "message_handler", bot = "deploybot", permissions(message))]
async fn deploy_message(message: Message) -> Reply {
    Reply::text(message.text)
}

#[cliq_handler(type = "menu_handler", name = "Ship", bot = "deploybot")]
async fn deploy_ship() {}

#[cliq_handler(type = "message_handler", bot = "supportbot")]
async fn support_message() {}

fn main() {
    let app = App::builder()
        .handler(deploy_message {})
        .handler(deploy_ship {})
        .handler(support_message {})
        .build()
        .unwrap();
    assert_eq!(app.bots(), ["deploybot", "supportbot"]);
    assert_eq!(app.handlers().next().and_then(|h| h.bot), Some("deploybot"));
}
