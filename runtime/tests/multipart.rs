//! `multipart/form-data` bodies against a local fake server: every part arrives, with its file
//! name and content type, and a retried request resends the whole form.

use std::time::Duration;

use cliq_runtime::{
    Client, FilePart, Method, Multipart, OperationMeta, Request, RetryPolicy, TokenSource,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UPLOAD: OperationMeta = OperationMeta {
    operation_id: "upload",
    method: Method::Put,
    path: "/files",
    scopes: &[],
    rate_limit: None,
};

#[tokio::test]
async fn every_part_arrives_and_a_retry_resends_the_form() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TokenSource::static_token("t"))
        .retry(RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .unwrap();
    let form = Multipart::new()
        .text("title", "a b")
        .json("meta", &serde_json::json!({"n": 1}))
        .file(
            "file",
            &FilePart::new(&b"\x89PNG"[..], "pic.png").with_content_type("image/png"),
        );
    let request = Request::new(&UPLOAD, "/files".into()).multipart(form);
    client.execute::<String>(request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2, "one 503, one retry");
    for r in &received {
        let ct = r.headers["content-type"].to_str().unwrap();
        assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
        let body = String::from_utf8_lossy(&r.body);
        for needle in [
            "name=\"title\"\r\n\r\na b\r\n",
            "name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"n\":1}\r\n",
            "name=\"file\"; filename=\"pic.png\"\r\nContent-Type: image/png\r\n\r\n\u{FFFD}PNG\r\n",
        ] {
            assert!(body.contains(needle), "{needle:?} not in {body}");
        }
    }
}
