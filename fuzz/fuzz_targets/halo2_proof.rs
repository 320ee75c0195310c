//! `Proof::decode` for `halo2-ipa-bn254` (a transcript's bytes, as
//! base64-decoded from a bundle's `proof`) on any bytes; a decoded proof
//! re-encodes to the input, and is verified against the canonical halo2 key
//! (what `zkcomply-verify keygen --backend halo2` writes, derived once
//! before fuzzing starts) and the fixture bundle's public inputs: every
//! point read, every scalar's range and the transcript's end are checked
//! as the verifier reads them, and a false proof is `Ok(false)` or an
//! error, never a panic. The seed is a proof of the demo's withdrawal.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zkcomply_circuits::field::parse_fr;
use zkcomply_fuzz::FIXTURE_BUNDLE;
use zkcomply_verifier::backend::halo2::PreparedVerifyingKey;
use zkcomply_verifier::backend::Proof;
use zkcomply_verifier::Backend;

static KEY: LazyLock<PreparedVerifyingKey> =
    LazyLock::new(|| PreparedVerifyingKey::generate().expect("the withdrawal circuit gives a halo2 key"));

fuzz_target!(
    init: {
        LazyLock::force(&KEY);
    },
    |data: &[u8]| {
        let Ok(proof) = Proof::decode(Backend::Halo2IpaBn254, data) else { return };
        let halo2 = proof.as_halo2().expect("decoded as a halo2 proof");
        assert_eq!(halo2.as_bytes(), data, "a decoded proof re-encodes to other bytes");
        let inputs: Vec<_> =
            FIXTURE_BUNDLE.public_inputs.iter().map(|s| parse_fr(s).expect("the fixture's inputs parse")).collect();
        let _ = KEY.verify(halo2, &inputs);
    }
);
