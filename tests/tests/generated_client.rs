//! The generated client's pagination helpers against a fake Cliq: `list_bots_stream`
//! follows `next_token` across pages, and `list_bot_subscribers_stream` reads a
//! `next_token` the spec does not declare (kept in `extra`), addressed by a pasted bot URL.

use cliq_api::bots::{types, Client};
use futures::TryStreamExt;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new(
        cliq_runtime::Client::builder()
            .base_url(server.uri())
            .token(cliq_runtime::TokenSource::static_token("test-token"))
            .build()
            .expect("client builds"),
    )
}

#[tokio::test]
async fn list_bots_stream_follows_next_token_across_three_pages() {
    let server = MockServer::start().await;
    let page = |names: &[&str], next: Option<&str>| {
        let data: Vec<_> = names
            .iter()
            .map(|n| serde_json::json!({"unique_name": n, "name": n}))
            .collect();
        let mut body = serde_json::json!({"url": "/api/v3/bots", "type": "bot", "data": data, "sync_token": "s1"});
        if let Some(next) = next {
            body["next_token"] = next.into();
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param_is_missing("next_token"))
        .respond_with(page(&["a", "b"], Some("t2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param("next_token", "t2"))
        .respond_with(page(&["c"], Some("t3")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param("next_token", "t3"))
        .respond_with(page(&["d"], None))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let params = types::ListBotsParams {
        limit: Some(2),
        ..Default::default()
    };
    let bots: Vec<_> = client
        .list_bots_stream(&params)
        .try_collect()
        .await
        .expect("all pages");
    let names: Vec<_> = bots
        .iter()
        .filter_map(|b| b.unique_name.as_deref())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    // The limit is kept on every page.
    for req in server.received_requests().await.unwrap_or_default() {
        assert!(
            req.url.query().unwrap_or("").contains("limit=2"),
            "{}",
            req.url
        );
    }
}

#[tokio::test]
async fn subscribers_stream_reads_undeclared_next_token_and_accepts_a_bot_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots/supportbot/subscribers"))
        .and(query_param_is_missing("next_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": [{"id": "1", "name": "Ann"}], "next_token": "n2"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bots/supportbot/subscribers"))
        .and(query_param("next_token", "n2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": [{"id": "2", "name": "Bo"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let url = "https://cliq.zoho.com/api/v3/bots/supportbot/incoming";
    let subs: Vec<_> = client
        .list_bot_subscribers_stream(url, &Default::default())
        .try_collect()
        .await
        .expect("both pages");
    assert_eq!(subs.len(), 2);
}

/// A method's future is `Send` (a handler can spawn it), builds its request when the method is
/// called and borrows only the client: the arguments can be dropped before it is awaited.
#[tokio::test]
async fn call_futures_are_send_and_outlive_their_arguments() {
    fn send<T: Send>(value: T) -> T {
        value
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots"))
        .and(query_param("limit", "5"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": [{"unique_name": "deploybot"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let call = {
        let params = types::ListBotsParams {
            limit: Some(5),
            ..Default::default()
        };
        send(client.list_bots(&params))
    };
    let bots = call.await.expect("listed");
    let names: Vec<_> = bots
        .data
        .unwrap_or_default()
        .into_iter()
        .filter_map(|b| b.unique_name)
        .collect();
    assert_eq!(names, ["deploybot"]);
}
