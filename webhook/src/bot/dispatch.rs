//! Dispatch: one request in, one response out (the steps are listed in [`super`]).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;

use http::StatusCode;

use super::late_reply::{send_late, LateReplySender};
use super::run::{finish, panic_message, Running};
use super::types::{App, WebhookRequest, WebhookResponse};
use crate::envelope::Envelope;
use crate::error::Rejection;
use crate::extract::Invocation;
use crate::handler::Handler;
use crate::reply::{Output, Repr};
use crate::rules::{self, Component, HandlerKind};

impl WebhookResponse {
    pub(super) fn rejection(rejection: &Rejection) -> Self {
        WebhookResponse {
            status: rejection.status(),
            body: rejection.to_json().to_string().into(),
        }
    }
}

impl<S: Send + Sync + 'static> App<S> {
    /// Handles one request in framework-neutral form: always answers, never panics. The
    /// [`tower::Service`] implementation reads the body and calls this; use it directly only
    /// to serve the bot from something that is not a tower stack.
    pub async fn dispatch(&self, request: WebhookRequest<'_>) -> WebhookResponse {
        match self.try_dispatch(request).await {
            Ok(output) => WebhookResponse {
                status: StatusCode::OK,
                body: output.into_bytes(),
            },
            Err(rejection) => {
                tracing::warn!(
                    code = rejection.code(),
                    "cliq webhook request refused: {rejection}"
                );
                WebhookResponse::rejection(&rejection)
            }
        }
    }

    /// Which bot a bot request is for: `None` when the app's bot handlers name no bot (one
    /// bot, whatever the request's `unique_name`); else the bot named by `unique_name`,
    /// exactly, else ignoring ASCII case (as component names are matched). A request naming
    /// no bot goes to the app's only bot, and is refused when it has several.
    fn bot(&self, env: &Envelope) -> Result<Option<&'static str>, Rejection> {
        let bots = &self.inner.bots[..];
        if bots.is_empty() {
            return Ok(None);
        }
        let Some(name) = env.unique_name.as_deref().filter(|n| !n.is_empty()) else {
            return match bots {
                [only] => Ok(Some(*only)),
                _ => Err(Rejection::MissingContext {
                    field: "unique_name",
                    hint: " (the bot's unique name; this app serves several bots)",
                }),
            };
        };
        bots.iter()
            .find(|b| **b == name)
            .or_else(|| bots.iter().find(|b| b.eq_ignore_ascii_case(name)))
            .map(|b| Some(*b))
            .ok_or_else(|| Rejection::UnknownBot(name.to_owned()))
    }

    fn find(
        &self,
        rule: &'static rules::HandlerRule,
        env: &Envelope,
    ) -> Result<&Handler<S>, Rejection> {
        let bot = match rule.component {
            Component::Bot => self.bot(env)?,
            _ => None,
        };
        // The handlers of this kind (and this bot): no collecting into a Vec per request.
        let all = || {
            self.inner
                .handlers
                .iter()
                .filter(move |h| h.meta.kind == rule.kind && h.meta.bot == bot)
        };
        let mut of_kind = all();
        let Some(first) = of_kind.next() else {
            return Err(Rejection::HandlerNotRegistered(
                rule.handler_type.to_owned(),
            ));
        };
        if rule.component != Component::Bot {
            // A command, message action or function: by the request's `name`, exactly, else
            // ignoring ASCII case (Zoho's samples compare command names so).
            let Some(name) = env.name.as_deref().filter(|n| !n.is_empty()) else {
                return match of_kind.next() {
                    None => Ok(first),
                    Some(_) => Err(Rejection::MissingContext {
                        field: "name",
                        hint: " (the component's name; this app serves several)",
                    }),
                };
            };
            return all()
                .find(|h| h.meta.name == Some(name))
                .or_else(|| {
                    all().find(|h| h.meta.name.is_some_and(|n| n.eq_ignore_ascii_case(name)))
                })
                .ok_or_else(|| Rejection::UnknownComponent {
                    component: rule.component.name(),
                    handler_type: rule.handler_type,
                    name: name.to_owned(),
                });
        }
        if rule.kind != HandlerKind::BotMenu {
            return Ok(first);
        }
        match env.action_name() {
            Some(name) => std::iter::once(first)
                .chain(of_kind)
                .find(|h| h.meta.name == Some(name))
                .ok_or_else(|| Rejection::UnknownMenuAction(name.to_owned())),
            None if of_kind.next().is_none() => Ok(first),
            None => Err(Rejection::MissingContext {
                field: "handler.name",
                hint: " (the menu action's name; this bot has several)",
            }),
        }
    }

    /// Steps 1–5 and the handler's start, synchronously: the parsed envelope (over a
    /// kilobyte) lives in this frame only, so the future that `dispatch` returns, which every
    /// caller moves and boxes, does not carry it.
    fn start(&self, request: WebhookRequest<'_>) -> Result<Started, Rejection> {
        let settings = &self.inner.settings;
        if request.body.len() > settings.max_body_bytes {
            return Err(Rejection::PayloadTooLarge {
                limit: settings.max_body_bytes,
            });
        }
        if let Some(secret) = &settings.secret {
            secret.check(request.headers, request.query)?;
        }
        let signature = match &settings.signature {
            Some(sig) => Some(sig.check(request.headers, request.body)?),
            None => None,
        };
        // serde reads a struct from a JSON array too (by position): only an object is an
        // envelope.
        if !request.body.trim_ascii_start().starts_with(b"{") {
            return Err(Rejection::MalformedJson(
                "expected a JSON object (the request envelope)".into(),
            ));
        }
        let mut env: Envelope = serde_json::from_slice(request.body)
            .map_err(|e| Rejection::MalformedJson(e.to_string()))?;
        if let Some(digest) = signature {
            let window = i64::try_from(settings.replay_window.as_millis()).unwrap_or(i64::MAX);
            settings
                .replay
                .check(digest, env.timestamp, (settings.clock)(), window)?;
        }
        // The component (`type`; absent: a bot, as the bot envelope tolerates), then its
        // handler type in either vocabulary (`rules::resolve`).
        let component = env.component.as_deref().filter(|c| !c.is_empty());
        if let Some(c) = component {
            if Component::from_name(c).is_none() {
                return Err(Rejection::UnsupportedComponent(c.to_owned()));
            }
        }
        let wire = env.handler_type().ok_or(Rejection::MissingHandlerType)?;
        let rule = rules::resolve(component, wire)
            .ok_or_else(|| Rejection::UnknownHandlerType(wire.to_owned()))?;
        let handler = self.find(rule, &env)?;
        let params = env.params.as_ref().ok_or(Rejection::MissingParams)?;
        let invocation = Invocation {
            envelope: &env,
            params,
            headers: request.headers,
            state: &self.inner.state,
            rule,
            #[cfg(feature = "client")]
            cliq: self.inner.settings.cliq.as_ref(),
        };
        // Run the handler on this task (no spawn per request); only a handler still pending
        // when the reply window closes moves to a task of its own (`send_late`).
        let running: Running = AssertUnwindSafe((handler.call)(&invocation)?).catch_unwind();
        let function = handler.meta.function;

        Ok(Started {
            running,
            function,
            // Moved out, not copied: parsed and checked only if a late reply is needed.
            response_url: env.response_url.take(),
            timestamp: env.timestamp,
        })
    }

    async fn try_dispatch(&self, request: WebhookRequest<'_>) -> Result<Output, Rejection> {
        let Started {
            mut running,
            function,
            response_url,
            timestamp,
        } = self.start(request)?;
        let settings = &self.inner.settings;
        // Most handlers finish on their first poll: no timer, no clock read, no URL parsed.
        let joined = match (&mut running).now_or_never() {
            Some(joined) => joined,
            None => match self.late_target(response_url.as_deref()) {
                // No response_url to post to: wait for the handler for as long as Cliq
                // waits, then answer with an error rather than never.
                None => self.within_reply_budget(function, running).await?,
                Some((url, sender)) => {
                    let window = self.remaining(timestamp);
                    match tokio::time::timeout(window, &mut running).await {
                        Ok(joined) => joined,
                        Err(_) => {
                            tracing::info!(
                                handler = function,
                                "reply window spent; answering via response_url"
                            );
                            send_late(running, function, settings.late_reply(), sender, url);
                            return Ok(Output::empty());
                        }
                    }
                }
            },
        };
        match joined {
            Ok(Output(Repr::Deferred(ack, later))) => {
                match (self.late_target(response_url.as_deref()), later.take()) {
                    (Some((url, sender)), Some(future)) => {
                        send_late(
                            AssertUnwindSafe(future).catch_unwind(),
                            function,
                            settings.late_reply(),
                            sender,
                            url,
                        );
                        finish(function, *ack)
                    }
                    // No response_url to post to: the follow-up becomes the reply (its panic is a
                    // 500 like one in the handler; it gets what is left of Cliq's wait).
                    (None, Some(future)) => {
                        let running = AssertUnwindSafe(future).catch_unwind();
                        match self.within_reply_budget(function, running).await? {
                            Ok(output) => finish(function, output),
                            Err(panic) => {
                                tracing::error!(
                                    handler = function,
                                    "deferred follow-up panicked: {}",
                                    panic_message(panic.as_ref())
                                );
                                Err(Rejection::HandlerFailed)
                            }
                        }
                    }
                    (_, None) => finish(function, *ack),
                }
            }
            Ok(output) => finish(function, output),
            Err(panic) => {
                tracing::error!(
                    handler = function,
                    "handler panicked: {}",
                    panic_message(panic.as_ref())
                );
                Err(Rejection::HandlerFailed)
            }
        }
    }

    /// Where and how a late reply can go: a sender, and a `response_url` the policy allows.
    fn late_target(&self, raw: Option<&str>) -> Option<(url::Url, Arc<dyn LateReplySender>)> {
        let settings = &self.inner.settings;
        let sender = settings.sender.as_ref()?;
        let url = url::Url::parse(raw?).ok()?;
        if (settings.url_policy)(&url) {
            Some((url, Arc::clone(sender)))
        } else {
            tracing::warn!(url = %url, "ignoring response_url outside the allowed hosts");
            None
        }
    }

    /// Awaits a handler that has no `response_url` to fall back on, for at most Cliq's whole
    /// reply budget (after that Cliq has stopped waiting): `HandlerTimedOut` (504) then, and
    /// the handler is dropped, so a hung handler cannot hold the request forever.
    async fn within_reply_budget(
        &self,
        function: &'static str,
        running: Running,
    ) -> Result<std::thread::Result<Output>, Rejection> {
        let budget = self.inner.settings.reply_budget;
        tokio::time::timeout(budget, running).await.map_err(|_| {
            tracing::error!(
                handler = function,
                "no reply within {budget:?} and no response_url to answer through later"
            );
            Rejection::HandlerTimedOut
        })
    }

    /// Time left in Cliq's window for a request created at `timestamp`.
    fn remaining(&self, timestamp: Option<i64>) -> Duration {
        let c = &self.inner.settings;
        let full = c.reply_budget.saturating_sub(c.reply_margin);
        let Some(ts) = timestamp else { return full };
        let elapsed = (c.clock)().saturating_sub(ts).max(0) as u64;
        full.saturating_sub(Duration::from_millis(elapsed))
    }
}

/// A handler started by [`App::start`], with what dispatch needs of the request afterwards.
struct Started {
    running: Running,
    function: &'static str,
    /// The request's `response_url`, as sent.
    response_url: Option<String>,
    timestamp: Option<i64>,
}
