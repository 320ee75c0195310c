//! The verifying-key file: the backend it is for, the key's canonical
//! bytes, their SHA-256 (the key's identity, pinned in policies and
//! bundles), the circuit it is for, and whether it came from a development
//! setup.

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;

use crate::backend::{Backend, PreparedKey};
use crate::error::{expect_version, parse_json, FormatError};
use crate::limits::MAX_VERIFYING_KEY_BYTES;
use crate::values::HexDigest;

/// The version string of this format.
pub const VERIFYING_KEY_V1: &str = "zkcomply/verifying-key/v1";

/// The warning written into every key from a single-party setup.
pub const DEVELOPMENT_WARNING: &str = "DEVELOPMENT SETUP: made by one party who could have kept the trapdoor and can forge proofs. Never accept in production.";

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
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(json.key.as_bytes())
            .map_err(|e| bad("key", format!("expected standard padded base64: {e}")))?;
        if sha256(&bytes) != json.hash.0 {
            return Err(bad("hash", "does not match SHA-256 of the key bytes".into()));
        }
        let prepared = PreparedKey::decode(json.backend, &bytes).map_err(|e| bad("key", e.to_string()))?;
        // One input base per public input and one for the constant: a key
        // with more or fewer is for another statement, and would either
        // ignore inputs or refuse every bundle.
        let inputs = prepared.public_input_count();
        if inputs != PUBLIC_INPUT_COUNT {
            return Err(bad(
                "key",
                format!(
                    "the key takes {inputs} public inputs ({} input bases); the withdrawal statement has \
                     {PUBLIC_INPUT_COUNT} ({} bases)",
                    inputs + 1,
                    PUBLIC_INPUT_COUNT + 1
                ),
            ));
        }
        Ok(Self { json, prepared })
    }

    /// Builds the document for a key of any backend (a Groth16
    /// `&VerifyingKey` converts).
    pub fn new(key: impl Into<PreparedKey>, circuit_id: &str, development_setup: bool) -> Self {
        let prepared = key.into();
        let bytes = prepared.to_bytes();
        let json = VerifyingKeyJson {
            version: VERIFYING_KEY_V1.into(),
            backend: prepared.backend(),
            circuit_id: circuit_id.into(),
            development_setup,
            warning: development_setup.then(|| DEVELOPMENT_WARNING.to_string()),
            hash: HexDigest(sha256(&bytes)),
            key: base64::engine::general_purpose::STANDARD.encode(&bytes),
        };
        Self { json, prepared }
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
