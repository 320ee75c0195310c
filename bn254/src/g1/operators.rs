//! The operator impls `group` asks for: `+`, `-` between any mix of [`G1`]
//! and [`G1Affine`] (by value or by reference, the result projective),
//! `+=`/`-=` on [`G1`], unary `-`, `* Fr` and `*= Fr`, and `Sum`.
//!
//! Additions are ark-ec's: `add-2007-bl` between projective points and
//! `madd-2007-bl` when one side is affine. Both branch on an identity input
//! and on equal inputs (doubling then); see the crate documentation.

use core::borrow::Borrow;
use core::iter::Sum;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use group::Group;

use super::{G1Affine, G1};
use crate::Fr;

/// Implements `Add` and `Sub` for every by-value/by-reference combination of
/// `$lhs` and `$rhs`, given the ark-ec sum of `&$lhs` and `&$rhs` as `$add`.
macro_rules! impl_additive_operators {
    ($lhs:ty, $rhs:ty, $add:expr) => {
        impl<'a, 'b> Add<&'b $rhs> for &'a $lhs {
            type Output = G1;
            #[inline]
            fn add(self, rhs: &'b $rhs) -> G1 {
                G1($add(self, rhs))
            }
        }
        impl<'b> Add<&'b $rhs> for $lhs {
            type Output = G1;
            #[inline]
            fn add(self, rhs: &'b $rhs) -> G1 {
                &self + rhs
            }
        }
        impl<'a> Add<$rhs> for &'a $lhs {
            type Output = G1;
            #[inline]
            fn add(self, rhs: $rhs) -> G1 {
                self + &rhs
            }
        }
        impl Add<$rhs> for $lhs {
            type Output = G1;
            #[inline]
            fn add(self, rhs: $rhs) -> G1 {
                &self + &rhs
            }
        }
        impl<'a, 'b> Sub<&'b $rhs> for &'a $lhs {
            type Output = G1;
            #[inline]
            fn sub(self, rhs: &'b $rhs) -> G1 {
                self + &(-rhs)
            }
        }
        impl<'b> Sub<&'b $rhs> for $lhs {
            type Output = G1;
            #[inline]
            fn sub(self, rhs: &'b $rhs) -> G1 {
                &self - rhs
            }
        }
        impl<'a> Sub<$rhs> for &'a $lhs {
            type Output = G1;
            #[inline]
            fn sub(self, rhs: $rhs) -> G1 {
                self - &rhs
            }
        }
        impl Sub<$rhs> for $lhs {
            type Output = G1;
            #[inline]
            fn sub(self, rhs: $rhs) -> G1 {
                &self - &rhs
            }
        }
    };
}

impl_additive_operators!(G1, G1, |lhs: &G1, rhs: &G1| lhs.0 + rhs.0);
impl_additive_operators!(G1, G1Affine, |lhs: &G1, rhs: &G1Affine| lhs.0 + rhs.0);
impl_additive_operators!(G1Affine, G1, |lhs: &G1Affine, rhs: &G1| rhs.0 + lhs.0);
impl_additive_operators!(G1Affine, G1Affine, |lhs: &G1Affine, rhs: &G1Affine| lhs.0 + rhs.0);

/// Implements `+=` and `-=` on [`G1`] for `$rhs` by value and by reference,
/// in place with ark-ec's `+=`.
macro_rules! impl_assign_operators {
    ($rhs:ty) => {
        impl<'b> AddAssign<&'b $rhs> for G1 {
            #[inline]
            fn add_assign(&mut self, rhs: &'b $rhs) {
                self.0 += &rhs.0;
            }
        }
        impl AddAssign<$rhs> for G1 {
            #[inline]
            fn add_assign(&mut self, rhs: $rhs) {
                self.0 += &rhs.0;
            }
        }
        impl<'b> SubAssign<&'b $rhs> for G1 {
            #[inline]
            fn sub_assign(&mut self, rhs: &'b $rhs) {
                self.0 += &(-*rhs).0;
            }
        }
        impl SubAssign<$rhs> for G1 {
            #[inline]
            fn sub_assign(&mut self, rhs: $rhs) {
                self.0 += &(-rhs).0;
            }
        }
    };
}

impl_assign_operators!(G1);
impl_assign_operators!(G1Affine);

impl Neg for &G1 {
    type Output = G1;
    #[inline]
    fn neg(self) -> G1 {
        G1(-self.0)
    }
}

impl Neg for G1 {
    type Output = G1;
    #[inline]
    fn neg(self) -> G1 {
        G1(-self.0)
    }
}

/// `-P`; the identity stays the identity.
impl Neg for &G1Affine {
    type Output = G1Affine;
    #[inline]
    fn neg(self) -> G1Affine {
        G1Affine(-self.0)
    }
}

impl Neg for G1Affine {
    type Output = G1Affine;
    #[inline]
    fn neg(self) -> G1Affine {
        G1Affine(-self.0)
    }
}

/// Implements `* Fr` for `$point` by value and by reference, through
/// [`G1::mul_vartime`] on the point made projective by `$to_projective`.
macro_rules! impl_scalar_multiplication {
    ($point:ty, $to_projective:expr) => {
        impl<'a, 'b> Mul<&'b Fr> for &'a $point {
            type Output = G1;
            fn mul(self, scalar: &'b Fr) -> G1 {
                $to_projective(self).mul_vartime(scalar)
            }
        }
        impl<'b> Mul<&'b Fr> for $point {
            type Output = G1;
            fn mul(self, scalar: &'b Fr) -> G1 {
                &self * scalar
            }
        }
        impl<'a> Mul<Fr> for &'a $point {
            type Output = G1;
            fn mul(self, scalar: Fr) -> G1 {
                self * &scalar
            }
        }
        impl Mul<Fr> for $point {
            type Output = G1;
            fn mul(self, scalar: Fr) -> G1 {
                &self * &scalar
            }
        }
    };
}

impl_scalar_multiplication!(G1, |point: &G1| *point);
impl_scalar_multiplication!(G1Affine, group::CurveAffine::to_curve);

impl MulAssign<Fr> for G1 {
    fn mul_assign(&mut self, scalar: Fr) {
        *self = self.mul_vartime(&scalar);
    }
}

impl<'b> MulAssign<&'b Fr> for G1 {
    fn mul_assign(&mut self, scalar: &'b Fr) {
        *self = self.mul_vartime(scalar);
    }
}

impl<T: Borrow<G1>> Sum<T> for G1 {
    fn sum<I: Iterator<Item = T>>(iter: I) -> Self {
        iter.fold(G1::identity(), |mut acc, point| {
            acc += point.borrow();
            acc
        })
    }
}
