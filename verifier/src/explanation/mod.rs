//! The verdict in plain words, for the operator who approves a deposit and
//! the compliance officer who keeps the evidence: what was approved (the
//! withdrawal, with amounts in the asset's units), which claims hold, as
//! sentences with their evidence, where the verifying key came from (a
//! development key is always flagged), how old the bundle is, and for a
//! rejection what failed and what to do about it.
//!
//! Built from a [`Verdict`] and the bundle and policy it was reached on,
//! never from anything the verdict does not say: it explains the verdict,
//! it does not re-decide it.
//!
//! ```no_run
//! # use zkcomply_verifier::{verify_bundle, Bundle, Policy, VerifyingKeyFile};
//! # use zkcomply_verifier::explanation::Explanation;
//! # fn f(bundle: &Bundle, policy: &Policy, vk: &VerifyingKeyFile, at: u64) {
//! let verdict = verify_bundle(bundle, policy, vk, at);
//! let words = Explanation::new(bundle, policy, &verdict, at);
//! println!("{}", words.to_text());
//! # }
//! ```

mod claims;
mod rejection;
pub mod units;

use serde::Serialize;

pub use claims::{Claim, ClaimStatus};
pub use rejection::Rejection;

use crate::bundle::Bundle;
use crate::key_summary::KeySummary;
use crate::policy::Policy;
use crate::provenance::ProvenanceKind;
use crate::verdict::Verdict;

/// One labelled value (`Amount: 0.25 ETH`), with an optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What the value is.
    pub label: String,
    /// The value, whole (a page may shorten it for display).
    pub value: String,
    /// What the policy or the format says about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Fact {
    fn new(label: &str, value: impl Into<String>) -> Self {
        Self { label: label.into(), value: value.into(), note: None }
    }

    fn noted(label: &str, value: impl Into<String>, note: impl Into<String>) -> Self {
        Self { label: label.into(), value: value.into(), note: Some(note.into()) }
    }
}

/// Where the verifying key came from, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFacts {
    /// `development`, `ceremony`, `transparent` or `unknown`.
    pub provenance: ProvenanceKind,
    /// One sentence on where the key came from.
    pub summary: String,
    /// The warning to show prominently: always for a development key,
    /// whatever the policy accepts; for a key of unknown provenance the
    /// policy does not pin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// The key's hash (SHA-256, hex).
    pub hash: String,
    /// The ceremony's transcript hash, for a ceremony key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript_hash: Option<String>,
    /// Whether the policy pins the key by hash.
    pub pinned_by_policy: bool,
}

impl KeyFacts {
    fn new(key: &KeySummary) -> Self {
        let summary = match key.provenance {
            ProvenanceKind::Development => {
                "Development key: made by a single party in a development setup, for demos and tests.".to_string()
            }
            ProvenanceKind::Ceremony => {
                let transcript = key
                    .transcript_hash
                    .as_ref()
                    .map_or_else(String::new, |t| format!(" with transcript {}", units::short(&t.to_string())));
                let pinned = if key.pinned_by_policy { ", pinned by the policy" } else { "" };
                format!(
                    "Key recording a multi-party ceremony{transcript}{pinned}. The record is the key file's own \
                     statement: the key's hash does not bind it."
                )
            }
            ProvenanceKind::Transparent => {
                "Transparent key: no trusted setup; rebuilt from the circuit and checked when loaded.".to_string()
            }
            ProvenanceKind::Unknown if key.pinned_by_policy => {
                "Key of unknown provenance (no record of its setup), pinned by the policy.".to_string()
            }
            ProvenanceKind::Unknown => "Key of unknown provenance: no record of its setup.".to_string(),
        };
        let warning = match key.provenance {
            ProvenanceKind::Development => Some(
                "DEVELOPMENT KEY: whoever made it can forge proofs that pass every check here. Never use it to \
                 approve real deposits."
                    .to_string(),
            ),
            ProvenanceKind::Ceremony if !key.pinned_by_policy => Some(
                "UNCONFIRMED CEREMONY KEY: the key file says it comes from a ceremony, but the policy does not pin \
                 the key and its hash does not bind that record. It may be a development key whose maker can forge \
                 proofs. Pin the key's hash in the policy."
                    .to_string(),
            ),
            _ => key.warning.clone(),
        };
        Self {
            provenance: key.provenance,
            summary,
            warning,
            hash: key.hash.to_string(),
            transcript_hash: key.transcript_hash.as_ref().map(ToString::to_string),
            pinned_by_policy: key.pinned_by_policy,
        }
    }
}

/// The bundle's time against the verification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeFacts {
    /// The bundle's `now` (unix seconds).
    pub made_at: u64,
    /// The same in UTC.
    pub made_at_utc: String,
    /// The verification time (unix seconds).
    pub verified_at: u64,
    /// The same in UTC.
    pub verified_at_utc: String,
    /// The verification time minus the bundle's time, in seconds (negative
    /// when the bundle is dated after the verification time).
    pub age_seconds: i64,
    /// The policy's allowed clock skew, when it sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_clock_skew_seconds: Option<u64>,
    /// By how much the bundle is outside the allowed skew, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outside_skew_by_seconds: Option<u64>,
    /// All of it as a sentence.
    pub sentence: String,
}

impl TimeFacts {
    fn new(made_at: u64, verified_at: u64, skew: Option<u64>) -> Self {
        // Both are below 2^53 in every format; saturate rather than trust it.
        let age_seconds = i64::try_from(i128::from(verified_at) - i128::from(made_at))
            .unwrap_or(if verified_at > made_at { i64::MAX } else { i64::MIN });
        let distance = made_at.abs_diff(verified_at);
        let outside_skew_by_seconds = skew.filter(|s| distance > *s).map(|s| distance - s);
        let when = if age_seconds >= 0 {
            format!("made {} before the verification time", units::duration(distance))
        } else {
            format!("dated {} after the verification time", units::duration(distance))
        };
        let sentence = match (skew, outside_skew_by_seconds) {
            (None, _) => format!("The bundle was {when}; the policy sets no limit on its age."),
            (Some(s), None) => format!("The bundle was {when}; the policy allows {}.", units::duration(s)),
            (Some(s), Some(over)) => format!(
                "The bundle was {when}: {} more than the policy's {} allow.",
                units::duration(over),
                units::duration(s)
            ),
        };
        Self {
            made_at,
            made_at_utc: units::utc(made_at),
            verified_at,
            verified_at_utc: units::utc(verified_at),
            age_seconds,
            max_clock_skew_seconds: skew,
            outside_skew_by_seconds,
            sentence,
        }
    }
}

/// A verdict in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Whether the bundle was accepted (as the verdict says).
    pub accepted: bool,
    /// The verdict in one sentence.
    pub headline: String,
    /// For a rejection: what failed and what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    /// Where the verifying key came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyFacts>,
    /// The bundle's age against the policy's clock skew.
    pub time: TimeFacts,
    /// The withdrawal, field by field.
    pub withdrawal: Vec<Fact>,
    /// The claims, as sentences with their evidence.
    pub claims: Vec<Claim>,
}

impl Explanation {
    /// Explains `verdict`, reached on `bundle` under `policy` at unix time
    /// `at`.
    pub fn new(bundle: &Bundle, policy: &Policy, verdict: &Verdict, at: u64) -> Self {
        let w = &bundle.withdrawal;
        let labels = policy.labels.as_ref();
        let amount = units::amount(w.amount.0, &w.asset, w.chain_id.0, labels);
        let rejection = verdict
            .failed_check
            .filter(|_| !verdict.accepted)
            .map(|check| rejection::explain(check, bundle, policy, verdict, at));
        let claims = claims::claims(bundle, policy, verdict);
        let headline = match (&rejection, verdict.accepted) {
            (Some(r), _) => format!("Rejected: {}", r.what_failed),
            (None, false) => "Rejected.".to_string(),
            (None, true) => {
                let skipped =
                    claims.iter().filter(|c| matches!(c.status, ClaimStatus::Partly | ClaimStatus::NotChecked)).count();
                let base = format!(
                    "Accepted: the withdrawal of {amount} ({}) meets the policy",
                    units::short(&w.withdrawal_id)
                );
                match skipped {
                    0 => format!("{base}."),
                    1 => format!("{base}, but the policy leaves one claim (in part) unchecked."),
                    n => format!("{base}, but the policy leaves {n} claims (in part) unchecked."),
                }
            }
        };
        let withdrawal = vec![
            Fact::noted("Amount", amount, format!("{} in the asset's smallest unit", w.amount.0)),
            Fact::new("Asset", w.asset.clone()),
            Fact::new("Withdrawal id", w.withdrawal_id.clone()),
            Fact::new("Source address", w.source_address.clone()),
            Fact::new("Destination address", w.destination_address.clone()),
            Fact::new("Chain", units::chain(w.chain_id.0)),
            Fact::new("Exchange", w.exchange_id.clone()),
        ];
        Self {
            accepted: verdict.accepted,
            headline,
            rejection,
            key: verdict.key.as_ref().map(KeyFacts::new),
            time: TimeFacts::new(w.now.0, at, policy.max_clock_skew_seconds),
            withdrawal,
            claims,
        }
        .printable()
    }

    /// Every text with its hidden characters written out
    /// ([`units::printable`]): the bundle's and the policy's strings reach
    /// every one of them.
    fn printable(mut self) -> Self {
        let fact = |f: &mut Fact| {
            f.label = units::printable(&f.label);
            f.value = units::printable(&f.value);
            f.note = f.note.as_deref().map(units::printable);
        };
        self.headline = units::printable(&self.headline);
        if let Some(r) = &mut self.rejection {
            r.what_failed = units::printable(&r.what_failed);
            r.what_to_do = units::printable(&r.what_to_do);
        }
        if let Some(k) = &mut self.key {
            k.summary = units::printable(&k.summary);
            k.warning = k.warning.as_deref().map(units::printable);
        }
        self.time.sentence = units::printable(&self.time.sentence);
        self.withdrawal.iter_mut().for_each(fact);
        for claim in &mut self.claims {
            claim.statement = units::printable(&claim.statement);
            claim.status_text = units::printable(&claim.status_text);
            claim.evidence.iter_mut().for_each(fact);
        }
        self
    }

    /// The explanation as text for a terminal or an e-mail: the headline,
    /// the key's warning, the withdrawal, the claims and the time.
    pub fn to_text(&self) -> String {
        let mut out = vec![self.headline.clone()];
        if let Some(r) = &self.rejection {
            out.push(format!("What to do: {}", r.what_to_do));
        }
        if let Some(key) = &self.key {
            if let Some(warning) = &key.warning {
                out.push(format!("WARNING: {warning}"));
            }
            out.push(format!("Key: {} (hash {})", key.summary, key.hash));
        }
        out.push(String::new());
        out.push("Withdrawal".into());
        for fact in &self.withdrawal {
            out.push(format!("  {}: {}", fact.label, fact.value));
        }
        out.push(String::new());
        out.push("Claims".into());
        for claim in &self.claims {
            let mark = match claim.status {
                ClaimStatus::Holds => "[holds]",
                ClaimStatus::Partly => "[partly]",
                ClaimStatus::NotChecked => "[not checked]",
                ClaimStatus::Fails => "[FAILS]",
                ClaimStatus::NotEstablished => "[not established]",
            };
            out.push(format!("  {mark} {}", claim.statement));
            if !matches!(claim.status, ClaimStatus::Holds) {
                out.push(format!("      {}", claim.status_text));
            }
            for fact in &claim.evidence {
                match &fact.note {
                    Some(note) => out.push(format!("      {}: {} ({note})", fact.label, fact.value)),
                    None => out.push(format!("      {}: {}", fact.label, fact.value)),
                }
            }
        }
        out.push(String::new());
        out.push(format!("Time: {}", self.time.sentence));
        out.push(format!("  Made at: {}", self.time.made_at_utc));
        out.push(format!("  Verified at: {}", self.time.verified_at_utc));
        out.join("\n")
    }

    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an explanation has only string keys and plain values")
    }
}
