//! Credential, version 1 (normative): an issuer's EdDSA-Poseidon signature
//! over the holder's `id_commitment` and KYC attributes.

use serde::{Deserialize, Serialize};
use zkcomply_circuits::eddsa::{PublicKey, Signature, SignatureError};
use zkcomply_circuits::encoding::id_commitment;
use zkcomply_circuits::withdrawal::credential_message;
use zkcomply_circuits::Fr;

use crate::error::{expect_version, parse_json, FormatError};
pub use crate::holder_secret::HolderSecret;
use crate::limits::MAX_CREDENTIAL_BYTES;
use crate::values::{FieldElement, Key252, PointJson, SafeInt, Scalar};

/// The version string of this format.
pub const CREDENTIAL_V1: &str = "zkcomply/credential/v1";

/// The holder part: the commitment, and the secret in the holder's copy only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// `Poseidon(secret)`.
    pub id_commitment: FieldElement,
    /// The holder's secret (absent in the issuer's copy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<HolderSecret>,
}

/// The signed attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attributes {
    /// KYC tier 0..=255.
    pub kyc_tier: u8,
    /// ISO 3166-1 numeric code (1..=999).
    pub jurisdiction: u16,
    /// `str_key` of the normalised identity line.
    pub identity_hash: Key252,
    /// Expiry in unix seconds.
    pub expires_at: SafeInt,
    /// The credential id for revocation, below 2^252.
    pub nonce: Key252,
}

/// The signature `(R8, S)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureJson {
    /// The commitment point.
    pub r8: PointJson,
    /// The scalar.
    pub s: Scalar,
}

/// A credential document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// `zkcomply/credential/v1`.
    pub version: String,
    /// The issuer's public key `A`.
    pub issuer_public_key: PointJson,
    /// The holder part.
    pub holder: Holder,
    /// The signed attributes.
    pub attributes: Attributes,
    /// The issuer's signature.
    pub signature: SignatureJson,
}

/// Why a credential is not valid.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// The signature does not verify.
    #[error("credential signature: {0}")]
    Signature(#[from] SignatureError),
    /// The holder's secret does not open `id_commitment`.
    #[error("credential: holder.secret does not match holder.id_commitment")]
    SecretMismatch,
    /// A field out of its allowed range.
    #[error("credential: {0}")]
    Range(String),
}

impl Credential {
    /// Parses a credential of at most [`MAX_CREDENTIAL_BYTES`] and checks
    /// the format (not the signature: see [`Credential::check`]).
    ///
    /// # Errors
    /// [`FormatError`] naming the field, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_CREDENTIAL_BYTES.check(text.len())?;
        let c: Self = parse_json("credential", text)?;
        expect_version(&c.version, CREDENTIAL_V1)
            .map_err(|m| FormatError::invalid("credential", "version", m.to_string()))?;
        if c.attributes.jurisdiction == 0 || c.attributes.jurisdiction > 999 {
            return Err(FormatError::invalid(
                "credential",
                "attributes.jurisdiction",
                "expected an ISO 3166-1 numeric code in 1..=999",
            ));
        }
        Ok(c)
    }

    /// The message the issuer signed.
    pub fn message(&self) -> Fr {
        let a = &self.attributes;
        credential_message(
            self.holder.id_commitment.0,
            a.kyc_tier,
            a.jurisdiction,
            a.identity_hash.0,
            a.expires_at.0,
            a.nonce.0,
        )
    }

    /// The issuer key.
    pub fn issuer(&self) -> PublicKey {
        PublicKey(self.issuer_public_key.point())
    }

    /// The signature.
    pub fn signature(&self) -> Signature {
        Signature { r8: self.signature.r8.point(), s: self.signature.s.0.clone() }
    }

    /// Verifies the issuer's signature and, in a holder's copy, that the
    /// secret opens the commitment.
    ///
    /// # Errors
    /// [`CredentialError`] saying which check failed.
    pub fn check(&self) -> Result<(), CredentialError> {
        self.issuer().verify(self.message(), &self.signature())?;
        if let Some(secret) = &self.holder.secret {
            if id_commitment(secret.expose()) != self.holder.id_commitment.0 {
                return Err(CredentialError::SecretMismatch);
            }
        }
        Ok(())
    }
}
