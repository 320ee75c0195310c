//! `pasta_curves`' `CurveExt` for [`G1`] and `CurveAffine` for
//! [`G1Affine`]: the traits `halo2_proofs` 0.4 takes its curve through.

use ff::{Field, WithSmallOrderMulGroup};
use group::CurveAffine as _;
use pasta_curves::arithmetic::{Coordinates, CurveAffine, CurveExt, VartimeField};
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
        G1::from_jacobian_unchecked(self.x * Fq::ZETA, self.y, self.z)
    }

    fn jacobian_coordinates(&self) -> (Fq, Fq, Fq) {
        (self.x, self.y, self.z)
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

    fn to_affine_vartime(&self) -> G1Affine {
        match self.z.invert_vartime() {
            None => G1Affine::identity(),
            Some(z_inverse) => {
                let z_inverse2 = z_inverse.square();
                G1Affine::from_xy_unchecked(self.x * z_inverse2, self.y * z_inverse2 * z_inverse)
            }
        }
    }

    /// Montgomery's trick with one inversion, skipping identities by branch.
    fn batch_normalize_vartime(points: &[Self], affine: &mut [G1Affine]) {
        assert_eq!(points.len(), affine.len(), "batch_normalize_vartime: slices of different lengths");
        // affine[i].x holds the product of the nonzero z-coordinates before point i.
        let mut product = Fq::ONE;
        for (point, out) in points.iter().zip(affine.iter_mut()) {
            out.x = product;
            if !point.z.is_zero_vartime() {
                product *= point.z;
            }
        }
        let Some(mut inverse) = product.invert_vartime() else {
            // Unreachable: the product of nonzero elements is nonzero.
            affine.fill(G1Affine::identity());
            return;
        };
        for (point, out) in points.iter().zip(affine.iter_mut()).rev() {
            if point.z.is_zero_vartime() {
                *out = G1Affine::identity();
            } else {
                let z_inverse = out.x * inverse;
                inverse *= point.z;
                let z_inverse2 = z_inverse.square();
                *out = G1Affine::from_xy_unchecked(point.x * z_inverse2, point.y * z_inverse2 * z_inverse);
            }
        }
    }
}

impl CurveAffine for G1Affine {
    type ScalarExt = Fr;
    type Base = Fq;
    type CurveExt = G1;

    fn coordinates(&self) -> CtOption<Coordinates<Self>> {
        let coordinates = Coordinates::from_xy(self.x, self.y);
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
