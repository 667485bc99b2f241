//! Support for the `Deserialize` impls `cliq-codegen` writes for objects: not needed by hand.
//!
//! A generated object reads its JSON keys as [`Key`]s and matches them against the names its
//! spec declares; a key it does not declare goes to the object's `extra` map (or is skipped
//! when the spec forbids undeclared properties). A generated string enum reads its value as a
//! `Key` too, and maps it with its `From<&str>` (a value it does not list is `Unknown`).

use serde::de::{Deserialize, Deserializer, Error, Visitor};
use std::borrow::Cow;
use std::fmt;

/// An object's key (or a string enum's value) as read by a generated `Deserialize`: borrowed from the input when the
/// format allows it (a JSON key without escapes), owned otherwise, so that matching a
/// declared property allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for the `extra` map of undeclared properties).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }
            fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Key;
    use serde::Deserialize;

    #[test]
    fn keys_borrow_when_they_can_and_own_when_escaped() {
        let plain: Key<'_> = serde_json::from_str(r#""chat_id""#).unwrap();
        assert!(matches!(plain.0, std::borrow::Cow::Borrowed("chat_id")));
        let escaped: Key<'_> = serde_json::from_str(r#""chat\u005fid""#).unwrap();
        assert!(matches!(escaped.0, std::borrow::Cow::Owned(_)));
        assert_eq!(escaped.as_str(), "chat_id");
        let from_value = Key::deserialize(serde_json::Value::from("chat_id")).unwrap();
        assert!(matches!(from_value.0, std::borrow::Cow::Owned(_)));
        assert_eq!(from_value.into_string(), "chat_id");
    }
}
