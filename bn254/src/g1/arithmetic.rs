//! Point doubling and addition in Jacobian coordinates for `a = 0`, from the
//! Explicit-Formulas Database (`dbl-2009-l`, `add-2007-bl`, `madd-2007-bl`),
//! with negation, equality and selection.
//!
//! Addition branches on the identity and on equal inputs (the formulas are
//! not complete), so it runs in variable time in which of those cases holds.

use ff::Field;
use group::{CurveAffine as _, Group as _};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::{G1Affine, G1};
use crate::Fq;

impl G1 {
    /// `2 P` (`dbl-2009-l`; G1 has no point of order 2, so only the identity
    /// needs care, and it is selected in constant time).
    pub(crate) fn double_point(&self) -> G1 {
        let a = self.x.square();
        let b = self.y.square();
        let c = b.square();
        let d = (self.x + b).square() - a - c;
        let d = d.double();
        let e = a.double() + a;
        let f = e.square();
        let z3 = (self.z * self.y).double();
        let x3 = f - d.double();
        let c8 = c.double().double().double();
        let y3 = e * (d - x3) - c8;
        let doubled = G1 { x: x3, y: y3, z: z3 };
        G1::conditional_select(&doubled, &G1::identity(), self.is_identity())
    }

    /// `P + Q` for two Jacobian points (`add-2007-bl`).
    pub(crate) fn add_points(&self, rhs: &G1) -> G1 {
        if bool::from(self.is_identity()) {
            return *rhs;
        }
        if bool::from(rhs.is_identity()) {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = rhs.z.square();
        let u1 = self.x * z2z2;
        let u2 = rhs.x * z1z1;
        let s1 = self.y * z2z2 * rhs.z;
        let s2 = rhs.y * z1z1 * self.z;
        if u1 == u2 {
            return if s1 == s2 { self.double_point() } else { G1::identity() };
        }
        let h = u2 - u1;
        let i = h.double().square();
        let j = h * i;
        let r = (s2 - s1).double();
        let v = u1 * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (s1 * j).double();
        let z3 = ((self.z + rhs.z).square() - z1z1 - z2z2) * h;
        G1 { x: x3, y: y3, z: z3 }
    }

    /// `P + Q` for a Jacobian and an affine point (`madd-2007-bl`).
    pub(crate) fn add_mixed(&self, rhs: &G1Affine) -> G1 {
        if bool::from(rhs.is_identity()) {
            return *self;
        }
        if bool::from(self.is_identity()) {
            return rhs.to_curve();
        }
        let z1z1 = self.z.square();
        let u2 = rhs.x * z1z1;
        let s2 = rhs.y * z1z1 * self.z;
        if self.x == u2 {
            return if self.y == s2 { self.double_point() } else { G1::identity() };
        }
        let h = u2 - self.x;
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let r = (s2 - self.y).double();
        let v = self.x * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (self.y * j).double();
        let z3 = (self.z + h).square() - z1z1 - hh;
        G1 { x: x3, y: y3, z: z3 }
    }

    /// `-P`.
    pub(crate) fn negate(&self) -> G1 {
        G1 { x: self.x, y: -self.y, z: self.z }
    }
}

impl G1Affine {
    /// `-P`; the identity `(0, 0)` stays `(0, 0)`.
    pub(crate) fn negate(&self) -> G1Affine {
        G1Affine { x: self.x, y: -self.y }
    }
}

/// Equality of the points stood for, whatever their Jacobian forms:
/// `X1 Z2^2 = X2 Z1^2` and `Y1 Z2^3 = Y2 Z1^3`, or both the identity.
impl ConstantTimeEq for G1 {
    fn ct_eq(&self, other: &Self) -> Choice {
        let z2z2 = other.z.square();
        let z1z1 = self.z.square();
        let x_equal = (self.x * z2z2).ct_eq(&(other.x * z1z1));
        let y_equal = (self.y * z2z2 * other.z).ct_eq(&(other.y * z1z1 * self.z));
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
        G1 {
            x: Fq::conditional_select(&a.x, &b.x, choice),
            y: Fq::conditional_select(&a.y, &b.y, choice),
            z: Fq::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl ConstantTimeEq for G1Affine {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.x.ct_eq(&other.x) & self.y.ct_eq(&other.y)
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
        G1Affine { x: Fq::conditional_select(&a.x, &b.x, choice), y: Fq::conditional_select(&a.y, &b.y, choice) }
    }
}
