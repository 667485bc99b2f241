//! Zoho data centers: where the Cliq API and the matching accounts server live.

use std::fmt;
use std::str::FromStr;

/// One of the Zoho data centers hosting Zoho Cliq ([`ALL`](Self::ALL)): those of the
/// "Multiple Data Centers" table of Zoho's REST v3 documentation plus the United Arab Emirates
/// (`.ae`), which that table leaves out and Cliq's own `environment` object lists among the
/// data centers it sends (see `docs/webhook-protocol.md`).
///
/// An organization lives in exactly one; OAuth tokens are bound to it, so the API
/// and the accounts server (token refresh) are always taken from the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DataCenter {
    /// United States, `.com`: `https://cliq.zoho.com/`.
    #[default]
    Us,
    /// Europe, `.eu`: `https://cliq.zoho.eu/`.
    Eu,
    /// India, `.in`: `https://cliq.zoho.in/`.
    In,
    /// Australia, `.com.au`: `https://cliq.zoho.com.au/`.
    Au,
    /// China, `.com.cn`: `https://cliq.zoho.com.cn/`.
    Cn,
    /// Japan, `.jp`: `https://cliq.zoho.jp/`.
    Jp,
    /// Saudi Arabia, `.sa`: `https://cliq.zoho.sa/`.
    Sa,
    /// United Kingdom, `.uk`: `https://cliq.zoho.uk/`.
    Uk,
    /// Canada, `.zohocloud.ca`: `https://cliq.zohocloud.ca/`.
    Ca,
    /// United Arab Emirates, `.ae`: `https://cliq.zoho.ae/`.
    Ae,
}

impl DataCenter {
    /// Every data center: the one list of Zoho's Cliq domains in this workspace.
    pub const ALL: [DataCenter; 10] = [
        DataCenter::Us,
        DataCenter::Eu,
        DataCenter::In,
        DataCenter::Au,
        DataCenter::Cn,
        DataCenter::Jp,
        DataCenter::Sa,
        DataCenter::Uk,
        DataCenter::Ca,
        DataCenter::Ae,
    ];

    /// The Zoho domain, e.g. `"zoho.eu"`, `"zohocloud.ca"`.
    pub fn domain(self) -> &'static str {
        match self {
            DataCenter::Us => "zoho.com",
            DataCenter::Eu => "zoho.eu",
            DataCenter::In => "zoho.in",
            DataCenter::Au => "zoho.com.au",
            DataCenter::Cn => "zoho.com.cn",
            DataCenter::Jp => "zoho.jp",
            DataCenter::Sa => "zoho.sa",
            DataCenter::Uk => "zoho.uk",
            DataCenter::Ca => "zohocloud.ca",
            DataCenter::Ae => "zoho.ae",
        }
    }

    /// Short code as in Zoho's table: `"com"`, `"eu"`, …, `"com.au"`, `"zohocloud.ca"`.
    pub fn code(self) -> &'static str {
        match self {
            DataCenter::Us => "com",
            DataCenter::Eu => "eu",
            DataCenter::In => "in",
            DataCenter::Au => "com.au",
            DataCenter::Cn => "com.cn",
            DataCenter::Jp => "jp",
            DataCenter::Sa => "sa",
            DataCenter::Uk => "uk",
            DataCenter::Ca => "zohocloud.ca",
            DataCenter::Ae => "ae",
        }
    }

    /// The short alias accepted beside [`code`](Self::code) where the code is not the
    /// country's usual abbreviation: `us`, `au`, `cn`, `ca`.
    pub fn alias(self) -> Option<&'static str> {
        match self {
            DataCenter::Us => Some("us"),
            DataCenter::Au => Some("au"),
            DataCenter::Cn => Some("cn"),
            DataCenter::Ca => Some("ca"),
            _ => None,
        }
    }

    /// Whether `host` is this data center's Cliq host, `cliq.<domain>` (e.g. `cliq.zoho.eu`):
    /// the only host of it that serves Cliq (API, webhooks' `response_url`s).
    pub fn is_cliq_host(self, host: &str) -> bool {
        host.strip_prefix("cliq.") == Some(self.domain())
    }

    /// Cliq's origin, e.g. `"https://cliq.zoho.eu"` (no trailing slash).
    pub fn cliq_origin(self) -> String {
        format!("https://cliq.{}", self.domain())
    }

    /// The REST v3 API root, e.g. `"https://cliq.zoho.eu/api/v3"`.
    pub fn api_base_url(self) -> String {
        format!("{}/api/v3", self.cliq_origin())
    }

    /// The matching accounts server, e.g. `"https://accounts.zoho.eu"`.
    pub fn accounts_url(self) -> String {
        format!("https://accounts.{}", self.domain())
    }
}

impl fmt::Display for DataCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A string did not name a data center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDataCenterError(String);

impl fmt::Display for ParseDataCenterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Zoho data center {:?}; expected one of: ",
            self.0
        )?;
        for (i, dc) in DataCenter::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(dc.code())?;
            if let Some(alias) = dc.alias() {
                write!(f, " ({alias})")?;
            }
        }
        f.write_str(", or a Cliq URL such as https://cliq.zoho.eu")
    }
}

impl std::error::Error for ParseDataCenterError {}

impl FromStr for DataCenter {
    type Err = ParseDataCenterError;

    /// Accepts the code (`eu`, `com.au`, `zohocloud.ca`), a short alias (`us`, `au`,
    /// `cn`, `ca`), a leading dot (`.eu`), or a Cliq/accounts URL or host
    /// (`https://cliq.zoho.eu/…`, `accounts.zoho.in`). Case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDataCenterError(s.to_owned());
        let mut t = s.trim().to_ascii_lowercase();
        if let Some(rest) = t.split("://").nth(1) {
            t = rest.to_owned();
        }
        if let Some(host_end) = t.find(['/', '?', '#', ':']) {
            t.truncate(host_end);
        }
        let t = t.trim_start_matches('.');
        for prefix in ["cliq.", "accounts.", "www."] {
            if let Some(rest) = t.strip_prefix(prefix) {
                return rest.parse().map_err(|_| err());
            }
        }
        if t == "global" {
            return Ok(DataCenter::Us);
        }
        DataCenter::ALL
            .into_iter()
            .find(|dc| t == dc.code() || t == dc.domain() || Some(t) == dc.alias())
            .ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_center_has_cliq_and_accounts_urls() {
        let expected = [
            ("https://cliq.zoho.com", "https://accounts.zoho.com"),
            ("https://cliq.zoho.eu", "https://accounts.zoho.eu"),
            ("https://cliq.zoho.in", "https://accounts.zoho.in"),
            ("https://cliq.zoho.com.au", "https://accounts.zoho.com.au"),
            ("https://cliq.zoho.com.cn", "https://accounts.zoho.com.cn"),
            ("https://cliq.zoho.jp", "https://accounts.zoho.jp"),
            ("https://cliq.zoho.sa", "https://accounts.zoho.sa"),
            ("https://cliq.zoho.uk", "https://accounts.zoho.uk"),
            ("https://cliq.zohocloud.ca", "https://accounts.zohocloud.ca"),
            ("https://cliq.zoho.ae", "https://accounts.zoho.ae"),
        ];
        assert_eq!(DataCenter::ALL.len(), expected.len());
        for (dc, (cliq, accounts)) in DataCenter::ALL.iter().zip(expected) {
            assert_eq!(dc.cliq_origin(), cliq);
            assert!(dc.is_cliq_host(cliq.trim_start_matches("https://")));
            assert!(!dc.is_cliq_host(accounts.trim_start_matches("https://")));
            assert_eq!(dc.accounts_url(), accounts);
            assert_eq!(dc.api_base_url(), format!("{cliq}/api/v3"));
        }
    }

    #[test]
    fn data_center_parses_codes_aliases_and_urls() {
        for dc in DataCenter::ALL {
            assert_eq!(dc.code().parse::<DataCenter>(), Ok(dc));
            assert_eq!(dc.to_string().parse::<DataCenter>(), Ok(dc));
            assert_eq!(dc.cliq_origin().parse::<DataCenter>(), Ok(dc));
            assert_eq!(dc.accounts_url().parse::<DataCenter>(), Ok(dc));
        }
        assert_eq!("US".parse(), Ok(DataCenter::Us));
        assert_eq!(".eu".parse(), Ok(DataCenter::Eu));
        assert_eq!("au".parse(), Ok(DataCenter::Au));
        assert_eq!("ca".parse(), Ok(DataCenter::Ca));
        assert_eq!(
            "https://cliq.zoho.in/company/123/chats".parse(),
            Ok(DataCenter::In)
        );
        let err = "mars".parse::<DataCenter>().unwrap_err();
        assert!(err.to_string().contains("\"mars\""), "{err}");
        assert!(
            err.to_string().contains(
                "com (us), eu, in, com.au (au), com.cn (cn), jp, sa, uk, zohocloud.ca (ca), ae,"
            ),
            "{err}"
        );
        assert_eq!("global".parse(), Ok(DataCenter::Us));
        assert_eq!("zoho.com.au".parse(), Ok(DataCenter::Au));
    }
}
