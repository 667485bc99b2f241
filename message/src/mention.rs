//! Mentions: the syntax `mentions.yml` documents for a message's `text` (and `comments`).
//! A mention is text, not a field, so [`Mention`] is written into text with `Display`.
//!
//! ```
//! use cliq_message::Mention;
//! let text = format!(
//!     "{} {} please review {} ({}, {}, {})",
//!     Mention::user("873421"),
//!     Mention::user("scott.fisher@zylker.com"),
//!     Mention::channel("CT_1207_60002"),
//!     Mention::All,
//!     Mention::Available,
//!     Mention::silent_user("Scott Fisher", "873421"),
//! );
//! assert_eq!(
//!     text,
//!     "{@873421} {@scott.fisher@zylker.com} please review {#CT_1207_60002} \
//!      ({@all}, {@available}, [Scott Fisher](zohoid:873421))"
//! );
//! ```

use std::fmt;

/// A mention, written into message text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mention {
    /// `{@zohoid}` or `{@email}`: notifies the user.
    User(String),
    /// `{@team_id}`: a team.
    Team(String),
    /// `{#CHANNEL_ID}`: a channel.
    Channel(String),
    /// `{@all}`: every participant (needs the permission to use it in the channel).
    All,
    /// `{@available}`: every participant who is available.
    Available,
    /// `[Name](zohoid:id)` or `[Name](mail:email)`: names the user without notifying them.
    Silent {
        /// The name shown.
        name: String,
        /// `zohoid:<id>` or `mail:<email>` target.
        target: SilentTarget,
    },
}

/// Whom a silent mention points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SilentTarget {
    /// `zohoid:<id>`
    ZohoId(String),
    /// `mail:<email>`
    Mail(String),
}

impl Mention {
    /// `{@id_or_email}`.
    pub fn user(id_or_email: impl Into<String>) -> Mention {
        Mention::User(id_or_email.into())
    }

    /// `{#channel_id}`.
    pub fn channel(channel_id: impl Into<String>) -> Mention {
        Mention::Channel(channel_id.into())
    }

    /// `{@team_id}`.
    pub fn team(team_id: impl Into<String>) -> Mention {
        Mention::Team(team_id.into())
    }

    /// `[name](zohoid:id)`: no notification.
    pub fn silent_user(name: impl Into<String>, zoho_id: impl Into<String>) -> Mention {
        Mention::Silent {
            name: name.into(),
            target: SilentTarget::ZohoId(zoho_id.into()),
        }
    }

    /// `[name](mail:email)`: no notification.
    pub fn silent_email(name: impl Into<String>, email: impl Into<String>) -> Mention {
        Mention::Silent {
            name: name.into(),
            target: SilentTarget::Mail(email.into()),
        }
    }
}

impl fmt::Display for Mention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mention::User(id) | Mention::Team(id) => write!(f, "{{@{id}}}"),
            Mention::Channel(id) => write!(f, "{{#{id}}}"),
            Mention::All => f.write_str("{@all}"),
            Mention::Available => f.write_str("{@available}"),
            Mention::Silent { name, target } => match target {
                SilentTarget::ZohoId(id) => write!(f, "[{name}](zohoid:{id})"),
                SilentTarget::Mail(m) => write!(f, "[{name}](mail:{m})"),
            },
        }
    }
}
