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

fn describe_refused(refused: &[crate::batch::RefusedItem], dropping_allowed: bool) -> String {
    let items: Vec<String> = refused.iter().map(ToString::to_string).collect();
    let advice = if dropping_allowed {
        "every item was refused, so there is nothing to prove"
    } else {
        "no batch was proved; fix or remove these items, or pass --drop-refused to prove the others"
    };
    format!("{} of the batch's items cannot be proved: {}; {advice}", refused.len(), items.join("; "))
}
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
    /// Items of a batch that cannot be proved, each with its index and
    /// reason.
    #[error("refused: {}", describe_refused(.refused, *.dropping_allowed))]
    BatchRefused {
        /// Every refused item.
        refused: Vec<crate::batch::RefusedItem>,
        /// Whether `--drop-refused` was given (then every item was refused).
        dropping_allowed: bool,
    },
    /// More items than the batch keys' slots.
    #[error("refused: {items} withdrawals do not fit a batch of {slots} slots (use batch keys with more slots, or split the list)")]
    BatchTooLarge {
        /// The items given.
        items: usize,
        /// The keys' slots.
        slots: usize,
    },
    /// The batch's statement does not hold (after every item was checked).
    #[error("refused: {0}")]
    BatchStatement(zkcomply_circuits::batch::BatchViolation),
    /// The demonstration's own checks failed.
    #[error(transparent)]
    Demo(#[from] DemoFailure),
}

impl ProverError {
    /// Whether the inputs are well formed but no proof can exist for them
    /// (a false statement row, a policy mismatch, refused batch items), as
    /// opposed to unusable input or a failure of the prover's own.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::Statement(_)
                | Self::Policy(_)
                | Self::BatchRefused { .. }
                | Self::BatchTooLarge { .. }
                | Self::BatchStatement(_)
        )
    }
}
