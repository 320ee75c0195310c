//! The holder's secret and the holder's copy of a credential.

use ark_std::UniformRand;
use serde::{Deserialize, Serialize};
use zkcomply_circuits::encoding::id_commitment;
use zkcomply_circuits::Fr;
use zkcomply_verifier::credential::{Credential, HolderSecret};
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::values::FieldElement;
use zkcomply_verifier::FormatError;
use zkcomply_verifier::{expect_version, parse_json};

use crate::{PolicyMismatch, ProverError};

/// The version string of the holder file.
pub const HOLDER_V1: &str = "zkcomply/holder/v1";

/// A holder file (about 200 bytes).
pub const MAX_HOLDER_FILE_BYTES: SizeLimit =
    SizeLimit { document: "holder", name: "MAX_HOLDER_FILE_BYTES", bytes: 16 * 1024 };

/// A holder's secret and its commitment (keep the file private; send only
/// `id_commitment` to the issuer). The secret never shows in `Debug`
/// output and is wiped from memory when the file is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolderFile {
    /// `zkcomply/holder/v1`.
    pub version: String,
    /// The secret.
    pub secret: HolderSecret,
    /// `Poseidon(secret)`.
    pub id_commitment: FieldElement,
}

impl HolderFile {
    /// A fresh random secret.
    pub fn generate<R: rand::RngCore + rand::CryptoRng>(rng: &mut R) -> Self {
        let secret = HolderSecret::new(Fr::rand(rng));
        let id_commitment = FieldElement(id_commitment(secret.expose()));
        Self { version: HOLDER_V1.into(), secret, id_commitment }
    }

    /// Parses a holder file of at most [`MAX_HOLDER_FILE_BYTES`] and checks
    /// that the commitment opens.
    ///
    /// # Errors
    /// [`FormatError`] naming the field, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_HOLDER_FILE_BYTES.check(text.len())?;
        let h: Self = parse_json("holder", text)?;
        expect_version(&h.version, HOLDER_V1).map_err(|m| FormatError::invalid("holder", "version", m.to_string()))?;
        if id_commitment(h.secret.expose()) != h.id_commitment.0 {
            return Err(FormatError::invalid("holder", "id_commitment", "is not Poseidon(secret)"));
        }
        Ok(h)
    }
}

/// Joins an issued credential with the holder's secret: the holder's copy.
///
/// # Errors
/// [`ProverError::Policy`] ([`PolicyMismatch::IssuedToAnotherHolder`] or
/// [`PolicyMismatch::InvalidCredential`]) when the credential was issued to
/// another commitment or its signature does not verify.
pub fn accept(credential: &Credential, holder: &HolderFile) -> Result<Credential, ProverError> {
    if credential.holder.id_commitment != holder.id_commitment {
        return Err(PolicyMismatch::IssuedToAnotherHolder.into());
    }
    let mut copy = credential.clone();
    copy.holder.secret = Some(holder.secret.clone());
    copy.check().map_err(PolicyMismatch::from)?;
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_a_decimal_string_in_json_and_hidden_in_debug() {
        let holder = HolderFile::generate(&mut rand::rngs::OsRng);
        let json: serde_json::Value = serde_json::to_value(&holder).unwrap();
        let secret = json["secret"].as_str().unwrap().to_string();
        assert_eq!(secret, zkcomply_circuits::field::fr_to_decimal(&holder.secret.expose()));
        assert!(!format!("{holder:?}").contains(&secret), "{holder:?}");
        assert_eq!(HolderFile::from_json(&json.to_string()).unwrap(), holder);
    }
}
