//! The batch bundle format: a demo batch of 16 (the fixture) verifies at
//! its time with every item accepted; malformed batches are refused with
//! the field named, items by their index.

use std::path::Path;

use zkcomply_verifier::batch_bundle::is_batch_bundle;
use zkcomply_verifier::{verify_batch_bundle, BatchBundle, FormatError, Policy, VerifyingKeyFile};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/batch").join(name)).unwrap()
}

fn edited(edit: impl Fn(&mut serde_json::Value)) -> Result<BatchBundle, FormatError> {
    let mut v: serde_json::Value = serde_json::from_str(&fixture("batch_bundle.json")).unwrap();
    edit(&mut v);
    BatchBundle::from_json(&v.to_string())
}

#[test]
fn the_fixture_batch_is_accepted_item_by_item() {
    let text = fixture("batch_bundle.json");
    assert!(is_batch_bundle(&text));
    assert!(!is_batch_bundle(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle.json")).unwrap()
    ));
    let bundle = BatchBundle::from_json(&text).unwrap();
    let policy = Policy::from_json(&fixture("policy.json")).unwrap();
    let key = VerifyingKeyFile::from_json(&fixture("verifying_key.json")).unwrap();
    let verdict = verify_batch_bundle(&bundle, &policy, &key, bundle.withdrawals[0].now.0);
    assert!(verdict.accepted, "{}", verdict.to_text());
    assert_eq!(verdict.accepted_items(), 16);
    // Strict mode: the demo's policy sets every field.
    assert!(verdict.require_complete_policy().accepted);
    // An hour later: the clock rejects the batch and every item with it.
    let late = verify_batch_bundle(&bundle, &policy, &key, bundle.withdrawals[0].now.0 + 3600);
    assert!(!late.accepted && late.items.iter().all(|i| i.failed_check.map(|c| c.name()) == Some("clock".into())));
}

#[test]
fn malformed_batches_name_the_field() {
    let message = |r: Result<BatchBundle, FormatError>| r.unwrap_err().to_string();
    assert!(message(edited(|v| v["withdrawals"][2]["amount"] = "-1".into())).contains("withdrawals[2].amount"));
    assert!(message(edited(|v| v["withdrawals"] = serde_json::json!([]))).contains("1 to 16 withdrawals"));
    assert!(message(edited(|v| {
        let first = v["withdrawals"][0].clone();
        v["withdrawals"].as_array_mut().unwrap().push(first);
    }))
    .contains("not 17"));
    assert!(message(edited(|v| v["version"] = "zkcomply/batch-bundle/v2".into())).contains("version"));
    assert!(message(edited(|v| v["extra"] = 1.into())).contains("extra"));
    let big = "x".repeat(200 * 1024);
    assert!(BatchBundle::from_json(&big).unwrap_err().to_string().contains("MAX_BATCH_BUNDLE_BYTES"));
}
