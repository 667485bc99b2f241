//! The app: the handlers of any number of bots, slash commands, message actions and functions,
//! its settings and state, served as a [`tower::Service`] (mount it with axum's
//! `Router::route_service`, wrap it in `ServiceBuilder` layers, or hand it to hyper), over a
//! framework-neutral dispatch core ([`App::dispatch`]: bytes in, response out). [`Bot`] is
//! the same type under its first name (an app serving a bot's handlers), and [`BotBuilder`]
//! its builder's.
//!
//! One app or many: mount one app at one URL and give every component that URL as its
//! `execution_url` (dispatch routes on the request's `type`, `handler.type` and `name`, and a
//! bot's on its `unique_name` when the handlers name their bots, `bot = "..."`), or build one
//! app per component and mount each at its own URL. Signature, shared secret,
//! replay window, reply budget and late replies are the same for every component: one
//! dispatch path.
//!
//! Dispatch, step by step (each refusal is a 4xx JSON error and no handler runs):
//! 1. body size limit (413);
//! 2. opt-in authenticity: shared secret, `X-Cliq-Signature` (401);
//! 3. JSON parse into the lenient [`Envelope`](crate::envelope::Envelope) (400); with
//!    signature verification on, the replay check: `timestamp` within the replay window
//!    (401 `stale_request`) and a signature not seen before in it (409 `replayed_request`),
//!    see [`BotBuilder::signature_public_key`];
//! 4. `type` must be a served component (`bot`, `command`, `messageaction`, `function`;
//!    absent means `bot`) (400); the handler type, in either vocabulary (`form_handler` for
//!    `form_submit_handler`, …), must be one of that component's (400) and registered (404);
//!    menu actions match by name, and commands, message actions and functions by the
//!    request's `name` (404); when the bot handlers name their bots, a bot request goes to
//!    the bot its `unique_name` names, exactly, else ignoring ASCII case (404
//!    `unknown_bot`; none named: 400 `missing_context`, unless the app serves one bot);
//! 5. `params` must be present (400) and every non-`Option` extractor must find its data
//!    (400 `missing_context`);
//! 6. the handler runs in place on the request's task (it moves to a task of its own only
//!    when it outlives the reply window); a panic or an `Err` return is a 500, logged.
//!
//! **Deadline.** Cliq waits about 15 s after `timestamp` for the synchronous reply (Zoho's
//! Python SDK switches to `response_url` after 15 000 ms). When the handler is still running
//! at `timestamp + budget - margin` and the request has an allowed `response_url`, dispatch
//! answers `{"output": {}}` at once and POSTs the handler's `{"output": …}` to
//! `response_url` when it finishes (the SDK posts the same wrapped body; Zoho does not
//! document the late body's shape, so this follows the SDK). Without a usable `response_url`
//! (the call handler's sample has none) the handler is awaited for the whole budget, no
//! longer: then the answer is 504 `handler_timed_out` and the handler is dropped, so a hung
//! handler never holds a request (Cliq has stopped waiting by then anyway). A missing `timestamp` counts
//! from arrival; a timestamp from the future never extends the budget. Only `https` URLs on
//! Cliq's own hosts (`cliq.<domain>` of a Zoho data center, default port) are posted to by
//! default, redirects are never followed, and a late handler has a deadline
//! ([`BotBuilder::late_reply_deadline`]): no request can make the bot POST elsewhere or keep a
//! task forever; see [`BotBuilder::allow_response_url`] and [`LateReplyError`]. Late replies
//! need a sender: the default one comes with the `client` feature (on by default); without
//! it, and without [`BotBuilder::late_reply_sender`], every request is treated as one
//! without a `response_url`.
//!
//! **Lenient readings where Zoho's documentation is silent or contradicts itself**: the
//! `menu_handler` + `message` contradiction follows the permissions table (rejected);
//! `sub_action` is read from the top level or from `params`, `""` meaning none; a menu
//! request without an action name goes to the bot's only menu handler when it has exactly
//! one; the incoming-webhook parameters are read from `params` or `param`; a missing
//! `type` is treated as `bot`.
//!
//! The protocol behind these steps (request and reply shapes, the window, `response_url`,
//! the authenticity checks, the open questions), each claim with its public source, is in
//! the repository's `docs/webhook-protocol.md`.

mod builder;
mod dispatch;
mod late_reply;
mod run;
mod service;
mod settings;
mod types;

pub use builder::AppBuilder;
#[cfg(feature = "client")]
pub use late_reply::HttpLateReplySender;
pub use late_reply::{is_cliq_url, LateReplyError, LateReplySender};
pub use settings::{
    DEFAULT_LATE_REPLY_DEADLINE, DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_WINDOW,
    DEFAULT_REPLY_BUDGET, DEFAULT_REPLY_MARGIN,
};
pub use types::{App, WebhookRequest, WebhookResponse};

/// The app under its first name: `Bot::builder()` and `Bot<S>` keep working.
pub type Bot<S = ()> = App<S>;
/// [`AppBuilder`] under its first name.
pub type BotBuilder<S> = AppBuilder<S>;
