//! The prover's errors: each names what is wrong and where, as a variant a
//! caller can match on (the command line picks its exit code and the
//! service its HTTP status that way).

mod demo_failure;
mod key_error;
mod policy_mismatch;
mod proving_error;
mod tree_error;

pub use demo_failure::DemoFailure;
pub use key_error::KeyError;
pub use policy_mismatch::PolicyMismatch;
pub use proving_error::ProvingError;
pub use tree_error::TreeError;

use ark_relations::gr1cs::SynthesisError;
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
    Policy(#[from] PolicyMismatch),
    /// Keys that are missing, corrupt or for another circuit.
    #[error("keys: {0}")]
    Keys(#[from] KeyError),
    /// A tree that cannot be built or a tree file of the wrong kind.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// Proving itself failed.
    #[error("proving failed: {0}")]
    Proving(#[from] ProvingError),
    /// The circuit does not synthesise (counting its constraints).
    #[error("circuit synthesis failed: {0}")]
    Synthesis(SynthesisError),
    /// A value that cannot be written as JSON.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The demonstration's own checks failed.
    #[error(transparent)]
    Demo(#[from] DemoFailure),
}
