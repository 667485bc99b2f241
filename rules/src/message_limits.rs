//! Zoho Cliq's limits on message content: counts and lengths, one table, each with its
//! source. `cliq-message` checks messages against it before they are sent (and documents
//! each limit); `#[derive(CliqForm)]` checks the literals it is given, at the literal. It
//! lives here, the small crate both depend on, so that there is one copy.

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (Unicode scalar values) of a string.
    Chars,
    /// Items of a list.
    Items,
}

/// One of Cliq's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Its name, as in this module (`BUTTON_LABEL`).
    pub name: &'static str,
    /// What it limits, in words.
    pub what: &'static str,
    /// The most allowed.
    pub max: usize,
    /// What is counted.
    pub unit: Unit,
    /// Where the number comes from.
    pub source: &'static str,
    /// What a compile-time check says when a literal is over it.
    pub over: &'static str,
}

macro_rules! limits {
    (@unit Chars) => { "characters" };
    (@unit Items) => { "items" };
    ($( $(#[$m:meta])* $name:ident = ($what:literal, $max:literal, $unit:ident, $source:literal); )+) => {
        $(
            $(#[$m])*
            pub const $name: Limit = Limit {
                name: stringify!($name),
                what: $what,
                max: $max,
                unit: Unit::$unit,
                source: $source,
                over: concat!(
                    "over Cliq's limit ", stringify!($name), ": ", $what, " is at most ",
                    stringify!($max), " ", limits!(@unit $unit), " (", $source, ")"
                ),
            };
        )+
        /// Every limit, in the order of the table above.
        pub const ALL: &[Limit] = &[$($name),+];
    };
}

limits! {
    /// Message text (chat/channel message operations).
    MESSAGE_TEXT = ("message text", 10000, Chars, "messageformat.yml, buttons.yml: text maxLength 10000");
    /// Text of a message a bot posts through the Bots API.
    BOT_MESSAGE_TEXT = ("bot message text", 5000, Chars, "bots.yml: BotMessage.text maxLength 5000");
    /// Buttons of a message.
    BUTTONS_PER_MESSAGE = ("buttons per message", 5, Items, "bots.yml BotMessage.buttons, buttons.yml: maxItems 5");
    /// Buttons of a card.
    BUTTONS_PER_CARD = ("buttons per card", 5, Items, "messagecards.yml CardObject.buttons: maxItems 5");
    /// Label of a card button.
    BUTTON_LABEL = ("button label", 30, Chars, "messagecards.yml CardButton.label: maxLength 30");
    /// Label of a message button.
    MESSAGE_BUTTON_LABEL = ("message button label", 20, Chars, "buttons.yml button label: maxLength 20");
    /// Button tooltip.
    BUTTON_HINT = ("button hint", 100, Chars, "buttons.yml hint: maxLength 100");
    /// Button key.
    BUTTON_KEY = ("button key", 100, Chars, "buttons.yml key: maxLength 100");
    /// A URL an `open.url` button opens.
    URL = ("open.url URL", 256, Chars, "buttons.yml open.url data: Maximum length 256");
    /// A URL a `preview.url` button shows.
    PREVIEW_URL = ("preview.url URL", 500, Chars, "buttons.yml preview.url data: Maximum length 500");
    /// Text a `copy` button copies.
    COPY_TEXT = ("copy text", 200, Chars, "buttons.yml copy data: Maximum length 200");
    /// Confirmation dialog title.
    CONFIRM_TITLE = ("confirm title", 100, Chars, "buttons.yml confirm.title: maxLength 100");
    /// Confirmation dialog description.
    CONFIRM_DESCRIPTION = ("confirm description", 100, Chars, "buttons.yml confirm.description: maxLength 100");
    /// Confirmation dialog input prompt.
    CONFIRM_INPUT = ("confirm input", 300, Chars, "buttons.yml confirm.input: maxLength 300");
    /// Confirmation dialog button labels.
    CONFIRM_BUTTON_LABEL = ("confirm button label", 100, Chars, "buttons.yml confirm.button_label, cancel_button_label: maxLength 100");
    /// Card title.
    CARD_TITLE = ("card title", 200, Chars, "messagecards.yml CardObject.title: maxLength 200");
    /// Options of a poll card.
    POLL_OPTIONS = ("poll options", 10, Items, "messagecards.yml CardObject.options: maxItems 10 (minItems 2)");
    /// Text of a poll option.
    POLL_OPTION_TEXT = ("poll option text", 100, Chars, "messagecards.yml CardObject.options[].text: maxLength 100");
    /// Slides of a message.
    SLIDES = ("slides", 20, Items, "bots.yml BotMessage.slides: maxItems 20");
    /// Segments of a percentage chart.
    CHART_SEGMENTS = ("chart segments", 5, Items, "messageformat.yml percentage_chart data: maxItems 5");
    /// Categories of a graph.
    GRAPH_CATEGORIES = ("graph categories", 5, Items, "messageformat.yml graph data: maxItems 5");
    /// Points of one graph category.
    GRAPH_POINTS = ("graph points", 20, Items, "messageformat.yml graph values: maxItems 20");
    /// Chart and graph labels, categories and axis names.
    CHART_LABEL = ("chart label", 20, Chars, "messageformat.yml chart/graph label, category, x_axis, y_axis: maxLength 20");
    /// Inputs of a form.
    FORM_INPUTS = ("form inputs", 25, Items, "Zoho help 'Forms in Cliq': a maximum of 25 form input fields");
    /// Name of a form.
    FORM_NAME = ("form name", 50, Chars, "Zoho help 'Forms in Cliq': name string(50)");
    /// Name of a form input.
    INPUT_NAME = ("input name", 50, Chars, "Zoho help form input pages: name string(50)");
    /// Label of a form input.
    INPUT_LABEL = ("input label", 50, Chars, "Zoho help form input pages: label string(50)");
    /// Placeholder of a form input.
    INPUT_PLACEHOLDER = ("input placeholder", 100, Chars, "Zoho help form input pages: placeholder string(100)");
    /// Hint of a form input.
    INPUT_HINT = ("input hint", 100, Chars, "Zoho help form input pages: hint string(100)");
    /// Options of a checkbox input.
    CHECKBOX_OPTIONS = ("checkbox options", 5, Items, "Zoho help 'Checkbox Fields in Forms': options Array (1-5)");
    /// Label of an input option.
    OPTION_LABEL = ("option label", 100, Chars, "Zoho help 'Checkbox Fields in Forms': label maximum 100 characters");
}

/// Characters of `s` (Unicode scalar values), in a `const fn`.
pub const fn char_count(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < bytes.len() {
        // Every byte but a UTF-8 continuation byte starts a character.
        if bytes[i] & 0xC0 != 0x80 {
            n += 1;
        }
        i += 1;
    }
    n
}

impl Limit {
    /// Whether a string fits (characters counted as [`char_count`] does).
    pub const fn fits(&self, s: &str) -> bool {
        char_count(s) <= self.max
    }

    /// Panics when a string is over this limit; in a `const` this is a compile error (what
    /// `cliq_message::checked!` uses).
    pub const fn assert_str(&self, s: &str) {
        if char_count(s) > self.max {
            panic!("{}", self.over);
        }
    }

    /// Panics when `n` items are over this limit; a compile error in a `const`.
    pub const fn assert_count(&self, n: usize) {
        if n > self.max {
            panic!("{}", self.over);
        }
    }
}
