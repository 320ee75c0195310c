//! JSON value types shared by the formats: field elements and bounded
//! integers as canonical decimal strings, hex digests, points.
//!
//! Every type parses strictly (no sign, no leading zeros, no values at or
//! above its bound, never reduced) and prints canonically, so
//! `encode(decode(s)) == s` for every accepted `s`.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use zkcomply_circuits::babyjubjub::Point;
use zkcomply_circuits::field::{fr_to_decimal, parse_decimal, parse_decimal_below_bits, parse_fr};
use zkcomply_circuits::Fr;

/// A BN254 scalar field element written as a decimal string below `r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldElement(pub Fr);

impl Serialize for FieldElement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fr_to_decimal(&self.0))
    }
}

impl<'de> Deserialize<'de> for FieldElement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_fr(&s)
            .map(FieldElement)
            .map_err(|e| de::Error::custom(format!("expected a field element as a decimal string: {e}")))
    }
}

impl fmt::Display for FieldElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fr_to_decimal(&self.0))
    }
}

/// A set key: a decimal string below `2^252`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key252(pub Fr);

impl Serialize for Key252 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fr_to_decimal(&self.0))
    }
}

impl<'de> Deserialize<'de> for Key252 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_decimal_below_bits(&s, 252)
            .map_err(|e| de::Error::custom(format!("expected a decimal integer below 2^252: {e}")))
            .map(|v| {
                Key252(zkcomply_circuits::field::biguint_to_fr(&v).expect("below 2^252, so below the field modulus"))
            })
    }
}

/// An amount or limit: a decimal string below `2^128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(pub u128);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let v = parse_decimal_below_bits(&s, 128)
            .map_err(|e| de::Error::custom(format!("expected a decimal integer string below 2^128: {e}")))?;
        let digits = v.to_u64_digits();
        Ok(Amount(digits.iter().rev().fold(0u128, |acc, d| (acc << 64) | u128::from(*d))))
    }
}

/// A time or other integer below `2^53` (safe as a JSON number in JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SafeInt(pub u64);

impl<'de> Deserialize<'de> for SafeInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(d).map_err(|e| de::Error::custom(format!("expected an integer in 0..2^53: {e}")))?;
        if v >= 1 << 53 {
            return Err(de::Error::custom(format!("expected an integer in 0..2^53, found {v}")));
        }
        Ok(SafeInt(v))
    }
}

/// A Baby Jubjub point `["x", "y"]` in circomlib coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PointJson(pub FieldElement, pub FieldElement);

impl PointJson {
    /// The point.
    pub fn point(&self) -> Point {
        Point::new(self.0 .0, self.1 .0)
    }

    /// From a point.
    pub fn from_point(p: &Point) -> Self {
        Self(FieldElement(p.x), FieldElement(p.y))
    }
}

/// A scalar below the Baby Jubjub subgroup order is checked where used; in
/// JSON it is any canonical decimal (so that `S + l` parses and is then
/// rejected with a precise reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub num_bigint::BigUint);

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() > 80 {
            return Err(de::Error::custom("expected a decimal scalar of at most 80 digits"));
        }
        parse_decimal(&s).map(Scalar).map_err(|e| de::Error::custom(format!("expected a decimal scalar: {e}")))
    }
}

/// A 32-byte digest as 64 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HexDigest(pub [u8; 32]);

impl Serialize for HexDigest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for HexDigest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(de::Error::custom("expected 64 lowercase hex digits (a SHA-256 digest)"));
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(&s, &mut out).map_err(de::Error::custom)?;
        Ok(HexDigest(out))
    }
}

impl fmt::Display for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// A 64-byte digest (BLAKE2b-512: ceremony transcripts and contributions)
/// as 128 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HexDigest512(pub [u8; 64]);

impl Serialize for HexDigest512 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}

impl<'de> Deserialize<'de> for HexDigest512 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() != 128 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(de::Error::custom("expected 128 lowercase hex digits (a BLAKE2b-512 digest)"));
        }
        let mut out = [0u8; 64];
        hex::decode_to_slice(&s, &mut out).map_err(de::Error::custom)?;
        Ok(HexDigest512(out))
    }
}

impl fmt::Display for HexDigest512 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}
