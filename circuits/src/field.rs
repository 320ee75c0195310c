//! Field elements as zkcomply's formats write them: canonical decimal
//! strings, strictly below the BN254 scalar modulus `r`.
//!
//! Values at or above `r` are rejected, never reduced: a reduced value
//! would let two different strings stand for one public input.

use ark_ff::{BigInteger, PrimeField};
use num_bigint::BigUint;

use crate::Fr;

/// Why a string is not a canonical field element.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// Empty string.
    #[error("expected a decimal integer, found an empty string")]
    Empty,
    /// A character other than `0-9`.
    #[error("expected a decimal integer (digits 0-9 only), found {0:?}")]
    NotDecimal(String),
    /// A leading zero (`"007"`): not canonical.
    #[error("expected a canonical decimal integer without leading zeros, found {0:?}")]
    LeadingZero(String),
    /// The value is at or above the bound it must stay below.
    #[error("value {value} is at or above {bound_name} ({bound})")]
    TooLarge {
        /// The value as given (shortened when long).
        value: String,
        /// Which bound.
        bound_name: &'static str,
        /// The bound in decimal.
        bound: String,
    },
}

/// The BN254 scalar field modulus `r` as an integer.
pub fn modulus() -> BigUint {
    BigUint::from_bytes_le(&Fr::MODULUS.to_bytes_le())
}

/// A value as an error quotes it (long values shortened).
fn shorten(s: &str) -> String {
    crate::text::shorten(s).into_owned()
}

/// Fails unless `s` is a canonical decimal: digits only, not empty, no
/// leading zero.
fn check_canonical(s: &str) -> Result<(), FieldError> {
    if s.is_empty() {
        return Err(FieldError::Empty);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::NotDecimal(shorten(s)));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(FieldError::LeadingZero(shorten(s)));
    }
    Ok(())
}

/// The integer of a canonical decimal (checked by [`check_canonical`]).
fn parse_canonical(s: &str) -> Result<BigUint, FieldError> {
    // Only digits remain, so this does not fail; were it to, the string is
    // not a decimal integer (never a silent zero).
    BigUint::parse_bytes(s.as_bytes(), 10).ok_or_else(|| FieldError::NotDecimal(shorten(s)))
}

/// Whether a canonical decimal of `digits` digits is at least `2^bits`
/// without parsing it (parsing is quadratic in the length): it is at least
/// `10^(digits - 1)`, and `10^(bits/3 + 1) > 2^bits`. Shorter strings may
/// still be too large; they are parsed and compared.
fn surely_at_least_2_pow(digits: usize, bits: u32) -> bool {
    digits > bits as usize / 3 + 2
}

/// Parses a canonical decimal string (no sign, no leading zeros) into an
/// integer, without any bound. Parsing takes time quadratic in the length:
/// bound the length first, or use [`parse_decimal_below_bits`].
///
/// # Errors
/// [`FieldError`] when the string is empty, has a non-digit, or a leading zero.
pub fn parse_decimal(s: &str) -> Result<BigUint, FieldError> {
    check_canonical(s)?;
    parse_canonical(s)
}

/// Parses a canonical decimal string that must be below `2^bits`.
///
/// # Errors
/// [`FieldError`] on a malformed string or a value `>= 2^bits`.
pub fn parse_decimal_below_bits(s: &str, bits: u32) -> Result<BigUint, FieldError> {
    check_canonical(s)?;
    let too_large = || FieldError::TooLarge {
        value: shorten(s),
        bound_name: match bits {
            128 => "2^128",
            252 => "2^252",
            53 => "2^53",
            _ => "the allowed bound",
        },
        bound: (BigUint::from(1u8) << bits).to_string(),
    };
    if surely_at_least_2_pow(s.len(), bits) {
        return Err(too_large());
    }
    let v = parse_canonical(s)?;
    if v.bits() > u64::from(bits) {
        return Err(too_large());
    }
    Ok(v)
}

/// Parses a canonical decimal string into a field element, rejecting values
/// at or above the modulus `r`.
///
/// # Errors
/// [`FieldError`] on a malformed string or a value `>= r`.
pub fn parse_fr(s: &str) -> Result<Fr, FieldError> {
    check_canonical(s)?;
    let too_large = || FieldError::TooLarge {
        value: shorten(s),
        bound_name: "the BN254 scalar field modulus r",
        bound: modulus().to_string(),
    };
    if surely_at_least_2_pow(s.len(), Fr::MODULUS_BIT_SIZE) {
        return Err(too_large());
    }
    biguint_to_fr(&parse_canonical(s)?).ok_or_else(too_large)
}

/// Converts an integer below `r` into a field element; `None` at or above `r`.
pub fn biguint_to_fr(v: &BigUint) -> Option<Fr> {
    if *v >= modulus() {
        return None;
    }
    let mut bytes = v.to_bytes_le();
    bytes.resize(32, 0);
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
        *limb = u64::from_le_bytes(b);
    }
    Fr::from_bigint(ark_ff::BigInt::new(limbs))
}

/// The canonical integer of a field element.
pub fn fr_to_biguint(x: &Fr) -> BigUint {
    BigUint::from_bytes_le(&x.into_bigint().to_bytes_le())
}

/// The canonical decimal string of a field element.
pub fn fr_to_decimal(x: &Fr) -> String {
    fr_to_biguint(x).to_string()
}

/// The field element of a `u128`.
pub fn fr_from_u128(v: u128) -> Fr {
    Fr::from(v)
}

/// The low `n` bits of a field element's canonical integer, as an element.
pub fn low_bits(x: &Fr, n: u32) -> Fr {
    let mask = (BigUint::from(1u8) << n) - 1u8;
    biguint_to_fr(&(fr_to_biguint(x) & mask)).expect("the low bits of an integer below r are below r")
}

/// Whether the canonical integer of `x` is below `2^bits`.
pub fn fits_bits(x: &Fr, bits: u32) -> bool {
    fr_to_biguint(x).bits() <= u64::from(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_and_rejects_the_rest() {
        assert_eq!(parse_fr("0").unwrap(), Fr::from(0u8));
        assert_eq!(parse_fr("123").unwrap(), Fr::from(123u8));
        assert_eq!(parse_fr(""), Err(FieldError::Empty));
        assert!(matches!(parse_fr("-1"), Err(FieldError::NotDecimal(_))));
        assert!(matches!(parse_fr("+1"), Err(FieldError::NotDecimal(_))));
        assert!(matches!(parse_fr(" 1"), Err(FieldError::NotDecimal(_))));
        assert!(matches!(parse_fr("0x10"), Err(FieldError::NotDecimal(_))));
        assert!(matches!(parse_fr("01"), Err(FieldError::LeadingZero(_))));
    }

    #[test]
    fn rejects_values_at_or_above_the_modulus_instead_of_reducing() {
        let r = modulus();
        let r_minus_1 = (&r - 1u8).to_string();
        let x = parse_fr(&r_minus_1).unwrap();
        assert_eq!(x, -Fr::from(1u8));
        assert!(matches!(parse_fr(&r.to_string()), Err(FieldError::TooLarge { .. })));
        assert!(matches!(parse_fr(&(&r + 5u8).to_string()), Err(FieldError::TooLarge { .. })));
        let huge = "9".repeat(500);
        assert!(matches!(parse_fr(&huge), Err(FieldError::TooLarge { .. })));
    }

    #[test]
    fn round_trips() {
        for s in ["0", "1", "18586133768512220936620570745912940619677854269274689475585506675881198879027"] {
            assert_eq!(fr_to_decimal(&parse_fr(s).unwrap()), s);
        }
    }

    #[test]
    fn long_values_are_refused_without_parsing_and_quoted_shortened() {
        // A megabyte of digits: refused by its length alone (parsing it
        // would take seconds), and quoted by its first digits only.
        let huge = "9".repeat(1 << 20);
        for e in [parse_fr(&huge).unwrap_err(), parse_decimal_below_bits(&huge, 128).unwrap_err()] {
            let FieldError::TooLarge { value, .. } = e else { panic!("{e:?}") };
            assert_eq!(value, format!("{}...({} bytes)", "9".repeat(40), huge.len()));
        }
        // Just above and below each bound, by length: the parse decides.
        for bits in [53, 128, 252] {
            let bound: BigUint = BigUint::from(1u8) << bits;
            assert!(parse_decimal_below_bits(&(&bound - 1u8).to_string(), bits).is_ok());
            assert!(parse_decimal_below_bits(&bound.to_string(), bits).is_err());
            assert!(!surely_at_least_2_pow((&bound - 1u8).to_string().len(), bits));
        }
        assert!(!surely_at_least_2_pow((modulus() - 1u8).to_string().len(), Fr::MODULUS_BIT_SIZE));
        // A multi-byte character where a long value is cut: quoted whole
        // characters, never a panic.
        let amount = "a".repeat(39) + "é" + &"b".repeat(60);
        let e = parse_decimal_below_bits(&amount, 128).unwrap_err();
        assert_eq!(e, FieldError::NotDecimal(format!("{}...(101 bytes)", "a".repeat(39))));
    }

    #[test]
    fn bounded_parse() {
        assert!(parse_decimal_below_bits("340282366920938463463374607431768211455", 128).is_ok());
        assert!(parse_decimal_below_bits("340282366920938463463374607431768211456", 128).is_err());
    }
}
