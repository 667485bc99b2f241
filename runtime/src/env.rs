//! A client from environment variables: the examples, `cargo cliq diff` / `push` and your own
//! tools read the same ones.
//!
//! | variable | meaning |
//! |---|---|
//! | `CLIQ_DATA_CENTER` | a data center's code (`eu`, `com.au`, …: [`data_center_codes`] lists them), short alias or Cliq URL, as [`DataCenter`]'s `FromStr` reads them |
//! | `CLIQ_ACCESS_TOKEN` | an OAuth access token, **or** the three below |
//! | `CLIQ_CLIENT_ID`, `CLIQ_CLIENT_SECRET`, `CLIQ_REFRESH_TOKEN` | refresh-token flow against the data center's accounts server |
//! | `CLIQ_NETWORK` | optional: a Cliq network's unique name |
//! | `CLIQ_BASE_URL` | optional: API root override (a proxy, or Prism: `http://127.0.0.1:4010`); makes `CLIQ_DATA_CENTER` optional |
//! | `CLIQ_AUTH_SCHEME` | optional: `bearer` (default) or `zoho-oauthtoken` |
use std::fmt;

use crate::{AuthScheme, Client, ClientBuilder, DataCenter, RefreshToken, TokenSource};

/// Why the environment does not describe a usable client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError(String);

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EnvError {}

/// The codes `CLIQ_DATA_CENTER` accepts, for help texts: `com, eu, …`, from
/// [`DataCenter::ALL`].
pub fn data_center_codes() -> String {
    DataCenter::ALL.map(DataCenter::code).join(", ")
}

/// What to set, appended to the errors of [`builder_from_lookup`].
fn help() -> String {
    format!(
        "Set, for example:
  export CLIQ_DATA_CENTER=eu            # {}
  export CLIQ_ACCESS_TOKEN=1000.xxxx    # or CLIQ_CLIENT_ID + CLIQ_CLIENT_SECRET + CLIQ_REFRESH_TOKEN
Optional: CLIQ_NETWORK, CLIQ_BASE_URL (proxy or mock server), CLIQ_AUTH_SCHEME=zoho-oauthtoken",
        data_center_codes()
    )
}

/// Build a runtime client from the process environment (see the crate docs).
pub fn client_from_env() -> Result<Client, EnvError> {
    client_from_lookup(|name| std::env::var(name).ok())
}

/// Build a runtime client from `lookup` (the environment, or a map in tests).
pub fn client_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Client, EnvError> {
    builder_from_lookup(lookup)?
        .build()
        .map_err(|e| EnvError(e.to_string()))
}

/// [`client_from_env`], stopping before `build()` so the caller can add settings (for
/// example the client-side rate limiter).
pub fn builder_from_env() -> Result<ClientBuilder, EnvError> {
    builder_from_lookup(|name| std::env::var(name).ok())
}

/// [`client_from_lookup`], stopping before `build()`.
pub fn builder_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<ClientBuilder, EnvError> {
    let get = |name: &str| {
        lookup(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let base_url = get("CLIQ_BASE_URL");
    let data_center = match (get("CLIQ_DATA_CENTER"), &base_url) {
        (Some(dc), _) => dc
            .parse::<DataCenter>()
            .map_err(|e| EnvError(format!("CLIQ_DATA_CENTER: {e}")))?,
        (None, Some(_)) => DataCenter::default(),
        (None, None) => {
            return Err(EnvError(format!(
                "CLIQ_DATA_CENTER is not set: which Zoho data center is your Cliq on \
                 (look at the URL you log in to, e.g. cliq.zoho.eu → eu)?\n{}",
                help()
            )))
        }
    };
    let token = match (
        get("CLIQ_ACCESS_TOKEN"),
        get("CLIQ_CLIENT_ID"),
        get("CLIQ_CLIENT_SECRET"),
        get("CLIQ_REFRESH_TOKEN"),
    ) {
        (Some(token), ..) => TokenSource::static_token(token),
        (None, Some(id), Some(secret), Some(refresh)) => {
            TokenSource::refresh(RefreshToken::new(id, secret, refresh))
        }
        (None, id, secret, refresh) => {
            let missing: Vec<&str> = [
                ("CLIQ_CLIENT_ID", id.is_none()),
                ("CLIQ_CLIENT_SECRET", secret.is_none()),
                ("CLIQ_REFRESH_TOKEN", refresh.is_none()),
            ]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| *n)
            .collect();
            return Err(EnvError(format!(
                "no token: set CLIQ_ACCESS_TOKEN, or all of CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET, \
                 CLIQ_REFRESH_TOKEN (missing: {})\n{}",
                missing.join(", "),
                help()
            )));
        }
    };
    let scheme = match get("CLIQ_AUTH_SCHEME").map(|s| s.to_ascii_lowercase()) {
        None => AuthScheme::Bearer,
        Some(s) if s == "bearer" => AuthScheme::Bearer,
        Some(s) if s == "zoho-oauthtoken" => AuthScheme::ZohoOauthtoken,
        Some(other) => {
            return Err(EnvError(format!(
                "CLIQ_AUTH_SCHEME={other:?}: expected `bearer` or `zoho-oauthtoken`"
            )))
        }
    };
    let mut builder = Client::builder()
        .data_center(data_center)
        .token(token)
        .auth_scheme(scheme);
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    if let Some(network) = get("CLIQ_NETWORK") {
        builder = builder.network(network);
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn missing_data_center_is_explained() {
        let err = client_from_lookup(env(&[("CLIQ_ACCESS_TOKEN", "t")])).unwrap_err();
        assert!(
            err.to_string().contains("CLIQ_DATA_CENTER is not set"),
            "{err}"
        );
    }

    #[test]
    fn missing_token_lists_what_is_missing() {
        let err = client_from_lookup(env(&[("CLIQ_DATA_CENTER", "eu"), ("CLIQ_CLIENT_ID", "id")]))
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("missing: CLIQ_CLIENT_SECRET, CLIQ_REFRESH_TOKEN"),
            "{msg}"
        );
    }

    #[test]
    fn data_center_network_and_refresh_from_env() {
        let client = client_from_lookup(env(&[
            ("CLIQ_DATA_CENTER", "https://cliq.zoho.in/"),
            ("CLIQ_NETWORK", "zylkerclients"),
            ("CLIQ_CLIENT_ID", "id"),
            ("CLIQ_CLIENT_SECRET", "secret"),
            ("CLIQ_REFRESH_TOKEN", "refresh"),
        ]))
        .unwrap();
        assert_eq!(
            client.base_url(),
            "https://cliq.zoho.in/network/zylkerclients/api/v3"
        );
        assert_eq!(client.accounts_url(), Some("https://accounts.zoho.in"));
    }

    #[test]
    fn bad_data_center_is_rejected() {
        let err = client_from_lookup(env(&[
            ("CLIQ_DATA_CENTER", "mars"),
            ("CLIQ_ACCESS_TOKEN", "t"),
        ]))
        .unwrap_err();
        assert!(
            err.to_string().starts_with("CLIQ_DATA_CENTER: unknown"),
            "{err}"
        );
    }
}
