//! Registering something that is not a handler's registration item, and a handler whose
//! state the bot does not have.
use cliq_webhook::extract::{BotState, Message};
use cliq_webhook::{cliq_handler, Bot, Reply};

#[derive(Clone)]
struct AppState;

#[cliq_handler(type = "message_handler", permissions(message))]
async fn echo(message: Message) -> Reply {
    Reply::text(message.text)
}

#[cliq_handler(type = "mention_handler", permissions(message))]
async fn stateful(BotState(_app): BotState<AppState>, message: Message) -> Reply {
    Reply::text(message.text)
}

async fn plain(message: Message) -> Reply {
    Reply::text(message.text)
}

fn main() {
    // The function itself, not `echo {}`.
    let _ = Bot::builder().handler(echo);
    // A function without `#[cliq_handler]`.
    let _ = Bot::builder().handler(plain);
    // A handler that reads `AppState` on a bot without state.
    let _ = Bot::builder().handler(stateful {});
}
