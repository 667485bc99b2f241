//! Calling Cliq from a handler (feature `client`): the [`CliqClient`] extractor, a `cliq-api`
//! client bound to the data center the request came from and to the bot's credentials
//! ([`BotBuilder::credentials`](crate::BotBuilder::credentials)), with helpers that post to
//! the chat of the request.
//!
//! ```
//! use cliq_webhook::{cliq_handler, extract::CliqClient, Bot, Reply};
//! use cliq_webhook::cliq_client::types;
//!
//! #[cliq_handler(type = "menu_handler", name = "Deploy")]
//! async fn deploy(cliq: CliqClient) -> Reply {
//!     let note = types::BotMessage { text: Some("Deploying…".into()), ..Default::default() };
//!     match cliq.post_to_channel("deployments", &note).await {
//!         Ok(_) => Reply::text("Announced in #deployments"),
//!         Err(e) => Reply::text(format!("Could not announce: {e}")),
//!     }
//! }
//!
//! # fn main() -> Result<(), cliq_webhook::BotError> {
//! let bot = Bot::builder()
//!     .credentials(cliq_runtime::TokenSource::static_token("1000.xxxx"))
//!     .handler(deploy {})
//!     .build()?;
//! # let _ = bot; Ok(())
//! # }
//! ```

pub use cliq_api::bots::types;
use cliq_runtime::DataCenter;

use crate::envelope::{Envelope, Params};
use crate::error::Rejection;
use crate::extract::{Extractor, FromInvocation, Invocation};

/// What a [`cliq_api`] call through [`CliqClient`] returns.
pub type CallResult<T, E> = Result<T, cliq_runtime::Error<E>>;

/// The data center a request came from: its `environment` (`tld`, `data_center`,
/// `base_url`), else the host of its `response_url`.
pub fn data_center_of(envelope: &Envelope) -> Option<DataCenter> {
    let environment = envelope
        .params
        .as_ref()
        .and_then(|p| p.environment.as_ref());
    let from_environment = environment.into_iter().flat_map(|e| {
        [&e.tld, &e.data_center, &e.base_url]
            .into_iter()
            .filter_map(|v| v.as_deref())
    });
    from_environment
        .chain(envelope.response_url.as_deref())
        .find_map(|v| v.parse().ok())
}

/// A `cliq-api` client for the handler's request: at the request's data center, with the
/// bot's credentials ([`BotBuilder::credentials`](crate::BotBuilder::credentials)), and
/// helpers that post as the bot to where the request came from. Needs no permission; the
/// request is refused (500, `client_unavailable`) when the bot was built without
/// credentials, and (400, `missing_context`) when it says nothing of its data center.
///
/// [`api`](Self::api) is the whole generated client, for any other operation (and
/// `with_options` for per-call timeouts, retries and headers).
#[derive(Debug, Clone)]
pub struct CliqClient {
    api: cliq_api::Client,
    data_center: DataCenter,
    bot: Option<String>,
    user_id: Option<String>,
    chat_id: Option<String>,
    channel: Option<String>,
}

impl CliqClient {
    /// The generated client, bound to the request's data center and the bot's credentials.
    pub fn api(&self) -> &cliq_api::Client {
        &self.api
    }

    /// The data center the request came from.
    pub fn data_center(&self) -> DataCenter {
        self.data_center
    }

    /// The bot's unique name, as the request gave it.
    pub fn bot_unique_name(&self) -> Option<&str> {
        self.bot.as_deref()
    }

    /// Posts `message` as the bot where the request came from: to the channel, when the
    /// request is from a channel whose unique name it carries (the `chat` permission), else
    /// to the user who triggered it, in the bot's chat. In a thread, into the thread.
    /// Through [`cliq_api::bots::Client::send_bot_message`].
    pub async fn say(
        &self,
        message: &types::BotMessage,
    ) -> CallResult<types::NoResponse, cliq_api::bots::errors::SendBotMessageErrorCode> {
        let mut message = message.clone();
        if let Some(thread) = self.chat_id.as_ref().filter(|id| id.contains("-T-")) {
            message.thread_chat_id.get_or_insert_with(|| thread.clone());
        }
        let params = match (&self.channel, &self.user_id) {
            (Some(channel), _) => types::SendBotMessageParams {
                channel_unique_name: Some(channel.clone()),
                ..Default::default()
            },
            (None, user) => types::SendBotMessageParams {
                user_ids: user.clone(),
                ..Default::default()
            },
        };
        self.send(&params, &message).await
    }

    /// Posts `message` as a reply in the thread of the message `message_id` (Cliq makes the
    /// thread if there is none), where [`say`](Self::say) would post.
    pub async fn reply_in_thread(
        &self,
        message_id: impl Into<String>,
        message: &types::BotMessage,
    ) -> CallResult<types::NoResponse, cliq_api::bots::errors::SendBotMessageErrorCode> {
        let mut message = message.clone();
        message.thread_message_id = Some(message_id.into());
        self.say(&message).await
    }

    /// Posts `message` as the bot to the channel `channel_unique_name` (the bot must be a
    /// participant).
    pub async fn post_to_channel(
        &self,
        channel_unique_name: impl Into<String>,
        message: &types::BotMessage,
    ) -> CallResult<types::NoResponse, cliq_api::bots::errors::SendBotMessageErrorCode> {
        let params = types::SendBotMessageParams {
            channel_unique_name: Some(channel_unique_name.into()),
            ..Default::default()
        };
        self.send(&params, message).await
    }

    async fn send(
        &self,
        params: &types::SendBotMessageParams,
        message: &types::BotMessage,
    ) -> CallResult<types::NoResponse, cliq_api::bots::errors::SendBotMessageErrorCode> {
        let bot = self.bot.clone().unwrap_or_default();
        self.api.bots().send_bot_message(bot, params, message).await
    }
}

impl Extractor for CliqClient {}

impl<S> FromInvocation<S> for CliqClient {
    fn from_invocation(inv: &Invocation<'_, S>) -> Result<Self, Rejection> {
        let connector = inv.cliq.ok_or_else(|| {
            Rejection::ClientUnavailable(
                "the handler takes a CliqClient but the bot has no credentials \
                 (Bot::builder().credentials(…))"
                    .into(),
            )
        })?;
        let envelope = inv.envelope();
        let data_center = data_center_of(envelope).ok_or(Rejection::MissingContext {
            field: "environment",
            hint: " (no data center in `environment` or `response_url`)",
        })?;
        let params: &Params = inv.params;
        let chat = params.chat.as_ref();
        let access = params.access.as_ref();
        Ok(CliqClient {
            api: connector.client(data_center)?,
            data_center,
            bot: envelope.unique_name.clone(),
            user_id: access
                .and_then(|a| a.user_id.clone())
                .or_else(|| params.user.as_ref().and_then(|u| u.id.clone())),
            chat_id: chat
                .and_then(|c| c.id.clone())
                .or_else(|| access.and_then(|a| a.chat_id.clone())),
            channel: chat.and_then(|c| c.channel_unique_name.clone()),
        })
    }
}
