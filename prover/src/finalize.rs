//! Keys from a multi-party ceremony: a proving key (from the ceremony's
//! final `.zkey`) and the ceremony's record become a normal keys directory
//! whose manifest says `"reduction": "circom"` (snarkjs's H query) and
//! whose verifying key records the ceremony (`docs/FORMATS.md`, "Keys").
//!
//! `zkcomply ceremony finalize` is [`ceremony_record`] from the `.zkey`'s
//! contributions and the transcript's verification, then
//! [`write_ceremony_keys`] with the `.zkey`'s proving key.

use std::path::Path;

use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use zkcomply_ceremony::zkey::{ContributionKind as ZkeyContributionKind, MpcParams};
use zkcomply_circuits::CIRCUIT_ID;
use zkcomply_verifier::provenance::{CeremonyRecord, ContributionKind, ContributionRecord, Provenance};
use zkcomply_verifier::values::HexDigest512;
use zkcomply_verifier::VerifyingKeyFile;

use crate::reduction::Reduction;
use crate::setup::{to_verifier_key, KeysDir, Manifest};
use crate::{KeyError, ProverError};

/// The record of a verified ceremony: its transcript hash and, for each of
/// the `.zkey`'s contributions (oldest first), its hash as the
/// verification computed it, with the name and kind the `.zkey` stores.
///
/// # Errors
/// [`KeyError::ContributionHashes`] when the hashes do not match the
/// contributions one to one; [`KeyError::CeremonyRecord`] for a record
/// that breaks the format's rules (no contribution, a beacon out of range).
pub fn ceremony_record(
    mpc: &MpcParams,
    transcript_hash: [u8; 64],
    contribution_hashes: &[[u8; 64]],
) -> Result<CeremonyRecord, ProverError> {
    if mpc.contributions.len() != contribution_hashes.len() {
        return Err(KeyError::ContributionHashes {
            contributions: mpc.contributions.len(),
            hashes: contribution_hashes.len(),
        }
        .into());
    }
    let contributions = mpc
        .contributions
        .iter()
        .zip(contribution_hashes)
        .map(|(c, hash)| ContributionRecord {
            name: c.name.clone(),
            hash: HexDigest512(*hash),
            kind: match &c.kind {
                ZkeyContributionKind::Secret => ContributionKind::Secret,
                ZkeyContributionKind::Beacon { hash, iterations_exp } => {
                    ContributionKind::Beacon { value: hash.clone(), iterations_exp: *iterations_exp }
                }
            },
        })
        .collect();
    let record = CeremonyRecord { transcript_hash: HexDigest512(transcript_hash), contributions };
    record.validate().map_err(KeyError::CeremonyRecord)?;
    Ok(record)
}

/// Writes a keys directory for a ceremony's proving key: `proving_key.bin`,
/// `verifying_key.json` recording the ceremony (not a development key), and
/// a manifest with `"reduction": "circom"`; each file atomically, as
/// [`KeysDir::save`]. The verifying key is checked as every loaded key is
/// (points, public-input count, size limit) before anything is written.
///
/// # Errors
/// [`KeyError::CeremonyRecord`] for a record that breaks the format's
/// rules; [`ProverError::Format`] for a key the verifier would refuse (a
/// record too long for `MAX_VERIFYING_KEY_BYTES`, a key for another
/// statement); I/O errors.
pub fn write_ceremony_keys(
    dir: &Path,
    proving_key: &ProvingKey<Bn254>,
    record: CeremonyRecord,
) -> Result<Manifest, ProverError> {
    record.validate().map_err(KeyError::CeremonyRecord)?;
    let vk = VerifyingKeyFile::with_provenance(
        &to_verifier_key(&proving_key.vk),
        CIRCUIT_ID,
        Some(Provenance::Ceremony(record)),
    );
    let checked = VerifyingKeyFile::from_json(&vk.to_json())?;
    KeysDir::save_with_reduction(dir, proving_key, &checked, Reduction::Circom)
}

/// Writes a keys directory for a ceremony whose phase 1 is a development
/// file (`zkcomply ceremony dev-ptau`): its maker knows tau, alpha and
/// beta and can forge proofs whatever phase 2 did, so the keys are
/// development keys (flagged on every verdict), with the circom reduction
/// the `.zkey` needs.
///
/// # Errors
/// As [`write_ceremony_keys`].
pub fn write_development_ceremony_keys(dir: &Path, proving_key: &ProvingKey<Bn254>) -> Result<Manifest, ProverError> {
    let vk =
        VerifyingKeyFile::with_provenance(&to_verifier_key(&proving_key.vk), CIRCUIT_ID, Some(Provenance::Development));
    let checked = VerifyingKeyFile::from_json(&vk.to_json())?;
    KeysDir::save_with_reduction(dir, proving_key, &checked, Reduction::Circom)
}
