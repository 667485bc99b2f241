//! One handler of each type, wired by hand against the runtime API: what `#[cliq_handler]`
//! expands to, without its compile-time permission checks (figure 4; twin: `bench/macro-bot`).

use cliq_webhook::__private::{
    FromInvocation, Handler, HandlerKind, HandlerMeta, HandlerResult, IntoReply, Invocation,
    Permission,
};
use cliq_webhook::extract::{
    CallEvent, Chat, ContextAnswers, IncomingWebhook, MenuAction, Message, NewUser, Participation,
    User,
};
use cliq_webhook::{Bot, BotError};

fn on_message() -> Handler<()> {
    async fn run(message: Message, user: User, chat: Chat) -> String {
        format!("{:?} in {:?}: {}", user.first_name, chat.id, message.text)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotMessage,
            &[Permission::Message, Permission::User, Permission::Chat],
            None,
            None,
            &[],
            "on_message",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let message = <Message as FromInvocation<()>>::from_invocation(inv)?;
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let chat = <Chat as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(message, user, chat).await)
            }))
        },
    )
}

fn on_mention() -> Handler<()> {
    async fn run(message: Message, user: User) -> String {
        format!("{:?} mentioned me: {}", user.first_name, message.text)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotMention,
            &[Permission::Message, Permission::User],
            None,
            None,
            &[],
            "on_mention",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let message = <Message as FromInvocation<()>>::from_invocation(inv)?;
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(message, user).await)
            }))
        },
    )
}

fn on_welcome() -> Handler<()> {
    async fn run(user: User, new: NewUser) -> String {
        format!("welcome {:?} ({})", user.first_name, new.0)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotWelcome,
            &[Permission::User],
            None,
            None,
            &[],
            "on_welcome",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let new = <NewUser as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(user, new).await)
            }))
        },
    )
}

fn on_context() -> Handler<()> {
    async fn run(user: User, answers: ContextAnswers) -> String {
        format!("{:?} answered {answers:?}", user.first_name)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotContext,
            &[Permission::User],
            None,
            None,
            &[],
            "on_context",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let answers = <ContextAnswers as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(user, answers).await)
            }))
        },
    )
}

fn on_participation() -> Handler<()> {
    async fn run(user: User, chat: Chat, event: Participation) -> String {
        format!("{:?} in {:?}: {event:?}", user.first_name, chat.id)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotParticipation,
            &[Permission::User, Permission::Chat],
            None,
            None,
            &[],
            "on_participation",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let chat = <Chat as FromInvocation<()>>::from_invocation(inv)?;
            let event = <Participation as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(user, chat, event).await)
            }))
        },
    )
}

fn on_webhook() -> Handler<()> {
    async fn run(user: User, hook: IncomingWebhook) -> String {
        format!("{:?}: {hook:?}", user.first_name)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotIncomingWebhook,
            &[Permission::User],
            None,
            None,
            &[],
            "on_webhook",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let hook = <IncomingWebhook as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(user, hook).await)
            }))
        },
    )
}

fn on_menu() -> Handler<()> {
    async fn run(user: User, chat: Chat, action: MenuAction) -> String {
        format!("{:?} in {:?}: {action:?}", user.first_name, chat.id)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotMenu,
            &[Permission::User, Permission::Chat],
            Some("Deploy"),
            None,
            &[],
            "on_menu",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let chat = <Chat as FromInvocation<()>>::from_invocation(inv)?;
            let action = <MenuAction as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(user, chat, action).await)
            }))
        },
    )
}

fn on_call() -> Handler<()> {
    async fn run(user: User, call: CallEvent) -> String {
        format!("{:?}: {call:?}", user.first_name)
    }
    Handler::__new(
        HandlerMeta::__new(
            HandlerKind::BotCall,
            &[Permission::User],
            None,
            None,
            &[],
            "on_call",
        ),
        |inv: &Invocation<'_, ()>| -> HandlerResult {
            let user = <User as FromInvocation<()>>::from_invocation(inv)?;
            let call = <CallEvent as FromInvocation<()>>::from_invocation(inv)?;
            Ok(Box::pin(async move {
                IntoReply::into_reply(run(user, call).await)
            }))
        },
    )
}
/// The bot with all eight handlers.
pub fn bot() -> Result<Bot<()>, BotError> {
    Bot::builder()
        .handler(on_message())
        .handler(on_mention())
        .handler(on_welcome())
        .handler(on_context())
        .handler(on_participation())
        .handler(on_webhook())
        .handler(on_menu())
        .handler(on_call())
        .build()
}
