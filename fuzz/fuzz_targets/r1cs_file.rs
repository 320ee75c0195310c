//! `R1csFile::from_bytes` (circom's `.r1cs`) on any bytes; a file that
//! parses writes back to bytes that parse to the same constraint system.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_ceremony::r1cs_file::R1csFile;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = R1csFile::from_bytes(data) else { return };
    let again = R1csFile::from_bytes(&file.to_bytes()).expect("a parsed file's bytes parse");
    assert_eq!(again, file, "a parsed file changed through its bytes");
});
