//! Groth16 over BN254, the first backend (`groth16-bn254`): written against
//! `ark-ec` pairings so that no proving code is linked.
//!
//! - [`VerifyingKey`] and [`Proof`] decode `ark-groth16`'s compressed bytes
//!   with every check (on the curve, in the prime-order subgroup, no point
//!   at infinity, no trailing bytes);
//! - [`PreparedVerifyingKey`] holds the pairing precomputations and
//!   fixed-base tables, verifies one proof
//!   ([`PreparedVerifyingKey::verify`]) or many at once
//!   ([`PreparedVerifyingKey::verify_batch`]).
//!
//! The rest of the crate reaches these through [`Groth16`], its
//! [`ProofSystem`] implementation.

mod batch;
mod error;
mod fixed_base;
mod g2_subgroup;
mod key_and_proof;
mod prepared;

use ark_bn254::Fr;
use rand_core::CryptoRngCore;

pub use error::Groth16Error;
pub use key_and_proof::{Proof, VerifyingKey, PROOF_BYTES};
pub use prepared::PreparedVerifyingKey;

use super::{Backend, BackendError, ProofSystem};

/// Groth16 over BN254 as a [`ProofSystem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Groth16;

impl From<Groth16Error> for BackendError {
    fn from(e: Groth16Error) -> Self {
        match e {
            Groth16Error::Decode { what, why } => BackendError::Decode { what, why },
            Groth16Error::InputCount { expected, found } => BackendError::InputCount { expected, found },
        }
    }
}

impl ProofSystem for Groth16 {
    const BACKEND: Backend = Backend::Groth16Bn254;
    type PreparedKey = PreparedVerifyingKey;
    type Proof = Proof;

    fn decode_key(bytes: &[u8]) -> Result<PreparedVerifyingKey, BackendError> {
        Ok(VerifyingKey::from_bytes(bytes)?.prepare())
    }

    fn key_bytes(key: &PreparedVerifyingKey) -> Vec<u8> {
        key.vk.to_bytes()
    }

    fn public_input_count(key: &PreparedVerifyingKey) -> usize {
        key.vk.public_input_count()
    }

    fn decode_proof(bytes: &[u8]) -> Result<Proof, BackendError> {
        Ok(Proof::from_bytes(bytes)?)
    }

    fn verify(key: &PreparedVerifyingKey, proof: &Proof, inputs: &[Fr]) -> Result<bool, BackendError> {
        Ok(key.verify(proof, inputs)?)
    }

    fn verify_batch(
        key: &PreparedVerifyingKey,
        batch: &[(&Proof, &[Fr])],
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Vec<bool>, BackendError> {
        Ok(key.verify_batch_of(batch, rng)?)
    }
}
