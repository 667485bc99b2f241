//! List the bots you can see and send a message from one of them.
//!
//! ```sh
//! export CLIQ_DATA_CENTER=eu
//! export CLIQ_ACCESS_TOKEN=1000.xxxx   # scopes ZohoCliq.Bots.READ, ZohoCliq.Webhooks.CREATE
//! export CLIQ_BOT=supportbot           # or the bot's API endpoint URL copied from Cliq
//! export CLIQ_USER_IDS=55743307        # optional: recipients (default: the token's user)
//! cargo run -p cliq-examples --example list_bots_and_send
//! ```
//!
//! Against the Prism mock instead of Cliq:
//! `CLIQ_BASE_URL=http://127.0.0.1:4010 CLIQ_ACCESS_TOKEN=x CLIQ_BOT=supportbot cargo run …`
//! (after `tools/node_modules/.bin/prism mock spec/bots.yaml`).

use std::process::ExitCode;

use cliq_api::bots::{types, Client};
use cliq_api::runtime::Error;

/// Stop listing after this many pages.
const MAX_PAGES: usize = 5;

#[tokio::main]
async fn main() -> ExitCode {
    let runtime = match cliq_examples::client_from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let bot = std::env::var("CLIQ_BOT")
        .ok()
        .filter(|b| !b.trim().is_empty());
    let client = Client::new(runtime);
    println!("Cliq API: {}", client.runtime().base_url());

    // List bots, following next_token (bounded).
    let mut params = types::ListBotsParams {
        limit: Some(50),
        ..Default::default()
    };
    for page in 1..=MAX_PAGES {
        let list = match client.list_bots(&params).await {
            Ok(list) => list,
            Err(e) => return report("listing bots", &e),
        };
        for b in list.data.as_deref().unwrap_or_default() {
            println!(
                "  {:<24} {:<30} {}",
                b.unique_name.as_deref().unwrap_or("?"),
                b.name.as_deref().unwrap_or(""),
                b.status.as_ref().map(|s| s.to_string()).unwrap_or_default()
            );
        }
        match list.next_token {
            Some(next) if params.next_token.as_ref() != Some(&next) && page < MAX_PAGES => {
                params.next_token = Some(next);
            }
            _ => break,
        }
    }

    let Some(bot) = bot else {
        eprintln!("CLIQ_BOT is not set: set it to a bot's unique name (or its API endpoint URL) to send a message");
        return ExitCode::from(2);
    };
    let message = types::BotMessage {
        text: Some("Hello from cliq-rs 👋".into()),
        sync_message: Some(true),
        ..Default::default()
    };
    let params = types::SendBotMessageParams {
        user_ids: std::env::var("CLIQ_USER_IDS")
            .ok()
            .filter(|u| !u.is_empty()),
        ..Default::default()
    };
    match client
        .send_bot_message(bot.as_str(), &params, &message)
        .await
    {
        Ok(_) => {
            println!(
                "message sent from bot {}",
                cliq_api::runtime::BotName::from(bot.as_str())
            );
            ExitCode::SUCCESS
        }
        Err(e) => report("sending the message", &e),
    }
}

fn report<E: cliq_api::runtime::ErrorCode>(what: &str, e: &Error<E>) -> ExitCode {
    eprintln!("error {what}: {e}");
    if let Some(after) = e.retry_after() {
        eprintln!("  rate limited: retry after {after:?}");
    }
    if e.status() == Some(401) {
        eprintln!("  the token was rejected: is CLIQ_DATA_CENTER the data center that issued it?");
    }
    ExitCode::FAILURE
}
