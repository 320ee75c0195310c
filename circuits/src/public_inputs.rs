//! The statement's public values and the one function that packs them into
//! Groth16 public inputs, shared by prover, verifier and every binding.
//!
//! A bundle carries about two dozen public values in clear; the circuit
//! takes six field elements: `statement_hash` (a Poseidon commitment to
//! the issuer key, thresholds, limits, roots and blocked list), `context`,
//! `nullifier`, `epoch`, `now` and `disclosed_jurisdiction`. Verifiers
//! recompute `statement_hash` and `context` from the clear values, then check
//! each clear value against their policy.

use crate::babyjubjub::Point;
use crate::{poseidon, Fr};

/// Number of blocked-jurisdiction slots (unused slots repeat a value).
pub const BLOCKED_SLOTS: usize = 8;
/// Number of tier limits (tiers 0, 1, 2 and 3 or above).
pub const LIMIT_TIERS: usize = 4;
/// Number of Groth16 public inputs.
pub const PUBLIC_INPUT_COUNT: usize = 6;

/// The policy-facing values a proof commits to through `statement_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementValues {
    /// The issuer's public key.
    pub issuer: Point,
    /// The minimum KYC tier proved.
    pub min_tier: u8,
    /// Amount limits for the withdrawal's asset, by tier `min(kyc_tier, 3)`.
    pub limits: [u128; LIMIT_TIERS],
    /// Root of the identity sanctions tree.
    pub identity_root: Fr,
    /// Root of the address sanctions tree.
    pub address_root: Fr,
    /// Root of the issuer's revocation tree.
    pub revocation_root: Fr,
    /// ISO 3166-1 numeric codes the credential's jurisdiction is none of.
    pub blocked_jurisdictions: [u16; BLOCKED_SLOTS],
}

/// [`StatementValues`] as the field elements the circuit hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementFields {
    /// `issuer_ax, issuer_ay, min_tier, limits[0..4], identity_root,
    /// address_root, revocation_root`.
    pub head: [Fr; 10],
    /// The blocked jurisdictions.
    pub blocked: [Fr; BLOCKED_SLOTS],
}

impl StatementFields {
    /// `Poseidon(Poseidon(head[0..10]), Poseidon(blocked[0..8]))`.
    pub fn hash(&self) -> Fr {
        let h1 = poseidon::hash_fixed(self.head);
        let h2 = poseidon::hash_fixed(self.blocked);
        poseidon::hash_fixed([h1, h2])
    }
}

impl StatementValues {
    /// The field elements, in the normative order.
    pub fn fields(&self) -> StatementFields {
        let l = self.limits.map(Fr::from);
        StatementFields {
            head: [
                self.issuer.x,
                self.issuer.y,
                Fr::from(self.min_tier),
                l[0],
                l[1],
                l[2],
                l[3],
                self.identity_root,
                self.address_root,
                self.revocation_root,
            ],
            blocked: self.blocked_jurisdictions.map(Fr::from),
        }
    }

    /// `statement_hash`.
    pub fn hash(&self) -> Fr {
        self.fields().hash()
    }
}

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

    #[test]
    fn statement_hash_depends_on_every_value() {
        let base = StatementValues {
            issuer: Point::base8(),
            min_tier: 2,
            limits: [0, 1, 2, 3],
            identity_root: Fr::from(10u8),
            address_root: Fr::from(11u8),
            revocation_root: Fr::from(12u8),
            blocked_jurisdictions: [408, 364, 408, 408, 408, 408, 408, 408],
        };
        let h = base.hash();
        let f = base.fields();
        for i in 0..10 {
            let mut g = f;
            g.head[i] += Fr::from(1u8);
            assert_ne!(g.hash(), h, "head[{i}]");
        }
        for i in 0..BLOCKED_SLOTS {
            let mut g = f;
            g.blocked[i] += Fr::from(1u8);
            assert_ne!(g.hash(), h, "blocked[{i}]");
        }
    }
}
