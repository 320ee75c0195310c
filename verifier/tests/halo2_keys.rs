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

#[test]
fn every_kind_of_tampering_is_refused_with_its_reason() {
    let bytes = generated().to_bytes();
    let header = 24 + 1 + 4 + 32;
    let edit = |at: usize, value: u8| {
        let mut edited = bytes.clone();
        edited[at] = value;
        edited
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("magic", edit(0, b'Z'), "does not start with"),
        ("version", edit(24, 2), "format version 2"),
        ("k", edit(25, 13), "k = 13"),
        ("digest", edit(30, bytes[30] ^ 1), "another version of the withdrawal circuit"),
        ("a generator", edit(header + 100, bytes[header + 100] ^ 1), "not the canonical ones"),
        ("truncated", bytes[..bytes.len() - 1].to_vec(), "bytes of parameters"),
        ("header only", bytes[..header - 1].to_vec(), "shorter than its"),
        ("extended", [bytes.clone(), vec![0]].concat(), "bytes of parameters"),
    ];
    for (what, edited, expected) in cases {
        let error = PreparedVerifyingKey::from_bytes(&edited).expect_err(what).to_string();
        assert!(error.contains(expected), "{what}: {error}");
    }
}
