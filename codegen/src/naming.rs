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
