//! Turning plain lists (one entry per line) into tree keys, normalised and
//! de-duplicated as the encodings require: identities as
//! `NAME|YYYY-MM-DD|CC`, addresses by the address-key rule, revocations as
//! decimal nonces. Blank lines and lines starting with `#` are skipped.

use std::collections::BTreeSet;
use std::path::Path;

use zkcomply_circuits::encoding::{address_key, identity_hash, EncodingError};
use zkcomply_circuits::field::{biguint_to_fr, parse_decimal_below_bits, FieldError};
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::{Fr, TREE_DEPTH};
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::read_text;
use zkcomply_verifier::FormatError;

use crate::tree_file::{TreeFile, TreeKind, MAX_TREE_KEYS};
use crate::{ProverError, TreeError};

/// A list file: room for a tree's worth of entries ([`crate::tree_file::MAX_TREE_KEYS`])
/// of about 100 bytes each.
pub const MAX_LIST_FILE_BYTES: SizeLimit =
    SizeLimit { document: "list", name: "MAX_LIST_FILE_BYTES", bytes: 128 * 1024 * 1024 };

/// Counts from building a tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Entries read.
    pub entries: usize,
    /// Distinct keys in the tree.
    pub distinct: usize,
}

/// Why a list entry is not a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// An identity line or address that cannot be encoded.
    #[error("{0}")]
    Encoding(#[from] EncodingError),
    /// A revocation entry that is not a credential nonce.
    #[error("expected a credential nonce (decimal below 2^252): {0}")]
    Nonce(#[from] FieldError),
}

/// The key of one list entry.
///
/// # Errors
/// [`EntryError`] saying what is wrong with the entry.
pub fn entry_key(kind: TreeKind, entry: &str) -> Result<Fr, EntryError> {
    match kind {
        TreeKind::Identity => Ok(identity_hash(entry)?),
        TreeKind::Address => Ok(address_key(entry)?),
        TreeKind::Revocation => {
            let nonce = parse_decimal_below_bits(entry, 252)?;
            Ok(biguint_to_fr(&nonce).expect("a value below 2^252 is below the field modulus"))
        }
    }
}

/// The distinct keys of a list's text, one entry per line (blank lines and
/// `#` comments skipped), ascending.
///
/// # Errors
/// [`FormatError`] naming `source` and the line of a bad entry, or of the
/// first distinct key over [`MAX_TREE_KEYS`].
pub fn keys_from_text(kind: TreeKind, source: &str, text: &str) -> Result<Vec<Fr>, FormatError> {
    let mut keys = BTreeSet::new();
    add_distinct_keys(kind, source, text, &mut keys)?;
    Ok(keys.into_iter().collect())
}

/// Adds the keys of a list's text to `keys`, de-duplicated as they are
/// read and held to [`MAX_TREE_KEYS`] distinct keys (refused at the first
/// one over), so that memory follows the tree, not the text: a list file
/// of one short entry repeated would otherwise hold 32 bytes per two bytes
/// of text. Returns the number of entries read.
///
/// # Errors
/// As [`keys_from_text`].
fn add_distinct_keys(kind: TreeKind, source: &str, text: &str, keys: &mut BTreeSet<Fr>) -> Result<usize, FormatError> {
    let mut entries = 0;
    for (n, line) in text.lines().enumerate() {
        let entry = line.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        let at_line = || format!("{source}:{}", n + 1);
        let key = entry_key(kind, entry).map_err(|e| FormatError::invalid("list", at_line(), e.to_string()))?;
        entries += 1;
        if keys.insert(key) && keys.len() > MAX_TREE_KEYS {
            return Err(FormatError::invalid(
                "list",
                at_line(),
                format!("more than {MAX_TREE_KEYS} distinct entries (MAX_TREE_KEYS): a tree holds no more"),
            ));
        }
    }
    Ok(entries)
}

/// Reads list files (each within [`MAX_LIST_FILE_BYTES`]) and builds the tree.
///
/// # Errors
/// [`ProverError`] naming the file and line of a bad entry.
pub fn build_from_files(
    kind: TreeKind,
    inputs: &[&Path],
    built_at: u64,
) -> Result<(TreeFile, BuildReport), ProverError> {
    let mut keys = BTreeSet::new();
    let mut entries = 0;
    for path in inputs {
        let text = read_text(path, &MAX_LIST_FILE_BYTES)?;
        entries += add_distinct_keys(kind, &path.display().to_string(), &text, &mut keys)?;
    }
    let tree = IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(TreeError::from)?;
    let distinct = tree.keys().len();
    Ok((TreeFile { kind, built_at, tree }, BuildReport { entries, distinct }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_entries_are_held_once_as_they_are_read() {
        // 64 MiB of "1\n" once held 32 bytes per entry (4 GB) before the
        // duplicates were removed; now one key.
        let text = "1\n".repeat(100_000);
        assert_eq!(keys_from_text(TreeKind::Revocation, "l.txt", &text).unwrap(), [Fr::from(1u8)]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.txt");
        std::fs::write(&path, &text).unwrap();
        let (tree, report) = build_from_files(TreeKind::Revocation, &[&path, &path], 0).unwrap();
        assert_eq!(report, BuildReport { entries: 200_000, distinct: 1 });
        assert_eq!(tree.tree.keys(), [Fr::from(1u8)]);
    }

    #[test]
    fn the_first_distinct_entry_over_the_tree_is_refused_at_its_line() {
        let mut text: String = (1..=MAX_TREE_KEYS).map(|n| format!("{n}\n")).collect();
        text.push_str("1\n");
        // Duplicates do not count.
        assert_eq!(keys_from_text(TreeKind::Revocation, "l.txt", &text).unwrap().len(), MAX_TREE_KEYS);
        text.push_str(&format!("{}\n", MAX_TREE_KEYS + 1));
        let e = keys_from_text(TreeKind::Revocation, "l.txt", &text).unwrap_err().to_string();
        let line = MAX_TREE_KEYS + 2;
        assert!(e.contains(&format!("l.txt:{line}")) && e.contains("(MAX_TREE_KEYS)"), "{e}");
    }
}
