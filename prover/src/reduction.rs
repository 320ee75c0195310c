//! Which R1CS-to-QAP reduction a proving key was made for, as the keys
//! manifest records it (`reduction`). The prover must use the key's: the H
//! query of a libsnark-reduction key (arkworks' default, `zkcomply setup`)
//! is over a coset of the evaluation domain, a circom-reduction key's
//! (snarkjs, and so every ceremony key) over the odd points of the domain
//! twice as large. With the wrong one, proofs do not verify.

use serde::{Deserialize, Serialize};

/// A key's R1CS-to-QAP reduction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reduction {
    /// arkworks' `LibsnarkReduction` (keys from `zkcomply setup`; the
    /// default for manifests that do not say).
    #[default]
    Libsnark,
    /// snarkjs's, [`crate::circom_qap::CircomReduction`] (keys from a
    /// snarkjs-compatible ceremony).
    Circom,
}
