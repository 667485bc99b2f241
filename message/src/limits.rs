//! Cliq's limits, one table, each with its source.
//!
//! Every limit is checked before a message leaves: [`MessageContent::validate`](crate::MessageContent::validate),
//! [`Form::validate`](crate::Form::validate) (also run by `cliq-webhook` before it answers)
//! return every violation, each naming its limit. Literals are checked at compile time:
//! [`checked!`](crate::checked) for strings, the const-generic array constructors
//! ([`Card::prompt`](crate::Card::prompt), [`MessageContent::with_buttons`](crate::MessageContent::with_buttons),
//! …) for counts, and `#[derive(CliqForm)]` for every literal it is given. Nothing is ever
//! truncated.
//!
//! Lengths count Unicode scalar values (`char`s), as Zoho's "characters" reads. The table
//! itself lives in `cliq_rules::message_limits` (so that `#[derive(CliqForm)]`, in
//! `cliq-macros`, checks literals against the same numbers); it is re-exported here.
//!
//! | Limit | Max | Source |
//! |---|---|---|
//! | [`MESSAGE_TEXT`] | 10 000 chars | `messageformat.yml`, `buttons.yml` (`maxLength: 10000`); `bots.yml`'s `BotMessage.text` says 5 000 — the bot-message operations' own limit is [`BOT_MESSAGE_TEXT`] |
//! | [`BOT_MESSAGE_TEXT`] | 5 000 chars | `bots.yml` `BotMessage.text` `maxLength` |
//! | [`BUTTONS_PER_MESSAGE`] | 5 | `bots.yml` `BotMessage.buttons`, `buttons.yml` `maxItems: 5` |
//! | [`BUTTONS_PER_CARD`] | 5 | `messagecards.yml` `CardObject.buttons` `maxItems: 5` |
//! | [`BUTTON_LABEL`] | 30 chars | `messagecards.yml` `CardButton.label` `maxLength: 30`; `buttons.yml` says 20 for message buttons: see [`MESSAGE_BUTTON_LABEL`] |
//! | [`MESSAGE_BUTTON_LABEL`] | 20 chars | `buttons.yml` button `label` `maxLength: 20` |
//! | [`BUTTON_HINT`] | 100 chars | `buttons.yml` `hint` `maxLength: 100` |
//! | [`BUTTON_KEY`] | 100 chars | `buttons.yml` `key` `maxLength: 100` |
//! | [`URL`] | 256 chars | `buttons.yml` `open.url` data table ("Maximum length: 256") |
//! | [`PREVIEW_URL`] | 500 chars | `buttons.yml` `preview.url` data table ("Maximum length: 500") |
//! | [`COPY_TEXT`] | 200 chars | `buttons.yml` `copy` data table ("Maximum length: 200") |
//! | [`CONFIRM_TITLE`], [`CONFIRM_DESCRIPTION`], [`CONFIRM_BUTTON_LABEL`] | 100 chars | `buttons.yml` `confirm` `maxLength: 100` |
//! | [`CONFIRM_INPUT`] | 300 chars | `buttons.yml` `confirm.input` `maxLength: 300` |
//! | [`CARD_TITLE`] | 200 chars | `messagecards.yml` `CardObject.title` `maxLength: 200` |
//! | [`POLL_OPTIONS`] | 10 (at least 2) | `messagecards.yml` `CardObject.options` `maxItems: 10`, `minItems: 2` |
//! | [`POLL_OPTION_TEXT`] | 100 chars | `messagecards.yml` option `text` `maxLength: 100` |
//! | [`SLIDES`] | 20 | `bots.yml` `BotMessage.slides` `maxItems: 20` |
//! | [`CHART_SEGMENTS`], [`GRAPH_CATEGORIES`] | 5 | `messageformat.yml` chart/graph `data` `maxItems: 5` |
//! | [`GRAPH_POINTS`] | 20 | `messageformat.yml` graph `values` `maxItems: 20` |
//! | [`CHART_LABEL`] | 20 chars | `messageformat.yml` chart/graph `label`, `category`, axis names `maxLength: 20` |
//! | [`FORM_INPUTS`] | 25 | Zoho's "Forms in Cliq" help page only ("a maximum of 25 form input fields") |
//! | [`FORM_NAME`], [`INPUT_NAME`], [`INPUT_LABEL`] | 50 chars | Zoho's form help pages only (`string(50)`) |
//! | [`INPUT_PLACEHOLDER`], [`INPUT_HINT`] | 100 chars | Zoho's form input help pages only (`string(100)`) |
//! | [`CHECKBOX_OPTIONS`] | 5 | Zoho's "Checkbox Fields in Forms" help page only ("Array (1-5)") |
//! | [`OPTION_LABEL`] | 100 chars | Zoho's checkbox help page only ("Maximum allowed characters: 100") |

use std::fmt;

pub use cliq_rules::message_limits::*;

/// Run-time checks of a [`Limit`].
pub trait LimitCheck {
    /// `Ok` when `s` fits.
    fn check_str(&self, s: &str) -> Result<(), LimitError>;
    /// `Ok` when `n` items (or characters) fit.
    fn check_count(&self, n: usize) -> Result<(), LimitError>;
}

impl LimitCheck for Limit {
    fn check_str(&self, s: &str) -> Result<(), LimitError> {
        self.check_count(s.chars().count())
    }

    fn check_count(&self, n: usize) -> Result<(), LimitError> {
        if n <= self.max {
            Ok(())
        } else {
            Err(LimitError {
                limit: *self,
                actual: n,
                at: String::new(),
            })
        }
    }
}

/// A value over one of Cliq's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// The limit.
    pub limit: Limit,
    /// How many characters or items there were.
    pub actual: usize,
    /// Where: a JSON-pointer-like path in the message (`/buttons/5`), empty at the top.
    pub at: String,
}

impl LimitError {
    pub(crate) fn at(mut self, prefix: &str) -> LimitError {
        self.at = format!("{prefix}{}", self.at);
        self
    }
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.limit.unit {
            Unit::Chars => "characters",
            Unit::Items => "items",
        };
        write!(
            f,
            "{} is over Cliq's limit {} ({}: at most {} {unit}, found {}; source: {})",
            if self.at.is_empty() { "/" } else { &self.at },
            self.limit.name,
            self.limit.what,
            self.limit.max,
            self.actual,
            self.limit.source
        )
    }
}

impl std::error::Error for LimitError {}

/// Every limit a value breaks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LimitErrors(pub Vec<LimitError>);

impl LimitErrors {
    pub(crate) fn str(&mut self, limit: Limit, at: &str, s: &str) {
        if let Err(e) = limit.check_str(s) {
            self.0.push(e.at(at));
        }
    }

    pub(crate) fn opt(&mut self, limit: Limit, at: &str, s: &Option<String>) {
        if let Some(s) = s {
            self.str(limit, at, s);
        }
    }

    pub(crate) fn count(&mut self, limit: Limit, at: &str, n: usize) {
        if let Err(e) = limit.check_count(n) {
            self.0.push(e.at(at));
        }
    }

    pub(crate) fn nest(&mut self, prefix: &str, inner: LimitErrors) {
        self.0.extend(inner.0.into_iter().map(|e| e.at(prefix)));
    }

    pub(crate) fn into_result(self) -> Result<(), LimitErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for LimitErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LimitErrors {}

/// A string literal checked against one of [`limits`](crate::limits) at compile time:
/// `checked!(BUTTON_LABEL, "Approve")` is `"Approve"`; a literal over the limit does not
/// compile.
///
/// ```
/// use cliq_message::{checked, Button};
/// let b = Button::open_url(checked!(BUTTON_LABEL, "Docs"), "https://example.com");
/// # let _ = b;
/// ```
///
/// ```compile_fail
/// // 31 characters: over BUTTON_LABEL (30).
/// let label = cliq_message::checked!(BUTTON_LABEL, "Approve this deployment request");
/// ```
#[macro_export]
macro_rules! checked {
    ($limit:ident, $lit:literal) => {{
        const _: () = $crate::limits::$limit.assert_str($lit);
        $lit
    }};
}
