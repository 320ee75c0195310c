//! Indexed Merkle tree non-membership in constraints.
//!
//! Enforces, for a key `x` and a root: the low leaf `Poseidon(low_key,
//! low_next, 1)` lies at the position given by boolean path bits under
//! `root` at the circuit's fixed depth; `low_key < x`; and
//! `low_next == 0 or x < low_next`.
//!
//! Path bits are `Boolean`s whose booleanity [`enforce_non_membership`]
//! enforces itself, one constraint per level, so [`NonMembershipVar`]'s
//! allocation adds none: the constraints, their order and so the circuit's
//! keys stay as they were when the bits were field elements.
//!
//! The comparisons take `low_key, low_next < 2^252` from the tree itself
//! (every key of a tree built by [`super::IndexedMerkleTree`] is, and the
//! verifier accepts only roots it trusts). They bound `x` too: `x - low_key - 1`
//! in `[0, 2^252)` gives `x < 2^253`, and `x < low_next` gives `x < 2^252`,
//! so no wrapped-around `x` passes.

use std::borrow::Borrow;

use ark_ff::One;
use ark_r1cs_std::boolean::AllocatedBool;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{Namespace, SynthesisError};
use ark_relations::ns;

use super::{TreeWitness, LEAF_TAG};
use crate::encoding::KEY_BITS;
use crate::poseidon::constraints::hash;
use crate::range::{enforce_below_power_of_two, enforce_less_than_unchecked};
use crate::Fr;

/// The witness of one non-membership proof in constraints.
#[derive(Clone, Debug)]
pub struct NonMembershipVar {
    /// Low leaf key.
    pub low_key: FpVar<Fr>,
    /// Low leaf next key.
    pub low_next: FpVar<Fr>,
    /// Path bits, leaf level first. Allocated WITHOUT a booleanity
    /// constraint (to keep the circuit's matrices as they were):
    /// [`enforce_non_membership`] constrains each to 0 or 1. Until it has
    /// run on this value they may hold any field element; use them in no
    /// other gadget before that.
    pub path_bits: Vec<Boolean<Fr>>,
    /// Siblings, leaf level first.
    pub siblings: Vec<FpVar<Fr>>,
}

impl AllocVar<TreeWitness, Fr> for NonMembershipVar {
    /// Allocates `low_key`, `low_next`, the path bits and the siblings, in
    /// that order and without constraints: the path bits' booleanity is
    /// enforced by [`enforce_non_membership`], the one place they are used.
    /// A witness bit other than 0 or 1 (only a forged witness has one) is
    /// allocated as `false`, so that synthesis of a bad witness completes
    /// and the system decides.
    fn new_variable<T: Borrow<TreeWitness>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let value = f()?;
        let w = value.borrow();
        let field = |v: Fr| FpVar::new_variable(cs.clone(), || Ok(v), mode);
        let low_key = field(w.low_key)?;
        let low_next = field(w.low_next)?;
        let path_bits = w
            .path_bits
            .iter()
            .map(|b| {
                let bit = *b == Fr::one();
                match mode {
                    AllocationMode::Witness => {
                        AllocatedBool::new_witness_without_booleanity_check(cs.clone(), || Ok(bit)).map(Boolean::Var)
                    }
                    // Constants and public inputs are checked by their allocation.
                    _ => Boolean::new_variable(cs.clone(), || Ok(bit), mode),
                }
            })
            .collect::<Result<_, _>>()?;
        let siblings = w.siblings.iter().map(|s| field(*s)).collect::<Result<_, _>>()?;
        Ok(Self { low_key, low_next, path_bits, siblings })
    }
}

/// Enforces that `x` is not in the tree with `root`, of depth
/// `proof.siblings.len()`.
///
/// # Errors
/// `SynthesisError::Unsatisfiable` when path bits and siblings differ in
/// length; otherwise constraint-system errors.
pub fn enforce_non_membership(x: &FpVar<Fr>, root: &FpVar<Fr>, proof: &NonMembershipVar) -> Result<(), SynthesisError> {
    if proof.path_bits.len() != proof.siblings.len() {
        return Err(SynthesisError::Unsatisfiable);
    }
    let cs = x.cs().or(root.cs()).or(proof.low_key.cs());
    let mut cur = {
        let _ns = ns!(cs, "imt_leaf");
        hash(&[proof.low_key.clone(), proof.low_next.clone(), FpVar::constant(Fr::from(LEAF_TAG))])?
    };
    {
        let _ns = ns!(cs, "imt_path");
        for (bit, sibling) in proof.path_bits.iter().zip(&proof.siblings) {
            let bit = FpVar::from(bit.clone());
            // bit * (bit - 1) == 0
            bit.mul_equals(&(&bit - Fr::from(1u8)), &FpVar::zero())?;
            // left = cur + bit * (sibling - cur); right = cur + sibling - left
            let left = &cur + &bit * (sibling - &cur);
            let right = &cur + sibling - &left;
            cur = hash(&[left, right])?;
        }
    }
    {
        let _ns = ns!(cs, "imt_root");
        cur.enforce_equal(root)?;
    }
    {
        let _ns = ns!(cs, "imt_low_key_below_x");
        enforce_less_than_unchecked(&proof.low_key, x, KEY_BITS as usize)?;
    }
    let _ns = ns!(cs, "imt_x_below_next_or_last");
    let next_is_zero = proof.low_next.is_zero()?;
    // (low_next - x - 1) * (1 - next_is_zero) in [0, 2^252)
    let gap = (&proof.low_next - x - Fr::from(1u8)) * FpVar::from(!next_is_zero);
    enforce_below_power_of_two(&gap, KEY_BITS as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imt::{IndexedMerkleTree, NonMembershipProof, TreeWitness};
    use ark_ff::Zero;
    use ark_relations::gr1cs::ConstraintSystem;

    const DEPTH: usize = 8;

    /// Whether the check of `x` against `root` with proof `p` is satisfied;
    /// with `forged_bit`, after the constraint system is finalised, the
    /// witness value of the first path bit is overwritten with it (what a
    /// prover who does not use this code could assign).
    fn run(x: Fr, root: Fr, p: &NonMembershipProof, forged_bit: Option<Fr>) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |v: Fr| FpVar::new_witness(cs.clone(), || Ok(v)).unwrap();
        let var = NonMembershipVar::new_witness(cs.clone(), || Ok(TreeWitness::from(p))).unwrap();
        enforce_non_membership(&w(x), &w(root), &var).unwrap();
        if let Some(value) = forged_bit {
            // Inline the linear combinations so that every constraint reads
            // the overwritten value, not one cached at synthesis.
            cs.finalize();
            let Boolean::Var(bit) = &var.path_bits[0] else { panic!("path bits are variables") };
            let index = bit.variable().index().filter(|_| bit.variable().is_witness()).unwrap();
            cs.borrow_mut().unwrap().assignments.witness_assignment[index] = value;
        }
        cs.is_satisfied().unwrap()
    }

    fn tree() -> IndexedMerkleTree {
        IndexedMerkleTree::from_keys(DEPTH, [10u64, 20, 30].map(Fr::from)).unwrap()
    }

    #[test]
    fn agrees_with_native_for_honest_cases() {
        let t = tree();
        let top = crate::field::biguint_to_fr(&((num_bigint::BigUint::from(1u8) << 252u32) - 1u8)).unwrap();
        for x in [1u64, 11, 25, 31].map(Fr::from).into_iter().chain([top]) {
            let p = t.prove_non_membership(x).unwrap();
            assert!(p.verify(t.root(), x, DEPTH));
            assert!(run(x, t.root(), &p, None), "x = {x}");
        }
        let empty = IndexedMerkleTree::new(DEPTH).unwrap();
        let p = empty.prove_non_membership(Fr::from(5u8)).unwrap();
        assert!(run(Fr::from(5u8), empty.root(), &p, None));
    }

    #[test]
    fn members_and_forged_proofs_are_unsatisfiable() {
        let t = tree();
        let p = t.prove_non_membership(Fr::from(15u8)).unwrap(); // low leaf 10 -> 20
                                                                 // A member next to the low leaf.
        assert!(!run(Fr::from(20u8), t.root(), &p, None), "x == next");
        assert!(!run(Fr::from(10u8), t.root(), &p, None), "x == low key");
        // A low leaf whose next key is not greater than x: 10 -> 20 for x = 25.
        assert!(!run(Fr::from(25u8), t.root(), &p, None));
        // The empty leaf (0, 0) at an unused position.
        let mut empty = t.prove_non_membership(Fr::from(35u8)).unwrap();
        empty.low_key = Fr::zero();
        empty.low_next = Fr::zero();
        empty.index = 9;
        assert!(!run(Fr::from(25u8), t.root(), &empty, None));
        // Path bits other than 0/1; the honest values pass the same forging.
        assert!(!run(Fr::from(15u8), t.root(), &p, Some(Fr::from(2u8))));
        assert!(!run(Fr::from(15u8), t.root(), &p, Some(-Fr::from(1u8))));
        let honest_first_bit = Fr::from(p.path_bits()[0] as u8);
        assert!(run(Fr::from(15u8), t.root(), &p, Some(honest_first_bit)));
        // Swapped siblings.
        let mut swapped = p.clone();
        swapped.siblings.swap(0, 1);
        assert!(!run(Fr::from(15u8), t.root(), &swapped, None));
        // Another root.
        assert!(!run(Fr::from(15u8), t.root() + Fr::from(1u8), &p, None));
    }

    #[test]
    fn an_inner_node_presented_as_a_leaf_is_rejected() {
        // Take the level-1 node above leaves 0 and 1 and try to present it
        // as a leaf with a path one level shorter, padded with a zero sibling.
        let t = tree();
        let p = t.prove_non_membership(Fr::from(15u8)).unwrap();
        let mut short = p.clone();
        short.siblings.remove(0);
        short.siblings.push(Fr::zero());
        short.index >>= 1;
        assert!(!run(Fr::from(15u8), t.root(), &short, None));
    }
}
