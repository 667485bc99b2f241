//! The deadline of a call, on a tokio timer reused from call to call.
//!
//! A fresh timer per call is registered in the runtime's timer wheel (a lock, an insertion)
//! and removed again (a lock, a removal), and when it is the runtime's earliest timer its
//! registration wakes the runtime's driver (a syscall) first. A timer that stays registered
//! and is only moved later (`Sleep::reset` to a later instant) costs one atomic update: tokio
//! moves it in the wheel lazily, when its earlier instant comes. So each client keeps the
//! timers of its finished calls and hands them to the next calls.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::runtime::{Handle, Id};
use tokio::time::{Instant, Sleep};

/// Idle timers kept per client: enough for the concurrency most clients see; calls beyond
/// it get a timer of their own, dropped when they end.
const MAX_IDLE: usize = 64;

/// The idle timers of one client (shared by its clones).
#[derive(Debug, Default)]
pub(crate) struct Deadlines {
    idle: Mutex<Idle>,
}

/// Timers belong to the runtime they were made in (its driver fires them), so they are kept
/// for one runtime at a time: the one that made them.
#[derive(Debug, Default)]
struct Idle {
    runtime: Option<Id>,
    timers: Vec<Pin<Box<Sleep>>>,
}

impl Deadlines {
    fn idle(&self) -> MutexGuard<'_, Idle> {
        // Nothing panics while holding the lock; a poisoned list of timers is still one.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A deadline at `at`; its timer is taken (or made) when the call first has to wait.
    ///
    /// Must be used within a tokio runtime with time enabled, like `tokio::time::sleep`.
    pub(crate) fn start(&self, at: Instant) -> Deadline<'_> {
        Deadline {
            at,
            timer: None,
            pool: self,
        }
    }
}

/// The deadline of one call. Returns its timer to the client's idle timers when dropped.
pub(crate) struct Deadline<'a> {
    at: Instant,
    /// Set to `at`, with the runtime it belongs to; `None` until first needed.
    timer: Option<(Id, Pin<Box<Sleep>>)>,
    pool: &'a Deadlines,
}

impl Deadline<'_> {
    /// The instant the call must be done by.
    pub(crate) fn at(&self) -> Instant {
        self.at
    }

    /// Move the deadline `by` later (waits that do not count against it).
    pub(crate) fn extend(&mut self, by: Duration) {
        self.at += by;
        if let Some((_, timer)) = &mut self.timer {
            timer.as_mut().reset(self.at);
        }
    }

    /// Ready once the deadline has passed; otherwise the task is woken when it passes.
    fn poll_passed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let at = self.at;
        let (_, timer) = self.timer.get_or_insert_with(|| {
            let runtime = Handle::current().id();
            let reused = {
                let mut idle = self.pool.idle();
                if idle.runtime == Some(runtime) {
                    idle.timers.pop()
                } else {
                    None
                }
            };
            let timer = match reused {
                Some(mut timer) => {
                    timer.as_mut().reset(at);
                    timer
                }
                None => Box::pin(tokio::time::sleep_until(at)),
            };
            (runtime, timer)
        });
        timer.as_mut().poll(cx)
    }

    /// `fut`'s output, or `None` once the deadline passes first. The timer is taken (and
    /// so registered) only when `fut` is not ready at once.
    ///
    /// `fut` is pinned by the caller: taken by value, it would be stored twice in this
    /// future (as the argument and as the pinned local).
    pub(crate) async fn within<F: Future>(&mut self, mut fut: Pin<&mut F>) -> Option<F::Output> {
        std::future::poll_fn(|cx| {
            if let Poll::Ready(v) = fut.as_mut().poll(cx) {
                return Poll::Ready(Some(v));
            }
            self.poll_passed(cx).map(|()| None)
        })
        .await
    }
}

impl Drop for Deadline<'_> {
    fn drop(&mut self) {
        // An idle timer keeps the waker of the call's task until it is reused or its instant
        // comes (then it wakes that task once, which tasks allow): at most `MAX_IDLE` task
        // allocations per client, for at most the client's timeout. Not cleared by polling
        // it with a no-op waker: polling a timer whose runtime has shut down panics.
        let Some((runtime, timer)) = self.timer.take() else {
            return;
        };
        let mut idle = self.pool.idle();
        if idle.runtime != Some(runtime) {
            // Another runtime's timers (it may be gone): dropped, this one's kept from now on.
            idle.timers.clear();
            idle.runtime = Some(runtime);
        }
        if idle.timers.len() < MAX_IDLE {
            idle.timers.push(timer);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;

    use super::*;

    fn idle(pool: &Deadlines) -> usize {
        pool.idle().timers.len()
    }

    /// Waits on a future that never completes: ends (`None`) when the deadline passes.
    async fn stuck(deadline: &mut Deadline<'_>) -> Option<()> {
        deadline.within(pin!(std::future::pending::<()>())).await
    }

    /// Waits `d`, less than the deadline leaves: ends (`Some`) first.
    async fn done_after(deadline: &mut Deadline<'_>, d: Duration) -> Option<()> {
        deadline.within(pin!(tokio::time::sleep(d))).await
    }

    #[tokio::test(start_paused = true)]
    async fn a_reused_timer_fires_at_the_new_deadline() {
        let pool = Deadlines::default();
        let t0 = Instant::now();
        let mut first = pool.start(t0 + Duration::from_secs(10));
        let quick = done_after(&mut first, Duration::from_secs(1)).await;
        assert_eq!(quick, Some(()));
        drop(first);
        assert_eq!(idle(&pool), 1);

        // Taken again and moved later: it must neither fire at its old instant (t0 + 10 s)
        // nor never.
        let mut second = pool.start(Instant::now() + Duration::from_secs(20));
        assert_eq!(idle(&pool), 1, "taken only when the call first waits");
        assert_eq!(stuck(&mut second).await, None);
        assert_eq!(idle(&pool), 0);
        assert_eq!(t0.elapsed(), Duration::from_secs(21));
        drop(second);
        assert_eq!(idle(&pool), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_reused_timer_moved_earlier_or_already_fired_fires_on_time() {
        let pool = Deadlines::default();
        let t0 = Instant::now();
        let mut long = pool.start(t0 + Duration::from_secs(5));
        long.extend(Duration::from_secs(100));
        assert_eq!(long.at(), t0 + Duration::from_secs(105));
        assert_eq!(long.within(pin!(std::future::ready(1))).await, Some(1));
        // Ready at once: no timer taken or made.
        drop(long);
        assert_eq!(idle(&pool), 0);

        let mut long = pool.start(t0 + Duration::from_secs(105));
        assert_eq!(
            done_after(&mut long, Duration::from_secs(1)).await,
            Some(())
        );
        drop(long);
        // Registered for t0 + 105 s; the next call's deadline is earlier.
        let mut short = pool.start(Instant::now() + Duration::from_secs(5));
        assert_eq!(stuck(&mut short).await, None);
        assert_eq!(t0.elapsed(), Duration::from_secs(6));
        drop(short);

        // That timer has fired; reused, it is registered again.
        let mut again = pool.start(Instant::now() + Duration::from_secs(3));
        assert_eq!(stuck(&mut again).await, None);
        assert_eq!(t0.elapsed(), Duration::from_secs(9));
    }

    #[tokio::test(start_paused = true)]
    async fn extending_a_running_deadline_moves_its_timer() {
        let pool = Deadlines::default();
        let t0 = Instant::now();
        let mut d = pool.start(t0 + Duration::from_secs(2));
        let first = done_after(&mut d, Duration::from_secs(1)).await;
        assert_eq!(first, Some(()));
        d.extend(Duration::from_secs(10));
        assert_eq!(stuck(&mut d).await, None);
        assert_eq!(t0.elapsed(), Duration::from_secs(12));
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_max_idle_timers_are_kept() {
        let pool = Deadlines::default();
        let at = Instant::now() + Duration::from_secs(30);
        let calls = (0..MAX_IDLE + 6).map(|_| async {
            let mut d = pool.start(at);
            done_after(&mut d, Duration::from_millis(1)).await
        });
        let done = futures::future::join_all(calls).await;
        assert!(done.iter().all(Option::is_some));
        assert_eq!(idle(&pool), MAX_IDLE);
    }

    /// A client outlives the runtime its timers were made in and is used in another one:
    /// the old timers are not reused (nothing would fire them), and dropping them is fine.
    #[test]
    fn timers_of_a_runtime_that_is_gone_are_not_reused() {
        let pool = Deadlines::default();
        let runtime = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .expect("runtime")
        };
        let first = runtime();
        let first_id = first.handle().id();
        first.block_on(async {
            let mut d = pool.start(Instant::now() + Duration::from_secs(30));
            let quick = done_after(&mut d, Duration::from_millis(1)).await;
            assert_eq!(quick, Some(()));
        });
        drop(first);
        assert_eq!(idle(&pool), 1);

        let second = runtime();
        second.block_on(async {
            let t0 = Instant::now();
            let mut d = pool.start(t0 + Duration::from_secs(5));
            assert_eq!(stuck(&mut d).await, None);
            assert_eq!(t0.elapsed(), Duration::from_secs(5));
        });
        let idle = pool.idle();
        assert_eq!(idle.timers.len(), 1);
        assert_ne!(idle.runtime, Some(first_id));
    }
}
