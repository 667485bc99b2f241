//! A bot's settings and their defaults.

use std::sync::Arc;
use std::time::Duration;

use super::late_reply::{LateReplyObserver, LateReplySender};
use crate::auth::{ReplayGuard, SharedSecret, SignatureCheck};

/// Default body limit: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Cliq's synchronous reply window, counted from the envelope's `timestamp`.
pub const DEFAULT_REPLY_BUDGET: Duration = Duration::from_secs(15);
/// How far a signed request's `timestamp` may lie from now before it is refused as stale
/// (either side, for clock skew); see [`AppBuilder::replay_window`](super::AppBuilder::replay_window).
pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Time kept in hand for the network before the window closes.
pub const DEFAULT_REPLY_MARGIN: Duration = Duration::from_millis(1500);
/// How long a handler that missed the reply window may still run before its late reply is
/// given up (the handler is dropped): see
/// [`AppBuilder::late_reply_deadline`](super::AppBuilder::late_reply_deadline).
pub const DEFAULT_LATE_REPLY_DEADLINE: Duration = Duration::from_secs(15 * 60);

pub(super) type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;
pub(super) type UrlPolicy = Arc<dyn Fn(&url::Url) -> bool + Send + Sync>;

#[derive(Clone)]
pub(super) struct Settings {
    pub(super) max_body_bytes: usize,
    pub(super) secret: Option<SharedSecret>,
    pub(super) signature: Option<SignatureCheck>,
    pub(super) replay_window: Duration,
    pub(super) replay: Arc<ReplayGuard>,
    pub(super) reply_budget: Duration,
    pub(super) reply_margin: Duration,
    pub(super) late_reply_deadline: Duration,
    pub(super) clock: Clock,
    /// `None`: no late replies (no `client` feature and no sender given).
    pub(super) sender: Option<Arc<dyn LateReplySender>>,
    pub(super) url_policy: UrlPolicy,
    pub(super) on_late_reply_error: Option<LateReplyObserver>,
    /// The bot's clients for handlers that call Cliq (`BotBuilder::credentials`).
    #[cfg(feature = "client")]
    pub(crate) cliq: Option<crate::connector::Connector>,
}

impl Settings {
    /// What a late reply's task needs of the settings: its deadline and observer.
    pub(super) fn late_reply(&self) -> (Duration, Option<LateReplyObserver>) {
        (self.late_reply_deadline, self.on_late_reply_error.clone())
    }
}

fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            secret: None,
            signature: None,
            replay_window: DEFAULT_REPLAY_WINDOW,
            replay: Arc::new(ReplayGuard::default()),
            reply_budget: DEFAULT_REPLY_BUDGET,
            reply_margin: DEFAULT_REPLY_MARGIN,
            late_reply_deadline: DEFAULT_LATE_REPLY_DEADLINE,
            clock: Arc::new(system_clock),
            sender: default_sender(),
            url_policy: Arc::new(super::late_reply::is_cliq_url),
            on_late_reply_error: None,
            #[cfg(feature = "client")]
            cliq: None,
        }
    }
}

#[cfg(feature = "client")]
fn default_sender() -> Option<Arc<dyn LateReplySender>> {
    Some(Arc::new(super::late_reply::HttpLateReplySender::default()))
}

#[cfg(not(feature = "client"))]
fn default_sender() -> Option<Arc<dyn LateReplySender>> {
    None
}
