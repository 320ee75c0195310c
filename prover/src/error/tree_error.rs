//! Why a tree cannot be built or a tree file cannot be used where it was
//! given.

use zkcomply_circuits::imt::ImtError;

use crate::tree_kind::TreeKind;

/// What is wrong with a tree.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// The keys do not make a tree (too many, or out of range).
    #[error("{0}")]
    Build(#[from] ImtError),
    /// A tree of another depth than the circuit's: no proof can use it.
    #[error("the {} tree has depth {depth}; the circuit proves against trees of depth {}", kind.name(), zkcomply_circuits::TREE_DEPTH)]
    WrongDepth {
        /// Which tree.
        kind: TreeKind,
        /// Its depth.
        depth: usize,
    },
    /// A tree file of another kind than the one asked for.
    #[error("{path}: expected a {} tree, found a {} tree", expected.name(), found.name())]
    WrongKind {
        /// The tree file.
        path: String,
        /// The kind asked for.
        expected: TreeKind,
        /// The file's kind.
        found: TreeKind,
    },
}
