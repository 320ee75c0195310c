//! The kinds of tree: what a tree's keys are.

use serde::{Deserialize, Serialize};

/// What a tree holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum TreeKind {
    /// Sanctioned identities (`identity_hash` keys).
    Identity,
    /// Sanctioned addresses (address keys).
    Address,
    /// An issuer's revoked credential nonces.
    Revocation,
}

impl TreeKind {
    /// The lower-case name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Address => "address",
            Self::Revocation => "revocation",
        }
    }
}
