//! The withdrawal circuit. Each row of the statement is built in its own
//! namespace (named in `docs/STATEMENT.md`), so a test can break one
//! witness value and see that exact row fail.

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_relations::ns;

use super::holder_rows::{alloc, context_hash, HolderVars, TreeVars, AMOUNT_BITS};
use super::WithdrawalWitness;
use crate::range::{enforce_below_power_of_two, enforce_less_or_equal_unchecked};
use crate::Fr;

/// The Groth16 circuit of the withdrawal statement.
#[derive(Clone, Debug)]
pub struct WithdrawalCircuit {
    /// The witness (all zeros for key generation).
    pub witness: WithdrawalWitness,
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
        let holder = HolderVars::new_witness(&cs, &w.statement, &w.credential)?;
        let wd = &w.withdrawal;
        let chain_id = alloc(&cs, wd.chain_id)?;
        let exchange_key = alloc(&cs, wd.exchange_key)?;
        let withdrawal_key = alloc(&cs, wd.withdrawal_key)?;
        let source_key = alloc(&cs, wd.source_key)?;
        let destination_key = alloc(&cs, wd.destination_key)?;
        let asset_key = alloc(&cs, wd.asset_key)?;
        let amount = alloc(&cs, wd.amount)?;
        let trees = TreeVars::new_witness(&cs, &w.identity_tree, &w.address_tree, &w.revocation_tree)?;

        holder.enforce_statement_hash(statement_hash)?;
        holder.enforce_credential_signature()?;
        let tier_bits = holder.enforce_min_tier()?;
        holder.enforce_not_expired(now)?;
        {
            let _ns = ns!(cs, "amount_within_limit");
            let limit = holder.tier_limit(&tier_bits)?;
            enforce_below_power_of_two(&amount, AMOUNT_BITS)?;
            enforce_below_power_of_two(&limit, AMOUNT_BITS)?;
            enforce_less_or_equal_unchecked(&amount, &limit, AMOUNT_BITS)?;
        }
        holder.enforce_lists(&source_key, &trees)?;
        holder.enforce_disclosure_and_nullifier(disclosed_jurisdiction, &exchange_key, epoch, nullifier)?;
        {
            let _ns = ns!(cs, "context");
            context_hash([
                &chain_id,
                &exchange_key,
                &withdrawal_key,
                &source_key,
                &destination_key,
                &asset_key,
                &amount,
            ])?
            .enforce_equal(context)?;
        }
        Ok(())
    }
}
