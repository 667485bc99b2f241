//! Client-side rate limiting: the opt-in per-operation window limiter and the lock
//! periods that follow a `429`.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use crate::meta::RateLimit;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these locks cannot leave the maps inconsistent.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Sliding-window limiter: at most `requests` sends per `window` per operation.
#[derive(Debug, Default)]
pub(crate) struct WindowLimiter {
    sent: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl WindowLimiter {
    /// Wait until a send of `operation` stays within `limit`, then record it. Returns how
    /// long it waited: zero when the send was within the limit at once.
    pub(crate) async fn acquire(&self, operation: &'static str, limit: &RateLimit) -> Duration {
        if limit.requests == 0 || limit.window.is_zero() {
            return Duration::ZERO;
        }
        let mut waiting_since = None;
        loop {
            let (now, wait_until) = {
                let mut sent = lock(&self.sent);
                let q = sent.entry(operation).or_default();
                let now = Instant::now();
                while q.front().is_some_and(|t| *t + limit.window <= now) {
                    q.pop_front();
                }
                match q.front() {
                    Some(oldest) if q.len() >= limit.requests as usize => {
                        (now, *oldest + limit.window)
                    }
                    _ => {
                        q.push_back(now);
                        return waiting_since.map_or(Duration::ZERO, |since| now - since);
                    }
                }
            };
            waiting_since.get_or_insert(now);
            tracing::debug!(
                operation,
                wait_ms = (wait_until - now).as_millis() as u64,
                "client-side rate limiter: waiting for the window"
            );
            tokio::time::sleep_until(wait_until).await;
        }
    }
}

/// The longest lock period kept (a day; Cliq's documented lock periods are minutes).
pub(crate) const MAX_LOCK: Duration = Duration::from_secs(24 * 60 * 60);

/// Lock periods after a `429`: the operation is not sent again before they end.
#[derive(Debug, Default)]
pub(crate) struct Lockouts {
    until: Mutex<HashMap<&'static str, Instant>>,
    /// Whether `until` has entries (written under its lock): every call checks its lock
    /// period, and almost always there is none, so that check skips the lock and the map.
    any: AtomicBool,
}

impl Lockouts {
    /// Remaining lock period of `operation`, if any.
    pub(crate) fn remaining(&self, operation: &'static str) -> Option<Duration> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut until = lock(&self.until);
        let now = Instant::now();
        match until.get(operation) {
            Some(t) if *t > now => Some(*t - now),
            Some(_) => {
                until.remove(operation);
                if until.is_empty() {
                    self.any.store(false, Ordering::Release);
                }
                None
            }
            None => None,
        }
    }

    /// Lock `operation` for `period` (at most [`MAX_LOCK`]: a server's `Retry-After` can
    /// be any number).
    pub(crate) fn lock_for(&self, operation: &'static str, period: Duration) {
        let t = Instant::now() + period.min(MAX_LOCK);
        let mut until = lock(&self.until);
        let e = until.entry(operation).or_insert(t);
        if *e < t {
            *e = t;
        }
        self.any.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RateLimit = RateLimit {
        requests: 3,
        window: Duration::from_secs(60),
        per: "user",
        lock_period: Some(Duration::from_secs(300)),
    };

    #[tokio::test(start_paused = true)]
    async fn window_limiter_keeps_caller_under_threshold() {
        let limiter = WindowLimiter::default();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..7 {
            limiter.acquire("op", &LIMIT).await;
            times.push(start.elapsed());
        }
        // 3 immediately, the next 3 a window later, the 7th two windows later.
        assert_eq!(times[..3], [Duration::ZERO; 3]);
        assert_eq!(times[3..6], [Duration::from_secs(60); 3]);
        assert_eq!(times[6], Duration::from_secs(120));
        // Never more than `requests` within any window.
        for w in times.windows(4) {
            assert!(w[3] - w[0] >= LIMIT.window, "{times:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn window_limiter_counts_operations_separately() {
        let limiter = WindowLimiter::default();
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire("a", &LIMIT).await;
            limiter.acquire("b", &LIMIT).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn lockouts_expire() {
        let l = Lockouts::default();
        assert_eq!(l.remaining("op"), None);
        l.lock_for("op", Duration::from_secs(300));
        assert_eq!(l.remaining("op"), Some(Duration::from_secs(300)));
        tokio::time::advance(Duration::from_secs(299)).await;
        assert_eq!(l.remaining("op"), Some(Duration::from_secs(1)));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(l.remaining("op"), None);
        // Another operation's lock period keeps the check on; the last one's end turns it off
        // until the next lock.
        l.lock_for("a", Duration::from_secs(10));
        l.lock_for("b", Duration::from_secs(20));
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(l.remaining("a"), None);
        assert_eq!(l.remaining("b"), Some(Duration::from_secs(10)));
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(l.remaining("b"), None);
        l.lock_for("op", Duration::from_secs(5));
        assert_eq!(l.remaining("op"), Some(Duration::from_secs(5)));
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_reports_how_long_it_waited() {
        let limiter = WindowLimiter::default();
        for _ in 0..3 {
            assert_eq!(limiter.acquire("op", &LIMIT).await, Duration::ZERO);
        }
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(limiter.acquire("op", &LIMIT).await, Duration::from_secs(50));
    }
}
