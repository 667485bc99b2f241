//! The kit's fake Cliq (features `testing` and `client`): a local HTTP server that takes the
//! place of Cliq's API for the bot's [`CliqClient`](crate::extract::CliqClient) and keeps
//! every call, for a test to assert what the handlers posted.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use serde_json::{json, Value};

/// One call a handler made to Cliq through its [`CliqClient`](crate::extract::CliqClient).
#[derive(Debug, Clone, PartialEq)]
pub struct CliqCall {
    /// `POST`, `GET`, …
    pub method: String,
    /// The path under the API root, e.g. `/bots/testbot/messages`.
    pub path: String,
    /// Query parameters (`CHANNEL_UNIQUE_NAME`, `user_ids`, …).
    pub query: BTreeMap<String, String>,
    /// The JSON body (`Null` when there was none or it was not JSON).
    pub body: Value,
}

impl CliqCall {
    /// The message text of a posted message (`text` of the body).
    pub fn text(&self) -> Option<&str> {
        self.body.get("text")?.as_str()
    }

    /// The channel a message was posted to (the `CHANNEL_UNIQUE_NAME` query parameter, as
    /// the Bots spec spells it; any case).
    pub fn channel(&self) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("channel_unique_name"))
            .map(|(_, v)| v.as_str())
    }
}

type Calls = Arc<Mutex<Vec<CliqCall>>>;

/// The running fake: its URL and the calls it received. Stops when dropped.
pub(crate) struct FakeCliq {
    pub(crate) base_url: String,
    calls: Calls,
    _server: tokio::task::JoinHandle<()>,
}

impl FakeCliq {
    /// Starts the fake on a free local port (every path answers `200 {}`).
    pub(crate) async fn start() -> std::io::Result<FakeCliq> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let calls = Calls::default();
        let app = axum::Router::new()
            .fallback(record)
            .with_state(Arc::clone(&calls));
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("test kit: the fake Cliq stopped: {e}");
            }
        });
        Ok(FakeCliq {
            base_url,
            calls,
            _server: server,
        })
    }

    /// The calls so far, in order.
    pub(crate) fn calls(&self) -> Vec<CliqCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl Drop for FakeCliq {
    fn drop(&mut self) {
        self._server.abort();
    }
}

async fn record(State(calls): State<Calls>, request: Request) -> axum::Json<Value> {
    let (parts, body) = request.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let call = CliqCall {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    };
    if let Ok(mut calls) = calls.lock() {
        calls.push(call);
    }
    axum::Json(json!({}))
}
