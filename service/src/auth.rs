//! API keys: clients send `Authorization: Bearer <key>`; the configuration
//! holds only each key's SHA-256 (keys are 256-bit random strings, so a
//! plain hash is enough to keep them out of the configuration).

use std::collections::HashMap;

use axum::http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::ApiKeyConfig;

/// The prefix of keys `zkcomply service new-api-key` makes.
pub const KEY_PREFIX: &str = "zkc_";

/// Configured clients by key hash.
pub struct ApiKeys {
    by_hash: HashMap<[u8; 32], ApiKeyConfig>,
}

/// SHA-256 of a key, hex.
pub fn key_sha256(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new random API key.
pub fn new_api_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{KEY_PREFIX}{}", hex::encode(bytes))
}

impl ApiKeys {
    /// Indexes the configured keys (hashes already checked as 64 hex digits).
    pub fn new(keys: &[ApiKeyConfig]) -> Self {
        let by_hash = keys
            .iter()
            .filter_map(|k| {
                let bytes: [u8; 32] = hex::decode(k.sha256.to_ascii_lowercase()).ok()?.try_into().ok()?;
                Some((bytes, k.clone()))
            })
            .collect();
        Self { by_hash }
    }

    /// The client whose key the request carries.
    ///
    /// # Errors
    /// A message for the 401 response.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<&ApiKeyConfig, &'static str> {
        let value = headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or("missing Authorization header: expected `Authorization: Bearer <API key>`")?;
        let key = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim())
            .ok_or("Authorization: expected `Bearer <API key>`")?;
        let hash: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        self.by_hash.get(&hash).ok_or("unknown API key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_configured_keys_pass() {
        let key = new_api_key();
        let keys = ApiKeys::new(&[ApiKeyConfig {
            name: "w".into(),
            sha256: key_sha256(&key).to_uppercase(),
            requests_per_minute: 1,
            burst: 1,
            batch_public_key: None,
            require_batch_signature: false,
            batch_verifying_key: None,
        }]);
        let mut h = HeaderMap::new();
        assert!(keys.authenticate(&h).is_err());
        h.insert("authorization", HeaderValue::from_str(&format!("Bearer {key}")).unwrap());
        assert_eq!(keys.authenticate(&h).unwrap().name, "w");
        h.insert("authorization", HeaderValue::from_str(&format!("Bearer {key}x")).unwrap());
        assert!(keys.authenticate(&h).is_err());
        h.insert("authorization", HeaderValue::from_str(&format!("bearer {key}")).unwrap());
        assert!(keys.authenticate(&h).is_ok(), "the scheme is case-insensitive");
        h.insert("authorization", HeaderValue::from_str(&key).unwrap());
        assert!(keys.authenticate(&h).is_err(), "no Bearer scheme");
    }
}
