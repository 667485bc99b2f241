//! Dispatch in process, per handler type, beside its floor: request bytes → handler →
//! response bytes through `Bot::dispatch`, vs `serde_json` parse of the same bytes into the
//! same structs (`Envelope`) + the same reply built and serialized by hand.
//!
//! `cargo bench -p cliq-webhook --bench dispatch` (or `cargo xtask bench`). Besides criterion's
//! times, a counting global allocator measures allocations per request for both sides, and a
//! paired pass times the two sides back to back; both go to `target/bench/dispatch.json` for
//! `BENCHMARKS.md`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

use cliq_webhook::envelope::Envelope;
use cliq_webhook::extract::{Chat, MenuAction, Message, NewUser, Participation, User};
use cliq_webhook::{cliq_handler, Bot, Reply, WebhookRequest};
use criterion::{criterion_group, criterion_main, Criterion};
use http::HeaderMap;
use serde_json::json;

/// Counts every allocation (and reallocation) made through the global allocator.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[cliq_handler(type = "message_handler", permissions(message, user))]
async fn on_message(message: Message, user: User) -> Reply {
    Reply::text(format!(
        "{} said: {}",
        user.first_name.as_deref().unwrap_or("there"),
        message.text
    ))
}

#[cliq_handler(type = "menu_handler", permissions(chat), name = "Deploy")]
async fn on_menu(action: MenuAction, chat: Chat) -> Reply {
    Reply::text(format!(
        "deploy {} in {}",
        action.sub_action.unwrap_or_default(),
        chat.id.unwrap_or_default()
    ))
}

#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn on_welcome(user: User, NewUser(new): NewUser) -> Reply {
    Reply::text(format!(
        "Welcome{}, {}!",
        if new { "" } else { " back" },
        user.first_name.as_deref().unwrap_or("there")
    ))
}

#[cliq_handler(type = "participation_handler", permissions(chat))]
async fn on_participation(event: Participation, chat: Chat) -> Reply {
    Reply::text(format!(
        "{} {}",
        event.operation,
        chat.title.unwrap_or_default()
    ))
}

/// The floor: the same bytes into the same struct, the same reply, serialized.
fn floor(kind: &str, body: &[u8]) -> Vec<u8> {
    let env: Envelope = serde_json::from_slice(body).expect("bench body parses");
    let p = env.params.expect("bench body has params");
    let text = match kind {
        "message" => format!(
            "{} said: {}",
            p.user
                .as_ref()
                .and_then(|u| u.first_name.as_deref())
                .unwrap_or("there"),
            p.message.as_ref().and_then(|m| m.as_str()).unwrap_or("")
        ),
        "menu" => format!(
            "deploy {} in {}",
            env.sub_action.unwrap_or_default(),
            p.chat.and_then(|c| c.id).unwrap_or_default()
        ),
        "welcome" => format!(
            "Welcome{}, {}!",
            if p.newuser.unwrap_or(false) {
                ""
            } else {
                " back"
            },
            p.user
                .as_ref()
                .and_then(|u| u.first_name.as_deref())
                .unwrap_or("there")
        ),
        _ => format!(
            "{} {}",
            p.operation.unwrap_or_default(),
            p.chat.and_then(|c| c.title).unwrap_or_default()
        ),
    };
    serde_json::to_vec(&json!({ "output": Reply::text(text) })).expect("reply serializes")
}

/// Runs a dispatch to completion (`Bot::dispatch` spawns the handler on tokio).
fn block_on<F: Future>(f: F) -> F::Output {
    thread_local! {
        static RT: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
    }
    RT.with(|rt| rt.block_on(f))
}

fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let user = json!({"id": "1234", "first_name": "Ada", "last_name": "Lovelace",
        "email": "ada@example.com", "language": "en", "timezone": "Europe/London"});
    let chat = json!({"id": "CT_1", "type": "channel", "title": "Releases"});
    let b = |v: serde_json::Value| serde_json::to_vec(&v).expect("json");
    vec![
        (
            "message",
            b(
                json!({"type": "bot", "handler": {"type": "message_handler"},
            "params": {"message": "hello there", "user": user, "chat": chat}}),
            ),
        ),
        (
            "menu",
            b(
                json!({"type": "bot", "handler": {"type": "menu_handler", "name": "Deploy"},
            "sub_action": "Prod", "params": {"user": user, "chat": chat}}),
            ),
        ),
        (
            "welcome",
            b(
                json!({"type": "bot", "handler": {"type": "welcome_handler"},
            "params": {"newuser": true, "user": user}}),
            ),
        ),
        (
            "participation",
            b(
                json!({"type": "bot", "handler": {"type": "participation_handler"},
            "params": {"operation": "added", "user": user, "chat": chat}}),
            ),
        ),
    ]
}

fn allocs_of(f: impl Fn()) -> f64 {
    const N: u64 = 1000;
    f();
    let before = ALLOCS.load(Ordering::Relaxed);
    for _ in 0..N {
        f();
    }
    (ALLOCS.load(Ordering::Relaxed) - before) as f64 / N as f64
}

fn bench(c: &mut Criterion) {
    let bot = Bot::builder()
        .handler(on_message {})
        .handler(on_menu {})
        .handler(on_welcome {})
        .handler(on_participation {})
        .build()
        .expect("bench bot builds");
    let headers = HeaderMap::new();
    let dispatch = |body: &[u8]| {
        let r = block_on(bot.dispatch(WebhookRequest {
            headers: &headers,
            query: None,
            body,
        }));
        assert!(r.status.is_success(), "{:?}", r.body);
        r.body
    };
    let mut allocs = serde_json::Map::new();
    let mut group = c.benchmark_group("dispatch");
    group.measurement_time(std::time::Duration::from_secs(3));
    for (kind, body) in bodies() {
        // Same answer from both sides, or the comparison means nothing.
        let ours: serde_json::Value = serde_json::from_slice(&dispatch(&body)).expect("json");
        let theirs: serde_json::Value = serde_json::from_slice(&floor(kind, &body)).expect("json");
        assert_eq!(ours, theirs, "{kind}: dispatch and floor disagree");
        allocs.insert(
            kind.into(),
            json!({
                "dispatch": allocs_of(|| { dispatch(&body); }),
                "floor": allocs_of(|| { floor(kind, &body); }),
            }),
        );
        group.bench_function(format!("{kind}/dispatch"), |b| b.iter(|| dispatch(&body)));
        group.bench_function(format!("{kind}/floor"), |b| b.iter(|| floor(kind, &body)));
    }
    group.finish();
    // Per handler type: allocations per request and the paired time ratio, for the harness's
    // figure 5 (`cargo xtask bench`).
    for (kind, ratio) in paired(&dispatch, &bodies()) {
        if let Some(serde_json::Value::Object(row)) = allocs.get_mut(&kind) {
            row.insert("paired".into(), ratio);
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    let _ = std::fs::create_dir_all(&root);
    let text = serde_json::Value::Object(allocs).to_string();
    println!("allocations per request and paired ratios: {text}");
    if let Err(e) = std::fs::write(root.join("dispatch.json"), text) {
        eprintln!("cannot write dispatch.json: {e}");
    }
}

/// Dispatch and its floor timed in pairs: `PAIRS` pairs of one dispatch and one floor call of
/// the same body back to back (the order flips every pair), each timed alone, so load changes
/// on a shared machine hit both sides alike (criterion's groups run one after the other).
/// Prints and returns, per handler type, the median of the per-pair ratios with its quartiles.
fn paired(
    dispatch: &dyn Fn(&[u8]) -> bytes::Bytes,
    bodies: &[(&'static str, Vec<u8>)],
) -> serde_json::Map<String, serde_json::Value> {
    const PAIRS: usize = 20_000;
    let time = |f: &dyn Fn()| {
        let t = std::time::Instant::now();
        f();
        t.elapsed().as_nanos() as f64
    };
    let mut out = serde_json::Map::new();
    for (kind, body) in bodies {
        let ours = || {
            dispatch(body);
        };
        let theirs = || {
            floor(kind, body);
        };
        for _ in 0..1000 {
            ours();
            theirs();
        }
        let mut ratios = Vec::with_capacity(PAIRS);
        for pair in 0..PAIRS {
            let (x, y) = if pair % 2 == 0 {
                let x = time(&ours);
                (x, time(&theirs))
            } else {
                let y = time(&theirs);
                (time(&ours), y)
            };
            ratios.push(x / y);
        }
        ratios.sort_by(f64::total_cmp);
        let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
        out.insert(
            (*kind).into(),
            json!({"ratio_median": at(0.5), "ratio_q1": at(0.25), "ratio_q3": at(0.75)}),
        );
    }
    println!(
        "dispatch / floor, paired: {}",
        serde_json::Value::Object(out.clone())
    );
    out
}

criterion_group!(benches, bench);
criterion_main!(benches);
