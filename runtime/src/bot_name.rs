//! Bot unique names and path-segment encoding.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as-is in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Render one path segment, percent-encoded (`/`, `?`, `#`, spaces… are escaped).
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// A bot's unique name (`BOT_UNIQUE_NAME`).
///
/// Converting from a string also accepts the bot's full API endpoint URL as copied from
/// Cliq, e.g. `https://cliq.zoho.com/api/v2/bots/hefflnotifications/message?zapikey=…`,
/// and keeps only the unique name (the segment after `/bots/`); anything else in the URL,
/// such as a `zapikey`, is dropped.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BotName(String);

impl BotName {
    /// Parse a unique name or a bot API endpoint URL.
    pub fn new(input: &str) -> Self {
        BotName(extract(input))
    }

    /// The unique name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn extract(input: &str) -> String {
    let trimmed = input.trim();
    // Drop query and fragment first: they may hold secrets (zapikey) or look like paths.
    let without_query = trimmed.split(['?', '#']).next().unwrap_or(trimmed);
    let mut segments = without_query.split('/');
    while let Some(seg) = segments.next() {
        if seg == "bots" {
            if let Some(name) = segments.find(|s| !s.is_empty()) {
                return name.to_owned();
            }
        }
    }
    if without_query.contains('/') {
        // A URL or path without a `/bots/<name>` part: keep its last segment.
        if let Some(last) = without_query.rsplit('/').find(|s| !s.is_empty()) {
            return last.to_owned();
        }
    }
    without_query.to_owned()
}

impl From<&str> for BotName {
    fn from(s: &str) -> Self {
        BotName::new(s)
    }
}

impl From<String> for BotName {
    fn from(s: String) -> Self {
        BotName::new(&s)
    }
}

impl From<&String> for BotName {
    fn from(s: &String) -> Self {
        BotName::new(s)
    }
}

impl From<&BotName> for BotName {
    fn from(b: &BotName) -> Self {
        b.clone()
    }
}

impl AsRef<str> for BotName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BotName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for BotName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BotName").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bot_name_accepts_plain_unique_name() {
        assert_eq!(BotName::from("supportbot").as_str(), "supportbot");
        assert_eq!(BotName::from("  supportbot \n").as_str(), "supportbot");
    }

    #[test]
    fn bot_name_extracts_from_copied_endpoint_urls() {
        for url in [
            "https://cliq.zoho.com/api/v2/bots/hefflnotifications/message",
            "https://cliq.zoho.com/api/v2/bots/hefflnotifications/message?zapikey=1001.secret",
            "https://cliq.zoho.eu/api/v3/bots/hefflnotifications/messages",
            "https://cliq.zoho.in/api/v3/bots/hefflnotifications",
            "https://cliq.zoho.com/network/acme/api/v3/bots/hefflnotifications/incoming",
            "cliq.zoho.com/api/v2/bots/hefflnotifications/message",
            "/bots/hefflnotifications",
            "https://cliq.zoho.com/api/v2/bots/hefflnotifications/",
        ] {
            assert_eq!(BotName::from(url).as_str(), "hefflnotifications", "{url}");
        }
    }

    #[test]
    fn bot_name_never_keeps_query_secrets() {
        let b = BotName::from(String::from(
            "https://cliq.zoho.com/api/v2/bots/hb/message?zapikey=1001.abcdef",
        ));
        assert!(!format!("{b} {b:?}").contains("abcdef"));
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode_path_segment("supportbot"), "supportbot");
        assert_eq!(encode_path_segment("a b/c?d#e"), "a%20b%2Fc%3Fd%23e");
        assert_eq!(encode_path_segment("x-y_z.~"), "x-y_z.~");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }
}
