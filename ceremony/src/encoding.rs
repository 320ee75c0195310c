//! The BN254 encodings of snarkjs and ffjavascript.
//!
//! - LEM ("little-endian Montgomery"): how `.zkey` and `.ptau` sections store
//!   field elements and affine points. A field element is its Montgomery
//!   form `a·R mod p` (R = 2^256) as 32 little-endian bytes; a G1 point is
//!   `x ‖ y` (64 bytes); a G2 point is `x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1` (128
//!   bytes); the point at infinity is all zeros.
//! - Plain little-endian: how `.r1cs` coefficients, `.wtns` values and the
//!   primes in file headers are stored (`a` itself, 32 bytes).
//! - Uncompressed ("U", ffjavascript's `toRprUncompressed`): what snarkjs
//!   hashes into circuit hashes and contribution transcripts. Big-endian
//!   plain coordinates: G1 `x ‖ y`; G2 `x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0` (the
//!   whole little-endian Fq2 reversed, so the c1 coefficient comes first).
//!   The point at infinity is all zeros: the curves snarkjs uses are
//!   ffjavascript's WebAssembly ones, whose `LEMtoU` writes zeros and sets no
//!   infinity flag (only ffjavascript's unused pure-JS curve sets `0x40`).
//!
//! The readers validate: coordinates below the modulus, points on the curve,
//! G2 points in the prime-order subgroup (G1 has cofactor 1).

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, BigInteger256, Fp, PrimeField, Zero};
use rayon::prelude::*;

/// Bytes of a field element (Fr or Fq).
pub const FIELD_BYTES: usize = 32;
/// Bytes of an affine G1 point.
pub const G1_BYTES: usize = 64;
/// Bytes of an affine G2 point.
pub const G2_BYTES: usize = 128;

/// Why bytes do not encode a valid BN254 value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    /// The slice has the wrong length.
    #[error("{what}: {found} bytes, expected {expected}")]
    Length {
        /// What was being decoded.
        what: &'static str,
        /// The slice's length.
        found: usize,
        /// The length required.
        expected: usize,
    },
    /// A field element is not below its modulus.
    #[error("{what}: not below the field's modulus")]
    NotCanonical {
        /// Which value.
        what: &'static str,
    },
    /// A point's coordinates do not satisfy the curve's equation.
    #[error("{what}: the point is not on the curve")]
    NotOnCurve {
        /// Which point.
        what: &'static str,
    },
    /// A G2 point is outside the prime-order subgroup.
    #[error("{what}: the point is not in the prime-order subgroup")]
    NotInSubgroup {
        /// Which point.
        what: &'static str,
    },
}

fn bigint_from_le(bytes: &[u8], what: &'static str) -> Result<BigInteger256, EncodingError> {
    if bytes.len() != FIELD_BYTES {
        return Err(EncodingError::Length { what, found: bytes.len(), expected: FIELD_BYTES });
    }
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut a = [0u8; 8];
        a.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(a);
    }
    Ok(BigInteger256::new(limbs))
}

fn bigint_to_le(b: &BigInteger256) -> [u8; FIELD_BYTES] {
    let mut out = [0u8; FIELD_BYTES];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(b.0.iter()) {
        chunk.copy_from_slice(&limb.to_le_bytes());
    }
    out
}

/// `a` as 32 plain little-endian bytes (`.r1cs` coefficients, `.wtns`).
#[must_use]
pub fn fr_to_le(a: &Fr) -> [u8; FIELD_BYTES] {
    bigint_to_le(&a.into_bigint())
}

/// Reads 32 plain little-endian bytes as an Fr element.
///
/// # Errors
///
/// [`EncodingError`] if `bytes` is not 32 bytes or the value is not below r.
pub fn fr_from_le(bytes: &[u8], what: &'static str) -> Result<Fr, EncodingError> {
    Fr::from_bigint(bigint_from_le(bytes, what)?).ok_or(EncodingError::NotCanonical { what })
}

/// `a` in Montgomery form, 32 little-endian bytes (LEM).
#[must_use]
pub fn fr_to_lem(a: &Fr) -> [u8; FIELD_BYTES] {
    bigint_to_le(&a.0)
}

/// Reads an Fr element in Montgomery form (LEM).
///
/// # Errors
///
/// [`EncodingError`] if `bytes` is not 32 bytes or the value is not below r.
pub fn fr_from_lem(bytes: &[u8], what: &'static str) -> Result<Fr, EncodingError> {
    let b = bigint_from_le(bytes, what)?;
    if b >= Fr::MODULUS {
        return Err(EncodingError::NotCanonical { what });
    }
    Ok(Fp::new_unchecked(b))
}

/// `a` in Montgomery form, 32 little-endian bytes (LEM).
#[must_use]
pub fn fq_to_lem(a: &Fq) -> [u8; FIELD_BYTES] {
    bigint_to_le(&a.0)
}

/// Reads an Fq element in Montgomery form (LEM).
///
/// # Errors
///
/// [`EncodingError`] if `bytes` is not 32 bytes or the value is not below q.
pub fn fq_from_lem(bytes: &[u8], what: &'static str) -> Result<Fq, EncodingError> {
    let b = bigint_from_le(bytes, what)?;
    if b >= Fq::MODULUS {
        return Err(EncodingError::NotCanonical { what });
    }
    Ok(Fp::new_unchecked(b))
}

fn fq_to_be(a: &Fq) -> [u8; FIELD_BYTES] {
    let mut out = [0u8; FIELD_BYTES];
    out.copy_from_slice(&a.into_bigint().to_bytes_be());
    out
}

/// A G1 point as 64 LEM bytes (`x ‖ y`; zeros for infinity).
#[must_use]
pub fn g1_to_lem(p: &G1Affine) -> [u8; G1_BYTES] {
    let mut out = [0u8; G1_BYTES];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&fq_to_lem(&x));
        out[32..].copy_from_slice(&fq_to_lem(&y));
    }
    out
}

/// Reads a G1 point from 64 LEM bytes, checking it is on the curve.
///
/// # Errors
///
/// [`EncodingError`] if `bytes` is not 64 bytes, a coordinate is not below
/// q, or the point is not on the curve.
pub fn g1_from_lem(bytes: &[u8], what: &'static str) -> Result<G1Affine, EncodingError> {
    if bytes.len() != G1_BYTES {
        return Err(EncodingError::Length { what, found: bytes.len(), expected: G1_BYTES });
    }
    let x = fq_from_lem(&bytes[..32], what)?;
    let y = fq_from_lem(&bytes[32..], what)?;
    if x.is_zero() && y.is_zero() {
        return Ok(G1Affine::identity());
    }
    let p = G1Affine::new_unchecked(x, y);
    // G1 has cofactor 1: on the curve means in the group.
    if !p.is_on_curve() {
        return Err(EncodingError::NotOnCurve { what });
    }
    Ok(p)
}

/// A G2 point as 128 LEM bytes (`x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1`; zeros for
/// infinity).
#[must_use]
pub fn g2_to_lem(p: &G2Affine) -> [u8; G2_BYTES] {
    let mut out = [0u8; G2_BYTES];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&fq_to_lem(&x.c0));
        out[32..64].copy_from_slice(&fq_to_lem(&x.c1));
        out[64..96].copy_from_slice(&fq_to_lem(&y.c0));
        out[96..].copy_from_slice(&fq_to_lem(&y.c1));
    }
    out
}

/// Reads a G2 point from 128 LEM bytes, checking it is on the curve and in
/// the prime-order subgroup.
///
/// # Errors
///
/// [`EncodingError`] if `bytes` is not 128 bytes, a coordinate is not below
/// q, or the point is not on the curve or not in the subgroup.
pub fn g2_from_lem(bytes: &[u8], what: &'static str) -> Result<G2Affine, EncodingError> {
    let p = g2_from_lem_on_curve(bytes, what)?;
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(EncodingError::NotInSubgroup { what });
    }
    Ok(p)
}

/// A section body of G1 points in LEM, each checked as [`g1_from_lem`]
/// does, in parallel; the error carries the failing point's index.
///
/// # Errors
///
/// The first invalid point found, with its index (a trailing partial point
/// is not read: callers check the body's length first).
pub fn g1s_from_lem(bytes: &[u8], what: &'static str) -> Result<Vec<G1Affine>, (usize, EncodingError)> {
    bytes.par_chunks_exact(G1_BYTES).enumerate().map(|(i, c)| g1_from_lem(c, what).map_err(|e| (i, e))).collect()
}

/// A section body of G2 points in LEM, as [`g1s_from_lem`].
///
/// # Errors
///
/// As [`g1s_from_lem`].
pub fn g2s_from_lem(bytes: &[u8], what: &'static str) -> Result<Vec<G2Affine>, (usize, EncodingError)> {
    bytes.par_chunks_exact(G2_BYTES).enumerate().map(|(i, c)| g2_from_lem(c, what).map_err(|e| (i, e))).collect()
}

/// Appends G1 points in LEM: a section body as snarkjs writes it.
pub fn extend_g1s_lem(out: &mut Vec<u8>, points: &[G1Affine]) {
    out.reserve(points.len() * G1_BYTES);
    points.iter().for_each(|p| out.extend_from_slice(&g1_to_lem(p)));
}

/// Appends G2 points in LEM, as [`extend_g1s_lem`].
pub fn extend_g2s_lem(out: &mut Vec<u8>, points: &[G2Affine]) {
    out.reserve(points.len() * G2_BYTES);
    points.iter().for_each(|p| out.extend_from_slice(&g2_to_lem(p)));
}

/// Like [`g2_from_lem`] without the subgroup check.
fn g2_from_lem_on_curve(bytes: &[u8], what: &'static str) -> Result<G2Affine, EncodingError> {
    if bytes.len() != G2_BYTES {
        return Err(EncodingError::Length { what, found: bytes.len(), expected: G2_BYTES });
    }
    let x = Fq2::new(fq_from_lem(&bytes[..32], what)?, fq_from_lem(&bytes[32..64], what)?);
    let y = Fq2::new(fq_from_lem(&bytes[64..96], what)?, fq_from_lem(&bytes[96..], what)?);
    if x.is_zero() && y.is_zero() {
        return Ok(G2Affine::identity());
    }
    let p = G2Affine::new_unchecked(x, y);
    if !p.is_on_curve() {
        return Err(EncodingError::NotOnCurve { what });
    }
    Ok(p)
}

/// ffjavascript's `toRprUncompressed` of a G1 point, as snarkjs hashes it:
/// big-endian `x ‖ y`, all zeros for the point at infinity.
#[must_use]
pub fn g1_to_uncompressed(p: &G1Affine) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&fq_to_be(&x));
        out[32..].copy_from_slice(&fq_to_be(&y));
    }
    out
}

/// ffjavascript's `toRprUncompressed` of a G2 point, as snarkjs hashes it:
/// big-endian `x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0`, all zeros for the point at
/// infinity.
#[must_use]
pub fn g2_to_uncompressed(p: &G2Affine) -> [u8; 128] {
    let mut out = [0u8; 128];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&fq_to_be(&x.c1));
        out[32..64].copy_from_slice(&fq_to_be(&x.c0));
        out[64..96].copy_from_slice(&fq_to_be(&y.c1));
        out[96..].copy_from_slice(&fq_to_be(&y.c0));
    }
    out
}

/// The prime r of Fr as 32 little-endian bytes, as file headers store it.
#[must_use]
pub fn fr_modulus_le() -> [u8; FIELD_BYTES] {
    bigint_to_le(&Fr::MODULUS)
}

/// The prime q of Fq as 32 little-endian bytes, as file headers store it.
#[must_use]
pub fn fq_modulus_le() -> [u8; FIELD_BYTES] {
    bigint_to_le(&Fq::MODULUS)
}
