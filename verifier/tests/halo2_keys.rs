//! The halo2 verifying key: the canonical parameters are the ones drawn
//! from the public seed (their SHA-256 is pinned in the verifier), a
//! generated key decodes to itself, and every kind of tampering is refused
//! with its reason.

use std::sync::OnceLock;

use halo2_proofs::poly::commitment::Params;
use sha2::{Digest, Sha256};
use zkcomply_bn254::G1Affine;
use zkcomply_circuits::halo2::withdrawal::K;
use zkcomply_verifier::backend::halo2::{PreparedVerifyingKey, CANONICAL_PARAMS_SHA256};

/// The generated key (seconds to draw), shared by the tests.
fn generated() -> &'static PreparedVerifyingKey {
    static KEY: OnceLock<PreparedVerifyingKey> = OnceLock::new();
    KEY.get_or_init(|| PreparedVerifyingKey::generate().expect("the circuit fits its k"))
}

#[test]
fn canonical_parameters_are_the_ones_drawn_from_the_public_seed() {
    let started = std::time::Instant::now();
    let mut bytes = Vec::new();
    Params::<G1Affine>::new(K).write(&mut bytes).unwrap();
    eprintln!("Params::new({K}) and write: {:?}", started.elapsed());
    let sha256: [u8; 32] = Sha256::digest(&bytes).into();
    assert_eq!(
        hex::encode(sha256),
        hex::encode(CANONICAL_PARAMS_SHA256),
        "update CANONICAL_PARAMS_SHA256 only on purpose"
    );
}

#[test]
fn a_generated_key_decodes_to_itself() {
    let bytes = generated().to_bytes();
    let decoded = PreparedVerifyingKey::from_bytes(&bytes).unwrap();
    assert_eq!(decoded.to_bytes(), bytes);
    assert_eq!(decoded.digest(), generated().digest());
}
