//! Requests the generated code builds and raw responses it decodes.

use bytes::Bytes;

use crate::error::Error;
use crate::meta::{ErrorCode, OperationMeta};

/// One call of an operation: metadata, rendered path, query and optional JSON body.
#[derive(Debug)]
pub struct Request {
    pub(crate) meta: &'static OperationMeta,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Result<Bytes, serde_json::Error>>,
    pub(crate) headers: http::HeaderMap,
    /// Content type of `body` (`None`: JSON).
    pub(crate) content_type: Option<String>,
    /// A header or cookie parameter that is not valid in HTTP, reported at execute time.
    pub(crate) invalid: Option<serde_json::Error>,
    /// A `multipart/form-data` body, built afresh for each attempt.
    pub(crate) multipart: Option<Multipart>,
}

impl Request {
    /// A request for `meta` with `path` already rendered and percent-encoded
    /// (e.g. `/bots/supportbot/messages`).
    pub fn new(meta: &'static OperationMeta, path: String) -> Self {
        Request {
            meta,
            path,
            query: Vec::new(),
            body: None,
            headers: http::HeaderMap::new(),
            content_type: None,
            invalid: None,
            multipart: None,
        }
    }

    /// Add a query parameter (encoded when sent).
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Set a JSON body. Serialization errors surface as [`Error::Encode`] at execute time.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).map(Bytes::from));
        self
    }

    /// Add a header to this request only (e.g. `Prefer`).
    pub fn header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Set an `application/x-www-form-urlencoded` body (flat fields; nested values fail with
    /// [`Error::Encode`] at execute time).
    pub fn form<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                self.body = Some(Ok(Bytes::from(text)));
                self.content_type = Some("application/x-www-form-urlencoded".into());
            }
            Err(e) => self.fail(format!("form body: {e}")),
        }
        self
    }

    /// Set a raw body (text or bytes) sent with `content_type`.
    pub fn raw(mut self, content_type: &str, body: impl Into<Bytes>) -> Self {
        self.body = Some(Ok(body.into()));
        self.content_type = Some(content_type.to_string());
        self
    }

    /// Add a header parameter of the operation (`in: header`). A name or value HTTP cannot
    /// carry surfaces as [`Error::Encode`] at execute time.
    pub fn header_param(mut self, name: &'static str, value: impl ToString) -> Self {
        let value = value.to_string();
        match (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            (Ok(n), Ok(v)) => {
                self.headers.append(n, v);
            }
            _ => self.fail(format!(
                "header parameter `{name}` is not a valid HTTP header"
            )),
        }
        self
    }

    /// Add a cookie parameter of the operation (`in: cookie`), joined into one `Cookie` header.
    pub fn cookie(mut self, name: &'static str, value: impl ToString) -> Self {
        let pair = format!("{name}={}", value.to_string());
        let joined = match self.headers.get(http::header::COOKIE) {
            Some(old) => format!("{}; {pair}", String::from_utf8_lossy(old.as_bytes())),
            None => pair,
        };
        match http::HeaderValue::from_str(&joined) {
            Ok(v) => {
                self.headers.insert(http::header::COOKIE, v);
            }
            Err(_) => self.fail(format!("cookie parameter `{name}` is not a valid cookie")),
        }
        self
    }

    /// Set a `multipart/form-data` body. A part content type that is not a valid MIME type,
    /// or a part that cannot be serialized, surfaces as [`Error::Encode`] at execute time.
    pub fn multipart(mut self, form: Multipart) -> Self {
        match form.check() {
            Ok(()) => {
                self.body = None;
                self.content_type = None;
                self.multipart = Some(form);
            }
            Err(e) => self.fail(format!("multipart body: {e}")),
        }
        self
    }

    fn fail(&mut self, message: String) {
        if self.invalid.is_none() {
            self.invalid = Some(<serde_json::Error as serde::ser::Error>::custom(message));
        }
    }

    /// The operation's metadata.
    pub fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    /// The rendered path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// A file sent as one part of a `multipart/form-data` body: its bytes, the file name the
/// server sees and, optionally, its content type (else `application/octet-stream`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    /// The file's content.
    pub bytes: Bytes,
    /// The file name sent in the part's `Content-Disposition`.
    pub filename: String,
    /// The part's content type (`image/png`, …).
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file part of `bytes` named `filename`.
    pub fn new(bytes: impl Into<Bytes>, filename: impl Into<String>) -> Self {
        FilePart {
            bytes: bytes.into(),
            filename: filename.into(),
            content_type: None,
        }
    }

    /// The same part with a content type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// One part's content.
#[derive(Debug, Clone)]
enum PartBody {
    Text(String),
    Json(Result<String, String>),
    File(FilePart),
}

/// A `multipart/form-data` body: text fields, JSON fields and files, in order. Kept as data
/// and turned into a fresh `reqwest` form for each attempt, so retries resend it whole.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(&'static str, PartBody)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a text part (a string, number, boolean or enum field).
    pub fn text(mut self, name: &'static str, value: impl ToString) -> Self {
        self.parts.push((name, PartBody::Text(value.to_string())));
        self
    }

    /// Add a part holding `value` as JSON (`Content-Type: application/json`): an object or
    /// array field.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let json = serde_json::to_string(value).map_err(|e| format!("part `{name}`: {e}"));
        self.parts.push((name, PartBody::Json(json)));
        self
    }

    /// Add a file part.
    pub fn file(mut self, name: &'static str, file: &FilePart) -> Self {
        self.parts.push((name, PartBody::File(file.clone())));
        self
    }

    /// The form `reqwest` sends (built once per attempt; `Bytes` clones are cheap).
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
        use reqwest::multipart::Part;
        let mut form = reqwest::multipart::Form::new();
        for (name, body) in &self.parts {
            let part = match body {
                PartBody::Text(t) => Part::text(t.clone()),
                PartBody::Json(Ok(j)) => Part::text(j.clone())
                    .mime_str("application/json")
                    .map_err(|e| e.to_string())?,
                PartBody::Json(Err(e)) => return Err(e.clone()),
                PartBody::File(f) => {
                    let part = Part::stream_with_length(
                        reqwest::Body::from(f.bytes.clone()),
                        f.bytes.len() as u64,
                    )
                    .file_name(f.filename.clone());
                    let ct = f
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    part.mime_str(ct)
                        .map_err(|e| format!("part `{name}`: content type `{ct}`: {e}"))?
                }
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }

    /// Whether every part can be sent.
    fn check(&self) -> Result<(), String> {
        self.to_form().map(drop)
    }
}

/// A successful (2xx) response, body not yet decoded.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// Raw body.
    pub body: bytes::Bytes,
}

impl RawResponse {
    /// Decode a success body. An empty body (e.g. 204) decodes as `{}`,
    /// so all-optional response structs (Cliq's `NoResponse`) accept a bare 204.
    pub fn json<T: serde::de::DeserializeOwned, E: ErrorCode>(self) -> Result<T, Error<E>> {
        let bytes: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        };
        serde_json::from_slice(bytes).map_err(|source| Error::Decode {
            status: self.status,
            body: String::from_utf8_lossy(&self.body).into_owned(),
            source,
        })
    }

    /// The body as text (lossily decoded as UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> &'static OperationMeta {
        &OperationMeta {
            operation_id: "op",
            method: crate::meta::Method::Get,
            path: "/x",
            scopes: &[],
            rate_limit: None,
        }
    }

    #[test]
    fn header_and_cookie_parameters_are_sent_and_bad_ones_reported() {
        let r = Request::new(meta(), "/x".into())
            .header_param("X-Request-Id", "abc")
            .cookie("a", 1)
            .cookie("b", "two");
        assert_eq!(r.headers["x-request-id"], "abc");
        assert_eq!(r.headers[http::header::COOKIE], "a=1; b=two");
        assert!(r.invalid.is_none());
        let bad = Request::new(meta(), "/x".into()).header_param("X-Bad", "line\nbreak");
        assert!(bad.invalid.is_some_and(|e| e.to_string().contains("X-Bad")));
    }

    #[test]
    fn form_and_raw_bodies_carry_their_content_type() {
        #[derive(serde::Serialize)]
        struct Login<'a> {
            user: &'a str,
            remember: bool,
        }
        let r = Request::new(meta(), "/x".into()).form(&Login {
            user: "a b",
            remember: true,
        });
        assert_eq!(
            r.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        assert!(matches!(&r.body, Some(Ok(b)) if b.as_ref() == b"user=a+b&remember=true"));
        let r = Request::new(meta(), "/x".into()).raw("text/plain", "hi".to_string());
        assert_eq!(r.content_type.as_deref(), Some("text/plain"));
        assert!(matches!(&r.body, Some(Ok(b)) if b.as_ref() == b"hi"));
    }

    #[test]
    fn multipart_bodies_are_kept_as_parts_and_bad_ones_reported() {
        let file = FilePart::new(b"PNG".to_vec(), "a.png").with_content_type("image/png");
        let form = Multipart::new()
            .text("name", "avatar")
            .json("meta", &serde_json::json!({"w": 1}))
            .file("file", &file);
        let r = Request::new(meta(), "/x".into()).multipart(form);
        assert!(r.invalid.is_none());
        assert!(r.body.is_none());
        let parts = &r.multipart.as_ref().expect("kept").parts;
        assert_eq!(parts.len(), 3);
        assert!(matches!(&parts[2], ("file", PartBody::File(f)) if f == &file));
        let bad = Multipart::new().file(
            "f",
            &FilePart::new(Vec::new(), "x").with_content_type("not a mime"),
        );
        let r = Request::new(meta(), "/x".into()).multipart(bad);
        assert!(r
            .invalid
            .is_some_and(|e| e.to_string().contains("not a mime")));
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct NoResponse {
        message: Option<String>,
    }

    fn raw(status: u16, body: &'static str) -> RawResponse {
        RawResponse {
            status,
            headers: http::HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn empty_body_decodes_as_empty_object() {
        let r: NoResponse = raw(204, "").json::<_, String>().unwrap();
        assert_eq!(r, NoResponse { message: None });
    }

    #[test]
    fn undecodable_body_keeps_raw_text() {
        let err = raw(200, "<html>oops</html>")
            .json::<NoResponse, String>()
            .unwrap_err();
        match err {
            Error::Decode { status, body, .. } => {
                assert_eq!(status, 200);
                assert_eq!(body, "<html>oops</html>");
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}
