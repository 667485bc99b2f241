//! The one funnel every Rust identifier goes through.
//!
//! Wire names stay in the model beside the Rust names; these functions only decide the Rust side.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords (strict and reserved) that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Keep only characters that may appear in an identifier, turning the rest into word breaks.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` name for a type or enum variant; `fallback` when nothing usable remains.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{fallback}{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        // `Self_` would not be camel case; `SelfType` (with the fallback word) is.
        s.push_str(fallback);
    }
    s
}

/// Longest name given to an inline type (rustdoc writes one file per type; deep nesting must
/// not make file names too long for the file system).
pub const MAX_INLINE_NAME: usize = 64;

/// Like [`type_name`], keeping only the trailing words when the name would be longer than
/// [`MAX_INLINE_NAME`] (`DeepLevel0…Level58` → `…Level57Level58`).
pub fn inline_type_name(raw: &str, fallback: &str) -> String {
    let full = type_name(raw, fallback);
    if full.len() <= MAX_INLINE_NAME {
        return full;
    }
    let cut = full.len() - MAX_INLINE_NAME;
    // Start at a word boundary (an uppercase letter) at or after the cut.
    let start = full
        .char_indices()
        .find(|(i, c)| *i >= cut && c.is_ascii_uppercase())
        .map_or(cut, |(i, _)| i);
    type_name(&full[start..], fallback)
}

/// `UpperCamelCase` name for an enum value: like [`type_name`], but values made only of
/// symbols are spelled out (`+` → `Plus`, `-` → `Minus`, `""` → `Empty`), and numbers get a
/// `V` prefix (`1` → `V1`).
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_string();
    }
    if raw.chars().any(|c| c.is_ascii_alphanumeric()) {
        return type_name(raw, "V");
    }
    let spelled: String = raw
        .chars()
        .map(|c| match c {
            '+' => "Plus",
            '-' => "Minus",
            '*' => "Star",
            '/' => "Slash",
            '\\' => "Backslash",
            '.' => "Dot",
            ',' => "Comma",
            '=' => "Eq",
            '<' => "Lt",
            '>' => "Gt",
            '!' => "Bang",
            '?' => "Question",
            '@' => "At",
            '#' => "Hash",
            '$' => "Dollar",
            '%' => "Percent",
            '&' => "And",
            '|' => "Pipe",
            '^' => "Caret",
            '~' => "Tilde",
            ':' => "Colon",
            ';' => "Semicolon",
            '_' => "Underscore",
            ' ' => "Space",
            _ => "Symbol",
        })
        .collect();
    spelled
}

/// `snake_case` name for a field, function or parameter. Keywords become raw identifiers
/// (`r#type`), except those that cannot be raw, which get a trailing `_`.
pub fn value_name(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("_{s}");
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s = format!("r#{s}");
    }
    s
}

/// `SHOUTY_SNAKE_CASE` name for a constant.
pub fn const_name(raw: &str) -> String {
    let mut s = words(raw).to_shouty_snake_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("OP_{s}");
    }
    s
}

/// Words dropped from an operationId wherever they stand: articles and filler adjectives.
const FILLER: &[&str] = &["a", "an", "the", "specific", "existing", "new"];

/// Words a cut operationId may end on (`delete_records_of_given_ids_in`): dropped at the end.
const TRAILING: &[&str] = &[
    "in", "of", "for", "to", "from", "by", "with", "on", "and", "or",
];

/// Leading verbs after which `all` says nothing (`list all bots` lists the bots).
const ALL_AFTER: &[&str] = &["list", "get", "retrieve", "fetch"];

/// The words of an operation's method name, from its operationId (and its summary, to mend a
/// cut id), by one rule. Zoho's operationIds are sentences (`get_details_of_a_specific_bot_handler`,
/// `Retrieve members of a chat`, `getChatV3`), some cut at 30 characters
/// (`get_details_of_a_specific_func`). In order:
///
/// 1. the id is split into lowercase words (at `_`, spaces, `-`, and camelCase humps);
/// 2. a cut id is mended from the summary: when the summary's words start with the id's, the
///    id's last word a proper prefix of the summary's (`…_func` / "Get details of a specific
///    function"), the summary's words are used instead;
/// 3. `v3` (the API version, in every id of a module or none) is dropped;
/// 4. `get list of` becomes `list`, and `details of` is dropped (`get details of X` gets X);
/// 5. articles and filler adjectives (`a`, `an`, `the`, `specific`, `existing`, `new`) are
///    dropped unless last (`delete_a` keeps its `a`), and `all` right after a leading
///    `list`/`get`/`retrieve`/`fetch`;
/// 6. a preposition or conjunction left at the end (the residue of a cut) is dropped;
/// 7. `<verb> X of Y`, Y one word, becomes `<verb> Y X` (`retrieve members of chat` →
///    `retrieve chat members`);
/// 8. should nothing remain, the id's own words are kept.
///
/// Names that collide within one API after this are told apart by [`Scope`] (document order:
/// the first keeps the name, later ones get `2`, `3`, …). The operationId itself stays in the
/// docs and in the operation's metadata.
pub fn operation_words(operation_id: &str, summary: Option<&str>) -> Vec<String> {
    let split = |text: &str| -> Vec<String> {
        words(text)
            .to_snake_case()
            .split('_')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let id = split(operation_id);
    let mut w = id.clone();
    if let (Some(summary), Some((last, head))) = (summary, id.split_last()) {
        let sum = split(summary);
        let mended = sum.len() >= id.len()
            && sum[..head.len()] == *head
            && sum[head.len()].len() > last.len()
            && sum[head.len()].starts_with(last.as_str());
        if mended {
            w = sum;
        }
    }
    w.retain(|x| x != "v3");
    // `get list of X` → `list X`; `details of` → nothing.
    let mut out: Vec<String> = Vec::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        let next = |k: usize| w.get(i + k).map(String::as_str);
        if w[i] == "get" && next(1) == Some("list") && next(2) == Some("of") {
            out.push("list".into());
            i += 3;
        } else if w[i] == "details" && next(1) == Some("of") {
            i += 2;
        } else {
            out.push(w[i].clone());
            i += 1;
        }
    }
    let lead = out.first().cloned();
    let mut kept: Vec<String> = Vec::with_capacity(out.len());
    let last = out.len().saturating_sub(1);
    for (k, word) in out.into_iter().enumerate() {
        // An article stands before what it qualifies; a last `a` is a name (`delete_a`).
        if FILLER.contains(&word.as_str()) && k < last {
            continue;
        }
        let after_verb =
            k >= 1 && kept.len() == 1 && lead.as_deref().is_some_and(|l| ALL_AFTER.contains(&l));
        if word == "all" && after_verb {
            continue;
        }
        kept.push(word);
    }
    while kept.len() > 1 && kept.last().is_some_and(|l| TRAILING.contains(&l.as_str())) {
        kept.pop();
    }
    if let Some(of) = kept.iter().position(|x| x == "of") {
        if of >= 2 && of + 2 == kept.len() {
            let y = kept.remove(of + 1);
            kept.remove(of);
            kept.insert(1, y);
        }
    }
    if kept.is_empty() {
        return id;
    }
    kept
}

/// Hands out names that are unique within one scope, deterministically: the first taker of a
/// name keeps it, later ones get `2`, `3`, … appended.
#[derive(Debug, Default)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    /// A scope that already reserves `names`.
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            used: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Reserve `base`, or the first free `base2`, `base3`, ….
    pub fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let stem = base.strip_prefix("r#").unwrap_or(&base).to_string();
        let mut n = 2;
        loop {
            let candidate = format!("{stem}{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Turn a name made here into a `proc_macro2::Ident`, raw when it carries `r#`.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_zoho_warts() {
        assert_eq!(value_name("Trigger Bot Calls"), "trigger_bot_calls");
        assert_eq!(
            type_name("Trigger-Bot-Call-Request", "T"),
            "TriggerBotCallRequest"
        );
        assert_eq!(value_name("Response Code"), "response_code");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("loop"), "r#loop");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(type_name("no-response", "T"), "NoResponse");
        assert_eq!(type_name("self", "Schema"), "SelfSchema");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("-"), "Minus");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("a b"), "AB");
        assert_eq!(variant_name("42"), "V42");
        let deep: String = (0..40).map(|i| format!("Level{i}")).collect();
        let short = inline_type_name(&deep, "Type");
        assert!(short.len() <= MAX_INLINE_NAME, "{short}");
        assert!(
            short.starts_with("Level") && short.ends_with("Level39"),
            "{short}"
        );
        assert_eq!(type_name("1.0", "V"), "V10");
        assert_eq!(value_name("2fa"), "_2fa");
        assert_eq!(const_name("Trigger Bot Calls"), "TRIGGER_BOT_CALLS");
        assert_eq!(type_name("", "Empty"), "Empty");
    }

    fn op(id: &str, summary: Option<&str>) -> String {
        value_name(&operation_words(id, summary).join(" "))
    }

    #[test]
    fn operation_names_drop_articles_and_filler() {
        assert_eq!(
            op("get_details_of_a_specific_bot_handler", None),
            "get_bot_handler"
        );
        assert_eq!(op("create_a_new_bot", None), "create_bot");
        assert_eq!(op("update_an_existing_bot", None), "update_bot");
        assert_eq!(op("list_all_bots", None), "list_bots");
        assert_eq!(op("send_a_bot_message", None), "send_bot_message");
        // `all` carries meaning anywhere but right after a listing verb.
        assert_eq!(op("mentioningAllUsers", None), "mentioning_all_users");
        assert_eq!(
            op("deleteAllScheduledMessagesInChatV3", None),
            "delete_all_scheduled_messages_in_chat"
        );
    }

    #[test]
    fn operation_names_drop_the_version_and_reorder_of() {
        assert_eq!(op("getChatV3", None), "get_chat");
        assert_eq!(
            op("Retrieve members of a chat", None),
            "retrieve_chat_members"
        );
        assert_eq!(
            op("Update the state of a thread", None),
            "update_thread_state"
        );
        assert_eq!(
            op("list_all_subscribers_of_a_bot", None),
            "list_bot_subscribers"
        );
        assert_eq!(op("get_list_of_datastores", None), "list_datastores");
        // `of` before more than one word stays.
        assert_eq!(
            op("delete_records_of_given_ids_in", None),
            "delete_records_of_given_ids"
        );
        assert_eq!(op("Trigger Bot Calls", None), "trigger_bot_calls");
        assert_eq!(op("Join-follow a thread", None), "join_follow_thread");
    }

    #[test]
    fn cut_operation_ids_are_mended_from_the_summary() {
        let s = Some("Get details of a specific command handler");
        assert_eq!(
            op("get_details_of_a_specific_comm", s),
            "get_command_handler"
        );
        let s = Some("Add or update extension properties");
        assert_eq!(
            op("add_or_update_extension_proper", s),
            "add_or_update_extension_properties"
        );
        // A summary that does not continue the id is not used.
        let s = Some("Delete records from a datastore");
        assert_eq!(
            op("delete_records_of_given_ids_in", s),
            "delete_records_of_given_ids"
        );
        assert_eq!(
            op("get_records", Some("List records from a datastore")),
            "get_records"
        );
        // Nothing left: the id's own words.
        assert_eq!(op("the", None), "the");
        assert_eq!(op("delete_a", None), "delete_a");
        assert_eq!(op("a_an", None), "an");
    }

    #[test]
    fn scope_suffixes_deterministically() {
        let mut s = Scope::default();
        assert_eq!(s.unique("NoResponse".into()), "NoResponse");
        assert_eq!(s.unique("NoResponse".into()), "NoResponse2");
        assert_eq!(s.unique("NoResponse".into()), "NoResponse3");
        let mut s = Scope::default();
        assert_eq!(s.unique("r#type".into()), "r#type");
        assert_eq!(s.unique("r#type".into()), "type2");
    }
}
