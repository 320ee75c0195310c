//! Batch signatures: a client may sign each batch it submits with its own
//! Ed25519 key, so that only the holder of that key can start a batch for
//! it, whoever holds its API key. The signature is over the RFC 8785
//! canonical JSON of the request body (what idempotency compares too), and
//! travels base64-encoded in the `X-Batch-Signature` header. The service's
//! configuration holds the client's public key (`batch_public_key`, hex or
//! base64) and whether every batch must be signed
//! (`require_batch_signature`).
//!
//! [`sign_body`] and [`new_batch_key`] are for clients (and tests) that
//! make signatures the service accepts.

use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// The request header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-batch-signature";

/// Standard base64 (RFC 4648 section 4), padding optional.
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Why a batch's signature is not accepted (HTTP 403, `bad_signature`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    /// The client must sign its batches and this one carries no signature.
    #[error(
        "missing X-Batch-Signature header: API key {client:?} must sign its batches \
         (base64 Ed25519 signature over the RFC 8785 canonical JSON of the body)"
    )]
    Missing {
        /// The API key's name.
        client: String,
    },
    /// A signature from a client with no `batch_public_key` to check it.
    #[error("X-Batch-Signature: API key {client:?} has no batch_public_key configured to verify it")]
    NoKey {
        /// The API key's name.
        client: String,
    },
    /// The header is not base64 of 64 bytes.
    #[error("X-Batch-Signature: expected the base64 of a 64-byte Ed25519 signature")]
    Malformed,
    /// The signature does not verify under the client's key.
    #[error(
        "X-Batch-Signature: the signature does not verify under API key {client:?}'s batch_public_key \
         (it must sign the RFC 8785 canonical JSON of this body)"
    )]
    Invalid {
        /// The API key's name.
        client: String,
    },
}

/// Decodes a configured public key: 32 bytes as 64 hex digits or as
/// base64; a key that is not a valid curve point, or is of small order, is
/// refused.
///
/// # Errors
/// What was expected, for the configuration error.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).map_err(|e| e.to_string())?
    } else {
        BASE64.decode(text).map_err(|_| {
            "expected an Ed25519 public key of 32 bytes, as 64 hex digits or base64 (44 characters)".to_string()
        })?
    };
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("expected an Ed25519 public key of 32 bytes, got {} bytes", b.len()))?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| "not a valid Ed25519 public key".to_string())?;
    if key.is_weak() {
        return Err("a weak Ed25519 public key (of small order): any signature would verify".into());
    }
    Ok(key)
}

/// Checks a batch's signature header against the client's key:
/// `header` is the `X-Batch-Signature` value, if any; `canonical` the
/// canonical JSON of the body. With `required`, a batch without a
/// signature is refused; without it, a signature present must still
/// verify.
///
/// # Errors
/// [`SignatureProblem`].
pub fn check(
    client: &str,
    key: Option<&VerifyingKey>,
    required: bool,
    header: Option<&[u8]>,
    canonical: &[u8],
) -> Result<(), SignatureProblem> {
    let Some(header) = header else {
        return if required { Err(SignatureProblem::Missing { client: client.into() }) } else { Ok(()) };
    };
    let Some(key) = key else {
        return Err(SignatureProblem::NoKey { client: client.into() });
    };
    let text = std::str::from_utf8(header).map_err(|_| SignatureProblem::Malformed)?;
    let bytes: [u8; 64] =
        BASE64.decode(text.trim()).ok().and_then(|b| b.try_into().ok()).ok_or(SignatureProblem::Malformed)?;
    key.verify_strict(canonical, &Signature::from_bytes(&bytes))
        .map_err(|_| SignatureProblem::Invalid { client: client.into() })
}

/// The RFC 8785 canonical JSON of a request body: what a batch signature
/// signs.
///
/// # Errors
/// A message when the value cannot be canonicalised (a number JSON cannot
/// carry).
pub fn canonical_json(body: &serde_json::Value) -> Result<Vec<u8>, String> {
    serde_jcs::to_vec(body).map_err(|e| e.to_string())
}

/// The `X-Batch-Signature` value for `body`, signed with the 32-byte
/// Ed25519 secret key `secret_key` (for clients and tests).
///
/// # Errors
/// As [`canonical_json`].
pub fn sign_body(secret_key: &[u8; 32], body: &serde_json::Value) -> Result<String, String> {
    let signature = SigningKey::from_bytes(secret_key).sign(&canonical_json(body)?);
    Ok(base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()))
}

/// A new random Ed25519 key pair: the 32-byte secret key, and the public
/// key as 64 hex digits (for `batch_public_key`).
pub fn new_batch_key() -> ([u8; 32], String) {
    use rand::RngCore;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let public = hex::encode(SigningKey::from_bytes(&secret).verifying_key().to_bytes());
    (secret, public)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn public_keys_are_read_as_hex_or_base64() {
        let (secret, public_hex) = new_batch_key();
        let key = parse_public_key(&public_hex).unwrap();
        assert_eq!(key, SigningKey::from_bytes(&secret).verifying_key());
        let b64 = base64::engine::general_purpose::STANDARD.encode(key.to_bytes());
        assert_eq!(parse_public_key(&b64).unwrap(), key);
        assert_eq!(parse_public_key(b64.trim_end_matches('=')).unwrap(), key);
        assert!(parse_public_key(&public_hex[..62]).unwrap_err().contains("32 bytes"));
        assert!(parse_public_key("not a key!").unwrap_err().contains("64 hex digits or base64"));
        // The identity point is of small order: refused.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(parse_public_key(&hex::encode(identity)).unwrap_err().contains("weak"));
    }

    #[test]
    fn signatures_are_over_the_canonical_json() {
        let (secret, public) = new_batch_key();
        let key = parse_public_key(&public).unwrap();
        let body = json!({"withdrawals": [{"b": 1, "a": 2}], "credential": {}});
        let signature = sign_body(&secret, &body).unwrap();
        let canonical = canonical_json(&body).unwrap();
        assert!(check("c", Some(&key), true, Some(signature.as_bytes()), &canonical).is_ok());
        // Any key order, the same canonical JSON.
        let reordered: serde_json::Value =
            serde_json::from_str(r#"{"credential": {}, "withdrawals": [{"a": 2, "b": 1}]}"#).unwrap();
        assert_eq!(canonical_json(&reordered).unwrap(), canonical);
        // Another body, another key, garbage, nothing.
        let other = canonical_json(&json!({"withdrawals": []})).unwrap();
        assert!(matches!(
            check("c", Some(&key), true, Some(signature.as_bytes()), &other),
            Err(SignatureProblem::Invalid { .. })
        ));
        let (_, stranger) = new_batch_key();
        let stranger = parse_public_key(&stranger).unwrap();
        assert!(check("c", Some(&stranger), false, Some(signature.as_bytes()), &canonical).is_err());
        assert_eq!(check("c", Some(&key), true, Some(b"abc"), &canonical), Err(SignatureProblem::Malformed));
        assert_eq!(check("c", Some(&key), true, Some(&[0xff]), &canonical), Err(SignatureProblem::Malformed));
        assert!(matches!(check("c", Some(&key), true, None, &canonical), Err(SignatureProblem::Missing { .. })));
        assert!(check("c", Some(&key), false, None, &canonical).is_ok());
        assert!(check("c", None, false, None, &canonical).is_ok());
        assert!(matches!(
            check("c", None, false, Some(signature.as_bytes()), &canonical),
            Err(SignatureProblem::NoKey { .. })
        ));
    }
}
