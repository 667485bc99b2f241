//! The floor of figure 6: a bare axum route doing the same JSON work as the example bot's
//! message handler (parse the same body into the same `Envelope`, build the same reply,
//! serialize it), with no dispatch layer. Not a criterion bench: `cargo xtask bench` builds
//! it and serves it on `127.0.0.1:$BENCH_HTTP_PORT` while `wrk` loads it and the bot in turn.
//! Without `BENCH_HTTP_PORT` it exits at once (so `cargo bench` passes over it).

use axum::{body::Bytes, http::StatusCode, routing::post, Router};
use cliq_webhook::envelope::Envelope;
use cliq_webhook::Reply;

async fn message(body: Bytes) -> (StatusCode, [(&'static str, &'static str); 1], Vec<u8>) {
    let json = [("content-type", "application/json")];
    let Ok(env) = serde_json::from_slice::<Envelope>(&body) else {
        return (StatusCode::BAD_REQUEST, json, b"{}".to_vec());
    };
    let p = env.params.unwrap_or_default();
    let name = p.user.as_ref().and_then(|u| u.first_name.as_deref());
    let text = format!(
        "{} said: {}",
        name.unwrap_or("there"),
        p.message.as_ref().and_then(|m| m.as_str()).unwrap_or("")
    );
    let out = serde_json::to_vec(&serde_json::json!({ "output": Reply::text(text) }));
    (StatusCode::OK, json, out.unwrap_or_default())
}

fn main() {
    let Ok(port) = std::env::var("BENCH_HTTP_PORT") else {
        return;
    };
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("BENCH_HTTP_PORT={port:?} is not a port");
        std::process::exit(2);
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind 127.0.0.1");
        let app = Router::new().route("/cliq", post(message));
        axum::serve(listener, app).await.expect("serve");
    });
}
