//! Figure 8: overhead per call of the generated client + runtime (`cliq_bots::Client`) vs a
//! bare `reqwest` call doing the same request (same URL, same auth header, same JSON decoded
//! into the same type) against the same local axum server on 127.0.0.1.
//!
//! `cargo bench -p cliq-webhook --bench client`.

use std::time::Duration;

use axum::{routing::get, Router};
use cliq_bots::types::{BotGetResponse, GetDetailsOfASpecificBotParams};
use criterion::{criterion_group, criterion_main, Criterion};

const BODY: &str = r#"{"url":"/api/v3/bots/b1","type":"bot","data":{"unique_name":"b1","name":"Deploy bot","description":"Ships builds","status":"active","handlers":[{"type":"message_handler","id":"1"},{"type":"menu_handler","id":"2","name":"Deploy","sub_actions":[{"name":"Staging"},{"name":"Prod"}]}]}}"#;

/// Serves `GET /bots/{id}` on a runtime of its own; returns the base URL.
fn serve() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1");
            let addr = listener.local_addr().expect("local addr");
            tx.send(format!("http://{addr}")).expect("report address");
            let app = Router::new().route(
                "/bots/{id}",
                get(|| async { ([("content-type", "application/json")], BODY) }),
            );
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

fn client_overhead(c: &mut Criterion) {
    let base = serve();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let generated = rt.block_on(async {
        cliq_bots::Client::new(
            cliq_runtime::Client::builder()
                .base_url(base.clone())
                .token(cliq_runtime::TokenSource::static_token("bench-token"))
                .rate_limiter(false)
                .build()
                .expect("client builds"),
        )
    });
    let bare = rt.block_on(async { reqwest::Client::new() });
    // Bare reqwest with the runtime's whole-request timeout: isolates what that timer costs.
    let timeout = generated.runtime().timeout();
    let bare_timeout = rt.block_on(async {
        reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("reqwest client")
    });
    let url = format!("{base}/bots/b1");
    let params = GetDetailsOfASpecificBotParams::default();

    // Both answer the same before anything is timed.
    let a = rt
        .block_on(generated.get_details_of_a_specific_bot("b1", &params))
        .expect("generated client call");
    let b: BotGetResponse = rt
        .block_on(async {
            bare.get(&url)
                .header("authorization", "Zoho-oauthtoken bench-token")
                .send()
                .await?
                .error_for_status()?
                .json()
                .await
        })
        .expect("bare reqwest call");
    assert_eq!(a, b);

    let mut group = c.benchmark_group("client");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("generated", |bench| {
        bench.iter(|| {
            rt.block_on(generated.get_details_of_a_specific_bot("b1", &params))
                .expect("generated client call")
        })
    });
    group.bench_function("bare_reqwest", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                bare.get(&url)
                    .header("authorization", "Zoho-oauthtoken bench-token")
                    .send()
                    .await?
                    .error_for_status()?
                    .json::<BotGetResponse>()
                    .await
            })
            .expect("bare reqwest call")
        })
    });
    group.bench_function("bare_reqwest_timeout", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                bare_timeout
                    .get(&url)
                    .header("authorization", "Zoho-oauthtoken bench-token")
                    .send()
                    .await?
                    .error_for_status()?
                    .json::<BotGetResponse>()
                    .await
            })
            .expect("bare reqwest call")
        })
    });
    group.finish();
}

criterion_group!(benches, client_overhead);
criterion_main!(benches);
