//! Why Groth16 bytes or inputs cannot be verified.

/// Why bytes or inputs cannot be verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Groth16Error {
    /// Bytes that do not decode to valid points.
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
