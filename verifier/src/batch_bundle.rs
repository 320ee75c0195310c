//! The batch bundle (`zkcomply/batch-bundle/v1`): up to 16 withdrawals of
//! one holder, in clear, with the named public values they share and one
//! proof of the batch circuit. Each withdrawal is a withdrawal v1 document,
//! bound to the proof by its own `context` public input.

use serde::{Deserialize, Serialize};
use zkcomply_circuits::batch::MAX_BATCH_SLOTS;

use crate::bundle::PublicValues;
use crate::error::{expect_version, parse_json, FormatError};
use crate::limits::MAX_BATCH_BUNDLE_BYTES;
use crate::values::{HexDigest, SafeInt};
use crate::withdrawal::Withdrawal;

/// The version string of this format.
pub const BATCH_BUNDLE_V1: &str = "zkcomply/batch-bundle/v1";

/// A batch bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchBundle {
    /// `zkcomply/batch-bundle/v1`.
    pub version: String,
    /// The proof system (`groth16-bn254`).
    pub backend: String,
    /// The batch circuit's id, which names its number of slots.
    pub circuit_id: String,
    /// SHA-256 of the verifying key the proof is for.
    pub verifying_key_hash: HexDigest,
    /// When the bundle was made (unix seconds).
    pub created_at: SafeInt,
    /// The withdrawals, in slot order (1 to 16).
    pub withdrawals: Vec<Withdrawal>,
    /// The named public values, shared by every item.
    pub public: PublicValues,
    /// The proof's public inputs as decimal strings: `statement_hash,
    /// nullifier, epoch, now, disclosed_jurisdiction`, then one `context`
    /// per slot (0 for an empty slot).
    pub public_inputs: Vec<String>,
    /// The proof's bytes, standard padded base64.
    pub proof: String,
}

impl BatchBundle {
    /// Parses a batch bundle of at most [`MAX_BATCH_BUNDLE_BYTES`] and
    /// checks its version and every withdrawal.
    ///
    /// # Errors
    /// [`FormatError`] naming the field (`withdrawals[i].…` for an item),
    /// or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_BATCH_BUNDLE_BYTES.check(text.len())?;
        let b: Self = parse_json("batch bundle", text)?;
        expect_version(&b.version, BATCH_BUNDLE_V1)
            .map_err(|m| FormatError::invalid("batch bundle", "version", m.to_string()))?;
        if b.withdrawals.is_empty() || b.withdrawals.len() > MAX_BATCH_SLOTS {
            return Err(FormatError::invalid(
                "batch bundle",
                "withdrawals",
                format!("a batch holds 1 to {MAX_BATCH_SLOTS} withdrawals, not {}", b.withdrawals.len()),
            ));
        }
        for (i, w) in b.withdrawals.iter().enumerate() {
            w.validate("batch bundle").map_err(|e| match e {
                FormatError::Invalid { document, path, message } => FormatError::Invalid {
                    document,
                    path: format!("withdrawals[{i}].{}", path.strip_prefix("withdrawal.").unwrap_or(&path)),
                    message,
                },
                other => other,
            })?;
        }
        Ok(b)
    }

    /// Compact JSON text, one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a batch bundle has only string keys and plain values") + "\n"
    }
}

/// Whether a JSON document is a batch bundle, by its `version` field (for
/// commands that take either kind of bundle). Reads only the top level.
pub fn is_batch_bundle(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Version {
        version: Option<String>,
    }
    // A document that does not parse is left to the single bundle's parser,
    // whose error names the problem.
    serde_json::from_str::<Version>(text).ok().and_then(|v| v.version).is_some_and(|v| v == BATCH_BUNDLE_V1)
}
