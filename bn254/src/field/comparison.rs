//! Equality, constant-time equality and selection, and the order of the
//! field newtypes.
//!
//! ark-ff keeps every element fully reduced in Montgomery form, so two
//! elements are equal exactly when their four Montgomery limbs are; equality
//! and selection work on those limbs with `subtle`, in constant time. The
//! order is that of the canonical integers in `[0, p)` (what `ff_derive`
//! gave, and what `halo2_proofs`' MockProver sorts by); comparing converts
//! out of Montgomery form and runs in variable time.

/// Implements `PartialEq`, `Eq`, `ConstantTimeEq`, `ConditionallySelectable`,
/// `Ord` and `PartialOrd` for `$name`, a newtype over an ark-ff field.
macro_rules! impl_comparison_ {
    ($name:ident) => {
        impl ::subtle::ConstantTimeEq for $name {
            #[inline]
            fn ct_eq(&self, other: &$name) -> ::subtle::Choice {
                let (a, b) = (&(self.0).0 .0, &(other.0).0 .0);
                (0..4).fold(::subtle::Choice::from(1), |equal, i| equal & ::subtle::ConstantTimeEq::ct_eq(&a[i], &b[i]))
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &$name) -> bool {
                ::subtle::ConstantTimeEq::ct_eq(self, other).into()
            }
        }

        impl Eq for $name {}

        impl ::subtle::ConditionallySelectable for $name {
            #[inline]
            fn conditional_select(a: &$name, b: &$name, choice: ::subtle::Choice) -> $name {
                let (a, b) = (&(a.0).0 .0, &(b.0).0 .0);
                let limbs: [u64; 4] = ::core::array::from_fn(|i| {
                    <u64 as ::subtle::ConditionallySelectable>::conditional_select(&a[i], &b[i], choice)
                });
                $name(::ark_ff::Fp::new_unchecked(::ark_ff::BigInt(limbs)))
            }
        }

        /// The order of the canonical integers in `[0, p)`.
        impl Ord for $name {
            #[inline]
            fn cmp(&self, other: &$name) -> ::core::cmp::Ordering {
                // ark-ff orders its fields by the canonical integers too.
                self.0.cmp(&other.0)
            }
        }

        impl PartialOrd for $name {
            #[inline]
            fn partial_cmp(&self, other: &$name) -> Option<::core::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}

pub(crate) use impl_comparison_ as impl_comparison;
