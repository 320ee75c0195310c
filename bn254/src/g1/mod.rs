//! BN254's G1: the curve `y^2 = x^3 + 3` over [`Fq`], a group of prime order
//! `r` (the modulus of [`Fr`]) with cofactor 1 and generator `(1, 2)`.
//!
//! [`G1`] holds a point in Jacobian coordinates `(X : Y : Z)`, standing for
//! the affine point `(X / Z^2, Y / Z^3)` (the identity when `Z = 0`), and is
//! the type arithmetic is done in. [`G1Affine`] holds `(x, y)`, with `(0, 0)`
//! (not on the curve) standing for the identity; it is the type stored,
//! encoded and hashed.

mod arithmetic;
mod curve_traits;
mod encoding;
mod group_traits;
mod operators;
mod scalar_mul;

use core::fmt;

use ff::Field;

use crate::{Fq, Fr};

/// A G1 point in Jacobian coordinates: `(X : Y : Z)` stands for the affine
/// point `(X / Z^2, Y / Z^3)`, and any point with `Z = 0` is the identity.
#[derive(Copy, Clone)]
pub struct G1 {
    x: Fq,
    y: Fq,
    z: Fq,
}

/// A G1 point in affine coordinates, or the identity (stored as `(0, 0)`,
/// which is not on the curve).
#[derive(Copy, Clone)]
pub struct G1Affine {
    x: Fq,
    y: Fq,
}

/// The curve constant `b = 3` of `y^2 = x^3 + b`.
pub(crate) fn curve_constant_b() -> Fq {
    Fq::from(3)
}

impl G1Affine {
    /// The affine point `(x, y)` without the curve check; callers must only
    /// pass coordinates on the curve or `(0, 0)`.
    pub(crate) const fn from_xy_unchecked(x: Fq, y: Fq) -> Self {
        G1Affine { x, y }
    }

    /// Whether `y^2 = x^3 + 3`, or this is the identity.
    fn satisfies_curve_equation(&self) -> subtle::Choice {
        use subtle::ConstantTimeEq;
        let is_identity = self.x.is_zero() & self.y.is_zero();
        (self.y.square()).ct_eq(&(self.x.square() * self.x + curve_constant_b())) | is_identity
    }
}

impl G1 {
    /// The point `(X : Y : Z)` without the curve check; callers must only pass
    /// coordinates on the curve or with `Z = 0`.
    pub(crate) const fn from_jacobian_unchecked(x: Fq, y: Fq, z: Fq) -> Self {
        G1 { x, y, z }
    }

    /// Whether `Y^2 = X^3 + 3 Z^6`, or `Z = 0`.
    fn satisfies_curve_equation(&self) -> subtle::Choice {
        use subtle::ConstantTimeEq;
        let z2 = self.z.square();
        let z6 = z2.square() * z2;
        self.y.square().ct_eq(&(self.x.square() * self.x + z6 * curve_constant_b())) | self.z.is_zero()
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
        if bool::from(group::CurveAffine::is_identity(self)) {
            write!(f, "Infinity")
        } else {
            write!(f, "({:?}, {:?})", self.x, self.y)
        }
    }
}
