//! `IssuerKeyFile::from_json` (the issuer's key file, `issuer_key.json`:
//! the private key as hex, the public key checked to belong to it) on any
//! UTF-8 text; on success, the printed file parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, pretty_json, text};
use zkcomply_prover::issuer::IssuerKeyFile;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(key) = IssuerKeyFile::from_json(text) else { return };
    assert_round_trip(&key, pretty_json, IssuerKeyFile::from_json);
});
