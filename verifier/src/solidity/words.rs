//! Field elements and integers as Solidity literals and ABI words.

use ark_ff::{BigInteger, PrimeField};

/// A prime-field element as a 32-byte big-endian ABI word.
pub fn word<F: PrimeField>(x: &F) -> [u8; 32] {
    let bytes = x.into_bigint().to_bytes_be();
    let mut out = [0u8; 32];
    out[32 - bytes.len()..].copy_from_slice(&bytes);
    out
}

/// An unsigned integer as a 32-byte big-endian ABI word.
pub fn word_u128(x: u128) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[16..].copy_from_slice(&x.to_be_bytes());
    out
}

/// A boolean as an ABI word.
pub fn word_bool(x: bool) -> [u8; 32] {
    word_u128(u128::from(x))
}

/// A prime-field element as a Solidity hex literal (`0x` and 64 digits).
pub fn literal<F: PrimeField>(x: &F) -> String {
    format!("0x{}", hex::encode(word(x)))
}
