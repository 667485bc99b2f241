//! Calling Cliq from a handler: the `CliqClient` extractor against a fake Cliq (wiremock),
//! bound to the request's data center and the bot's credentials, and the test kit's own fake
//! Cliq that keeps what the handlers posted.

use std::sync::{Arc, Mutex};

use cliq_runtime::{DataCenter, TokenSource};
use cliq_webhook::cliq_client::{data_center_of, types};
use cliq_webhook::extract::{CliqClient, MenuAction};
use cliq_webhook::testing::{TestBot, TestRequest};
use cliq_webhook::{cliq_handler, Bot, Reply};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cliq_handler(type = "menu_handler", name = "Announce")]
async fn announce(cliq: CliqClient, action: MenuAction) -> Reply {
    let message = types::BotMessage {
        text: Some(format!(
            "{} from {}",
            action.name.unwrap_or_default(),
            cliq.data_center()
        )),
        ..Default::default()
    };
    match cliq.post_to_channel("releases", &message).await {
        Ok(_) => Reply::text("Announced"),
        Err(e) => Reply::text(format!("failed: {e}")),
    }
}

#[cliq_handler(type = "message_handler", permissions(chat))]
async fn echo_in_thread(cliq: CliqClient) -> Reply {
    let message = types::BotMessage {
        text: Some("on it".into()),
        ..Default::default()
    };
    match cliq.reply_in_thread("1767225599000%1", &message).await {
        Ok(_) => Reply::text("replied"),
        Err(e) => Reply::text(format!("failed: {e}")),
    }
}

/// A request from an organization in the EU data center.
fn from_eu(request: TestRequest) -> TestRequest {
    request.param(
        "environment",
        json!({"data_center": "EU", "tld": ".eu", "base_url": "https://cliq.zoho.eu/company/1"}),
    )
}

#[tokio::test]
async fn a_menu_handler_posts_to_a_channel_at_the_requests_data_center() {
    let cliq = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/bots/testbot/messages"))
        .and(query_param("CHANNEL_UNIQUE_NAME", "releases"))
        .and(header("authorization", "Bearer bot-token"))
        .and(body_json(json!({"text": "Announce from eu"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&cliq)
        .await;
    let data_centers = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&data_centers);
    let base = cliq.uri();
    let bot = Bot::builder()
        .cliq_client(move |dc| {
            seen.lock().unwrap().push(dc);
            cliq_runtime::Client::builder()
                .data_center(dc)
                .base_url(base.clone())
                .token(TokenSource::static_token("bot-token"))
        })
        .handler(announce {})
        .build()
        .unwrap();
    let bot = TestBot::new(bot);
    let reply = bot.send(from_eu(TestRequest::menu("Announce"))).await;
    assert_eq!(
        reply.text(),
        Some("Announced"),
        "{reply:?} {:?}",
        cliq.received_requests().await
    );
    // A second request reuses the client made for the EU.
    let reply = bot.send(from_eu(TestRequest::menu("Announce"))).await;
    assert_eq!(reply.text(), Some("Announced"));
    assert_eq!(*data_centers.lock().unwrap(), [DataCenter::Eu]);
    cliq.verify().await;
}

#[tokio::test]
async fn the_kit_keeps_what_the_handlers_posted() {
    let bot = Bot::builder()
        .credentials(TokenSource::static_token("bot-token"))
        .handler(announce {})
        .handler(echo_in_thread {})
        .build()
        .unwrap();
    let bot = TestBot::new(bot).with_fake_cliq().await.unwrap();
    let reply = bot.send(TestRequest::menu("Announce")).await;
    assert_eq!(reply.text(), Some("Announced"));
    let reply = bot
        .send(TestRequest::message("deploy?").in_chat("CT_2222_55501234-T-1"))
        .await;
    assert_eq!(reply.text(), Some("replied"), "{reply:?}");
    let calls = bot.cliq_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        (calls[0].method.as_str(), calls[0].path.as_str()),
        ("POST", "/bots/testbot/messages")
    );
    assert_eq!(calls[0].channel(), Some("releases"));
    assert_eq!(calls[0].text(), Some("Announce from com"));
    // `say` from a thread of the bot's chat: to the user, into the thread, replying.
    assert_eq!(
        calls[1].query.get("user_ids").map(String::as_str),
        Some("55501234")
    );
    assert_eq!(calls[1].text(), Some("on it"));
    assert_eq!(calls[1].body["thread_chat_id"], "CT_2222_55501234-T-1");
    assert_eq!(calls[1].body["thread_message_id"], "1767225599000%1");
}

#[tokio::test]
async fn without_credentials_the_handler_is_refused_with_a_reason() {
    let bot = TestBot::new(Bot::builder().handler(announce {}).build().unwrap());
    let reply = bot.send(TestRequest::menu("Announce")).await;
    assert_eq!(reply.status(), 500);
    assert_eq!(reply.error_code(), Some("client_unavailable"));
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("credentials"), "{message}");
}

#[test]
fn the_data_center_comes_from_the_environment_or_the_response_url() {
    let envelope = |body: serde_json::Value| serde_json::from_value(body).unwrap();
    let uae = envelope(json!({"params": {"environment": {"data_center": "UAE", "tld": ".ae"}}}));
    assert_eq!(data_center_of(&uae), Some(DataCenter::Ae));
    let by_base_url = envelope(
        json!({"params": {"environment": {"base_url": "https://cliq.zohocloud.ca/company/9"}}}),
    );
    assert_eq!(data_center_of(&by_base_url), Some(DataCenter::Ca));
    let by_url = envelope(json!({"response_url": "https://cliq.zoho.in/v2/x", "params": {}}));
    assert_eq!(data_center_of(&by_url), Some(DataCenter::In));
    let none = envelope(json!({"params": {"environment": {"data_center": "Mars"}}}));
    assert_eq!(data_center_of(&none), None);
}
