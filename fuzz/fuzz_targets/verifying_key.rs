//! `VerifyingKeyFile::from_json` (the verifying-key file,
//! `docs/FORMATS.md`: base64 key bytes, their SHA-256, full point checks)
//! on any UTF-8 text; on success, `VerifyingKeyFile::to_json` parses back
//! to the same document. The key bytes behind the hash are fuzzed on
//! their own by `key_bytes`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, text};
use zkcomply_verifier::VerifyingKeyFile;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(key) = VerifyingKeyFile::from_json(text) else { return };
    assert_round_trip(&key.json, |_| key.to_json(), |printed| VerifyingKeyFile::from_json(printed).map(|k| k.json));
});
