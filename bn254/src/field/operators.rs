//! The arithmetic operators of the field newtypes, each one ark-ff's:
//! `+`, `-`, `*` for every by-value/by-reference combination, `+=`, `-=`,
//! `*=` by value and by reference, unary `-`, `Sum` and `Product` over
//! anything that borrows as the field, and `From<u64>`.

/// Implements the operators for `$name`, a newtype over an ark-ff field.
macro_rules! impl_operators_ {
    ($name:ident) => {
        $crate::field::impl_operators!(@binary $name, Add, add, AddAssign, add_assign, +=);
        $crate::field::impl_operators!(@binary $name, Sub, sub, SubAssign, sub_assign, -=);
        $crate::field::impl_operators!(@binary $name, Mul, mul, MulAssign, mul_assign, *=);

        impl ::core::ops::Neg for $name {
            type Output = $name;
            #[inline]
            fn neg(self) -> $name {
                $name(-self.0)
            }
        }

        impl ::core::ops::Neg for &$name {
            type Output = $name;
            #[inline]
            fn neg(self) -> $name {
                $name(-self.0)
            }
        }

        impl<T: ::core::borrow::Borrow<$name>> ::core::iter::Sum<T> for $name {
            fn sum<I: Iterator<Item = T>>(iter: I) -> $name {
                iter.fold(<$name as ::ff::Field>::ZERO, |acc, item| acc + item.borrow())
            }
        }

        impl<T: ::core::borrow::Borrow<$name>> ::core::iter::Product<T> for $name {
            fn product<I: Iterator<Item = T>>(iter: I) -> $name {
                iter.fold(<$name as ::ff::Field>::ONE, |acc, item| acc * item.borrow())
            }
        }

        impl From<u64> for $name {
            #[inline]
            fn from(value: u64) -> $name {
                $name(value.into())
            }
        }
    };
    (@binary $name:ident, $trait:ident, $method:ident, $assign_trait:ident, $assign_method:ident, $assign_op:tt) => {
        impl<'b> ::core::ops::$assign_trait<&'b $name> for $name {
            #[inline]
            fn $assign_method(&mut self, rhs: &'b $name) {
                self.0 $assign_op &rhs.0;
            }
        }
        impl ::core::ops::$assign_trait<$name> for $name {
            #[inline]
            fn $assign_method(&mut self, rhs: $name) {
                self.0 $assign_op &rhs.0;
            }
        }
        impl<'a, 'b> ::core::ops::$trait<&'b $name> for &'a $name {
            type Output = $name;
            #[inline]
            fn $method(self, rhs: &'b $name) -> $name {
                let mut result = *self;
                result.0 $assign_op &rhs.0;
                result
            }
        }
        impl<'b> ::core::ops::$trait<&'b $name> for $name {
            type Output = $name;
            #[inline]
            fn $method(mut self, rhs: &'b $name) -> $name {
                self.0 $assign_op &rhs.0;
                self
            }
        }
        impl<'a> ::core::ops::$trait<$name> for &'a $name {
            type Output = $name;
            #[inline]
            fn $method(self, rhs: $name) -> $name {
                let mut result = *self;
                result.0 $assign_op &rhs.0;
                result
            }
        }
        impl ::core::ops::$trait<$name> for $name {
            type Output = $name;
            #[inline]
            fn $method(mut self, rhs: $name) -> $name {
                self.0 $assign_op &rhs.0;
                self
            }
        }
    };
}

pub(crate) use impl_operators_ as impl_operators;
