//! snarkjs's randomness: field elements and curve points drawn from
//! [`ChaCha`] as ffjavascript draws them, the G2 point a transcript hashes
//! to, and the two generators a contribution's secret comes from.
//!
//! Everything here except [`entropy_rng`] must match snarkjs bit for bit:
//! verifiers recompute [`hash_to_g2`] for every contribution and the whole
//! key of every beacon ([`beacon_rng`]).
//!
//! ffjavascript draws a field element as four 64-bit words (least
//! significant first), masks them to the modulus's 254 bits, retries while
//! the value is not below the modulus, and then takes the value as the
//! element's MONTGOMERY representation: the element is `v·R⁻¹` with
//! `R = 2^256`. arkworks stores elements in the same Montgomery form, so
//! the value is used as is.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine, G2Projective};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ec::{AffineRepr, CurveConfig, CurveGroup};
use ark_ff::{BigInt, Field, MontConfig, PrimeField, Zero};
use blake2::{Blake2b512, Digest};
use rand_core::{CryptoRng, RngCore};
use sha2::Sha256;
use zeroize::Zeroize;

use crate::chacha::ChaCha;

/// The shortest beacon value snarkjs accepts, in bytes.
pub const BEACON_HASH_MIN_LEN: usize = 1;
/// The longest beacon value snarkjs accepts (its length is stored in a byte).
pub const BEACON_HASH_MAX_LEN: usize = 255;
/// The fewest SHA-256 iterations of a beacon, as a power of two.
pub const BEACON_ITERATIONS_EXP_MIN: u8 = 10;
/// The most SHA-256 iterations of a beacon, as a power of two.
pub const BEACON_ITERATIONS_EXP_MAX: u8 = 63;

/// Beacon parameters outside snarkjs's bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BeaconError {
    /// The beacon value is empty or longer than 255 bytes.
    #[error("the beacon value is {0} bytes long; it must be 1 to 255 bytes")]
    HashLength(usize),
    /// The iteration exponent is outside 10..=63.
    #[error("the beacon's iteration exponent is {0}; it must be 10 to 63")]
    IterationsExp(u8),
}

/// Checks a beacon value and iteration exponent against snarkjs's bounds
/// (`zkey beacon` refuses the same values).
///
/// # Errors
///
/// [`BeaconError`] naming the parameter out of bounds.
pub fn check_beacon_params(beacon_hash: &[u8], iterations_exp: u8) -> Result<(), BeaconError> {
    if !(BEACON_HASH_MIN_LEN..=BEACON_HASH_MAX_LEN).contains(&beacon_hash.len()) {
        return Err(BeaconError::HashLength(beacon_hash.len()));
    }
    if !(BEACON_ITERATIONS_EXP_MIN..=BEACON_ITERATIONS_EXP_MAX).contains(&iterations_exp) {
        return Err(BeaconError::IterationsExp(iterations_exp));
    }
    Ok(())
}

/// A 254-bit value from four `next_u64` words, retried until it is below
/// `modulus` (ffjavascript's `F1Field.fromRng`), as little-endian limbs.
fn limbs_from_rng(rng: &mut ChaCha, modulus: &BigInt<4>) -> BigInt<4> {
    loop {
        let mut limbs = [0u64; 4];
        for limb in &mut limbs {
            *limb = rng.next_u64();
        }
        limbs[3] &= (1u64 << 62) - 1;
        let v = BigInt(limbs);
        if v < *modulus {
            return v;
        }
    }
}

/// ffjavascript's `Fr.fromRng`: a scalar field element.
pub fn fr_from_rng(rng: &mut ChaCha) -> Fr {
    Fr::new_unchecked(limbs_from_rng(rng, &<ark_bn254::FrConfig as MontConfig<4>>::MODULUS))
}

/// ffjavascript's `F1.fromRng` on the base field.
fn fq_from_rng(rng: &mut ChaCha) -> Fq {
    Fq::new_unchecked(limbs_from_rng(rng, &<ark_bn254::FqConfig as MontConfig<4>>::MODULUS))
}

/// ffjavascript's `F2.fromRng`: `c0` then `c1`.
fn fq2_from_rng(rng: &mut ChaCha) -> Fq2 {
    let c0 = fq_from_rng(rng);
    let c1 = fq_from_rng(rng);
    Fq2::new(c0, c1)
}

/// wasmcurves' `f1m_isNegative`: the canonical value is above `(q-1)/2`.
fn fq_is_negative(x: &Fq) -> bool {
    x.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

/// wasmcurves' `f2m_isNegative`: the sign of `c1`, or of `c0` if `c1` is 0.
fn fq2_is_negative(x: &Fq2) -> bool {
    if x.c1.is_zero() {
        fq_is_negative(&x.c0)
    } else {
        fq_is_negative(&x.c1)
    }
}

/// ffjavascript's `G1.fromRng`: an `x` and a sign bit, retried until
/// `x³ + b` is a square; `y` is the root whose sign is the bit. BN254's G1
/// has cofactor 1.
pub fn g1_from_rng(rng: &mut ChaCha) -> G1Affine {
    loop {
        let x = fq_from_rng(rng);
        let greatest = rng.next_bool();
        let rhs = x.square() * x + ark_bn254::g1::Config::COEFF_B;
        if let Some(mut y) = rhs.sqrt() {
            if greatest != fq_is_negative(&y) {
                y = -y;
            }
            return G1Affine::new_unchecked(x, y);
        }
    }
}

/// ffjavascript's `G2.fromRng`: as [`g1_from_rng`] over the twist, then
/// multiplied by G2's cofactor (the plain scalar multiplication, as
/// ffjavascript does; a faster cofactor clearing would give another point).
pub fn g2_from_rng(rng: &mut ChaCha) -> G2Affine {
    loop {
        let x = fq2_from_rng(rng);
        let greatest = rng.next_bool();
        let rhs = x.square() * x + ark_bn254::g2::Config::COEFF_B;
        if let Some(mut y) = rhs.sqrt() {
            if greatest != fq2_is_negative(&y) {
                y = -y;
            }
            let point = G2Affine::new_unchecked(x, y);
            let cleared: G2Projective = point.mul_bigint(<ark_bn254::g2::Config as CurveConfig>::COFACTOR);
            return cleared.into_affine();
        }
    }
}

/// snarkjs's `hashToG2` (keypair.js): ChaCha keyed by the hash's first 32
/// bytes (big-endian words), then [`g2_from_rng`]. A contribution's proof
/// of knowledge is checked against its transcript hashed this way.
pub fn hash_to_g2(hash: &[u8; 64]) -> G2Affine {
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&hash[..32]);
    let mut rng = ChaCha::from_be_bytes(&seed);
    g2_from_rng(&mut rng)
}

/// The generator of a participant's secret (snarkjs's `getRandomRng`):
/// BLAKE2b-512 of 64 bytes from `os` followed by the participant's
/// `entropy` text, its first 32 bytes keying [`ChaCha`].
///
/// snarkjs draws the 64 bytes from the operating system; so should the
/// caller (`rand::rngs::OsRng`). Only the resulting secret's public key is
/// ever checked, so this need not, and cannot, match snarkjs's output.
pub fn entropy_rng<R: RngCore + CryptoRng>(os: &mut R, entropy: Option<&[u8]>) -> ChaCha {
    let mut random = [0u8; 64];
    os.fill_bytes(&mut random);
    let mut hasher = Blake2b512::new();
    hasher.update(random);
    if let Some(text) = entropy {
        hasher.update(text);
    }
    let mut digest: [u8; 64] = hasher.finalize().into();
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&digest[..32]);
    let rng = ChaCha::from_be_bytes(&seed);
    random.zeroize();
    digest.zeroize();
    seed.zeroize();
    rng
}

/// snarkjs's `rngFromBeaconParams`: `2^iterations_exp` rounds of SHA-256
/// starting from the beacon value itself, the last digest keying
/// [`ChaCha`]. Anyone can recompute it; the work makes the beacon hard to
/// bias.
///
/// # Errors
///
/// [`BeaconError`] if the parameters are outside snarkjs's bounds
/// ([`check_beacon_params`]).
pub fn beacon_rng(beacon_hash: &[u8], iterations_exp: u8) -> Result<ChaCha, BeaconError> {
    check_beacon_params(beacon_hash, iterations_exp)?;
    let mut digest: [u8; 32] = Sha256::digest(beacon_hash).into();
    // 2^63 fits in a u64; the first round above is one of them.
    let rounds = 1u64 << iterations_exp;
    for _ in 1..rounds {
        digest = Sha256::digest(digest).into();
    }
    Ok(ChaCha::from_be_bytes(&digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_points_are_in_their_groups() {
        let mut rng = ChaCha::new([7; 8]);
        for _ in 0..4 {
            let p = g1_from_rng(&mut rng);
            assert!(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve());
            let q = g2_from_rng(&mut rng);
            assert!(q.is_on_curve() && q.is_in_correct_subgroup_assuming_on_curve());
            assert!(!q.is_zero());
        }
    }

    #[test]
    fn beacon_bounds_are_snarkjs_bounds() {
        assert_eq!(check_beacon_params(&[], 10), Err(BeaconError::HashLength(0)));
        assert_eq!(check_beacon_params(&[0; 256], 10), Err(BeaconError::HashLength(256)));
        assert_eq!(check_beacon_params(&[0; 255], 9), Err(BeaconError::IterationsExp(9)));
        assert_eq!(check_beacon_params(&[0; 1], 64), Err(BeaconError::IterationsExp(64)));
        assert!(check_beacon_params(&[0; 1], 63).is_ok());
    }

    #[test]
    fn beacon_rng_hashes_two_to_the_exp_times() {
        let mut expected: [u8; 32] = Sha256::digest([0xab]).into();
        for _ in 1..1024 {
            expected = Sha256::digest(expected).into();
        }
        let mut a = beacon_rng(&[0xab], 10).expect("in bounds");
        let mut b = ChaCha::from_be_bytes(&expected);
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
