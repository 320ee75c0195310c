//! `verify_batch_bundle` end to end, as `zkcomply-verify verify` and the
//! package's `verifyBatch` run it: any UTF-8 text parsed by
//! `BatchBundle::from_json`, then verified against the batch fixtures'
//! policy and key (a `zkcomply demo --batch` run, loaded once) at the
//! fixture batch's time, so a mutated batch reaches every check, the
//! proof's included. The verdict must be consistent (accepted exactly when
//! every item is, a rejected batch rejects every item), its text free of
//! hidden characters; and a log record of each item parses back.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::text;
use zkcomply_verifier::log::GENESIS;
use zkcomply_verifier::{verify_batch_bundle, BatchBundle, LogRecord, Policy, VerifyingKeyFile};

static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    Policy::from_json(include_str!("../../verifier/tests/fixtures/batch/policy.json")).expect("the batch policy parses")
});
static KEY: LazyLock<VerifyingKeyFile> = LazyLock::new(|| {
    VerifyingKeyFile::from_json(include_str!("../../verifier/tests/fixtures/batch/verifying_key.json"))
        .expect("the batch key parses")
});
static TIME: LazyLock<u64> = LazyLock::new(|| {
    BatchBundle::from_json(include_str!("../../verifier/tests/fixtures/batch/batch_bundle.json"))
        .expect("the fixture batch parses")
        .withdrawals[0]
        .now
        .0
});

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(bundle) = BatchBundle::from_json(text) else { return };
    let verdict = verify_batch_bundle(&bundle, &POLICY, &KEY, *TIME);
    assert_eq!(verdict.items.len(), bundle.withdrawals.len());
    assert_eq!(verdict.accepted, verdict.items.iter().all(|i| i.accepted), "{verdict:?}");
    if !verdict.batch.accepted {
        assert!(verdict.items.iter().all(|i| !i.accepted), "{verdict:?}");
    }
    let _ = verdict.to_json();
    let words = verdict.to_text();
    assert!(!words.chars().any(|c| c.is_control() && c != '\n'), "a hidden character reached the text: {words:?}");
    if let Some(item) = verdict.items.first() {
        let record = LogRecord::new_batch_item(0, *TIME, &bundle, item, GENESIS);
        let line = serde_json::to_string(&record).expect("a record serialises");
        let back = LogRecord::from_json(&line).expect("a record parses back");
        assert_eq!(back, record);
        assert_eq!(back.compute_hash(), record.hash);
    }
});
