//! Variable-time scalar multiplication with the GLV method.
//!
//! G1 has the endomorphism `(x, y) -> (Fq::ZETA * x, y)`, which multiplies
//! every point by `lambda = Fr::ZETA` ([`super::G1::endo`]). A scalar `k` is
//! split into `k1 + k2 * lambda (mod r)` with `|k1|, |k2| < 2^128` (Babai
//! rounding against a short basis of the lattice `{(a, b) : a + b * lambda =
//! 0 mod r}`), so `k P = k1 P + k2 endo(P)` takes about 128 doublings instead
//! of 254. Both halves are written in width-5 non-adjacent form and added
//! from tables of the odd multiples `P, 3P, ..., 15P` and their images.
//!
//! The digits, and so the sequence of additions and table reads, depend on
//! the scalar: this is not constant time (see the crate documentation).

use ff::PrimeField;
use group::Group;
use pasta_curves::arithmetic::CurveExt;

use super::G1;
use crate::Fr;

/// The width of the non-adjacent form: digits are odd and in `[-15, 15]`.
const WINDOW_BITS: u32 = 5;
/// How many odd multiples each table holds: `P, 3P, ..., (2^(w-1) - 1) P`.
const TABLE_SIZE: usize = 1 << (WINDOW_BITS - 2);
/// The most digits a half scalar (below 2^128) can need.
const MAX_DIGITS: usize = 130;

/// The short lattice basis `v1 = (A1, -MINUS_B1)`, `v2 = (A2, B2)`: both
/// satisfy `a + b * lambda = 0 (mod r)`; found by the extended Euclidean
/// algorithm on `(r, lambda)` stopped at `sqrt(r)`.
const A1: u128 = 9_931_322_734_385_697_763;
const MINUS_B1: u128 = 147_946_756_881_789_319_000_765_030_803_803_410_728;
const A2: u128 = 147_946_756_881_789_319_010_696_353_538_189_108_491;
const B2: u128 = 9_931_322_734_385_697_763;
/// `round(2^256 * B2 / r)`, little-endian 64-bit limbs.
const ROUNDING_1: [u64; 3] = [0xd91d_232e_c7e0_b3d7, 0x2, 0x0];
/// `round(2^256 * MINUS_B1 / r)`, little-endian 64-bit limbs.
const ROUNDING_2: [u64; 3] = [0x7a7b_d9d4_391e_b18e, 0x4cce_f014_a773_d2cf, 0x2];

/// One half of a decomposed scalar: a sign and a magnitude below 2^128.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HalfScalar {
    pub(crate) magnitude: u128,
    pub(crate) negative: bool,
}

impl HalfScalar {
    /// The signed value as a field element.
    #[cfg(test)]
    fn to_field(self) -> Fr {
        let value = Fr::from_u128(self.magnitude);
        if self.negative {
            -value
        } else {
            value
        }
    }

    /// `value` as a sign and magnitude, given `|value| < 2^128` (as an
    /// integer in `(-r/2, r/2)`).
    fn from_small(value: Fr) -> HalfScalar {
        let low_half = |value: &Fr| -> Option<u128> {
            let repr = value.to_repr();
            let (low, high) = repr.as_ref().split_at(16);
            if high.iter().all(|byte| *byte == 0) {
                let mut bytes = [0u8; 16];
                bytes.copy_from_slice(low);
                Some(u128::from_le_bytes(bytes))
            } else {
                None
            }
        };
        match low_half(&value) {
            Some(magnitude) => HalfScalar { magnitude, negative: false },
            None => HalfScalar {
                // The Babai rounding bounds both halves by |A1| + |A2| < 2^128
                // (the decomposition test checks edge and random scalars).
                magnitude: low_half(&-value).expect("GLV half scalar below 2^128"),
                negative: true,
            },
        }
    }
}

/// `floor(value * rounding / 2^256)` for a 256-bit `value` and a rounding
/// constant; the result is below 2^128 for the constants above.
fn multiply_shift_256(value: &[u64; 4], rounding: &[u64; 3]) -> u128 {
    let mut product = [0u64; 7];
    for (i, a) in value.iter().enumerate() {
        let mut carry = 0u128;
        for (j, b) in rounding.iter().enumerate() {
            let sum = u128::from(*a) * u128::from(*b) + u128::from(product[i + j]) + carry;
            product[i + j] = sum as u64;
            carry = sum >> 64;
        }
        product[i + rounding.len()] = carry as u64;
    }
    u128::from(product[4]) | (u128::from(product[5]) << 64)
}

/// Splits `scalar` into `(k1, k2)` with `k1 + k2 * Fr::ZETA = scalar`.
pub(crate) fn decompose(scalar: &Fr) -> (HalfScalar, HalfScalar) {
    let repr = scalar.to_repr();
    let mut limbs = [0u64; 4];
    for (limb, bytes) in limbs.iter_mut().zip(repr.as_ref().chunks_exact(8)) {
        let mut limb_bytes = [0u8; 8];
        limb_bytes.copy_from_slice(bytes);
        *limb = u64::from_le_bytes(limb_bytes);
    }
    let c1 = Fr::from_u128(multiply_shift_256(&limbs, &ROUNDING_1));
    let c2 = Fr::from_u128(multiply_shift_256(&limbs, &ROUNDING_2));
    let k1 = *scalar - c1 * Fr::from_u128(A1) - c2 * Fr::from_u128(A2);
    let k2 = c1 * Fr::from_u128(MINUS_B1) - c2 * Fr::from_u128(B2);
    (HalfScalar::from_small(k1), HalfScalar::from_small(k2))
}

/// The width-5 non-adjacent form of `magnitude`, least significant digit
/// first: odd digits in `[-15, 15]`, any two nonzero digits at least five
/// places apart. Returns the digits and how many are used.
fn non_adjacent_form(mut magnitude: u128) -> ([i8; MAX_DIGITS], usize) {
    let mut digits = [0i8; MAX_DIGITS];
    let mut length = 0;
    let radix = 1u128 << WINDOW_BITS;
    while magnitude != 0 {
        if magnitude & 1 == 1 {
            let window = (magnitude % radix) as i8;
            let digit = if window >= (radix / 2) as i8 { window - radix as i8 } else { window };
            digits[length] = digit;
            // magnitude < 2^128 - 2^5: adding |digit| cannot overflow.
            if digit < 0 {
                magnitude += u128::from(digit.unsigned_abs());
            } else {
                magnitude -= u128::from(digit.unsigned_abs());
            }
        }
        magnitude >>= 1;
        length += 1;
    }
    (digits, length)
}

/// `P, 3P, ..., 15P`.
fn odd_multiples(point: &G1) -> [G1; TABLE_SIZE] {
    let double = point.double();
    let mut table = [*point; TABLE_SIZE];
    for i in 1..TABLE_SIZE {
        table[i] = table[i - 1] + double;
    }
    table
}

/// Adds `digit * table-point` to `acc`, where `table` holds odd multiples.
fn add_digit(acc: &mut G1, digit: i8, negate: bool, table: &[G1; TABLE_SIZE]) {
    if digit == 0 {
        return;
    }
    let entry = &table[usize::from(digit.unsigned_abs() / 2)];
    if (digit < 0) != negate {
        *acc -= entry;
    } else {
        *acc += entry;
    }
}

/// `scalar * point`, in variable time (see the module documentation).
pub(crate) fn mul_vartime(point: &G1, scalar: &Fr) -> G1 {
    let (k1, k2) = decompose(scalar);
    let table = odd_multiples(point);
    let endo_table = table.map(|entry| entry.endo());
    let (digits1, length1) = non_adjacent_form(k1.magnitude);
    let (digits2, length2) = non_adjacent_form(k2.magnitude);
    let mut acc = G1::identity();
    for i in (0..length1.max(length2)).rev() {
        acc = acc.double();
        add_digit(&mut acc, digits1[i], k1.negative, &table);
        add_digit(&mut acc, digits2[i], k2.negative, &endo_table);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use ff::{Field, WithSmallOrderMulGroup};
    use rand_core_010::{Infallible, TryRng};

    /// A splitmix64 generator: enough to draw test scalars without an
    /// extra dependency.
    struct SplitMix(u64);

    impl TryRng for SplitMix {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            Ok(self.try_next_u64()? as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            Ok(z ^ (z >> 31))
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
            for chunk in dest.chunks_mut(8) {
                let bytes = self.try_next_u64()?.to_le_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
            Ok(())
        }
    }

    #[test]
    fn decomposition_recombines_with_small_halves() {
        let mut rng = SplitMix(5);
        let edges =
            [Fr::ZERO, Fr::ONE, -Fr::ONE, Fr::ZETA, -Fr::ZETA, Fr::TWO_INV, -Fr::TWO_INV, Fr::from_u128(u128::MAX)];
        let random = (0..20_000).map(|_| Fr::random(&mut rng));
        for scalar in edges.into_iter().chain(random) {
            let (k1, k2) = decompose(&scalar);
            assert_eq!(k1.to_field() + k2.to_field() * Fr::ZETA, scalar);
            assert!(k1.magnitude < 1 << 127, "k1 of {scalar:?}");
            assert!(k2.magnitude < 1 << 127, "k2 of {scalar:?}");
        }
    }

    #[test]
    fn non_adjacent_form_recombines() {
        let mut rng = SplitMix(9);
        for magnitude in [0u128, 1, 15, 16, 17, 31, 32, u128::MAX >> 1].into_iter().chain(
            (0..1000)
                .map(|_| (u128::from(rng.try_next_u64().unwrap()) << 63) ^ u128::from(rng.try_next_u64().unwrap())),
        ) {
            let (digits, length) = non_adjacent_form(magnitude);
            // Horner's rule modulo 2^128 (partial sums may pass 2^127).
            let mut value = 0u128;
            let mut last_nonzero: Option<usize> = None;
            for (i, digit) in digits[..length].iter().enumerate().rev() {
                value = value.wrapping_mul(2).wrapping_add(i128::from(*digit) as u128);
                if *digit != 0 {
                    assert_eq!(digit & 1, 1, "odd digit");
                    if let Some(last) = last_nonzero {
                        assert!(last - i >= WINDOW_BITS as usize, "digits {last} and {i} too close");
                    }
                    last_nonzero = Some(i);
                }
            }
            assert_eq!(value, magnitude);
        }
    }
}
