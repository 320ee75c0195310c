//! halo2 over BN254 with IPA commitments, the transparent backend
//! (`halo2-ipa-bn254`): PLONKish proofs of the same withdrawal statement
//! with no trusted setup.
//!
//! - [`key`]: the verifying key's canonical bytes: the circuit's `k`, the
//!   digest of the key halo2 derives from the circuit, and the public
//!   parameters (generators drawn from a public seed by hash-to-curve).
//!   Decoding checks the parameters against the canonical ones' SHA-256
//!   compiled into this verifier, rebuilds the key from this verifier's own
//!   circuit and compares digests: a key that decodes is the one the
//!   circuit gives, whoever published it.
//! - [`Proof`]: a halo2 transcript (BLAKE2b, 255-bit challenges), checked
//!   as it is read, with no byte left over.
//!
//! The rest of the crate reaches these through [`Halo2`], its
//! [`ProofSystem`] implementation.

pub mod key;
mod proof;

use ark_bn254::Fr;
use rand_core::CryptoRngCore;

pub use key::{PreparedVerifyingKey, CANONICAL_PARAMS_SHA256};
pub use proof::{Proof, MAX_PROOF_BYTES};

use super::{Backend, BackendError, ProofSystem};

/// halo2 with IPA over BN254 as a [`ProofSystem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Halo2;

impl ProofSystem for Halo2 {
    const BACKEND: Backend = Backend::Halo2IpaBn254;
    type PreparedKey = PreparedVerifyingKey;
    type Proof = Proof;

    fn decode_key(bytes: &[u8]) -> Result<PreparedVerifyingKey, BackendError> {
        PreparedVerifyingKey::from_bytes(bytes)
    }

    fn key_bytes(key: &PreparedVerifyingKey) -> Vec<u8> {
        key.to_bytes()
    }

    fn public_input_count(_key: &PreparedVerifyingKey) -> usize {
        zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT
    }

    fn decode_proof(bytes: &[u8]) -> Result<Proof, BackendError> {
        Proof::from_bytes(bytes)
    }

    fn verify(key: &PreparedVerifyingKey, proof: &Proof, inputs: &[Fr]) -> Result<bool, BackendError> {
        key.verify(proof, inputs)
    }

    /// halo2 proofs are checked one by one: each ends in its own
    /// multi-scalar multiplication over the parameters.
    fn verify_batch(
        key: &PreparedVerifyingKey,
        batch: &[(&Proof, &[Fr])],
        _rng: &mut dyn CryptoRngCore,
    ) -> Result<Vec<bool>, BackendError> {
        let expected = Self::public_input_count(key);
        if let Some((_, inputs)) = batch.iter().find(|(_, inputs)| inputs.len() != expected) {
            return Err(BackendError::InputCount { expected, found: inputs.len() });
        }
        batch.iter().map(|(proof, inputs)| key.verify(proof, inputs)).collect()
    }
}
