//! `Withdrawal::from_json` (the withdrawal request, `docs/FORMATS.md`) on
//! any UTF-8 text; on success, the printed withdrawal parses back to the
//! same value, and its context fields encode (`Withdrawal::validate`
//! promises that every field of a parsed withdrawal does).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, pretty_json, text};
use zkcomply_verifier::Withdrawal;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(withdrawal) = Withdrawal::from_json(text) else { return };
    assert_round_trip(&withdrawal, pretty_json, Withdrawal::from_json);
    withdrawal.context_fields().expect("a parsed withdrawal's fields encode (Withdrawal::validate)");
});
