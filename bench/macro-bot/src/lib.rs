//! One handler of each type, declared with `#[cliq_handler]` (figure 4; twin: `bench/hand-bot`).

use cliq_webhook::extract::{
    CallEvent, Chat, ContextAnswers, IncomingWebhook, MenuAction, Message, NewUser, Participation,
    User,
};
use cliq_webhook::{cliq_handler, Bot, BotError};

#[cliq_handler(type = "message_handler", permissions(message, user, chat))]
async fn on_message(message: Message, user: User, chat: Chat) -> String {
    format!("{:?} in {:?}: {}", user.first_name, chat.id, message.text)
}

#[cliq_handler(type = "mention_handler", permissions(message, user))]
async fn on_mention(message: Message, user: User) -> String {
    format!("{:?} mentioned me: {}", user.first_name, message.text)
}

#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn on_welcome(user: User, new: NewUser) -> String {
    format!("welcome {:?} ({})", user.first_name, new.0)
}

#[cliq_handler(type = "context_handler", permissions(user))]
async fn on_context(user: User, answers: ContextAnswers) -> String {
    format!("{:?} answered {answers:?}", user.first_name)
}

#[cliq_handler(type = "participation_handler", permissions(user, chat))]
async fn on_participation(user: User, chat: Chat, event: Participation) -> String {
    format!("{:?} in {:?}: {event:?}", user.first_name, chat.id)
}

#[cliq_handler(type = "incoming_webhook_handler", permissions(user))]
async fn on_webhook(user: User, hook: IncomingWebhook) -> String {
    format!("{:?}: {hook:?}", user.first_name)
}

#[cliq_handler(type = "menu_handler", permissions(user, chat), name = "Deploy")]
async fn on_menu(user: User, chat: Chat, action: MenuAction) -> String {
    format!("{:?} in {:?}: {action:?}", user.first_name, chat.id)
}

#[cliq_handler(type = "call_handler", permissions(user))]
async fn on_call(user: User, call: CallEvent) -> String {
    format!("{:?}: {call:?}", user.first_name)
}

/// The bot with all eight handlers.
pub fn bot() -> Result<Bot<()>, BotError> {
    Bot::builder()
        .handler(on_message {})
        .handler(on_mention {})
        .handler(on_welcome {})
        .handler(on_context {})
        .handler(on_participation {})
        .handler(on_webhook {})
        .handler(on_menu {})
        .handler(on_call {})
        .build()
}
