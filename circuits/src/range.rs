//! Range checks and comparisons in constraints.
//!
//! All comparisons here are on integers below `2^n` with `n <= 252`, so
//! that `b - a - 1` of two such values either lies in `[0, 2^n)` or wraps
//! far above it: the decomposition into `n` bits is then complete and
//! sound. Callers state the bound their operands already satisfy.

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::SynthesisError;

use crate::Fr;

/// Largest `n` for which an `n`-bit decomposition is unique.
pub const MAX_RANGE_BITS: usize = 252;

/// Enforces `x < 2^n` and returns the `n` little-endian bits of `x`
/// (`n + 1` constraints).
///
/// # Errors
/// `SynthesisError::Unsatisfiable` for `n > 252`; otherwise constraint-system errors.
pub fn enforce_bits(x: &FpVar<Fr>, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if n > MAX_RANGE_BITS {
        return Err(SynthesisError::Unsatisfiable);
    }
    if let FpVar::Constant(c) = x {
        if c.into_bigint().num_bits() as usize > n {
            return Err(SynthesisError::Unsatisfiable);
        }
    }
    let bits = alloc_low_bits(x, n)?;
    Boolean::le_bits_to_fp(&bits)?.enforce_equal(x)?;
    Ok(bits)
}

/// The low `n` bits of `x`'s value as booleans (witnesses, each constrained
/// boolean, or constants for a constant `x`); nothing ties them to `x` yet.
fn alloc_low_bits(x: &FpVar<Fr>, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if let FpVar::Constant(c) = x {
        let big = c.into_bigint();
        return Ok((0..n).map(|i| Boolean::constant(big.get_bit(i))).collect());
    }
    let cs = x.cs();
    let value = x.value().ok();
    (0..n)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                let v = value.ok_or(SynthesisError::AssignmentMissing)?;
                Ok(v.into_bigint().get_bit(i))
            })
        })
        .collect()
}

/// Enforces the unique (strict) 254-bit little-endian decomposition of `x`:
/// the bits sum to `x` and, read as an integer, are below the modulus `r`
/// (about 485 constraints). `r - 1` ends in 28 zero bits, so the bound
/// splits into `hi = bits >> 28 <= (r - 1) >> 28` and, when `hi` is equal,
/// the low 28 bits all zero.
///
/// # Errors
/// Constraint-system errors.
pub fn enforce_bits_strict(x: &FpVar<Fr>) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let bits = alloc_low_bits(x, 254)?;
    weighted_sum(&bits).enforce_equal(x)?;
    enforce_le_bits_below_modulus(&bits)?;
    Ok(bits)
}

/// `sum bits[i] * 2^i` as a linear combination, wrapping modulo `r` (no
/// constraint; unlike `Boolean::le_bits_to_fp`, which adds its own range
/// check from 254 bits on).
pub fn weighted_sum(bits: &[Boolean<Fr>]) -> FpVar<Fr> {
    let mut power = Fr::from(1u8);
    let mut sum = FpVar::zero();
    for b in bits {
        sum += FpVar::from(b.clone()) * power;
        power += power;
    }
    sum
}

/// Enforces that 254 little-endian bits read as an integer below the
/// modulus `r` (about 230 constraints); see [`enforce_bits_strict`].
///
/// # Errors
/// `SynthesisError::Unsatisfiable` unless exactly 254 bits are given.
pub fn enforce_le_bits_below_modulus(bits: &[Boolean<Fr>]) -> Result<(), SynthesisError> {
    const BITS: usize = 254;
    if bits.len() != BITS {
        return Err(SynthesisError::Unsatisfiable);
    }
    let two_adicity = <Fr as ark_ff::FftField>::TWO_ADICITY as usize;
    let r_minus_1 = crate::field::modulus() - 1u8;
    let high_bound = &r_minus_1 >> two_adicity;
    debug_assert_eq!(&high_bound << two_adicity, r_minus_1);
    let high_bound = crate::field::biguint_to_fr(&high_bound).ok_or(SynthesisError::Unsatisfiable)?;
    let low = Boolean::le_bits_to_fp(&bits[..two_adicity])?;
    let high = Boolean::le_bits_to_fp(&bits[two_adicity..])?;
    let high_is_max = high.is_eq(&FpVar::constant(high_bound))?;
    // hi == max  =>  low == 0
    low.mul_equals(&FpVar::from(high_is_max.clone()), &FpVar::zero())?;
    // hi <= max: (max - hi - 1 + [hi == max]) in [0, 2^(254 - 28))
    let slack = FpVar::constant(high_bound) - &high - Fr::from(1u8) + FpVar::from(high_is_max);
    enforce_below_power_of_two(&slack, BITS - two_adicity)
}

/// Enforces `x < 2^n` (`n + 1` constraints).
///
/// # Errors
/// As [`enforce_bits`].
pub fn enforce_below_power_of_two(x: &FpVar<Fr>, n: usize) -> Result<(), SynthesisError> {
    enforce_bits(x, n).map(|_| ())
}

/// Enforces `a < b`, assuming both operands are below `2^n` (`n + 1`
/// constraints). The caller must guarantee the bound by other constraints
/// or by construction; otherwise use [`enforce_less_than`].
///
/// # Errors
/// As [`enforce_bits`].
pub fn enforce_less_than_unchecked(a: &FpVar<Fr>, b: &FpVar<Fr>, n: usize) -> Result<(), SynthesisError> {
    enforce_below_power_of_two(&(b - a - Fr::from(1u8)), n)
}

/// Enforces `a <= b`, assuming both operands are below `2^n`; see
/// [`enforce_less_than_unchecked`].
///
/// # Errors
/// As [`enforce_bits`].
pub fn enforce_less_or_equal_unchecked(a: &FpVar<Fr>, b: &FpVar<Fr>, n: usize) -> Result<(), SynthesisError> {
    enforce_below_power_of_two(&(b - a), n)
}

/// Enforces `a, b < 2^n` and `a < b` (`3n + 3` constraints).
///
/// # Errors
/// As [`enforce_bits`].
pub fn enforce_less_than(a: &FpVar<Fr>, b: &FpVar<Fr>, n: usize) -> Result<(), SynthesisError> {
    enforce_below_power_of_two(a, n)?;
    enforce_below_power_of_two(b, n)?;
    enforce_less_than_unchecked(a, b, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::gr1cs::ConstraintSystem;
    use num_bigint::BigUint;

    fn check(f: impl Fn(&[FpVar<Fr>]) -> Result<(), SynthesisError>, values: &[Fr]) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars: Vec<FpVar<Fr>> = values.iter().map(|v| FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap()).collect();
        f(&vars).unwrap();
        cs.is_satisfied().unwrap()
    }

    fn fr(v: &BigUint) -> Fr {
        crate::field::biguint_to_fr(v).unwrap()
    }

    #[test]
    fn range_at_the_edges_of_2_pow_128() {
        let two128 = BigUint::from(1u8) << 128u32;
        let below = |v: Fr| check(|x| enforce_below_power_of_two(&x[0], 128), &[v]);
        assert!(below(fr(&(&two128 - 1u8))));
        assert!(!below(fr(&two128)));
        assert!(!below(-Fr::from(1u8)), "p - 1");
        assert!(!below(-Fr::from(5u8)), "negative");
        assert!(below(Fr::from(0u8)));
    }

    #[test]
    fn less_than_has_no_false_positive_with_large_operands() {
        let lt = |a: Fr, b: Fr| check(|x| enforce_less_than(&x[0], &x[1], 252), &[a, b]);
        let lt_unchecked = |a: Fr, b: Fr| check(|x| enforce_less_than_unchecked(&x[0], &x[1], 252), &[a, b]);
        // The unchecked form relies on its precondition: p - 1 "< 3" passes.
        assert!(lt_unchecked(-Fr::from(1u8), Fr::from(3u8)));
        let big = fr(&((BigUint::from(1u8) << 252u32) - 1u8));
        assert!(lt(Fr::from(1u8), Fr::from(2u8)));
        assert!(!lt(Fr::from(2u8), Fr::from(2u8)));
        assert!(!lt(Fr::from(3u8), Fr::from(2u8)));
        assert!(lt(Fr::from(0u8), big));
        assert!(!lt(big, Fr::from(0u8)));
        // Operands above (p-1)/2 (outside the stated bound) give no false "less".
        let half = fr(&((crate::field::modulus() - 1u8) / 2u8 + 7u8));
        assert!(!lt(half, Fr::from(1u8)));
        assert!(!lt(-Fr::from(1u8), Fr::from(3u8)));
    }

    #[test]
    fn decomposition_of_x_plus_p_is_not_accepted() {
        // A 252-bit decomposition cannot represent x + p (p > 2^253).
        let cs = ConstraintSystem::<Fr>::new_ref();
        let x = FpVar::new_witness(cs.clone(), || Ok(Fr::from(5u8))).unwrap();
        let bits = enforce_bits(&x, 252).unwrap();
        assert_eq!(bits.len(), 252);
        assert!(cs.is_satisfied().unwrap());
        assert!(enforce_bits(&x, 253).is_err(), "non-unique widths are refused");
    }

    #[test]
    fn strict_decomposition_accepts_every_element_and_nothing_above() {
        let r = crate::field::modulus();
        for v in [
            Fr::from(0u8),
            Fr::from(1u8),
            -Fr::from(1u8),
            fr(&((&r - 1u8) >> 28u32 << 28u32)),
            fr(&(BigUint::from(1u8) << 253u32)),
        ] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let x = FpVar::new_witness(cs.clone(), || Ok(v)).unwrap();
            let bits = enforce_bits_strict(&x).unwrap();
            assert_eq!(weighted_sum(&bits).value().unwrap(), v);
            assert!(cs.is_satisfied().unwrap(), "{v}");
        }
        // Bits of x + p (below 2^254) sum to x in the field but must be refused.
        for x in [0u64, 1, 5, 1 << 40] {
            let alias = &r + BigUint::from(x);
            assert!(alias.bits() <= 254);
            let cs = ConstraintSystem::<Fr>::new_ref();
            let xv = FpVar::new_witness(cs.clone(), || Ok(Fr::from(x))).unwrap();
            let bits: Vec<Boolean<Fr>> =
                (0..254).map(|i| Boolean::new_witness(cs.clone(), || Ok(alias.bit(i))).unwrap()).collect();
            weighted_sum(&bits).enforce_equal(&xv).unwrap();
            assert!(cs.is_satisfied().unwrap(), "the sum alone accepts x + p");
            enforce_le_bits_below_modulus(&bits).unwrap();
            assert!(!cs.is_satisfied().unwrap(), "x + p refused for x = {x}");
        }
    }
}
