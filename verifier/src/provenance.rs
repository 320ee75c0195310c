//! Where a verifying key came from: a single-party development setup, or a
//! multi-party ceremony (snarkjs-compatible phase 2) with its transcript
//! hash and contributions. Recorded in the verifying-key file and the
//! keys directory's manifest (`docs/FORMATS.md`, "Keys").
//!
//! The record is what the key's publisher states: the key's hash covers
//! the key's bytes only, and a ceremony cannot be checked from a verifying
//! key alone (that takes the ceremony's `.zkey`). A policy that must not
//! take the key file's word pins the key's hash, which verifying the
//! ceremony gives.

use std::fmt;

use serde::{Deserialize, Serialize};
use zkcomply_circuits::text::shorten;

use crate::values::HexDigest512;

/// The most bytes of a contributor's name (snarkjs stores at most 255).
pub const MAX_CONTRIBUTION_NAME_BYTES: usize = 255;
/// The most bytes of a beacon value (snarkjs stores at most 255).
pub const MAX_BEACON_VALUE_BYTES: usize = 255;
/// The range of a beacon's `log2` SHA-256 iterations snarkjs accepts.
pub const BEACON_ITERATIONS_EXP: std::ops::RangeInclusive<u8> = 10..=63;

/// Where a key came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProvenanceJson", into = "ProvenanceJson")]
pub enum Provenance {
    /// A single-party setup (`zkcomply setup`): its maker could have kept
    /// the trapdoor.
    Development,
    /// A multi-party ceremony.
    Ceremony(CeremonyRecord),
    /// No setup at all: a transparent proof system's key, derived from the
    /// circuit and public parameters drawn from a public seed
    /// (`halo2-ipa-bn254`). The verifier checks this itself: such a key
    /// decodes only when it is the one its own circuit and the canonical
    /// parameters give.
    Transparent,
}

/// A ceremony's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeremonyRecord {
    /// BLAKE2b-512 over the ceremony's circuit hash and every
    /// contribution's public key: the ceremony's identity, pinned by
    /// policies (`ceremony_transcripts`).
    pub transcript_hash: HexDigest512,
    /// The contributions, oldest first (at least one).
    pub contributions: Vec<ContributionRecord>,
}

/// One contribution to a ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionRecord {
    /// The participant's name, if given.
    pub name: Option<String>,
    /// The contribution's hash (BLAKE2b-512, as snarkjs prints it).
    pub hash: HexDigest512,
    /// Secret or beacon.
    pub kind: ContributionKind,
}

/// How a contribution's secret was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContributionKind {
    /// Entropy the participant kept and destroyed.
    Secret,
    /// A public random beacon: the secret is derived from `value` by
    /// `2^iterations_exp` rounds of SHA-256, so anyone can recompute it.
    Beacon {
        /// The beacon value (1 to [`MAX_BEACON_VALUE_BYTES`] bytes).
        value: Vec<u8>,
        /// `log2` of the iterations, in [`BEACON_ITERATIONS_EXP`].
        iterations_exp: u8,
    },
}

/// The kind of a key's provenance, as verdicts and reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvenanceKind {
    /// A development setup.
    Development,
    /// A ceremony.
    Ceremony,
    /// No setup (a transparent proof system).
    Transparent,
    /// No record: a snarkjs `verification_key.json`, or a key file that
    /// states neither (it may come from a single-party setup).
    Unknown,
}

impl fmt::Display for ProvenanceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Development => "development setup",
            Self::Ceremony => "ceremony",
            Self::Transparent => "transparent (no trusted setup)",
            Self::Unknown => "unknown provenance",
        })
    }
}

/// A record that breaks a rule of the format: the sub-field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ProvenanceError {
    /// The field below `provenance` (`contributions[1].beacon_value`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl CeremonyRecord {
    /// Checks the record's rules: at least one contribution, names and
    /// beacon values within their sizes, beacon iterations in range.
    ///
    /// # Errors
    /// [`ProvenanceError`] naming the sub-field.
    pub fn validate(&self) -> Result<(), ProvenanceError> {
        let bad = |field: String, message: String| Err(ProvenanceError { field, message });
        if self.contributions.is_empty() {
            // With no phase-2 contribution, delta is the generator: anyone
            // can forge proofs.
            return bad("contributions".into(), "a ceremony needs at least one contribution".into());
        }
        if !self.contributions.iter().any(|c| c.kind == ContributionKind::Secret) {
            // A beacon's secret is recomputable from its public value: with
            // beacons only, anyone knows delta.
            return bad(
                "contributions".into(),
                "a ceremony needs at least one secret contribution (beacons alone are public)".into(),
            );
        }
        for (i, c) in self.contributions.iter().enumerate() {
            if c.name.as_ref().is_some_and(|n| n.len() > MAX_CONTRIBUTION_NAME_BYTES) {
                return bad(
                    format!("contributions[{i}].name"),
                    format!("longer than {MAX_CONTRIBUTION_NAME_BYTES} bytes"),
                );
            }
            if let ContributionKind::Beacon { value, iterations_exp } = &c.kind {
                if value.is_empty() || value.len() > MAX_BEACON_VALUE_BYTES {
                    return bad(
                        format!("contributions[{i}].beacon_value"),
                        format!("a beacon value is 1 to {MAX_BEACON_VALUE_BYTES} bytes, found {}", value.len()),
                    );
                }
                if !BEACON_ITERATIONS_EXP.contains(iterations_exp) {
                    return bad(
                        format!("contributions[{i}].beacon_iterations_exp"),
                        format!(
                            "{iterations_exp} is outside {}..={}",
                            BEACON_ITERATIONS_EXP.start(),
                            BEACON_ITERATIONS_EXP.end()
                        ),
                    );
                }
            }
        }
        Ok(())
    }
}

impl Provenance {
    /// The kind (never [`ProvenanceKind::Unknown`]: that is a key without
    /// a record).
    pub fn kind(&self) -> ProvenanceKind {
        match self {
            Self::Development => ProvenanceKind::Development,
            Self::Ceremony(_) => ProvenanceKind::Ceremony,
            Self::Transparent => ProvenanceKind::Transparent,
        }
    }

    /// The ceremony's transcript hash, for a ceremony key.
    pub fn transcript_hash(&self) -> Option<HexDigest512> {
        match self {
            Self::Development | Self::Transparent => None,
            Self::Ceremony(record) => Some(record.transcript_hash),
        }
    }
}

/// The JSON form of [`Provenance`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvenanceJson {
    kind: RecordKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    transcript_hash: Option<HexDigest512>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contributions: Option<Vec<ContributionJson>>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RecordKind {
    Development,
    Ceremony,
    Transparent,
}

/// The JSON form of [`ContributionRecord`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContributionJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    kind: ContributionKindJson,
    hash: HexDigest512,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    beacon_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    beacon_iterations_exp: Option<u8>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ContributionKindJson {
    Secret,
    Beacon,
}

impl TryFrom<ProvenanceJson> for Provenance {
    type Error = ProvenanceError;

    fn try_from(json: ProvenanceJson) -> Result<Self, ProvenanceError> {
        let bad = |field: &str, message: &str| ProvenanceError { field: field.into(), message: message.into() };
        match json.kind {
            RecordKind::Development => {
                if json.transcript_hash.is_some() || json.contributions.is_some() {
                    return Err(bad("kind", "a development key has no transcript_hash or contributions"));
                }
                Ok(Self::Development)
            }
            RecordKind::Transparent => {
                if json.transcript_hash.is_some() || json.contributions.is_some() {
                    return Err(bad("kind", "a transparent key has no transcript_hash or contributions"));
                }
                Ok(Self::Transparent)
            }
            RecordKind::Ceremony => {
                let transcript_hash = json
                    .transcript_hash
                    .ok_or_else(|| bad("transcript_hash", "a ceremony key needs its transcript hash"))?;
                let contributions = json
                    .contributions
                    .ok_or_else(|| bad("contributions", "a ceremony key lists its contributions"))?
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| contribution_from_json(i, c))
                    .collect::<Result<Vec<_>, _>>()?;
                let record = CeremonyRecord { transcript_hash, contributions };
                record.validate()?;
                Ok(Self::Ceremony(record))
            }
        }
    }
}

fn contribution_from_json(i: usize, c: ContributionJson) -> Result<ContributionRecord, ProvenanceError> {
    let bad = |field: &str, message: String| ProvenanceError { field: format!("contributions[{i}].{field}"), message };
    let kind = match (c.kind, c.beacon_value, c.beacon_iterations_exp) {
        (ContributionKindJson::Secret, None, None) => ContributionKind::Secret,
        (ContributionKindJson::Secret, _, _) => {
            return Err(bad("kind", "a secret contribution has no beacon_value or beacon_iterations_exp".into()))
        }
        (ContributionKindJson::Beacon, Some(value), Some(iterations_exp)) => {
            let is_lower_hex = value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            let value = hex::decode(&value)
                .ok()
                .filter(|_| is_lower_hex)
                .ok_or_else(|| bad("beacon_value", format!("expected lowercase hex, found {:?}", shorten(&value))))?;
            ContributionKind::Beacon { value, iterations_exp }
        }
        (ContributionKindJson::Beacon, _, _) => {
            return Err(bad("kind", "a beacon contribution needs beacon_value and beacon_iterations_exp".into()))
        }
    };
    Ok(ContributionRecord { name: c.name, hash: c.hash, kind })
}

impl From<Provenance> for ProvenanceJson {
    fn from(p: Provenance) -> Self {
        match p {
            Provenance::Development => {
                Self { kind: RecordKind::Development, transcript_hash: None, contributions: None }
            }
            Provenance::Transparent => {
                Self { kind: RecordKind::Transparent, transcript_hash: None, contributions: None }
            }
            Provenance::Ceremony(record) => Self {
                kind: RecordKind::Ceremony,
                transcript_hash: Some(record.transcript_hash),
                contributions: Some(
                    record
                        .contributions
                        .into_iter()
                        .map(|c| {
                            let (kind, beacon_value, beacon_iterations_exp) = match c.kind {
                                ContributionKind::Secret => (ContributionKindJson::Secret, None, None),
                                ContributionKind::Beacon { value, iterations_exp } => {
                                    (ContributionKindJson::Beacon, Some(hex::encode(value)), Some(iterations_exp))
                                }
                            };
                            ContributionJson { name: c.name, kind, hash: c.hash, beacon_value, beacon_iterations_exp }
                        })
                        .collect(),
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> CeremonyRecord {
        CeremonyRecord {
            transcript_hash: HexDigest512([7; 64]),
            contributions: vec![
                ContributionRecord {
                    name: Some("alice".into()),
                    hash: HexDigest512([1; 64]),
                    kind: ContributionKind::Secret,
                },
                ContributionRecord {
                    name: None,
                    hash: HexDigest512([2; 64]),
                    kind: ContributionKind::Beacon { value: vec![0xab, 0xcd], iterations_exp: 10 },
                },
            ],
        }
    }

    #[test]
    fn a_ceremony_record_round_trips() {
        let p = Provenance::Ceremony(record());
        let text = serde_json::to_string(&p).unwrap();
        assert!(text.contains(r#""beacon_value":"abcd""#), "{text}");
        assert_eq!(serde_json::from_str::<Provenance>(&text).unwrap(), p);
        let dev = serde_json::to_string(&Provenance::Development).unwrap();
        assert_eq!(dev, r#"{"kind":"development"}"#);
        assert_eq!(serde_json::from_str::<Provenance>(&dev).unwrap(), Provenance::Development);
    }

    #[test]
    fn broken_records_name_their_field() {
        let mut v = serde_json::to_value(Provenance::Ceremony(record())).unwrap();
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|v| v["contributions"] = serde_json::json!([])), "contributions: a ceremony needs"),
            (
                Box::new(|v| v["contributions"][1]["beacon_iterations_exp"] = 9.into()),
                "contributions[1].beacon_iterations_exp",
            ),
            (Box::new(|v| v["contributions"][1]["beacon_value"] = "AB".into()), "contributions[1].beacon_value"),
            (Box::new(|v| v["contributions"][1]["beacon_value"] = "".into()), "contributions[1].beacon_value"),
            (Box::new(|v| v["contributions"][0]["beacon_value"] = "ab".into()), "contributions[0].kind"),
            (Box::new(|v| v["contributions"][0]["name"] = "x".repeat(256).into()), "contributions[0].name"),
            (
                Box::new(|v| v.as_object_mut().unwrap().remove("transcript_hash").map(|_| ()).unwrap()),
                "transcript_hash",
            ),
        ];
        for (edit, expected) in cases {
            let mut bad = v.clone();
            edit(&mut bad);
            let err = serde_json::from_value::<Provenance>(bad).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
        v["kind"] = "development".into();
        let err = serde_json::from_value::<Provenance>(v).unwrap_err().to_string();
        assert!(err.contains("a development key has no transcript_hash"), "{err}");
    }
}
