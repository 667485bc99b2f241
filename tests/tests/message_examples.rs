//! Every message, card, button, slide and form example in Zoho's Cliq specs (`../shared/specs/cliq`)
//! and in Zoho's SDK samples (the `zcatalyst-cli` package, fetched with `npm pack` into a
//! temporary directory at test time, never committed) reads into `cliq-message`'s typed model
//! and serializes back to the same JSON value; the known kinds read as typed variants, not as
//! the `Other` fallback.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use cliq_message::{Action, Button, Card, CliqForm, MessageContent, Slide, Theme};
use cliq_tests::harness::{self, needs};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn main() -> ExitCode {
    harness::run(vec![
        needs(
            "spec_examples_round_trip",
            harness::shared,
            spec_examples_round_trip,
        ),
        needs(
            "sdk_samples_round_trip",
            sdk_package,
            sdk_samples_round_trip,
        ),
        harness::test(
            "generated_bot_message_uses_the_model",
            generated_bot_message_uses_the_model,
        ),
        harness::test(
            "every_module_that_sends_messages_uses_the_model",
            every_module_that_sends_messages_uses_the_model,
        ),
    ])
}

/// `cliq-api`'s `BotMessage` holds `cliq-message`'s types (codegen's type replacements), not
/// a generated copy: a card built for a webhook reply goes into a client call as it is.
fn generated_bot_message_uses_the_model() {
    let m = cliq_api::bots::types::BotMessage {
        card: Some(Card::modern_inline("Deploy")),
        buttons: Some(vec![Button::open_url("Logs", "https://ci.example.com")]),
        slides: Some(vec![Slide::list(["build", "test"])]),
        ..Default::default()
    };
    let v = serde_json::to_value(&m).expect("serializes");
    assert_eq!(v["card"]["theme"], "modern-inline");
    assert_eq!(v["buttons"][0]["action"]["type"], "open.url");
    let back: cliq_api::bots::types::BotMessage = serde_json::from_value(v).expect("reads");
    assert_eq!(back, m);
}

/// The other modules that send message content (`messagecards`, `messageformat`, `buttons`)
/// take the same `cliq-message` types in their request bodies: one model, no generated copy.
fn every_module_that_sends_messages_uses_the_model() {
    use cliq_api::{buttons, messagecards, messageformat};
    let card = Card::modern_inline("Deploy");
    let body = messagecards::types::PostMessageCardToChannelBody {
        text: None,
        card: card.clone(),
        slides: Some(vec![Slide::list(["build", "test"])]),
        extra: Default::default(),
    };
    let v = serde_json::to_value(&body).expect("serializes");
    assert_eq!(v["card"]["theme"], "modern-inline");
    assert_eq!(v["slides"][0]["type"], "list");
    let table = messageformat::types::SendTableMessageRequestBody {
        text: "Builds".into(),
        card: Some(card.clone()),
        slides: Some(vec![Slide::list(["a"])]),
        extra: Default::default(),
    };
    let back: messageformat::types::SendTableMessageRequestBody =
        serde_json::from_value(serde_json::to_value(&table).expect("serializes")).expect("reads");
    assert_eq!(back, table);
    let buttons = buttons::types::MessageCardButtonsRequest {
        text: "Deployed".into(),
        card: Some(card),
        buttons: Some(vec![Button::open_url("Logs", "https://ci.example.com")]),
        confirm: None,
        extra: Default::default(),
    };
    let v = serde_json::to_value(&buttons).expect("serializes");
    assert_eq!(v["buttons"][0]["action"]["type"], "open.url");
    // The spec's component names stay, as aliases of the model's types.
    let _: messagecards::types::CardObject = Card::modern_inline("alias");
    let _: messagecards::types::CardButton = Button::copy("Copy", "text");
}

/// What one document yielded.
#[derive(Default)]
struct Found {
    messages: usize,
    cards: usize,
    buttons: usize,
    slides: usize,
    problems: Vec<String>,
}

/// `value` reads as `T` and writes back as the same JSON value.
fn round_trip<T: DeserializeOwned + Serialize>(
    value: &Value,
    at: &str,
    found: &mut Found,
) -> Option<T> {
    match serde_json::from_value::<T>(value.clone()) {
        Ok(t) => {
            let back = serde_json::to_value(&t).expect("serializes");
            if &back != value {
                found
                    .problems
                    .push(format!("{at}: lossy\n  in:  {value}\n  out: {back}"));
            }
            Some(t)
        }
        Err(e) => {
            found.problems.push(format!(
                "{at}: does not read as {}: {e}",
                std::any::type_name::<T>()
            ));
            None
        }
    }
}

fn button(v: &Value, at: &str, f: &mut Found) {
    f.buttons += 1;
    if let Some(b) = round_trip::<Button>(v, at, f) {
        if let Action::Other(a) = &b.action {
            f.problems.push(format!("{at}: action read as Other: {a}"));
        }
    }
}

fn card(v: &Value, at: &str, f: &mut Found) {
    f.cards += 1;
    if let Some(c) = round_trip::<Card>(v, at, f) {
        if let Some(Theme::Other(t)) = &c.theme {
            f.problems.push(format!("{at}: unknown theme {t}"));
        }
        for (i, b) in c.buttons.iter().flatten().enumerate() {
            if let Action::Other(a) = &b.action {
                f.problems
                    .push(format!("{at}/buttons/{i}: action read as Other: {a}"));
            }
        }
    }
}

fn slide(v: &Value, at: &str, f: &mut Found) {
    f.slides += 1;
    if let Some(Slide::Other(s)) = round_trip::<Slide>(v, at, f) {
        f.problems.push(format!("{at}: slide read as Other: {s}"));
    }
}

/// Tests what `value` is when it sits under `key` (`card`, `buttons`, `slides`, a message),
/// then everything inside it.
fn scan(value: &Value, key: &str, at: &str, f: &mut Found) {
    match (key, value) {
        ("card", Value::Object(_)) => card(value, at, f),
        ("buttons", Value::Array(items)) => {
            for (i, b) in items.iter().enumerate() {
                button(b, &format!("{at}/{i}"), f);
            }
        }
        ("slides", Value::Array(items)) => {
            for (i, s) in items.iter().enumerate() {
                slide(s, &format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
    match value {
        Value::Object(o) => {
            if ["card", "buttons", "slides"]
                .iter()
                .any(|k| o.contains_key(*k))
            {
                f.messages += 1;
                round_trip::<MessageContent>(value, at, f);
            }
            // instant buttons: `references: {"1": {"type": "button", "object": {…}}}`
            if o.get("type").and_then(Value::as_str) == Some("button") {
                if let Some(b) = o.get("object") {
                    button(b, &format!("{at}/object"), f);
                }
            }
            for (k, v) in o {
                scan(v, k, &format!("{at}/{k}"), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                scan(v, key, &format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
}

/// Every example in an OpenAPI document: `example` values (typed by the property they sit
/// in) and `examples.*.value`.
fn examples(node: &Value, key: &str, at: &str, f: &mut Found) {
    let Value::Object(o) = node else {
        if let Value::Array(items) = node {
            for (i, v) in items.iter().enumerate() {
                examples(v, key, &format!("{at}/{i}"), f);
            }
        }
        return;
    };
    for (k, v) in o {
        let here = format!("{at}/{k}");
        match k.as_str() {
            "example" => scan(v, key, &here, f),
            "examples" if v.is_object() => {
                for (name, ex) in v.as_object().into_iter().flatten() {
                    if let Some(value) = ex.get("value") {
                        scan(value, key, &format!("{here}/{name}/value"), f);
                    }
                }
            }
            _ => examples(v, k, &here, f),
        }
    }
}

fn spec_examples_round_trip(shared: PathBuf) {
    let dir = shared.join("specs/cliq");
    let mut total = Found::default();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("spec readable");
        let doc: Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        examples(&doc, "", name, &mut total);
    }
    println!(
        "{} files: {} messages, {} cards, {} buttons, {} slides",
        files.len(),
        total.messages,
        total.cards,
        total.buttons,
        total.slides
    );
    assert!(total.problems.is_empty(), "{}", total.problems.join("\n"));
    // What the specs hold today (a drop would mean the walk lost examples).
    assert!(
        total.messages >= 21 && total.cards >= 18 && total.buttons >= 26 && total.slides >= 7,
        "fewer examples found than the specs held when this was written"
    );
}

/// Where the Cliq handler samples sit in the package.
const SAMPLES: &str = "package/templates/event/integ/cliq";

/// A new temporary directory holding `zcatalyst-cli`, unpacked by `npm pack`, or why not.
fn sdk_package() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("cliq-message-sdk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("temp dir: {e}"))?;
    let pack = Command::new("npm")
        .args(["pack", "zcatalyst-cli", "--silent"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("needs npm to fetch Zoho's SDK samples (zcatalyst-cli): {e}"))?;
    if !pack.status.success() {
        return Err(format!(
            "npm pack zcatalyst-cli failed (no network?): {}",
            String::from_utf8_lossy(&pack.stderr).trim()
        ));
    }
    let tgz = String::from_utf8_lossy(&pack.stdout).trim().to_string();
    let tar = Command::new("tar")
        .args(["xzf", &tgz])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("needs tar: {e}"))?;
    if !tar.success() {
        return Err(format!("tar could not unpack {tgz}"));
    }
    Ok(dir)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// The asset-request form of Zoho's `form_handler` sample, as a struct.
#[derive(cliq_message::CliqForm, Debug)]
#[cliq(title = "Asset request", name = "ID")]
struct AssetRequest {
    username: String,
    email: String,
    #[cliq(rename = "asset-type")]
    asset_type: AssetType,
    #[cliq(rename = "mobile-os")]
    mobile_os: Option<MobileOs>,
}

#[derive(cliq_message::CliqChoice, Debug, PartialEq)]
enum AssetType {
    Mobile,
    Laptop,
}

#[derive(cliq_message::CliqChoice, Debug, PartialEq)]
enum MobileOs {
    Android,
    #[cliq(value = "ios")]
    Ios,
}

fn sdk_samples_round_trip(root: PathBuf) {
    let dir = root.join(SAMPLES);
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no samples under {}", dir.display());
    let mut found = Found::default();
    let mut forms = 0;
    for path in &files {
        let v: Value =
            serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("JSON");
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        scan(&v, "", &name, &mut found);
        // form submissions (form_handler: submit; form_change_handler: change)
        if let Some(values) = v.pointer("/params/form/values") {
            if values.get("username").is_some() {
                forms += 1;
                let r =
                    AssetRequest::from_submission(values).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(r.username, "Harold Finch");
                assert_eq!(r.email, "haroldfinch@samaritan.com");
                assert_eq!(r.asset_type, AssetType::Mobile);
                assert_eq!(r.mobile_os, Some(MobileOs::Android));
            }
        }
    }
    println!(
        "{} sample files: {forms} form submissions, {} messages",
        files.len(),
        found.messages
    );
    assert!(found.problems.is_empty(), "{}", found.problems.join("\n"));
    assert!(forms >= 2, "the form submission samples were not found");
    // `root` is the directory `sdk_package` made for this process, nothing else
    let _ = std::fs::remove_dir_all(&root);
}
