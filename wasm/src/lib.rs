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
use zkcomply_verifier::limits::{
    SizeLimit, MAX_BATCH_BUNDLE_BYTES, MAX_BUNDLE_BYTES, MAX_POLICY_BYTES, MAX_VERIFYING_KEY_BYTES,
};
use zkcomply_verifier::{
    verify_batch_bundle, verify_bundle, BatchBundle, Bundle, Explanation, FormatError, Policy, Verdict,
    VerifyingKeyFile,
};

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
        /** "development", "ceremony", "transparent" (a halo2 key) or "unknown" (a snarkjs key). */
        provenance: "development" | "ceremony" | "transparent" | "unknown";
        /** The ceremony's transcript hash (BLAKE2b-512, hex), for a ceremony key. */
        transcript_hash?: string;
        /** Whether the policy pins this key. */
        pinned_by_policy: boolean;
        /** The development (or unknown-provenance) warning. */
        warning?: string;
    };
}

/** A labelled value; `value` is whole (shorten it for display). */
export interface Fact {
    label: string;
    value: string;
    note?: string;
}

/** A verdict in plain words (`zkcomply-verify verify --explain`). */
export interface Explanation {
    accepted: boolean;
    /** The verdict in one sentence. */
    headline: string;
    /** For a rejection: the failed check, what failed and what to do. */
    rejection?: { check: string; what_failed: string; what_to_do: string };
    /** Where the key came from; `warning` is set for every development key. */
    key?: {
        provenance: "development" | "ceremony" | "transparent" | "unknown";
        summary: string;
        warning?: string;
        hash: string;
        transcript_hash?: string;
        pinned_by_policy: boolean;
    };
    /** The bundle's age against the policy's clock skew. */
    time: {
        made_at: number;
        made_at_utc: string;
        verified_at: number;
        verified_at_utc: string;
        age_seconds: number;
        max_clock_skew_seconds?: number;
        outside_skew_by_seconds?: number;
        sentence: string;
    };
    /** The withdrawal, field by field, with the amount in the asset's units. */
    withdrawal: Fact[];
    /** The claims as sentences, each with its status and evidence. */
    claims: {
        id: string;
        statement: string;
        status: "holds" | "partly" | "not_checked" | "fails" | "not_established";
        status_text: string;
        evidence: Fact[];
        checks: string[];
    }[];
}

/** A batch bundle's verdict, exactly as `zkcomply-verify verify --json` prints it for a batch bundle. */
export interface BatchVerdict {
    /** Whether every item was accepted. */
    accepted: boolean;
    /** The checks the items share (key, statement, policy, proof), as a single bundle's verdict. */
    batch: Verdict;
    /** One verdict per withdrawal, in batch order. */
    items: {
        index: number;
        withdrawal_id: string;
        accepted: boolean;
        /** The batch's failed check, or the item's own (`context`, `distinct_items`). */
        failed_check?: string;
        reason?: string;
        /** The item's context (decimal): the key replays are counted by. */
        context?: string;
    }[];
}

/** What `Verifier.explain` returns. */
export interface Explained {
    /** The verdict object, as `verify` returns it. */
    verdict: Verdict;
    /** The verdict's JSON text, byte for byte what `zkcomply-verify verify --json` prints. */
    verdictJson: string;
    /** The verdict in plain words. */
    explanation: Explanation;
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

/// A verification: the parsed inputs, the time and the verdict.
struct Verified {
    bundle: Bundle,
    policy: Policy,
    at: u64,
    verdict: Verdict,
}

/// Verifies with the library's rules; `strict` as `zkcomply-verify --strict`.
fn verdict_for(
    key: &VerifyingKeyFile,
    bundle: &JsString,
    policy: &JsString,
    at: Option<f64>,
    strict: bool,
) -> Result<Verified, JsError> {
    let bundle = Bundle::from_json(&document_text(bundle, &MAX_BUNDLE_BYTES)?).map_err(thrown)?;
    let policy = Policy::from_json(&document_text(policy, &MAX_POLICY_BYTES)?).map_err(thrown)?;
    let at = verification_time(at)?;
    let verdict = verify_bundle(&bundle, &policy, key, at);
    let verdict = if strict { verdict.require_complete_policy() } else { verdict };
    Ok(Verified { bundle, policy, at, verdict })
}

/// `at` in unix seconds, or now.
fn verification_time(at: Option<f64>) -> Result<u64, JsError> {
    match at {
        None => Ok(now_seconds()),
        Some(t) if (0.0..9_007_199_254_740_992.0).contains(&t) && t.fract() == 0.0 => Ok(t as u64),
        Some(t) => Err(JsError::new(&format!("at: expected unix seconds as a whole number >= 0, got {t}"))),
    }
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
        to_js(&verdict_for(&self.key, bundle_json, policy_json, at, strict.unwrap_or(false))?.verdict)
    }

    /// Verifies a batch bundle (`batch_bundle.json` text, up to 16
    /// withdrawals of one holder in one proof) against a policy at unix
    /// time `at` (default: now); `strict` as for [`Verifier::verify`].
    ///
    /// Returns `{ accepted, batch, items }`: the checks the items share as
    /// a verdict, and one verdict per withdrawal (a tampered or repeated
    /// item is rejected alone); the same object `zkcomply-verify verify
    /// --json` prints for a batch bundle. Throws an `Error` for malformed
    /// input.
    #[wasm_bindgen(js_name = verifyBatch, unchecked_return_type = "BatchVerdict")]
    pub fn verify_batch(
        &self,
        batch_json: &JsString,
        policy_json: &JsString,
        at: Option<f64>,
        strict: Option<bool>,
    ) -> Result<JsValue, JsError> {
        let bundle = BatchBundle::from_json(&document_text(batch_json, &MAX_BATCH_BUNDLE_BYTES)?).map_err(thrown)?;
        let policy = Policy::from_json(&document_text(policy_json, &MAX_POLICY_BYTES)?).map_err(thrown)?;
        let verdict = verify_batch_bundle(&bundle, &policy, &self.key, verification_time(at)?);
        let verdict = if strict.unwrap_or(false) { verdict.require_complete_policy() } else { verdict };
        js_sys::JSON::parse(&verdict.to_json()).map_err(|_| JsError::new("internal error: the verdict is not JSON"))
    }

    /// Verifies as [`Verifier::verify`] does, and explains the verdict in
    /// plain words: the withdrawal, each claim with its evidence, the key's
    /// provenance and the bundle's age (as `zkcomply-verify verify
    /// --explain`).
    ///
    /// Returns `{ verdict, verdictJson, explanation }`: `verdictJson` is
    /// byte for byte what `zkcomply-verify verify --json` prints for the
    /// same inputs. Throws an `Error` for malformed input.
    #[wasm_bindgen(unchecked_return_type = "Explained")]
    pub fn explain(
        &self,
        bundle_json: &JsString,
        policy_json: &JsString,
        at: Option<f64>,
        strict: Option<bool>,
    ) -> Result<JsValue, JsError> {
        let Verified { bundle, policy, at, verdict } =
            verdict_for(&self.key, bundle_json, policy_json, at, strict.unwrap_or(false))?;
        let explanation = Explanation::new(&bundle, &policy, &verdict, at);
        let explained = js_sys::Object::new();
        let set = |name: &str, value: &JsValue| {
            js_sys::Reflect::set(&explained, &JsValue::from_str(name), value)
                .map_err(|_| JsError::new("internal error: cannot build the result object"))
        };
        set("verdict", &to_js(&verdict)?)?;
        // `println!` adds the newline the command line ends its JSON with.
        set("verdictJson", &JsValue::from_str(&format!("{}\n", verdict.to_json())))?;
        let explanation = js_sys::JSON::parse(&explanation.to_json())
            .map_err(|_| JsError::new("internal error: the explanation is not JSON"))?;
        set("explanation", &explanation)?;
        Ok(explained.into())
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
