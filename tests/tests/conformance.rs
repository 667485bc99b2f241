//! Conformance of the generated Bots client (`cliq-api` on `cliq-runtime`) against
//! Stoplight Prism 5.16.0 (`tools/node_modules/.bin/prism`, installed by `tools/setup.sh`),
//! which checks every request against `spec/bots.yaml`.
//!
//! Prism runs as `prism mock -h 127.0.0.1 -p PORT --errors spec/bots.yaml`, once for this
//! test binary (custom libtest-mimic harness): started on first use, waited for (bounded),
//! and killed by PID when the tests are done, whether they passed, failed or panicked.
//!
//! For every one of the 14 operations the generated client sends realistic inputs; Prism must
//! accept each request (2xx, no `sl-violations` header) and each response must deserialize
//! into the generated type. Named examples are requested with `Prefer: example=…` and must
//! round-trip through the generated types unchanged. Then one call per kind of invalid input
//! (too-long `name`, unknown enum value, missing required field) must come back as a typed
//! `Error::Api` with status 400/422 and the body.
//!
//! All tests are named `conformance_*`, so `cargo test --workspace conformance` runs exactly
//! them. Without Prism installed they are skipped with a message (a failure when `CI` is set).

use std::fs::File;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use cliq_api::bots::{errors, operations, types, Client};
use cliq_api::runtime::{self as rt, Error, ErrorCode, Page, RawResponse, Request};
use futures::StreamExt;
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Longest we wait for Prism to listen.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);
/// Per-request timeout: Prism 5.16.0 never answers some malformed requests.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Per-test bound.
const TEST_TIMEOUT: Duration = Duration::from_secs(120);

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `tools/node_modules/.bin/prism`, or `$CLIQ_PRISM_BIN` when set.
fn prism_bin() -> PathBuf {
    match std::env::var_os("CLIQ_PRISM_BIN") {
        Some(p) => PathBuf::from(p),
        None => workspace_root().join("tools/node_modules/.bin/prism"),
    }
}

// ---------------------------------------------------------------------------------------
// Prism process
// ---------------------------------------------------------------------------------------

struct Prism {
    base_url: String,
    child: Mutex<Option<Child>>,
    log: PathBuf,
}

static PRISM: OnceLock<Result<Prism, String>> = OnceLock::new();

fn free_port() -> std::io::Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(l.local_addr()?.port())
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn start_prism() -> Result<Prism, String> {
    let root = workspace_root();
    let spec = root.join("spec/bots.yaml");
    if !spec.exists() {
        return Err(format!("{} is missing", spec.display()));
    }
    let port = free_port().map_err(|e| format!("no free port: {e}"))?;
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{port}.log"));
    let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let port_s = port.to_string();
    let mut child = Command::new(prism_bin())
        .args(["mock", "-h", "127.0.0.1", "-p", &port_s, "--errors"])
        .arg(&spec)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| {
            format!(
                "could not start {} ({e}); is Node.js installed?",
                prism_bin().display()
            )
        })?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "Prism exited during startup ({status}); log {}:\n{}",
                log.display(),
                log_tail(&log)
            ));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            break;
        }
        if started.elapsed() > STARTUP_TIMEOUT {
            kill(&mut child);
            return Err(format!(
                "Prism did not listen on {addr} within {STARTUP_TIMEOUT:?}; log {}:\n{}",
                log.display(),
                log_tail(&log)
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    eprintln!(
        "conformance: Prism (pid {}) listening on {addr} after {:.1?}",
        child.id(),
        started.elapsed()
    );
    Ok(Prism {
        base_url: format!("http://{addr}"),
        child: Mutex::new(Some(child)),
        log,
    })
}

/// Kill by PID and reap, bounded in time.
fn kill(child: &mut Child) {
    let _ = child.kill();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "conformance: Prism (pid {}) did not exit after SIGKILL",
        child.id()
    );
}

fn stop_prism() {
    if let Some(Ok(prism)) = PRISM.get() {
        let mut guard = prism.child.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(mut child) = guard.take() {
            eprintln!("conformance: stopping Prism (pid {})", child.id());
            kill(&mut child);
        }
    }
}

/// Kills Prism when `main` returns or unwinds.
struct StopPrismOnDrop;
impl Drop for StopPrismOnDrop {
    fn drop(&mut self) {
        stop_prism();
    }
}

// ---------------------------------------------------------------------------------------
// Per-test context
// ---------------------------------------------------------------------------------------

/// One response as Prism sent it.
#[derive(Debug, Clone)]
struct Seen {
    operation: &'static str,
    url: String,
    status: u16,
    violations: Option<String>,
}

/// Everything Prism answered, for the summary printed at the end.
static REPORT: Mutex<Vec<(String, Seen)>> = Mutex::new(Vec::new());

struct Ctx {
    test: &'static str,
    base_url: String,
}

impl Ctx {
    /// A generated client on Prism, recording every response; `prefer` sets
    /// `Prefer: example=<name>`.
    fn client(&self, prefer: Option<&str>) -> Result<(Client, Recorder), Failed> {
        let seen = Recorder::default();
        let sink = seen.clone();
        let test = self.test;
        let mut builder = rt::Client::builder()
            .base_url(&self.base_url)
            .token(rt::TokenSource::static_token("1000.conformance-test-token"))
            .timeout(REQUEST_TIMEOUT)
            .on_response(move |info| {
                let s = Seen {
                    operation: info.operation_id,
                    url: info.url.to_owned(),
                    status: info.status,
                    violations: info
                        .headers
                        .get("sl-violations")
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
                };
                REPORT
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((test.to_owned(), s.clone()));
                sink.0.lock().unwrap_or_else(|p| p.into_inner()).push(s);
            });
        if let Some(name) = prefer {
            builder = builder.header("Prefer", format!("example={name}"));
        }
        Ok((Client::new(builder.build()?), seen))
    }
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Every response so far was a 2xx for `operation` without `sl-violations`.
    fn assert_accepted(&self, operation: &str) -> Result<Vec<Seen>, Failed> {
        let seen = self.take();
        if seen.is_empty() {
            return Err("no response was recorded".into());
        }
        for s in &seen {
            if s.operation != operation {
                return Err(format!("expected {operation}, recorded {s:?}").into());
            }
            if !(200..300).contains(&s.status) || s.violations.is_some() {
                return Err(format!("Prism did not accept the request: {s:?}").into());
            }
        }
        Ok(seen)
    }
}

fn ok<T, E: ErrorCode>(r: Result<T, Error<E>>) -> Result<T, Failed> {
    r.map_err(|e| Failed::from(format!("{e} / {e:?}")))
}

fn check(cond: bool, what: impl FnOnce() -> String) -> Result<(), Failed> {
    if cond {
        Ok(())
    } else {
        Err(what().into())
    }
}

// ---------------------------------------------------------------------------------------
// Spec examples
// ---------------------------------------------------------------------------------------

fn spec() -> Result<&'static Value, Failed> {
    static SPEC: OnceLock<Result<Value, String>> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = workspace_root().join("spec/bots.yaml");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    })
    .as_ref()
    .map_err(|e| Failed::from(e.clone()))
}

/// The named examples of an operation's request body and 200 response.
struct Named {
    name: String,
    request: Value,
    response: Option<Value>,
}

fn named_examples(path: &str, method: &str) -> Result<Vec<Named>, Failed> {
    let op = &spec()?["paths"][path][method];
    let req = op["requestBody"]["content"]["application/json"]["examples"]
        .as_object()
        .ok_or_else(|| format!("{method} {path}: no named request examples"))?;
    let resp = &op["responses"]["200"]["content"]["application/json"]["examples"];
    Ok(req
        .iter()
        .map(|(name, ex)| Named {
            name: name.clone(),
            request: ex["value"].clone(),
            response: resp[name.as_str()].get("value").cloned(),
        })
        .collect())
}

fn typed<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T, Failed> {
    serde_json::from_value(v.clone()).map_err(|e| {
        format!(
            "{what} does not deserialize into {}: {e}",
            std::any::type_name::<T>()
        )
        .into()
    })
}

/// A typed value serializes back to exactly the example it came from.
fn round_trips<T: Serialize>(value: &T, example: &Value, what: &str) -> Result<(), Failed> {
    let back = serde_json::to_value(value).map_err(|e| e.to_string())?;
    check(&back == example, || {
        format!("{what} changed in the round trip through the generated type:\n  spec: {example}\n  back: {back}")
    })
}

// ---------------------------------------------------------------------------------------
// Realistic inputs
// ---------------------------------------------------------------------------------------

const BOT_ID: &str = "53719000001878011";
const BOT_UNIQUE_NAME: &str = "supportbot";
/// What users paste: the bot's API endpoint URL from Cliq (seed 002).
const COPIED_BOT_URL: &str =
    "https://cliq.zoho.com/api/v2/bots/supportbot/message?zapikey=1001.not-a-real-key";
const HANDLER_ID: i64 = 1_901_318_000_009_075_000;

fn webhook_bot() -> types::BotCreate {
    types::BotCreate {
        execution_type: Some(types::ExecutionType::Webhook),
        execution_url: Some("https://ci.zylker.com/cliq-webhook/pipeline-alerts".into()),
        name: "Pipeline Alert Bot".into(),
        description: "Sends CI/CD pipeline status alerts to engineering teams.".into(),
        scope: Some(types::Scope::Team),
        team_ids: Some(vec![98_765_432]),
        status_messages: Some(vec!["Monitoring your pipelines 24/7".into()]),
        image: None,
        channel_participation: Some(vec![
            types::BotCreateChannelParticipationItem::ListenMessage,
            types::BotCreateChannelParticipationItem::SendMessage,
        ]),
        calls: Some(types::Calls::Enable),
        extra: Default::default(),
    }
}

// ---------------------------------------------------------------------------------------
// Tests: one or more per operation
// ---------------------------------------------------------------------------------------

async fn conformance_list_bots(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let params = types::ListBotsParams {
        limit: Some(20),
        ..Default::default()
    };
    let list = ok(client.list_bots(&params).await)?;
    seen.assert_accepted("list_all_bots")?;
    let data = list.data.unwrap_or_default();
    check(!data.is_empty(), || "no bots in the list".into())?;
    check(
        data[0].unique_name.as_deref() == Some(BOT_UNIQUE_NAME),
        || format!("{:?}", data[0]),
    )?;
    check(
        list.next_token.is_some() && list.sync_token.is_some(),
        || "next_token/sync_token missing".into(),
    )?;
    // Incremental sync with the returned token is accepted too.
    let sync = types::ListBotsParams {
        sync_token: list.sync_token.clone(),
        ..Default::default()
    };
    ok(client.list_bots(&sync).await)?;
    seen.assert_accepted("list_all_bots")?;
    Ok(())
}

/// `Page` for the generated list response (the generator does not emit it yet).
struct BotPage(types::BotListResponse);
impl Page for BotPage {
    type Item = types::BotListResponseDataItem;
    fn next_token(&self) -> Option<&str> {
        self.0.next_token.as_deref()
    }
    fn into_items(self) -> Vec<Self::Item> {
        self.0.data.unwrap_or_default()
    }
    fn sync_token(&self) -> Option<&str> {
        self.0.sync_token.as_deref()
    }
}

async fn conformance_list_bots_paginates(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let items: Vec<_> = rt::paginate(|next_token| {
        let client = client.clone();
        async move {
            let params = types::ListBotsParams {
                limit: Some(50),
                next_token,
                ..Default::default()
            };
            client.list_bots(&params).await.map(BotPage)
        }
    })
    .collect()
    .await;
    let seen = seen.assert_accepted("list_all_bots")?;
    // Prism serves the same static page (same next_token) every time: the stream follows it
    // once and stops when the server does not advance.
    check(seen.len() == 2, || format!("{seen:?}"))?;
    check(seen[1].url.contains("next_token="), || format!("{seen:?}"))?;
    check(items.len() == 2 && items.iter().all(|i| i.is_ok()), || {
        format!("{items:?}")
    })?;
    Ok(())
}

async fn conformance_create_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let created = ok(client.create_bot(&webhook_bot()).await)?;
    seen.assert_accepted("create_a_new_bot")?;
    check(created.data.is_some(), || format!("{created:?}"))
}

/// Request examples in `spec/bots.yaml` that violate their own schema, as Zoho ships them:
/// (operation, JSON pointer, value in the example, value the schema allows).
/// Each is first sent verbatim and must be rejected for exactly that property (so the test
/// notices when the spec is fixed), then sent corrected.
const KNOWN_INVALID_EXAMPLES: &[(&str, &str, &str, &str)] = &[
    // `BotCreate.calls` is `enum: [enable, disable]`, its examples say "enabled".
    ("create_a_new_bot", "/calls", "enabled", "enable"),
];

/// Send each named request example (deserialized into the generated type), ask Prism for
/// the response example of the same name, and check both round-trip unchanged.
async fn named_round_trip<B, R, E, F, Fut>(
    cx: &Ctx,
    path: &str,
    method: &str,
    operation: &str,
    call: F,
) -> Result<(), Failed>
where
    B: DeserializeOwned + Serialize,
    R: Serialize,
    E: ErrorCode,
    F: Fn(Client, B) -> Fut,
    Fut: Future<Output = Result<R, Error<E>>>,
{
    let examples = named_examples(path, method)?;
    check(!examples.is_empty(), || "no named examples".into())?;
    for mut ex in examples {
        let body: B = typed(&ex.request, &format!("request example {}", ex.name))?;
        round_trips(&body, &ex.request, &format!("request example {}", ex.name))?;
        let prefer = ex.response.as_ref().map(|_| ex.name.as_str());
        let (client, seen) = cx.client(prefer)?;
        let mut body = body;
        for &(op, pointer, wrong, right) in KNOWN_INVALID_EXAMPLES {
            if op != operation || ex.request.pointer(pointer) != Some(&json!(wrong)) {
                continue;
            }
            let rejected = call(client.clone(), body).await;
            let recorded = seen.take();
            let property = pointer.trim_start_matches('/');
            let flagged = recorded.iter().any(|s| {
                s.violations.as_deref().is_some_and(|v| {
                    v.contains(&format!("\"body\",\"{property}\"")) && v.contains("\"enum\"")
                })
            });
            check(
                matches!(
                    rejected,
                    Err(Error::Api {
                        status: 400 | 422,
                        ..
                    })
                ) && flagged,
                || {
                    format!(
                        "example {} was expected to be rejected for {pointer}: {recorded:?}",
                        ex.name
                    )
                },
            )?;
            if let Some(v) = ex.request.pointer_mut(pointer) {
                *v = json!(right);
            }
            body = typed(
                &ex.request,
                &format!("corrected request example {}", ex.name),
            )?;
        }
        let resp = ok(call(client, body).await)?;
        seen.assert_accepted(operation)?;
        if let Some(expected) = &ex.response {
            round_trips(&resp, expected, &format!("response example {}", ex.name))?;
        }
    }
    Ok(())
}

async fn conformance_create_bot_named_examples(cx: Ctx) -> Result<(), Failed> {
    named_round_trip(
        &cx,
        "/bots",
        "post",
        "create_a_new_bot",
        |c, b: types::BotCreate| async move { c.create_bot(&b).await },
    )
    .await
}

async fn conformance_get_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let params = types::GetBotParams {
        fields: Some("subscription_details".into()),
    };
    let bot = ok(client.get_bot(BOT_ID, &params).await)?;
    seen.assert_accepted("get_details_of_a_specific_bot")?;
    check(bot.data.is_some(), || format!("{bot:?}"))
}

async fn conformance_update_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let edit = types::BotEdit {
        description: Some("Your CRM co-pilot inside Cliq.".into()),
        scope: Some(types::Scope::Organization),
        channel_participation: Some(vec![
            types::BotCreateChannelParticipationItem::ListenMessage,
        ]),
        ..Default::default()
    };
    let updated = ok(client.update_bot(BOT_ID, &edit).await)?;
    seen.assert_accepted("update_an_existing_bot")?;
    check(updated.data.is_some(), || format!("{updated:?}"))
}

async fn conformance_update_bot_named_examples(cx: Ctx) -> Result<(), Failed> {
    named_round_trip(
        &cx,
        "/bots/{BOT_ID}",
        "patch",
        "update_an_existing_bot",
        |c, b: types::BotEdit| async move { c.update_bot(BOT_ID, &b).await },
    )
    .await
}

async fn conformance_delete_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    ok(client.delete_bot(BOT_ID).await)?;
    seen.assert_accepted("delete_a_specific_bot")?;
    Ok(())
}

async fn conformance_send_bot_message(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let params = types::SendBotMessageParams {
        user_ids: Some("55743307,55622727".into()),
        ..Default::default()
    };
    let message = types::BotMessage {
        text: Some("Deployment v3.6.1 finished: all health checks passed.".into()),
        styles: Some(types::BotMessageStyles {
            background: Some(types::Background::Green),
            markdown: Some(true),
            ..Default::default()
        }),
        sync_message: Some(true),
        ..Default::default()
    };
    // The bot is given as the endpoint URL a user copied from Cliq.
    ok(client
        .send_bot_message(COPIED_BOT_URL, &params, &message)
        .await)?;
    let first = seen.assert_accepted("send_a_bot_message")?;
    check(
        first[0].url.contains("/bots/supportbot/messages?") && !first[0].url.contains("zapikey"),
        || format!("{first:?}"),
    )?;
    // The spec's named request examples, through the generated type.
    for ex in named_examples("/bots/{BOT_UNIQUE_NAME}/messages", "post")? {
        let body: types::BotMessage = typed(&ex.request, &ex.name)?;
        round_trips(&body, &ex.request, &ex.name)?;
        ok(client
            .send_bot_message(BOT_UNIQUE_NAME, &Default::default(), &body)
            .await)?;
        seen.assert_accepted("send_a_bot_message")?;
    }
    Ok(())
}

async fn conformance_send_incoming_webhook_message(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let mut body = types::BotIncomingWebhookRequest::default();
    for (k, v) in [
        ("alert_type", "deployment"),
        ("environment", "production"),
        ("service_name", "payment-gateway"),
        ("severity", "critical"),
    ] {
        body.extra.insert(k.into(), v.into());
    }
    let params = types::SendIncomingWebhookMessageParams {
        user_ids: Some("55743307".into()),
        ..Default::default()
    };
    let resp = ok(client
        .send_incoming_webhook_message(BOT_UNIQUE_NAME, &params, &body)
        .await)?;
    seen.assert_accepted("send_an_incoming_webhook_message")?;
    check(resp.user_ids.is_some(), || format!("{resp:?}"))
}

async fn conformance_trigger_bot_calls(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let mut data = serde_json::Map::new();
    data.insert(
        "web".into(),
        json!("https://status.zylker.com/incidents/892"),
    );
    let body = types::TriggerBotCallRequest {
        text: "Payment gateway is down in production. Please check the incident.".into(),
        user_ids: Some(vec!["55743307".into(), "olivia.palmer@zylker.com".into()]),
        retry: Some(2),
        r#loop: Some(2),
        actions: Some(vec![types::TriggerBotCallRequestActionsItem {
            label: "Open incident".into(),
            icon: Some("preview".into()),
            hint: Some("Opens the status page".into()),
            key: Some("open_incident".into()),
            action: types::TriggerBotCallRequestActionsItemAction {
                r#type: "open.url".into(),
                data,
                extra: Default::default(),
            },
            extra: Default::default(),
        }]),
        extra: Default::default(),
    };
    let resp = ok(client.trigger_bot_calls(BOT_UNIQUE_NAME, &body).await)?;
    seen.assert_accepted("Trigger Bot Calls")?;
    check(resp.id.is_some(), || format!("{resp:?}"))
}

async fn conformance_create_handler_for_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let body = types::HandlerCreate {
        r#type: types::BotHandlerDetailsResponseDataType::MessageHandler,
        script: None,
        permissions: Some(vec![
            types::HandlerCreatePermissionsItem::Chat,
            types::HandlerCreatePermissionsItem::User,
        ]),
        name: None,
        icon: None,
        sub_actions: None,
        extra: Default::default(),
    };
    let resp = ok(client.create_handler_for_bot(BOT_ID, &body).await)?;
    seen.assert_accepted("create_a_handler_for_a_bot")?;
    check(resp.data.is_some(), || format!("{resp:?}"))
}

async fn conformance_create_handler_for_bot_named_examples(cx: Ctx) -> Result<(), Failed> {
    named_round_trip(
        &cx,
        "/bots/{BOT_ID}/handlers",
        "post",
        "create_a_handler_for_a_bot",
        |c, b: types::HandlerCreate| async move { c.create_handler_for_bot(BOT_ID, &b).await },
    )
    .await
}

async fn conformance_get_bot_handler(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let params = types::GetBotHandlerParams {
        handler_id: Some(HANDLER_ID),
    };
    let resp = ok(client
        .get_bot_handler(BOT_ID, &types::HandlerType::MenuHandler, &params)
        .await)?;
    seen.assert_accepted("get_details_of_a_specific_bot_handler")?;
    check(resp.data.is_some(), || format!("{resp:?}"))
}

async fn conformance_update_handler_for_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let body = types::HandlerEdit {
        script: Some(
            "response = Map();\nresponse.put(\"text\", \"Updated\");\nreturn response;".into(),
        ),
        ..Default::default()
    };
    ok(client
        .update_handler_for_bot(
            BOT_ID,
            &types::HandlerType::MessageHandler,
            &Default::default(),
            &body,
        )
        .await)?;
    seen.assert_accepted("update_a_handler_for_a_bot")?;
    Ok(())
}

async fn conformance_update_handler_for_bot_named_examples(cx: Ctx) -> Result<(), Failed> {
    named_round_trip(
        &cx,
        "/bots/{BOT_ID}/handlers/{HANDLER_TYPE}",
        "patch",
        "update_a_handler_for_a_bot",
        |c, b: types::HandlerEdit| async move {
            let params = types::UpdateHandlerForBotParams {
                handler_id: Some(HANDLER_ID),
            };
            c.update_handler_for_bot(BOT_ID, &types::HandlerType::MenuHandler, &params, &b)
                .await
        },
    )
    .await
}

async fn conformance_delete_handler_from_bot(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let params = types::DeleteHandlerFromBotParams {
        handler_id: Some(HANDLER_ID),
    };
    ok(client
        .delete_handler_from_bot(BOT_ID, &types::HandlerType::MenuHandler, &params)
        .await)?;
    seen.assert_accepted("delete_a_handler_from_a_bot")?;
    Ok(())
}

async fn conformance_associate_bot_to_channel(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let body = types::BotAssociateChannelRequest {
        channel_unique_name: Some("engineering".into()),
        extra: Default::default(),
    };
    ok(client
        .associate_bot_to_channel(BOT_UNIQUE_NAME, &Default::default(), &body)
        .await)?;
    seen.assert_accepted("associate_bot_to_channel")?;
    Ok(())
}

async fn conformance_list_bot_subscribers(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let params = types::ListBotSubscribersParams {
        limit: Some(50),
        ..Default::default()
    };
    let resp = ok(client.list_bot_subscribers(BOT_UNIQUE_NAME, &params).await)?;
    seen.assert_accepted("list_all_subscribers_of_a_bot")?;
    check(resp.data.is_some(), || format!("{resp:?}"))
}

// ---------------------------------------------------------------------------------------
// Invalid input: Prism rejects, the client surfaces a typed error with the body
// ---------------------------------------------------------------------------------------

fn expect_rejected<T: std::fmt::Debug>(
    result: Result<T, Error<errors::CreateBotErrorCode>>,
    seen: &Recorder,
) -> Result<(), Failed> {
    let recorded = seen.take();
    match result {
        Err(Error::Api {
            status,
            body,
            operation,
            ..
        }) if status == 400 || status == 422 => {
            check(operation == "create_a_new_bot", || operation.to_owned())?;
            check(!body.is_empty(), || "empty error body".into())?;
            check(recorded.iter().all(|s| s.violations.is_some()), || {
                format!("rejected without sl-violations: {recorded:?}")
            })
        }
        other => Err(format!("expected Error::Api with 400/422, got {other:?}").into()),
    }
}

async fn conformance_invalid_too_long_name_is_rejected(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let body = types::BotCreate {
        name: "A bot name far longer than twenty characters".into(),
        ..webhook_bot()
    };
    expect_rejected(client.create_bot(&body).await, &seen)
}

async fn conformance_invalid_unknown_enum_value_is_rejected(cx: Ctx) -> Result<(), Failed> {
    let (client, seen) = cx.client(None)?;
    let body = types::BotCreate {
        scope: Some(types::Scope::Unknown("galaxy".into())),
        ..webhook_bot()
    };
    expect_rejected(client.create_bot(&body).await, &seen)
}

async fn conformance_invalid_missing_required_field_is_rejected(cx: Ctx) -> Result<(), Failed> {
    // The generated `BotCreate` cannot omit `description`: send the raw body through the
    // runtime with the generated operation metadata and error-code type.
    let (client, seen) = cx.client(None)?;
    let req = Request::new(&operations::CREATE_BOT, "/bots".into())
        .json(&json!({"name": "Pipeline Alert Bot"}));
    let result: Result<RawResponse, _> = client
        .runtime()
        .execute::<errors::CreateBotErrorCode>(req)
        .await;
    expect_rejected(result, &seen)
}

/// The requests `cargo cliq diff` and `push` send (`cliq_webhook::config`): reading the bot
/// and each handler, then creating, editing and deleting handlers so that Prism's example bot
/// matches a declaration that differs from it in every way. Prism must accept every request.
async fn conformance_config_drift_requests(cx: Ctx) -> Result<(), Failed> {
    use cliq_webhook::config::{self, BotConfig, Change, HandlerConfig};
    let (client, seen) = cx.client(None)?;
    let live = config::live_config(&client, COPIED_BOT_URL)
        .await
        .map_err(|e| e.to_string())?;
    let mut deploy = HandlerConfig::new("menu_handler", ["chat", "user"]);
    deploy.name = Some("Deploy".into());
    deploy.icon = Some("wand/627282".into());
    deploy.sub_actions = vec!["Staging".into(), "Production".into()];
    let declared = BotConfig::new([
        HandlerConfig::new("message_handler", ["message", "user"]),
        HandlerConfig::new("mention_handler", ["chat", "message"]),
        deploy,
    ]);
    let changes = config::diff(&declared, &live);
    let kinds = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
    check(
        kinds(|c| matches!(c, Change::Create(_))) == 2
            && kinds(|c| matches!(c, Change::Update { .. })) == 1
            && kinds(|c| matches!(c, Change::Delete(_))) == 4,
        || format!("expected 2 creates, 1 update, 4 deletes, got {changes:#?}"),
    )?;
    let applied = config::apply(&client, COPIED_BOT_URL, &changes)
        .await
        .map_err(|e| e.to_string())?;
    check(applied == changes.len(), || format!("applied {applied}"))?;
    for s in seen.take() {
        if !(200..300).contains(&s.status) || s.violations.is_some() {
            return Err(format!("Prism did not accept the request: {s:?}").into());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

fn trial<F, Fut>(name: &'static str, f: F) -> Trial
where
    F: FnOnce(Ctx) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), Failed>>,
{
    Trial::ignorable_test(name, move || {
        if !prism_bin().exists() {
            let msg = format!(
                "Prism is not installed ({} missing): run `tools/setup.sh` (npm ci in tools/, needs Node.js) or `cargo xtask test`",
                prism_bin().display()
            );
            return cliq_tests::harness::missing(msg);
        }
        let prism = PRISM
            .get_or_init(start_prism)
            .as_ref()
            .map_err(|e| Failed::from(e.clone()))?;
        let cx = Ctx {
            test: name,
            base_url: prism.base_url.clone(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime
            .block_on(async { tokio::time::timeout(TEST_TIMEOUT, f(cx)).await })
            .map_err(|_| {
                Failed::from(format!(
                    "timed out after {TEST_TIMEOUT:?}; Prism log {}",
                    prism.log.display()
                ))
            })??;
        Ok(Completion::Completed)
    })
}

fn print_report() {
    let report = REPORT.lock().unwrap_or_else(|p| p.into_inner());
    if report.is_empty() {
        return;
    }
    println!("\nPrism answers (test | operation | status | sl-violations | url):");
    for (test, s) in report.iter() {
        println!(
            "  {test} | {} | {} | {} | {}",
            s.operation,
            s.status,
            s.violations.as_deref().unwrap_or("-"),
            s.url
        );
    }
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let tests = vec![
        trial("conformance_list_bots", conformance_list_bots),
        trial(
            "conformance_list_bots_paginates",
            conformance_list_bots_paginates,
        ),
        trial("conformance_create_bot", conformance_create_bot),
        trial(
            "conformance_create_bot_named_examples",
            conformance_create_bot_named_examples,
        ),
        trial("conformance_get_bot", conformance_get_bot),
        trial("conformance_update_bot", conformance_update_bot),
        trial(
            "conformance_update_bot_named_examples",
            conformance_update_bot_named_examples,
        ),
        trial("conformance_delete_bot", conformance_delete_bot),
        trial("conformance_send_bot_message", conformance_send_bot_message),
        trial(
            "conformance_send_incoming_webhook_message",
            conformance_send_incoming_webhook_message,
        ),
        trial(
            "conformance_trigger_bot_calls",
            conformance_trigger_bot_calls,
        ),
        trial(
            "conformance_create_handler_for_bot",
            conformance_create_handler_for_bot,
        ),
        trial(
            "conformance_create_handler_for_bot_named_examples",
            conformance_create_handler_for_bot_named_examples,
        ),
        trial("conformance_get_bot_handler", conformance_get_bot_handler),
        trial(
            "conformance_update_handler_for_bot",
            conformance_update_handler_for_bot,
        ),
        trial(
            "conformance_update_handler_for_bot_named_examples",
            conformance_update_handler_for_bot_named_examples,
        ),
        trial(
            "conformance_delete_handler_from_bot",
            conformance_delete_handler_from_bot,
        ),
        trial(
            "conformance_associate_bot_to_channel",
            conformance_associate_bot_to_channel,
        ),
        trial(
            "conformance_list_bot_subscribers",
            conformance_list_bot_subscribers,
        ),
        trial(
            "conformance_invalid_too_long_name_is_rejected",
            conformance_invalid_too_long_name_is_rejected,
        ),
        trial(
            "conformance_invalid_unknown_enum_value_is_rejected",
            conformance_invalid_unknown_enum_value_is_rejected,
        ),
        trial(
            "conformance_invalid_missing_required_field_is_rejected",
            conformance_invalid_missing_required_field_is_rejected,
        ),
        trial(
            "conformance_config_drift_requests",
            conformance_config_drift_requests,
        ),
    ];
    let conclusion = {
        let _stop = StopPrismOnDrop;
        libtest_mimic::run(&args, tests)
    };
    print_report();
    conclusion.exit_code()
}
