//! The verifying-key file: the backend it is for, the key's canonical
//! bytes, their SHA-256 (the key's identity, pinned in policies and
//! bundles), the circuit it is for, and where it came from (a development
//! setup or a ceremony, [`crate::provenance`]). [`VerifyingKeyFile::from_json_any`]
//! also reads snarkjs's `verification_key.json` ([`crate::snarkjs`]).

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;

use crate::backend::{Backend, PreparedKey};
use crate::error::{expect_version, parse_json, FormatError};
use crate::limits::{MAX_GROTH16_VERIFYING_KEY_BYTES, MAX_VERIFYING_KEY_BYTES};
use crate::provenance::{Provenance, ProvenanceKind};
use crate::values::HexDigest;

/// The version string of this format.
pub const VERIFYING_KEY_V1: &str = "zkcomply/verifying-key/v1";

/// The warning written into every key from a single-party setup.
pub const DEVELOPMENT_WARNING: &str = "DEVELOPMENT SETUP: made by one party who could have kept the trapdoor and can forge proofs. Never accept in production.";

/// The warning verdicts give for a key without a record of its setup.
pub const UNKNOWN_PROVENANCE_WARNING: &str = "UNKNOWN PROVENANCE: the key carries no record of its setup (a snarkjs verification key, or a key file without one); it may come from a single-party setup whose maker can forge proofs. Accept it only by pinning its hash.";

/// The JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyingKeyJson {
    /// `zkcomply/verifying-key/v1`.
    pub version: String,
    /// The proof system the key is for (`groth16-bn254`).
    pub backend: Backend,
    /// The circuit id.
    pub circuit_id: String,
    /// Whether the key comes from a single-party development setup.
    pub development_setup: bool,
    /// A human warning for development keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Where the key came from (left out by older files: then a
    /// development key if `development_setup`, otherwise unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// SHA-256 of the compressed key bytes, lowercase hex.
    pub hash: HexDigest,
    /// The key's canonical bytes (for Groth16, `ark-groth16`'s compressed
    /// encoding), standard padded base64.
    pub key: String,
}

/// A loaded, checked verifying key.
#[derive(Debug, Clone)]
pub struct VerifyingKeyFile {
    /// The document.
    pub json: VerifyingKeyJson,
    /// The prepared key, of the document's backend.
    pub prepared: PreparedKey,
}

/// SHA-256 of bytes.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

impl VerifyingKeyFile {
    /// Parses a key file of at most [`MAX_VERIFYING_KEY_BYTES`], decodes
    /// the key with full point checks and checks the hash.
    ///
    /// # Errors
    /// [`FormatError`] naming what is wrong, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_VERIFYING_KEY_BYTES.check(text.len())?;
        let json: VerifyingKeyJson = parse_json("verifying key", text)?;
        let bad = |path: &str, m: String| FormatError::invalid("verifying key", path, m);
        expect_version(&json.version, VERIFYING_KEY_V1).map_err(|m| bad("version", m.to_string()))?;
        match (&json.provenance, json.development_setup) {
            (Some(Provenance::Development), false) => {
                return Err(bad(
                    "development_setup",
                    "must be true for a key whose provenance is a development setup".into(),
                ))
            }
            (Some(Provenance::Ceremony(_) | Provenance::Transparent), true) => {
                return Err(bad(
                    "development_setup",
                    "must be false for a key whose provenance is a ceremony or transparent".into(),
                ))
            }
            _ => {}
        }
        // Transparent exactly for the transparent backend: its keys decode
        // only when they are the circuit's own, and a Groth16 key always
        // has a setup behind it.
        let transparent_backend = json.backend == Backend::Halo2IpaBn254;
        if (json.provenance == Some(Provenance::Transparent)) != transparent_backend {
            return Err(bad(
                "provenance",
                if transparent_backend {
                    "a halo2-ipa-bn254 key has no setup: its provenance is {\"kind\": \"transparent\"}".into()
                } else {
                    format!("a {} key has a setup behind it and cannot be transparent", json.backend)
                },
            ));
        }
        if json.backend == Backend::Groth16Bn254 {
            MAX_GROTH16_VERIFYING_KEY_BYTES.check(text.len())?;
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(json.key.as_bytes())
            .map_err(|e| bad("key", format!("expected standard padded base64: {e}")))?;
        if sha256(&bytes) != json.hash.0 {
            return Err(bad("hash", "does not match SHA-256 of the key bytes".into()));
        }
        let prepared = PreparedKey::decode(json.backend, &bytes).map_err(|e| bad("key", e.to_string()))?;
        check_input_count(&prepared, &json.circuit_id).map_err(|m| bad("key", m))?;
        Ok(Self { json, prepared })
    }

    /// Parses a zkcomply key file ([`Self::from_json`]) or a snarkjs
    /// `verification_key.json` ([`crate::snarkjs::verification_key`]),
    /// told apart by their fields (`version`, or `protocol` without
    /// `version`). A snarkjs key has no record of its setup: its
    /// provenance is [`ProvenanceKind::Unknown`].
    ///
    /// # Errors
    /// [`FormatError`] naming the document, field, or the limit.
    pub fn from_json_any(text: &str) -> Result<Self, FormatError> {
        MAX_VERIFYING_KEY_BYTES.check(text.len())?;
        if crate::snarkjs::verification_key::looks_like_snarkjs(text) {
            MAX_GROTH16_VERIFYING_KEY_BYTES.check(text.len())?;
            let vk = crate::snarkjs::verification_key::parse(text)?;
            Ok(Self::with_provenance(&vk, zkcomply_circuits::CIRCUIT_ID, None))
        } else {
            Self::from_json(text)
        }
    }

    /// Builds the document for a key of any backend (a Groth16
    /// `&VerifyingKey` converts): a development key's when
    /// `development_setup` (with its warning), otherwise one without a
    /// record of its setup (see [`Self::with_provenance`]).
    pub fn new(key: impl Into<PreparedKey>, circuit_id: &str, development_setup: bool) -> Self {
        Self::with_provenance(key, circuit_id, development_setup.then_some(Provenance::Development))
    }

    /// Builds the document for a key with its provenance (`None`: unknown).
    pub fn with_provenance(key: impl Into<PreparedKey>, circuit_id: &str, provenance: Option<Provenance>) -> Self {
        let prepared = key.into();
        let bytes = prepared.to_bytes();
        let development_setup = provenance == Some(Provenance::Development);
        let json = VerifyingKeyJson {
            version: VERIFYING_KEY_V1.into(),
            backend: prepared.backend(),
            circuit_id: circuit_id.into(),
            development_setup,
            warning: development_setup.then(|| DEVELOPMENT_WARNING.to_string()),
            provenance,
            hash: HexDigest(sha256(&bytes)),
            key: base64::engine::general_purpose::STANDARD.encode(&bytes),
        };
        Self { json, prepared }
    }

    /// The transparent backend's key file: the canonical parameters drawn
    /// from the public seed and the key the withdrawal circuit gives under
    /// them ([`crate::backend::halo2::PreparedVerifyingKey::generate`]).
    /// The same bytes, and so the same hash, on every machine. Takes
    /// seconds.
    ///
    /// # Errors
    /// [`crate::backend::BackendError`] if the circuit does not fit its
    /// rows (a bug).
    pub fn generate_halo2() -> Result<Self, crate::backend::BackendError> {
        let key = crate::backend::halo2::PreparedVerifyingKey::generate()?;
        Ok(Self::with_provenance(PreparedKey::Halo2(key), zkcomply_circuits::CIRCUIT_ID, Some(Provenance::Transparent)))
    }

    /// Where the key came from: a development setup (also an older file
    /// that only says `development_setup`), a ceremony, or unknown.
    pub fn provenance_kind(&self) -> ProvenanceKind {
        match &self.json.provenance {
            Some(p) => p.kind(),
            None if self.json.development_setup => ProvenanceKind::Development,
            None => ProvenanceKind::Unknown,
        }
    }

    /// The ceremony's transcript hash, for a ceremony key.
    pub fn transcript_hash(&self) -> Option<crate::values::HexDigest512> {
        self.json.provenance.as_ref().and_then(Provenance::transcript_hash)
    }

    /// The key's hash.
    pub fn hash(&self) -> HexDigest {
        self.json.hash
    }

    /// The proof system the key is for.
    pub fn backend(&self) -> Backend {
        self.json.backend
    }

    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.json).expect("a key document has only string keys and plain values") + "\n"
    }
}

/// One input base per public input and one for the constant: a key with
/// more or fewer is for another statement, and would either ignore inputs
/// or refuse every bundle.
/// A batch circuit's key (its circuit id names its slots) takes
/// `5 + slots`, and only Groth16 proves batches.
fn check_input_count(prepared: &PreparedKey, circuit_id: &str) -> Result<(), String> {
    let inputs = prepared.public_input_count();
    let (expected, statement) = match zkcomply_circuits::batch::batch_slots_of(circuit_id) {
        Some(_) if prepared.backend() != Backend::Groth16Bn254 => {
            return Err(format!("batch circuit {circuit_id:?} is proved with groth16-bn254 keys only"));
        }
        Some(slots) => {
            (zkcomply_circuits::batch::SHARED_PUBLIC_INPUTS + slots, format!("the {slots}-slot batch statement"))
        }
        None => (PUBLIC_INPUT_COUNT, "the withdrawal statement".to_string()),
    };
    if inputs == expected {
        return Ok(());
    }
    Err(format!(
        "the key takes {inputs} public inputs ({} input bases); {statement} has {expected} ({} bases)",
        inputs + 1,
        expected + 1
    ))
}
