//! zkcomply's verifier for JavaScript: wasm-bindgen bindings over
//! `zkcomply-verifier`, with no verification logic of their own, so the
//! browser reaches the same verdicts as `zkcomply-verify` on the same inputs.
//!
//! ```js
//! import init, { Verifier } from "zkcomply-verifier";
//! await init();
//! const verifier = new Verifier(verifyingKeyJson);
//! const verdict = verifier.verify(bundleJson, policyJson); // at = now
//! if (!verdict.accepted) console.log(verdict.failed_check, verdict.reason);
//! ```
//!
//! Malformed input (JSON that is not a bundle, a policy or a key) throws an
//! `Error` whose message names the document and field, as the CLI prints it.
//! So does input over its format's size limit (`docs/FORMATS.md`, "Size
//! limits"), checked on the JavaScript string's length before the string is
//! copied into the module's memory.
//! A well-formed bundle that fails a check is not an error: it is a verdict
//! with `accepted: false`, `failed_check` and `reason`.
//!
//! The package verifies bundles of every backend the verifier knows; the
//! key given says which, and a bundle of another is rejected by the
//! `backend` check. The `gate-calldata` feature adds `gateCalldata` (the
//! gate's Solidity calldata encoder); without it the package is smaller.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use zkcomply_verifier::limits::{SizeLimit, MAX_BUNDLE_BYTES, MAX_POLICY_BYTES, MAX_VERIFYING_KEY_BYTES};
use zkcomply_verifier::{verify_bundle, Bundle, FormatError, Policy, Verdict, VerifyingKeyFile};

#[wasm_bindgen(typescript_custom_section)]
const VERDICT_TYPE: &str = r#"
/** A verdict, exactly as `zkcomply-verify verify --json` prints it. */
export interface Verdict {
    /** Whether every check passed. */
    accepted: boolean;
    /** The check that failed (snake_case name), when rejected. */
    failed_check?: string;
    /** Why, when rejected. */
    reason?: string;
    /** Checks that passed, in order. */
    checked: string[];
    /** Checks skipped because the policy leaves their field out. */
    not_checked: string[];
    /** The verifying key and where it came from. */
    key: {
        /** The key's hash. */
        hash: string;
        /** "development", "ceremony" or "unknown" (a snarkjs key). */
        provenance: "development" | "ceremony" | "unknown";
        /** The ceremony's transcript hash (BLAKE2b-512, hex), for a ceremony key. */
        transcript_hash?: string;
        /** Whether the policy pins this key. */
        pinned_by_policy: boolean;
        /** The development (or unknown-provenance) warning. */
        warning?: string;
    };
}
"#;

/// A verifying key, decoded, checked and prepared once for many bundles.
#[wasm_bindgen]
pub struct Verifier {
    key: VerifyingKeyFile,
}

fn now_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// The text of a JavaScript string argument holding a document with size
/// limit `limit`, refused before it is copied when it is too long: a string
/// of `n` UTF-16 code units has at least `n` UTF-8 bytes. The parser checks
/// the exact UTF-8 length again.
fn document_text(value: &JsString, limit: &SizeLimit) -> Result<String, JsError> {
    if u64::from(value.length()) > limit.bytes {
        return Err(JsError::new(&FormatError::TooLarge { limit: *limit, size: None, file: None }.to_string()));
    }
    value.as_string().ok_or_else(|| JsError::new(&format!("{}: expected the document as a string", limit.document)))
}

/// A [`FormatError`] as a thrown `Error`.
fn thrown(error: FormatError) -> JsError {
    JsError::new(&error.to_string())
}

/// The verdict as the same JSON object `zkcomply-verify verify --json` prints.
fn to_js(verdict: &Verdict) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&verdict.to_json()).map_err(|_| JsError::new("internal error: the verdict is not JSON"))
}

/// Verifies with the library's rules; `strict` as `zkcomply-verify --strict`.
fn verdict_for(
    key: &VerifyingKeyFile,
    bundle: &JsString,
    policy: &JsString,
    at: Option<f64>,
    strict: bool,
) -> Result<Verdict, JsError> {
    let bundle = Bundle::from_json(&document_text(bundle, &MAX_BUNDLE_BYTES)?).map_err(thrown)?;
    let policy = Policy::from_json(&document_text(policy, &MAX_POLICY_BYTES)?).map_err(thrown)?;
    let at = match at {
        None => now_seconds(),
        Some(t) if (0.0..9_007_199_254_740_992.0).contains(&t) && t.fract() == 0.0 => t as u64,
        Some(t) => return Err(JsError::new(&format!("at: expected unix seconds as a whole number >= 0, got {t}"))),
    };
    let verdict = verify_bundle(&bundle, &policy, key, at);
    Ok(if strict { verdict.require_complete_policy() } else { verdict })
}

#[wasm_bindgen]
impl Verifier {
    /// Decodes and checks a verifying-key file (`verifying_key.json` text,
    /// zkcomply's or snarkjs's, which has unknown provenance), with full
    /// point checks, and prepares it.
    ///
    /// Throws an `Error` naming what is wrong with the key.
    #[wasm_bindgen(constructor)]
    pub fn new(verifying_key_json: &JsString) -> Result<Verifier, JsError> {
        let text = document_text(verifying_key_json, &MAX_VERIFYING_KEY_BYTES)?;
        let key = VerifyingKeyFile::from_json_any(&text).map_err(thrown)?;
        Ok(Verifier { key })
    }

    /// The key's hash (what policies pin), lowercase hex.
    #[wasm_bindgen(getter, js_name = keyHash)]
    pub fn key_hash(&self) -> String {
        self.key.hash().to_string()
    }

    /// The proof system the key is for (`groth16-bn254` or
    /// `halo2-ipa-bn254`).
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.key.backend().id().to_string()
    }

    /// Whether the key comes from a single-party development setup.
    #[wasm_bindgen(getter, js_name = developmentSetup)]
    pub fn development_setup(&self) -> bool {
        self.key.json.development_setup
    }

    /// Where the key came from: `development`, `ceremony`, `transparent`
    /// (a halo2 key: no setup) or `unknown`.
    #[wasm_bindgen(getter)]
    pub fn provenance(&self) -> String {
        match self.key.provenance_kind() {
            zkcomply_verifier::provenance::ProvenanceKind::Development => "development",
            zkcomply_verifier::provenance::ProvenanceKind::Ceremony => "ceremony",
            zkcomply_verifier::provenance::ProvenanceKind::Transparent => "transparent",
            zkcomply_verifier::provenance::ProvenanceKind::Unknown => "unknown",
        }
        .to_string()
    }

    /// The ceremony's transcript hash (hex), for a ceremony key.
    #[wasm_bindgen(getter, js_name = transcriptHash)]
    pub fn transcript_hash(&self) -> Option<String> {
        self.key.transcript_hash().map(|h| h.to_string())
    }

    /// Verifies a bundle (`bundle.json` text) against a policy
    /// (`policy.json` text) at unix time `at` (seconds; default: now).
    /// `strict` rejects when the policy leaves a check out.
    ///
    /// Returns the verdict object: `accepted`, and when rejected
    /// `failed_check` and `reason`; `checked` and `not_checked` list the
    /// checks by name. Throws an `Error` for malformed input.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn verify(
        &self,
        bundle_json: &JsString,
        policy_json: &JsString,
        at: Option<f64>,
        strict: Option<bool>,
    ) -> Result<JsValue, JsError> {
        to_js(&verdict_for(&self.key, bundle_json, policy_json, at, strict.unwrap_or(false))?)
    }
}

/// One-shot verification: [`Verifier::new`] then [`Verifier::verify`].
#[wasm_bindgen(unchecked_return_type = "Verdict")]
pub fn verify(
    bundle_json: &JsString,
    policy_json: &JsString,
    verifying_key_json: &JsString,
    at: Option<f64>,
    strict: Option<bool>,
) -> Result<JsValue, JsError> {
    Verifier::new(verifying_key_json)?.verify(bundle_json, policy_json, at, strict)
}

/// A bundle as calldata for the ComplianceGate contract, `0x` hex: the
/// exchange's `withdraw` call (default), or with `func = "approve-statement"`
/// the owner's approval of the bundle's statement. The same encoding as
/// `zkcomply-verify calldata`. Only with the `gate-calldata` feature.
#[cfg(feature = "gate-calldata")]
#[wasm_bindgen(js_name = gateCalldata)]
pub fn gate_calldata(bundle_json: &JsString, func: Option<String>) -> Result<String, JsError> {
    let bundle = Bundle::from_json(&document_text(bundle_json, &MAX_BUNDLE_BYTES)?).map_err(thrown)?;
    let args = zkcomply_verifier::solidity::calldata::gate_arguments(&bundle).map_err(thrown)?;
    match func.as_deref() {
        None | Some("withdraw") => Ok(args.withdraw().to_hex()),
        Some("approve-statement") => Ok(args.approve_statement().to_hex()),
        Some(other) => Err(JsError::new(&format!(
            "func: expected \"withdraw\" or \"approve-statement\", got {:?}",
            zkcomply_circuits::text::shorten(other)
        ))),
    }
}

/// The package's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
