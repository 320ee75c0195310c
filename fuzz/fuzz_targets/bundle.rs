//! `Bundle::from_json` (the proof bundle, `docs/FORMATS.md`) on any UTF-8
//! text; on success, `Bundle::to_json` parses back to the same bundle, and
//! the values a verifier derives from a bundle before any policy (the
//! withdrawal's context fields, the statement values) are computed, and
//! the gate's calldata encoded (`zkcomply-verify calldata`, the browser
//! package's `gateCalldata`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, text};
use zkcomply_verifier::solidity::calldata::gate_arguments;
use zkcomply_verifier::Bundle;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(bundle) = Bundle::from_json(text) else { return };
    assert_round_trip(&bundle, Bundle::to_json, Bundle::from_json);
    bundle.withdrawal.context_fields().expect("a parsed bundle's withdrawal fields encode (Withdrawal::validate)");
    let _ = bundle.public.statement();
    if let Ok(arguments) = gate_arguments(&bundle) {
        let _ = (arguments.withdraw().to_hex(), arguments.approve_statement().to_hex());
    }
});
