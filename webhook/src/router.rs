//! axum integration: a `Router<S>` to nest under any path of an existing app, or a `MethodRouter<S>`
//! to mount at a fixed path with `.route`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use axum::Router;
use http::header::CONTENT_TYPE;
use http::HeaderValue;

use crate::bot::{Bot, WebhookRequest, WebhookResponse};
use crate::error::Rejection;

impl IntoResponse for WebhookResponse {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() = self.status;
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        resp
    }
}

impl<S: Clone + Send + Sync + 'static> Bot<S> {
    /// A router answering `POST /` with this bot, for your app's state `S`:
    /// `Router::new().nest("/cliq", bot.router()).with_state(state)`. The body limit is the
    /// bot's own (answered with a JSON 413), not axum's default.
    pub fn router(&self) -> Router<S> {
        Router::new().route("/", self.method_router())
    }

    /// The bot as a `POST` route, to mount at a path of your own router:
    /// `Router::new().route("/cliq", bot.method_router()).with_state(state)`. Answers exactly
    /// like [`Self::router`], and costs axum less per request than a nested router (no URI
    /// rewrite, no nested-path extension): prefer it when the bot has a fixed path.
    pub fn method_router(&self) -> MethodRouter<S> {
        let bot = self.clone();
        post(move |State(state): State<S>, request: Request| {
            let bot = bot.clone();
            async move { bot.serve(&state, request).await }
        })
    }

    /// Serves one axum/hyper request (for custom routing or a tower `service_fn`).
    pub async fn serve(&self, state: &S, request: Request) -> WebhookResponse {
        let (parts, body) = request.into_parts();
        let limit = self.inner_max_body();
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => {
                let r = Rejection::PayloadTooLarge { limit };
                return WebhookResponse {
                    status: r.status(),
                    body: r.to_json().to_string().into(),
                };
            }
        };
        self.dispatch(
            state,
            WebhookRequest {
                headers: &parts.headers,
                query: parts.uri.query(),
                body: &bytes,
            },
        )
        .await
    }
}
