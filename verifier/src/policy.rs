//! A verifier's policy, version 1 (normative): what an exchange or a
//! regulator requires of a bundle. Every field but `version` may be left
//! out; the checks it drives are then skipped and reported as not checked,
//! except `backends`, which has a default ([`DEFAULT_BACKENDS`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zkcomply_circuits::text::shorten;

use crate::backend::Backend;
use crate::error::{expect_version, parse_json, FormatError};
use crate::limits::MAX_POLICY_BYTES;
use crate::policy_labels::PolicyLabels;
use crate::values::{Amount, FieldElement, HexDigest, HexDigest512, PointJson};

/// The version string of this format.
pub const POLICY_V1: &str = "zkcomply/policy/v1";

/// The backends a policy that leaves `backends` out accepts: Groth16 only,
/// the one proof system there was when version-1 policies were first
/// written. A policy must name any other backend to accept its bundles.
pub const DEFAULT_BACKENDS: &[Backend] = &[Backend::Groth16Bn254];

/// A verifier's policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// `zkcomply/policy/v1`.
    pub version: String,
    /// The proof systems whose bundles are accepted, by id
    /// (`groth16-bn254`); left out, [`DEFAULT_BACKENDS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backends: Option<Vec<Backend>>,
    /// Accepted issuer keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuers: Option<Vec<PointJson>>,
    /// Minimum KYC tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tier: Option<u8>,
    /// Per asset, the four tier limits (tiers 0, 1, 2, 3+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<BTreeMap<String, [Amount; 4]>>,
    /// Length of a nullifier epoch in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch_seconds: Option<u64>,
    /// Per asset, the most one holder may withdraw per epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch_caps: Option<BTreeMap<String, Amount>>,
    /// Accepted identity sanctions roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_sanctions_roots: Option<Vec<FieldElement>>,
    /// Accepted address sanctions roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_sanctions_roots: Option<Vec<FieldElement>>,
    /// Accepted revocation roots, for a policy with one issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_roots: Option<Vec<FieldElement>>,
    /// Accepted revocation roots per issuer (for several issuers: a root
    /// only counts for the issuer whose revocations it holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_revocation_roots: Option<Vec<IssuerRevocationRoots>>,
    /// The exchange this policy verifies for: bundles must name it as
    /// `withdrawal.exchange_id` (otherwise a holder could pick another id
    /// and get a fresh nullifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_id: Option<String>,
    /// Jurisdictions (ISO 3166-1 numeric) every bundle must exclude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_jurisdictions: Option<Vec<u16>>,
    /// Disclosures a bundle must carry (`"jurisdiction"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_disclosures: Option<Vec<String>>,
    /// How far a bundle's `now` may be from the verification time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_clock_skew_seconds: Option<u64>,
    /// The verifying key bundles must be made for, whatever their backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifying_key_hash: Option<HexDigest>,
    /// Per backend (by id), the verifying keys whose bundles are accepted:
    /// a bundle's key must be listed under its backend. Only backends the
    /// policy accepts may be named; an accepted backend left out has no
    /// acceptable key. Not together with `verifying_key_hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifying_keys: Option<BTreeMap<Backend, Vec<HexDigest>>>,
    /// Whether keys from a development setup are acceptable (default: no).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_development_keys: Option<bool>,
    /// The ceremonies whose keys are accepted, by transcript hash: a key
    /// must record one of them (a development key, or one without a
    /// record, fails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceremony_transcripts: Option<Vec<HexDigest512>>,
    /// Names for people: issuers' names, what each list root is, assets'
    /// decimals. Shown in plain-words verdicts; never checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<PolicyLabels>,
}

/// The clock rule every verifier shares: the clock skew a policy allows
/// must be at most half its epoch length. A bundle's epoch is `now /
/// epoch_seconds`, and any `now` within the skew of the verification time
/// is accepted: the `2 * skew + 1` seconds from `at - skew` to `at + skew`
/// touch at most two epochs only when `2 * skew <= epoch_seconds`. With a
/// skew over half an epoch (even one below the epoch), a verification time
/// in the middle of an epoch accepts the epoch before, its own and the one
/// after, each with its own nullifier, and one holder could withdraw the
/// per-epoch cap three times at one moment. At most half, a verification
/// time sees at most two epochs (near a boundary; docs/THREAT_MODEL.md).
///
/// Returns why the pair is refused, or `None` when it is fine (or either
/// is left out).
pub fn skew_allows_several_epochs(max_clock_skew_seconds: Option<u64>, epoch_seconds: Option<u64>) -> Option<String> {
    match (max_clock_skew_seconds, epoch_seconds) {
        // `skew > epoch / 2` is `2 * skew > epoch` without overflow.
        (Some(skew), Some(epoch)) if skew > epoch / 2 => Some(format!(
            "{skew} s is more than half of epoch_seconds ({epoch} s): with a clock skew over half an epoch, one \
             holder could prove for several epochs at the same moment (three, in the middle of an epoch) and get a \
             fresh nullifier (and cap) for each"
        )),
        _ => None,
    }
}

/// The revocation roots accepted for one issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerRevocationRoots {
    /// The issuer.
    pub issuer: PointJson,
    /// Its accepted revocation roots.
    pub roots: Vec<FieldElement>,
}

/// Disclosures this version knows.
pub const KNOWN_DISCLOSURES: &[&str] = &["jurisdiction"];

impl Policy {
    /// Parses and checks a policy of at most [`MAX_POLICY_BYTES`].
    ///
    /// # Errors
    /// [`FormatError`] naming the field, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_POLICY_BYTES.check(text.len())?;
        let p: Self = parse_json("policy", text)?;
        expect_version(&p.version, POLICY_V1).map_err(|m| FormatError::invalid("policy", "version", m.to_string()))?;
        if p.backends.as_ref().is_some_and(Vec::is_empty) {
            return Err(FormatError::invalid(
                "policy",
                "backends",
                "names no backend, so it would accept no bundle; name at least one, or leave the field out",
            ));
        }
        if p.ceremony_transcripts.as_ref().is_some_and(Vec::is_empty) {
            return Err(FormatError::invalid(
                "policy",
                "ceremony_transcripts",
                "names no ceremony, so it would accept no key; name at least one transcript hash, or leave the field out",
            ));
        }
        if let Some(keys) = &p.verifying_keys {
            if p.verifying_key_hash.is_some() {
                return Err(FormatError::invalid(
                    "policy",
                    "verifying_keys",
                    "give either verifying_key_hash (one key) or verifying_keys (keys per backend), not both",
                ));
            }
            if keys.is_empty() || keys.values().any(Vec::is_empty) {
                return Err(FormatError::invalid(
                    "policy",
                    "verifying_keys",
                    "names no key for a backend, so it would accept no bundle of it; list at least one key hash \
                     per backend named, or leave the field out",
                ));
            }
            if let Some(backend) = keys.keys().find(|b| !p.accepts_backend(**b)) {
                return Err(FormatError::invalid(
                    "policy",
                    format!("verifying_keys.{backend}"),
                    format!(
                        "pins keys for a backend the policy does not accept (backends: {}); add it to backends",
                        p.accepted_backends().iter().map(|b| b.id()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        if p.epoch_seconds == Some(0) {
            return Err(FormatError::invalid("policy", "epoch_seconds", "must be at least 1"));
        }
        if p.epoch_caps.is_some() && p.epoch_seconds.is_none() {
            return Err(FormatError::invalid("policy", "epoch_caps", "needs epoch_seconds: caps are per epoch"));
        }
        if p.epoch_caps.is_some() && p.max_clock_skew_seconds.is_none() {
            return Err(FormatError::invalid(
                "policy",
                "epoch_caps",
                "needs max_clock_skew_seconds: without a clock rule a bundle's now, and so its epoch, is the \
                 holder's choice, and every epoch brings a fresh nullifier",
            ));
        }
        if let Some(message) = skew_allows_several_epochs(p.max_clock_skew_seconds, p.epoch_seconds) {
            return Err(FormatError::invalid("policy", "max_clock_skew_seconds", message));
        }
        if p.revocation_roots.is_some() && p.issuer_revocation_roots.is_some() {
            return Err(FormatError::invalid(
                "policy",
                "revocation_roots",
                "give either revocation_roots or issuer_revocation_roots, not both",
            ));
        }
        if p.revocation_roots.is_some() && p.issuers.as_ref().is_none_or(|i| i.len() != 1) {
            return Err(FormatError::invalid(
                "policy",
                "revocation_roots",
                "a flat list of revocation roots needs exactly one issuer (a root must belong to the credential's issuer); \
                 use issuer_revocation_roots for several issuers",
            ));
        }
        if let Some(issuers) = &p.issuers {
            for (i, key) in issuers.iter().enumerate() {
                zkcomply_circuits::eddsa::PublicKey(key.point())
                    .validate()
                    .map_err(|e| FormatError::invalid("policy", format!("issuers[{i}]"), e.to_string()))?;
            }
        }
        if let Some(d) = &p.required_disclosures {
            for (i, name) in d.iter().enumerate() {
                if !KNOWN_DISCLOSURES.contains(&name.as_str()) {
                    return Err(FormatError::invalid(
                        "policy",
                        format!("required_disclosures[{i}]"),
                        format!("unknown disclosure {:?}; known: {KNOWN_DISCLOSURES:?}", shorten(name)),
                    ));
                }
            }
        }
        // Asset names and the exchange id are compared with a withdrawal's,
        // which are 1 to 341 bytes: a longer one could never match.
        let encodable = |s: &str| !s.is_empty() && s.len() <= zkcomply_circuits::encoding::MAX_STR_BYTES;
        let limit_assets = p.limits.iter().flat_map(|l| l.keys()).map(|a| ("limits", a));
        let cap_assets = p.epoch_caps.iter().flat_map(|c| c.keys()).map(|a| ("epoch_caps", a));
        if let Some((field, asset)) = limit_assets.chain(cap_assets).find(|(_, a)| !encodable(a)) {
            return Err(FormatError::invalid(
                "policy",
                format!("{field}.{}", shorten(asset)),
                "asset names are 1 to 341 bytes",
            ));
        }
        if p.exchange_id.as_deref().is_some_and(|id| !encodable(id)) {
            return Err(FormatError::invalid("policy", "exchange_id", "exchange ids are 1 to 341 bytes"));
        }
        if let Some(labels) = &p.labels {
            labels.validate()?;
        }
        Ok(p)
    }

    /// The revocation roots this policy accepts for `issuer`; `None` when
    /// the policy leaves revocation unchecked.
    pub fn revocation_roots_for(&self, issuer: &PointJson) -> Option<Vec<FieldElement>> {
        if let Some(flat) = &self.revocation_roots {
            // Parsing ensured exactly one issuer; roots for any other count for nothing.
            let only = self.issuers.as_ref().and_then(|i| i.first());
            return Some(if only == Some(issuer) { flat.clone() } else { Vec::new() });
        }
        self.issuer_revocation_roots
            .as_ref()
            .map(|per| per.iter().filter(|e| &e.issuer == issuer).flat_map(|e| e.roots.iter().copied()).collect())
    }

    /// Whether the policy requires the jurisdiction to be disclosed.
    pub fn requires_jurisdiction_disclosure(&self) -> bool {
        self.required_disclosures.as_ref().is_some_and(|d| d.iter().any(|x| x == "jurisdiction"))
    }

    /// The backends whose bundles the policy accepts.
    pub fn accepted_backends(&self) -> &[Backend] {
        self.backends.as_deref().unwrap_or(DEFAULT_BACKENDS)
    }

    /// Whether the policy accepts bundles of `backend`.
    pub fn accepts_backend(&self, backend: Backend) -> bool {
        self.accepted_backends().contains(&backend)
    }

    /// Whether development keys are acceptable (default no).
    pub fn accepts_development_keys(&self) -> bool {
        self.accept_development_keys.unwrap_or(false)
    }

    /// Whether the policy pins the key of hash `hash` for `backend`
    /// (`verifying_key_hash`, or listed under the backend in
    /// `verifying_keys`).
    pub fn pins_key(&self, backend: Backend, hash: &HexDigest) -> bool {
        self.verifying_key_hash.as_ref() == Some(hash)
            || self.verifying_keys.as_ref().and_then(|keys| keys.get(&backend)).is_some_and(|keys| keys.contains(hash))
    }

    /// Whether the policy pins keys at all (`verifying_key_hash` or
    /// `verifying_keys`): then only pinned keys are accepted.
    pub fn pins_keys(&self) -> bool {
        self.verifying_key_hash.is_some() || self.verifying_keys.is_some()
    }
}
