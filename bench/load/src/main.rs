//! Loopback load client for `cargo xtask load` (see ROBUSTNESS.md, "Load").
//!
//! ```text
//! cliq-load --url http://127.0.0.1:PORT/cliq --seconds 60 --concurrency 32 --pid PID [--sign]
//! ```
//!
//! Sends a fixed mix for `--seconds`: of every 10 requests, 7 are good (the 8 handler types
//! of the example bot in turn, each with a fresh `timestamp` and unique text, signed with the
//! webhook test kit's key when `--sign` is given) and 3 are hostile (the kinds in
//! [`HOSTILE`] in turn). Never sends a `response_url`, so the bot never posts anywhere.
//! Samples the bot's `VmRSS` (`/proc/PID/status`) every second. Prints one JSON summary on
//! stdout: good requests and their errors, hostile answers by kind and status, latency
//! percentiles, the RSS samples.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{json, Value};

/// The webhook test kit's signing key (its public half is what `cargo xtask load` gives the
/// bot as `CLIQ_BOT_PUBLIC_KEY`). Published test material, never a real key.
const TEST_PRIVATE_KEY_PEM: &str =
    include_str!("../../../webhook/src/testing/test_key_private.pem");

/// Hostile request kinds, sent in turn.
const HOSTILE: &[&str] = &[
    "malformed_json",
    "empty_body",
    "invalid_utf8",
    "deep_nesting",
    "oversized_body",
    "wrong_content_type",
    "unknown_handler_type",
    "handler_not_on_bot",
    "missing_params",
    "wrong_field_types",
    "bad_signature",
    "missing_signature",
    "garbage_signature",
    "stale_timestamp_2017",
    "replayed_delivery",
];

/// Handler types of the example bot, with the `params` keys its handler is granted.
const GOOD: &[(&str, &[&str])] = &[
    ("message_handler", &["message", "user", "chat"]),
    ("mention_handler", &["message", "user"]),
    ("welcome_handler", &["user", "newuser"]),
    (
        "context_handler",
        &["user", "chat", "context_id", "answers"],
    ),
    ("participation_handler", &["chat", "operation", "data"]),
    (
        "incoming_webhook_handler",
        &["user", "body", "headers", "http_method"],
    ),
    ("menu_handler", &["chat", "user"]),
    ("call_handler", &["user", "operation", "data"]),
];

struct Args {
    url: String,
    seconds: u64,
    concurrency: usize,
    pid: Option<u32>,
    sign: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: String::new(),
        seconds: 60,
        concurrency: 32,
        pid: None,
        sign: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--url" => args.url = value("--url")?,
            "--seconds" => {
                args.seconds = value("--seconds")?
                    .parse()
                    .map_err(|e| format!("--seconds: {e}"))?
            }
            "--concurrency" => {
                args.concurrency = value("--concurrency")?
                    .parse()
                    .map_err(|e| format!("--concurrency: {e}"))?
            }
            "--pid" => args.pid = Some(value("--pid")?.parse().map_err(|e| format!("--pid: {e}"))?),
            "--sign" => args.sign = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if args.url.is_empty() {
        return Err("--url is required".into());
    }
    Ok(args)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// All `params` a good request may carry; each handler type gets its granted subset.
fn all_params(seq: u64) -> serde_json::Map<String, Value> {
    let text = format!("load request {seq}");
    let v = json!({
        "access": {"user_id": "55501234", "chat_id": "CT_1111_55501234-B1",
                   "organization": {"type": "company", "id": "60001234"}},
        "environment": {"data_center": "US", "tld": ".com"},
        "user": {"id": "55501234", "first_name": "Ada", "last_name": "L",
                 "email": "ada@example.com", "timezone": "Europe/London", "language": "en"},
        "chat": {"id": "CT_1111_55501234-B1", "type": "bot", "title": "Load test"},
        "message": text,
        "newuser": seq.is_multiple_of(2),
        "context_id": "survey",
        "answers": {"team": {"text": "core"}},
        "operation": if seq.is_multiple_of(2) { "added" } else { "answered" },
        "data": {"call_id": format!("call-{seq}"), "time": now_ms()},
        "body": format!("{{\"status\": \"build {seq} passed\"}}"),
        "headers": {"content-type": "application/json"},
        "http_method": "POST",
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// A good request to handler type `GOOD[i]`, unique through `seq`, stamped now.
fn good_body(i: usize, seq: u64, timestamp: i64) -> Vec<u8> {
    let (kind, granted) = GOOD[i % GOOD.len()];
    let all = all_params(seq);
    let params: serde_json::Map<String, Value> = all
        .into_iter()
        .filter(|(k, _)| {
            matches!(k.as_str(), "access" | "environment") || granted.contains(&k.as_str())
        })
        .collect();
    let mut handler = json!({"type": kind});
    let mut body = json!({"type": "bot", "name": "Echo", "unique_name": "echobot",
                          "timestamp": timestamp, "params": params});
    if kind == "menu_handler" {
        handler["name"] = json!("Deploy");
        body["sub_action"] = json!("Staging");
    }
    body["handler"] = handler;
    body.to_string().into_bytes()
}

/// A good delivery kept to be sent again (`replayed_delivery`): body and signature.
type Delivery = Option<(Vec<u8>, Option<String>)>;

/// One request ready to send.
struct Prepared {
    body: Vec<u8>,
    content_type: &'static str,
    signature: Option<String>,
}

struct KitKey {
    key: Option<rsa::pkcs1v15::SigningKey<sha2::Sha256>>,
}

impl KitKey {
    fn sign(&self, body: &[u8]) -> Option<String> {
        let key = self.key.as_ref()?;
        Some(base64::engine::general_purpose::STANDARD.encode(key.sign(body).to_bytes()))
    }
}

fn prepare_hostile(kind: &str, seq: u64, signer: &KitKey, last_good: &Mutex<Delivery>) -> Prepared {
    let signed = |body: Vec<u8>| {
        let signature = signer.sign(&body);
        Prepared {
            body,
            content_type: "application/json",
            signature,
        }
    };
    let envelope = |handler: &str, params: Value| {
        json!({"type": "bot", "handler": {"type": handler}, "timestamp": now_ms(), "params": params})
            .to_string()
            .into_bytes()
    };
    match kind {
        "malformed_json" => signed(br#"{"type": "bot", "handler": {"type": "message_han"#.to_vec()),
        "empty_body" => signed(Vec::new()),
        "invalid_utf8" => {
            signed(b"{\"type\": \"bot\", \"params\": {\"message\": \"\xff\xfe\xc3\x28\"}}".to_vec())
        }
        "deep_nesting" => {
            let mut b = br#"{"type": "bot", "handler": {"type": "message_handler"}, "params": {"message": "#.to_vec();
            b.extend(std::iter::repeat_n(b'[', 10_000));
            b.extend(std::iter::repeat_n(b']', 10_000));
            b.extend_from_slice(b"}}");
            signed(b)
        }
        "oversized_body" => {
            // Just over the bot's default 1 MiB limit.
            let filler = "x".repeat((1 << 20) + 1);
            signed(envelope("message_handler", json!({"message": filler})))
        }
        "wrong_content_type" => Prepared {
            content_type: "text/plain",
            ..signed(good_body(0, seq, now_ms()))
        },
        "unknown_handler_type" => signed(envelope("teleport_handler", json!({}))),
        // A menu action the bot does not have (it has every handler type).
        "handler_not_on_bot" => signed(
            json!({"type": "bot", "handler": {"type": "menu_handler", "name": "Rollback"},
                   "timestamp": now_ms(), "params": {"chat": {"id": "CT_1"}, "user": {"id": "1"}}})
            .to_string()
            .into_bytes(),
        ),
        "missing_params" => signed(
            json!({"type": "bot", "handler": {"type": "message_handler"}, "timestamp": now_ms()})
                .to_string()
                .into_bytes(),
        ),
        "wrong_field_types" => signed(envelope(
            "message_handler",
            json!({"message": 5, "user": "ada"}),
        )),
        "bad_signature" => Prepared {
            signature: signer.sign(b"another body"),
            ..signed(good_body(0, seq, now_ms()))
        },
        "missing_signature" => Prepared {
            signature: None,
            ..signed(good_body(0, seq, now_ms()))
        },
        "garbage_signature" => Prepared {
            signature: Some("not base64 at all!".into()),
            ..signed(good_body(0, seq, now_ms()))
        },
        // 2017-11-23: outside any replay window (no response_url: nothing is posted late).
        "stale_timestamp_2017" => signed(good_body(0, seq, 1_511_395_200_000)),
        "replayed_delivery" => match last_good.lock().ok().and_then(|g| g.clone()) {
            Some((body, signature)) => Prepared {
                body,
                content_type: "application/json",
                signature,
            },
            None => signed(good_body(0, seq, now_ms())),
        },
        _ => signed(Vec::new()),
    }
}

#[derive(Default)]
struct Tally {
    good_ok: u64,
    /// Good requests that failed, by status ("transport" when no answer).
    good_errors: BTreeMap<String, u64>,
    good_latency_us: Vec<u64>,
    hostile_latency_us: Vec<u64>,
    /// kind → status → count.
    hostile: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

async fn send(client: &reqwest::Client, url: &str, p: Prepared) -> (String, Duration) {
    let mut rb = client
        .post(url)
        .header("content-type", p.content_type)
        .body(p.body);
    if let Some(sig) = p.signature {
        rb = rb.header("x-cliq-signature", sig);
    }
    let started = Instant::now();
    let status = match rb.send().await {
        Ok(resp) => {
            let s = resp.status().as_u16();
            match resp.bytes().await {
                Ok(_) => s.to_string(),
                Err(_) => "transport (body)".into(),
            }
        }
        Err(e) if e.is_timeout() => "timeout".into(),
        Err(_) => "transport".into(),
    };
    (status, started.elapsed())
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied()
}

fn latency_json(mut v: Vec<u64>) -> Value {
    v.sort_unstable();
    json!({
        "count": v.len(),
        "p50_us": percentile(&v, 0.50),
        "p99_us": percentile(&v, 0.99),
        "p999_us": percentile(&v, 0.999),
        "max_us": v.last(),
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cliq-load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let key = if args.sign {
        match rsa::RsaPrivateKey::from_pkcs8_pem(TEST_PRIVATE_KEY_PEM) {
            Ok(k) => Some(rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k)),
            Err(e) => {
                eprintln!("cliq-load: test key: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let signer = Arc::new(KitKey { key });
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .pool_max_idle_per_host(args.concurrency)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cliq-load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let url: Arc<str> = args.url.clone().into();
    let seq = Arc::new(AtomicU64::new(0));
    let last_good: Arc<Mutex<Delivery>> = Arc::default();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);

    // RSS of the bot, once a second.
    let rss_samples: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let sampler = args.pid.map(|pid| {
        let samples = rss_samples.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while Instant::now() < deadline {
                tick.tick().await;
                if let Some(kib) = rss_kib(pid) {
                    if let Ok(mut s) = samples.lock() {
                        s.push((started.elapsed().as_secs(), kib));
                    }
                }
            }
        })
    });

    let workers: Vec<_> = (0..args.concurrency)
        .map(|_| {
            let (client, url, seq, signer, last_good) = (
                client.clone(),
                url.clone(),
                seq.clone(),
                signer.clone(),
                last_good.clone(),
            );
            tokio::spawn(async move {
                let mut tally = Tally::default();
                while Instant::now() < deadline {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    let slot = n % 10;
                    if slot < 7 {
                        let i = (n / 10 * 7 + slot) as usize;
                        let body = good_body(i, n, now_ms());
                        let signature = signer.sign(&body);
                        // Kept for `replayed_delivery` once delivered, so the replay
                        // never overtakes the original.
                        let keep = (n % 100 == 0).then(|| (body.clone(), signature.clone()));
                        let p = Prepared {
                            body,
                            content_type: "application/json",
                            signature,
                        };
                        let (status, took) = send(&client, &url, p).await;
                        if let (Some(kept), Ok(mut g)) = (keep, last_good.lock()) {
                            *g = Some(kept);
                        }
                        tally.good_latency_us.push(took.as_micros() as u64);
                        if status == "200" {
                            tally.good_ok += 1;
                        } else {
                            *tally.good_errors.entry(status).or_default() += 1;
                        }
                    } else {
                        let kind = HOSTILE[((n / 10 * 3 + slot - 7) as usize) % HOSTILE.len()];
                        let p = prepare_hostile(kind, n, &signer, &last_good);
                        let (status, took) = send(&client, &url, p).await;
                        tally.hostile_latency_us.push(took.as_micros() as u64);
                        *tally
                            .hostile
                            .entry(kind)
                            .or_default()
                            .entry(status)
                            .or_default() += 1;
                    }
                }
                tally
            })
        })
        .collect();

    let mut total = Tally::default();
    for w in workers {
        let Ok(t) = w.await else { continue };
        total.good_ok += t.good_ok;
        for (k, v) in t.good_errors {
            *total.good_errors.entry(k).or_default() += v;
        }
        total.good_latency_us.extend(t.good_latency_us);
        total.hostile_latency_us.extend(t.hostile_latency_us);
        for (kind, by_status) in t.hostile {
            let e = total.hostile.entry(kind).or_default();
            for (s, v) in by_status {
                *e.entry(s).or_default() += v;
            }
        }
    }
    let elapsed = started.elapsed();
    if let Some(s) = sampler {
        let _ = s.await;
    }
    let rss_end = args.pid.and_then(rss_kib);
    let good_errors: u64 = total.good_errors.values().sum();
    let good = total.good_ok + good_errors;
    let hostile: u64 = total.hostile.values().flat_map(|m| m.values()).sum();
    let samples = rss_samples.lock().map(|s| s.clone()).unwrap_or_default();
    let summary = json!({
        "seconds": elapsed.as_secs_f64(),
        "concurrency": args.concurrency,
        "signed": args.sign,
        "requests": good + hostile,
        "requests_per_second": (good + hostile) as f64 / elapsed.as_secs_f64(),
        "good": {"sent": good, "ok": total.good_ok, "errors": good_errors,
                 "errors_by_status": total.good_errors,
                 "latency": latency_json(total.good_latency_us)},
        "hostile": {"sent": hostile, "by_kind": total.hostile,
                    "latency": latency_json(total.hostile_latency_us)},
        "rss_kib": {"samples": samples, "end": rss_end},
    });
    println!("{summary:#}");
    std::process::ExitCode::SUCCESS
}
