//! The tree file a list publisher publishes and a prover reads: the kind,
//! depth, keys, root and the date the root was built. Loading rebuilds the
//! tree and refuses a file whose keys do not give its root.
//!
//! A tree file is read within [`MAX_TREE_FILE_BYTES`], holds at most
//! [`MAX_TREE_KEYS`] keys (refused at the first key over, as it is
//! parsed) and declares a depth of at most [`MAX_TREE_DEPTH`] and a size of
//! at most [`MAX_TREE_KEYS`] (refused before the tree is built).

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize};
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::TREE_DEPTH;
use zkcomply_verifier::expect_version;
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::parse_json;
use zkcomply_verifier::read_text;
use zkcomply_verifier::values::{FieldElement, Key252, SafeInt};
use zkcomply_verifier::FormatError;

pub use crate::tree_kind::TreeKind;
use crate::{ProverError, TreeError};

/// The version string of tree files.
pub const TREE_V1: &str = "zkcomply/tree/v1";

/// The most keys a tree file holds: a full tree of the circuit's depth
/// ([`TREE_DEPTH`]) without its sentinel leaf, 1,048,575.
pub const MAX_TREE_KEYS: usize = (1 << TREE_DEPTH) - 1;

/// The deepest tree a tree file may declare (the indexed Merkle tree's
/// own bound; the circuit proves against depth [`TREE_DEPTH`] only).
pub const MAX_TREE_DEPTH: usize = 32;

/// A tree file: [`MAX_TREE_KEYS`] keys of 76 digits, pretty-printed,
/// take about 90 MB.
pub const MAX_TREE_FILE_BYTES: SizeLimit =
    SizeLimit { document: "tree", name: "MAX_TREE_FILE_BYTES", bytes: 128 * 1024 * 1024 };

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
    /// The keys, ascending, without the sentinel (at most
    /// [`MAX_TREE_KEYS`]).
    #[serde(deserialize_with = "keys_within_limit")]
    pub keys: Vec<Key252>,
}

/// Reads the keys of a tree file, refusing the first key over
/// [`MAX_TREE_KEYS`] as it is parsed (so a hostile file cannot make the
/// list grow past the limit).
fn keys_within_limit<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Key252>, D::Error> {
    struct Keys;
    impl<'de> de::Visitor<'de> for Keys {
        type Value = Vec<Key252>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an array of at most {MAX_TREE_KEYS} keys (MAX_TREE_KEYS)")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Key252>, A::Error> {
            let mut keys = Vec::new();
            while let Some(key) = seq.next_element()? {
                if keys.len() == MAX_TREE_KEYS {
                    return Err(de::Error::custom(format!("more than {MAX_TREE_KEYS} keys (MAX_TREE_KEYS)")));
                }
                keys.push(key);
            }
            Ok(keys)
        }
    }
    d.deserialize_seq(Keys)
}

impl TreeJson {
    /// Checks the declared depth and size against the limits before the
    /// tree is built.
    ///
    /// # Errors
    /// The field and what is wrong.
    fn check_declared(&self) -> Result<(), (&'static str, String)> {
        if !(1..=MAX_TREE_DEPTH).contains(&self.depth) {
            return Err(("depth", format!("{} is outside 1..={MAX_TREE_DEPTH} (MAX_TREE_DEPTH)", self.depth)));
        }
        if self.size > MAX_TREE_KEYS {
            return Err(("size", format!("{} keys, over the limit of {MAX_TREE_KEYS} (MAX_TREE_KEYS)", self.size)));
        }
        if self.size as u64 >= 1u64 << self.depth {
            return Err(("size", format!("{} keys do not fit a tree of depth {}", self.size, self.depth)));
        }
        Ok(())
    }
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
    /// Loads and checks a tree file (within the limits of the module's
    /// documentation).
    ///
    /// # Errors
    /// [`ProverError`] for malformed or oversized files or a root that does
    /// not match.
    pub fn load(path: &std::path::Path) -> Result<Self, ProverError> {
        let json: TreeJson =
            parse_json("tree", &read_text(path, &MAX_TREE_FILE_BYTES)?).map_err(|e| e.in_file(path))?;
        let bad = |field: &str, m: String| FormatError::invalid("tree", format!("{field} ({})", path.display()), m);
        expect_version(&json.version, TREE_V1).map_err(|m| bad("version", m.to_string()))?;
        json.check_declared().map_err(|(field, m)| bad(field, m))?;
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

    /// Fails unless the tree has the circuit's depth ([`TREE_DEPTH`]): the
    /// only trees a proof can be made against.
    ///
    /// # Errors
    /// [`TreeError::WrongDepth`].
    pub fn check_circuit_depth(&self) -> Result<(), TreeError> {
        let depth = self.tree.depth();
        if depth != TREE_DEPTH {
            return Err(TreeError::WrongDepth { kind: self.kind, depth });
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// An empty revocation tree file of depth 20 with `edit` applied,
    /// loaded.
    fn load_edited(edit: impl FnOnce(&mut Value)) -> Result<TreeFile, ProverError> {
        let empty =
            TreeFile { kind: TreeKind::Revocation, built_at: 0, tree: IndexedMerkleTree::new(TREE_DEPTH).unwrap() };
        let mut json = serde_json::to_value(empty.to_json()).unwrap();
        edit(&mut json);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tree.json");
        std::fs::write(&path, json.to_string()).unwrap();
        TreeFile::load(&path)
    }

    fn message(result: Result<TreeFile, ProverError>) -> String {
        result.map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn an_empty_tree_file_loads() {
        assert_eq!(load_edited(|_| {}).unwrap().tree.depth(), TREE_DEPTH);
    }

    #[test]
    fn a_tree_claiming_2_pow_40_leaves_is_refused_before_it_is_built() {
        let e = message(load_edited(|t| t["depth"] = json!(40)));
        assert!(e.contains("depth") && e.contains("40 is outside 1..=32 (MAX_TREE_DEPTH)"), "{e}");
        let e = message(load_edited(|t| t["size"] = json!(1u64 << 40)));
        assert!(
            e.contains("size") && e.contains("1099511627776 keys, over the limit of 1048575 (MAX_TREE_KEYS)"),
            "{e}"
        );
        let e = message(load_edited(|t| {
            t["depth"] = json!(8);
            t["size"] = json!(256);
        }));
        assert!(e.contains("256 keys do not fit a tree of depth 8"), "{e}");
    }

    #[test]
    fn more_keys_than_the_limit_are_refused_as_they_are_parsed() {
        let e = message(load_edited(|t| t["keys"] = json!(vec!["1"; MAX_TREE_KEYS + 1])));
        assert!(e.contains("keys") && e.contains("more than 1048575 keys (MAX_TREE_KEYS)"), "{e}");
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tree.json");
        // Sparse: nothing is written.
        std::fs::File::create(&path).unwrap().set_len(MAX_TREE_FILE_BYTES.bytes + 1).unwrap();
        let e = message(TreeFile::load(&path));
        assert!(e.contains("over the size limit MAX_TREE_FILE_BYTES (134217728 bytes)"), "{e}");
    }
}
