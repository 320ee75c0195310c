//! The holder's secret and the holder's copy of a credential.

use ark_std::UniformRand;
use serde::{Deserialize, Serialize};
use zkcomply_circuits::encoding::id_commitment;
use zkcomply_circuits::Fr;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::expect_version;
use zkcomply_verifier::parse_json;
use zkcomply_verifier::values::FieldElement;
use zkcomply_verifier::FormatError;

use crate::ProverError;

/// The version string of the holder file.
pub const HOLDER_V1: &str = "zkcomply/holder/v1";

/// A holder's secret and its commitment (keep the file private; send only
/// `id_commitment` to the issuer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolderFile {
    /// `zkcomply/holder/v1`.
    pub version: String,
    /// The secret.
    pub secret: FieldElement,
    /// `Poseidon(secret)`.
    pub id_commitment: FieldElement,
}

impl HolderFile {
    /// A fresh random secret.
    pub fn generate<R: rand::RngCore + rand::CryptoRng>(rng: &mut R) -> Self {
        let secret = Fr::rand(rng);
        Self {
            version: HOLDER_V1.into(),
            secret: FieldElement(secret),
            id_commitment: FieldElement(id_commitment(secret)),
        }
    }

    /// Parses and checks that the commitment opens.
    ///
    /// # Errors
    /// [`FormatError`] naming the field.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        let h: Self = parse_json("holder", text)?;
        expect_version(&h.version, HOLDER_V1).map_err(|m| FormatError::invalid("holder", "version", m))?;
        if id_commitment(h.secret.0) != h.id_commitment.0 {
            return Err(FormatError::invalid("holder", "id_commitment", "is not Poseidon(secret)"));
        }
        Ok(h)
    }
}

/// Joins an issued credential with the holder's secret: the holder's copy.
///
/// # Errors
/// [`ProverError::Policy`] when the credential was issued to another
/// commitment or its signature does not verify.
pub fn accept(credential: &Credential, holder: &HolderFile) -> Result<Credential, ProverError> {
    if credential.holder.id_commitment != holder.id_commitment {
        return Err(ProverError::Policy(
            "the credential was issued for another id_commitment than this holder's".into(),
        ));
    }
    let mut copy = credential.clone();
    copy.holder.secret = Some(holder.secret);
    copy.check().map_err(|e| ProverError::Policy(e.to_string()))?;
    Ok(copy)
}
