//! Baby Jubjub points in projective coordinates `(X : Y : Z)`, `x = X / Z`,
//! `y = Y / Z`: the same complete addition law as [`Point::add`] without a
//! field inversion per addition, for chains of additions (scalar
//! multiplication, the fixed-base tables of the circuit) that return to
//! affine coordinates once, or with one inversion for many points
//! ([`to_affine_batch`]).
//!
//! The addition is the homogenised twisted Edwards law (Bernstein, Birkner,
//! Joye, Lange, Peters, "Twisted Edwards curves", 2008, section 6):
//! `A = Z1 Z2`, `B = A^2`, `C = X1 X2`, `D = Y1 Y2`, `E = d C D`,
//! `F = B - E`, `G = B + E`, `X3 = A F ((X1 + Y1)(X2 + Y2) - C - D)`,
//! `Y3 = A G (D - a C)`, `Z3 = F G`. Dividing out `Z3` gives
//! [`Point::add`]'s `x3 = (x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2)` and
//! `y3 = (y1 y2 - a x1 x2) / (1 - d x1 x2 y1 y2)`. On the curve the
//! denominators never vanish (`a` is a square, `d` is not), so `Z` stays
//! nonzero; off the curve `Z` can reach zero, which [`ProjectivePoint::to_affine`]
//! maps to `(0, 0)` as [`Point::add`] maps a vanishing denominator to zero.

use ark_ff::{Field, One, Zero};
use num_bigint::BigUint;

use super::{Point, COEFF_A, COEFF_D};
use crate::Fr;

/// A point `(X : Y : Z)`.
#[derive(Debug, Clone, Copy)]
pub struct ProjectivePoint {
    x: Fr,
    y: Fr,
    z: Fr,
}

impl ProjectivePoint {
    /// The neutral element `(0 : 1 : 1)`.
    pub fn identity() -> Self {
        Self { x: Fr::zero(), y: Fr::one(), z: Fr::one() }
    }

    /// The affine point `p` as `(x : y : 1)`.
    pub fn from_affine(p: &Point) -> Self {
        Self { x: p.x, y: p.y, z: Fr::one() }
    }

    /// The complete addition (see the module documentation).
    pub fn add(&self, other: &Self) -> Self {
        let a = self.z * other.z;
        let b = a.square();
        let c = self.x * other.x;
        let d = self.y * other.y;
        let e = Fr::from(COEFF_D) * c * d;
        let f = b - e;
        let g = b + e;
        let x = a * f * ((self.x + self.y) * (other.x + other.y) - c - d);
        let y = a * g * (d - Fr::from(COEFF_A) * c);
        Self { x, y, z: f * g }
    }

    /// The point doubled.
    pub fn double(&self) -> Self {
        self.add(self)
    }

    /// `k * self` by double-and-add, as [`Point::mul`].
    pub fn mul(&self, k: &BigUint) -> Self {
        let mut acc = Self::identity();
        for i in (0..k.bits()).rev() {
            acc = acc.double();
            if k.bit(i) {
                acc = acc.add(self);
            }
        }
        acc
    }

    /// The affine point (one inversion); `(0, 0)` when `Z` is zero, which
    /// happens only off the curve.
    pub fn to_affine(&self) -> Point {
        let inverse = self.z.inverse().unwrap_or_default();
        Point::new(self.x * inverse, self.y * inverse)
    }
}

/// Every point in affine coordinates, with one inversion for all
/// (Montgomery's trick, `ark_ff::batch_inversion`); a point with `Z = 0`
/// (only off the curve) becomes `(0, 0)`, as in
/// [`ProjectivePoint::to_affine`].
pub fn to_affine_batch(points: &[ProjectivePoint]) -> Vec<Point> {
    let mut inverses: Vec<Fr> = points.iter().map(|p| p.z).collect();
    // Zeros stay zero.
    ark_ff::batch_inversion(&mut inverses);
    points.iter().zip(inverses).map(|(p, inverse)| Point::new(p.x * inverse, p.y * inverse)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::UniformRand;
    use rand::SeedableRng;

    /// Double-and-add with the affine law, one inversion per step: what
    /// [`Point::mul`] did before it went projective.
    fn affine_mul(p: &Point, k: &BigUint) -> Point {
        let mut acc = Point::identity();
        for i in (0..k.bits()).rev() {
            acc = acc.add(&acc);
            if k.bit(i) {
                acc = acc.add(p);
            }
        }
        acc
    }

    #[test]
    fn agrees_with_the_affine_law() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(21);
        let b8 = Point::base8();
        let mut points = Vec::new();
        for _ in 0..20 {
            let k = BigUint::from(u128::rand(&mut rng));
            let p = ProjectivePoint::from_affine(&b8).mul(&k);
            assert_eq!(p.to_affine(), affine_mul(&b8, &k));
            assert!(p.to_affine().is_on_curve());
            points.push(p);
        }
        let affine: Vec<Point> = points.iter().map(ProjectivePoint::to_affine).collect();
        assert_eq!(to_affine_batch(&points), affine);
        for pair in affine.windows(2) {
            let sum = ProjectivePoint::from_affine(&pair[0]).add(&ProjectivePoint::from_affine(&pair[1]));
            assert_eq!(sum.to_affine(), pair[0].add(&pair[1]));
        }
        // The identity, doubling and a point plus its negation.
        let p = affine[0];
        let identity = ProjectivePoint::identity();
        assert_eq!(identity.add(&ProjectivePoint::from_affine(&p)).to_affine(), p);
        assert_eq!(ProjectivePoint::from_affine(&p).double().to_affine(), p.add(&p));
        assert_eq!(
            ProjectivePoint::from_affine(&p).add(&ProjectivePoint::from_affine(&p.neg())).to_affine(),
            Point::identity()
        );
        assert_eq!(ProjectivePoint::from_affine(&p).mul(&BigUint::from(0u8)).to_affine(), Point::identity());
    }

    #[test]
    fn a_vanishing_z_gives_zero_as_the_affine_law_does() {
        let zero = ProjectivePoint { x: Fr::one(), y: Fr::one(), z: Fr::zero() };
        assert_eq!(zero.to_affine(), Point::new(Fr::zero(), Fr::zero()));
        let on_curve = ProjectivePoint::from_affine(&Point::base8());
        let batch = to_affine_batch(&[on_curve, zero, on_curve]);
        assert_eq!(batch, vec![Point::base8(), Point::new(Fr::zero(), Fr::zero()), Point::base8()]);
    }
}
