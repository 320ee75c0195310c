//! Equality and constant-time selection of [`G1`] and [`G1Affine`].

use ff::Field;
use group::Group as _;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::{G1Affine, G1};
use crate::Fq;

/// Equality of the points stood for, whatever their Jacobian forms:
/// `X1 Z2^2 = X2 Z1^2` and `Y1 Z2^3 = Y2 Z1^3`, or both the identity.
impl ConstantTimeEq for G1 {
    fn ct_eq(&self, other: &Self) -> Choice {
        let (x1, y1, z1) = self.jacobian();
        let (x2, y2, z2) = other.jacobian();
        let z1z1 = z1.square();
        let z2z2 = z2.square();
        let x_equal = (x1 * z2z2).ct_eq(&(x2 * z1z1));
        let y_equal = (y1 * z2z2 * z2).ct_eq(&(y2 * z1z1 * z1));
        let self_identity = self.is_identity();
        let other_identity = other.is_identity();
        (self_identity & other_identity) | (!self_identity & !other_identity & x_equal & y_equal)
    }
}

impl PartialEq for G1 {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for G1 {}

impl ConditionallySelectable for G1 {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let (ax, ay, az) = a.jacobian();
        let (bx, by, bz) = b.jacobian();
        G1::from_jacobian_unchecked(
            Fq::conditional_select(&ax, &bx, choice),
            Fq::conditional_select(&ay, &by, choice),
            Fq::conditional_select(&az, &bz, choice),
        )
    }
}

/// Equal coordinates (the identity is `(0, 0)`).
impl ConstantTimeEq for G1Affine {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.x().ct_eq(&other.x()) & self.y().ct_eq(&other.y())
    }
}

impl PartialEq for G1Affine {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for G1Affine {}

impl ConditionallySelectable for G1Affine {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        G1Affine::from_xy_unchecked(
            Fq::conditional_select(&a.x(), &b.x(), choice),
            Fq::conditional_select(&a.y(), &b.y(), choice),
        )
    }
}
