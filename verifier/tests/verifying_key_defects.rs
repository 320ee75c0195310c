//! A verifying key is checked whole when it is loaded: every point on its
//! curve and in its prime-order subgroup, none at infinity, and exactly one
//! input base per public input plus one for the constant. Each test below
//! holds a key with one defect, made from the real key, and the loader must
//! refuse it with a message naming what is wrong.

use std::path::Path;

use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ec::AffineRepr;
use ark_ff::{Field, One};
use ark_serialize::CanonicalSerialize;
use base64::Engine;
use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;
use zkcomply_verifier::backend::groth16::VerifyingKey;
use zkcomply_verifier::keys::VerifyingKeyJson;
use zkcomply_verifier::VerifyingKeyFile;

fn real_key_json() -> VerifyingKeyJson {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verifying_key.json"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn real_key() -> VerifyingKey {
    let json = real_key_json();
    let bytes = base64::engine::general_purpose::STANDARD.decode(&json.key).unwrap();
    VerifyingKey::from_bytes(&bytes).unwrap()
}

/// The key file holding `bytes`, with the hash recomputed so that only the
/// key itself can be wrong.
fn key_file_with_bytes(bytes: &[u8]) -> String {
    let mut json = real_key_json();
    json.key = base64::engine::general_purpose::STANDARD.encode(bytes);
    json.hash = zkcomply_verifier::values::HexDigest(sha256(bytes));
    serde_json::to_string(&json).unwrap()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Serialises a key without any check, as a hostile party could.
fn unchecked_bytes(vk: &VerifyingKey) -> Vec<u8> {
    let mut out = Vec::new();
    vk.serialize_compressed(&mut out).unwrap();
    out
}

fn load_error(vk_bytes: &[u8]) -> String {
    match VerifyingKeyFile::from_json(&key_file_with_bytes(vk_bytes)) {
        Ok(_) => panic!("a defective key was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_real_key_loads_through_the_same_helpers() {
    // The defect tests below change one thing each; this shows the helpers
    // alone do not make a key fail.
    let vk = real_key();
    assert_eq!(vk.gamma_abc_g1.len(), PUBLIC_INPUT_COUNT + 1);
    VerifyingKeyFile::from_json(&key_file_with_bytes(&unchecked_bytes(&vk))).unwrap();
}

/// One change that makes a key defective.
type Defect = Box<dyn Fn(&mut VerifyingKey)>;

#[test]
fn a_point_at_infinity_anywhere_is_refused() {
    let mut cases: Vec<(String, Defect)> = vec![
        ("alpha_g1".into(), Box::new(|vk| vk.alpha_g1 = G1Affine::zero())),
        ("beta_g2".into(), Box::new(|vk| vk.beta_g2 = G2Affine::zero())),
        ("gamma_g2".into(), Box::new(|vk| vk.gamma_g2 = G2Affine::zero())),
        ("delta_g2".into(), Box::new(|vk| vk.delta_g2 = G2Affine::zero())),
    ];
    for i in 0..=PUBLIC_INPUT_COUNT {
        cases.push((format!("gamma_abc_g1[{i}]"), Box::new(move |vk| vk.gamma_abc_g1[i] = G1Affine::zero())));
    }
    for (name, defect) in cases {
        let mut vk = real_key();
        defect(&mut vk);
        let error = load_error(&unchecked_bytes(&vk));
        assert!(
            error.contains(&format!("{name} is the point at infinity")),
            "{name} at infinity: unexpected error {error}"
        );
    }
}

/// The smallest `x` with no point `(x, y)` on `y^2 = x^3 + b`.
fn x_off_curve<F: Field>(b: F, from_int: impl Fn(u64) -> F) -> F {
    (1u64..).map(from_int).find(|x| (*x * x * x + b).sqrt().is_none()).unwrap()
}

#[test]
fn a_g1_point_off_the_curve_is_refused() {
    // Compressed G1 points are the x coordinate (32 bytes, little-endian)
    // with flags in the top bits: alpha_g1 comes first in the key.
    let vk = real_key();
    let x = x_off_curve(Fq::from(3u64), Fq::from);
    let mut bytes = unchecked_bytes(&vk);
    let mut x_bytes = Vec::new();
    x.serialize_compressed(&mut x_bytes).unwrap();
    bytes[..32].copy_from_slice(&x_bytes);
    let error = load_error(&bytes);
    assert!(error.contains("verifying key"), "{error}");
}

#[test]
fn a_g2_point_off_the_curve_is_refused() {
    // beta_g2 follows alpha_g1: 64 bytes of x in Fq2.
    let vk = real_key();
    let b = <ark_bn254::g2::Config as SWCurveConfig>::COEFF_B;
    let x = x_off_curve(b, |i| Fq2::new(Fq::from(i), Fq::one()));
    let mut bytes = unchecked_bytes(&vk);
    let mut x_bytes = Vec::new();
    x.serialize_compressed(&mut x_bytes).unwrap();
    bytes[32..96].copy_from_slice(&x_bytes);
    let error = load_error(&bytes);
    assert!(error.contains("verifying key"), "{error}");
}

#[test]
fn a_g2_point_outside_the_prime_order_subgroup_is_refused() {
    // A point on the twist whose order is not r: the twist's group has a
    // large cofactor, so the first point found by solving the curve
    // equation is outside the subgroup (checked against arkworks).
    let b = <ark_bn254::g2::Config as SWCurveConfig>::COEFF_B;
    let point = (1u64..)
        .map(|i| Fq2::new(Fq::from(i), Fq::one()))
        .find_map(|x| (x * x * x + b).sqrt().map(|y| G2Affine::new_unchecked(x, y)))
        .unwrap();
    assert!(point.is_on_curve() && !point.is_in_correct_subgroup_assuming_on_curve());
    for field in ["beta_g2", "gamma_g2", "delta_g2"] {
        let mut vk = real_key();
        match field {
            "beta_g2" => vk.beta_g2 = point,
            "gamma_g2" => vk.gamma_g2 = point,
            _ => vk.delta_g2 = point,
        }
        let error = load_error(&unchecked_bytes(&vk));
        assert!(error.contains("verifying key"), "{field} outside the subgroup: {error}");
    }
}

#[test]
fn one_input_base_too_many_or_too_few_is_refused() {
    let mut extra = real_key();
    extra.gamma_abc_g1.push(G1Affine::generator());
    let error = load_error(&unchecked_bytes(&extra));
    assert!(error.contains(&format!("takes {} public inputs", PUBLIC_INPUT_COUNT + 1)), "{error}");

    let mut fewer = real_key();
    fewer.gamma_abc_g1.pop();
    let error = load_error(&unchecked_bytes(&fewer));
    assert!(error.contains(&format!("takes {} public inputs", PUBLIC_INPUT_COUNT - 1)), "{error}");

    let mut none = real_key();
    none.gamma_abc_g1.clear();
    let error = load_error(&unchecked_bytes(&none));
    assert!(error.contains("gamma_abc_g1 is empty"), "{error}");
}
