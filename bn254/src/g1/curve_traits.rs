//! `pasta_curves`' `CurveExt` for [`G1`] and `CurveAffine` for
//! [`G1Affine`]: the traits `halo2_proofs` 0.4 takes its curve through.

use ark_ec::CurveGroup;
use ff::{Field, WithSmallOrderMulGroup};
use group::CurveAffine as _;
use pasta_curves::arithmetic::{Coordinates, CurveAffine, CurveExt};
use subtle::{Choice, CtOption};

use super::{curve_constant_b, G1Affine, G1};
use crate::{hash_to_curve, Fq, Fr};

impl CurveExt for G1 {
    type ScalarExt = Fr;
    type Base = Fq;
    type AffineExt = G1Affine;

    /// The curve's name in hash-to-curve domain separation tags:
    /// [`CurveExt::hash_to_curve`] uses `{domain_prefix}-BN254G1_XMD:SHA-256_SVDW_RO_`.
    const CURVE_ID: &'static str = "BN254G1";

    /// `(x, y) -> (Fq::ZETA * x, y)`, which equals multiplication by
    /// `Fr::ZETA`: in Jacobian coordinates, `X` times `Fq::ZETA`.
    fn endo(&self) -> Self {
        let (x, y, z) = self.jacobian();
        G1::from_jacobian_unchecked(x * Fq::ZETA, y, z)
    }

    fn jacobian_coordinates(&self) -> (Fq, Fq, Fq) {
        self.jacobian()
    }

    /// RFC 9380's `BN254G1_XMD:SHA-256_SVDW_RO_` suite with the domain
    /// separation tag `{domain_prefix}-BN254G1_XMD:SHA-256_SVDW_RO_` (see
    /// [`hash_to_curve`](crate::hash_to_curve)).
    fn hash_to_curve<'a>(domain_prefix: &'a str) -> Box<dyn Fn(&[u8]) -> Self + 'a> {
        let hasher = hash_to_curve::HashToCurve::new(&hash_to_curve::domain_separation_tag(domain_prefix));
        Box::new(move |message| hasher.hash(message))
    }

    fn is_on_curve(&self) -> Choice {
        self.satisfies_curve_equation()
    }

    /// `a = 0`.
    fn a() -> Fq {
        Fq::ZERO
    }

    /// `b = 3`.
    fn b() -> Fq {
        curve_constant_b()
    }

    fn new_jacobian(x: Fq, y: Fq, z: Fq) -> CtOption<Self> {
        let point = G1::from_jacobian_unchecked(x, y, z);
        CtOption::new(point, point.satisfies_curve_equation())
    }

    /// ark-ec's conversion: one inversion by ark-ff's binary extended
    /// Euclidean algorithm (variable time).
    fn to_affine_vartime(&self) -> G1Affine {
        G1Affine(self.0.into_affine())
    }

    /// ark-ec's `normalize_batch`: Montgomery's trick with one inversion by
    /// ark-ff's binary extended Euclidean algorithm (variable time).
    fn batch_normalize_vartime(points: &[Self], affine: &mut [G1Affine]) {
        assert_eq!(points.len(), affine.len(), "batch_normalize_vartime: slices of different lengths");
        let projective: Vec<ark_bn254::G1Projective> = points.iter().map(|point| point.0).collect();
        for (out, normalized) in affine.iter_mut().zip(ark_bn254::G1Projective::normalize_batch(&projective)) {
            *out = G1Affine(normalized);
        }
    }
}

impl CurveAffine for G1Affine {
    type ScalarExt = Fr;
    type Base = Fq;
    type CurveExt = G1;

    fn coordinates(&self) -> CtOption<Coordinates<Self>> {
        let coordinates = Coordinates::from_xy(self.x(), self.y());
        CtOption::new(coordinates.unwrap_or(Coordinates::default()), coordinates.is_some() & !self.is_identity())
    }

    fn from_xy(x: Fq, y: Fq) -> CtOption<Self> {
        let point = G1Affine::from_xy_unchecked(x, y);
        CtOption::new(point, point.satisfies_curve_equation())
    }

    fn is_on_curve(&self) -> Choice {
        self.satisfies_curve_equation()
    }

    /// `a = 0`.
    fn a() -> Fq {
        Fq::ZERO
    }

    /// `b = 3`.
    fn b() -> Fq {
        curve_constant_b()
    }
}
