//! Why proving a checked witness failed.

use ark_relations::gr1cs::SynthesisError;

/// What went wrong while proving.
#[derive(Debug, thiserror::Error)]
pub enum ProvingError {
    /// The Groth16 prover failed.
    #[error("{0}")]
    Groth16(#[from] SynthesisError),
    /// The Groth16 proving key does not fit the circuit: one of its
    /// queries has another length than the circuit's variables need.
    #[error("the proving key does not fit the withdrawal circuit: its {query} has {found} points, the circuit needs {expected} (keys for another circuit?)")]
    KeyShape {
        /// The query: `a_query`, `b_g1_query`, `b_g2_query`, `l_query` or `h_query`.
        query: &'static str,
        /// Points the circuit needs.
        expected: usize,
        /// Points the key has.
        found: usize,
    },
    /// The halo2 prover failed (`halo2_proofs`' error, described).
    #[error("halo2: {0}")]
    Halo2(String),
    /// The request was made ready for another proof system than the keys'.
    #[error("the request was prepared for {prepared} proofs, but the keys are for {keys}")]
    OtherBackend {
        /// The proof system the request was prepared for.
        prepared: zkcomply_verifier::backend::Backend,
        /// The keys' proof system.
        keys: zkcomply_verifier::backend::Backend,
    },
    /// The proof does not verify under the keys' own verifying key.
    #[error("the proof does not verify under the keys' verifying key (mismatched keys?)")]
    DoesNotVerify,
}
