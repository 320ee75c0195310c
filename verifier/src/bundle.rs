//! The proof bundle (normative once v1 ships): one self-describing JSON
//! document carrying the withdrawal in clear, the named public values in
//! clear, the proof's public inputs, and the proof, with the backend
//! (proof system) that made it.

use serde::{Deserialize, Serialize};
use zkcomply_circuits::public_inputs::{StatementValues, BLOCKED_SLOTS, LIMIT_TIERS};

use crate::error::{expect_version, parse_json, FormatError};
use crate::limits::MAX_BUNDLE_BYTES;
use crate::values::{Amount, FieldElement, HexDigest, PointJson, SafeInt};
use crate::withdrawal::Withdrawal;

/// The version string of this format.
pub const BUNDLE_V1: &str = "zkcomply/bundle/v1";

/// Values the holder chose to reveal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosed {
    /// The credential's jurisdiction, when revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<u16>,
}

/// The named public values, in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicValues {
    /// The issuer's key.
    pub issuer_public_key: PointJson,
    /// The minimum tier proved.
    pub min_tier: u8,
    /// The limits for the withdrawal's asset, tiers 0, 1, 2, 3+.
    pub limits: [Amount; LIMIT_TIERS],
    /// Identity sanctions root used.
    pub identity_sanctions_root: FieldElement,
    /// Address sanctions root used.
    pub address_sanctions_root: FieldElement,
    /// Revocation root used.
    pub revocation_root: FieldElement,
    /// Jurisdictions proved excluded (8 slots).
    pub blocked_jurisdictions: [u16; BLOCKED_SLOTS],
    /// The nullifier.
    pub nullifier: FieldElement,
    /// Disclosures.
    #[serde(default)]
    pub disclosed: Disclosed,
}

impl PublicValues {
    /// The statement values `statement_hash` commits to.
    pub fn statement(&self) -> StatementValues {
        StatementValues {
            issuer: self.issuer_public_key.point(),
            min_tier: self.min_tier,
            limits: self.limits.map(|a| a.0),
            identity_root: self.identity_sanctions_root.0,
            address_root: self.address_sanctions_root.0,
            revocation_root: self.revocation_root.0,
            blocked_jurisdictions: self.blocked_jurisdictions,
        }
    }
}

/// A proof bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// `zkcomply/bundle/v1`.
    pub version: String,
    /// The proof system the proof was made with (`groth16-bn254`). Kept as
    /// written: a bundle of a backend this verifier does not know still
    /// parses, and verifying it fails the `backend` check.
    pub backend: String,
    /// The circuit id.
    pub circuit_id: String,
    /// SHA-256 of the verifying key the proof is for.
    pub verifying_key_hash: HexDigest,
    /// When the bundle was made (unix seconds).
    pub created_at: SafeInt,
    /// The withdrawal, in clear.
    pub withdrawal: Withdrawal,
    /// The named public values.
    pub public: PublicValues,
    /// The proof's public inputs as decimal strings (checked below `r` by
    /// the verifier, never reduced).
    pub public_inputs: Vec<String>,
    /// The proof's bytes in its backend's encoding (for Groth16, 128
    /// compressed bytes), standard padded base64.
    pub proof: String,
}

impl Bundle {
    /// Parses a bundle of at most [`MAX_BUNDLE_BYTES`] and checks its
    /// version and withdrawal.
    ///
    /// # Errors
    /// [`FormatError`] naming the field, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_BUNDLE_BYTES.check(text.len())?;
        let b: Self = parse_json("bundle", text)?;
        expect_version(&b.version, BUNDLE_V1).map_err(|m| FormatError::invalid("bundle", "version", m.to_string()))?;
        b.withdrawal.validate("bundle")?;
        Ok(b)
    }

    /// Compact JSON text (one line; bundles are machine documents and stay
    /// under 2 KB this way).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a bundle has only string keys and plain values") + "\n"
    }
}
