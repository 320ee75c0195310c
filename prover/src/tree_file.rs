//! The tree file a list publisher publishes and a prover reads: the kind,
//! depth, keys, root and the date the root was built. Loading rebuilds the
//! tree and refuses a file whose keys do not give its root.

use serde::{Deserialize, Serialize};
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_verifier::expect_version;
use zkcomply_verifier::parse_json;
use zkcomply_verifier::read_text;
use zkcomply_verifier::values::{FieldElement, Key252, SafeInt};
use zkcomply_verifier::FormatError;

pub use crate::tree_kind::TreeKind;
use crate::{ProverError, TreeError};

/// The version string of tree files.
pub const TREE_V1: &str = "zkcomply/tree/v1";

/// The JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeJson {
    /// `zkcomply/tree/v1`.
    pub version: String,
    /// What the tree holds.
    pub kind: TreeKind,
    /// Tree depth.
    pub depth: usize,
    /// The root.
    pub root: FieldElement,
    /// When the root was built (unix seconds).
    pub built_at: SafeInt,
    /// Number of keys.
    pub size: usize,
    /// The keys, ascending, without the sentinel.
    pub keys: Vec<Key252>,
}

/// A loaded tree with its document.
#[derive(Debug, Clone)]
pub struct TreeFile {
    /// What the tree holds.
    pub kind: TreeKind,
    /// When the root was built.
    pub built_at: u64,
    /// The tree.
    pub tree: IndexedMerkleTree,
}

impl TreeFile {
    /// Loads and checks a tree file.
    ///
    /// # Errors
    /// [`ProverError`] for malformed files or a root that does not match.
    pub fn load(path: &std::path::Path) -> Result<Self, ProverError> {
        let json: TreeJson = parse_json("tree", &read_text(path)?)?;
        let bad = |field: &str, m: String| FormatError::invalid("tree", format!("{field} ({})", path.display()), m);
        expect_version(&json.version, TREE_V1).map_err(|m| bad("version", m.to_string()))?;
        let tree = IndexedMerkleTree::from_keys(json.depth, json.keys.iter().map(|k| k.0))
            .map_err(|e| bad("keys", e.to_string()))?;
        if tree.root() != json.root.0 {
            return Err(bad("root", "does not match the tree built from keys".into()).into());
        }
        if tree.keys().len() != json.size {
            return Err(
                bad("size", format!("says {}, keys hold {} distinct entries", json.size, tree.keys().len())).into()
            );
        }
        Ok(Self { kind: json.kind, built_at: json.built_at.0, tree })
    }

    /// Loads a tree file and checks its kind.
    ///
    /// # Errors
    /// As [`TreeFile::load`], and when the kind differs.
    pub fn load_kind(path: &std::path::Path, kind: TreeKind) -> Result<Self, ProverError> {
        let t = Self::load(path)?;
        if t.kind != kind {
            return Err(TreeError::WrongKind { path: path.display().to_string(), expected: kind, found: t.kind }.into());
        }
        Ok(t)
    }

    /// The document.
    pub fn to_json(&self) -> TreeJson {
        TreeJson {
            version: TREE_V1.into(),
            kind: self.kind,
            depth: self.tree.depth(),
            root: FieldElement(self.tree.root()),
            built_at: SafeInt(self.built_at),
            size: self.tree.keys().len(),
            keys: self.tree.keys().iter().map(|k| Key252(*k)).collect(),
        }
    }

    /// Writes the file atomically.
    ///
    /// # Errors
    /// I/O errors.
    pub fn save(&self, path: &std::path::Path) -> Result<(), ProverError> {
        crate::write_json(path, &self.to_json())
    }
}
