//! EdDSA-Poseidon on Baby Jubjub, exactly as circomlib and circomlibjs
//! define it.
//!
//! - key: `s` = the first 32 bytes of BLAKE-512 (the original BLAKE, not
//!   BLAKE2) of the 32-byte private key, pruned, read little-endian;
//!   `A = (s >> 3) * B8` (circomlibjs `prv2pub`);
//! - sign: `r = BLAKE-512(h[32..64] || M as 32 LE bytes) mod l`,
//!   `R8 = r * B8`, `h = Poseidon(R8x, R8y, Ax, Ay, M)`,
//!   `S = (r + h * s) mod l` (circomlibjs `signPoseidon`);
//! - verify: `S < l` and `S * B8 == R8 + (8 * h) * A`.
//!
//! Small-order policy: a public key must be on the curve, in the
//! prime-order subgroup and not the identity (checked by
//! [`PublicKey::validate`]); `R8` must be on the curve. Because `S * B8`
//! and `8 h A` lie in the prime-order subgroup, the equation itself forces
//! `R8` into it, so no small-order `R8` can satisfy it.

use ark_ff::{BigInteger, PrimeField};
use blake_hash::{Blake512, Digest};
use num_bigint::BigUint;

use crate::babyjubjub::{subgroup_order, Point};
use crate::field::fr_to_biguint;
use crate::{poseidon, Fr};

#[cfg(feature = "r1cs")]
pub mod constraints;

/// Why a key or signature is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The public key is not a point of the curve.
    #[error("public key is not a point of Baby Jubjub")]
    KeyNotOnCurve,
    /// The public key is the identity or has a small-order component.
    #[error("public key is not in the prime-order subgroup (or is the identity)")]
    KeyNotInSubgroup,
    /// `R8` is not a point of the curve.
    #[error("signature point R8 is not a point of Baby Jubjub")]
    R8NotOnCurve,
    /// `S >= l`: a malleated or malformed signature.
    #[error("signature scalar S is not below the subgroup order l")]
    ScalarNotBelowOrder,
    /// The verification equation does not hold.
    #[error("signature does not verify for this message and key")]
    Mismatch,
}

/// A 32-byte EdDSA private key (`Debug` shows no bytes; wiped from memory
/// when dropped). The bytes are private: they leave only through
/// [`PrivateKey::expose_bytes`], by name.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey([u8; 32]);

impl PrivateKey {
    /// The key of these 32 bytes (the caller wipes its own copy).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, for writing it to its key file.
    pub fn expose_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

impl Drop for PrivateKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// An EdDSA-Poseidon public key `A`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub Point);

/// A signature `(R8, S)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The commitment point.
    pub r8: Point,
    /// The scalar, below `l` for a valid signature.
    pub s: BigUint,
}

fn blake512(data: &[u8]) -> [u8; 64] {
    let digest = Blake512::digest(data);
    let mut out = [0u8; 64];
    out.copy_from_slice(&digest);
    out
}

impl PrivateKey {
    /// The pruned secret scalar `s` and the second half of the key hash.
    fn expand(&self) -> (BigUint, [u8; 32]) {
        let h = blake512(&self.0);
        let mut s = [0u8; 32];
        s.copy_from_slice(&h[..32]);
        s[0] &= 0xF8;
        s[31] &= 0x7F;
        s[31] |= 0x40;
        let mut prefix = [0u8; 32];
        prefix.copy_from_slice(&h[32..]);
        (BigUint::from_bytes_le(&s), prefix)
    }

    /// The public key, as circomlibjs `prv2pub`.
    pub fn public_key(&self) -> PublicKey {
        let (s, _) = self.expand();
        PublicKey(Point::base8().mul(&(s >> 3u8)))
    }

    /// Signs a field element, as circomlibjs `signPoseidon` (deterministic).
    pub fn sign(&self, message: Fr) -> Signature {
        let (s, prefix) = self.expand();
        let a = Point::base8().mul(&(&s >> 3u8));
        let mut compose = [0u8; 64];
        compose[..32].copy_from_slice(&prefix);
        let msg_bytes = message.into_bigint().to_bytes_le();
        compose[32..32 + msg_bytes.len()].copy_from_slice(&msg_bytes);
        let r = BigUint::from_bytes_le(&blake512(&compose)) % subgroup_order();
        let r8 = Point::base8().mul(&r);
        let h = fr_to_biguint(&challenge(&r8, &a, message));
        let s_sig = (r + h * s) % subgroup_order();
        Signature { r8, s: s_sig }
    }
}

/// `h = Poseidon(R8x, R8y, Ax, Ay, M)`.
pub fn challenge(r8: &Point, a: &Point, message: Fr) -> Fr {
    poseidon::hash_fixed([r8.x, r8.y, a.x, a.y, message])
}

impl PublicKey {
    /// Checks that the key is usable: on the curve, in the prime-order
    /// subgroup, not the identity.
    ///
    /// # Errors
    /// [`SignatureError::KeyNotOnCurve`] or [`SignatureError::KeyNotInSubgroup`].
    pub fn validate(&self) -> Result<(), SignatureError> {
        if !self.0.is_on_curve() {
            return Err(SignatureError::KeyNotOnCurve);
        }
        if self.0 == Point::identity() || !self.0.is_in_subgroup() {
            return Err(SignatureError::KeyNotInSubgroup);
        }
        Ok(())
    }

    /// Verifies `sig` over `message`, with every check of the module doc.
    ///
    /// # Errors
    /// The first [`SignatureError`] that applies.
    pub fn verify(&self, message: Fr, sig: &Signature) -> Result<(), SignatureError> {
        self.validate()?;
        if !sig.r8.is_on_curve() {
            return Err(SignatureError::R8NotOnCurve);
        }
        if &sig.s >= subgroup_order() {
            return Err(SignatureError::ScalarNotBelowOrder);
        }
        let h = fr_to_biguint(&challenge(&sig.r8, &self.0, message));
        let left = Point::base8().mul(&sig.s);
        let right = sig.r8.add(&self.0.mul(&(h * 8u8)));
        if left == right {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::parse_fr;

    struct Vector {
        key: PrivateKey,
        public: Point,
        message: Fr,
        sig: Signature,
        valid: bool,
    }

    fn vectors() -> Vec<Vector> {
        let text = include_str!("../../../data/vectors/circomlibjs-poseidon-eddsa.json");
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["eddsa_poseidon"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let key_bytes = hex_decode(c["private_key_hex"].as_str().unwrap());
                let p = |v: &serde_json::Value| parse_fr(v.as_str().unwrap()).unwrap();
                Vector {
                    key: PrivateKey(key_bytes.try_into().unwrap()),
                    public: Point::new(p(&c["public_key"][0]), p(&c["public_key"][1])),
                    message: p(&c["message"]),
                    sig: Signature {
                        r8: Point::new(p(&c["signature"]["r8"][0]), p(&c["signature"]["r8"][1])),
                        s: crate::field::parse_decimal(c["signature"]["s"].as_str().unwrap()).unwrap(),
                    },
                    valid: c["valid"].as_bool().unwrap(),
                }
            })
            .collect()
    }

    fn hex_decode(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn agrees_with_circomlibjs_vectors() {
        let vs = vectors();
        assert!(vs.iter().any(|v| v.valid) && vs.iter().any(|v| !v.valid));
        for v in vs {
            assert_eq!(v.key.public_key().0, v.public, "prv2pub");
            let pk = PublicKey(v.public);
            assert_eq!(pk.verify(v.message, &v.sig).is_ok(), v.valid);
            if v.valid {
                assert_eq!(v.key.sign(v.message), v.sig, "signPoseidon is deterministic");
            }
        }
    }

    #[test]
    fn rejects_malleated_and_malformed_signatures() {
        let v = vectors().into_iter().find(|v| v.valid).unwrap();
        let pk = PublicKey(v.public);
        let l = subgroup_order().clone();
        let mut sig = v.sig.clone();
        sig.s = &v.sig.s + &l;
        assert_eq!(pk.verify(v.message, &sig), Err(SignatureError::ScalarNotBelowOrder));
        sig.s = l.clone();
        assert_eq!(pk.verify(v.message, &sig), Err(SignatureError::ScalarNotBelowOrder));
        let mut sig = v.sig.clone();
        sig.r8.x += Fr::from(1u8);
        assert_eq!(pk.verify(v.message, &sig), Err(SignatureError::R8NotOnCurve));
        let mut bad_key = pk;
        bad_key.0.y += Fr::from(1u8);
        assert_eq!(bad_key.verify(v.message, &v.sig), Err(SignatureError::KeyNotOnCurve));
        // A key with an order-2 component.
        let order2 = Point::new(Fr::from(0u8), -Fr::from(1u8));
        let mixed = PublicKey(pk.0.add(&order2));
        assert_eq!(mixed.verify(v.message, &v.sig), Err(SignatureError::KeyNotInSubgroup));
        assert_eq!(PublicKey(Point::identity()).validate(), Err(SignatureError::KeyNotInSubgroup));
        // Another key.
        let other = PrivateKey([9u8; 32]).public_key();
        assert_eq!(other.verify(v.message, &v.sig), Err(SignatureError::Mismatch));
    }
}
