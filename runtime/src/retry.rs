//! Resending after transient failures: which failures, which methods, how long to wait.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::meta::Method;

/// When the client resends a request after a transient failure: a connection that could
/// not be made or was reset, or a `502`, `503` or `504` answer.
///
/// By default idempotent methods (`GET`, `PUT`, `DELETE`) are retried up to twice with
/// exponential backoff and jitter (about 200 ms, then 400 ms, each plus up to the same
/// again at random); `POST` and `PATCH` only with
/// [`non_idempotent`](Self::non_idempotent), since Cliq may have acted on a request whose
/// answer was lost. Timeouts are not retried (the caller's time budget is already spent),
/// nor is a `429` (see [`crate::Error::RateLimited`]). With the client-side limiter on,
/// each resend waits for its turn like any other send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: usize,
    min_delay: Duration,
    max_delay: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never resend.
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Resend at most `n` times (default 2).
    pub fn max_retries(mut self, n: usize) -> Self {
        self.max_retries = n;
        self
    }

    /// First delay and the cap on each delay before jitter (default 200 ms and 5 s).
    pub fn delays(mut self, first: Duration, max: Duration) -> Self {
        self.min_delay = first;
        self.max_delay = max.max(first);
        self
    }

    /// Also resend `POST` and `PATCH` (default `false`): only where a duplicate is harmless.
    pub fn non_idempotent(mut self, enabled: bool) -> Self {
        self.non_idempotent = enabled;
        self
    }

    /// Whether requests with `method` are resent at all.
    pub(crate) fn applies_to(&self, method: Method) -> bool {
        self.max_retries > 0 && (self.non_idempotent || method.is_idempotent())
    }

    /// The delays before each resend, jittered; ends after `max_retries`.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> {
        ExponentialBuilder::new()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries)
            .with_jitter()
            .build()
    }
}

/// `502 Bad Gateway`, `503 Service Unavailable`, `504 Gateway Timeout`.
pub(crate) fn is_transient_status(status: u16) -> bool {
    matches!(status, 502..=504)
}

/// A connection that could not be made, or was reset or closed before the answer arrived.
pub(crate) fn is_transient_error(e: &reqwest::Error) -> bool {
    if e.is_timeout() {
        return false;
    }
    if e.is_connect() {
        return true;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            ) {
                return true;
            }
        }
        // hyper's "connection closed before message completed" has no io::Error inside.
        if s.to_string()
            .contains("connection closed before message completed")
        {
            return true;
        }
        source = s.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotent_methods_only_by_default() {
        let p = RetryPolicy::default();
        assert!(p.applies_to(Method::Get) && p.applies_to(Method::Put));
        assert!(p.applies_to(Method::Delete));
        assert!(!p.applies_to(Method::Post) && !p.applies_to(Method::Patch));
        assert!(p.non_idempotent(true).applies_to(Method::Post));
        assert!(!RetryPolicy::never().applies_to(Method::Get));
    }

    #[test]
    fn backoff_grows_with_jitter_and_ends() {
        let p = RetryPolicy::default()
            .max_retries(3)
            .delays(Duration::from_millis(100), Duration::from_secs(1));
        let d: Vec<Duration> = p.backoff().collect();
        assert_eq!(d.len(), 3, "{d:?}");
        // Exponential base 100, 200, 400 ms plus jitter below the base again.
        for (delay, base) in d.iter().zip([100u64, 200, 400]) {
            let base = Duration::from_millis(base);
            assert!(*delay >= base && *delay <= base * 2, "{d:?}");
        }
    }

    #[test]
    fn transient_statuses() {
        assert!([502, 503, 504].into_iter().all(is_transient_status));
        assert!(![500, 501, 429, 404, 200]
            .into_iter()
            .any(is_transient_status));
    }
}
