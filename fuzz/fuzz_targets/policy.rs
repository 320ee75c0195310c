//! `Policy::from_json` (the verifier's policy, `docs/FORMATS.md`) on any
//! UTF-8 text; on success, the printed policy parses back to the same
//! value, the gate's owner calls for it are encoded
//! (`zkcomply-verify policy-calldata`), and the fixture bundle's verdict
//! is explained in plain words under it (its labels, decimals and clock
//! skew shape the words).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, fixture_time, pretty_json, text, FIXTURE_BUNDLE, FIXTURE_KEY};
use zkcomply_verifier::solidity::policy_calls::policy_calls;
use zkcomply_verifier::{Check, Explanation, KeySummary, Policy, Verdict};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(policy) = Policy::from_json(text) else { return };
    assert_round_trip(&policy, pretty_json, Policy::from_json);
    if let Ok(calls) = policy_calls(&policy) {
        let _ = pretty_json(&calls);
    }
    // Both outcomes, without the proof's cost: the words depend on the
    // policy, not on the pairing.
    let accepted = Verdict {
        accepted: true,
        failed_check: None,
        reason: None,
        checked: vec![Check::Issuer],
        not_checked: vec![Check::Limits],
        key: Some(KeySummary::new(&FIXTURE_KEY, &policy)),
    };
    let mut rejected = accepted.clone();
    rejected.reject(Check::Clock, "stale");
    for verdict in [accepted, rejected] {
        let words = Explanation::new(&FIXTURE_BUNDLE, &policy, &verdict, fixture_time());
        let text = words.to_text();
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "a hidden character reached the text: {text:?}");
        let _ = words.to_json();
    }
});
