//! A halo2 proof: the prover's transcript, BLAKE2b with 255-bit
//! challenges. Its points and scalars are checked as the verifier reads
//! them (canonical encodings, points on the curve); here only its size.

use super::BackendError;

/// The most bytes a proof may have (the withdrawal circuit's are about
/// 5 KB).
pub const MAX_PROOF_BYTES: usize = 16 * 1024;

/// A halo2 proof's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    bytes: Vec<u8>,
}

impl Proof {
    /// Takes a proof's bytes: not empty, at most [`MAX_PROOF_BYTES`].
    ///
    /// # Errors
    /// [`BackendError::Decode`] for an empty or over-long proof.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BackendError> {
        if bytes.is_empty() || bytes.len() > MAX_PROOF_BYTES {
            return Err(BackendError::Decode {
                what: "halo2 proof",
                why: format!("{} bytes, expected 1 to {MAX_PROOF_BYTES}", bytes.len()),
            });
        }
        Ok(Self { bytes: bytes.to_vec() })
    }

    /// The transcript bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}
