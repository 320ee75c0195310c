//! Why proving a checked witness failed.

use ark_relations::gr1cs::SynthesisError;

/// What went wrong while proving.
#[derive(Debug, thiserror::Error)]
pub enum ProvingError {
    /// The Groth16 prover failed.
    #[error("{0}")]
    Groth16(#[from] SynthesisError),
    /// The halo2 prover failed (`halo2_proofs`' error, described).
    #[error("halo2: {0}")]
    Halo2(String),
    /// The proof does not verify under the keys' own verifying key.
    #[error("the proof does not verify under the keys' verifying key (mismatched keys?)")]
    DoesNotVerify,
}
