//! Indexed Merkle tree non-membership as a chip: the halo2 twin of
//! [`crate::imt::constraints`], enforcing the same statement for a key `x`
//! and a `root`:
//!
//! - the low leaf `Poseidon(low_key, low_next, 1)` lies under `root` at the
//!   position given by boolean path bits (leaf level first, 1 = right
//!   child), with nodes `Poseidon(left, right)`, at the depth asked;
//! - `low_key < x`: `x - low_key - 1` is below `2^252`;
//! - `x < low_next` or `low_next == 0`: `(low_next - x - 1) * (low_next != 0)`
//!   is below `2^252`.
//!
//! As in the Groth16 gadget, the comparisons take `low_key, low_next <
//! 2^252` from the tree (every tree [`crate::imt::IndexedMerkleTree`] builds
//! has them, and the verifier accepts only roots it trusts); they bound `x`
//! as well (`x < 2^253`, and `x < 2^252` when a next key exists).
//!
//! The chip's own gates (over five advice columns of the caller's pool):
//! - **leaf tag**: a row `[low_key, low_next, tag]` with `tag == 1`, the
//!   leaf hash's inputs;
//! - **path step**: a row `[node, sibling, bit, left, right]` with
//!   `bit * (bit - 1) == 0`, `left == node + bit * (sibling - node)` and
//!   `left + right == node + sibling`, the next level's hash inputs;
//! - **next gap**: a row `[x, low_next, inverse, next_is_set, gap]` with
//!   `next_is_set == low_next * inverse`, `low_next * (1 - next_is_set) == 0`
//!   (so `next_is_set` is 1 exactly when `low_next != 0`) and
//!   `gap == (low_next - x - 1) * next_is_set`;
//! - **root**: the computed root copied into one cell, itself a copy of the
//!   caller's `root`.
//!
//! Hashing is [`PoseidonChip`]'s (configured for 2 and 3 inputs), the
//! comparisons [`RangeChip`]'s.
//!
//! Rows at depth `d`: `1 + P3` (leaf), `d * (1 + P2)` (path), 1 (root) and
//! two comparisons of `1 + R` rows each, with `P2`, `P3` the Poseidon rows
//! per hash and `R` a 252-bit range check's rows. At depth 20 with 11
//! advice and 12 fixed columns (`P2 = P3 = 15`, `R = 27`): 393 rows.

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Constraints, Error, Expression, Selector};
use halo2_proofs::poly::Rotation;

use super::poseidon::PoseidonChip;
use super::range::RangeChip;
use super::{to_fp, Fp};
use crate::encoding::KEY_BITS;
use crate::imt::{TreeWitness, LEAF_TAG};

/// The columns and gates of a [`NonMembershipChip`].
#[derive(Clone, Debug)]
pub struct NonMembershipConfig {
    advice: [Column<Advice>; 5],
    leaf_tag: Selector,
    path_step: Selector,
    next_gap: Selector,
}

/// Non-membership of a key in an indexed Merkle tree.
#[derive(Clone, Debug)]
pub struct NonMembershipChip {
    config: NonMembershipConfig,
    poseidon: PoseidonChip,
    range: RangeChip,
}

impl NonMembershipChip {
    /// Configures the chip's gates over five advice columns (equality
    /// enabled here).
    pub fn configure(meta: &mut ConstraintSystem<Fp>, advice: [Column<Advice>; 5]) -> NonMembershipConfig {
        for column in advice {
            meta.enable_equality(column);
        }
        let leaf_tag = meta.selector();
        let path_step = meta.selector();
        let next_gap = meta.selector();
        let one = || Expression::Constant(Fp::ONE);

        meta.create_gate("imt leaf tag", |meta| {
            let tag = meta.query_advice(advice[2], Rotation::cur());
            Constraints::with_selector(
                meta.query_selector(leaf_tag),
                [("tag", tag - Expression::Constant(Fp::from(LEAF_TAG)))],
            )
        });
        meta.create_gate("imt path step", |meta| {
            let [node, sibling, bit, left, right] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
            Constraints::with_selector(
                meta.query_selector(path_step),
                [
                    ("bit is boolean", bit.clone() * (bit.clone() - one())),
                    ("left", left.clone() - node.clone() - bit * (sibling.clone() - node.clone())),
                    ("right", left + right - node - sibling),
                ],
            )
        });
        meta.create_gate("imt next gap", |meta| {
            let [x, next, inverse, next_is_set, gap] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
            Constraints::with_selector(
                meta.query_selector(next_gap),
                [
                    ("next_is_set", next_is_set.clone() - next.clone() * inverse),
                    ("next is zero or set", next.clone() * (one() - next_is_set.clone())),
                    ("gap", gap - (next - x - one()) * next_is_set),
                ],
            )
        });
        NonMembershipConfig { advice, leaf_tag, path_step, next_gap }
    }

    /// The chip over its configuration, a Poseidon chip configured for 2
    /// and 3 inputs, and a range chip whose table the circuit loads.
    pub fn construct(config: NonMembershipConfig, poseidon: PoseidonChip, range: RangeChip) -> Self {
        Self { config, poseidon, range }
    }

    /// Constrains `x` not to be in the tree of depth `depth` with root
    /// `root`, given the low leaf and its path (`witness`), in regions named
    /// `"{label}: imt ..."` and the Poseidon and range chips' `"{label}: ..."`.
    ///
    /// # Errors
    /// `Error::Synthesis` when a known witness has other than `depth` path
    /// bits or siblings; otherwise the layouter's and the chips' errors.
    pub fn assert_not_member(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        x: &AssignedCell<Fp, Fp>,
        root: &AssignedCell<Fp, Fp>,
        depth: usize,
        witness: Value<&TreeWitness>,
    ) -> Result<(), Error> {
        witness.error_if_known_and(|w| w.path_bits.len() != depth || w.siblings.len() != depth)?;
        let low_key = witness.map(|w| to_fp(w.low_key));
        let low_next = witness.map(|w| to_fp(w.low_next));

        let [low_key, low_next, tag] = self.leaf_inputs(layouter, label, low_key, low_next)?;
        let mut node = self.poseidon.hash(layouter, label, &[low_key.clone(), low_next.clone(), tag])?;
        for level in 0..depth {
            let bit = witness.map(|w| to_fp(w.path_bits[level]));
            let sibling = witness.map(|w| to_fp(w.siblings[level]));
            let [left, right] = self.path_step(layouter, label, level, &node, bit, sibling)?;
            node = self.poseidon.hash(layouter, label, &[left, right])?;
        }
        self.assert_root(layouter, label, &node, root)?;

        self.range.assert_less_than(layouter, label, &low_key, x, KEY_BITS as usize)?;
        let gap = self.next_gap(layouter, label, x, &low_next)?;
        self.range.range_check(layouter, label, &gap, KEY_BITS as usize)
    }

    /// The leaf hash's inputs `[low_key, low_next, 1]`.
    fn leaf_inputs(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        low_key: Value<Fp>,
        low_next: Value<Fp>,
    ) -> Result<[AssignedCell<Fp, Fp>; 3], Error> {
        let advice = self.config.advice;
        layouter.assign_region(
            || format!("{label}: imt leaf"),
            |mut region| {
                self.config.leaf_tag.enable(&mut region, 0)?;
                Ok([
                    region.assign_advice(|| "low_key", advice[0], 0, || low_key)?,
                    region.assign_advice(|| "low_next", advice[1], 0, || low_next)?,
                    region.assign_advice(|| "tag", advice[2], 0, || Value::known(Fp::from(LEAF_TAG)))?,
                ])
            },
        )
    }

    /// `[left, right]` of one level: `node` on the side `bit` says, the
    /// sibling on the other.
    fn path_step(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        level: usize,
        node: &AssignedCell<Fp, Fp>,
        bit: Value<Fp>,
        sibling: Value<Fp>,
    ) -> Result<[AssignedCell<Fp, Fp>; 2], Error> {
        let advice = self.config.advice;
        layouter.assign_region(
            || format!("{label}: imt path level {level}"),
            |mut region| {
                self.config.path_step.enable(&mut region, 0)?;
                let node = node.copy_advice(|| "node", &mut region, advice[0], 0)?;
                region.assign_advice(|| "sibling", advice[1], 0, || sibling)?;
                region.assign_advice(|| "bit", advice[2], 0, || bit)?;
                let left = node.value().copied().zip(sibling).zip(bit).map(|((n, s), b)| n + b * (s - n));
                let right = node.value().copied().zip(sibling).zip(left).map(|((n, s), l)| n + s - l);
                Ok([
                    region.assign_advice(|| "left", advice[3], 0, || left)?,
                    region.assign_advice(|| "right", advice[4], 0, || right)?,
                ])
            },
        )
    }

    /// Constrains the computed root to equal the caller's.
    fn assert_root(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        computed: &AssignedCell<Fp, Fp>,
        root: &AssignedCell<Fp, Fp>,
    ) -> Result<(), Error> {
        layouter.assign_region(
            || format!("{label}: imt root"),
            |mut region| {
                let copy = computed.copy_advice(|| "root", &mut region, self.config.advice[0], 0)?;
                region.constrain_equal(copy.cell(), root.cell())
            },
        )
    }

    /// `(low_next - x - 1) * (low_next != 0)`.
    fn next_gap(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        x: &AssignedCell<Fp, Fp>,
        low_next: &AssignedCell<Fp, Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let advice = self.config.advice;
        layouter.assign_region(
            || format!("{label}: imt x below next or last"),
            |mut region| {
                self.config.next_gap.enable(&mut region, 0)?;
                let x = x.copy_advice(|| "x", &mut region, advice[0], 0)?;
                let next = low_next.copy_advice(|| "low_next", &mut region, advice[1], 0)?;
                let next = next.value().copied();
                // Zero has no inverse; any value satisfies the gate there.
                let inverse = next.map(|n| n.invert().unwrap_or(Fp::ZERO));
                let next_is_set = next.map(|n| if n.is_zero_vartime() { Fp::ZERO } else { Fp::ONE });
                let gap = next.zip(x.value().copied()).zip(next_is_set).map(|((n, x), set)| (n - x - Fp::ONE) * set);
                region.assign_advice(|| "inverse", advice[2], 0, || inverse)?;
                region.assign_advice(|| "next_is_set", advice[3], 0, || next_is_set)?;
                region.assign_advice(|| "gap", advice[4], 0, || gap)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use ark_ff::Zero;
    use halo2_proofs::circuit::SimpleFloorPlanner;
    use halo2_proofs::dev::{MockProver, VerifyFailure};
    use halo2_proofs::plonk::{Circuit, Fixed, TableColumn};

    use super::*;
    use crate::halo2::failures::Verdict;
    use crate::halo2::poseidon::PoseidonConfig;
    use crate::halo2::range::RangeConfig;
    use crate::imt::{IndexedMerkleTree, NonMembershipProof};
    use crate::Fr;

    /// The statement's depth.
    const DEPTH: usize = crate::TREE_DEPTH;
    /// Rows: the range table (1024) and the chip's 393 fit in 2^11.
    const K: u32 = 11;
    const LABEL: &str = "test";

    /// `x` not in the tree with `root`, by `witness`.
    #[derive(Clone, Debug)]
    struct NonMembershipCircuit {
        x: Fr,
        root: Fr,
        witness: TreeWitness,
    }

    #[derive(Clone, Debug)]
    struct TestConfig {
        advice: [Column<Advice>; 11],
        poseidon: PoseidonConfig,
        range: RangeConfig,
        non_membership: NonMembershipConfig,
    }

    impl Circuit<Fp> for NonMembershipCircuit {
        type Config = TestConfig;
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            Self { x: Fr::zero(), root: Fr::zero(), witness: TreeWitness::blank(self.witness.siblings.len()) }
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> TestConfig {
            let advice = [(); 11].map(|()| meta.advice_column());
            let fixed: [Column<Fixed>; 12] = [(); 12].map(|()| meta.fixed_column());
            let constants = meta.fixed_column();
            meta.enable_constant(constants);
            let table: TableColumn = meta.lookup_table_column();
            TestConfig {
                advice,
                poseidon: PoseidonChip::configure(meta, &advice, &fixed, &[2, 3]),
                range: RangeChip::configure(meta, [advice[0], advice[1], advice[2]], table),
                non_membership: NonMembershipChip::configure(
                    meta,
                    [advice[0], advice[1], advice[2], advice[3], advice[4]],
                ),
            }
        }

        fn synthesize(&self, config: TestConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
            let range = RangeChip::construct(config.range);
            range.load_table(&mut layouter)?;
            let (x, root) = layouter.assign_region(
                || format!("{LABEL}: inputs"),
                |mut region| {
                    let x = region.assign_advice(|| "x", config.advice[0], 0, || Value::known(to_fp(self.x)))?;
                    let root =
                        region.assign_advice(|| "root", config.advice[1], 0, || Value::known(to_fp(self.root)))?;
                    Ok((x, root))
                },
            )?;
            let chip =
                NonMembershipChip::construct(config.non_membership, PoseidonChip::construct(config.poseidon), range);
            let depth = self.witness.siblings.len();
            chip.assert_not_member(&mut layouter, LABEL, &x, &root, depth, Value::known(&self.witness))
        }
    }

    fn verify(x: Fr, root: Fr, witness: TreeWitness) -> Verdict {
        MockProver::run(K, &NonMembershipCircuit { x, root, witness }, vec![]).expect("synthesis").verify()
    }

    fn accepted(x: Fr, root: Fr, proof: &NonMembershipProof) -> bool {
        verify(x, root, TreeWitness::from(proof)).is_ok()
    }

    /// Asserts that the check fails, with every failure in one of the
    /// check's regions.
    fn assert_refused(x: Fr, root: Fr, witness: TreeWitness, case: &str) {
        let Err(failures) = verify(x, root, witness) else { panic!("{case}: accepted") };
        for failure in &failures {
            let location = match failure {
                VerifyFailure::ConstraintNotSatisfied { location, .. }
                | VerifyFailure::Permutation { location, .. }
                | VerifyFailure::Lookup { location, .. } => location.to_string(),
                other => panic!("{case}: unexpected failure {other}"),
            };
            assert!(location.contains(&format!("('{LABEL}: ")), "{case}: {failure}");
        }
    }

    fn tree() -> IndexedMerkleTree {
        IndexedMerkleTree::from_keys(DEPTH, [10u64, 20, 30].map(Fr::from)).unwrap()
    }

    fn largest_key() -> Fr {
        crate::field::biguint_to_fr(&((num_bigint::BigUint::from(1u8) << 252u32) - 1u8)).unwrap()
    }

    #[test]
    fn accepts_what_the_native_proof_verifies() {
        let t = tree();
        for x in [1u64, 11, 19, 25, 31].map(Fr::from).into_iter().chain([largest_key()]) {
            let p = t.prove_non_membership(x).unwrap();
            assert!(p.verify(t.root(), x, DEPTH));
            assert!(accepted(x, t.root(), &p), "x = {x}");
        }
    }

    #[test]
    fn accepts_keys_above_the_largest_where_next_is_zero() {
        let t = tree();
        let p = t.prove_non_membership(Fr::from(1000u64)).unwrap();
        assert_eq!((p.low_key, p.low_next), (Fr::from(30u8), Fr::zero()));
        assert!(accepted(Fr::from(1000u64), t.root(), &p));
        let empty = IndexedMerkleTree::new(DEPTH).unwrap();
        let p = empty.prove_non_membership(Fr::from(5u8)).unwrap();
        assert!(accepted(Fr::from(5u8), empty.root(), &p));
    }

    #[test]
    fn refuses_members_and_keys_outside_the_low_leaf_gap() {
        let t = tree();
        // Low leaf 10 -> 20.
        let p = TreeWitness::from(&t.prove_non_membership(Fr::from(15u8)).unwrap());
        assert_refused(Fr::from(20u8), t.root(), p.clone(), "member: x == low.next");
        assert_refused(Fr::from(10u8), t.root(), p.clone(), "member: x == low.key");
        assert_refused(Fr::from(25u8), t.root(), p.clone(), "x > low.next");
        assert_refused(Fr::from(5u8), t.root(), p, "x < low.key");
        // Above the largest key the low leaf is 30 -> 0; 30 itself is a member.
        let last = TreeWitness::from(&t.prove_non_membership(Fr::from(31u8)).unwrap());
        assert_refused(Fr::from(30u8), t.root(), last.clone(), "member: x == low.key, next == 0");
        assert_refused(-Fr::from(1u8), t.root(), last, "x wrapped around the modulus");
    }

    #[test]
    fn refuses_forged_paths() {
        let t = tree();
        let x = Fr::from(15u8);
        let p = TreeWitness::from(&t.prove_non_membership(x).unwrap());
        for bit in [Fr::from(2u8), -Fr::from(1u8)] {
            let mut forged = p.clone();
            forged.path_bits[0] = bit;
            assert_refused(x, t.root(), forged, "non-boolean path bit");
        }
        let mut flipped = p.clone();
        flipped.path_bits[1] = Fr::from(1u8) - flipped.path_bits[1];
        assert_refused(x, t.root(), flipped, "flipped path bit");
        let mut wrong_sibling = p.clone();
        wrong_sibling.siblings[3] += Fr::from(1u8);
        assert_refused(x, t.root(), wrong_sibling, "wrong sibling");
        let mut swapped = p.clone();
        swapped.siblings.swap(0, 1);
        assert_refused(x, t.root(), swapped, "swapped siblings");
        assert_refused(x, t.root() + Fr::from(1u8), p, "wrong root");
    }

    #[test]
    fn refuses_leaves_the_tree_does_not_hold() {
        let t = tree();
        let x = Fr::from(25u8);
        // The empty leaf (0, 0) at an unused position, with its true path.
        let member = t.prove_non_membership(Fr::from(35u8)).unwrap();
        let empty_position =
            NonMembershipProof { low_key: Fr::zero(), low_next: Fr::zero(), index: 9, siblings: member.siblings };
        assert_refused(x, t.root(), TreeWitness::from(&empty_position), "empty leaf");
        // The level-1 node above leaves 0 and 1 presented as a leaf one
        // level up, padded with a zero sibling.
        let p = t.prove_non_membership(Fr::from(15u8)).unwrap();
        let mut short = p.clone();
        short.siblings.remove(0);
        short.siblings.push(Fr::zero());
        short.index >>= 1;
        assert_refused(Fr::from(15u8), t.root(), TreeWitness::from(&short), "inner node as a leaf");
    }

    #[test]
    fn a_witness_of_another_depth_is_a_synthesis_error() {
        let t = tree();
        let mut p = TreeWitness::from(&t.prove_non_membership(Fr::from(15u8)).unwrap());
        p.siblings.pop();
        let circuit = NonMembershipCircuit { x: Fr::from(15u8), root: t.root(), witness: p };
        assert!(halo2_proofs::dev::MockProver::run(K, &circuit, vec![]).is_err());
    }
}
