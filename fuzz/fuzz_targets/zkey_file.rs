//! `Zkey::from_bytes` (snarkjs's Groth16 `.zkey`: the iden3 container, every
//! point and size checked) on any bytes; a key that parses writes back to
//! bytes that parse to the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_ceremony::zkey::Zkey;

fuzz_target!(|data: &[u8]| {
    let Ok(key) = Zkey::from_bytes(data) else { return };
    let again = Zkey::from_bytes(&key.to_bytes()).expect("a parsed key's bytes parse");
    assert_eq!(again, key, "a parsed key changed through its bytes");
});
