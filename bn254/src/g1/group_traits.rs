//! `group` 0.14's traits for [`G1`] and [`G1Affine`]: `Group`, `Curve`,
//! `PrimeGroup`, `PrimeCurve`, `CurveAffine` (hence `PrimeCurveAffine`),
//! the cofactor traits (cofactor 1), conversions and `Default`.

use ark_ec::short_weierstrass::Affine;
use ark_ec::AffineRepr;
use ff::Field;
use group::{
    cofactor::{CofactorCurve, CofactorGroup},
    prime::{PrimeCurve, PrimeGroup},
    Curve, CurveAffine, Group,
};
use rand_core_010::TryRng;
use subtle::{Choice, ConditionallySelectable, CtOption};

use super::{curve_constant_b, G1Affine, G1};
use crate::{Fq, Fr};

impl Group for G1 {
    type Scalar = Fr;

    /// A uniformly random point: a random `x` with `x^3 + 3` a square, and a
    /// random choice of the two square roots (never the identity).
    fn try_random<R: TryRng + ?Sized>(rng: &mut R) -> Result<Self, R::Error> {
        loop {
            let x = Fq::try_random(rng)?;
            let negate_y = Choice::from((rng.try_next_u32()? & 1) as u8);
            let y = (x.square() * x + curve_constant_b()).sqrt();
            if let Some(y) = Option::<Fq>::from(y) {
                let y = Fq::conditional_select(&y, &-y, negate_y);
                return Ok(G1Affine::from_xy_unchecked(x, y).to_curve());
            }
        }
    }

    /// `(1 : 1 : 0)`, ark-ec's form of the identity.
    fn identity() -> Self {
        G1::from_jacobian_unchecked(Fq::ONE, Fq::ONE, Fq::ZERO)
    }

    /// The generator `(1, 2)`.
    fn generator() -> Self {
        G1::from_jacobian_unchecked(Fq::ONE, Fq::from(2), Fq::ONE)
    }

    fn is_identity(&self) -> Choice {
        self.jacobian().2.is_zero()
    }

    /// ark-ec's `dbl-2009-l`.
    fn double(&self) -> Self {
        G1(ark_ff::AdditiveGroup::double(&self.0))
    }
}

impl Curve for G1 {
    type Affine = G1Affine;

    /// Montgomery's trick: one inversion for the whole batch (the fixed
    /// exponentiation of [`Field::invert`]), with the identity skipped by
    /// constant-time selection.
    fn batch_normalize(points: &[Self], affine: &mut [Self::Affine]) {
        assert_eq!(points.len(), affine.len(), "batch_normalize: slices of different lengths");
        // affine[i].x holds the product of the z-coordinates before point i.
        let mut product = Fq::ONE;
        for (point, out) in points.iter().zip(affine.iter_mut()) {
            *out = G1Affine::from_xy_unchecked(product, Fq::ZERO);
            let z = point.jacobian().2;
            product = Fq::conditional_select(&(product * z), &product, point.is_identity());
        }
        let mut inverse = product.invert().unwrap_or(Fq::ZERO);
        for (point, out) in points.iter().zip(affine.iter_mut()).rev() {
            let (x, y, z) = point.jacobian();
            let is_identity = point.is_identity();
            let z_inverse = out.x() * inverse;
            inverse = Fq::conditional_select(&(inverse * z), &inverse, is_identity);
            let z_inverse2 = z_inverse.square();
            let normalized = G1Affine::from_xy_unchecked(x * z_inverse2, y * z_inverse2 * z_inverse);
            *out = G1Affine::conditional_select(&normalized, &G1Affine::identity(), is_identity);
        }
    }

    /// One inversion by the fixed exponentiation of [`Field::invert`].
    fn to_affine(&self) -> Self::Affine {
        let (x, y, z) = self.jacobian();
        let z_inverse = z.invert().unwrap_or(Fq::ZERO);
        let z_inverse2 = z_inverse.square();
        let affine = G1Affine::from_xy_unchecked(x * z_inverse2, y * z_inverse2 * z_inverse);
        G1Affine::conditional_select(&affine, &G1Affine::identity(), z_inverse.is_zero())
    }
}

impl PrimeGroup for G1 {}

impl PrimeCurve for G1 {}

/// G1 has cofactor 1: every point is in the prime-order group.
impl CofactorGroup for G1 {
    type Subgroup = G1;

    fn clear_cofactor(&self) -> Self::Subgroup {
        *self
    }

    fn into_subgroup(self) -> CtOption<Self::Subgroup> {
        CtOption::new(self, Choice::from(1))
    }

    fn is_torsion_free(&self) -> Choice {
        Choice::from(1)
    }
}

impl CofactorCurve for G1 {}

impl CurveAffine for G1Affine {
    type Curve = G1;
    type Scalar = Fr;

    fn identity() -> Self {
        G1Affine(Affine::identity())
    }

    /// The generator `(1, 2)`.
    fn generator() -> Self {
        G1Affine(ark_bn254::G1Affine::generator())
    }

    fn is_identity(&self) -> Choice {
        self.is_identity_flag()
    }

    fn to_curve(&self) -> Self::Curve {
        G1(self.0.into_group())
    }
}

impl Default for G1 {
    /// The identity.
    fn default() -> Self {
        G1::identity()
    }
}

impl Default for G1Affine {
    /// The identity.
    fn default() -> Self {
        G1Affine::identity()
    }
}

impl From<G1Affine> for G1 {
    fn from(point: G1Affine) -> Self {
        point.to_curve()
    }
}

impl From<&G1Affine> for G1 {
    fn from(point: &G1Affine) -> Self {
        point.to_curve()
    }
}

impl From<G1> for G1Affine {
    fn from(point: G1) -> Self {
        point.to_affine()
    }
}

impl From<&G1> for G1Affine {
    fn from(point: &G1) -> Self {
        point.to_affine()
    }
}
