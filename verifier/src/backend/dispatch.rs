//! The enum dispatch: a key or a proof of any backend, forwarding every
//! call to its backend's [`ProofSystem`] implementation.

use std::borrow::Borrow;

use ark_bn254::Fr;
use rand_core::{CryptoRng, RngCore};

use super::groth16::{self, Groth16};
use super::halo2::{self, Halo2};
use super::{Backend, BackendError, ProofSystem};

/// A verifying key of any backend, decoded, checked and prepared.
#[derive(Debug, Clone)]
#[non_exhaustive]
// A verifier holds one or two keys for its whole run: boxing the Groth16
// tables would only add an indirection to every verification.
#[allow(clippy::large_enum_variant)]
pub enum PreparedKey {
    /// A Groth16 key.
    Groth16(groth16::PreparedVerifyingKey),
    /// A halo2 key.
    Halo2(halo2::PreparedVerifyingKey),
}

/// A decoded, checked proof of any backend.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
// A Groth16 proof is three points (256 bytes here); a halo2 proof keeps its
// kilobytes on the heap. Not worth a box per Groth16 proof.
#[allow(clippy::large_enum_variant)]
pub enum Proof {
    /// A Groth16 proof.
    Groth16(groth16::Proof),
    /// A halo2 proof.
    Halo2(halo2::Proof),
}

impl PreparedKey {
    /// Decodes a key's canonical bytes for `backend` with every check, and
    /// prepares it.
    ///
    /// # Errors
    /// [`BackendError::Decode`] naming what is wrong.
    pub fn decode(backend: Backend, bytes: &[u8]) -> Result<Self, BackendError> {
        match backend {
            Backend::Groth16Bn254 => Groth16::decode_key(bytes).map(Self::Groth16),
            Backend::Halo2IpaBn254 => Halo2::decode_key(bytes).map(Self::Halo2),
        }
    }

    /// The key's backend.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Groth16(_) => Groth16::BACKEND,
            Self::Halo2(_) => Halo2::BACKEND,
        }
    }

    /// The canonical bytes (their SHA-256 is the key's identity).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Groth16(key) => Groth16::key_bytes(key),
            Self::Halo2(key) => Halo2::key_bytes(key),
        }
    }

    /// How many public inputs the key takes.
    pub fn public_input_count(&self) -> usize {
        match self {
            Self::Groth16(key) => Groth16::public_input_count(key),
            Self::Halo2(key) => Halo2::public_input_count(key),
        }
    }

    /// Decodes a proof's bytes for this key's backend.
    ///
    /// # Errors
    /// [`BackendError::Decode`] naming what is wrong.
    pub fn decode_proof(&self, bytes: &[u8]) -> Result<Proof, BackendError> {
        Proof::decode(self.backend(), bytes)
    }

    /// Whether `proof` verifies for `inputs`.
    ///
    /// # Errors
    /// [`BackendError::Mismatch`] for a proof of another backend,
    /// [`BackendError::InputCount`] for a wrong number of inputs. A false
    /// proof is `Ok(false)`.
    pub fn verify(&self, proof: &Proof, inputs: &[Fr]) -> Result<bool, BackendError> {
        let mismatch = || BackendError::Mismatch { key: self.backend(), proof: proof.backend() };
        match self {
            Self::Groth16(key) => Groth16::verify(key, proof.as_groth16().ok_or_else(mismatch)?, inputs),
            Self::Halo2(key) => Halo2::verify(key, proof.as_halo2().ok_or_else(mismatch)?, inputs),
        }
    }

    /// One verdict per proof of `batch`, as [`PreparedKey::verify`] would
    /// give each (except with negligible probability), checked together
    /// where the backend can; `rng` must be a cryptographically secure
    /// generator the provers cannot predict.
    ///
    /// # Errors
    /// [`BackendError::Mismatch`] when any proof is of another backend,
    /// [`BackendError::InputCount`] when any input count is wrong; both
    /// before any verification.
    pub fn verify_batch<P, X, R>(&self, batch: &[(P, X)], rng: &mut R) -> Result<Vec<bool>, BackendError>
    where
        P: Borrow<Proof>,
        X: AsRef<[Fr]>,
        R: RngCore + CryptoRng,
    {
        let mismatch = |proof: &Proof| BackendError::Mismatch { key: self.backend(), proof: proof.backend() };
        match self {
            Self::Groth16(key) => {
                let proofs = batch
                    .iter()
                    .map(|(p, x)| p.borrow().as_groth16().map(|p| (p, x.as_ref())).ok_or_else(|| mismatch(p.borrow())))
                    .collect::<Result<Vec<_>, _>>()?;
                Groth16::verify_batch(key, &proofs, rng)
            }
            Self::Halo2(key) => {
                let proofs = batch
                    .iter()
                    .map(|(p, x)| p.borrow().as_halo2().map(|p| (p, x.as_ref())).ok_or_else(|| mismatch(p.borrow())))
                    .collect::<Result<Vec<_>, _>>()?;
                Halo2::verify_batch(key, &proofs, rng)
            }
        }
    }

    /// The Groth16 key, when the key is one.
    pub fn as_groth16(&self) -> Option<&groth16::PreparedVerifyingKey> {
        match self {
            Self::Groth16(key) => Some(key),
            Self::Halo2(_) => None,
        }
    }

    /// The halo2 key, when the key is one.
    pub fn as_halo2(&self) -> Option<&halo2::PreparedVerifyingKey> {
        match self {
            Self::Halo2(key) => Some(key),
            Self::Groth16(_) => None,
        }
    }
}

impl From<groth16::PreparedVerifyingKey> for PreparedKey {
    fn from(key: groth16::PreparedVerifyingKey) -> Self {
        Self::Groth16(key)
    }
}

impl From<&groth16::VerifyingKey> for PreparedKey {
    fn from(key: &groth16::VerifyingKey) -> Self {
        Self::Groth16(key.prepare())
    }
}

impl Proof {
    /// Decodes a proof's bytes for `backend` with every check.
    ///
    /// # Errors
    /// [`BackendError::Decode`] naming what is wrong.
    pub fn decode(backend: Backend, bytes: &[u8]) -> Result<Self, BackendError> {
        match backend {
            Backend::Groth16Bn254 => Groth16::decode_proof(bytes).map(Self::Groth16),
            Backend::Halo2IpaBn254 => Halo2::decode_proof(bytes).map(Self::Halo2),
        }
    }

    /// The proof's backend.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Groth16(_) => Groth16::BACKEND,
            Self::Halo2(_) => Halo2::BACKEND,
        }
    }

    /// The proof's bytes, as a bundle's `proof` carries them (base64).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Groth16(proof) => proof.to_bytes(),
            Self::Halo2(proof) => proof.as_bytes().to_vec(),
        }
    }

    /// The Groth16 proof, when the proof is one.
    pub fn as_groth16(&self) -> Option<&groth16::Proof> {
        match self {
            Self::Groth16(proof) => Some(proof),
            Self::Halo2(_) => None,
        }
    }

    /// The halo2 proof, when the proof is one.
    pub fn as_halo2(&self) -> Option<&halo2::Proof> {
        match self {
            Self::Halo2(proof) => Some(proof),
            Self::Groth16(_) => None,
        }
    }
}

impl From<groth16::Proof> for Proof {
    fn from(proof: groth16::Proof) -> Self {
        Self::Groth16(proof)
    }
}

impl From<halo2::Proof> for Proof {
    fn from(proof: halo2::Proof) -> Self {
        Self::Halo2(proof)
    }
}
