//! A Zoho Cliq webhook bot with one handler of each type, served by axum on 127.0.0.1.
//!
//! ```text
//! cargo run -p cliq-examples --example echo_bot
//! CLIQ_BOT_PORT=9000 CLIQ_BOT_SECRET=… cargo run -p cliq-examples --example echo_bot
//! ```
//!
//! Environment: `CLIQ_BOT_PORT` (default 8787), `CLIQ_BOT_SECRET` (a shared secret expected
//! as `?token=…` in the bot's execution URL), `CLIQ_BOT_PUBLIC_KEY` (PEM; verify
//! `X-Cliq-Signature`), `CLIQ_BOT_REPLAY_WINDOW_SECS` (with a public key: how old a
//! request's `timestamp` may be, and how long a signature is remembered to refuse a
//! repeated delivery; default 300). The bot answers `POST /cliq`; point its `execution_url` there
//! (through a tunnel when developing locally).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::Router;
use cliq_webhook::extract::{
    BotState, CallEvent, Chat, ContextAnswers, IncomingWebhook, MenuAction, Message, NewUser,
    Participation, User,
};
use cliq_webhook::message::Theme;
use cliq_webhook::{cliq_handler, Bot, BotError, Button, Card, Context, Reply, Slide};

/// Default port when `CLIQ_BOT_PORT` is unset.
pub const DEFAULT_PORT: u16 = 8787;

/// Application state shared with every handler.
#[derive(Clone, Default)]
pub struct AppState {
    /// How many times a handler ran.
    pub runs: Arc<AtomicUsize>,
}

impl AppState {
    fn ran(&self) {
        self.runs.fetch_add(1, Ordering::SeqCst);
    }
}

/// Opt-in authenticity checks.
#[derive(Clone, Default)]
pub struct Options {
    /// Shared secret expected in `?token=` or `X-Webhook-Token`.
    pub shared_secret: Option<String>,
    /// RSA public key (PEM) for `X-Cliq-Signature`.
    pub public_key_pem: Option<String>,
    /// Replay window for signed requests (the runtime's default, 5 minutes, when `None`).
    pub replay_window: Option<std::time::Duration>,
}

fn first_name(user: &User) -> &str {
    user.first_name.as_deref().unwrap_or("there")
}

/// Echoes messages; `survey` starts a context (answered by `on_context`).
#[cliq_handler(type = "message_handler", permissions(message, user, chat))]
async fn on_message(BotState(app): BotState<AppState>, message: Message, user: User) -> Reply {
    app.ran();
    if message.text.trim() == "survey" {
        return Reply::text("A quick question first.")
            .context(Context::new("survey", 300).question("team", "Which team are you on?"));
    }
    Reply::text(format!("{} said: {}", first_name(&user), message.text))
}

/// Answers mentions in channels.
#[cliq_handler(type = "mention_handler", permissions(message, user))]
async fn on_mention(BotState(app): BotState<AppState>, message: Message, user: User) -> String {
    app.ran();
    format!(
        "Hi {}, you mentioned me: {}",
        first_name(&user),
        message.text
    )
}

/// Greets new and returning subscribers.
#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn on_welcome(BotState(app): BotState<AppState>, user: User, NewUser(new): NewUser) -> Reply {
    app.ran();
    let text = if new {
        format!(
            "Welcome, {}! Type anything and I'll echo it.",
            first_name(&user)
        )
    } else {
        format!("Welcome back, {}!", first_name(&user))
    };
    Reply::text(text).suggestions(["survey", "help"])
}

/// Receives the survey's answers.
#[cliq_handler(type = "context_handler", permissions(user, chat))]
async fn on_context(BotState(app): BotState<AppState>, answers: ContextAnswers) -> Reply {
    app.ran();
    let team = answers
        .answers
        .get("team")
        .map(String::as_str)
        .unwrap_or("?");
    Reply::text(format!(
        "Thanks! Noted team {team} ({}).",
        answers.context_id
    ))
}

/// Says hello when added to a channel; stays quiet otherwise.
#[cliq_handler(type = "participation_handler", permissions(chat))]
async fn on_participation(
    BotState(app): BotState<AppState>,
    event: Participation,
    chat: Option<Chat>,
) -> Option<Reply> {
    app.ran();
    (event.operation == "added").then(|| {
        let title = chat
            .and_then(|c| c.title)
            .unwrap_or_else(|| "this channel".into());
        Reply::text(format!("Thanks for adding me to {title}!"))
    })
}

/// Relays a third-party webhook as a card.
#[cliq_handler(type = "incoming_webhook_handler", permissions(user))]
async fn on_incoming(BotState(app): BotState<AppState>, hook: IncomingWebhook) -> Reply {
    app.ran();
    let summary = hook
        .json()
        .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned))
        .or(hook.body.clone())
        .unwrap_or_else(|| "(empty)".into());
    Reply::text(format!("Incoming: {summary}")).card(Card::new("Build report", Theme::ModernInline))
}

/// The "Deploy" menu action, with two sub-actions.
#[cliq_handler(
    type = "menu_handler",
    permissions(chat, user),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Staging", "Production")
)]
async fn on_deploy(BotState(app): BotState<AppState>, action: MenuAction, chat: Chat) -> Reply {
    app.ran();
    let target = action.sub_action.unwrap_or_else(|| "Staging".into());
    Reply::text(format!(
        "Deploying to {target} from {}",
        chat.title.unwrap_or_default()
    ))
    .card(Card::new("Deployment", Theme::Basic))
    .button(Button::open_url(
        "Open pipeline",
        "https://example.com/pipeline",
    ))
    .slide(Slide::list(["build", "test", "ship"]).title("Steps"))
}

/// Bot call states: nothing to say back.
#[cliq_handler(type = "call_handler", permissions(user))]
async fn on_call(BotState(app): BotState<AppState>, event: CallEvent) {
    app.ran();
    println!(
        "call {} is {}",
        event.call_id.unwrap_or_default(),
        event.operation
    );
}

/// The bot, checked against Cliq's rules.
pub fn bot(state: AppState, options: &Options) -> Result<Bot<AppState>, BotError> {
    let mut builder = Bot::with_state(state)
        .handler(on_message {})
        .handler(on_mention {})
        .handler(on_welcome {})
        .handler(on_context {})
        .handler(on_participation {})
        .handler(on_incoming {})
        .handler(on_deploy {})
        .handler(on_call {});
    if let Some(secret) = &options.shared_secret {
        builder = builder.shared_secret(secret);
    }
    if let Some(pem) = &options.public_key_pem {
        builder = builder.signature_public_key_pem(pem);
    }
    if let Some(window) = options.replay_window {
        builder = builder.replay_window(window);
    }
    builder.build()
}

/// The app: the bot at `POST /cliq`, next to the app's own routes.
pub fn app(state: AppState, options: &Options) -> Result<Router, BotError> {
    Ok(Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .route_service("/cliq", bot(state, options)?))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = match std::env::var("CLIQ_BOT_PORT") {
        Ok(p) => p
            .parse::<u16>()
            .map_err(|e| format!("CLIQ_BOT_PORT={p:?}: {e}"))?,
        Err(_) => DEFAULT_PORT,
    };
    let options = Options {
        shared_secret: std::env::var("CLIQ_BOT_SECRET").ok(),
        public_key_pem: std::env::var("CLIQ_BOT_PUBLIC_KEY").ok(),
        replay_window: match std::env::var("CLIQ_BOT_REPLAY_WINDOW_SECS") {
            Ok(s) => Some(std::time::Duration::from_secs(
                s.parse::<u64>()
                    .map_err(|e| format!("CLIQ_BOT_REPLAY_WINDOW_SECS={s:?}: {e}"))?,
            )),
            Err(_) => None,
        },
    };
    let app = app(AppState::default(), &options)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "echo_bot listening on http://{}/cliq (port from CLIQ_BOT_PORT, default {DEFAULT_PORT})",
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}
