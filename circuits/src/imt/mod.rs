//! Indexed Merkle trees: sets of keys below `2^252` with short
//! non-membership proofs.
//!
//! Layout (normative, see `docs/STATEMENT.md`): leaves sorted by key at
//! positions `0..n`; leaf 0 is the sentinel with key 0; each leaf holds its
//! key and the next larger key (0 = none larger) and hashes to
//! `Poseidon(key, next, 1)` (three inputs: the `1` is the leaf tag);
//! inner nodes are `Poseidon(left, right)` (two inputs, so a node can never
//! be read as a leaf); empty positions hold `0`, and empty subtrees the
//! hash chain of zeros. The depth is fixed per circuit.
//!
//! Non-membership of `x`: a low leaf, its path, `low.key < x` and
//! (`x < low.next` or `low.next == 0`).

use crate::encoding::KEY_BITS;
use crate::field::fits_bits;
use crate::{poseidon, Fr};
use ark_ff::Zero;

#[cfg(feature = "r1cs")]
pub mod constraints;

/// Tag hashed into every leaf.
pub const LEAF_TAG: u64 = 1;

/// Why a tree operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImtError {
    /// A key at or above `2^252`.
    #[error("key {0} is not below 2^252")]
    KeyTooLarge(String),
    /// Key 0 is the sentinel and always in the set.
    #[error("key 0 is reserved for the sentinel leaf")]
    ZeroKey,
    /// More keys than leaves.
    #[error("{keys} keys do not fit a tree of depth {depth} ({capacity} leaves, one taken by the sentinel)")]
    Full {
        /// Keys given.
        keys: usize,
        /// Tree depth.
        depth: usize,
        /// Leaves.
        capacity: u64,
    },
    /// Non-membership asked for a key in the set.
    #[error("key is in the set")]
    Member,
    /// Depth outside 1..=32.
    #[error("tree depth {0} is outside 1..=32")]
    Depth(usize),
}

/// `Poseidon(key, next, 1)`.
pub fn leaf_hash(key: Fr, next: Fr) -> Fr {
    poseidon::hash_fixed([key, next, Fr::from(LEAF_TAG)])
}

/// `Poseidon(left, right)`.
pub fn node_hash(left: Fr, right: Fr) -> Fr {
    poseidon::hash_fixed([left, right])
}

/// `zeros[i]`: the root of an empty subtree of height `i` (`zeros[0] = 0`).
pub fn zero_hashes(depth: usize) -> Vec<Fr> {
    let mut z = vec![Fr::zero()];
    for i in 0..depth {
        z.push(node_hash(z[i], z[i]));
    }
    z
}

/// A proof that `x` is not in a tree: the low leaf and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonMembershipProof {
    /// Key of the low leaf (largest key below `x`).
    pub low_key: Fr,
    /// Next key of the low leaf (0 when none larger).
    pub low_next: Fr,
    /// Position of the low leaf.
    pub index: u64,
    /// Siblings from the leaf level up.
    pub siblings: Vec<Fr>,
}

/// One non-membership witness: the low leaf and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeWitness {
    /// Low leaf key.
    pub low_key: Fr,
    /// Low leaf next key.
    pub low_next: Fr,
    /// Path bits, leaf level first: 0 or 1 (the circuit allocates them as
    /// `Boolean`s; see `constraints::NonMembershipVar`).
    pub path_bits: Vec<Fr>,
    /// Siblings, leaf level first.
    pub siblings: Vec<Fr>,
}

impl TreeWitness {
    /// An all-zero witness of the given depth (for key generation).
    pub fn blank(depth: usize) -> Self {
        Self {
            low_key: Fr::zero(),
            low_next: Fr::zero(),
            path_bits: vec![Fr::zero(); depth],
            siblings: vec![Fr::zero(); depth],
        }
    }
}

impl From<&NonMembershipProof> for TreeWitness {
    fn from(p: &NonMembershipProof) -> Self {
        Self {
            low_key: p.low_key,
            low_next: p.low_next,
            path_bits: p.path_bits().into_iter().map(|b| Fr::from(b as u8)).collect(),
            siblings: p.siblings.clone(),
        }
    }
}

/// A proof that a key is in a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipProof {
    /// The key's leaf: its key and next key.
    pub key: Fr,
    /// Next key stored in the leaf.
    pub next: Fr,
    /// Leaf position.
    pub index: u64,
    /// Siblings from the leaf level up.
    pub siblings: Vec<Fr>,
}

/// The root reached from `leaf` at `index` with `siblings`.
pub fn root_from_path(leaf: Fr, index: u64, siblings: &[Fr]) -> Fr {
    let mut cur = leaf;
    for (level, sib) in siblings.iter().enumerate() {
        cur = if (index >> level) & 1 == 0 { node_hash(cur, *sib) } else { node_hash(*sib, cur) };
    }
    cur
}

impl NonMembershipProof {
    /// The path bits, leaf level first (1 = the path node is a right child).
    pub fn path_bits(&self) -> Vec<bool> {
        (0..self.siblings.len()).map(|i| (self.index >> i) & 1 == 1).collect()
    }

    /// Checks the proof natively, with the same rules as the circuit.
    pub fn verify(&self, root: Fr, x: Fr, depth: usize) -> bool {
        self.siblings.len() == depth
            && (depth >= 64 || self.index < (1u64 << depth))
            && root_from_path(leaf_hash(self.low_key, self.low_next), self.index, &self.siblings) == root
            && fits_bits(&self.low_key, KEY_BITS)
            && fits_bits(&self.low_next, KEY_BITS)
            && self.low_key < x
            && (self.low_next.is_zero() || x < self.low_next)
    }
}

impl MembershipProof {
    /// Checks the proof natively.
    pub fn verify(&self, root: Fr) -> bool {
        root_from_path(leaf_hash(self.key, self.next), self.index, &self.siblings) == root
    }
}

/// An indexed Merkle tree held in memory.
#[derive(Debug, Clone)]
pub struct IndexedMerkleTree {
    depth: usize,
    /// Sorted keys, `keys[0] = 0` (the sentinel).
    keys: Vec<Fr>,
    /// `levels[0]` = leaf hashes, `levels[depth]` = `[root]`.
    levels: Vec<Vec<Fr>>,
    zeros: Vec<Fr>,
}

impl IndexedMerkleTree {
    /// An empty tree (the sentinel leaf only).
    ///
    /// # Errors
    /// [`ImtError::Depth`] outside 1..=32.
    pub fn new(depth: usize) -> Result<Self, ImtError> {
        Self::from_keys(depth, std::iter::empty())
    }

    /// Builds a tree from keys in any order; duplicates are removed.
    ///
    /// # Errors
    /// [`ImtError`] for a key that is 0 or not below `2^252`, or too many keys.
    pub fn from_keys(depth: usize, keys: impl IntoIterator<Item = Fr>) -> Result<Self, ImtError> {
        if !(1..=32).contains(&depth) {
            return Err(ImtError::Depth(depth));
        }
        let mut all = vec![Fr::zero()];
        for k in keys {
            if k.is_zero() {
                return Err(ImtError::ZeroKey);
            }
            if !fits_bits(&k, KEY_BITS) {
                return Err(ImtError::KeyTooLarge(crate::field::fr_to_decimal(&k)));
            }
            all.push(k);
        }
        all.sort();
        all.dedup();
        let capacity = 1u64 << depth;
        if all.len() as u64 > capacity {
            return Err(ImtError::Full { keys: all.len() - 1, depth, capacity });
        }
        let mut tree = Self { depth, keys: all, levels: Vec::new(), zeros: zero_hashes(depth) };
        tree.rebuild();
        Ok(tree)
    }

    fn rebuild(&mut self) {
        let n = self.keys.len();
        let keys = &self.keys;
        let leaf = |i: usize| leaf_hash(keys[i], if i + 1 < n { keys[i + 1] } else { Fr::zero() });
        #[cfg(feature = "parallel")]
        let leaves: Vec<Fr> = {
            use rayon::prelude::*;
            (0..n).into_par_iter().map(leaf).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let leaves: Vec<Fr> = (0..n).map(leaf).collect();
        let mut levels = vec![leaves];
        for level in 0..self.depth {
            let zero = self.zeros[level];
            let pair = |pair: &[Fr]| node_hash(pair[0], pair.get(1).copied().unwrap_or(zero));
            let below = &levels[level];
            #[cfg(feature = "parallel")]
            let above: Vec<Fr> = {
                use rayon::prelude::*;
                below.par_chunks(2).map(pair).collect()
            };
            #[cfg(not(feature = "parallel"))]
            let above: Vec<Fr> = below.chunks(2).map(pair).collect();
            levels.push(above);
        }
        self.levels = levels;
    }

    /// Adds a key; returns `false` when it was already in the set.
    ///
    /// # Errors
    /// As [`IndexedMerkleTree::from_keys`].
    pub fn insert(&mut self, key: Fr) -> Result<bool, ImtError> {
        if self.contains(&key) && !key.is_zero() {
            return Ok(false);
        }
        let rebuilt = Self::from_keys(self.depth, self.keys[1..].iter().copied().chain([key]))?;
        *self = rebuilt;
        Ok(true)
    }

    /// The tree depth.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The root.
    pub fn root(&self) -> Fr {
        self.levels[self.depth][0]
    }

    /// The keys in the set, ascending, without the sentinel.
    pub fn keys(&self) -> &[Fr] {
        &self.keys[1..]
    }

    /// Whether `key` is in the set (0, the sentinel, always is).
    pub fn contains(&self, key: &Fr) -> bool {
        self.keys.binary_search(key).is_ok()
    }

    fn siblings(&self, index: usize) -> Vec<Fr> {
        (0..self.depth)
            .map(|level| {
                let sib = (index >> level) ^ 1;
                self.levels[level].get(sib).copied().unwrap_or(self.zeros[level])
            })
            .collect()
    }

    /// A non-membership proof for `x`.
    ///
    /// # Errors
    /// [`ImtError::Member`] when `x` is in the set (0 always is);
    /// [`ImtError::KeyTooLarge`] when `x` is not below `2^252`.
    pub fn prove_non_membership(&self, x: Fr) -> Result<NonMembershipProof, ImtError> {
        if !fits_bits(&x, KEY_BITS) {
            return Err(ImtError::KeyTooLarge(crate::field::fr_to_decimal(&x)));
        }
        let low = match self.keys.binary_search(&x) {
            Ok(_) => return Err(ImtError::Member),
            Err(pos) => pos - 1, // pos >= 1 because keys[0] = 0 < x
        };
        Ok(NonMembershipProof {
            low_key: self.keys[low],
            // The largest key's leaf has next key 0 ("none larger").
            low_next: self.keys.get(low + 1).copied().unwrap_or_default(),
            index: low as u64,
            siblings: self.siblings(low),
        })
    }

    /// A membership proof for `key`, if it is in the set.
    pub fn prove_membership(&self, key: Fr) -> Option<MembershipProof> {
        let i = self.keys.binary_search(&key).ok()?;
        Some(MembershipProof {
            key,
            // The largest key's leaf has next key 0 ("none larger").
            next: self.keys.get(i + 1).copied().unwrap_or_default(),
            index: i as u64,
            siblings: self.siblings(i),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::biguint_to_fr;
    use num_bigint::BigUint;

    fn big(k: u32) -> Fr {
        // 2^252 - k
        biguint_to_fr(&((BigUint::from(1u8) << 252u32) - k)).unwrap()
    }

    #[test]
    fn empty_tree_matches_zero_hashes_with_the_sentinel() {
        let t = IndexedMerkleTree::new(4).unwrap();
        let z = zero_hashes(4);
        let mut cur = leaf_hash(Fr::zero(), Fr::zero());
        for zi in z.iter().take(4) {
            cur = node_hash(cur, *zi);
        }
        assert_eq!(t.root(), cur);
        // Every honest key is provable in an empty tree.
        for x in [Fr::from(1u8), big(1)] {
            assert!(t.prove_non_membership(x).unwrap().verify(t.root(), x, 4));
        }
    }

    #[test]
    fn proofs_for_every_honest_case_and_none_for_members() {
        let keys = [Fr::from(5u8), Fr::from(9u8), big(1), Fr::from(5u8)];
        let t = IndexedMerkleTree::from_keys(8, keys).unwrap();
        assert_eq!(t.keys().len(), 3, "duplicates removed");
        for x in [Fr::from(1u8), Fr::from(6u8), Fr::from(10u8), big(2)] {
            let p = t.prove_non_membership(x).unwrap();
            assert!(p.verify(t.root(), x, 8), "x = {x}");
        }
        for k in t.keys() {
            assert_eq!(t.prove_non_membership(*k), Err(ImtError::Member));
            assert!(t.prove_membership(*k).unwrap().verify(t.root()));
        }
        assert_eq!(t.prove_non_membership(Fr::zero()), Err(ImtError::Member));
        assert!(matches!(t.prove_non_membership(big(0)), Err(ImtError::KeyTooLarge(_))));
        // A proof for 6 does not prove 9 or 5.
        let p6 = t.prove_non_membership(Fr::from(6u8)).unwrap();
        assert!(!p6.verify(t.root(), Fr::from(9u8), 8));
        assert!(!p6.verify(t.root(), Fr::from(5u8), 8));
    }

    #[test]
    fn rejects_bad_keys_and_overflow() {
        assert_eq!(IndexedMerkleTree::from_keys(4, [Fr::zero()]).unwrap_err(), ImtError::ZeroKey);
        assert!(matches!(IndexedMerkleTree::from_keys(4, [big(0)]), Err(ImtError::KeyTooLarge(_))));
        let many = (1..=16u64).map(Fr::from);
        assert!(matches!(IndexedMerkleTree::from_keys(4, many), Err(ImtError::Full { .. })));
        assert!(IndexedMerkleTree::from_keys(4, (1..=15u64).map(Fr::from)).is_ok());
    }

    #[test]
    fn insert_keeps_order_and_changes_root() {
        let mut t = IndexedMerkleTree::from_keys(6, [Fr::from(10u8)]).unwrap();
        let r0 = t.root();
        assert!(t.insert(Fr::from(3u8)).unwrap());
        assert!(!t.insert(Fr::from(3u8)).unwrap());
        assert_ne!(t.root(), r0);
        assert_eq!(t.keys(), &[Fr::from(3u8), Fr::from(10u8)]);
        assert_eq!(t.prove_non_membership(Fr::from(3u8)), Err(ImtError::Member));
    }
}
