//! `Proof::decode` for `groth16-bn254` (a proof's 128 compressed bytes, as
//! base64-decoded from a bundle's `proof`, with every point and subgroup
//! check) on any bytes; a decoded proof re-encodes to the input, and is
//! verified against the fixture key and bundle's public inputs (a false
//! proof is `Ok(false)`, never a panic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_circuits::field::parse_fr;
use zkcomply_fuzz::{FIXTURE_BUNDLE, FIXTURE_KEY};
use zkcomply_verifier::backend::Proof;
use zkcomply_verifier::Backend;

fuzz_target!(|data: &[u8]| {
    let Ok(proof) = Proof::decode(Backend::Groth16Bn254, data) else { return };
    let groth16 = proof.as_groth16().expect("decoded as a Groth16 proof");
    assert_eq!(groth16.to_bytes(), data, "a decoded proof re-encodes to other bytes");
    let inputs: Vec<_> =
        FIXTURE_BUNDLE.public_inputs.iter().map(|s| parse_fr(s).expect("the fixture's inputs parse")).collect();
    FIXTURE_KEY.prepared.verify(&proof, &inputs).expect("the fixture's inputs fit the fixture's key");
});
