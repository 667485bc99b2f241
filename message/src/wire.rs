//! Wire helpers shared by the model: closed string sets with a fallback, and booleans Cliq
//! writes either as JSON booleans or as the strings `"true"`/`"false"`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A closed set of wire strings with an `Other(String)` fallback: every value reads, and an
/// unknown one is written back as it came. `$alias` values are accepted on input (a spec wart)
/// and written as the first name.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know yet, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every known value, in the order Cliq documents them.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(s) => s,
                }
            }

            /// Reads a wire string (known aliases included); never fails.
            pub fn from_wire(s: &str) -> $name {
                match s {
                    $( $wire $(| $alias)* => $name::$variant, )+
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok($name::from_wire(&s))
            }
        }
    };
}
pub(crate) use string_enum;

/// A boolean as Cliq writes it: a JSON boolean, or (in `buttons.yml`'s confirm dialog,
/// `mandatory: 'true'`) the string `"true"`/`"false"`. Both read; each is written back in the
/// form it came in. New values are written as the spec's examples write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireBool {
    /// The value.
    pub value: bool,
    /// Whether it is written as a string.
    pub quoted: bool,
}

impl WireBool {
    /// A boolean written as the string `"true"`/`"false"` (what `buttons.yml`'s examples send).
    pub const fn quoted(value: bool) -> WireBool {
        WireBool {
            value,
            quoted: true,
        }
    }
}

impl From<bool> for WireBool {
    fn from(value: bool) -> WireBool {
        WireBool {
            value,
            quoted: false,
        }
    }
}

impl Serialize for WireBool {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.quoted, self.value) {
            (true, true) => s.serialize_str("true"),
            (true, false) => s.serialize_str("false"),
            (false, v) => s.serialize_bool(v),
        }
    }
}

impl<'de> Deserialize<'de> for WireBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WireBool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(value) => Ok(WireBool::from(value)),
            Raw::Str(s) if s == "true" => Ok(WireBool::quoted(true)),
            Raw::Str(s) if s == "false" => Ok(WireBool::quoted(false)),
            Raw::Str(other) => Err(serde::de::Error::custom(format!(
                "expected true or false, found {other:?}"
            ))),
        }
    }
}

/// Tag of a form object: always `"form"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormTag;

impl Serialize for FormTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("form")
    }
}

impl<'de> Deserialize<'de> for FormTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FormTag, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s == "form" {
            Ok(FormTag)
        } else {
            Err(serde::de::Error::custom(format!(
                "expected \"form\", found {s:?}"
            )))
        }
    }
}
