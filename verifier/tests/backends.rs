//! The backend seam: bundles, keys and policies name their proof system; a
//! bundle of an unknown backend is rejected by the `backend` check, a key
//! or a policy naming one is refused, old policies accept Groth16, and the
//! audit checks each record against the key its bundle names.

use std::collections::BTreeSet;
use std::path::Path;

use rand::SeedableRng;
use serde_json::{json, Value};
use zkcomply_verifier::{
    audit, verify_bundle, Backend, Bundle, Check, Claim, FindingKind, FormatError, Policy, ProofCheck, VerificationLog,
    VerifyingKeyFile,
};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn bundle() -> Bundle {
    Bundle::from_json(&fixture("bundle.json")).unwrap()
}

fn key() -> VerifyingKeyFile {
    VerifyingKeyFile::from_json(&fixture("verifying_key.json")).unwrap()
}

fn other_key() -> VerifyingKeyFile {
    VerifyingKeyFile::from_json(&fixture("other_verifying_key.json")).unwrap()
}

fn policy_json() -> Value {
    serde_json::from_str(&fixture("policy.json")).unwrap()
}

fn at(bundle: &Bundle) -> u64 {
    bundle.withdrawal.now.0 + 1
}

#[test]
fn key_files_name_their_backend() {
    let key = key();
    assert_eq!(key.backend(), Backend::Groth16Bn254);
    assert_eq!(key.prepared.backend(), Backend::Groth16Bn254);
    assert_eq!(serde_json::from_str::<Value>(&key.to_json()).unwrap()["backend"], json!("groth16-bn254"));
}

#[test]
fn a_key_file_of_an_unknown_backend_is_refused_naming_the_field() {
    let mut k: Value = serde_json::from_str(&fixture("verifying_key.json")).unwrap();
    k["backend"] = json!("halo2-kzg-bn254");
    let err = VerifyingKeyFile::from_json(&k.to_string()).unwrap_err();
    let FormatError::Invalid { document, path, message } = &err else { panic!("{err}") };
    assert_eq!((*document, path.as_str()), ("verifying key", "backend"));
    assert!(message.contains("unknown backend \"halo2-kzg-bn254\""), "{message}");
    assert!(message.contains("groth16-bn254"), "the known backends are named: {message}");
}

#[test]
fn a_bundle_of_an_unknown_backend_parses_and_is_rejected_by_the_backend_check() {
    let mut b: Value = serde_json::from_str(&fixture("bundle.json")).unwrap();
    b["backend"] = json!("halo2-kzg-bn254");
    let bundle = Bundle::from_json(&b.to_string()).expect("an unknown backend is a verdict, not a format error");
    let policy = Policy::from_json(&fixture("policy.json")).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &key(), at(&bundle));
    assert!(!verdict.accepted);
    let (check, reason) = verdict.rejection().unwrap();
    assert_eq!(check, Check::Backend);
    assert!(reason.contains("unknown backend \"halo2-kzg-bn254\""), "{reason}");
    assert_eq!(verdict.checked, vec![Check::Format], "nothing after the backend check ran");
}

#[test]
fn the_backend_checks_run_before_the_key_and_name_themselves() {
    let bundle = bundle();
    let policy = Policy::from_json(&fixture("policy.json")).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &key(), at(&bundle));
    assert!(verdict.accepted, "{verdict:?}");
    assert_eq!(&verdict.checked[..4], &[Check::Format, Check::Backend, Check::PolicyBackend, Check::VerifyingKey]);
    assert_eq!(Check::Backend.name(), "backend");
    assert_eq!(Check::PolicyBackend.name(), "policy_backend");
}

#[test]
fn a_policy_without_backends_accepts_groth16_and_one_with_them_names_them() {
    // The fixture predates `backends`: it loads, and accepts Groth16 only.
    let old = Policy::from_json(&fixture("policy.json")).unwrap();
    assert_eq!(old.backends, None);
    assert_eq!(old.accepted_backends(), &[Backend::Groth16Bn254]);
    assert!(old.accepts_backend(Backend::Groth16Bn254));
    assert!(!serde_json::to_string(&old).unwrap().contains("backends"), "a default is not written out");

    let mut p = policy_json();
    p["backends"] = json!(["groth16-bn254"]);
    let named = Policy::from_json(&p.to_string()).unwrap();
    assert_eq!(named.backends, Some(vec![Backend::Groth16Bn254]));
    assert_eq!(Policy::from_json(&serde_json::to_string(&named).unwrap()).unwrap(), named, "round trip");
    let bundle = bundle();
    let verdict = verify_bundle(&bundle, &named, &key(), at(&bundle));
    assert!(verdict.accepted, "{verdict:?}");
    assert!(verdict.checked.contains(&Check::PolicyBackend));
    // Strict mode: `backends` has a default, so leaving it out skips nothing.
    assert!(verify_bundle(&bundle, &old, &key(), at(&bundle)).require_complete_policy().accepted);
}

#[test]
fn a_policy_naming_no_backend_or_an_unknown_one_is_refused() {
    let mut p = policy_json();
    p["backends"] = json!([]);
    let err = Policy::from_json(&p.to_string()).unwrap_err().to_string();
    assert!(err.starts_with("policy: backends: names no backend"), "{err}");
    p["backends"] = json!(["groth16-bn254", "groth16"]);
    let err = Policy::from_json(&p.to_string()).unwrap_err().to_string();
    assert!(err.contains("backends[1]") && err.contains("unknown backend \"groth16\""), "{err}");
}

/// A log of the fixture bundle accepted twice over (a replay), as the
/// exchange would write it.
fn log_text(dir: &Path) -> String {
    let path = dir.join("verdicts.jsonl");
    let bundle = bundle();
    let policy = Policy::from_json(&fixture("policy.json")).unwrap();
    let mut log = VerificationLog::open(&path).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &key(), at(&bundle));
    assert!(verdict.accepted);
    log.append(at(&bundle), &bundle, &verdict).unwrap();
    log.append(at(&bundle) + 1, &bundle, &verdict).unwrap();
    std::fs::read_to_string(path).unwrap()
}

fn run_audit(text: &str, keys: &[VerifyingKeyFile], proofs: ProofCheck) -> zkcomply_verifier::AuditReport {
    let policy = Policy::from_json(&fixture("policy.json")).unwrap();
    let claims: BTreeSet<Claim> = Claim::ALL.into_iter().collect();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    audit(text, &policy, keys, &claims, proofs, &mut rng, &mut |_, _, _| {})
}

#[test]
fn the_audit_checks_each_record_against_the_key_its_bundle_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(dir.path());
    for proofs in [ProofCheck::Batch, ProofCheck::OneByOne] {
        // Whatever the order of the keys, the record's own key is used; the
        // only finding is the replay.
        for keys in [vec![key()], vec![other_key(), key()], vec![key(), other_key()]] {
            let report = run_audit(&text, &keys, proofs);
            assert_eq!(report.proofs_verified, 2);
            let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
            assert_eq!(kinds, vec![FindingKind::Replay], "{}", report.to_text());
        }
    }
}

#[test]
fn the_audit_without_the_records_key_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(dir.path());
    let report = run_audit(&text, &[other_key()], ProofCheck::Batch);
    assert_eq!(report.proofs_verified, 0);
    assert_eq!(report.findings.len(), 2, "{}", report.to_text());
    for f in &report.findings {
        assert_eq!((f.kind, f.check), (FindingKind::AcceptedButFails, Some(Check::VerifyingKey)));
    }
    let report = run_audit(&text, &[], ProofCheck::Batch);
    assert_eq!(report.findings.len(), 2, "{}", report.to_text());
    for f in &report.findings {
        assert_eq!(f.check, Some(Check::VerifyingKey));
        assert!(f.reason.contains("no verifying key was given"), "{}", f.reason);
    }
}

/// The fixture policy without its single-key pin, edited.
fn policy_with(edit: impl Fn(&mut Value)) -> Result<Policy, FormatError> {
    let mut p = policy_json();
    p.as_object_mut().unwrap().remove("verifying_key_hash");
    edit(&mut p);
    Policy::from_json(&p.to_string())
}

#[test]
fn verifying_keys_pin_keys_per_backend() {
    let bundle = bundle();
    let hash = key().hash().to_string();
    let pinned =
        policy_with(|p| p["verifying_keys"] = json!({ "groth16-bn254": ["00".repeat(32), hash.clone()] })).unwrap();
    assert!(pinned.pins_key(Backend::Groth16Bn254, &key().hash()));
    let verdict = verify_bundle(&bundle, &pinned, &key(), at(&bundle));
    assert!(verdict.accepted, "{verdict:?}");
    assert!(verdict.checked.contains(&Check::PolicyVerifyingKey));

    let other = policy_with(|p| p["verifying_keys"] = json!({ "groth16-bn254": ["11".repeat(32)] })).unwrap();
    let verdict = verify_bundle(&bundle, &other, &key(), at(&bundle));
    let (check, reason) = verdict.rejection().unwrap();
    assert_eq!(check, Check::PolicyVerifyingKey);
    assert!(reason.contains("not one the policy's verifying_keys pin for backend groth16-bn254"), "{reason}");
}

#[test]
fn verifying_keys_are_refused_when_empty_for_unaccepted_backends_or_beside_one_pin() {
    let hash = key().hash().to_string();
    let cases = [
        (json!({}), "names no key"),
        (json!({ "groth16-bn254": [] }), "names no key"),
        (json!({ "halo2-kzg-bn254": [hash.clone()] }), "unknown backend"),
    ];
    for (keys, expected) in cases {
        let err = policy_with(|p| p["verifying_keys"] = keys.clone()).unwrap_err().to_string();
        assert!(err.contains(expected), "{keys}: {err}");
    }
    let err = policy_with(|p| {
        p["verifying_keys"] = json!({ "groth16-bn254": [hash.clone()] });
        p["verifying_key_hash"] = json!(hash.clone());
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("not both"), "{err}");
}
