//! The operator impls `group` asks for: `+`, `-` between any mix of [`G1`]
//! and [`G1Affine`] (by value or by reference, the result projective),
//! `+=`/`-=` on [`G1`], unary `-`, `* Fr` and `*= Fr`, and `Sum`.

use core::borrow::Borrow;
use core::iter::Sum;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use group::Group;

use super::{G1Affine, G1};
use crate::Fr;

/// Implements `Add` and `Sub` for every by-value/by-reference combination of
/// `$lhs` and `$rhs`, given `Add` for `&$lhs + &$rhs` as `$add` and negation
/// of `$rhs`.
macro_rules! impl_additive_operators {
    ($lhs:ty, $rhs:ty, $add:expr) => {
        impl<'a, 'b> Add<&'b $rhs> for &'a $lhs {
            type Output = G1;
            fn add(self, rhs: &'b $rhs) -> G1 {
                $add(self, rhs)
            }
        }
        impl<'b> Add<&'b $rhs> for $lhs {
            type Output = G1;
            fn add(self, rhs: &'b $rhs) -> G1 {
                &self + rhs
            }
        }
        impl<'a> Add<$rhs> for &'a $lhs {
            type Output = G1;
            fn add(self, rhs: $rhs) -> G1 {
                self + &rhs
            }
        }
        impl Add<$rhs> for $lhs {
            type Output = G1;
            fn add(self, rhs: $rhs) -> G1 {
                &self + &rhs
            }
        }
        impl<'a, 'b> Sub<&'b $rhs> for &'a $lhs {
            type Output = G1;
            fn sub(self, rhs: &'b $rhs) -> G1 {
                self + &(-rhs)
            }
        }
        impl<'b> Sub<&'b $rhs> for $lhs {
            type Output = G1;
            fn sub(self, rhs: &'b $rhs) -> G1 {
                &self - rhs
            }
        }
        impl<'a> Sub<$rhs> for &'a $lhs {
            type Output = G1;
            fn sub(self, rhs: $rhs) -> G1 {
                self - &rhs
            }
        }
        impl Sub<$rhs> for $lhs {
            type Output = G1;
            fn sub(self, rhs: $rhs) -> G1 {
                &self - &rhs
            }
        }
    };
}

impl_additive_operators!(G1, G1, |lhs: &G1, rhs: &G1| lhs.add_points(rhs));
impl_additive_operators!(G1, G1Affine, |lhs: &G1, rhs: &G1Affine| lhs.add_mixed(rhs));
impl_additive_operators!(G1Affine, G1, |lhs: &G1Affine, rhs: &G1| rhs.add_mixed(lhs));
impl_additive_operators!(G1Affine, G1Affine, |lhs: &G1Affine, rhs: &G1Affine| {
    group::CurveAffine::to_curve(lhs).add_mixed(rhs)
});

/// Implements `+=` and `-=` on [`G1`] for `$rhs` by value and by reference.
macro_rules! impl_assign_operators {
    ($rhs:ty) => {
        impl AddAssign<$rhs> for G1 {
            fn add_assign(&mut self, rhs: $rhs) {
                *self = &*self + &rhs;
            }
        }
        impl<'b> AddAssign<&'b $rhs> for G1 {
            fn add_assign(&mut self, rhs: &'b $rhs) {
                *self = &*self + rhs;
            }
        }
        impl SubAssign<$rhs> for G1 {
            fn sub_assign(&mut self, rhs: $rhs) {
                *self = &*self - &rhs;
            }
        }
        impl<'b> SubAssign<&'b $rhs> for G1 {
            fn sub_assign(&mut self, rhs: &'b $rhs) {
                *self = &*self - rhs;
            }
        }
    };
}

impl_assign_operators!(G1);
impl_assign_operators!(G1Affine);

impl Neg for &G1 {
    type Output = G1;
    fn neg(self) -> G1 {
        self.negate()
    }
}

impl Neg for G1 {
    type Output = G1;
    fn neg(self) -> G1 {
        self.negate()
    }
}

impl Neg for &G1Affine {
    type Output = G1Affine;
    fn neg(self) -> G1Affine {
        self.negate()
    }
}

impl Neg for G1Affine {
    type Output = G1Affine;
    fn neg(self) -> G1Affine {
        self.negate()
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
        iter.fold(G1::identity(), |acc, point| acc + point.borrow())
    }
}
