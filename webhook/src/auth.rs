//! Opt-in request authenticity checks.
//!
//! - **Shared secret**: a token you put in the bot's `execution_url` (`?token=…`) or that a
//!   proxy adds as the `X-Webhook-Token` header, compared in constant time (both sides are
//!   hashed with SHA-256 first, so neither the content nor the length leaks through timing).
//! - **`X-Cliq-Signature`**: base64 RSASSA-PKCS1-v1_5/SHA-256 over the **raw** request
//!   bytes, verified against the extension's RSA public key. Zoho does not document this for
//!   v3 webhook bots; it is what public webhook-extension code verifies (see "Authenticity"
//!   in the repository's `docs/webhook-protocol.md`, with sources). Raw bytes are verified,
//!   never a re-serialization.

use base64::Engine;
use http::HeaderMap;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{BotError, Rejection};

/// Query parameter carrying the shared secret in the execution URL.
pub const TOKEN_QUERY_PARAM: &str = "token";
/// Header carrying the shared secret.
pub const TOKEN_HEADER: &str = "x-webhook-token";
/// Header carrying Cliq's signature.
pub const SIGNATURE_HEADER: &str = "x-cliq-signature";

/// A shared secret; `Debug` never prints it.
#[derive(Clone)]
pub(crate) struct SharedSecret {
    digest: [u8; 32],
}

impl std::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedSecret(<redacted>)")
    }
}

impl SharedSecret {
    pub(crate) fn new(secret: &str) -> Self {
        SharedSecret {
            digest: Sha256::digest(secret.as_bytes()).into(),
        }
    }

    fn matches(&self, candidate: &str) -> bool {
        let d: [u8; 32] = Sha256::digest(candidate.as_bytes()).into();
        d.ct_eq(&self.digest).into()
    }

    /// Accepts the request when the header or the query parameter carries the secret.
    pub(crate) fn check(&self, headers: &HeaderMap, query: Option<&str>) -> Result<(), Rejection> {
        let from_header = headers
            .get_all(TOKEN_HEADER)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| self.matches(v));
        let from_query = query.is_some_and(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .any(|(k, v)| k == TOKEN_QUERY_PARAM && self.matches(&v))
        });
        if from_header || from_query {
            Ok(())
        } else {
            Err(Rejection::Unauthorized(
                "missing or wrong webhook token".into(),
            ))
        }
    }
}

/// Parses an RSA public key: SPKI PEM (`BEGIN PUBLIC KEY`), PKCS#1 PEM
/// (`BEGIN RSA PUBLIC KEY`), or the bare base64 body of an SPKI PEM as pasted from a console.
pub fn parse_public_key(text: &str) -> Result<RsaPublicKey, BotError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    let text = text.trim();
    if text.contains("BEGIN RSA PUBLIC KEY") {
        return RsaPublicKey::from_pkcs1_pem(text)
            .map_err(|e| BotError::InvalidPublicKey(e.to_string()));
    }
    if text.contains("-----BEGIN") {
        return RsaPublicKey::from_public_key_pem(text)
            .map_err(|e| BotError::InvalidPublicKey(e.to_string()));
    }
    let compact: String = text.split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| BotError::InvalidPublicKey(format!("not PEM and not base64: {e}")))?;
    RsaPublicKey::from_public_key_der(&der).map_err(|e| BotError::InvalidPublicKey(e.to_string()))
}

/// Verifies `X-Cliq-Signature` over the raw body.
#[derive(Clone, Debug)]
pub(crate) struct SignatureCheck {
    key: VerifyingKey<Sha256>,
}

impl SignatureCheck {
    pub(crate) fn new(key: RsaPublicKey) -> Self {
        SignatureCheck {
            key: VerifyingKey::new(key),
        }
    }

    /// Verifies the signature; on success returns the SHA-256 of the raw signature bytes (the
    /// key the replay guard remembers).
    pub(crate) fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<[u8; 32], Rejection> {
        let header = headers
            .get(SIGNATURE_HEADER)
            .ok_or_else(|| Rejection::Unauthorized("missing X-Cliq-Signature header".into()))?;
        let text = header
            .to_str()
            .map_err(|_| Rejection::Unauthorized("X-Cliq-Signature is not text".into()))?;
        let compact: String = text.split_whitespace().collect();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(|_| Rejection::Unauthorized("X-Cliq-Signature is not base64".into()))?;
        let sig = Signature::try_from(raw.as_slice())
            .map_err(|_| Rejection::Unauthorized("X-Cliq-Signature is malformed".into()))?;
        self.key
            .verify(body, &sig)
            .map_err(|_| Rejection::Unauthorized("X-Cliq-Signature does not verify".into()))?;
        Ok(Sha256::digest(&raw).into())
    }
}

/// Replay protection for signed requests: the envelope's `timestamp` must lie within
/// `window` of now (either side, for clock skew), and a signature accepted once is refused
/// again until its timestamp has left the window. Memory is bounded by the requests
/// accepted within one window: entries whose timestamp left the window are evicted (a
/// sweep at most once per second of the injected clock, and whenever the map has doubled
/// since the last sweep, from [`ReplayGuard::SWEEP_ABOVE`] entries on).
#[derive(Debug, Default)]
pub(crate) struct ReplayGuard {
    seen: std::sync::Mutex<ReplayState>,
}

#[derive(Debug, Default)]
struct ReplayState {
    /// Signature digest → the clock time after which its timestamp is stale anyway.
    expires: std::collections::HashMap<[u8; 32], i64>,
    last_sweep: i64,
    /// Sweep on insert once the map reaches this size: twice what the last sweep kept (at
    /// least [`ReplayGuard::SWEEP_ABOVE`]), so a window full of live entries is not rescanned
    /// on every request (amortised O(1) per request).
    sweep_at_len: usize,
    /// Sweeps so far (tests check the amortisation).
    #[cfg(test)]
    sweeps: usize,
}

impl ReplayGuard {
    /// The smallest map size that triggers a sweep on insert.
    pub(crate) const SWEEP_ABOVE: usize = 4096;

    /// Checks a verified request: `timestamp` (ms since the epoch) against `now` and
    /// `window_ms`, then the signature digest against the ones already seen.
    pub(crate) fn check(
        &self,
        digest: [u8; 32],
        timestamp: Option<i64>,
        now: i64,
        window_ms: i64,
    ) -> Result<(), Rejection> {
        let ts = timestamp.ok_or_else(|| {
            Rejection::StaleRequest("the request has no `timestamp`, so its age is unknown".into())
        })?;
        let age = now.saturating_sub(ts);
        if age > window_ms || age < -window_ms {
            return Err(Rejection::StaleRequest(format!(
                "`timestamp` is {}s from now; the replay window is {}s",
                age / 1000,
                window_ms / 1000
            )));
        }
        // A poisoned lock only means another request panicked mid-insert; the map is
        // still a valid map.
        let mut state = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if state.expires.len() >= state.sweep_at_len.max(Self::SWEEP_ABOVE)
            || now.saturating_sub(state.last_sweep) >= 1000
        {
            state.expires.retain(|_, expiry| *expiry >= now);
            state.last_sweep = now;
            state.sweep_at_len = state.expires.len().saturating_mul(2);
            #[cfg(test)]
            {
                state.sweeps += 1;
            }
        }
        match state.expires.get(&digest) {
            Some(expiry) if *expiry >= now => Err(Rejection::ReplayedRequest),
            _ => {
                state.expires.insert(digest, ts.saturating_add(window_ms));
                Ok(())
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.seen.lock().map(|s| s.expires.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_from_query_or_header() {
        let s = SharedSecret::new("s3cret");
        let mut h = HeaderMap::new();
        assert!(s.check(&h, Some("a=1&token=s3cret")).is_ok());
        assert!(s.check(&h, Some("token=s3cre")).is_err());
        assert!(s.check(&h, None).is_err());
        h.insert(TOKEN_HEADER, "s3cret".parse().unwrap());
        assert!(s.check(&h, None).is_ok());
        assert_eq!(format!("{s:?}"), "SharedSecret(<redacted>)");
    }

    #[test]
    fn a_full_window_is_not_rescanned_on_every_request() {
        let g = ReplayGuard::default();
        let now = 1_000_000_000;
        for i in 0..20_000u32 {
            let mut digest = [0; 32];
            digest[..4].copy_from_slice(&i.to_le_bytes());
            assert!(g.check(digest, Some(now), now, 300_000).is_ok());
        }
        let state = g.seen.lock().unwrap();
        assert_eq!(state.expires.len(), 20_000);
        // 20 000 live entries at one instant: the first insert's time sweep, then one at
        // 4 096 and at each doubling (8 192, 16 384) — not one per request past 4 096.
        assert!(state.sweeps <= 4, "{} sweeps", state.sweeps);
    }

    #[test]
    fn replay_guard_window_repeats_and_eviction() {
        let g = ReplayGuard::default();
        let w = 300_000;
        let now = 1_000_000_000;
        assert!(matches!(
            g.check([1; 32], None, now, w),
            Err(Rejection::StaleRequest(_))
        ));
        assert!(matches!(
            g.check([1; 32], Some(now - w - 1), now, w),
            Err(Rejection::StaleRequest(_))
        ));
        assert!(matches!(
            g.check([1; 32], Some(now + w + 1), now, w),
            Err(Rejection::StaleRequest(_))
        ));
        assert!(g.check([1; 32], Some(now - w), now, w).is_ok());
        assert_eq!(
            g.check([1; 32], Some(now - w), now, w),
            Err(Rejection::ReplayedRequest)
        );
        for i in 0..100u8 {
            assert!(g.check([i.wrapping_add(2); 32], Some(now), now, w).is_ok());
        }
        assert_eq!(g.len(), 101);
        // One window later every entry has expired; the next insert sweeps them.
        let later = now + w + 1;
        assert!(g.check([200; 32], Some(later), later, w).is_ok());
        assert_eq!(g.len(), 1);
    }
}
