//! Handler sync through the generated client, against a local fake Cliq (wiremock).

use cliq_webhook::extract::{Chat, User};
use cliq_webhook::{cliq_handler, sync, Bot};
use serde_json::json;
use wiremock::matchers::{body_json, method, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cliq_handler(type = "message_handler", permissions(chat, user))]
async fn on_message(_user: User) {}

#[cliq_handler(type = "welcome_handler", permissions(user))]
async fn on_welcome(_user: User) {}

#[cliq_handler(
    type = "menu_handler",
    permissions(chat),
    name = "Deploy",
    icon = "wand/FF5733",
    sub_actions("Prod")
)]
async fn on_deploy(_chat: Chat) {}

#[cliq_handler(type = "menu_handler", permissions(chat), name = "Status")]
async fn on_status(_chat: Chat) {}

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404)
        .set_body_json(json!({"code": "execution_handler_not_found", "message": "no such handler"}))
}

#[tokio::test]
async fn sync_creates_missing_handlers_and_updates_existing_ones() {
    let server = MockServer::start().await;
    // message_handler does not exist yet: update says not found, then create.
    Mock::given(method("PATCH"))
        .and(path_regex(r"/bots/42/handlers/message_handler$"))
        .respond_with(not_found())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"/bots/42/handlers$"))
        .and(body_json(
            json!({"type": "message_handler", "permissions": ["chat", "user"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": "message_handler"})))
        .expect(1)
        .mount(&server)
        .await;
    // welcome_handler exists: updated with its declared permissions.
    Mock::given(method("PATCH"))
        .and(path_regex(r"/bots/42/handlers/welcome_handler$"))
        .and(body_json(json!({"permissions": ["user"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    // The menu read returns the "Deploy" variant: update it by id; "Status" is created.
    Mock::given(method("GET"))
        .and(path_regex(r"/bots/42/handlers/menu_handler$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "menu_handler",
            "data": {"handler_id": "7001", "name": "Deploy", "type": "menu_handler"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path_regex(r"/bots/42/handlers/menu_handler$"))
        .and(query_param("handler_id", "7001"))
        .and(body_json(
            json!({"permissions": ["chat"], "name": "Deploy", "icon": "wand/FF5733",
                              "sub_actions": [{"name": "Prod"}]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"/bots/42/handlers$"))
        .and(body_json(
            json!({"type": "menu_handler", "permissions": ["chat"], "name": "Status"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": "menu_handler"})))
        .expect(1)
        .mount(&server)
        .await;

    let runtime = cliq_runtime::Client::builder()
        .base_url(server.uri())
        .token(cliq_runtime::TokenSource::static_token("test-token"))
        .build()
        .unwrap();
    let client = cliq_bots::Client::new(runtime);
    let bot = Bot::<()>::builder()
        .handler(on_message())
        .handler(on_welcome())
        .handler(on_deploy())
        .handler(on_status())
        .build()
        .unwrap();
    let result = sync::sync_handlers(&client, "42", &bot).await;
    if result.is_err() {
        for r in server.received_requests().await.unwrap_or_default() {
            eprintln!(
                "{} {} {}",
                r.method,
                r.url,
                String::from_utf8_lossy(&r.body)
            );
        }
    }
    let report = result.unwrap();
    assert_eq!(report.created, vec!["on_message", "on_status"]);
    assert_eq!(report.updated, vec!["on_welcome", "on_deploy"]);
}
