//! Why a key or a proof cannot be used by its backend.

use super::id::{Backend, UnknownBackend};

/// Why a key or a proof cannot be decoded or verified, whatever its backend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// A backend id this verifier does not know.
    #[error(transparent)]
    Unknown(#[from] UnknownBackend),
    /// A proof of one backend given to a key of another.
    #[error("a {proof} proof cannot be verified with a {key} verifying key")]
    Mismatch {
        /// The key's backend.
        key: Backend,
        /// The proof's backend.
        proof: Backend,
    },
    /// Bytes that do not decode to a valid key or proof.
    #[error("{what}: {why}")]
    Decode {
        /// Which object.
        what: &'static str,
        /// What is wrong.
        why: String,
    },
    /// A public input count that differs from the key's.
    #[error("the verifying key takes {expected} public inputs, {found} were given")]
    InputCount {
        /// The key's count.
        expected: usize,
        /// Given.
        found: usize,
    },
}
