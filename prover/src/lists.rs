//! Turning plain lists (one entry per line) into tree keys, normalised and
//! de-duplicated as the encodings require: identities as
//! `NAME|YYYY-MM-DD|CC`, addresses by the address-key rule, revocations as
//! decimal nonces. Blank lines and lines starting with `#` are skipped.

use std::path::Path;

use zkcomply_circuits::encoding::{address_key, identity_hash};
use zkcomply_circuits::field::parse_decimal_below_bits;
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::{Fr, TREE_DEPTH};
use zkcomply_verifier::read_text;
use zkcomply_verifier::FormatError;

use crate::tree_file::{TreeFile, TreeKind};
use crate::ProverError;

/// Counts from building a tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Entries read.
    pub entries: usize,
    /// Distinct keys in the tree.
    pub distinct: usize,
}

/// The key of one list entry.
///
/// # Errors
/// A message saying what is wrong with the entry.
pub fn entry_key(kind: TreeKind, entry: &str) -> Result<Fr, String> {
    match kind {
        TreeKind::Identity => identity_hash(entry).map_err(|e| e.to_string()),
        TreeKind::Address => address_key(entry).map_err(|e| e.to_string()),
        TreeKind::Revocation => parse_decimal_below_bits(entry, 252)
            .map_err(|e| format!("expected a credential nonce (decimal below 2^252): {e}"))
            .and_then(|v| zkcomply_circuits::field::biguint_to_fr(&v).ok_or_else(|| "out of range".to_string())),
    }
}

/// The keys of a list's text, one entry per line (blank lines and `#`
/// comments skipped).
///
/// # Errors
/// [`FormatError`] naming `source` and the line of a bad entry.
pub fn keys_from_text(kind: TreeKind, source: &str, text: &str) -> Result<Vec<Fr>, FormatError> {
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let entry = line.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        keys.push(entry_key(kind, entry).map_err(|m| FormatError::invalid("list", format!("{source}:{}", n + 1), m))?);
    }
    Ok(keys)
}

/// Reads list files and builds the tree.
///
/// # Errors
/// [`ProverError`] naming the file and line of a bad entry.
pub fn build_from_files(
    kind: TreeKind,
    inputs: &[&Path],
    built_at: u64,
) -> Result<(TreeFile, BuildReport), ProverError> {
    let mut keys = Vec::new();
    for path in inputs {
        keys.extend(keys_from_text(kind, &path.display().to_string(), &read_text(path)?)?);
    }
    let entries = keys.len();
    let tree = IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(|e| ProverError::Tree(e.to_string()))?;
    let distinct = tree.keys().len();
    Ok((TreeFile { kind, built_at, tree }, BuildReport { entries, distinct }))
}
