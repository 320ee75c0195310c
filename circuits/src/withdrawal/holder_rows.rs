//! The rows of the statement that are about the holder, not about one
//! withdrawal: shared by the single withdrawal's circuit and the batch's,
//! which build them in the same order and the same namespaces.
//!
//! Each method builds one row of `docs/STATEMENT.md` in its own namespace.
//! Variables are allocated in the order the single circuit has always
//! allocated them: its constraint matrices (pinned in
//! `tests/golden/withdrawal_r1cs.json`) do not change.

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use ark_relations::ns;

use super::{CredentialWitness, TreeWitness};
use crate::babyjubjub::constraints::PointVar;
use crate::eddsa::constraints::enforce_signature;
use crate::imt::constraints::{enforce_non_membership, NonMembershipVar};
use crate::poseidon::constraints::hash;
use crate::range::{
    enforce_below_power_of_two, enforce_bits, enforce_less_or_equal_unchecked, enforce_less_than_unchecked,
};
use crate::statement::constraints::StatementVar;
use crate::statement::StatementFields;
use crate::Fr;

/// Bits of the tier (0..=255).
const TIER_BITS: usize = 8;
/// Bits of amounts and limits.
pub(crate) const AMOUNT_BITS: usize = 128;
/// Bits of times (`now`, `expires_at`).
const TIME_BITS: usize = 53;

/// A private witness value.
pub(crate) fn alloc(cs: &ConstraintSystemRef<Fr>, v: Fr) -> Result<FpVar<Fr>, SynthesisError> {
    FpVar::new_witness(cs.clone(), || Ok(v))
}

/// The statement's values and the credential, as circuit variables.
pub(crate) struct HolderVars {
    cs: ConstraintSystemRef<Fr>,
    statement: StatementVar,
    secret: FpVar<Fr>,
    kyc_tier: FpVar<Fr>,
    jurisdiction: FpVar<Fr>,
    identity_hash: FpVar<Fr>,
    expires_at: FpVar<Fr>,
    nonce: FpVar<Fr>,
    sig_r8: PointVar,
    sig_s: FpVar<Fr>,
}

/// The three non-membership witnesses, as circuit variables.
pub(crate) struct TreeVars {
    identity: NonMembershipVar,
    address: NonMembershipVar,
    revocation: NonMembershipVar,
}

impl TreeVars {
    /// Allocates the identity, address and revocation witnesses, in that order.
    pub(crate) fn new_witness(
        cs: &ConstraintSystemRef<Fr>,
        identity: &TreeWitness,
        address: &TreeWitness,
        revocation: &TreeWitness,
    ) -> Result<Self, SynthesisError> {
        Ok(Self {
            identity: NonMembershipVar::new_witness(cs.clone(), || Ok(identity))?,
            address: NonMembershipVar::new_witness(cs.clone(), || Ok(address))?,
            revocation: NonMembershipVar::new_witness(cs.clone(), || Ok(revocation))?,
        })
    }
}

impl HolderVars {
    /// Allocates the statement's elements, then the credential's values.
    pub(crate) fn new_witness(
        cs: &ConstraintSystemRef<Fr>,
        statement: &StatementFields,
        c: &CredentialWitness,
    ) -> Result<Self, SynthesisError> {
        Ok(Self {
            cs: cs.clone(),
            statement: StatementVar::new_witness(cs.clone(), || Ok(statement))?,
            secret: alloc(cs, c.secret)?,
            kyc_tier: alloc(cs, c.kyc_tier)?,
            jurisdiction: alloc(cs, c.jurisdiction)?,
            identity_hash: alloc(cs, c.identity_hash)?,
            expires_at: alloc(cs, c.expires_at)?,
            nonce: alloc(cs, c.nonce)?,
            sig_r8: PointVar::new_witness(cs.clone(), || Ok(c.sig_r8))?,
            sig_s: alloc(cs, c.sig_s)?,
        })
    }

    /// Row `statement_hash`: the private statement hashes to the public input.
    pub(crate) fn enforce_statement_hash(&self, statement_hash: &FpVar<Fr>) -> Result<(), SynthesisError> {
        let _ns = ns!(self.cs, "statement_hash");
        self.statement.hash()?.enforce_equal(statement_hash)
    }

    /// Row `credential_signature`: the issuer signed the credential.
    pub(crate) fn enforce_credential_signature(&self) -> Result<(), SynthesisError> {
        let _ns = ns!(self.cs, "credential_signature");
        let id_commitment = hash(std::slice::from_ref(&self.secret))?;
        let message = hash(&[
            id_commitment,
            self.kyc_tier.clone(),
            self.jurisdiction.clone(),
            self.identity_hash.clone(),
            self.expires_at.clone(),
            self.nonce.clone(),
        ])?;
        enforce_signature(&self.statement.issuer(), &message, &self.sig_r8, &self.sig_s)
    }

    /// Row `min_tier`: `kyc_tier >= min_tier`, both below 2^8. Returns the
    /// tier's bits, which select its limit.
    pub(crate) fn enforce_min_tier(&self) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
        let _ns = ns!(self.cs, "min_tier");
        let bits = enforce_bits(&self.kyc_tier, TIER_BITS)?;
        enforce_below_power_of_two(&self.statement.min_tier, TIER_BITS)?;
        enforce_less_or_equal_unchecked(&self.statement.min_tier, &self.kyc_tier, TIER_BITS)?;
        Ok(bits)
    }

    /// Row `not_expired`: `now < expires_at`, both below 2^53.
    pub(crate) fn enforce_not_expired(&self, now: &FpVar<Fr>) -> Result<(), SynthesisError> {
        let _ns = ns!(self.cs, "not_expired");
        enforce_below_power_of_two(now, TIME_BITS)?;
        enforce_below_power_of_two(&self.expires_at, TIME_BITS)?;
        enforce_less_than_unchecked(now, &self.expires_at, TIME_BITS)
    }

    /// `limits[min(kyc_tier, 3)]` from the tier's bits (no range check:
    /// the caller bounds it).
    pub(crate) fn tier_limit(&self, tier_bits: &[Boolean<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
        let limits = &self.statement.limits;
        // index = min(kyc_tier, 3): bits (i0, i1) = (b0 or high, b1 or high)
        // where high = any of bits 2..8 set.
        let high_sum = tier_bits[2..].iter().fold(FpVar::zero(), |acc, b| acc + FpVar::from(b.clone()));
        let high = FpVar::from(!high_sum.is_zero()?);
        let b0 = FpVar::from(tier_bits[0].clone());
        let b1 = FpVar::from(tier_bits[1].clone());
        let i0 = &b0 + &high - &b0 * &high;
        let i1 = &b1 + &high - &b1 * &high;
        let i01 = &i0 * &i1;
        Ok(&limits[0]
            + &i0 * (&limits[1] - &limits[0])
            + &i1 * (&limits[2] - &limits[0])
            + &i01 * (&limits[3] - &limits[2] - &limits[1] + &limits[0]))
    }

    /// Rows `identity_not_sanctioned`, `address_not_sanctioned` (for the
    /// source address's key), `credential_not_revoked` and
    /// `jurisdiction_not_blocked`.
    pub(crate) fn enforce_lists(&self, source_key: &FpVar<Fr>, trees: &TreeVars) -> Result<(), SynthesisError> {
        let s = &self.statement;
        {
            let _ns = ns!(self.cs, "identity_not_sanctioned");
            enforce_non_membership(&self.identity_hash, &s.identity_root, &trees.identity)?;
        }
        {
            let _ns = ns!(self.cs, "address_not_sanctioned");
            enforce_non_membership(source_key, &s.address_root, &trees.address)?;
        }
        {
            let _ns = ns!(self.cs, "credential_not_revoked");
            enforce_non_membership(&self.nonce, &s.revocation_root, &trees.revocation)?;
        }
        let _ns = ns!(self.cs, "jurisdiction_not_blocked");
        for blocked in &s.blocked_jurisdictions {
            self.jurisdiction.enforce_not_equal(blocked)?;
        }
        Ok(())
    }

    /// Rows `disclosed_jurisdiction` (`d * (d - jurisdiction) == 0`) and
    /// `nullifier` (`Poseidon(secret, exchange_key, epoch)`).
    pub(crate) fn enforce_disclosure_and_nullifier(
        &self,
        disclosed_jurisdiction: &FpVar<Fr>,
        exchange_key: &FpVar<Fr>,
        epoch: &FpVar<Fr>,
        nullifier: &FpVar<Fr>,
    ) -> Result<(), SynthesisError> {
        {
            let _ns = ns!(self.cs, "disclosed_jurisdiction");
            disclosed_jurisdiction.mul_equals(&(disclosed_jurisdiction - &self.jurisdiction), &FpVar::zero())?;
        }
        let _ns = ns!(self.cs, "nullifier");
        hash(&[self.secret.clone(), exchange_key.clone(), epoch.clone()])?.enforce_equal(nullifier)
    }
}

/// `amount < 2^128` and `amount <= limit`, for a `limit` already known to
/// be below 2^128.
pub(crate) fn enforce_amount_at_most(amount: &FpVar<Fr>, limit: &FpVar<Fr>) -> Result<(), SynthesisError> {
    enforce_below_power_of_two(amount, AMOUNT_BITS)?;
    enforce_less_or_equal_unchecked(amount, limit, AMOUNT_BITS)
}

/// `Poseidon(chain_id, exchange_key, withdrawal_key, source_key,
/// destination_key, asset_key, amount)`: one withdrawal's `context`.
pub(crate) fn context_hash(fields: [&FpVar<Fr>; 7]) -> Result<FpVar<Fr>, SynthesisError> {
    hash(&fields.map(Clone::clone))
}
