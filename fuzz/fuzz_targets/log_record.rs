//! One verification-log record (`LogRecord`, one JSONL line, parsed with
//! `serde_json` as `VerificationLog::open` and `audit` parse each line) on
//! any UTF-8 text; on success, the record's hash is computed (RFC 8785
//! canonical JSON) and the printed record parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, text};
use zkcomply_verifier::LogRecord;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(record) = serde_json::from_str::<LogRecord>(text) else { return };
    let _ = record.compute_hash();
    assert_round_trip(
        &record,
        |r| serde_json::to_string(r).expect("a record prints"),
        |printed| serde_json::from_str::<LogRecord>(printed),
    );
});
