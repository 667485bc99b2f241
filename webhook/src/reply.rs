//! What handlers return, and how it becomes Cliq's `{"output": …}` response.

use serde::Serialize;
use serde_json::{Map, Value};

/// A bot message reply: text (Cliq markdown) with optional card, buttons, slides,
/// suggestions, or a context (multi-question) request. Serialized as the `output` object.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Reply {
    /// Message text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Card: `{title, theme, thumbnail?, icon?}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Up to 5 buttons.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Up to 20 slides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slides: Vec<Slide>,
    /// Suggestion chips: `{"list": [{"text": ..}]}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Value>,
    /// Starts a context: questions whose answers come back to the `context_handler`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// Any other field Cliq accepts (`bot`, `styles`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Reply {
    /// A text reply.
    pub fn text(text: impl Into<String>) -> Reply {
        Reply {
            text: Some(text.into()),
            ..Reply::default()
        }
    }

    /// Adds a card.
    pub fn card(mut self, card: Card) -> Reply {
        self.card = Some(card);
        self
    }

    /// Adds a button.
    pub fn button(mut self, button: Button) -> Reply {
        self.buttons.push(button);
        self
    }

    /// Adds a slide.
    pub fn slide(mut self, slide: Slide) -> Reply {
        self.slides.push(slide);
        self
    }

    /// Adds suggestion chips.
    pub fn suggestions<I, T>(mut self, items: I) -> Reply
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        let list: Vec<Value> = items
            .into_iter()
            .map(|t| serde_json::json!({ "text": t.into() }))
            .collect();
        self.suggestions = Some(serde_json::json!({ "list": list }));
        self
    }

    /// Starts a context; Cliq collects the answers and calls the `context_handler`.
    pub fn context(mut self, context: Context) -> Reply {
        self.context = Some(context);
        self
    }

    /// Sets any other field of the message object.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Reply {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// Message card.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Card {
    /// Title (≤ 200 characters).
    pub title: String,
    /// `basic | poll | modern-inline | prompt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Thumbnail URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// Other card fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Card {
    /// A card with a title and theme.
    pub fn new(title: impl Into<String>, theme: impl Into<String>) -> Card {
        Card {
            title: title.into(),
            theme: Some(theme.into()),
            ..Card::default()
        }
    }
}

/// Message button.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Button {
    /// Label.
    pub label: String,
    /// `+` (positive) or `-` (negative).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `{type, data, confirm?}`, e.g. `{"type": "open.url", "data": {"web": …}}`.
    pub action: Value,
    /// Other fields (`hint`, `key`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Button {
    /// A button opening a URL.
    pub fn open_url(label: impl Into<String>, url: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            kind: Some("+".into()),
            action: serde_json::json!({ "type": "open.url", "data": { "web": url.into() } }),
            extra: Map::new(),
        }
    }

    /// A button invoking a Cliq function.
    pub fn invoke_function(label: impl Into<String>, function: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            kind: Some("+".into()),
            action: serde_json::json!({ "type": "invoke.function", "data": { "name": function.into() } }),
            extra: Map::new(),
        }
    }
}

/// Message slide: `{type: table|list|label|images|text, title?, data}`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Slide {
    /// Slide type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Data; shape depends on the type.
    pub data: Value,
}

impl Slide {
    /// A slide of any type.
    pub fn new(kind: impl Into<String>, title: Option<String>, data: impl Into<Value>) -> Slide {
        Slide {
            kind: kind.into(),
            title,
            data: data.into(),
        }
    }
}

/// A context request: questions Cliq asks one by one.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Context {
    /// Comes back as the context handler's `context_id`.
    pub id: String,
    /// Seconds Cliq waits for the answers.
    pub timeout: u64,
    /// The questions.
    pub params: Vec<Question>,
}

impl Context {
    /// A context with an id and a timeout in seconds.
    pub fn new(id: impl Into<String>, timeout_secs: u64) -> Context {
        Context {
            id: id.into(),
            timeout: timeout_secs,
            params: Vec::new(),
        }
    }

    /// Adds a question; its answer arrives under `name`.
    pub fn question(mut self, name: impl Into<String>, question: impl Into<String>) -> Context {
        self.params.push(Question {
            name: name.into(),
            question: question.into(),
            extra: Map::new(),
        });
        self
    }
}

/// One context question.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Question {
    /// Answer key.
    pub name: String,
    /// What Cliq asks.
    pub question: String,
    /// Other fields (`value`, `suggestions`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A banner: `{"type": "banner", "text", "status": "success" | "failure"}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Banner {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Text.
    pub text: String,
    /// `success` or `failure`.
    pub status: &'static str,
}

impl Banner {
    /// A success banner.
    pub fn success(text: impl Into<String>) -> Banner {
        Banner {
            kind: "banner",
            text: text.into(),
            status: "success",
        }
    }

    /// A failure banner.
    pub fn failure(text: impl Into<String>) -> Banner {
        Banner {
            kind: "banner",
            text: text.into(),
            status: "failure",
        }
    }
}

/// What goes under `output` in the response.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A JSON value.
    Json(Value),
    /// Nothing (call handlers, `()`): `{"output": {}}`.
    Empty,
    /// The handler failed; logged, answered with a 500 JSON error.
    Failed(String),
}

impl Output {
    /// The response body: `{"output": …}`.
    pub fn to_body(&self) -> Value {
        match self {
            Output::Json(v) => serde_json::json!({ "output": v }),
            Output::Empty | Output::Failed(_) => serde_json::json!({ "output": {} }),
        }
    }
}

/// Handler return types: `Reply`, `String`/`&str` (text), [`Banner`],
/// `serde_json::Value` (sent as is), `()` (nothing), `Option<T>`, and
/// `Result<T, E: Display>` (an `Err` is logged and answered with a 500 JSON error).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Cliq handler return type",
    note = "return `Reply`, `String`, `&'static str`, `Banner`, `serde_json::Value`, `()`, or an `Option`/`Result` of one"
)]
pub trait IntoReply {
    /// Converts into the response output.
    fn into_reply(self) -> Output;
}

fn json<T: Serialize>(value: &T) -> Output {
    match serde_json::to_value(value) {
        Ok(v) => Output::Json(v),
        Err(e) => Output::Failed(format!("reply did not serialize: {e}")),
    }
}

impl IntoReply for Reply {
    fn into_reply(self) -> Output {
        json(&self)
    }
}

impl IntoReply for Banner {
    fn into_reply(self) -> Output {
        json(&self)
    }
}

impl IntoReply for String {
    fn into_reply(self) -> Output {
        Reply::text(self).into_reply()
    }
}

impl IntoReply for &'static str {
    fn into_reply(self) -> Output {
        Reply::text(self).into_reply()
    }
}

impl IntoReply for Value {
    fn into_reply(self) -> Output {
        Output::Json(self)
    }
}

impl IntoReply for () {
    fn into_reply(self) -> Output {
        Output::Empty
    }
}

impl<T: IntoReply> IntoReply for Option<T> {
    fn into_reply(self) -> Output {
        match self {
            Some(t) => t.into_reply(),
            None => Output::Empty,
        }
    }
}

impl<T: IntoReply, E: std::fmt::Display> IntoReply for Result<T, E> {
    fn into_reply(self) -> Output {
        match self {
            Ok(t) => t.into_reply(),
            Err(e) => Output::Failed(e.to_string()),
        }
    }
}
