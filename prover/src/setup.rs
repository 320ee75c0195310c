//! Key generation and the keys directory, for either proof system.
//!
//! Groth16: `zkcomply setup` runs a single-party setup: whoever runs it
//! could keep the trapdoor and forge proofs, so its keys say
//! `development_setup: true` and verifiers refuse them unless their policy
//! says otherwise (see `docs/THREAT_MODEL.md` for what a production setup
//! needs). Its directory holds `proving_key.bin` (uncompressed, loaded
//! without point checks only when its SHA-256 matches the one pinned in
//! `manifest.json`), `verifying_key.json` and `manifest.json`, which also
//! says which R1CS-to-QAP reduction the key needs ([`Reduction`]) and where
//! the key came from (a development setup, or a ceremony:
//! [`crate::finalize`]).
//!
//! halo2 (`zkcomply setup --backend halo2`): no setup and no secret. The
//! directory holds `verifying_key.json` (with the public parameters) and
//! `manifest.json`; the prover derives its proving key from them when it
//! loads the directory ([`Halo2ProvingKey`]).

use std::path::{Path, PathBuf};

use ark_bn254::Bn254;
use ark_groth16::{Groth16, ProvingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::SNARK;
use serde::{Deserialize, Serialize};
use zkcomply_circuits::batch::constraints::BatchCircuit;
use zkcomply_circuits::batch::{batch_circuit_id, batch_slots_of, BatchWitness, BATCH_SIZES};
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::{CIRCUIT_ID, TREE_DEPTH};
use zkcomply_verifier::backend::groth16::VerifyingKey;
use zkcomply_verifier::limits::{SizeLimit, MAX_VERIFYING_KEY_BYTES};
use zkcomply_verifier::provenance::Provenance;
use zkcomply_verifier::values::HexDigest;
use zkcomply_verifier::{parse_json, read_bytes, read_text, write_atomic, VerifyingKeyFile};

use crate::halo2_prover::Halo2ProvingKey;
use crate::reduction::Reduction;
use crate::{KeyError, ProverError};
use zkcomply_verifier::backend::Backend;

/// The version string of the keys manifest.
pub const KEYS_V1: &str = "zkcomply/keys/v1";
/// File names inside a keys directory.
pub const PROVING_KEY_FILE: &str = "proving_key.bin";
/// The verifying key file name.
pub const VERIFYING_KEY_FILE: &str = "verifying_key.json";
/// The manifest file name.
pub const MANIFEST_FILE: &str = "manifest.json";

/// `manifest.json` (about 300 bytes).
pub const MAX_KEYS_MANIFEST_BYTES: SizeLimit =
    SizeLimit { document: "keys manifest", name: "MAX_KEYS_MANIFEST_BYTES", bytes: 16 * 1024 };

/// `proving_key.bin` (about 10 MB for the default circuit).
pub const MAX_PROVING_KEY_BYTES: SizeLimit =
    SizeLimit { document: "proving key", name: "MAX_PROVING_KEY_BYTES", bytes: 256 * 1024 * 1024 };

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// `zkcomply/keys/v1`.
    pub version: String,
    /// The circuit the keys are for.
    pub circuit_id: String,
    /// Whether the keys come from a single-party development setup.
    pub development_setup: bool,
    /// The proof system (left out by older manifests: `groth16-bn254`).
    #[serde(default = "groth16")]
    pub backend: Backend,
    /// SHA-256 of `proving_key.bin` (Groth16 only: a halo2 prover derives
    /// its proving key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proving_key_sha256: Option<HexDigest>,
    /// SHA-256 of the compressed verifying key.
    pub verifying_key_hash: HexDigest,
    /// The R1CS-to-QAP reduction a Groth16 proving key needs (left out by
    /// older manifests: `libsnark`; a halo2 manifest carries the default
    /// and ignores it).
    #[serde(default)]
    pub reduction: Reduction,
    /// Where the keys came from, as `verifying_key.json` records it (left
    /// out by older manifests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

fn groth16() -> Backend {
    Backend::Groth16Bn254
}

/// The key a keys directory proves with.
pub enum ProverKey {
    /// Groth16's, read from `proving_key.bin`.
    Groth16(ProvingKey<Bn254>),
    /// halo2's, derived from the verifying key and the circuit.
    Halo2(Halo2ProvingKey),
}

/// Loaded keys.
pub struct KeysDir {
    /// The manifest.
    pub manifest: Manifest,
    /// The proving key.
    pub prover: ProverKey,
    /// The verifying key file.
    pub verifying_key: VerifyingKeyFile,
}

/// SHA-256 of bytes (the proving key's pin in the manifest).
fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Converts an arkworks verifying key into the verifier crate's type.
pub fn to_verifier_key(vk: &ark_groth16::VerifyingKey<Bn254>) -> VerifyingKey {
    VerifyingKey {
        alpha_g1: vk.alpha_g1,
        beta_g2: vk.beta_g2,
        gamma_g2: vk.gamma_g2,
        delta_g2: vk.delta_g2,
        gamma_abc_g1: vk.gamma_abc_g1.clone(),
    }
}

/// Runs a development (single-party) setup for the default circuit.
///
/// # Errors
/// [`ProverError::Keys`] when key generation fails.
pub fn development_setup<R: rand::RngCore + rand::CryptoRng>(
    rng: &mut R,
) -> Result<(ProvingKey<Bn254>, VerifyingKeyFile), ProverError> {
    let circuit = WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) };
    let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(circuit, rng).map_err(KeyError::Setup)?;
    let file = VerifyingKeyFile::new(&to_verifier_key(&vk), CIRCUIT_ID, true);
    Ok((pk, file))
}

/// Runs a development (single-party) setup for the batch circuit with
/// `slots` slots (circuit id [`batch_circuit_id`]).
///
/// # Errors
/// [`ProverError::Keys`] when key generation fails.
pub fn development_batch_setup<R: rand::RngCore + rand::CryptoRng>(
    rng: &mut R,
    slots: usize,
) -> Result<(ProvingKey<Bn254>, VerifyingKeyFile), ProverError> {
    let circuit = BatchCircuit { witness: BatchWitness::blank(TREE_DEPTH, slots) };
    let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(circuit, rng).map_err(KeyError::Setup)?;
    let file = VerifyingKeyFile::new(&to_verifier_key(&vk), &batch_circuit_id(slots), true);
    Ok((pk, file))
}

impl KeysDir {
    /// Writes keys made with the libsnark reduction (`zkcomply setup`'s)
    /// into `dir`, as [`Self::save_with_reduction`].
    ///
    /// # Errors
    /// I/O errors.
    pub fn save(dir: &Path, pk: &ProvingKey<Bn254>, vk: &VerifyingKeyFile) -> Result<Manifest, ProverError> {
        Self::save_with_reduction(dir, pk, vk, Reduction::Libsnark)
    }

    /// Writes keys into `dir` (created if missing), each file atomically;
    /// the manifest records `reduction` and the verifying key's provenance.
    ///
    /// # Errors
    /// I/O errors.
    pub fn save_with_reduction(
        dir: &Path,
        pk: &ProvingKey<Bn254>,
        vk: &VerifyingKeyFile,
        reduction: Reduction,
    ) -> Result<Manifest, ProverError> {
        std::fs::create_dir_all(dir)
            .map_err(|source| zkcomply_verifier::FormatError::Io { path: dir.display().to_string(), source })?;
        let mut bytes = Vec::new();
        pk.serialize_uncompressed(&mut bytes).map_err(KeyError::Serialize)?;
        let manifest = Manifest {
            version: KEYS_V1.into(),
            circuit_id: vk.json.circuit_id.clone(),
            development_setup: vk.json.development_setup,
            backend: Backend::Groth16Bn254,
            proving_key_sha256: Some(HexDigest(sha256(&bytes))),
            verifying_key_hash: vk.hash(),
            reduction,
            provenance: vk.json.provenance.clone(),
        };
        write_atomic(&dir.join(PROVING_KEY_FILE), &bytes)?;
        write_atomic(&dir.join(VERIFYING_KEY_FILE), vk.to_json().as_bytes())?;
        crate::write_json(&dir.join(MANIFEST_FILE), &manifest)?;
        Ok(manifest)
    }

    /// Writes a halo2 keys directory: `verifying_key.json` (a transparent
    /// key, [`VerifyingKeyFile::generate_halo2`]) and the manifest; no
    /// proving key file and nothing secret.
    ///
    /// # Errors
    /// [`KeyError::BackendMismatch`] for a key of another backend; I/O errors.
    pub fn save_halo2(dir: &Path, vk: &VerifyingKeyFile) -> Result<Manifest, ProverError> {
        if vk.backend() != Backend::Halo2IpaBn254 {
            return Err(KeyError::BackendMismatch { manifest: Backend::Halo2IpaBn254, key: vk.backend() }.into());
        }
        std::fs::create_dir_all(dir)
            .map_err(|source| zkcomply_verifier::FormatError::Io { path: dir.display().to_string(), source })?;
        let manifest = Manifest {
            version: KEYS_V1.into(),
            circuit_id: vk.json.circuit_id.clone(),
            development_setup: false,
            backend: Backend::Halo2IpaBn254,
            proving_key_sha256: None,
            verifying_key_hash: vk.hash(),
            reduction: Reduction::default(),
            provenance: vk.json.provenance.clone(),
        };
        write_atomic(&dir.join(VERIFYING_KEY_FILE), vk.to_json().as_bytes())?;
        crate::write_json(&dir.join(MANIFEST_FILE), &manifest)?;
        Ok(manifest)
    }

    /// The Groth16 proving key, for Groth16 keys.
    pub fn groth16_proving_key(&self) -> Option<&ProvingKey<Bn254>> {
        match &self.prover {
            ProverKey::Groth16(pk) => Some(pk),
            ProverKey::Halo2(_) => None,
        }
    }

    /// The proof system the keys are for.
    pub fn backend(&self) -> Backend {
        self.manifest.backend
    }

    /// Reads and checks the keys' manifest alone (version and circuit):
    /// which proof system the keys are for, before the keys load.
    ///
    /// # Errors
    /// [`ProverError::Keys`] for a missing, malformed or foreign manifest.
    pub fn read_manifest(dir: &Path) -> Result<Manifest, ProverError> {
        Self::read_manifest_for(dir, CIRCUIT_ID)
    }

    /// As [`Self::read_manifest`], for keys of `circuit_id` (a batch
    /// circuit's, for instance).
    ///
    /// # Errors
    /// As [`Self::read_manifest`].
    pub fn read_manifest_for(dir: &Path, circuit_id: &str) -> Result<Manifest, ProverError> {
        let manifest = Self::read_any_manifest(dir)?;
        if manifest.circuit_id != circuit_id {
            return Err(KeyError::OtherCircuit { found: manifest.circuit_id, expected: circuit_id.into() }.into());
        }
        Ok(manifest)
    }

    /// Reads batch keys' manifest, with the batch's number of slots.
    ///
    /// # Errors
    /// As [`Self::read_manifest`]; [`KeyError::OtherCircuit`] for keys
    /// that are not for a batch circuit.
    pub fn read_batch_manifest(dir: &Path) -> Result<(Manifest, usize), ProverError> {
        let manifest = Self::read_any_manifest(dir)?;
        match batch_slots_of(&manifest.circuit_id) {
            Some(slots) => Ok((manifest, slots)),
            None => Err(KeyError::OtherCircuit {
                found: manifest.circuit_id,
                expected: batch_circuit_id(*BATCH_SIZES.last().expect("batch sizes are listed")),
            }
            .into()),
        }
    }

    /// The manifest of any circuit's keys, its version checked.
    fn read_any_manifest(dir: &Path) -> Result<Manifest, ProverError> {
        let manifest: Manifest =
            parse_json("keys manifest", &read_text(&dir.join(MANIFEST_FILE), &MAX_KEYS_MANIFEST_BYTES)?)?;
        if manifest.version != KEYS_V1 {
            return Err(KeyError::ManifestVersion { expected: KEYS_V1, found: manifest.version }.into());
        }
        Ok(manifest)
    }

    /// Loads keys. Groth16: the proving key without point checks, after
    /// its SHA-256 matched the pinned one (it is the prover's own file).
    /// halo2: the proving key derived from the verifying key.
    ///
    /// # Errors
    /// [`ProverError::Keys`] for missing, altered or mismatched files.
    pub fn load(dir: &Path) -> Result<Self, ProverError> {
        Self::load_for(dir, CIRCUIT_ID)
    }

    /// As [`Self::load`], for keys of `circuit_id` (a batch circuit's, for
    /// instance).
    ///
    /// # Errors
    /// As [`Self::load`].
    pub fn load_for(dir: &Path, circuit_id: &str) -> Result<Self, ProverError> {
        let path = |f: &str| -> PathBuf { dir.join(f) };
        let manifest = Self::read_manifest_for(dir, circuit_id)?;
        let verifying_key =
            VerifyingKeyFile::from_json(&read_text(&path(VERIFYING_KEY_FILE), &MAX_VERIFYING_KEY_BYTES)?)?;
        if verifying_key.hash() != manifest.verifying_key_hash {
            return Err(KeyError::VerifyingKeyNotPinned.into());
        }
        if verifying_key.json.provenance != manifest.provenance
            || verifying_key.json.development_setup != manifest.development_setup
        {
            return Err(KeyError::ProvenanceMismatch.into());
        }
        if verifying_key.backend() != manifest.backend {
            return Err(KeyError::BackendMismatch { manifest: manifest.backend, key: verifying_key.backend() }.into());
        }
        if manifest.backend == Backend::Halo2IpaBn254 {
            let key = verifying_key
                .prepared
                .as_halo2()
                .ok_or(KeyError::BackendMismatch { manifest: manifest.backend, key: verifying_key.backend() })?;
            let prover = ProverKey::Halo2(Halo2ProvingKey::derive(key)?);
            return Ok(Self { manifest, prover, verifying_key });
        }
        let pk_path = path(PROVING_KEY_FILE);
        let pinned = manifest.proving_key_sha256.ok_or(KeyError::ProvingKeyUnpinned)?;
        let bytes = read_bytes(&pk_path, &MAX_PROVING_KEY_BYTES)?;
        if sha256(&bytes) != pinned.0 {
            return Err(KeyError::ProvingKeyNotPinned { path: pk_path.display().to_string() }.into());
        }
        // Pinned by hash above: skip the (seconds-long) point checks.
        let proving_key = ProvingKey::<Bn254>::deserialize_uncompressed_unchecked(&bytes[..])
            .map_err(|source| KeyError::ProvingKeyUnreadable { path: pk_path.display().to_string(), source })?;
        let groth16_key = verifying_key.prepared.as_groth16().ok_or(KeyError::NotGroth16)?;
        if to_verifier_key(&proving_key.vk) != groth16_key.vk {
            return Err(KeyError::EmbeddedKeyMismatch.into());
        }
        Ok(Self { manifest, prover: ProverKey::Groth16(proving_key), verifying_key })
    }
}

/// The number of constraints of the default circuit (after inlining, as
/// the Groth16 setup sees it).
///
/// # Errors
/// [`ProverError::Synthesis`] when synthesis fails.
pub fn constraint_count() -> Result<usize, ProverError> {
    use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode};
    let cs = ConstraintSystem::<zkcomply_circuits::Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) }
        .generate_constraints(cs.clone())
        .map_err(ProverError::Synthesis)?;
    cs.finalize();
    Ok(cs.num_constraints())
}
