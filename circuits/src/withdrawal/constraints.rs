//! The withdrawal circuit. Each row of the statement is built in its own
//! namespace (named in `docs/STATEMENT.md`), so a test can break one
//! witness value and see that exact row fail.

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_relations::ns;

use super::WithdrawalWitness;
use crate::babyjubjub::constraints::PointVar;
use crate::eddsa::constraints::enforce_signature;
use crate::imt::constraints::{enforce_non_membership, NonMembershipVar};
use crate::poseidon::constraints::hash;
use crate::range::{
    enforce_below_power_of_two, enforce_bits, enforce_less_or_equal_unchecked, enforce_less_than_unchecked,
};
use crate::statement::constraints::StatementVar;
use crate::Fr;

/// Bits of the tier (0..=255).
const TIER_BITS: usize = 8;
/// Bits of amounts and limits.
const AMOUNT_BITS: usize = 128;
/// Bits of times (`now`, `expires_at`).
const TIME_BITS: usize = 53;

/// The Groth16 circuit of the withdrawal statement.
#[derive(Clone, Debug)]
pub struct WithdrawalCircuit {
    /// The witness (all zeros for key generation).
    pub witness: WithdrawalWitness,
}

fn alloc(cs: &ConstraintSystemRef<Fr>, v: Fr) -> Result<FpVar<Fr>, SynthesisError> {
    FpVar::new_witness(cs.clone(), || Ok(v))
}

impl ConstraintSynthesizer<Fr> for WithdrawalCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w = &self.witness;
        // Public inputs, in PublicInputs::to_field_elements order.
        let public = w.public.to_field_elements();
        let inputs: Vec<FpVar<Fr>> =
            public.iter().map(|v| FpVar::new_input(cs.clone(), || Ok(*v))).collect::<Result<_, _>>()?;
        let [statement_hash, context, nullifier, epoch, now, disclosed_jurisdiction] = &inputs[..] else {
            return Err(SynthesisError::Unsatisfiable);
        };

        // Private witness.
        let statement = StatementVar::new_witness(cs.clone(), || Ok(w.statement))?;
        let issuer = statement.issuer();
        let min_tier = &statement.min_tier;
        let limits = &statement.limits;

        let c = &w.credential;
        let secret = alloc(&cs, c.secret)?;
        let kyc_tier = alloc(&cs, c.kyc_tier)?;
        let jurisdiction = alloc(&cs, c.jurisdiction)?;
        let identity_hash = alloc(&cs, c.identity_hash)?;
        let expires_at = alloc(&cs, c.expires_at)?;
        let nonce = alloc(&cs, c.nonce)?;
        let sig_r8 = PointVar::new_witness(cs.clone(), || Ok(c.sig_r8))?;
        let sig_s = alloc(&cs, c.sig_s)?;

        let wd = &w.withdrawal;
        let chain_id = alloc(&cs, wd.chain_id)?;
        let exchange_key = alloc(&cs, wd.exchange_key)?;
        let withdrawal_key = alloc(&cs, wd.withdrawal_key)?;
        let source_key = alloc(&cs, wd.source_key)?;
        let destination_key = alloc(&cs, wd.destination_key)?;
        let asset_key = alloc(&cs, wd.asset_key)?;
        let amount = alloc(&cs, wd.amount)?;

        let identity_tree = NonMembershipVar::new_witness(cs.clone(), || Ok(&w.identity_tree))?;
        let address_tree = NonMembershipVar::new_witness(cs.clone(), || Ok(&w.address_tree))?;
        let revocation_tree = NonMembershipVar::new_witness(cs.clone(), || Ok(&w.revocation_tree))?;

        {
            let _ns = ns!(cs, "statement_hash");
            statement.hash()?.enforce_equal(statement_hash)?;
        }
        {
            let _ns = ns!(cs, "credential_signature");
            let id_commitment = hash(std::slice::from_ref(&secret))?;
            let message = hash(&[
                id_commitment,
                kyc_tier.clone(),
                jurisdiction.clone(),
                identity_hash.clone(),
                expires_at.clone(),
                nonce.clone(),
            ])?;
            enforce_signature(&issuer, &message, &sig_r8, &sig_s)?;
        }
        let tier_bits = {
            let _ns = ns!(cs, "min_tier");
            let bits = enforce_bits(&kyc_tier, TIER_BITS)?;
            enforce_below_power_of_two(min_tier, TIER_BITS)?;
            enforce_less_or_equal_unchecked(min_tier, &kyc_tier, TIER_BITS)?;
            bits
        };
        {
            let _ns = ns!(cs, "not_expired");
            enforce_below_power_of_two(now, TIME_BITS)?;
            enforce_below_power_of_two(&expires_at, TIME_BITS)?;
            enforce_less_than_unchecked(now, &expires_at, TIME_BITS)?;
        }
        {
            let _ns = ns!(cs, "amount_within_limit");
            // index = min(kyc_tier, 3): bits (i0, i1) = (b0 or high, b1 or high)
            // where high = any of bits 2..8 set.
            let high_sum = tier_bits[2..].iter().fold(FpVar::zero(), |acc, b| acc + FpVar::from(b.clone()));
            let high = FpVar::from(!high_sum.is_zero()?);
            let b0 = FpVar::from(tier_bits[0].clone());
            let b1 = FpVar::from(tier_bits[1].clone());
            let i0 = &b0 + &high - &b0 * &high;
            let i1 = &b1 + &high - &b1 * &high;
            let i01 = &i0 * &i1;
            let limit = &limits[0]
                + &i0 * (&limits[1] - &limits[0])
                + &i1 * (&limits[2] - &limits[0])
                + &i01 * (&limits[3] - &limits[2] - &limits[1] + &limits[0]);
            enforce_below_power_of_two(&amount, AMOUNT_BITS)?;
            enforce_below_power_of_two(&limit, AMOUNT_BITS)?;
            enforce_less_or_equal_unchecked(&amount, &limit, AMOUNT_BITS)?;
        }
        {
            let _ns = ns!(cs, "identity_not_sanctioned");
            enforce_non_membership(&identity_hash, &statement.identity_root, &identity_tree)?;
        }
        {
            let _ns = ns!(cs, "address_not_sanctioned");
            enforce_non_membership(&source_key, &statement.address_root, &address_tree)?;
        }
        {
            let _ns = ns!(cs, "credential_not_revoked");
            enforce_non_membership(&nonce, &statement.revocation_root, &revocation_tree)?;
        }
        {
            let _ns = ns!(cs, "jurisdiction_not_blocked");
            for blocked in &statement.blocked_jurisdictions {
                jurisdiction.enforce_not_equal(blocked)?;
            }
        }
        {
            let _ns = ns!(cs, "disclosed_jurisdiction");
            disclosed_jurisdiction.mul_equals(&(disclosed_jurisdiction - &jurisdiction), &FpVar::zero())?;
        }
        {
            let _ns = ns!(cs, "nullifier");
            hash(&[secret, exchange_key.clone(), epoch.clone()])?.enforce_equal(nullifier)?;
        }
        {
            let _ns = ns!(cs, "context");
            hash(&[chain_id, exchange_key, withdrawal_key, source_key, destination_key, asset_key, amount])?
                .enforce_equal(context)?;
        }
        Ok(())
    }
}
