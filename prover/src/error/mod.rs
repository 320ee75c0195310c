//! The prover's errors: each names what is wrong and where.

use zkcomply_circuits::withdrawal::StatementViolation;
use zkcomply_verifier::FormatError;

/// Why a prover operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ProverError {
    /// Malformed input or an I/O failure.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The withdrawal does not meet the statement: no proof can exist.
    #[error("refused: {0}")]
    Statement(#[from] StatementViolation),
    /// The inputs do not fit the policy the proof is for.
    #[error("refused: {0}")]
    Policy(String),
    /// Keys that are missing, corrupt or for another circuit.
    #[error("keys: {0}")]
    Keys(String),
    /// A tree file that does not match its root or kind.
    #[error("{0}")]
    Tree(String),
    /// Proving itself failed.
    #[error("proving failed: {0}")]
    Proving(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}
