//! Late replies: posting a handler's reply to `response_url` once Cliq's synchronous window
//! is spent, and which URLs may be posted to.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use super::dispatch::{finish, panic_message, Running};
use crate::handler::BoxFuture;
use crate::reply::Output;
use cliq_runtime::DataCenter;
use futures::FutureExt;
use serde_json::Value;

/// Posts a late reply to a `response_url`.
pub trait LateReplySender: Send + Sync + 'static {
    /// POSTs `body` as JSON to `url`.
    fn send(&self, url: String, body: Value) -> BoxFuture<'static, Result<(), String>>;
}

/// The default sender: one `reqwest` client.
#[derive(Debug, Clone, Default)]
pub struct HttpLateReplySender {
    client: reqwest::Client,
}

impl LateReplySender for HttpLateReplySender {
    fn send(&self, url: String, body: Value) -> BoxFuture<'static, Result<(), String>> {
        let client = self.client.clone();
        Box::pin(async move {
            let resp = client
                .post(&url)
                .timeout(Duration::from_secs(15))
                .json(&body)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if resp.status().is_success() {
                Ok(())
            } else {
                Err(format!("response_url answered {}", resp.status()))
            }
        })
    }
}

/// `https` on one of Zoho's Cliq domains (a [`DataCenter`]'s domain or a subdomain of it).
pub fn is_zoho_url(url: &url::Url) -> bool {
    url.scheme() == "https"
        && url.host_str().is_some_and(|h| {
            DataCenter::ALL.iter().any(|dc| {
                let d = dc.domain();
                h == d || h.strip_suffix(d).is_some_and(|sub| sub.ends_with('.'))
            })
        })
}

/// Waits for a handler that missed the reply window and posts its reply to `url`.
pub(super) fn send_late(
    running: Running,
    function: &'static str,
    sender: Arc<dyn LateReplySender>,
    url: url::Url,
) {
    tokio::spawn(async move {
        let output = match running.await {
            // A deferred reply that also missed the window: its follow-up is the late reply.
            Ok(Output::Deferred(ack, later)) => match later.take() {
                Some(future) => AssertUnwindSafe(future).catch_unwind().await,
                None => Ok(*ack),
            },
            other => other,
        };
        let body = match output {
            Ok(output) => match finish(function, output) {
                Ok(output) => output.to_body(),
                Err(_) => return,
            },
            Err(panic) => {
                tracing::error!(
                    handler = function,
                    "handler panicked: {}",
                    panic_message(panic.as_ref())
                );
                return;
            }
        };
        if let Err(e) = sender.send(url.to_string(), body).await {
            tracing::error!(handler = function, "late reply not delivered: {e}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoho_urls_only_by_default() {
        let ok = |s: &str| is_zoho_url(&url::Url::parse(s).unwrap());
        assert!(ok("https://cliq.zoho.com/v2/extensions/1/responses/2"));
        assert!(ok("https://cliq.zoho.eu/x"));
        assert!(ok("https://cliq.zoho.ae/x"));
        assert!(ok("https://cliq.zohocloud.ca/x"));
        assert!(!ok("http://cliq.zoho.com/x"));
        assert!(!ok("https://evil.example/x"));
        assert!(!ok("https://notzoho.com/x"));
    }
}
