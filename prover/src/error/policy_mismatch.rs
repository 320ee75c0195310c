//! Why a holder's inputs do not fit the policy a proof is for: no proof
//! for that policy can be made from them.

use zkcomply_circuits::encoding::EncodingError;
use zkcomply_circuits::public_inputs::BLOCKED_SLOTS;
use zkcomply_verifier::credential::CredentialError;

use crate::tree_kind::TreeKind;

/// How the inputs disagree with the policy (or the credential with the
/// holder).
#[derive(Debug, thiserror::Error)]
pub enum PolicyMismatch {
    /// The issuer's copy of the credential, without the holder's secret.
    #[error("the credential has no holder secret: use the holder's copy (zkcomply holder accept)")]
    NoHolderSecret,
    /// `holder.secret` does not open `holder.id_commitment`.
    #[error("holder.secret does not match holder.id_commitment")]
    SecretMismatch,
    /// A credential issued to another holder's commitment.
    #[error("the credential was issued for another id_commitment than this holder's")]
    IssuedToAnotherHolder,
    /// A credential whose signature or secret does not check.
    #[error("{0}")]
    InvalidCredential(#[from] CredentialError),
    /// The policy lists issuers, and not this credential's.
    #[error("the credential's issuer is not accepted by the policy")]
    IssuerNotAccepted,
    /// The policy sets limits, but none for the withdrawal's asset.
    #[error("the policy sets no limits for asset {asset:?}")]
    NoLimitsForAsset {
        /// The withdrawal's asset.
        asset: String,
    },
    /// More blocked jurisdictions than the circuit has slots.
    #[error("the policy blocks {count} jurisdictions; the circuit proves exclusion from at most {BLOCKED_SLOTS}")]
    TooManyBlockedJurisdictions {
        /// Jurisdictions the policy blocks.
        count: usize,
    },
    /// The withdrawal goes to another exchange than the policy's.
    #[error("the withdrawal is for exchange {withdrawal:?}, the policy is exchange {policy:?}'s")]
    ExchangeMismatch {
        /// The withdrawal's `exchange_id`.
        withdrawal: String,
        /// The policy's `exchange_id`.
        policy: String,
    },
    /// A tree whose root the policy does not list.
    #[error("the {} tree's root {root} is not one the policy accepts", role(*kind))]
    RootNotAccepted {
        /// Which tree.
        kind: TreeKind,
        /// Its root (decimal).
        root: String,
    },
    /// The withdrawal's epoch is not `now / epoch_seconds`.
    #[error("withdrawal epoch {epoch} is not now / epoch_seconds = {expected}")]
    EpochMismatch {
        /// The withdrawal's epoch.
        epoch: u64,
        /// The epoch the policy's `epoch_seconds` gives for its `now`.
        expected: u64,
    },
    /// A withdrawal field that cannot be encoded for the circuit.
    #[error("withdrawal: {0}")]
    WithdrawalContext(#[from] EncodingError),
}

/// The role a tree of `kind` plays in a policy.
fn role(kind: TreeKind) -> &'static str {
    match kind {
        TreeKind::Identity => "identity sanctions",
        TreeKind::Address => "address sanctions",
        TreeKind::Revocation => "issuer's revocation",
    }
}
