//! Why a keys directory cannot be written or used.

use ark_relations::gr1cs::SynthesisError;
use ark_serialize::SerializationError;

/// What is wrong with the keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A manifest of another format version.
    #[error("expected version {expected:?}, found {found:?}")]
    ManifestVersion {
        /// The version this prover reads.
        expected: &'static str,
        /// The manifest's version.
        found: String,
    },
    /// Keys made for another circuit.
    #[error("keys are for circuit {found:?}, this command proves {expected:?}")]
    OtherCircuit {
        /// The manifest's circuit id.
        found: String,
        /// The circuit the command proves.
        expected: String,
    },
    /// `verifying_key.json` is not the one the manifest pins.
    #[error("verifying_key.json does not match the manifest's verifying_key_hash")]
    VerifyingKeyNotPinned,
    /// The proving key file is not the one the manifest pins.
    #[error("{path} does not match the SHA-256 pinned in the manifest; re-run setup")]
    ProvingKeyNotPinned {
        /// The proving key file.
        path: String,
    },
    /// A proving key file that does not deserialise.
    #[error("{path}: {source}")]
    ProvingKeyUnreadable {
        /// The proving key file.
        path: String,
        /// Why it does not deserialise.
        source: SerializationError,
    },
    /// `verifying_key.json` is for another proof system than this prover's
    /// Groth16.
    #[error("verifying_key.json is not a Groth16 key; this prover makes Groth16 proofs")]
    NotGroth16,
    /// `manifest.json` and `verifying_key.json` name different proof
    /// systems.
    #[error("manifest.json is for {manifest}, but verifying_key.json for {key}")]
    BackendMismatch {
        /// The manifest's backend.
        manifest: zkcomply_verifier::backend::Backend,
        /// The key file's backend.
        key: zkcomply_verifier::backend::Backend,
    },
    /// A Groth16 manifest without the proving key's SHA-256.
    #[error("manifest.json pins no proving_key_sha256; a Groth16 keys directory needs it (re-run setup)")]
    ProvingKeyUnpinned,
    /// The proving key embeds another verifying key than the directory's.
    #[error("the proving key's embedded verifying key differs from verifying_key.json")]
    EmbeddedKeyMismatch,
    /// `manifest.json` and `verifying_key.json` record different origins.
    #[error("manifest.json and verifying_key.json record different provenance (development_setup or provenance)")]
    ProvenanceMismatch,
    /// A ceremony record that breaks the format's rules.
    #[error("ceremony record: {0}")]
    CeremonyRecord(zkcomply_verifier::provenance::ProvenanceError),
    /// A ceremony record with another number of contribution hashes than
    /// the `.zkey` has contributions.
    #[error("the .zkey has {contributions} contributions, but {hashes} contribution hashes were given")]
    ContributionHashes {
        /// Contributions in the `.zkey`.
        contributions: usize,
        /// Hashes given.
        hashes: usize,
    },
    /// The setup failed to synthesise the circuit.
    #[error("{0}")]
    Setup(SynthesisError),
    /// The proving key does not serialise.
    #[error("{0}")]
    Serialize(SerializationError),
}
