//! The statement's public values and the one function that packs them into
//! Groth16 public inputs, shared by prover, verifier and every binding.
//!
//! A bundle carries about two dozen public values in clear; the circuit
//! takes six field elements: `statement_hash` (a Poseidon commitment to
//! the issuer key, thresholds, limits, roots and blocked list), `context`,
//! `nullifier`, `epoch`, `now` and `disclosed_jurisdiction`. Verifiers
//! recompute `statement_hash` and `context` from the clear values, then check
//! each clear value against their policy. The statement itself, its field
//! elements and its hash are in [`crate::statement`].

use crate::Fr;

/// The statement's types, also named here: whoever packs public inputs
/// needs them.
pub use crate::statement::{StatementFields, StatementValues, BLOCKED_SLOTS, LIMIT_TIERS};

/// Number of Groth16 public inputs.
pub const PUBLIC_INPUT_COUNT: usize = 6;

/// The Groth16 public inputs of one withdrawal proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicInputs {
    /// Commitment to the [`StatementValues`].
    pub statement_hash: Fr,
    /// Binds the proof to one withdrawal.
    pub context: Fr,
    /// Per holder, exchange and epoch.
    pub nullifier: Fr,
    /// `floor(now / epoch_seconds)`.
    pub epoch: Fr,
    /// The time the credential must be valid at.
    pub now: Fr,
    /// The jurisdiction, or 0 when not disclosed.
    pub disclosed_jurisdiction: Fr,
}

impl PublicInputs {
    /// The public inputs in circuit order: `statement_hash, context,
    /// nullifier, epoch, now, disclosed_jurisdiction`. The only place that
    /// order is written down.
    pub fn to_field_elements(&self) -> [Fr; PUBLIC_INPUT_COUNT] {
        [self.statement_hash, self.context, self.nullifier, self.epoch, self.now, self.disclosed_jurisdiction]
    }

    /// The inverse of [`PublicInputs::to_field_elements`]; `None` unless
    /// exactly [`PUBLIC_INPUT_COUNT`] values are given.
    pub fn from_field_elements(values: &[Fr]) -> Option<Self> {
        match values {
            [statement_hash, context, nullifier, epoch, now, disclosed_jurisdiction] => Some(Self {
                statement_hash: *statement_hash,
                context: *context,
                nullifier: *nullifier,
                epoch: *epoch,
                now: *now,
                disclosed_jurisdiction: *disclosed_jurisdiction,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_count() {
        let p = PublicInputs {
            statement_hash: Fr::from(1u8),
            context: Fr::from(2u8),
            nullifier: Fr::from(3u8),
            epoch: Fr::from(4u8),
            now: Fr::from(5u8),
            disclosed_jurisdiction: Fr::from(6u8),
        };
        let v = p.to_field_elements();
        assert_eq!(PublicInputs::from_field_elements(&v), Some(p));
        assert_eq!(PublicInputs::from_field_elements(&v[..5]), None);
        let mut more = v.to_vec();
        more.push(Fr::from(7u8));
        assert_eq!(PublicInputs::from_field_elements(&more), None);
    }
}
