//! Indexed Merkle tree non-membership in constraints.
//!
//! Enforces, for a key `x` and a root: the low leaf `Poseidon(low_key,
//! low_next, 1)` lies at the position given by boolean path bits under
//! `root` at the circuit's fixed depth; `low_key < x`; and
//! `low_next == 0 or x < low_next`.
//!
//! The comparisons take `low_key, low_next < 2^252` from the tree itself
//! (every key of a tree built by [`super::IndexedMerkleTree`] is, and the
//! verifier accepts only roots it trusts). They bound `x` too: `x - low_key - 1`
//! in `[0, 2^252)` gives `x < 2^253`, and `x < low_next` gives `x < 2^252`,
//! so no wrapped-around `x` passes.

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::SynthesisError;
use ark_relations::ns;

use super::LEAF_TAG;
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
    /// Path bits, leaf level first (constrained boolean here).
    pub path_bits: Vec<FpVar<Fr>>,
    /// Siblings, leaf level first.
    pub siblings: Vec<FpVar<Fr>>,
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
            // bit * (bit - 1) == 0
            bit.mul_equals(&(bit - Fr::from(1u8)), &FpVar::zero())?;
            // left = cur + bit * (sibling - cur); right = cur + sibling - left
            let left = &cur + bit * (sibling - &cur);
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
    use crate::imt::{IndexedMerkleTree, NonMembershipProof};
    use ark_ff::Zero;
    use ark_relations::gr1cs::ConstraintSystem;

    const DEPTH: usize = 8;

    fn run(x: Fr, root: Fr, p: &NonMembershipProof, bits: Option<Vec<Fr>>) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |v: Fr| FpVar::new_witness(cs.clone(), || Ok(v)).unwrap();
        let bits = bits.unwrap_or_else(|| p.path_bits().iter().map(|b| Fr::from(*b as u8)).collect());
        let var = NonMembershipVar {
            low_key: w(p.low_key),
            low_next: w(p.low_next),
            path_bits: bits.into_iter().map(w).collect(),
            siblings: p.siblings.iter().map(|s| w(*s)).collect(),
        };
        enforce_non_membership(&w(x), &w(root), &var).unwrap();
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
        // Path bits other than 0/1.
        let mut bits: Vec<Fr> = p.path_bits().iter().map(|b| Fr::from(*b as u8)).collect();
        bits[0] = Fr::from(2u8);
        assert!(!run(Fr::from(15u8), t.root(), &p, Some(bits)));
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
