//! Per-call control: options for the calls made through one view of a client
//! ([`Client::with_options`](crate::Client::with_options)), and the raw response beside the
//! typed result of any call ([`with_raw_response`]).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::request::RawResponse;
use crate::retry::RetryPolicy;

/// Overrides for the calls made through [`Client::with_options`](crate::Client::with_options):
/// the whole-call timeout, the retry policy, and headers added to each request (over the
/// client's own headers of the same name). What is not set is the client's.
///
/// ```
/// use std::time::Duration;
/// use cliq_runtime::{CallOptions, RetryPolicy};
/// use http::{HeaderName, HeaderValue};
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::never())
///     .header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("42"));
/// assert_eq!(options.get_timeout(), Some(Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: HeaderMap,
}

impl CallOptions {
    /// No override: calls behave as the client's.
    pub fn new() -> Self {
        Self::default()
    }

    /// Limit for each whole call (the client's [`timeout`](crate::ClientBuilder::timeout)
    /// otherwise): token refresh, sends and backoff between resends.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When to resend after a transient failure (the client's
    /// [`retry`](crate::ClientBuilder::retry) otherwise); [`RetryPolicy::never`] for none.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Send this header with each request, in place of a client header of the same name
    /// (`Authorization` is always the client's token). Appends: a name given twice is sent
    /// twice.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// The timeout override, if any.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The retry override, if any.
    pub fn get_retry(&self) -> Option<RetryPolicy> {
        self.retry
    }

    /// The headers added to each request.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// These options with `other`'s set values over them (headers of `other` replace those
    /// of the same name).
    pub(crate) fn merged(&self, other: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        let mut last = None;
        for (name, value) in other.headers {
            // `HeaderMap`'s owned iterator names a header once, then `None` for its other
            // values: remove the old values at the first, append every value.
            if let Some(name) = name {
                headers.remove(&name);
                last = Some(name);
            }
            if let Some(name) = &last {
                headers.append(name.clone(), value);
            }
        }
        CallOptions {
            timeout: other.timeout.or(self.timeout),
            retry: other.retry.or(self.retry),
            headers,
        }
    }
}

/// Where the calls inside [`with_raw_response`] leave their last response.
type Slot = Arc<Mutex<Option<RawResponse>>>;

tokio::task_local! {
    static CAPTURE: Slot;
}

/// Whether a [`with_raw_response`] is waiting for the response of a call on this task.
pub(crate) fn capturing() -> bool {
    CAPTURE.try_with(|_| ()).is_ok()
}

/// Leave `response` (status, headers, body) to the enclosing [`with_raw_response`], if any.
pub(crate) fn capture(response: impl FnOnce() -> RawResponse) {
    let _ = CAPTURE.try_with(|slot| {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(response());
        }
    });
}

/// Runs `call` (any call of a generated client, or [`Client::execute`](crate::Client::execute))
/// and returns its typed result beside the raw response it was decoded from: status, headers
/// (Zoho's rate-limit counters, request ids) and body. The response is there for errors too
/// (an error status, a `429`, a body that did not decode); it is `None` when no response
/// arrived (a connection failure, a timeout, a call refused before sending).
///
/// When `call` makes several requests (a retry, a token refresh after a `401`, the pages of a
/// stream), the response is the last one received. Calls of the same future running
/// concurrently (`join!`) share the one slot: wrap each call on its own.
///
/// ```no_run
/// # async fn demo(client: cliq_runtime::Client) {
/// use cliq_runtime::{with_raw_response, Request};
/// # static META: cliq_runtime::OperationMeta = cliq_runtime::OperationMeta {
/// #     operation_id: "list", method: cliq_runtime::Method::Get, path: "/bots",
/// #     scopes: &[], rate_limit: None };
/// // With a generated client: `with_raw_response(api.bots().list_bots(&params))`.
/// let (result, response) =
///     with_raw_response(client.execute::<String>(Request::new(&META, "/bots".into()))).await;
/// if let Some(response) = &response {
///     println!("{} {:?}", response.status, response.headers.get("x-ratelimit-remaining"));
/// }
/// let _ = result;
/// # }
/// ```
pub async fn with_raw_response<T>(call: impl Future<Output = T>) -> (T, Option<RawResponse>) {
    let slot: Slot = Arc::default();
    let output = CAPTURE.scope(slot.clone(), call).await;
    let response = slot.lock().ok().and_then(|mut s| s.take());
    (output, response)
}
