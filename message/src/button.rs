//! Buttons: a label, a style, and an [`Action`] with its data and an optional [`Confirm`]
//! dialog. Shapes from `buttons.yml` and `messagecards.yml` (`CardButton`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::limits::{self, LimitErrors};
use crate::wire::{string_enum, WireBool};

string_enum! {
    /// A button's look (`type`): `+` positive (green outline) or `-` negative (red outline).
    pub enum ButtonStyle {
        /// `+`
        Positive = "+",
        /// `-`
        Negative = "-",
    }
}

string_enum! {
    /// The look of a confirmation dialog; Cliq's default is positive.
    pub enum Emotion {
        /// `positive`
        Positive = "positive",
        /// `neutral`
        Neutral = "neutral",
        /// `negative`
        Negative = "negative",
    }
}

/// A button.
///
/// One constructor per action:
///
/// ```
/// use cliq_message::{Button, ButtonStyle, ExternalFunction, SystemApi};
/// // open.url
/// let open = Button::open_url("Docs", "https://example.com/docs");
/// // invoke.function: a `#[cliq_handler]` function handler, or an explicit external function
/// let run = Button::invoke("Approve", ExternalFunction("approve")).style(ButtonStyle::Positive);
/// // system.api
/// let call = Button::system_api("Call", SystemApi::AudioCall("55743307".into()));
/// // preview.url
/// let preview = Button::preview_url("Watch", "https://example.com/video");
/// // copy
/// let copy = Button::copy("Copy ID", "SALES-2024").hint("Copies the event ID");
/// assert_eq!(serde_json::to_value(&run).unwrap()["action"]["data"]["name"], "approve");
/// assert_eq!(serde_json::to_value(&call).unwrap()["action"]["data"]["api"], "audiocall/55743307");
/// # let _ = (open, preview, copy);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Button {
    /// What the button says.
    pub label: String,
    /// Its look (`type`: `+` or `-`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ButtonStyle>,
    /// A tooltip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Tells the buttons of a message apart in the function a click invokes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What a click does.
    pub action: Action,
    /// Arguments an `invoke.function` button passes to the function it invokes (any key-value
    /// pairs; `buttons.yml`, the button object's `arguments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Map<String, Value>>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Button {
    /// A button with a label and an action.
    pub fn new(label: impl Into<String>, action: Action) -> Button {
        Button {
            label: label.into(),
            style: None,
            hint: None,
            key: None,
            action,
            arguments: None,
            extra: Map::new(),
        }
    }

    /// With `arguments` for the function an `invoke.function` button invokes (it receives them
    /// with the click).
    pub fn arguments(mut self, arguments: Map<String, Value>) -> Button {
        self.arguments = Some(arguments);
        self
    }

    /// Opens `url` in the browser (`open.url`).
    pub fn open_url(label: impl Into<String>, url: impl Into<String>) -> Button {
        Button::new(label, Action::open_url(url))
    }

    /// Invokes a Cliq function (`invoke.function`): a handler of this crate's users (anything
    /// implementing [`FunctionTarget`]) or, explicitly, an [`ExternalFunction`].
    pub fn invoke(label: impl Into<String>, target: impl FunctionTarget) -> Button {
        Button::new(label, Action::invoke(target))
    }

    /// Shows `url` in Cliq's preview panel (`preview.url`).
    pub fn preview_url(label: impl Into<String>, url: impl Into<String>) -> Button {
        Button::new(label, Action::preview_url(url))
    }

    /// Runs a Cliq system action (`system.api`), e.g. [`SystemApi::AudioCall`].
    pub fn system_api(label: impl Into<String>, api: SystemApi) -> Button {
        Button::new(label, Action::system_api(api))
    }

    /// Copies `text` to the clipboard (`copy`).
    pub fn copy(label: impl Into<String>, text: impl Into<String>) -> Button {
        Button::new(label, Action::copy(text))
    }

    /// Sets the look.
    pub fn style(mut self, style: ButtonStyle) -> Button {
        self.style = Some(style);
        self
    }

    /// Sets the tooltip.
    pub fn hint(mut self, hint: impl Into<String>) -> Button {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<String>) -> Button {
        self.key = Some(key.into());
        self
    }

    /// Asks for confirmation before the action runs.
    pub fn confirm(mut self, confirm: Confirm) -> Button {
        self.action = self.action.confirm(confirm);
        self
    }

    /// Every limit this button breaks; `label` is the label limit of where it sits
    /// ([`limits::BUTTON_LABEL`] in a card, [`limits::MESSAGE_BUTTON_LABEL`] on a message).
    pub fn validate_as(&self, label: limits::Limit) -> Result<(), LimitErrors> {
        let mut e = LimitErrors::default();
        e.str(label, "/label", &self.label);
        e.opt(limits::BUTTON_HINT, "/hint", &self.hint);
        e.opt(limits::BUTTON_KEY, "/key", &self.key);
        e.nest("/action", self.action.limit_errors());
        e.into_result()
    }
}

/// A Cliq function a button or form invokes, by name.
///
/// `#[cliq_handler]` implements it for function handlers, so a button names its handler as a
/// value the compiler checks; [`ExternalFunction`] names any other function explicitly.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Cliq function this app serves",
    label = "not a function handler's item",
    note = "a button or form invokes a function: pass the item `name {{}}` of a `#[cliq_handler(component = function, ...)]` handler, or `ExternalFunction(\"name\")` / `ExternalFunction::new(name)` for a function served elsewhere"
)]
pub trait FunctionTarget {
    /// The function's name in Cliq.
    fn function_name(&self) -> &str;
}

/// A Cliq function this program does not define, named explicitly: the escape hatch of
/// [`FunctionTarget`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalFunction<S = &'static str>(pub S);

impl ExternalFunction<String> {
    /// A function named at run time.
    pub fn new(name: impl Into<String>) -> ExternalFunction<String> {
        ExternalFunction(name.into())
    }
}

impl<S: AsRef<str>> FunctionTarget for ExternalFunction<S> {
    fn function_name(&self) -> &str {
        self.0.as_ref()
    }
}

impl<T: FunctionTarget + ?Sized> FunctionTarget for &T {
    fn function_name(&self) -> &str {
        (**self).function_name()
    }
}

/// What a button click does, by `type`. Anything else (or a known type whose data does not
/// have the documented shape) is [`Action::Other`], kept as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Action {
    /// `open.url`: opens a URL in the browser.
    #[serde(rename = "open.url")]
    OpenUrl(ActionBody<OpenUrl>),
    /// `invoke.function`: invokes a Cliq function.
    #[serde(rename = "invoke.function")]
    InvokeFunction(ActionBody<InvokeFunction>),
    /// `system.api`: a Cliq system action (call, chat, invite…).
    #[serde(rename = "system.api")]
    SystemApi(ActionBody<SystemApiData>),
    /// `preview.url`: shows a URL in Cliq's preview panel.
    #[serde(rename = "preview.url")]
    PreviewUrl(ActionBody<PreviewUrl>),
    /// `copy`: copies text to the clipboard.
    #[serde(rename = "copy")]
    Copy(ActionBody<CopyText>),
    /// `invoke.bot`: sends a message to a bot (`messagecards.yml` only).
    #[serde(rename = "invoke.bot")]
    InvokeBot(ActionBody<InvokeBot>),
    /// Anything else, as sent.
    #[serde(untagged)]
    Other(Value),
}

/// An action's `data` and optional `confirm` dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionBody<D> {
    /// The action's data; its shape depends on the action.
    pub data: D,
    /// A dialog shown before the action runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Confirm>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<D> ActionBody<D> {
    /// Data without a dialog.
    pub fn new(data: D) -> ActionBody<D> {
        ActionBody {
            data,
            confirm: None,
            extra: Map::new(),
        }
    }
}

/// `open.url` data: the URL, and optional per-platform URLs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OpenUrl {
    /// The URL (`http`, `https`, `tel`, `sms`, `sip`).
    pub web: String,
    /// On Windows mobile devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows: Option<String>,
    /// On iOS.
    #[serde(rename = "iOS", default, skip_serializing_if = "Option::is_none")]
    pub ios: Option<String>,
    /// On Android.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub android: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `invoke.function` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InvokeFunction {
    /// The function's name.
    pub name: String,
    /// Email of the function's owner (needed when another user created it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `system.api` data: `api` is `audiocall/{zuid}`, `videocall/{zuid}`, `startchat/{zuid}`,
/// `invite/{zuid}` or `locationpermission` ([`SystemApi`] builds them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SystemApiData {
    /// The system action and its user.
    pub api: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The system actions `buttons.yml` lists, with the user they act on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SystemApi {
    /// `audiocall/{zuid}`
    AudioCall(String),
    /// `videocall/{zuid}`
    VideoCall(String),
    /// `startchat/{zuid}`
    StartChat(String),
    /// `invite/{zuid}`
    Invite(String),
    /// `locationpermission`
    LocationPermission,
}

impl SystemApi {
    /// The `api` string.
    pub fn to_wire(&self) -> String {
        match self {
            SystemApi::AudioCall(z) => format!("audiocall/{z}"),
            SystemApi::VideoCall(z) => format!("videocall/{z}"),
            SystemApi::StartChat(z) => format!("startchat/{z}"),
            SystemApi::Invite(z) => format!("invite/{z}"),
            SystemApi::LocationPermission => "locationpermission".to_string(),
        }
    }
}

/// `preview.url` data. `buttons.yml`'s table names the field `url`, Zoho's other pages `web`:
/// both read, and both are written back as they came; [`Action::preview_url`] writes `url`
/// (what `buttons.yml`'s example sends).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PreviewUrl {
    /// The URL (`buttons.yml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The URL, as other Zoho pages name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `copy` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CopyText {
    /// What is copied.
    pub text: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `invoke.bot` data (`messagecards.yml`'s `CardButton` only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InvokeBot {
    /// The bot.
    pub bot_name: String,
    /// The message sent to it.
    pub message: String,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A confirmation dialog shown before an action runs (`action.confirm`, `buttons.yml`).
///
/// ```
/// use cliq_message::{Button, Confirm, Emotion, ExternalFunction};
/// let b = Button::invoke("Delete", ExternalFunction("delete_all"))
///     .confirm(Confirm::new("Delete everything?", "Delete").emotion(Emotion::Negative));
/// # let _ = b;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Confirm {
    /// Title.
    pub title: String,
    /// Message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Prompt of an input field in the dialog (the spec marks it required; Cliq's examples
    /// omit it when no input is wanted, so it is optional here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Look.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<Emotion>,
    /// Label of the confirming button.
    pub button_label: String,
    /// Label of the cancel button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_button_label: Option<String>,
    /// Whether the input is required. The spec's enum is the strings `'true'`/`'false'`;
    /// booleans are read too (see [`WireBool`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<WireBool>,
    /// Any other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Confirm {
    /// A dialog with a title and a confirming button.
    pub fn new(title: impl Into<String>, button_label: impl Into<String>) -> Confirm {
        Confirm {
            title: title.into(),
            button_label: button_label.into(),
            ..Confirm::default()
        }
    }

    /// Sets the message.
    pub fn description(mut self, description: impl Into<String>) -> Confirm {
        self.description = Some(description.into());
        self
    }

    /// Asks for input, required or not (written as the spec's string `"true"`/`"false"`).
    pub fn input(mut self, prompt: impl Into<String>, mandatory: bool) -> Confirm {
        self.input = Some(prompt.into());
        self.mandatory = Some(WireBool::quoted(mandatory));
        self
    }

    /// Sets the look.
    pub fn emotion(mut self, emotion: Emotion) -> Confirm {
        self.emotion = Some(emotion);
        self
    }

    /// Sets the cancel button's label.
    pub fn cancel_button_label(mut self, label: impl Into<String>) -> Confirm {
        self.cancel_button_label = Some(label.into());
        self
    }

    fn limit_errors(&self) -> LimitErrors {
        let mut e = LimitErrors::default();
        e.str(limits::CONFIRM_TITLE, "/title", &self.title);
        e.opt(
            limits::CONFIRM_DESCRIPTION,
            "/description",
            &self.description,
        );
        e.opt(limits::CONFIRM_INPUT, "/input", &self.input);
        e.str(
            limits::CONFIRM_BUTTON_LABEL,
            "/button_label",
            &self.button_label,
        );
        e.opt(
            limits::CONFIRM_BUTTON_LABEL,
            "/cancel_button_label",
            &self.cancel_button_label,
        );
        e
    }
}

impl Action {
    /// `open.url`.
    pub fn open_url(url: impl Into<String>) -> Action {
        Action::OpenUrl(ActionBody::new(OpenUrl {
            web: url.into(),
            ..OpenUrl::default()
        }))
    }

    /// `invoke.function` of a [`FunctionTarget`].
    pub fn invoke(target: impl FunctionTarget) -> Action {
        Action::InvokeFunction(ActionBody::new(InvokeFunction {
            name: target.function_name().to_string(),
            ..InvokeFunction::default()
        }))
    }

    /// `preview.url` (written with `url`, as `buttons.yml`'s example does).
    pub fn preview_url(url: impl Into<String>) -> Action {
        Action::PreviewUrl(ActionBody::new(PreviewUrl {
            url: Some(url.into()),
            ..PreviewUrl::default()
        }))
    }

    /// `system.api`.
    pub fn system_api(api: SystemApi) -> Action {
        Action::SystemApi(ActionBody::new(SystemApiData {
            api: api.to_wire(),
            extra: Map::new(),
        }))
    }

    /// `copy`.
    pub fn copy(text: impl Into<String>) -> Action {
        Action::Copy(ActionBody::new(CopyText {
            text: text.into(),
            extra: Map::new(),
        }))
    }

    /// Adds a confirmation dialog (an [`Action::Other`] gets it as its `confirm` field when
    /// it is an object).
    pub fn confirm(self, confirm: Confirm) -> Action {
        fn set<D>(mut b: ActionBody<D>, c: Confirm) -> ActionBody<D> {
            b.confirm = Some(c);
            b
        }
        match self {
            Action::OpenUrl(b) => Action::OpenUrl(set(b, confirm)),
            Action::InvokeFunction(b) => Action::InvokeFunction(set(b, confirm)),
            Action::SystemApi(b) => Action::SystemApi(set(b, confirm)),
            Action::PreviewUrl(b) => Action::PreviewUrl(set(b, confirm)),
            Action::Copy(b) => Action::Copy(set(b, confirm)),
            Action::InvokeBot(b) => Action::InvokeBot(set(b, confirm)),
            Action::Other(mut v) => {
                if let (Some(o), Ok(c)) = (v.as_object_mut(), serde_json::to_value(confirm)) {
                    o.insert("confirm".into(), c);
                }
                Action::Other(v)
            }
        }
    }

    fn limit_errors(&self) -> LimitErrors {
        let mut e = LimitErrors::default();
        let confirm = match self {
            Action::OpenUrl(b) => {
                e.str(limits::URL, "/data/web", &b.data.web);
                for (k, v) in [
                    ("windows", &b.data.windows),
                    ("iOS", &b.data.ios),
                    ("android", &b.data.android),
                ] {
                    e.opt(limits::URL, &format!("/data/{k}"), v);
                }
                &b.confirm
            }
            Action::PreviewUrl(b) => {
                e.opt(limits::PREVIEW_URL, "/data/url", &b.data.url);
                e.opt(limits::PREVIEW_URL, "/data/web", &b.data.web);
                &b.confirm
            }
            Action::Copy(b) => {
                e.str(limits::COPY_TEXT, "/data/text", &b.data.text);
                &b.confirm
            }
            Action::InvokeFunction(b) => &b.confirm,
            Action::SystemApi(b) => &b.confirm,
            Action::InvokeBot(b) => &b.confirm,
            Action::Other(_) => &None,
        };
        if let Some(c) = confirm {
            e.nest("/confirm", c.limit_errors());
        }
        e
    }
}
