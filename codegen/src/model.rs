//! The intermediate model: every name decided, every type resolved.
//!
//! Built once by `lower`, read by every emitter. Nothing here knows about `openapiv3` or
//! `quote`.

/// A whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Model {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, as safe Markdown.
    pub doc: Option<String>,
    /// Named types, in a stable order (components first, in document order, then inline types
    /// in the order they were met).
    pub types: Vec<TypeDef>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Handler rules, when the document has handler operations with a handler-type enum.
    pub handler_rules: Option<HandlerRules>,
    /// Request and response examples with the type each must fit.
    pub examples: Vec<Example>,
    /// Path of the runtime crate (`::cliq_runtime`), for the runtime types the models use
    /// (`FilePart`).
    pub runtime_path: String,
}

/// A reference to a Rust type the generated code uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// An integer type (`i64`, `u32`, …).
    Int(&'static str),
    /// `f64`.
    Float,
    /// `serde_json::Value`: anything.
    Json,
    /// A type defined in `types`.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`; `serde_json::Map` when `T` is `Json`.
    Map(Box<TypeRef>),
    /// `Box<T>`, to break a recursive type.
    Boxed(Box<TypeRef>),
    /// `Vec<u8>`: a binary body (`application/octet-stream`, images, …), sent and read raw.
    Bytes,
    /// `String` read or sent as raw text (`text/plain`, …), not as JSON.
    Text,
    /// `Option<T>`: a `nullable` array item or map value.
    Nullable(Box<TypeRef>),
    /// A Rust type outside the generated crate, by path (`Settings::with_type_replacement`).
    External(String),
    /// A file part of a `multipart/form-data` body (`format: binary`): the runtime's
    /// `FilePart` (bytes, file name, content type).
    File,
}

/// A named type to emit.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Wire/spec name or where it came from, for docs.
    pub origin: String,
    /// JSON pointer of the schema.
    pub pointer: String,
    /// Docs (safe Markdown).
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object.
    Struct {
        /// Declared properties.
        fields: Vec<Field>,
        /// Value type of properties the spec does not declare (kept, flattened);
        /// `None` when the spec forbids them.
        extra: Option<TypeRef>,
    },
    /// A string enum with an `Unknown(String)` fallback.
    Enum {
        /// Known values.
        variants: Vec<Variant>,
    },
    /// `oneOf`/`anyOf`: alternatives with a `Json` fallback. Without a discriminator they
    /// are untagged, tried in order; with one, the tag property picks the alternative.
    OneOf {
        /// (variant name, type).
        variants: Vec<(String, TypeRef)>,
        /// The discriminator, when the spec gives one and every alternative has a tag.
        discriminator: Option<Discriminator>,
    },
    /// A `multipart/form-data` request body: one part per field (text, JSON or file). Not a
    /// serde type: the client turns it into parts.
    Multipart {
        /// Declared properties (files are [`TypeRef::File`]).
        fields: Vec<Field>,
    },
    /// A tuple (OpenAPI 3.1 `prefixItems`): a tuple struct `Name(A, B, …)` that reads and
    /// writes a JSON array, element by element; with `rest`, a last field
    /// `Vec<rest>` holds the elements after the fixed ones.
    Tuple {
        /// The fixed elements, in order (nullable ones are [`TypeRef::Nullable`]).
        elements: Vec<TypeRef>,
        /// Type of the elements after the fixed ones; `None` when the spec allows none.
        rest: Option<TypeRef>,
    },
    /// `pub type Name = T;`
    Alias(TypeRef),
}

/// How a tagged `oneOf`/`anyOf` tells its alternatives apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// The tag property (`discriminator.propertyName`).
    pub property: String,
    /// For each variant (same order as the variants), its tag values; the first is the one
    /// written when serializing.
    pub tags: Vec<Vec<String>>,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (may be `r#type`).
    pub rust_name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Type (without the `Option` for non-required fields).
    pub ty: TypeRef,
    /// Whether the spec requires it (and it is not nullable).
    pub required: bool,
    /// `#[serde(flatten)]` (an `allOf` part).
    pub flatten: bool,
    /// Docs.
    pub doc: Option<String>,
}

/// An enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub rust_name: String,
    /// Value on the wire.
    pub wire: String,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name (`snake_case`).
    pub fn_name: String,
    /// Constant name for its metadata.
    pub const_name: String,
    /// Name of the `<Op>ErrorCode` enum.
    pub error_enum: String,
    /// Name of the `<Op>Params` struct, when it has query parameters.
    pub params_struct: Option<String>,
    /// Wire operationId.
    pub operation_id: String,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// The path template, parsed once.
    pub segments: Vec<crate::path_template::Segment>,
    /// Docs.
    pub doc: Option<String>,
    /// Path parameters in template order.
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters: the fields of the params struct.
    pub query: Vec<Param>,
    /// JSON request body.
    pub body: Option<Body>,
    /// What a success looks like.
    pub response: Response,
    /// Documented error codes, with Rust variant names.
    pub error_codes: Vec<(String, ErrorCodeDoc)>,
    /// OAuth scopes.
    pub scopes: Vec<String>,
    /// Documented rate limit.
    pub rate_limit: Option<RateLimitDoc>,
    /// `next_token` pagination, when the operation has it.
    pub pagination: Option<Pagination>,
    /// Documented error response bodies (4xx, 5xx, and `default` when a 2xx is declared).
    pub error_body: Option<ErrorBody>,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status (`404`).
    Code(u16),
    /// A class (`4XX`): the first digit.
    Range(u16),
    /// `default`: any status not otherwise declared.
    Default,
}

/// The typed error bodies of an operation.
#[derive(Debug, Clone)]
pub struct ErrorBody {
    /// Name of the enum of the bodies when statuses have different types; `None` when every
    /// error status has the same type.
    pub enum_name: Option<String>,
    /// (statuses, variant name, type), most specific first: codes, then ranges, then `default`.
    pub cases: Vec<(StatusMatch, String, TypeRef)>,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// As an HTTP header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Where it is sent.
    pub location: ParamLocation,
    /// Rust name.
    pub rust_name: String,
    /// Wire name.
    pub wire_name: String,
    /// Type.
    pub ty: TypeRef,
    /// Path-parameter override type from the settings (e.g. `cliq_runtime::BotName`).
    pub custom: Option<String>,
    /// Required.
    pub required: bool,
    /// Docs.
    pub doc: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Raw bytes or text, sent with this content type.
    Raw(String),
    /// `multipart/form-data`: the body type is a [`TypeKind::Multipart`] struct, or
    /// [`TypeRef::Json`] when the spec declares no parts (the caller passes the runtime's
    /// `Multipart` form).
    Multipart,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Type.
    pub ty: TypeRef,
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Required.
    pub required: bool,
}

/// The success side of an operation.
#[derive(Debug, Clone)]
pub enum Response {
    /// One success type for every 2xx (`None`: no body, returns `()`).
    Single(Option<TypeRef>),
    /// Different types per status: an enum named `name`.
    ByStatus {
        /// Enum name.
        name: String,
        /// (status, variant name, type).
        variants: Vec<(u16, String, Option<TypeRef>)>,
    },
}

/// `next_token` pagination.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The response type.
    pub page_type: String,
    /// Field holding the items.
    pub items_field: String,
    /// Item type.
    pub item: TypeRef,
    /// Field holding the next token; `None`: the spec does not declare it, read it from `extra`.
    pub token_field: Option<String>,
    /// Field holding the sync token, when declared.
    pub sync_field: Option<String>,
    /// Query param field for the token (in the params struct).
    pub token_param: String,
    /// Type of the token query parameter (a string or any other scalar).
    pub token_type: TypeRef,
    /// Name of the `*_stream` method, checked for collisions in lowering.
    pub stream_fn: String,
}

/// One handler type and the permissions it may request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerRule {
    /// Name in the `HANDLER_TYPE` enum.
    pub handler_type: String,
    /// Name in the permissions table.
    pub table_name: String,
    /// Allowed permissions.
    pub permissions: Vec<String>,
    /// What fires it, from the `HANDLER_TYPE` parameter's "Allowed values" list.
    pub description: Option<String>,
}

/// Which component a rules document is about, read from the path of its handler operations
/// (`/commands/{SLASH_COMMAND_ID}/handlers/{COMMAND_HANDLER_TYPE}` → `commands`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentName {
    /// The management API's collection segment: `bots`, `commands`, `messageactions`, `functions`.
    pub api_path: String,
    /// The request's `type` on the wire: the segment's singular (`messageaction`).
    pub wire: String,
    /// Its name in Rust and in `#[cliq_handler(component = ...)]` (`message_action`): the wire
    /// name, or its entry in [`COMPONENT_NAMES`].
    pub name: String,
}

/// Where a document states the permissions of its handler types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionsSource {
    /// A "Permissions availability per/by handler type" table in this operation description.
    Table {
        /// JSON pointer of the description.
        pointer: String,
    },
    /// No such table: every handler type may request the values of this enum (the handler
    /// schema's `permissions` items), which the prose says apply to all of them.
    SchemaEnum {
        /// JSON pointer of the enum.
        pointer: String,
    },
}

/// Everything the `#[cliq_handler]` macro checks about one component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerRules {
    /// The component the document's handlers belong to.
    pub component: ComponentName,
    /// Where the permissions came from.
    pub permissions_source: PermissionsSource,
    /// Permission names, in table order.
    pub permissions: Vec<String>,
    /// One rule per handler type, in enum order.
    pub handlers: Vec<HandlerRule>,
    /// Most permissions one handler may request.
    pub max_permissions: usize,
    /// Longest menu name.
    pub menu_name_max_chars: usize,
    /// Most sub-actions of one menu action.
    pub menu_sub_actions_max: usize,
    /// Longest sub-action name.
    pub menu_sub_action_name_max_chars: usize,
    /// Most menu actions per bot.
    pub menu_actions_per_bot_max: usize,
}

/// Other names Cliq uses for handler types, as `(component wire name, other name, handler
/// type)`. The one list of these names: lowering matches table rows with it and the rules
/// crate (`cliq-rules`) carries it for the wire. Sources (docs/webhook-protocol.md):
/// - the Bots permissions table calls call handlers `alert_handler`;
/// - Zoho's SDK and Catalyst CLI samples (`templates/event/integ/cliq/`) send
///   `action_handler`, `incomingwebhook_handler` (bots), and for functions `form_handler`
///   (the submission: `form.action` is `submit`), `form_values_handler` (a dynamic select's
///   options: `form.action` is `input`, `target.query` the typed text) and
///   `applet_button_handler` (a widget button).
pub const HANDLER_TYPE_ALIASES: &[(&str, &str, &str)] = &[
    ("bot", "alert_handler", "call_handler"),
    ("bot", "action_handler", "menu_handler"),
    ("bot", "incomingwebhook_handler", "incoming_webhook_handler"),
    ("function", "form_handler", "form_submit_handler"),
    (
        "function",
        "form_values_handler",
        "form_dynamic_select_handler",
    ),
    ("function", "applet_button_handler", "widget_button_handler"),
];

/// Component names in Rust where the wire name is not already one: `(wire, name)`.
pub const COMPONENT_NAMES: &[(&str, &str)] = &[("messageaction", "message_action")];

/// An example in the spec and the Rust type it must (de)serialize as.
#[derive(Debug, Clone)]
pub struct Example {
    /// JSON pointer of the example value.
    pub pointer: String,
    /// Type.
    pub ty: TypeRef,
}

/// One documented error code of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeDoc {
    /// The code as Cliq sends it, e.g. `bot_name_already_exists`.
    pub code: String,
    /// What the table says it means.
    pub description: String,
}

/// A rate limit as Zoho documents it in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitDoc {
    /// Requests allowed per window.
    pub requests: u32,
    /// Window length in seconds.
    pub window_secs: u64,
    /// Who the limit applies to ("user", "organization", …), verbatim; empty if unstated.
    pub per: String,
    /// Lock period in seconds, when documented.
    pub lock_period_secs: Option<u64>,
}
