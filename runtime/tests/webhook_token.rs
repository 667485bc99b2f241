//! A webhook token (`zapikey`) as a token source: sent as the `zapikey` query parameter, no
//! `Authorization` header, and kept out of what observers and errors show.

use std::sync::{Arc, Mutex};

use cliq_runtime::{Client, Error, Request, TokenSource};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::POST_MESSAGE;

#[tokio::test]
async fn the_token_goes_in_the_query_and_nowhere_else() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/bots/b/messages"))
        .and(query_param("zapikey", "1001.secret.zapi"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let urls = Arc::clone(&seen);
    let c = Client::builder()
        .base_url(server.uri())
        .token(TokenSource::webhook_token("1001.secret.zapi"))
        .on_response(move |info| urls.lock().unwrap().push(info.url.to_string()))
        .build()
        .unwrap();
    let request = Request::new(&POST_MESSAGE, "/bots/b/messages".into())
        .query("user_ids", "1,2")
        .json(&serde_json::json!({"text": "hi"}));
    let response = c.execute::<String>(request).await.unwrap();
    assert_eq!(response.status, 204);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].headers.get("authorization").is_none());
    let query = requests[0].url.query().unwrap_or_default();
    assert!(query.contains("user_ids=1%2C2"), "{query}");
    // The observer sees the URL without the token, the other parameters kept.
    let urls = seen.lock().unwrap();
    assert_eq!(urls.len(), 1);
    assert!(!urls[0].contains("secret"), "{}", urls[0]);
    assert!(urls[0].contains("user_ids="), "{}", urls[0]);
    assert!(!format!("{c:?}").contains("secret"));
}

#[tokio::test]
async fn a_rejected_webhook_token_is_an_api_error_without_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/bots/b/messages"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(r#"{"code":"invalid_zapikey","message":"Invalid zapikey"}"#),
        )
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(server.uri())
        .token(TokenSource::webhook_token("1001.secret.zapi"))
        .build()
        .unwrap();
    let err = c
        .execute::<String>(Request::new(&POST_MESSAGE, "/bots/b/messages".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 401, .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("secret"));
    // Not refreshable: asked once.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
