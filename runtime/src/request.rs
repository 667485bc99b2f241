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
