//! What every backend provides: the interface behind [`super::PreparedKey`]
//! and [`super::Proof`].

use ark_bn254::Fr;
use rand_core::CryptoRngCore;

use super::{Backend, BackendError};

/// A proof system the verifier can check bundles of.
///
/// Public inputs are BN254 scalars: the statement's fields, whatever
/// system proves it.
pub trait ProofSystem {
    /// Its id in documents.
    const BACKEND: Backend;
    /// A verifying key, decoded, checked and prepared for verification.
    type PreparedKey;
    /// A decoded, checked proof.
    type Proof;

    /// Decodes a key's canonical bytes with every check, and prepares it.
    ///
    /// # Errors
    /// [`BackendError::Decode`] naming what is wrong.
    fn decode_key(bytes: &[u8]) -> Result<Self::PreparedKey, BackendError>;

    /// The key's canonical bytes (their SHA-256 is the key's identity).
    fn key_bytes(key: &Self::PreparedKey) -> Vec<u8>;

    /// How many public inputs the key takes.
    fn public_input_count(key: &Self::PreparedKey) -> usize;

    /// Decodes a proof's bytes with every check.
    ///
    /// # Errors
    /// [`BackendError::Decode`] naming what is wrong.
    fn decode_proof(bytes: &[u8]) -> Result<Self::Proof, BackendError>;

    /// Whether `proof` verifies for `inputs`.
    ///
    /// # Errors
    /// [`BackendError::InputCount`] unless the key's count of inputs is
    /// given. A false proof is `Ok(false)`.
    fn verify(key: &Self::PreparedKey, proof: &Self::Proof, inputs: &[Fr]) -> Result<bool, BackendError>;

    /// One verdict per proof, equal to verifying each alone (except with
    /// negligible probability), drawing any randomness from `rng`.
    ///
    /// # Errors
    /// [`BackendError::InputCount`] when any proof's count of inputs is wrong.
    fn verify_batch(
        key: &Self::PreparedKey,
        batch: &[(&Self::Proof, &[Fr])],
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Vec<bool>, BackendError>;
}
