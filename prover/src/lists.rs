//! Turning plain lists (one entry per line) into tree keys, normalised and
//! de-duplicated as the encodings require: identities as
//! `NAME|YYYY-MM-DD|CC`, addresses by the address-key rule, revocations as
//! decimal nonces. Blank lines and lines starting with `#` are skipped.

use std::path::Path;

use zkcomply_circuits::encoding::{address_key, identity_hash, EncodingError};
use zkcomply_circuits::field::{biguint_to_fr, parse_decimal_below_bits, FieldError};
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::{Fr, TREE_DEPTH};
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::read_text;
use zkcomply_verifier::FormatError;

use crate::tree_file::{TreeFile, TreeKind};
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
        keys.push(
            entry_key(kind, entry)
                .map_err(|e| FormatError::invalid("list", format!("{source}:{}", n + 1), e.to_string()))?,
        );
    }
    Ok(keys)
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
    let mut keys = Vec::new();
    for path in inputs {
        keys.extend(keys_from_text(kind, &path.display().to_string(), &read_text(path, &MAX_LIST_FILE_BYTES)?)?);
    }
    let entries = keys.len();
    let tree = IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(TreeError::from)?;
    let distinct = tree.keys().len();
    Ok((TreeFile { kind, built_at, tree }, BuildReport { entries, distinct }))
}
