//! G1 agrees with ark-bn254 point for point: group law, scalar
//! multiplication, affine conversion, batch normalization, the compressed
//! encoding (byte for byte with arkworks' compressed form) and the
//! endomorphism; malformed encodings are rejected.

mod common;

use ark_ec::{AffineRepr, CurveGroup, PrimeGroup as _};
use ark_serialize::CanonicalSerialize;
use common::{affine_to_ark, field_to_ark, point_from_ark, point_to_ark, random_fr, SeededRng};
use ff::{Field, PrimeField, WithSmallOrderMulGroup};
use group::{Curve, CurveAffine as _, Group, GroupEncoding};
use pasta_curves::arithmetic::{CurveAffine, CurveExt};
use zkcomply_bn254::{Fq, Fr, G1Affine, G1};

const ROUNDS: usize = 64;

/// Random points, with the identity and the generator among them.
fn sample_points(rng: &mut SeededRng) -> Vec<G1> {
    let mut points = vec![G1::identity(), G1::generator(), -G1::generator()];
    points.extend((0..ROUNDS).map(|_| G1::random(&mut *rng)));
    points
}

#[test]
fn generator_matches_ark() {
    assert_eq!(point_to_ark(&G1::generator()), ark_bn254::G1Projective::generator());
    assert_eq!(affine_to_ark(&G1Affine::generator()), ark_bn254::G1Affine::generator());
}

#[test]
fn random_points_are_on_the_curve_and_in_ark() {
    let mut rng = SeededRng::new(1);
    for point in sample_points(&mut rng) {
        assert!(bool::from(CurveExt::is_on_curve(&point)));
        let ark = affine_to_ark(&point.to_affine());
        assert!(ark.is_on_curve() && ark.is_in_correct_subgroup_assuming_on_curve());
    }
}

#[test]
fn group_law_matches_ark() {
    let mut rng = SeededRng::new(2);
    let points = sample_points(&mut rng);
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let (ark_p, ark_q) = (point_to_ark(&p), point_to_ark(&q));
        let (p_affine, q_affine) = (p.to_affine(), q.to_affine());
        assert_eq!(point_to_ark(&(p + q)), ark_p + ark_q, "add");
        assert_eq!(point_to_ark(&(p + q_affine)), ark_p + ark_q, "mixed add");
        assert_eq!(point_to_ark(&(p_affine + q)), ark_p + ark_q, "affine + projective");
        assert_eq!(point_to_ark(&(p_affine + q_affine)), ark_p + ark_q, "affine + affine");
        assert_eq!(point_to_ark(&(p - q)), ark_p - ark_q, "sub");
        assert_eq!(point_to_ark(&(p_affine - q_affine)), ark_p - ark_q, "affine sub");
        assert_eq!(point_to_ark(&p.double()), ark_p + ark_p, "double");
        assert_eq!(point_to_ark(&(p + p)), ark_p + ark_p, "add to itself");
        assert_eq!(point_to_ark(&(p + p_affine)), ark_p + ark_p, "mixed add to itself");
        assert_eq!(point_to_ark(&-p), -ark_p, "neg");
        assert_eq!(affine_to_ark(&-p_affine), -affine_to_ark(&p_affine), "affine neg");
        assert!(bool::from((p - p).is_identity()));
        assert!(bool::from((p + -p_affine).is_identity()));
        let mut sum = p;
        sum += q_affine;
        sum -= q;
        sum += &q;
        sum -= &q_affine;
        assert_eq!(sum, p, "assign operators");
    }
    let total: G1 = points.iter().sum();
    let ark_total: ark_bn254::G1Projective = points.iter().map(point_to_ark).sum();
    assert_eq!(point_to_ark(&total), ark_total, "sum");
}

#[test]
fn scalar_multiplication_matches_ark() {
    let mut rng = SeededRng::new(3);
    let points = sample_points(&mut rng);
    let edge_scalars =
        [Fr::ZERO, Fr::ONE, -Fr::ONE, Fr::from(2), Fr::ZETA, -Fr::ZETA, Fr::TWO_INV, Fr::from_u128(u128::MAX)];
    for (i, point) in points.iter().enumerate() {
        let scalars = edge_scalars.iter().copied().chain([random_fr(&mut rng)]);
        for scalar in scalars {
            let expected = point_to_ark(point) * field_to_ark::<Fr, ark_bn254::Fr>(scalar);
            assert_eq!(point_to_ark(&(point * scalar)), expected, "point {i}, scalar {scalar:?}");
            assert_eq!(point_to_ark(&(point.to_affine() * scalar)), expected, "affine point {i}");
            let mut assigned = *point;
            assigned *= scalar;
            assert_eq!(point_to_ark(&assigned), expected, "mul assign");
        }
    }
    let scalar = random_fr(&mut rng);
    assert_eq!(G1::mul_by_generator(&scalar), G1::generator() * scalar);
}

#[test]
fn affine_conversion_and_batch_normalization_match_ark() {
    let mut rng = SeededRng::new(4);
    let mut points = sample_points(&mut rng);
    // Jacobian forms other than Z = 1, and identities in the middle.
    points = points.iter().map(|point| point.double() + point).collect();
    points.insert(10, G1::identity());
    let ark_affine = ark_bn254::G1Projective::normalize_batch(&points.iter().map(point_to_ark).collect::<Vec<_>>());
    let mut batch = vec![G1Affine::identity(); points.len()];
    G1::batch_normalize(&points, &mut batch);
    let mut batch_vartime = vec![G1Affine::generator(); points.len()];
    G1::batch_normalize_vartime(&points, &mut batch_vartime);
    for (i, point) in points.iter().enumerate() {
        assert_eq!(affine_to_ark(&point.to_affine()), ark_affine[i], "to_affine {i}");
        assert_eq!(affine_to_ark(&point.to_affine_vartime()), ark_affine[i], "to_affine_vartime {i}");
        assert_eq!(affine_to_ark(&batch[i]), ark_affine[i], "batch_normalize {i}");
        assert_eq!(affine_to_ark(&batch_vartime[i]), ark_affine[i], "batch_normalize_vartime {i}");
        assert_eq!(G1::from(batch[i]), *point, "back to projective {i}");
    }
}

#[test]
fn jacobian_coordinates_round_trip() {
    let mut rng = SeededRng::new(5);
    for point in sample_points(&mut rng) {
        let point = point.double() + point;
        let (x, y, z) = point.jacobian_coordinates();
        assert_eq!(G1::new_jacobian(x, y, z).unwrap(), point);
        assert!(bool::from(G1::new_jacobian(x + Fq::ONE, y, z).is_none()) || bool::from(z.is_zero()));
        let affine = point.to_affine();
        match Option::from(affine.coordinates()) {
            None => assert!(bool::from(affine.is_identity())),
            Some(coordinates) => {
                let coordinates: pasta_curves::arithmetic::Coordinates<G1Affine> = coordinates;
                assert_eq!(G1Affine::from_xy(*coordinates.x(), *coordinates.y()).unwrap(), affine);
                assert!(bool::from(G1Affine::from_xy(*coordinates.x(), *coordinates.y() + Fq::ONE).is_none()));
            }
        }
    }
    assert_eq!(G1::a(), Fq::ZERO);
    assert_eq!(G1::b(), Fq::from(3));
    assert_eq!(<G1Affine as CurveAffine>::b(), Fq::from(3));
}

#[test]
fn encoding_matches_ark_compressed_and_round_trips() {
    let mut rng = SeededRng::new(6);
    for point in sample_points(&mut rng) {
        let affine = point.to_affine();
        let bytes = affine.to_bytes();
        let mut ark_bytes = Vec::new();
        affine_to_ark(&affine).serialize_compressed(&mut ark_bytes).unwrap();
        assert_eq!(bytes.as_slice(), ark_bytes.as_slice(), "same bytes as arkworks");
        assert_eq!(G1Affine::from_bytes(&bytes).unwrap(), affine);
        assert_eq!(G1::from_bytes(&bytes).unwrap(), point);
        assert_eq!(G1::from_bytes_unchecked(&bytes).unwrap(), point);
        assert_eq!(point.to_bytes(), bytes);
    }
}

/// The field modulus q as 32 little-endian bytes.
fn modulus_bytes() -> [u8; 32] {
    let mut bytes = (-Fq::ONE).to_repr();
    bytes.as_mut()[0] += 1;
    let mut out = [0u8; 32];
    out.copy_from_slice(bytes.as_ref());
    out
}

#[test]
fn malformed_encodings_are_rejected() {
    let mut rng = SeededRng::new(7);
    let identity = G1Affine::identity().to_bytes();
    assert_eq!(identity[31], 0x40);
    for point in sample_points(&mut rng).into_iter().skip(1) {
        let bytes = point.to_affine().to_bytes();
        // Every flag combination other than the point's own.
        for flags in [0x00u8, 0x40, 0x80, 0xc0] {
            let mut flagged = bytes;
            flagged[31] = (flagged[31] & 0x3f) | flags;
            let decoded = G1Affine::from_bytes(&flagged);
            match flags {
                0x00 | 0x80 => {
                    assert_eq!(decoded.unwrap(), if flagged == bytes { point.to_affine() } else { -point.to_affine() })
                }
                _ => assert!(bool::from(decoded.is_none()), "flags {flags:#x} on a point"),
            }
        }
    }
    // The identity flag with anything else set, or together with the y flag.
    for position in 0..32 {
        let mut bad = identity;
        bad[position] |= if position == 31 { 0x01 } else { 0x80 };
        assert!(bool::from(G1Affine::from_bytes(&bad).is_none()), "identity with bit set at {position}");
    }
    let mut both = identity;
    both[31] |= 0x80;
    assert!(bool::from(G1Affine::from_bytes(&both).is_none()), "both flags");
    // x >= q, with and without the y flag.
    let q = modulus_bytes();
    let mut q_plus_one = q;
    q_plus_one[0] += 1;
    let mut all_ones = [0xffu8; 32];
    all_ones[31] = 0x3f;
    for x in [q, q_plus_one, all_ones] {
        for flags in [0x00u8, 0x80] {
            let mut bad = x;
            bad[31] |= flags;
            assert!(bool::from(G1Affine::from_bytes(&bad).is_none()), "non-canonical x");
        }
    }
    // x with x^3 + 3 not a square: no point.
    let mut found = 0;
    for candidate in 1u64..200 {
        let x = Fq::from(candidate);
        if bool::from((x.square() * x + Fq::from(3)).sqrt().is_none()) {
            found += 1;
            let mut bytes = [0u8; 32];
            bytes.copy_from_slice(x.to_repr().as_ref());
            assert!(bool::from(G1Affine::from_bytes(&bytes).is_none()), "x = {candidate} has no y");
            bytes[31] |= 0x80;
            assert!(bool::from(G1Affine::from_bytes(&bytes).is_none()), "x = {candidate} has no y");
        }
    }
    assert!(found > 50);
}

#[test]
fn endomorphism_is_multiplication_by_zeta() {
    let mut rng = SeededRng::new(8);
    assert_eq!(Fq::ZETA.cube(), Fq::ONE);
    assert_ne!(Fq::ZETA, Fq::ONE);
    assert_eq!(Fr::ZETA.cube(), Fr::ONE);
    assert_ne!(Fr::ZETA, Fr::ONE);
    for point in sample_points(&mut rng) {
        let expected = point_to_ark(&point) * field_to_ark::<Fr, ark_bn254::Fr>(Fr::ZETA);
        assert_eq!(point_to_ark(&point.endo()), expected);
        assert_eq!(point.endo(), point * Fr::ZETA);
        let ark_point = point_to_ark(&point).into_affine();
        if let Some((x, y)) = ark_point.xy() {
            let beta: ark_bn254::Fq = field_to_ark(Fq::ZETA);
            assert_eq!(point_from_ark(&ark_bn254::G1Affine::new(x * beta, y).into_group()), point.endo());
        }
    }
}
