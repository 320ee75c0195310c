//! `verify_bundle` end to end, as `zkcomply-verify verify` and the browser
//! package run it: any UTF-8 text parsed by `Bundle::from_json`, then
//! verified against the fixture policy and verifying key (fixed, loaded
//! once) at the fixture bundle's time, so a mutated bundle reaches every
//! check, the proof's included; then the verdict printed as JSON and
//! explained in plain words (`--explain`), which must agree with it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{fixture_time, text, FIXTURE_KEY, FIXTURE_POLICY};
use zkcomply_verifier::{verify_bundle, Bundle, Explanation};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(bundle) = Bundle::from_json(text) else { return };
    let verdict = verify_bundle(&bundle, &FIXTURE_POLICY, &FIXTURE_KEY, fixture_time());
    assert_eq!(verdict.accepted, verdict.rejection().is_none(), "{verdict:?}");
    let _ = verdict.to_json();
    let words = Explanation::new(&bundle, &FIXTURE_POLICY, &verdict, fixture_time());
    assert_eq!(words.rejection.as_ref().map(|r| r.check), verdict.failed_check);
    let outcome = if verdict.accepted { "Accepted: " } else { "Rejected: " };
    assert!(words.headline.starts_with(outcome), "{verdict:?}: {}", words.headline);
    let text = words.to_text();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "a hidden character reached the text: {text:?}");
    let _ = words.to_json();
});
