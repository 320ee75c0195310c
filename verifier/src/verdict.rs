//! The result of verifying a bundle against a policy: accepted, or the one
//! check that failed with a message; plus which checks ran and which the
//! policy left out.

use serde::Serialize;

use crate::key_summary::KeySummary;

/// Every check a verifier runs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The bundle is for this verifier's circuit.
    Format,
    /// The bundle's backend is one this verifier knows, and the key's.
    Backend,
    /// The policy accepts the bundle's backend.
    PolicyBackend,
    /// The bundle's verifying-key hash equals the key given.
    VerifyingKey,
    /// The policy's pinned verifying-key hash.
    PolicyVerifyingKey,
    /// Development keys (and keys of unknown provenance) only where allowed.
    DevelopmentKey,
    /// The key comes from a ceremony the policy pins by transcript hash.
    CeremonyTranscript,
    /// Exactly the key's number of public inputs.
    PublicInputCount,
    /// Every public input below the field modulus.
    PublicInputRange,
    /// `context` recomputed from the clear withdrawal.
    Context,
    /// `statement_hash` recomputed from the clear public values.
    StatementHash,
    /// `nullifier`, `epoch`, `now`, disclosures equal their public inputs.
    PublicValues,
    /// The issuer is accepted.
    Issuer,
    /// The proved minimum tier meets the policy's.
    MinTier,
    /// The proved limits are within the policy's for the asset.
    Limits,
    /// The identity sanctions root is accepted.
    IdentityRoot,
    /// The address sanctions root is accepted.
    AddressRoot,
    /// The revocation root is accepted for the credential's issuer.
    RevocationRoot,
    /// The withdrawal names the policy's exchange.
    Exchange,
    /// Every jurisdiction the policy blocks is excluded.
    BlockedJurisdictions,
    /// `now` is within the allowed clock skew of the verification time.
    Clock,
    /// `epoch == floor(now / epoch_seconds)`.
    Epoch,
    /// Required disclosures are present.
    Disclosures,
    /// The proof verifies (with the key's backend).
    Proof,
    /// (`--strict`) The policy sets every field, so no check was skipped.
    CompletePolicy,
    /// (Batches) 1 to `slots` items sharing one chain, exchange, source,
    /// asset, epoch and time, and empty slots' public inputs 0.
    BatchItems,
    /// (Batches) No item repeats an earlier item's `withdrawal_id`.
    DistinctItems,
}

impl Check {
    /// The snake_case name used in JSON and messages.
    pub fn name(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => unreachable!("a unit variant serialises to its name"),
        }
    }
}

/// A verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Whether every check passed.
    pub accepted: bool,
    /// The failed check, when rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_check: Option<Check>,
    /// Why, when rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Checks that passed.
    pub checked: Vec<Check>,
    /// Checks skipped because the policy leaves their field out.
    pub not_checked: Vec<Check>,
    /// The verifying key verified against and where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeySummary>,
}

impl Verdict {
    /// The failed check and why, when rejected.
    pub fn rejection(&self) -> Option<(Check, &str)> {
        match (self.accepted, self.failed_check, &self.reason) {
            (false, Some(check), Some(reason)) => Some((check, reason)),
            _ => None,
        }
    }

    /// Marks the verdict rejected by `check`.
    pub fn reject(&mut self, check: Check, reason: &str) {
        self.accepted = false;
        self.failed_check = Some(check);
        self.reason = Some(reason.to_string());
    }

    /// Turns an acceptance that skipped checks (fields the policy leaves
    /// out) into a rejection by [`Check::CompletePolicy`]: for verifiers
    /// that want every claim checked.
    pub fn require_complete_policy(mut self) -> Self {
        if self.accepted && !self.not_checked.is_empty() {
            let names: Vec<String> = self.not_checked.iter().map(Check::name).collect();
            self.accepted = false;
            self.failed_check = Some(Check::CompletePolicy);
            self.reason = Some(format!("strict mode: the policy leaves these checks out: {}", names.join(", ")));
        }
        self
    }

    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a verdict has only string keys and plain values")
    }
}
