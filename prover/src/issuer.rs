//! The KYC provider's tools: key generation, issuing and revoking.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use zkcomply_circuits::eddsa::PrivateKey;
use zkcomply_circuits::withdrawal::credential_message;
use zkcomply_circuits::Fr;
use zkcomply_verifier::credential::{Attributes, Credential, Holder, SignatureJson, CREDENTIAL_V1};
use zkcomply_verifier::expect_version;
use zkcomply_verifier::parse_json;
use zkcomply_verifier::values::{FieldElement, Key252, PointJson, SafeInt, Scalar};
use zkcomply_verifier::FormatError;

/// The version string of the issuer key file.
pub const ISSUER_KEY_V1: &str = "zkcomply/issuer-key/v1";

/// An issuer's key file (private: keep it safe).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerKeyFile {
    /// `zkcomply/issuer-key/v1`.
    pub version: String,
    /// The 32-byte private key, lowercase hex.
    pub private_key: String,
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
        let public = PrivateKey(key).public_key();
        Self {
            version: ISSUER_KEY_V1.into(),
            private_key: hex::encode(key),
            public_key: PointJson::from_point(&public.0),
        }
    }

    /// Parses and checks that the public key matches the private key.
    ///
    /// # Errors
    /// [`FormatError`] naming the field.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        let k: Self = parse_json("issuer key", text)?;
        expect_version(&k.version, ISSUER_KEY_V1).map_err(|m| FormatError::invalid("issuer key", "version", m))?;
        let bytes = k.private_bytes()?;
        if PrivateKey(bytes).public_key().0 != k.public_key.point() {
            return Err(FormatError::invalid("issuer key", "public_key", "does not belong to private_key"));
        }
        Ok(k)
    }

    fn private_bytes(&self) -> Result<[u8; 32], FormatError> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(&self.private_key, &mut out)
            .map_err(|_| FormatError::invalid("issuer key", "private_key", "expected 64 hex digits"))?;
        Ok(out)
    }

    /// The signing key.
    ///
    /// # Errors
    /// [`FormatError`] when `private_key` is not 64 hex digits (only possible
    /// for a value built in code: [`IssuerKeyFile::from_json`] checks it).
    pub fn signing_key(&self) -> Result<PrivateKey, FormatError> {
        self.private_bytes().map(PrivateKey)
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
///
/// # Errors
/// [`FormatError`] for a malformed private key.
pub fn issue<R: RngCore>(key: &IssuerKeyFile, req: &IssueRequest, rng: &mut R) -> Result<Credential, FormatError> {
    let nonce = req.nonce.unwrap_or_else(|| {
        // 248 random bits: below 2^252, and never the sentinel 0.
        let mut bytes = [0u8; 31];
        rng.fill_bytes(&mut bytes);
        bytes[30] |= 1;
        zkcomply_circuits::field::biguint_to_fr(&num_bigint::BigUint::from_bytes_be(&bytes)).unwrap_or_default()
    });
    let m =
        credential_message(req.id_commitment, req.kyc_tier, req.jurisdiction, req.identity_hash, req.expires_at, nonce);
    let sig = key.signing_key()?.sign(m);
    Ok(Credential {
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
    })
}
