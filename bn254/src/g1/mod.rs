//! BN254's G1: the curve `y^2 = x^3 + 3` over [`Fq`], a group of prime order
//! `r` (the modulus of [`Fr`]) with cofactor 1 and generator `(1, 2)`.
//!
//! [`G1`] is a newtype over ark-bn254's `G1Projective`, a point in Jacobian
//! coordinates `(X : Y : Z)` standing for the affine point `(X / Z^2, Y /
//! Z^3)` (the identity when `Z = 0`); it is the type arithmetic is done in,
//! with ark-ec's formulas (`dbl-2009-l` doubling, `add-2007-bl` addition,
//! `madd-2007-bl` mixed addition with an affine point). [`G1Affine`] is a
//! newtype over ark-bn254's `G1Affine`, `(x, y)` or the identity, which
//! ark-bn254 stores as `(0, 0)` (not on the curve); it is the type stored,
//! encoded and hashed.

mod curve_traits;
mod encoding;
mod equality;
mod group_traits;
mod operators;
mod scalar_mul;

use core::fmt;

use ark_ec::short_weierstrass::{Affine, Projective};
use ff::Field;
use subtle::{Choice, ConstantTimeEq};

use crate::{Fq, Fr};

/// A G1 point in Jacobian coordinates: `(X : Y : Z)` stands for the affine
/// point `(X / Z^2, Y / Z^3)`, and any point with `Z = 0` is the identity.
#[derive(Copy, Clone)]
pub struct G1(pub(crate) ark_bn254::G1Projective);

/// A G1 point in affine coordinates, or the identity (stored as `(0, 0)`,
/// which is not on the curve).
#[derive(Copy, Clone)]
pub struct G1Affine(pub(crate) ark_bn254::G1Affine);

/// The curve constant `b = 3` of `y^2 = x^3 + b`.
pub(crate) fn curve_constant_b() -> Fq {
    Fq::from(3)
}

impl G1Affine {
    /// The affine point `(x, y)` without the curve check; callers must only
    /// pass coordinates on the curve or `(0, 0)`, the identity.
    pub(crate) const fn from_xy_unchecked(x: Fq, y: Fq) -> Self {
        G1Affine(Affine::new_unchecked(x.0, y.0))
    }

    /// The `x` coordinate (zero for the identity).
    pub(crate) fn x(&self) -> Fq {
        Fq(self.0.x)
    }

    /// The `y` coordinate (zero for the identity).
    pub(crate) fn y(&self) -> Fq {
        Fq(self.0.y)
    }

    /// Whether this is the identity, `(0, 0)`.
    pub(crate) fn is_identity_flag(&self) -> Choice {
        self.x().is_zero() & self.y().is_zero()
    }

    /// Whether `y^2 = x^3 + 3`, or this is the identity.
    fn satisfies_curve_equation(&self) -> Choice {
        let (x, y) = (self.x(), self.y());
        y.square().ct_eq(&(x.square() * x + curve_constant_b())) | self.is_identity_flag()
    }
}

impl G1 {
    /// The point `(X : Y : Z)` without the curve check; callers must only pass
    /// coordinates on the curve or with `Z = 0`.
    pub(crate) const fn from_jacobian_unchecked(x: Fq, y: Fq, z: Fq) -> Self {
        G1(Projective::new_unchecked(x.0, y.0, z.0))
    }

    /// The Jacobian coordinates `(X, Y, Z)`.
    pub(crate) fn jacobian(&self) -> (Fq, Fq, Fq) {
        (Fq(self.0.x), Fq(self.0.y), Fq(self.0.z))
    }

    /// Whether `Y^2 = X^3 + 3 Z^6`, or `Z = 0`.
    fn satisfies_curve_equation(&self) -> Choice {
        let (x, y, z) = self.jacobian();
        let z2 = z.square();
        let z6 = z2.square() * z2;
        y.square().ct_eq(&(x.square() * x + z6 * curve_constant_b())) | z.is_zero()
    }

    /// Multiplies by a scalar in variable time: GLV decomposition of the
    /// scalar into two halves of about 128 bits each, then a joint width-5
    /// NAF over this point and its endomorphism image (`scalar_mul`).
    pub fn mul_vartime(&self, scalar: &Fr) -> G1 {
        scalar_mul::mul_vartime(self, scalar)
    }
}

/// Prints the affine point, so that every Jacobian form of one point prints
/// the same: `Infinity` or `(x, y)` with the coordinates' [`Fq`] `Debug`.
impl fmt::Debug for G1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&group::Curve::to_affine(self), f)
    }
}

/// `Infinity` for the identity, `(x, y)` otherwise, each coordinate printed
/// with [`Fq`]'s `Debug` (`0x` and the canonical value as 64 lowercase hex
/// digits, most significant first). halo2 hashes this text into each
/// verifying key's transcript representative, so it is part of key identity
/// and pinned by a golden test.
impl fmt::Debug for G1Affine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if bool::from(self.is_identity_flag()) {
            write!(f, "Infinity")
        } else {
            write!(f, "({:?}, {:?})", self.x(), self.y())
        }
    }
}
