//! Errors: [`Rejection`] (a request the bot refuses, answered with a 4xx/5xx JSON error) and
//! [`BotError`] (a bot assembled wrongly, reported when it is built).

use http::StatusCode;

/// Why a request was refused. The response body is
/// `{"error": {"code": "<code>", "message": "<message>"}}`, and no handler runs for any
/// variant except [`Rejection::HandlerFailed`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// Body larger than the configured limit (413).
    #[error("request body exceeds the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The configured limit.
        limit: usize,
    },
    /// Shared secret or signature check failed (401).
    #[error("{0}")]
    Unauthorized(String),
    /// Not JSON, or JSON of the wrong shape (400).
    #[error("malformed request body: {0}")]
    MalformedJson(String),
    /// `type` is none of the components served (`bot`, `command`, `messageaction`,
    /// `function`) (400).
    #[error("unsupported component type `{0}`; this endpoint serves bots, commands, message actions and functions")]
    UnsupportedComponent(String),
    /// No handler type in the envelope (400).
    #[error("the request names no handler type (`handler.type`)")]
    MissingHandlerType,
    /// A handler type that is in neither vocabulary (400).
    #[error("unknown handler type `{0}`")]
    UnknownHandlerType(String),
    /// A handler type this app has no handler for (404).
    #[error("this app has no `{0}`")]
    HandlerNotRegistered(String),
    /// A menu action this bot does not have (404).
    #[error("this bot has no menu action named `{0}`")]
    UnknownMenuAction(String),
    /// A bot request whose `unique_name` names none of the bots this app serves, when its
    /// bot handlers name their bot (`bot = "..."`) (404).
    #[error("this app serves no bot named `{0}`")]
    UnknownBot(String),
    /// A command, message action or function this app does not serve, by the request's
    /// `name` (404).
    #[error("this app serves no {component} named `{name}` with a `{handler_type}`")]
    UnknownComponent {
        /// The component kind (`function`).
        component: &'static str,
        /// The handler type.
        handler_type: &'static str,
        /// The name the request carries.
        name: String,
    },
    /// No `params` object (400).
    #[error("the request has no `params` object")]
    MissingParams,
    /// Data the handler needs is absent: permission not configured in Cliq, or withheld by
    /// the user's consent (400).
    #[error("the request carries no `{field}`{hint}")]
    MissingContext {
        /// The missing field.
        field: &'static str,
        /// Extra explanation.
        hint: &'static str,
    },
    /// A field is present but unusable (400).
    #[error("invalid `{field}`: {detail}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// Signature verification is on and the envelope's `timestamp` is missing or lies outside
    /// the replay window around now (401; see [`crate::BotBuilder::replay_window`]).
    #[error("stale request: {0}")]
    StaleRequest(String),
    /// Signature verification is on and this exact signature was already accepted within the
    /// replay window: a repeated delivery (409).
    #[error("repeated delivery: this signature was already accepted")]
    ReplayedRequest,
    /// The handler returned an error or panicked (500). The detail is logged, not sent.
    #[error("the handler failed")]
    HandlerFailed,
    /// The handler did not answer within Cliq's reply budget and the request carried no
    /// usable `response_url` to answer through later (504); the handler is dropped.
    #[error("the handler did not answer in time and there is no response_url to answer later")]
    HandlerTimedOut,
    /// A submitted form whose values do not read into the handler's
    /// [`Submission`](crate::extract::Submission) type: answered `200` with the form's errors
    /// (the JSON of Cliq's `form_error` reply, kept here as text), so Cliq shows them on the
    /// form; the handler does not run.
    #[error("the form's values were refused: {0}")]
    InvalidSubmission(String),
    /// A handler takes a [`CliqClient`](crate::extract::CliqClient) and none can be made: the
    /// bot has no credentials, or its client could not be built (500). The detail is logged
    /// and sent.
    #[error("{0}")]
    ClientUnavailable(String),
}

impl Rejection {
    /// HTTP status for this rejection.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::Unauthorized(_) | Rejection::StaleRequest(_) => StatusCode::UNAUTHORIZED,
            Rejection::ReplayedRequest => StatusCode::CONFLICT,
            Rejection::HandlerNotRegistered(_)
            | Rejection::UnknownMenuAction(_)
            | Rejection::UnknownBot(_)
            | Rejection::UnknownComponent { .. } => StatusCode::NOT_FOUND,
            Rejection::HandlerFailed | Rejection::ClientUnavailable(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Rejection::HandlerTimedOut => StatusCode::GATEWAY_TIMEOUT,
            Rejection::InvalidSubmission(_) => StatusCode::OK,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::PayloadTooLarge { .. } => "payload_too_large",
            Rejection::Unauthorized(_) => "unauthorized",
            Rejection::MalformedJson(_) => "malformed_json",
            Rejection::UnsupportedComponent(_) => "unsupported_component",
            Rejection::MissingHandlerType => "missing_handler_type",
            Rejection::UnknownHandlerType(_) => "unknown_handler_type",
            Rejection::HandlerNotRegistered(_) => "handler_not_registered",
            Rejection::UnknownMenuAction(_) => "unknown_menu_action",
            Rejection::UnknownBot(_) => "unknown_bot",
            Rejection::UnknownComponent { .. } => "unknown_component",
            Rejection::MissingParams => "missing_params",
            Rejection::MissingContext { .. } => "missing_context",
            Rejection::InvalidField { .. } => "invalid_field",
            Rejection::StaleRequest(_) => "stale_request",
            Rejection::ReplayedRequest => "replayed_request",
            Rejection::HandlerFailed => "handler_failed",
            Rejection::HandlerTimedOut => "handler_timed_out",
            Rejection::ClientUnavailable(_) => "client_unavailable",
            Rejection::InvalidSubmission(_) => "invalid_submission",
        }
    }

    /// The JSON body: the error, or for [`Rejection::InvalidSubmission`] the form's errors as
    /// a reply (`{"output": {"type": "form_error", …}}`).
    pub fn to_json(&self) -> serde_json::Value {
        if let Rejection::InvalidSubmission(reply) = self {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(reply) {
                return serde_json::json!({ "output": value });
            }
        }
        serde_json::json!({ "error": { "code": self.code(), "message": self.to_string() } })
    }

    pub(crate) fn missing(field: &'static str) -> Rejection {
        Rejection::MissingContext {
            field,
            hint: " (is the permission declared, and did the user consent?)",
        }
    }
}

/// A bot assembled against Cliq's rules; returned by [`crate::BotBuilder::build`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BotError {
    /// Two handlers of the same non-menu type.
    #[error("`{first}` and `{second}` are both a `{handler_type}`; a bot has one handler per type (menu handlers excepted)")]
    DuplicateHandler {
        /// Handler type.
        handler_type: &'static str,
        /// The function registered first.
        first: &'static str,
        /// The function registered second.
        second: &'static str,
    },
    /// Two handlers of the same type for one command, message action or function.
    #[error("`{first}` and `{second}` are both the `{handler_type}` of the {component} `{name}`")]
    DuplicateComponentHandler {
        /// The component kind (`function`).
        component: &'static str,
        /// Handler type.
        handler_type: &'static str,
        /// The component's name.
        name: &'static str,
        /// The function registered first.
        first: &'static str,
        /// The function registered second.
        second: &'static str,
    },
    /// Two menu actions with the same name.
    #[error("menu actions `{first}` and `{second}` are both named `{name}`")]
    DuplicateMenuName {
        /// The name.
        name: &'static str,
        /// The function registered first.
        first: &'static str,
        /// The function registered second.
        second: &'static str,
    },
    /// More menu actions than Cliq allows per bot.
    #[error("{count} menu actions; a bot has at most {max}")]
    TooManyMenuActions {
        /// How many were registered.
        count: usize,
        /// The limit, [`rules::MENU_ACTIONS_PER_BOT_MAX`](crate::rules::MENU_ACTIONS_PER_BOT_MAX)
        /// (read from the spec by the generator).
        max: usize,
    },
    /// A bot handler that names no bot in an app whose other bot handlers do: with
    /// `bot = "..."` on one, every bot handler says which bot it belongs to.
    #[error("`{function}` names no bot, but `{named}` belongs to the bot `{bot}`; in an app serving several bots, give every bot handler its bot's unique name (`bot = \"...\"`)")]
    UnnamedBotHandler {
        /// The handler that names no bot.
        function: &'static str,
        /// A handler that names one.
        named: &'static str,
        /// The bot it names.
        bot: &'static str,
    },
    /// A public key that can't be read.
    #[error("invalid signature public key: {0}")]
    InvalidPublicKey(String),
}
