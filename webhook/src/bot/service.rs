//! The bot as a [`tower::Service`]: the one way to serve it (axum's `route_service`, tower
//! layers, hyper), and what the test kit drives.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::HeaderValue;

use super::types::{App, WebhookRequest, WebhookResponse};
use crate::error::Rejection;
use crate::reply::BoxFuture;

impl IntoResponse for WebhookResponse {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() = self.status;
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        resp
    }
}

/// Serves any `http::Request` whose body is an [`http_body::Body`] of bytes: axum's and
/// hyper's alike. Always ready, never fails (every refusal is a JSON error response); the
/// body is read up to the bot's limit
/// ([`AppBuilder::max_body_bytes`](super::AppBuilder::max_body_bytes), answered with a JSON
/// 413 beyond it), whatever the method and path (route it where you want it):
///
/// ```
/// # use cliq_webhook::{cliq_handler, App};
/// # #[cliq_handler(type = "message_handler")]
/// # async fn echo() {}
/// # fn main() -> Result<(), cliq_webhook::BotError> {
/// let bot = App::builder().handler(echo {}).build()?;
/// let app = axum::Router::new().route_service("/cliq", bot);
/// # let _: axum::Router = app;
/// # Ok(())
/// # }
/// ```
impl<S, B> tower::Service<http::Request<B>> for App<S>
where
    S: Send + Sync + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let bot = self.clone();
        Box::pin(async move { Ok(bot.serve(request).await.into_response()) })
    }
}

impl<S: Send + Sync + 'static> App<S> {
    async fn serve<B>(&self, request: http::Request<B>) -> WebhookResponse
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<axum::BoxError>,
    {
        let (parts, body) = request.into_parts();
        let limit = self.inner.settings.max_body_bytes;
        let bytes = match axum::body::to_bytes(Body::new(body), limit).await {
            Ok(b) => b,
            Err(_) => return WebhookResponse::rejection(&Rejection::PayloadTooLarge { limit }),
        };
        self.dispatch(WebhookRequest {
            headers: &parts.headers,
            query: parts.uri.query(),
            body: &bytes,
        })
        .await
    }
}
