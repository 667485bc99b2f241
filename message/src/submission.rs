//! Forms from structs: [`CliqForm`] (derived by `#[derive(CliqForm)]`) builds a [`Form`] from a
//! struct's fields and reads a submission back into the struct; a bad value becomes Cliq's
//! per-field form error ([`FormErrors`]), never a failed request.
//!
//! Field type → input kind ([`FormValue`]): `String` → `text`; `bool` → `toggle`; integers and
//! floats → `number` (with `min`/`max`); a `#[derive(CliqChoice)]` enum → `select`;
//! `Vec` of one → `select` with `multiple`; [`Date`] → `date`; [`DateTime`] → `datetime`;
//! [`Location`] → `location`; [`FileUpload`] → `file`; `Option<T>` → `T`'s kind, not
//! mandatory (every other field is mandatory). Field attributes `#[cliq(radio)]`,
//! `#[cliq(checkbox)]`, `#[cliq(textarea)]`, `#[cliq(email)]`, `#[cliq(url)]`,
//! `#[cliq(password)]` pick another kind for the same type.
//!
//! ```
//! use cliq_message::{CliqChoice, CliqForm, ExternalFunction, FormField};
//!
//! #[derive(CliqChoice, Debug, PartialEq)]
//! enum Env {
//!     Staging,
//!     #[cliq(label = "Production (careful)")]
//!     Production,
//! }
//!
//! #[derive(CliqForm, Debug)]
//! #[cliq(title = "Deploy", name = "deploy", button_label = "Deploy")]
//! struct Deploy {
//!     #[cliq(label = "Environment", radio)]
//!     env: Env,
//!     #[cliq(label = "Replicas", min = 1, max = 10)]
//!     replicas: u32,
//!     #[cliq(hint = "Shown in the changelog")]
//!     note: Option<String>,
//! }
//!
//! let form = Deploy::form(ExternalFunction("deploy_submit"));
//! assert_eq!(form.inputs.len(), 3);
//!
//! let values = serde_json::json!({"env": {"label": "Staging", "value": "staging"}, "replicas": "3"});
//! let d = Deploy::from_submission(&values).unwrap();
//! assert_eq!((d.env, d.replicas, d.note), (Env::Staging, 3, None));
//!
//! let bad = serde_json::json!({"env": "moon", "replicas": "40"});
//! let errors = Deploy::from_submission(&bad).unwrap_err();
//! assert_eq!(errors.fields().collect::<Vec<_>>(), ["env", "replicas"]);
//! assert_eq!(DeployField::from_name("note"), Some(DeployField::Note));
//! ```

use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::button::{ExternalFunction, FunctionTarget};
use crate::form::{Form, Input, SelectOption};

/// A struct that is a Cliq form. Derive it: `#[derive(CliqForm)]`.
pub trait CliqForm: Sized {
    /// The fields, for change handlers: `<Struct>Field`, one variant per field.
    type Field: FormField;

    /// The form's title (`#[cliq(title = …)]`, default: the struct's name).
    const TITLE: &'static str;
    /// The form's name (`#[cliq(name = …)]`, default: the struct's name in snake case).
    const NAME: &'static str;

    /// The inputs, one per field, in field order.
    fn inputs() -> Vec<Input>;

    /// The form, its submission invoking `submit`: the function whose `form_submit_handler`
    /// takes `Submission<Self>` (checked by the compiler, [`FormTarget`]), or a function served
    /// elsewhere, named by [`ExternalFunction`].
    fn form(submit: impl FormTarget<Self>) -> Form {
        Self::decorate(Form::new(Self::TITLE, Self::NAME, submit))
    }

    /// Adds the struct-level attributes (hint, button label) and the inputs.
    fn decorate(form: Form) -> Form;

    /// Reads a submission: the form's `values` object as Cliq sends it. Every bad or missing
    /// value is reported, each under its field's name, as Cliq's form error reply.
    fn from_submission(values: &Value) -> Result<Self, FormErrors>;
}

/// A function that receives the submissions of the form `F`: what [`CliqForm::form`] takes,
/// so a derived form and its submit handler are checked against each other.
///
/// `#[cliq_handler(component = function, type = "form_submit_handler", ...)]` implements it
/// for the handler's registration item when the handler takes `Submission<F>` (written so:
/// the macro reads the parameter's type); a button handler, another form's submit handler or
/// a bot handler is not a target, and the form does not compile. [`ExternalFunction`] names
/// a function served elsewhere (Deluge, another service) and targets any form: the escape
/// hatch, unchecked.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not receive `{F}`'s submissions",
    label = "not the submit handler of `{F}`",
    note = "a derived form is submitted to the function whose `form_submit_handler` takes `Submission<{F}>`; a function served elsewhere is named with `ExternalFunction(\"name\")`"
)]
pub trait FormTarget<F>: FunctionTarget {}

impl<F, S: AsRef<str>> FormTarget<F> for ExternalFunction<S> {}

impl<F, T: FormTarget<F> + ?Sized> FormTarget<F> for &T {}

/// The fields of a [`CliqForm`], as a change handler receives them.
pub trait FormField: Sized + Copy + Eq + std::fmt::Debug + 'static {
    /// Every field.
    const ALL: &'static [Self];
    /// Its input's name.
    fn name(&self) -> &'static str;
    /// The field an input name stands for.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// What `#[derive(CliqForm)]` knows of a field.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FieldSpec {
    /// Input name.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// Placeholder.
    pub placeholder: Option<&'static str>,
    /// Hint.
    pub hint: Option<&'static str>,
    /// Whether a value is required (the field is not an `Option`).
    pub mandatory: bool,
    /// Smallest value (numbers).
    pub min: Option<Number>,
    /// Largest value (numbers).
    pub max: Option<Number>,
}

impl FieldSpec {
    /// A spec; the derive fills the rest.
    pub fn new(name: &'static str, label: &'static str, mandatory: bool) -> FieldSpec {
        FieldSpec {
            name,
            label,
            placeholder: None,
            hint: None,
            mandatory,
            min: None,
            max: None,
        }
    }

    /// Sets the placeholder.
    pub fn placeholder(mut self, p: &'static str) -> FieldSpec {
        self.placeholder = Some(p);
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, h: &'static str) -> FieldSpec {
        self.hint = Some(h);
        self
    }

    /// Sets the bounds.
    pub fn bounds(mut self, min: Option<Number>, max: Option<Number>) -> FieldSpec {
        self.min = min;
        self.max = max;
        self
    }

    /// `input` with this spec's label, placeholder, hint and mandatory flag.
    pub fn apply(&self, mut input: Input) -> Input {
        if let Some(p) = self.placeholder {
            input = input.placeholder(p);
        }
        if let Some(h) = self.hint {
            input = input.hint(h);
        }
        input = input.mandatory(self.mandatory);
        if let Some(min) = &self.min {
            input = input.min(min.clone());
        }
        if let Some(max) = &self.max {
            input = input.max(max.clone());
        }
        input
    }
}

/// A field type with a form input kind.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Cliq form input kind",
    label = "no input kind for this type",
    note = "a `#[derive(CliqForm)]` field is a `String`, `bool`, an integer or float, `cliq_message::{{Date, DateTime, Location, FileUpload}}`, a `#[derive(CliqChoice)]` enum, a `Vec` of one, or an `Option` of any of these"
)]
pub trait FormValue: Sized {
    /// Whether the field may be left empty (`Option<T>`).
    const OPTIONAL: bool = false;
    /// The input for this field.
    fn input(spec: &FieldSpec) -> Input;
    /// Reads a submitted value (present, not `null`, not `""`); `Err` says what is wrong, in
    /// words shown to the user.
    fn from_value(value: &Value) -> Result<Self, String>;
    /// The value of a field left empty: `None` when it is required.
    fn missing() -> Option<Self> {
        None
    }
    /// The value as a number, for the field's `min`/`max` (numbers only).
    fn as_number(&self) -> Option<f64> {
        None
    }
    /// Reads this field of a submission (`values`), a bad or missing value recorded in
    /// `errors` under the field's name: what the derive's `from_submission` calls per field.
    /// A method, not a generic function, so a field type with no input kind is one error (on
    /// `FormValue`), not one per use.
    #[doc(hidden)]
    fn read(values: &Value, spec: &FieldSpec, errors: &mut FormErrors) -> Option<Self> {
        read_field(values, spec, errors)
    }
}

/// A unit-variant enum offered as options. Derive it: `#[derive(CliqChoice)]` (each variant's
/// value is its name in snake case, its label its name; `#[cliq(value = …, label = …)]`).
pub trait FormChoice: Sized + 'static {
    /// `(value, label)` per variant.
    const CHOICES: &'static [(&'static str, &'static str)];
    /// The variant of a value.
    fn from_choice(value: &str) -> Option<Self>;
    /// The variant's value.
    fn choice(&self) -> &'static str;
}

/// A field type whose input offers options: a [`FormChoice`] enum, an `Option` or `Vec` of
/// one (what `#[cliq(radio)]` and `#[cliq(checkbox)]` need).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no options to offer",
    note = "`#[cliq(radio)]` and `#[cliq(checkbox)]` need a `#[derive(CliqChoice)]` enum (or an `Option`/`Vec` of one)"
)]
pub trait HasChoices {
    /// The options.
    fn options() -> Vec<SelectOption>;
}

/// A text field (`String` or `Option<String>`: what `#[cliq(textarea)]`, `#[cliq(email)]`,
/// `#[cliq(url)]` and `#[cliq(password)]` need).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a text field",
    note = "`#[cliq(textarea)]`, `#[cliq(email)]`, `#[cliq(url)]` and `#[cliq(password)]` need a `String` or `Option<String>` field"
)]
pub trait TextValue {}
impl TextValue for String {}
impl TextValue for Option<String> {}

fn options_of<E: FormChoice>() -> Vec<SelectOption> {
    E::CHOICES
        .iter()
        .map(|(value, label)| SelectOption::new(*label, *value))
        .collect()
}

impl<E: FormChoice> HasChoices for Option<E> {
    fn options() -> Vec<SelectOption> {
        options_of::<E>()
    }
}

impl<E: FormChoice> HasChoices for Vec<E> {
    fn options() -> Vec<SelectOption> {
        options_of::<E>()
    }
}

/// The inputs the field attributes pick (used by `#[derive(CliqForm)]`).
pub mod widget {
    use super::{FieldSpec, HasChoices, TextValue};
    use crate::form::{Input, TextFormat};

    /// `radio`.
    pub fn radio<T: HasChoices>(spec: &FieldSpec) -> Input {
        spec.apply(Input::radio(spec.name, spec.label, T::options()))
    }
    /// `checkbox`.
    pub fn checkbox<T: HasChoices>(spec: &FieldSpec) -> Input {
        spec.apply(Input::checkbox(spec.name, spec.label, T::options()))
    }
    /// `textarea`.
    pub fn textarea<T: TextValue>(spec: &FieldSpec) -> Input {
        spec.apply(Input::textarea(spec.name, spec.label))
    }
    /// `text`, `format: email`.
    pub fn email<T: TextValue>(spec: &FieldSpec) -> Input {
        text_as(spec, TextFormat::Email)
    }
    /// `text`, `format: url`.
    pub fn url<T: TextValue>(spec: &FieldSpec) -> Input {
        text_as(spec, TextFormat::Url)
    }
    /// `text`, `format: password`.
    pub fn password<T: TextValue>(spec: &FieldSpec) -> Input {
        text_as(spec, TextFormat::Password)
    }
    fn text_as(spec: &FieldSpec, format: TextFormat) -> Input {
        let mut input = Input::text(spec.name, spec.label);
        if let Input::Text(b) = &mut input {
            b.kind.format = Some(format);
        }
        spec.apply(input)
    }
}

/// The `{value}` of a submitted option: a string, or `{"label", "value"}`.
fn option_value(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("value").and_then(Value::as_str),
        _ => None,
    }
}

/// Reads a [`FormChoice`] value (the derive's `FormValue::from_value`).
pub fn choice_from_value<E: FormChoice>(v: &Value) -> Result<E, String> {
    option_value(v).and_then(E::from_choice).ok_or_else(|| {
        let allowed: Vec<&str> = E::CHOICES.iter().map(|(_, l)| *l).collect();
        format!("Choose one of: {}", allowed.join(", "))
    })
}

/// The `select` input of a [`FormChoice`] (the derive's `FormValue::input`).
pub fn choice_input<E: FormChoice>(spec: &FieldSpec) -> Input {
    spec.apply(Input::select(spec.name, spec.label, options_of::<E>()))
}

impl FormValue for String {
    fn input(spec: &FieldSpec) -> Input {
        spec.apply(Input::text(spec.name, spec.label))
    }
    fn from_value(v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err("Enter text".to_string()),
        }
    }
}

impl FormValue for bool {
    fn input(spec: &FieldSpec) -> Input {
        spec.apply(Input::toggle(spec.name, spec.label))
    }
    fn from_value(v: &Value) -> Result<bool, String> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s == "true" => Ok(true),
            Value::String(s) if s == "false" => Ok(false),
            _ => Err("Expected on or off".to_string()),
        }
    }
    /// A toggle left alone is off.
    fn missing() -> Option<bool> {
        Some(false)
    }
}

macro_rules! number_value {
    ($($t:ty),+) => {$(
        impl FormValue for $t {
            fn input(spec: &FieldSpec) -> Input {
                spec.apply(Input::number(spec.name, spec.label))
            }
            fn from_value(v: &Value) -> Result<$t, String> {
                let parsed = match v {
                    Value::Number(n) => n.to_string().parse::<$t>().ok(),
                    Value::String(s) => s.trim().parse::<$t>().ok(),
                    _ => None,
                };
                parsed.ok_or_else(|| format!("Enter a number ({})", stringify!($t)))
            }
            fn as_number(&self) -> Option<f64> {
                Some(*self as f64)
            }
        }
    )+};
}
number_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64);

/// A date, as Cliq submits it (its help pages do not pin the format, so the text is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date(pub String);

/// A date and time, as Cliq submits it (text kept, as for [`Date`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTime(pub String);

/// A submitted location: Cliq's object, kept as sent (its fields are not documented in a spec).
#[derive(Debug, Clone, PartialEq)]
pub struct Location(pub Value);

/// A submitted file: Cliq's object, kept as sent (its fields are not documented in a spec).
#[derive(Debug, Clone, PartialEq)]
pub struct FileUpload(pub Value);

macro_rules! text_like {
    ($t:ident, $ctor:ident) => {
        impl FormValue for $t {
            fn input(spec: &FieldSpec) -> Input {
                spec.apply(Input::$ctor(spec.name, spec.label))
            }
            fn from_value(v: &Value) -> Result<$t, String> {
                match v {
                    Value::String(s) => Ok($t(s.clone())),
                    Value::Number(n) => Ok($t(n.to_string())),
                    _ => Err("Enter a date".to_string()),
                }
            }
        }
    };
}
text_like!(Date, date);
text_like!(DateTime, datetime);

impl FormValue for Location {
    fn input(spec: &FieldSpec) -> Input {
        spec.apply(Input::location(spec.name, spec.label))
    }
    fn from_value(v: &Value) -> Result<Location, String> {
        Ok(Location(v.clone()))
    }
}

impl FormValue for FileUpload {
    fn input(spec: &FieldSpec) -> Input {
        spec.apply(Input::file(spec.name, spec.label))
    }
    fn from_value(v: &Value) -> Result<FileUpload, String> {
        Ok(FileUpload(v.clone()))
    }
}

impl<T: FormValue> FormValue for Option<T> {
    const OPTIONAL: bool = true;
    fn input(spec: &FieldSpec) -> Input {
        T::input(spec)
    }
    fn from_value(v: &Value) -> Result<Option<T>, String> {
        T::from_value(v).map(Some)
    }
    fn missing() -> Option<Option<T>> {
        Some(None)
    }
    fn as_number(&self) -> Option<f64> {
        self.as_ref().and_then(T::as_number)
    }
}

impl<E: FormChoice> FormValue for Vec<E> {
    fn input(spec: &FieldSpec) -> Input {
        spec.apply(Input::multi_select(
            spec.name,
            spec.label,
            options_of::<E>(),
        ))
    }
    fn from_value(v: &Value) -> Result<Vec<E>, String> {
        match v {
            Value::Array(items) => items.iter().map(choice_from_value).collect(),
            // a checkbox's comma-separated values
            Value::String(s) => s
                .split(',')
                .map(|p| choice_from_value(&Value::String(p.trim().to_string())))
                .collect(),
            other => choice_from_value(other).map(|e| vec![e]),
        }
    }
    /// Nothing chosen.
    fn missing() -> Option<Vec<E>> {
        Some(Vec::new())
    }
}

/// `t` when it is within the spec's `min`/`max`.
fn in_bounds<T: FormValue>(spec: &FieldSpec, t: T) -> Result<T, String> {
    let (Some(n), lo, hi) = (t.as_number(), spec.min.as_ref(), spec.max.as_ref()) else {
        return Ok(t);
    };
    let lo_f = lo.and_then(Number::as_f64);
    let hi_f = hi.and_then(Number::as_f64);
    if lo_f.is_some_and(|lo| n < lo) || hi_f.is_some_and(|hi| n > hi) {
        let range = match (lo, hi) {
            (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => String::new(),
        };
        return Err(format!("Enter a number {range}"));
    }
    Ok(t)
}

/// Whether a submitted value counts as empty.
fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null) || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty)
}

/// Reads one field of a submission into `errors` ([`FormValue::read`]).
fn read_field<T: FormValue>(
    values: &Value,
    spec: &FieldSpec,
    errors: &mut FormErrors,
) -> Option<T> {
    let name = spec.name;
    match values.get(name).filter(|v| !is_empty(v)) {
        Some(v) => match T::from_value(v).and_then(|t| in_bounds(spec, t)) {
            Ok(t) => Some(t),
            Err(message) => {
                errors.add(name, message);
                None
            }
        },
        None => {
            let t = T::missing();
            if t.is_none() {
                errors.add(name, "This field is required");
            }
            t
        }
    }
}

/// Cliq's form error reply: `{"type": "form_error", "text": …, "inputs": {<name>: {"text":
/// …}}}`, shown on the form next to each field (shape from Zoho's form-function help pages).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormErrors {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Message above the form.
    pub text: String,
    /// Per field: its message, `{name: message}` (the shape Zoho documents for the
    /// `form_error` reply of its form functions; Cliq's help shows none, an assumption written
    /// down in `docs/webhook-protocol.md`).
    pub inputs: Map<String, Value>,
}

impl Default for FormErrors {
    fn default() -> FormErrors {
        FormErrors {
            kind: "form_error",
            text: "Please correct the highlighted fields".to_string(),
            inputs: Map::new(),
        }
    }
}

impl FormErrors {
    /// No error yet (the message above the form is the default one).
    pub fn new() -> FormErrors {
        FormErrors::default()
    }

    /// With the input `name` refused, saying `message` (a builder:
    /// `FormErrors::new().field("env", "pick staging or production")`).
    pub fn field(mut self, name: impl Into<String>, message: impl Into<String>) -> FormErrors {
        self.add(name, message);
        self
    }

    /// Refuses the input `name`, saying `message`.
    pub fn add(&mut self, name: impl Into<String>, message: impl Into<String>) {
        self.inputs
            .insert(name.into(), Value::String(message.into()));
    }

    /// With `text` as the message above the form.
    pub fn text(mut self, text: impl Into<String>) -> FormErrors {
        self.text = text.into();
        self
    }

    /// Names of the fields in error, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.inputs.keys().map(String::as_str)
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }
}

impl std::fmt::Display for FormErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)?;
        for (k, v) in &self.inputs {
            write!(f, "; {k}: {}", v.as_str().unwrap_or(""))?;
        }
        Ok(())
    }
}

impl std::error::Error for FormErrors {}
