//! What a verdict and an audit report say about the verifying key: its
//! hash, where it came from (a development setup, with the development
//! warning; a ceremony, with its transcript hash; transparent, with no
//! setup at all; or unknown), and whether
//! the policy pins it.

use serde::Serialize;

use crate::keys::{VerifyingKeyFile, DEVELOPMENT_WARNING, UNKNOWN_PROVENANCE_WARNING};
use crate::policy::Policy;
use crate::provenance::ProvenanceKind;
use crate::values::{HexDigest, HexDigest512};

/// A verifying key's identity and provenance, as verdicts report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeySummary {
    /// The key's hash.
    pub hash: HexDigest,
    /// `development`, `ceremony`, `transparent` or `unknown`.
    pub provenance: ProvenanceKind,
    /// The ceremony's transcript hash, for a ceremony key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript_hash: Option<HexDigest512>,
    /// Whether the policy pins this key (`verifying_key_hash`).
    pub pinned_by_policy: bool,
    /// The development warning for a development key; for a key of
    /// unknown provenance the policy does not pin, the unknown-provenance
    /// warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl KeySummary {
    /// The summary of `vk` under `policy`.
    pub fn new(vk: &VerifyingKeyFile, policy: &Policy) -> Self {
        let provenance = vk.provenance_kind();
        let pinned_by_policy = policy.pins_key(vk.backend(), &vk.hash());
        let warning = match provenance {
            ProvenanceKind::Development => Some(DEVELOPMENT_WARNING.to_string()),
            ProvenanceKind::Unknown if !pinned_by_policy => Some(UNKNOWN_PROVENANCE_WARNING.to_string()),
            ProvenanceKind::Unknown | ProvenanceKind::Ceremony | ProvenanceKind::Transparent => None,
        };
        Self { hash: vk.hash(), provenance, transcript_hash: vk.transcript_hash(), pinned_by_policy, warning }
    }

    /// One line for people: `key <hash>: ...`.
    pub fn to_text(&self) -> String {
        let what = match (self.provenance, &self.transcript_hash) {
            (ProvenanceKind::Ceremony, Some(transcript)) => format!("ceremony key, transcript {transcript}"),
            (ProvenanceKind::Unknown, _) if self.pinned_by_policy => {
                "unknown provenance (no record of its setup); pinned by the policy".to_string()
            }
            (ProvenanceKind::Transparent, _) => {
                "transparent key (no trusted setup; rebuilt from the circuit and checked on load)".to_string()
            }
            (kind, _) => kind.to_string(),
        };
        match &self.warning {
            Some(warning) => format!("key {}: {what}; WARNING: {warning}", self.hash),
            None => format!("key {}: {what}", self.hash),
        }
    }
}
