//! Late replies: posting a handler's reply to `response_url` once Cliq's synchronous window
//! is spent, which URLs may be posted to, and what can go wrong ([`LateReplyError`]).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::FutureExt;

use super::run::{panic_message, Running};
use crate::reply::{BoxFuture, Output, Repr};
use crate::rules::DataCenter;

/// Why a late reply was not delivered. Each is logged (`tracing` error) and passed to the
/// observer set with [`AppBuilder::on_late_reply_error`](super::AppBuilder::on_late_reply_error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LateReplyError {
    /// The handler was still running at the late-reply deadline; it was dropped.
    #[error("the handler did not finish within the late-reply deadline of {0:?}; it was dropped")]
    HandlerTimedOut(Duration),
    /// The handler panicked after the reply window.
    #[error("the handler panicked: {0}")]
    HandlerPanicked(String),
    /// The handler returned an error after the reply window.
    #[error("the handler failed: {0}")]
    HandlerFailed(String),
    /// `response_url` answered with a redirect, which is never followed (a redirect could send
    /// the reply to any host).
    #[error(
        "response_url answered a redirect ({status}) to {location:?}; redirects are not followed"
    )]
    Redirected {
        /// The 3xx status.
        status: u16,
        /// Its `Location` header, if any.
        location: Option<String>,
    },
    /// `response_url` answered with an error status.
    #[error("response_url answered {0}")]
    Status(u16),
    /// `response_url` did not answer in time.
    #[error("no answer from response_url within {0:?}")]
    Timeout(Duration),
    /// The request could not be sent (connection, TLS, the HTTP client).
    #[error("could not post to response_url: {0}")]
    Transport(String),
}

/// Called with each late reply that was not delivered.
pub(super) type LateReplyObserver = Arc<dyn Fn(&LateReplyError) + Send + Sync>;

/// Posts a late reply to a `response_url` the bot's policy allowed
/// ([`AppBuilder::allow_response_url`](super::AppBuilder::allow_response_url)).
pub trait LateReplySender: Send + Sync + 'static {
    /// POSTs `body` (JSON, `{"output": …}`) to `url`.
    fn send(&self, url: url::Url, body: Bytes) -> BoxFuture<'static, Result<(), LateReplyError>>;
}

/// The default sender (feature `client`): one `reqwest` client that follows no redirects
/// (a 3xx is [`LateReplyError::Redirected`]) and gives each POST [`Self::TIMEOUT`].
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
#[derive(Debug, Clone)]
pub struct HttpLateReplySender {
    client: Result<reqwest::Client, String>,
}

#[cfg(feature = "client")]
impl HttpLateReplySender {
    /// How long one POST to `response_url` may take.
    pub const TIMEOUT: Duration = Duration::from_secs(15);
}

#[cfg(feature = "client")]
impl Default for HttpLateReplySender {
    fn default() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Self::TIMEOUT)
            .build()
            .map_err(|e| e.to_string());
        HttpLateReplySender { client }
    }
}

#[cfg(feature = "client")]
impl LateReplySender for HttpLateReplySender {
    fn send(&self, url: url::Url, body: Bytes) -> BoxFuture<'static, Result<(), LateReplyError>> {
        let client = self.client.clone();
        Box::pin(async move {
            let client = client.map_err(LateReplyError::Transport)?;
            let resp = client
                .post(url)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(body)
                .send()
                .await
                .map_err(|e| {
                    if e.is_timeout() {
                        LateReplyError::Timeout(Self::TIMEOUT)
                    } else {
                        LateReplyError::Transport(e.to_string())
                    }
                })?;
            let status = resp.status();
            if status.is_redirection() {
                let location = resp
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                return Err(LateReplyError::Redirected {
                    status: status.as_u16(),
                    location,
                });
            }
            if status.is_success() {
                Ok(())
            } else {
                Err(LateReplyError::Status(status.as_u16()))
            }
        })
    }
}

/// The default `response_url` policy: `https`, the default port, no user info, and a host
/// that is Cliq's own, `cliq.<domain>` of one of Zoho's data centers ([`DataCenter::ALL`]):
/// `https://cliq.zoho.eu/…` yes; `https://accounts.zoho.eu/…`, `https://x.cliq.zoho.eu/…`,
/// `http://cliq.zoho.eu/…`, `https://cliq.zoho.eu:8443/…` no.
pub fn is_cliq_url(url: &url::Url) -> bool {
    url.scheme() == "https"
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
        && matches!(url.host(), Some(url::Host::Domain(host))
            if DataCenter::ALL.iter().any(|dc| dc.is_cliq_host(host)))
}

/// Waits, up to the late-reply deadline, for a handler that missed the reply window and
/// posts its reply to `url`. Every failure is logged and observed, never lost silently.
pub(super) fn send_late(
    running: Running,
    function: &'static str,
    (deadline, observer): (Duration, Option<LateReplyObserver>),
    sender: Arc<dyn LateReplySender>,
    url: url::Url,
) {
    tokio::spawn(async move {
        let result = match tokio::time::timeout(deadline, reply_of(running)).await {
            Ok(Ok(body)) => sender.send(url, body).await,
            Ok(Err(e)) => Err(e),
            Err(_) => Err(LateReplyError::HandlerTimedOut(deadline)),
        };
        if let Err(e) = result {
            report(function, &e, observer.as_ref());
        }
    });
}

/// The late handler's reply body, following a deferred reply's follow-up.
async fn reply_of(running: Running) -> Result<Bytes, LateReplyError> {
    let output = match running.await {
        // A deferred reply that also missed the window: its follow-up is the late reply.
        Ok(Output(Repr::Deferred(ack, later))) => match later.take() {
            Some(future) => AssertUnwindSafe(future).catch_unwind().await,
            None => Ok(*ack),
        },
        other => other,
    };
    match output {
        Ok(Output(Repr::Failed(message))) => Err(LateReplyError::HandlerFailed(message)),
        Ok(output) => Ok(output.into_bytes()),
        Err(panic) => Err(LateReplyError::HandlerPanicked(
            panic_message(panic.as_ref()).to_owned(),
        )),
    }
}

fn report(function: &'static str, e: &LateReplyError, observer: Option<&LateReplyObserver>) {
    tracing::error!(handler = function, "late reply not delivered: {e}");
    if let Some(observe) = observer {
        observe(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cliq_hosts_only_by_default() {
        let ok = |s: &str| is_cliq_url(&url::Url::parse(s).unwrap());
        for dc in DataCenter::ALL {
            assert!(ok(&format!(
                "{}/v2/extensions/1/responses/2",
                dc.cliq_origin()
            )));
            assert!(!ok(&format!("{}/x", dc.accounts_url())), "{dc}");
        }
        assert!(ok("https://cliq.zoho.com:443/x"));
        assert!(!ok("http://cliq.zoho.com/x"));
        assert!(!ok("https://cliq.zoho.com:8443/x"));
        assert!(!ok("https://user:pw@cliq.zoho.com/x"));
        assert!(!ok("https://evil.zoho.com/x"));
        assert!(!ok("https://www.zoho.com/x"));
        assert!(!ok("https://a.cliq.zoho.com/x"));
        assert!(!ok("https://cliq.zoho.com.evil.example/x"));
        assert!(!ok("https://evil.example/x"));
        assert!(!ok("https://notzoho.com/x"));
        assert!(!ok("https://cliq.zoho.co/x"));
    }
}
