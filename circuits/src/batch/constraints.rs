//! The batch circuit: the holder's rows once (the same methods, order and
//! namespaces as the single withdrawal's circuit), then each slot's rows in
//! namespaces `slot[i]: ...`, so a test can break one slot's value and see
//! that exact row fail.

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_relations::ns;

use super::{BatchWitness, MAX_BATCH_SLOTS, SHARED_PUBLIC_INPUTS};
use crate::range::enforce_below_power_of_two;
use crate::withdrawal::holder_rows::{alloc, context_hash, enforce_amount_at_most, HolderVars, TreeVars, AMOUNT_BITS};
use crate::Fr;

/// A namespace `slot[i]: row` (span names are compile-time strings, so
/// one arm per slot up to [`MAX_BATCH_SLOTS`]).
macro_rules! slot_ns {
    ($cs:expr, $i:expr, $row:literal) => {
        slot_ns!(@arms $cs, $i, $row, 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
    };
    (@arms $cs:expr, $i:expr, $row:literal, $($n:literal)*) => {
        match $i {
            $($n => ns!($cs, concat!("slot[", stringify!($n), "]: ", $row)),)*
            _ => return Err(SynthesisError::Unsatisfiable),
        }
    };
}

/// The Groth16 circuit of the batch statement, for `witness.slots.len()`
/// slots.
#[derive(Clone, Debug)]
pub struct BatchCircuit {
    /// The witness (all zeros for key generation).
    pub witness: BatchWitness,
}

/// One slot's variables.
struct SlotVars {
    active: FpVar<Fr>,
    withdrawal_key: FpVar<Fr>,
    destination_key: FpVar<Fr>,
    amount: FpVar<Fr>,
}

impl ConstraintSynthesizer<Fr> for BatchCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w = &self.witness;
        if w.slots.is_empty() || w.slots.len() > MAX_BATCH_SLOTS || w.public.contexts.len() != w.slots.len() {
            return Err(SynthesisError::Unsatisfiable);
        }
        // Public inputs, in BatchPublicInputs::to_field_elements order.
        let inputs: Vec<FpVar<Fr>> = w
            .public
            .to_field_elements()
            .iter()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(*v)))
            .collect::<Result<_, _>>()?;
        let (shared, contexts) = inputs.split_at(SHARED_PUBLIC_INPUTS);
        let [statement_hash, nullifier, epoch, now, disclosed_jurisdiction] = shared else {
            return Err(SynthesisError::Unsatisfiable);
        };

        // Private witness: the holder, the shared withdrawal fields, the slots, the trees.
        let holder = HolderVars::new_witness(&cs, &w.statement, &w.credential)?;
        let chain_id = alloc(&cs, w.chain_id)?;
        let exchange_key = alloc(&cs, w.exchange_key)?;
        let source_key = alloc(&cs, w.source_key)?;
        let asset_key = alloc(&cs, w.asset_key)?;
        let slots: Vec<SlotVars> = w
            .slots
            .iter()
            .map(|s| {
                Ok(SlotVars {
                    active: alloc(&cs, s.active)?,
                    withdrawal_key: alloc(&cs, s.withdrawal_key)?,
                    destination_key: alloc(&cs, s.destination_key)?,
                    amount: alloc(&cs, s.amount)?,
                })
            })
            .collect::<Result<_, SynthesisError>>()?;
        let trees = TreeVars::new_witness(&cs, &w.identity_tree, &w.address_tree, &w.revocation_tree)?;

        holder.enforce_statement_hash(statement_hash)?;
        holder.enforce_credential_signature()?;
        let tier_bits = holder.enforce_min_tier()?;
        holder.enforce_not_expired(now)?;
        let limit = {
            let _ns = ns!(cs, "tier_limit");
            let limit = holder.tier_limit(&tier_bits)?;
            enforce_below_power_of_two(&limit, AMOUNT_BITS)?;
            limit
        };
        holder.enforce_lists(&source_key, &trees)?;
        holder.enforce_disclosure_and_nullifier(disclosed_jurisdiction, &exchange_key, epoch, nullifier)?;

        for (i, (slot, context)) in slots.iter().zip(contexts).enumerate() {
            let active = &slot.active;
            {
                let _ns = slot_ns!(cs, i, "active slots first");
                // A bit, set in slot 0 (a batch has at least one
                // withdrawal), and set only after a set one.
                active.mul_equals(&(FpVar::one() - active), &FpVar::zero())?;
                let previous = if i == 0 { FpVar::one() } else { slots[i - 1].active.clone() };
                (FpVar::one() - previous).mul_equals(active, &FpVar::zero())?;
                if i == 0 {
                    active.enforce_equal(&FpVar::one())?;
                }
            }
            {
                let _ns = slot_ns!(cs, i, "empty slot has no amount");
                (FpVar::one() - active).mul_equals(&slot.amount, &FpVar::zero())?;
            }
            {
                let _ns = slot_ns!(cs, i, "amount_within_limit");
                enforce_amount_at_most(&slot.amount, &limit)?;
            }
            {
                let _ns = slot_ns!(cs, i, "context");
                let hashed = context_hash([
                    &chain_id,
                    &exchange_key,
                    &slot.withdrawal_key,
                    &source_key,
                    &slot.destination_key,
                    &asset_key,
                    &slot.amount,
                ])?;
                // An active slot's public input is its context; an empty slot's is 0.
                active.mul_equals(&hashed, context)?;
            }
        }
        Ok(())
    }
}
