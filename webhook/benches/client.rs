//! Figure 8: overhead per call of the generated client + runtime (`cliq_api::bots::Client`) vs a
//! bare `reqwest` call doing the same request (same URL, same auth header, same JSON decoded
//! into the same type) against the same local axum server on 127.0.0.1.
//!
//! `cargo bench -p cliq-webhook --bench client`.

use std::time::{Duration, Instant};

use axum::{routing::get, Router};
use cliq_api::bots::types::{BotGetResponse, GetBotParams};
use criterion::{criterion_group, criterion_main, Criterion};

const BODY: &str = r#"{"url":"/api/v3/bots/b1","type":"bot","data":{"unique_name":"b1","name":"Deploy bot","description":"Ships builds","status":"active","handlers":[{"type":"message_handler","id":"1"},{"type":"menu_handler","id":"2","name":"Deploy","sub_actions":[{"name":"Staging"},{"name":"Prod"}]}]}}"#;

/// The bare side: the same GET, the same header, the same JSON decoded into the same type.
async fn bare_call(client: &reqwest::Client, url: &str) -> reqwest::Result<BotGetResponse> {
    client
        .get(url)
        .header("authorization", "Zoho-oauthtoken bench-token")
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

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
        cliq_api::bots::Client::new(
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
    let params = GetBotParams::default();

    // Both answer the same before anything is timed.
    let a = rt
        .block_on(generated.get_bot("b1", &params))
        .expect("generated client call");
    let b: BotGetResponse = rt
        .block_on(bare_call(&bare, &url))
        .expect("bare reqwest call");
    assert_eq!(a, b);

    paired(&rt, &generated, &bare, &url, &params);

    let mut group = c.benchmark_group("client");
    group.measurement_time(Duration::from_secs(3));
    group.sample_size(200);
    group.bench_function("generated", |bench| {
        bench.iter(|| {
            rt.block_on(generated.get_bot("b1", &params))
                .expect("generated client call")
        })
    });
    group.bench_function("bare_reqwest", |bench| {
        bench.iter(|| {
            rt.block_on(bare_call(&bare, &url))
                .expect("bare reqwest call")
        })
    });
    group.bench_function("bare_reqwest_timeout", |bench| {
        bench.iter(|| {
            rt.block_on(bare_call(&bare_timeout, &url))
                .expect("bare reqwest call")
        })
    });
    group.finish();
}

/// The overhead measured in pairs: `PAIRS` pairs of one generated and one bare call back to
/// back (the order flips every pair), each call timed alone, so a load change on a shared
/// machine hits both sides alike and a preempted call is an outlier the medians ignore.
/// Reports each side's median call, the overhead as the median of the per-pair ratios (with
/// its quartiles) and as the ratio of the medians, and writes them to
/// `target/bench/client.json` for `BENCHMARKS.md`.
fn paired(
    rt: &tokio::runtime::Runtime,
    generated: &cliq_api::bots::Client,
    bare: &reqwest::Client,
    url: &str,
    params: &GetBotParams,
) {
    const PAIRS: usize = 4000;
    let time_generated = || {
        let t = Instant::now();
        rt.block_on(generated.get_bot("b1", params))
            .expect("generated client call");
        t.elapsed().as_nanos() as f64
    };
    let time_bare = || {
        let t = Instant::now();
        rt.block_on(bare_call(bare, url))
            .expect("bare reqwest call");
        t.elapsed().as_nanos() as f64
    };
    // Warm both (connections, allocator) before anything counts.
    for _ in 0..200 {
        time_generated();
        time_bare();
    }
    let (mut g, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for pair in 0..PAIRS {
        let (x, y) = if pair % 2 == 0 {
            let x = time_generated();
            (x, time_bare())
        } else {
            let y = time_bare();
            (time_generated(), y)
        };
        g.push(x);
        b.push(y);
        ratios.push(x / y);
    }
    let q = |v: &mut Vec<f64>, at: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * at).round() as usize]
    };
    let (gm, bm) = (q(&mut g, 0.5), q(&mut b, 0.5));
    let text = serde_json::json!({
        "pairs": PAIRS,
        "generated_ns": gm,
        "bare_ns": bm,
        "ratio_of_medians": gm / bm,
        "ratio_median": q(&mut ratios, 0.5),
        "ratio_q1": q(&mut ratios, 0.25),
        "ratio_q3": q(&mut ratios, 0.75),
    })
    .to_string();
    println!("client overhead, paired: {text}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    let _ = std::fs::create_dir_all(&root);
    if let Err(e) = std::fs::write(root.join("client.json"), text) {
        eprintln!("cannot write client.json: {e}");
    }
}

criterion_group!(benches, client_overhead);
criterion_main!(benches);
