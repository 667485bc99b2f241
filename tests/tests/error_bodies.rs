//! The generated client's typed error bodies against a fake Cliq: a documented error status's
//! body decodes into the type the spec gives it, through `<Op>ErrorCode::error_body`.

use cliq_api::bots::errors::GetBotErrorCode as Code;
use cliq_api::bots::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_documented_error_status_decodes_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/bots/nobot"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                serde_json::json!({"code": "bot_not_found", "message": "No such bot."}),
            ),
        )
        .mount(&server)
        .await;
    let client = Client::new(
        cliq_runtime::Client::builder()
            .base_url(server.uri())
            .token(cliq_runtime::TokenSource::static_token("test-token"))
            .build()
            .expect("client builds"),
    );
    let err = client
        .get_bot("nobot", &Default::default())
        .await
        .expect_err("404");
    assert_eq!(err.code(), Some(&Code::BotNotFound));
    let body = Code::error_body(&err).expect("the 404 body is documented and decodes");
    assert_eq!(body.message.as_deref(), Some("No such bot."));
    // Undeclared properties are kept.
    assert_eq!(body.extra["code"], "bot_not_found");
}
