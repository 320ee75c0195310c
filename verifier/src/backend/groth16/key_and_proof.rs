//! The Groth16 verifying key and proof, and their compressed encoding.
//!
//! The types serialise exactly as `ark-groth16`'s (`VerifyingKey`,
//! `Proof`), so keys and proofs made by the prover decode here. Everything
//! from outside is decoded compressed with full checks (on the curve, in
//! the prime-order subgroup), with no trailing bytes, and the point at
//! infinity is refused explicitly.

use ark_bn254::{G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};

use super::error::Groth16Error;
use super::g2_subgroup;

/// A Groth16 verifying key (same layout as `ark_groth16::VerifyingKey`).
#[derive(Debug, Clone, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct VerifyingKey {
    /// `alpha` in G1.
    pub alpha_g1: G1Affine,
    /// `beta` in G2.
    pub beta_g2: G2Affine,
    /// `gamma` in G2.
    pub gamma_g2: G2Affine,
    /// `delta` in G2.
    pub delta_g2: G2Affine,
    /// One point per public input, plus one for the constant.
    pub gamma_abc_g1: Vec<G1Affine>,
}

/// A Groth16 proof (same layout as `ark_groth16::Proof`): 128 bytes compressed.
#[derive(Debug, Clone, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct Proof {
    /// `A` in G1.
    pub a: G1Affine,
    /// `B` in G2.
    pub b: G2Affine,
    /// `C` in G1.
    pub c: G1Affine,
}

/// Size of a compressed proof.
pub const PROOF_BYTES: usize = 128;

fn decode<T: CanonicalDeserialize>(what: &'static str, bytes: &[u8]) -> Result<T, Groth16Error> {
    let mut reader = bytes;
    let value =
        T::deserialize_compressed(&mut reader).map_err(|e| Groth16Error::Decode { what, why: e.to_string() })?;
    if !reader.is_empty() {
        return Err(Groth16Error::Decode { what, why: format!("{} trailing bytes", reader.len()) });
    }
    Ok(value)
}

/// The compressed bytes of a value (writing into a `Vec` cannot fail).
fn encode<T: CanonicalSerialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.compressed_size());
    value.serialize_compressed(&mut out).expect("serialising into a Vec cannot fail");
    out
}

impl Proof {
    /// Decodes a compressed proof with every check.
    ///
    /// # Errors
    /// [`Groth16Error::Decode`] for a wrong length, invalid or identity point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        if bytes.len() != PROOF_BYTES {
            return Err(Groth16Error::Decode {
                what: "proof",
                why: format!("expected {PROOF_BYTES} bytes, found {}", bytes.len()),
            });
        }
        // Decoded without arkworks' validation, then checked here: on the
        // curve (decompression already solves the curve equation; checked
        // anyway, it is cheap), and B in the prime-order subgroup by the
        // 63-bit test of `g2_subgroup` (half the cost of arkworks' 127-bit
        // one). G1 has cofactor 1: on the curve is in the group.
        let mut reader = bytes;
        let p = Self::deserialize_with_mode(&mut reader, Compress::Yes, Validate::No)
            .map_err(|e| Groth16Error::Decode { what: "proof", why: e.to_string() })?;
        if !reader.is_empty() {
            return Err(Groth16Error::Decode { what: "proof", why: format!("{} trailing bytes", reader.len()) });
        }
        if p.a.is_zero() || p.b.is_zero() || p.c.is_zero() {
            return Err(Groth16Error::Decode { what: "proof", why: "a proof point is the point at infinity".into() });
        }
        if !(p.a.is_on_curve() && p.b.is_on_curve() && p.c.is_on_curve()) {
            return Err(Groth16Error::Decode { what: "proof", why: "a proof point is not on the curve".into() });
        }
        if !g2_subgroup::is_in_subgroup(&p.b) {
            return Err(Groth16Error::Decode {
                what: "proof",
                why: "B is not in the prime-order subgroup of G2".into(),
            });
        }
        Ok(p)
    }

    /// The compressed bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }
}

impl VerifyingKey {
    /// Decodes a compressed key with every check.
    ///
    /// # Errors
    /// [`Groth16Error::Decode`] for invalid bytes, identity points, or bytes
    /// that are not the key's canonical encoding.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        // `decode` validates every point: on its curve, and in the
        // prime-order subgroup (G2's cofactor is not 1; G1's is).
        let vk: Self = decode("verifying key", bytes)?;
        // arkworks decodes a point flagged as infinity whatever its
        // coordinate bytes hold; the key's identity is the SHA-256 of its
        // bytes, so one key must have one encoding.
        if encode(&vk) != bytes {
            return Err(Groth16Error::Decode {
                what: "verifying key",
                why: "not the canonical encoding of the key it decodes to".into(),
            });
        }
        let infinity = |point: String| Groth16Error::Decode {
            what: "verifying key",
            why: format!("{point} is the point at infinity"),
        };
        for (name, is_zero) in [
            ("alpha_g1", vk.alpha_g1.is_zero()),
            ("beta_g2", vk.beta_g2.is_zero()),
            ("gamma_g2", vk.gamma_g2.is_zero()),
            ("delta_g2", vk.delta_g2.is_zero()),
        ] {
            if is_zero {
                return Err(infinity(name.into()));
            }
        }
        if vk.gamma_abc_g1.is_empty() {
            return Err(Groth16Error::Decode {
                what: "verifying key",
                why: "gamma_abc_g1 is empty; it needs one point for the constant and one per public input".into(),
            });
        }
        // A base at infinity drops its public input out of the pairing
        // check: any value of that input would verify.
        if let Some(i) = vk.gamma_abc_g1.iter().position(AffineRepr::is_zero) {
            return Err(infinity(format!("gamma_abc_g1[{i}]")));
        }
        Ok(vk)
    }

    /// The canonical compressed bytes (hashed for the key's identity).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }

    /// Number of public inputs the key takes.
    pub fn public_input_count(&self) -> usize {
        self.gamma_abc_g1.len().saturating_sub(1)
    }
}
