//! One handler of each type, each taking its typed data, served by one bot.
use cliq_webhook::extract::{
    Access, Attachments, CallEvent, Chat, ContextAnswers, Environment, Headers, IncomingWebhook,
    Location, MenuAction, Message, NewUser, Participation, BotState, User,
};
use cliq_webhook::{cliq_handler, Banner, Bot, Context, Reply};

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[cliq_handler(type = "message_handler", permissions(message, user, chat, location, attachments))]
async fn on_message(
    message: Message,
    user: User,
    chat: Option<Chat>,
    location: Option<Location>,
    files: Attachments,
    access: Option<Access>,
    env: Option<Environment>,
    headers: Headers,
) -> Reply {
    let _ = (user, chat, location, files, access, env, headers);
    Reply::text(message.text).context(Context::new("survey", 300).question("name", "Your name?"))
}

#[cliq_handler(type = "mention_handler", permissions(message, user))]
fn on_mention(message: Message) -> String {
    message.text
}

#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn on_welcome(BotState(app): BotState<AppState>, user: User, new: NewUser) -> Reply {
    let _ = (user, new);
    Reply::text(app.greeting)
}

#[cliq_handler(type = "context_handler", permissions(user, chat))]
async fn on_context(answers: ContextAnswers) -> Result<Reply, std::fmt::Error> {
    Ok(Reply::text(answers.context_id))
}

#[cliq_handler(type = "participation_handler", permissions(chat))]
async fn on_participation(event: Participation) -> Banner {
    Banner::success(event.operation)
}

#[cliq_handler(type = "incoming_webhook_handler", permissions(user))]
async fn on_webhook(hook: IncomingWebhook) -> Option<Reply> {
    hook.body.map(Reply::text)
}

#[cliq_handler(type = "menu_handler", permissions(chat, location, user), name = "Deploy", icon = "wand/#FF5733", sub_actions("Staging", "Production"))]
async fn on_menu(action: MenuAction, chat: Chat) -> Reply {
    let _ = chat;
    Reply::text(action.sub_action.unwrap_or_default())
}

// The permissions table's name for call handlers is accepted too.
#[cliq_handler(type = "alert_handler", permissions(user))]
async fn on_call(event: CallEvent) {
    let _ = event;
}

fn main() {
    let _bot = Bot::with_state(AppState { greeting: "hi" })
        .handler(on_message {})
        .handler(on_mention {})
        .handler(on_welcome {})
        .handler(on_context {})
        .handler(on_participation {})
        .handler(on_webhook {})
        .handler(on_menu {})
        .handler(on_call {})
        .build();
}
