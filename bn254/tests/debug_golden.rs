//! `Debug` output is part of key identity: halo2 hashes
//! `format!("{:?}", vk.pinned())`, which prints field elements and points
//! with `Debug`, into each verifying key's transcript representative. A
//! change here changes every halo2 verifying key, so the text is pinned.
//!
//! A field prints as `0x` and 64 lowercase hex digits, most significant
//! first: `halo2_proofs`' MockProver strips the `0x` to describe a failing
//! gate's cells (tests/mock_prover_reports_failing_gates.rs). A point prints
//! as `Infinity` or `(x, y)` in that form.

use ff::Field;
use group::{Curve, CurveAffine, Group};
use zkcomply_bn254::{Fq, Fr, G1Affine, G1};

#[test]
fn field_debug_is_pinned() {
    assert_eq!(format!("{:?}", Fr::ZERO), "0x0000000000000000000000000000000000000000000000000000000000000000");
    assert_eq!(
        format!("{:?}", Fr::from(0x1234_5678)),
        "0x0000000000000000000000000000000000000000000000000000000012345678"
    );
    assert_eq!(format!("{:?}", -Fr::ONE), "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000");
    assert_eq!(format!("{:?}", Fq::from(3)), "0x0000000000000000000000000000000000000000000000000000000000000003");
    assert_eq!(format!("{:?}", -Fq::ONE), "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd46");
}

#[test]
fn point_debug_is_pinned() {
    assert_eq!(format!("{:?}", G1Affine::identity()), "Infinity");
    assert_eq!(format!("{:?}", G1::identity()), "Infinity");
    let generator = "(0x0000000000000000000000000000000000000000000000000000000000000001, 0x0000000000000000000000000000000000000000000000000000000000000002)";
    assert_eq!(format!("{:?}", G1Affine::generator()), generator);
    // A projective point prints as its affine form, whatever its Z.
    let three_g = G1::generator().double() + G1::generator();
    let three_g_text = "(0x0769bf9ac56bea3ff40232bcb1b6bd159315d84715b8e679f2d355961915abf0, 0x2ab799bee0489429554fdb7c8d086475319e63b40b9c5b57cdf1ff3dd9fe2261)";
    assert_eq!(format!("{:?}", three_g.to_affine()), three_g_text);
    assert_eq!(format!("{:?}", three_g), three_g_text);
}
