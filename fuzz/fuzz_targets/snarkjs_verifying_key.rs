//! `VerifyingKeyFile::from_json_any` (zkcomply's verifying-key file or
//! snarkjs's `verification_key.json`, `verifier/src/snarkjs/`) on any UTF-8
//! text: never a panic; a snarkjs key that parses exports back to a
//! document that parses to the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::text;
use zkcomply_verifier::snarkjs::verification_key::{parse, SnarkjsVerificationKey};
use zkcomply_verifier::VerifyingKeyFile;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let _ = VerifyingKeyFile::from_json_any(text);
    let Ok(key) = parse(text) else { return };
    let printed = SnarkjsVerificationKey::from_key(&key).to_json();
    assert_eq!(parse(&printed).expect("an exported key parses"), key);
});
