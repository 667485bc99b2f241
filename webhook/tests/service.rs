//! The bot is a `tower::Service`: it runs behind `ServiceBuilder` layers and under plain
//! hyper, with no axum router, and answers the same as through axum's `route_service`.

use std::time::Duration;

use axum::body::Body;
use cliq_webhook::extract::Message;
use cliq_webhook::{cliq_handler, Bot, Reply};
use http::{Request, StatusCode};
use serde_json::{json, Value};
use tower::{Service, ServiceBuilder, ServiceExt};

#[cliq_handler(type = "message_handler", permissions(message))]
async fn echo(message: Message) -> Reply {
    Reply::text(message.text)
}

fn bot() -> Bot {
    Bot::builder().handler(echo {}).build().expect("bot")
}

fn body(text: &str) -> String {
    json!({"type": "bot", "handler": {"type": "message_handler"}, "params": {"message": text}})
        .to_string()
}

async fn json_of(response: axum::response::Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

#[tokio::test]
async fn behind_tower_layers() {
    let mut service = ServiceBuilder::new()
        .concurrency_limit(4)
        .timeout(Duration::from_secs(5))
        .map_request(|mut r: Request<Body>| {
            r.headers_mut()
                .insert("x-layer", http::HeaderValue::from_static("seen"));
            r
        })
        .service(bot());
    let request = Request::post("/anything")
        .body(Body::from(body("layered")))
        .expect("request");
    let response = service
        .ready()
        .await
        .expect("ready")
        .call(request)
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        json_of(response).await,
        json!({"output": {"text": "layered"}})
    );
}

#[tokio::test]
async fn under_plain_hyper() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("addr");
    let bot = bot();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(bot.clone());
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let client = reqwest::Client::new();
    let resp = client
        .post(format!("http://{addr}/cliq"))
        .body(body("over hyper"))
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v, json!({"output": {"text": "over hyper"}}));
    // A body over the limit is a JSON 413 there too.
    let resp = client
        .post(format!("http://{addr}/cliq"))
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 413);
}

#[tokio::test]
async fn the_same_answer_through_axum() {
    let app = axum::Router::new().route_service("/cliq", bot());
    let request = Request::post("/cliq")
        .body(Body::from(body("routed")))
        .expect("request");
    let response = app.oneshot(request).await.expect("infallible");
    assert_eq!(
        json_of(response).await,
        json!({"output": {"text": "routed"}})
    );
}
