//! Hashing byte strings to G1 with the `BN254G1_XMD:SHA-256_SVDW_RO_` suite:
//! RFC 9380's `hash_to_curve` with `expand_message_xmd` over SHA-256
//! (security parameter k = 128, so 48 bytes per field element), the
//! Shallue-van de Woestijne map with `Z = 1` (RFC 9380 section 6.6.1), and no
//! cofactor clearing (G1's cofactor is 1). The suite is the one gnark-crypto
//! and other BN254 libraries publish test vectors for.
//!
//! `halo2_proofs` asks for a hasher by domain prefix
//! ([`pasta_curves::arithmetic::CurveExt::hash_to_curve`]); the domain
//! separation tag is `{domain_prefix}-BN254G1_XMD:SHA-256_SVDW_RO_`
//! ([`domain_separation_tag`]), as pasta uses
//! `{domain_prefix}-{CURVE_ID}_XMD:BLAKE2b_SSWU_RO_`. With the prefix
//! `QUUX-V01-CS02-with` this is the tag of the published test vectors.
//!
//! Inputs are public (parameter generators, never witnesses), so the map
//! takes variable-time shortcuts: it stops at the first candidate `x` whose
//! `x^3 + 3` is a square, which gives the result RFC 9380's constant-time
//! listing gives.

use ff::{Field, FromUniformBytes, PrimeField};
use group::CurveAffine as _;
use pasta_curves::arithmetic::CurveExt;
use sha2::{Digest, Sha256};

use crate::g1::curve_constant_b;
use crate::{Fq, G1Affine, G1};

/// The suite's name after the curve identifier.
const SUITE_SUFFIX: &str = "_XMD:SHA-256_SVDW_RO_";
/// Bytes of uniform output per field element: `ceil((254 + 128) / 8)`.
const BYTES_PER_ELEMENT: usize = 48;
/// `expand_message_xmd`'s output: two field elements.
const EXPANDED_LENGTH: usize = 2 * BYTES_PER_ELEMENT;
/// SHA-256's output and block sizes.
const DIGEST_BYTES: usize = 32;
const BLOCK_BYTES: usize = 64;
/// Longer tags are replaced by their hash (RFC 9380 section 5.3.3).
const MAX_TAG_BYTES: usize = 255;

/// The domain separation tag `{domain_prefix}-BN254G1_XMD:SHA-256_SVDW_RO_`.
pub fn domain_separation_tag(domain_prefix: &str) -> Vec<u8> {
    format!("{domain_prefix}-{}{SUITE_SUFFIX}", G1::CURVE_ID).into_bytes()
}

/// The Shallue-van de Woestijne constants for `Z = 1`, `A = 0`, `B = 3`
/// (RFC 9380 section 6.6.1).
#[derive(Clone, Debug)]
struct SvdwConstants {
    /// `c1 = g(Z) = Z^3 + 3 = 4`.
    g_of_z: Fq,
    /// `c2 = -Z / 2`.
    minus_z_over_two: Fq,
    /// `c3 = sqrt(-g(Z) (3 Z^2 + 4 A)) = sqrt(-12)`, the root with `sgn0 = 0`.
    root_of_minus_12: Fq,
    /// `c4 = -4 g(Z) / (3 Z^2 + 4 A) = -16 / 3`.
    minus_16_over_3: Fq,
}

impl SvdwConstants {
    fn new() -> Self {
        // c3 = 0x16789af3a83522eb353c98fc6b36d713d5d8d1cc5dffffffa (even),
        // checked against -12 in the tests.
        let root_of_minus_12 =
            Fq::from_str_vartime("8815841940592487685674414971303048083897117035520822607866").unwrap_or(Fq::ZERO);
        SvdwConstants {
            g_of_z: Fq::from(4),
            minus_z_over_two: -Fq::TWO_INV,
            root_of_minus_12,
            minus_16_over_3: -Fq::from(16) * Fq::from(3).invert().unwrap_or(Fq::ZERO),
        }
    }
}

/// A hasher for one domain separation tag: the tag's `expand_message_xmd`
/// suffix and the map's constants, computed once.
#[derive(Clone, Debug)]
pub struct HashToCurve {
    /// `DST_prime = DST || I2OSP(len(DST), 1)`.
    tag_with_length: Vec<u8>,
    constants: SvdwConstants,
}

impl HashToCurve {
    /// A hasher with the domain separation tag `tag` (hashed first if longer
    /// than 255 bytes, as RFC 9380 section 5.3.3 says).
    pub fn new(tag: &[u8]) -> Self {
        let mut tag_with_length = if tag.len() > MAX_TAG_BYTES {
            Sha256::new().chain_update(b"H2C-OVERSIZE-DST-").chain_update(tag).finalize().to_vec()
        } else {
            tag.to_vec()
        };
        tag_with_length.push(tag_with_length.len() as u8);
        HashToCurve { tag_with_length, constants: SvdwConstants::new() }
    }

    /// `hash_to_curve(message)`: the sum of the images of two field elements
    /// hashed from `message`.
    pub fn hash(&self, message: &[u8]) -> G1 {
        let [u0, u1] = self.hash_to_field(message);
        G1::from(self.map_to_curve(&u0)) + self.map_to_curve(&u1)
    }

    /// `hash_to_field(message, 2)`: 96 bytes from `expand_message_xmd`, each
    /// 48-byte half read as a big-endian integer and reduced modulo q.
    pub fn hash_to_field(&self, message: &[u8]) -> [Fq; 2] {
        let expanded = self.expand_message_xmd(message);
        let element = |bytes: &[u8]| {
            let mut little_endian = [0u8; 64];
            for (out, byte) in little_endian.iter_mut().zip(bytes.iter().rev()) {
                *out = *byte;
            }
            Fq::from_uniform_bytes(&little_endian)
        };
        [element(&expanded[..BYTES_PER_ELEMENT]), element(&expanded[BYTES_PER_ELEMENT..])]
    }

    /// RFC 9380's `expand_message_xmd` with SHA-256, for 96 output bytes.
    fn expand_message_xmd(&self, message: &[u8]) -> [u8; EXPANDED_LENGTH] {
        let b0 = Sha256::new()
            .chain_update([0u8; BLOCK_BYTES])
            .chain_update(message)
            .chain_update((EXPANDED_LENGTH as u16).to_be_bytes())
            .chain_update([0u8])
            .chain_update(&self.tag_with_length)
            .finalize();
        let mut output = [0u8; EXPANDED_LENGTH];
        let mut previous = [0u8; DIGEST_BYTES];
        for (index, chunk) in output.chunks_mut(DIGEST_BYTES).enumerate() {
            let mut input = [0u8; DIGEST_BYTES];
            for ((out, b0_byte), previous_byte) in input.iter_mut().zip(b0.iter()).zip(previous.iter()) {
                *out = b0_byte ^ previous_byte;
            }
            let block = Sha256::new()
                .chain_update(input)
                .chain_update([index as u8 + 1])
                .chain_update(&self.tag_with_length)
                .finalize();
            previous.copy_from_slice(&block);
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        output
    }

    /// The Shallue-van de Woestijne map of `u` to a point on G1 (RFC 9380
    /// section 6.6.1 with `Z = 1`).
    pub fn map_to_curve(&self, u: &Fq) -> G1Affine {
        let c = &self.constants;
        let curve = |x: &Fq| x.square() * x + curve_constant_b();
        let tv1 = u.square() * c.g_of_z;
        let tv2 = Fq::ONE + tv1;
        let tv1 = Fq::ONE - tv1;
        // inv0: the inverse, or zero for zero.
        let tv3 = (tv1 * tv2).invert().unwrap_or(Fq::ZERO);
        let tv4 = *u * tv1 * tv3 * c.root_of_minus_12;
        let x1 = c.minus_z_over_two - tv4;
        let x2 = c.minus_z_over_two + tv4;
        let candidates = [x1, x2];
        let (x, y) =
            candidates.iter().find_map(|x| Option::<Fq>::from(curve(x).sqrt()).map(|y| (*x, y))).unwrap_or_else(|| {
                // x3 = Z + c4 (tv2^2 tv3)^2: g(x3) is a square when g(x1)
                // and g(x2) are not (RFC 9380 section 6.6.1).
                let x3 = Fq::ONE + c.minus_16_over_3 * (tv2.square() * tv3).square();
                let y3 = Option::<Fq>::from(curve(&x3).sqrt()).unwrap_or(Fq::ZERO);
                (x3, y3)
            });
        let y = if bool::from(u.is_odd()) == bool::from(y.is_odd()) { y } else { -y };
        let point = G1Affine::from_xy_unchecked(x, y);
        debug_assert!(bool::from(pasta_curves::arithmetic::CurveAffine::is_on_curve(&point)));
        debug_assert!(!bool::from(point.is_identity()));
        point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_the_rfc_9380_constants() {
        let c = SvdwConstants::new();
        assert_eq!(c.root_of_minus_12.square(), -Fq::from(12));
        assert!(!bool::from(c.root_of_minus_12.is_odd()), "sgn0(c3) = 0");
        assert_eq!(c.minus_16_over_3 * Fq::from(3), -Fq::from(16));
        assert_eq!(c.minus_z_over_two.double(), -Fq::ONE);
        assert_eq!(c.g_of_z, Fq::ONE + curve_constant_b());
    }
}
