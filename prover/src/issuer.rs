//! The KYC provider's tools: key generation, issuing and revoking.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use zkcomply_circuits::eddsa::PrivateKey;
use zkcomply_circuits::withdrawal::credential_message;
use zkcomply_circuits::Fr;
use zkcomply_verifier::credential::{Attributes, Credential, Holder, SignatureJson, CREDENTIAL_V1};
use zkcomply_verifier::expect_version;
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::parse_json;
use zkcomply_verifier::values::{FieldElement, Key252, PointJson, SafeInt, Scalar};
use zkcomply_verifier::FormatError;

/// The version string of the issuer key file.
pub const ISSUER_KEY_V1: &str = "zkcomply/issuer-key/v1";

/// An issuer key file (about 300 bytes).
pub const MAX_ISSUER_KEY_BYTES: SizeLimit =
    SizeLimit { document: "issuer key", name: "MAX_ISSUER_KEY_BYTES", bytes: 16 * 1024 };

/// An issuer's key file (private: keep it safe).
///
/// The private key prints as `PrivateKey(..)` in `Debug` output and is
/// wiped from memory when the file is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerKeyFile {
    /// `zkcomply/issuer-key/v1`.
    pub version: String,
    /// The 32-byte private key, written as 64 lowercase hex digits.
    #[serde(with = "private_key_hex")]
    pub private_key: PrivateKey,
    /// The public key (as circomlibjs `prv2pub`).
    pub public_key: PointJson,
}

impl IssuerKeyFile {
    /// A fresh key.
    pub fn generate<R: RngCore + rand::CryptoRng>(rng: &mut R) -> Self {
        let mut key = [0u8; 32];
        rng.fill_bytes(&mut key);
        Self::from_private(key)
    }

    /// The file for a given private key.
    pub fn from_private(key: [u8; 32]) -> Self {
        let private_key = PrivateKey::from_bytes(key);
        let public = private_key.public_key();
        Self { version: ISSUER_KEY_V1.into(), private_key, public_key: PointJson::from_point(&public.0) }
    }

    /// Parses an issuer key file of at most [`MAX_ISSUER_KEY_BYTES`] and
    /// checks that the public key matches the private key.
    ///
    /// # Errors
    /// [`FormatError`] naming the field, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_ISSUER_KEY_BYTES.check(text.len())?;
        let k: Self = parse_json("issuer key", text)?;
        expect_version(&k.version, ISSUER_KEY_V1)
            .map_err(|m| FormatError::invalid("issuer key", "version", m.to_string()))?;
        if k.private_key.public_key().0 != k.public_key.point() {
            return Err(FormatError::invalid("issuer key", "public_key", "does not belong to private_key"));
        }
        Ok(k)
    }

    /// The signing key.
    pub fn signing_key(&self) -> &PrivateKey {
        &self.private_key
    }
}

/// `private_key` as 64 lowercase hex digits; the text is wiped once read
/// or written.
mod private_key_hex {
    use serde::{de, Deserialize, Deserializer, Serializer};
    use zeroize::{Zeroize, Zeroizing};
    use zkcomply_circuits::eddsa::PrivateKey;

    pub fn serialize<S: Serializer>(key: &PrivateKey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Zeroizing::new(hex::encode(key.expose_bytes())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PrivateKey, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        let mut bytes = [0u8; 32];
        let decoded = hex::decode_to_slice(text.as_bytes(), &mut bytes);
        let key = PrivateKey::from_bytes(bytes);
        bytes.zeroize();
        decoded.map(|()| key).map_err(|_| de::Error::custom("expected 64 hex digits"))
    }
}

/// What the issuer attests.
#[derive(Debug, Clone)]
pub struct IssueRequest {
    /// The holder's commitment.
    pub id_commitment: Fr,
    /// KYC tier.
    pub kyc_tier: u8,
    /// ISO 3166-1 numeric code.
    pub jurisdiction: u16,
    /// Identity hash (below 2^252).
    pub identity_hash: Fr,
    /// Expiry, unix seconds (below 2^53).
    pub expires_at: u64,
    /// Credential id; random below 2^252 when `None`.
    pub nonce: Option<Fr>,
}

/// Signs a credential (the issuer's copy, without the holder's secret).
pub fn issue<R: RngCore>(key: &IssuerKeyFile, req: &IssueRequest, rng: &mut R) -> Credential {
    let nonce = req.nonce.unwrap_or_else(|| {
        // 248 random bits: below 2^252, and never the sentinel 0.
        let mut bytes = [0u8; 31];
        rng.fill_bytes(&mut bytes);
        bytes[30] |= 1;
        zkcomply_circuits::field::biguint_to_fr(&num_bigint::BigUint::from_bytes_be(&bytes))
            .expect("248 bits are below the field modulus")
    });
    let m =
        credential_message(req.id_commitment, req.kyc_tier, req.jurisdiction, req.identity_hash, req.expires_at, nonce);
    let sig = key.signing_key().sign(m);
    Credential {
        version: CREDENTIAL_V1.into(),
        issuer_public_key: key.public_key,
        holder: Holder { id_commitment: FieldElement(req.id_commitment), secret: None },
        attributes: Attributes {
            kyc_tier: req.kyc_tier,
            jurisdiction: req.jurisdiction,
            identity_hash: Key252(req.identity_hash),
            expires_at: SafeInt(req.expires_at),
            nonce: Key252(nonce),
        },
        signature: SignatureJson { r8: PointJson::from_point(&sig.r8), s: Scalar(sig.s) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_private_key_is_64_hex_digits_in_json_and_hidden_in_debug() {
        let file = IssuerKeyFile::from_private([0xa1; 32]);
        let json: serde_json::Value = serde_json::to_value(&file).unwrap();
        assert_eq!(json["private_key"], "a1".repeat(32));
        assert!(!format!("{file:?}").contains("a1a1"), "{file:?}");
        let back = IssuerKeyFile::from_json(&json.to_string()).unwrap();
        assert_eq!(back, file);
        let mut bad = json.clone();
        bad["private_key"] = "a1".repeat(31).into();
        let e = IssuerKeyFile::from_json(&bad.to_string()).unwrap_err().to_string();
        assert!(e.contains("private_key") && e.contains("expected 64 hex digits"), "{e}");
    }
}
