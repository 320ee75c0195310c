//! `PreparedKey::decode` for `groth16-bn254` (a verifying key's compressed
//! bytes, as base64-decoded from a key file, with every point check) on
//! any bytes; a decoded key's canonical bytes are the input (so a key has
//! one encoding and one SHA-256 identity), and the Solidity verifier is
//! generated for it (`zkcomply-verify export-solidity`, which a key file
//! whose hash matches reaches only with bytes like these).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_verifier::backend::PreparedKey;
use zkcomply_verifier::{solidity, Backend, VerifyingKeyFile};

fuzz_target!(|data: &[u8]| {
    let Ok(key) = PreparedKey::decode(Backend::Groth16Bn254, data) else { return };
    assert_eq!(key.to_bytes(), data, "a decoded key re-encodes to other bytes");
    let file = VerifyingKeyFile::new(key, zkcomply_circuits::CIRCUIT_ID, false);
    solidity::export(&file).expect("a Groth16 key exports");
});
