//! `Policy::from_json` (the verifier's policy, `docs/FORMATS.md`) on any
//! UTF-8 text; on success, the printed policy parses back to the same
//! value, and the gate's owner calls for it are encoded
//! (`zkcomply-verify policy-calldata`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, pretty_json, text};
use zkcomply_verifier::solidity::policy_calls::policy_calls;
use zkcomply_verifier::Policy;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(policy) = Policy::from_json(text) else { return };
    assert_round_trip(&policy, pretty_json, Policy::from_json);
    if let Ok(calls) = policy_calls(&policy) {
        let _ = pretty_json(&calls);
    }
});
