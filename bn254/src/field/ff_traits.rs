//! `ff`'s field traits for the field newtypes, and `pasta_curves`'
//! `VartimeField`.
//!
//! What is not ark-ff's own arithmetic keeps the behaviour `ff_derive` gave,
//! so that every value this crate produced before is produced again:
//!
//! * `try_random` draws four 64-bit limbs, clears the top two bits and
//!   rejects values at or above `p`, taking the limbs as the Montgomery form;
//! * `invert` is the fixed exponentiation `a^(p - 2)` (the same
//!   multiplications for every input), and so is
//!   `VartimeField::invert_vartime`;
//! * square roots are the field's `$square_root` (`ff`'s constant-time
//!   Tonelli-Shanks for `Fr`, `a^((q + 1) / 4)` for `Fq`), and `sqrt_ratio`
//!   is `ff`'s generic one over them;
//! * `from_uniform_bytes` reduces 64 little-endian bytes modulo `p`.

/// Implements `Default` (zero), `Field`, `PrimeField`, `PrimeFieldBits`,
/// `FromUniformBytes<64>`, `WithSmallOrderMulGroup<3>` and `VartimeField`
/// for `$name`, a newtype over the ark-ff field `$ark` (see
/// `define_prime_field!` for the arguments).
macro_rules! impl_ff_traits_ {
    (
        $name:ident over $ark:ty,
        modulus: $modulus_hex:literal,
        multiplicative_generator: $generator:literal,
        two_adicity: $two_adicity:literal,
        root_of_unity: $root_of_unity:literal,
        root_of_unity_inverse: $root_of_unity_inverse:literal,
        delta: $delta:literal,
        two_inverse: $two_inverse:literal,
        zeta: $zeta:literal,
        square_root: $square_root:path $(,)?
    ) => {
        impl $name {
            /// The modulus as little-endian 64-bit limbs.
            const MODULUS_LIMBS: [u64; 4] = <$ark as ::ark_ff::PrimeField>::MODULUS.0;
            /// `p - 2`, the exponent of [`ff::Field::invert`].
            const INVERSION_EXPONENT: [u64; 4] =
                $crate::field::modulus_minus_two(<$ark as ::ark_ff::PrimeField>::MODULUS);

            /// Whether little-endian limbs are below the modulus, in
            /// constant time.
            fn limbs_below_modulus(limbs: &[u64; 4]) -> ::subtle::Choice {
                // The borrow out of `limbs - modulus` is set exactly when limbs < modulus.
                let mut borrow = 0u64;
                for (limb, modulus_limb) in limbs.iter().zip(Self::MODULUS_LIMBS.iter()) {
                    let (difference, borrow_1) = limb.overflowing_sub(*modulus_limb);
                    let (_, borrow_2) = difference.overflowing_sub(borrow);
                    borrow = u64::from(borrow_1 | borrow_2);
                }
                ::subtle::Choice::from(borrow as u8)
            }
        }

        impl Default for $name {
            /// Zero.
            #[inline]
            fn default() -> $name {
                <$name as ::ff::Field>::ZERO
            }
        }

        impl ::ff::Field for $name {
            const ZERO: $name = $name(::ark_ff::MontFp!("0"));
            const ONE: $name = $name(::ark_ff::MontFp!("1"));

            /// Rejection sampling, as `ff_derive` does it (module
            /// documentation).
            fn try_random<R: ::rand_core_010::TryRng + ?Sized>(rng: &mut R) -> Result<$name, R::Error> {
                loop {
                    let mut limbs = [0u64; 4];
                    for limb in limbs.iter_mut() {
                        *limb = rng.try_next_u64()?;
                    }
                    // p < 2^254: the top two bits are never set.
                    limbs[3] &= u64::MAX >> 2;
                    if bool::from($name::limbs_below_modulus(&limbs)) {
                        return Ok($name(::ark_ff::Fp::new_unchecked(::ark_ff::BigInt(limbs))));
                    }
                }
            }

            #[inline]
            fn is_zero_vartime(&self) -> bool {
                ::ark_ff::Zero::is_zero(&self.0)
            }

            #[inline]
            fn square(&self) -> $name {
                $name(::ark_ff::Field::square(&self.0))
            }

            #[inline]
            fn double(&self) -> $name {
                $name(::ark_ff::AdditiveGroup::double(&self.0))
            }

            /// `a^(p - 2)`: the same squarings and multiplications for
            /// every input.
            fn invert(&self) -> ::subtle::CtOption<$name> {
                let inverse = $name(::ark_ff::Field::pow(&self.0, $name::INVERSION_EXPONENT));
                ::subtle::CtOption::new(inverse, !::ff::Field::is_zero(self))
            }

            fn sqrt_ratio(numerator: &$name, denominator: &$name) -> (::subtle::Choice, $name) {
                ::ff::helpers::sqrt_ratio_generic(numerator, denominator)
            }

            fn sqrt(&self) -> ::subtle::CtOption<$name> {
                $square_root(self)
            }
        }

        impl ::ff::PrimeField for $name {
            /// The canonical integer, 32 bytes little-endian.
            type Repr = [u8; 32];

            fn from_repr(repr: [u8; 32]) -> ::subtle::CtOption<$name> {
                let limbs: [u64; 4] =
                    ::core::array::from_fn(|i| u64::from_le_bytes(::core::array::from_fn(|j| repr[8 * i + j])));
                let is_canonical = $name::limbs_below_modulus(&limbs);
                // A non-canonical input is replaced by zero before conversion.
                let limbs: [u64; 4] = ::core::array::from_fn(|i| {
                    <u64 as ::subtle::ConditionallySelectable>::conditional_select(&0, &limbs[i], is_canonical)
                });
                let value = <$ark as ::ark_ff::PrimeField>::from_bigint(::ark_ff::BigInt(limbs))
                    .unwrap_or(<$ark as ::ark_ff::AdditiveGroup>::ZERO);
                ::subtle::CtOption::new($name(value), is_canonical)
            }

            fn to_repr(&self) -> [u8; 32] {
                let limbs = ::ark_ff::PrimeField::into_bigint(self.0).0;
                ::core::array::from_fn(|i| limbs[i / 8].to_le_bytes()[i % 8])
            }

            #[inline]
            fn is_odd(&self) -> ::subtle::Choice {
                ::subtle::Choice::from((::ark_ff::PrimeField::into_bigint(self.0).0[0] & 1) as u8)
            }

            const MODULUS: &'static str = $modulus_hex;
            const NUM_BITS: u32 = <$ark as ::ark_ff::PrimeField>::MODULUS_BIT_SIZE;
            const CAPACITY: u32 = Self::NUM_BITS - 1;
            const TWO_INV: $name = $name(::ark_ff::MontFp!($two_inverse));
            const MULTIPLICATIVE_GENERATOR: $name = $name(::ark_ff::MontFp!($generator));
            const S: u32 = $two_adicity;
            const ROOT_OF_UNITY: $name = $name(::ark_ff::MontFp!($root_of_unity));
            const ROOT_OF_UNITY_INV: $name = $name(::ark_ff::MontFp!($root_of_unity_inverse));
            const DELTA: $name = $name(::ark_ff::MontFp!($delta));
        }

        impl ::ff::PrimeFieldBits for $name {
            type ReprBits = [u8; 32];

            fn to_le_bits(&self) -> ::ff::FieldBits<[u8; 32]> {
                ::ff::FieldBits::new(::ff::PrimeField::to_repr(self))
            }

            fn char_le_bits() -> ::ff::FieldBits<[u8; 32]> {
                let limbs = $name::MODULUS_LIMBS;
                ::ff::FieldBits::new(::core::array::from_fn(|i| limbs[i / 8].to_le_bytes()[i % 8]))
            }
        }

        impl ::ff::FromUniformBytes<64> for $name {
            /// Reduces 64 little-endian bytes modulo p: the bias is below
            /// 2^-250, so the result is uniform for uniform input.
            fn from_uniform_bytes(bytes: &[u8; 64]) -> $name {
                // Horner's rule over the eight 64-bit limbs, most significant first.
                let two_to_64 = $name(::ark_ff::MontFp!("18446744073709551616"));
                bytes.chunks_exact(8).rev().fold(<$name as ::ff::Field>::ZERO, |acc, limb| {
                    let limb: [u8; 8] = ::core::array::from_fn(|i| limb[i]);
                    acc * two_to_64 + $name::from(u64::from_le_bytes(limb))
                })
            }
        }

        impl ::ff::WithSmallOrderMulGroup<3> for $name {
            /// An element of multiplicative order 3; `Fq::ZETA` and `Fr::ZETA`
            /// are paired by G1's endomorphism (see `G1::endo`).
            const ZETA: $name = $name(::ark_ff::MontFp!($zeta));
        }

        /// `invert_vartime` is `invert`: `halo2_proofs` calls it on values
        /// derived from the witness (the permutation and lookup products), so
        /// it gets the fixed exponentiation, not ark-ff's faster binary
        /// extended Euclidean algorithm, whose time depends on the value.
        impl ::pasta_curves::arithmetic::VartimeField for $name {}
    };
}

pub(crate) use impl_ff_traits_ as impl_ff_traits;
