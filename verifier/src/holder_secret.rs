//! The holder's secret: a field element that never shows in `Debug` output
//! or error messages and is wiped from memory when dropped.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;
use zkcomply_circuits::field::{fr_to_decimal, parse_fr, FieldError};
use zkcomply_circuits::Fr;

/// The holder's secret, written in JSON as a decimal string below the
/// field modulus (as any field element).
///
/// `Debug` prints `HolderSecret(..)`; there is no `Display`. Parsing errors
/// say what is wrong without quoting the value, whatever its type. The
/// value is zeroised on drop; [`HolderSecret::expose`] hands out a copy for
/// the computations that need it (commitments, the witness).
#[derive(Clone, PartialEq, Eq)]
pub struct HolderSecret(Fr);

impl HolderSecret {
    /// Wraps a secret.
    pub fn new(value: Fr) -> Self {
        Self(value)
    }

    /// The secret's value.
    pub fn expose(&self) -> Fr {
        self.0
    }
}

impl fmt::Debug for HolderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HolderSecret(..)")
    }
}

impl Drop for HolderSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Serialize for HolderSecret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = fr_to_decimal(&self.0);
        let written = s.serialize_str(&text);
        text.zeroize();
        written
    }
}

impl<'de> Deserialize<'de> for HolderSecret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SecretVisitor)
    }
}

/// The message for a value of the wrong JSON type (never the value).
const EXPECTED: &str = "expected the holder's secret as a decimal string below the field modulus";

/// Reads a secret, answering every other JSON type with an error that names
/// the type only (serde's default messages quote numbers).
struct SecretVisitor;

impl<'de> de::Visitor<'de> for SecretVisitor {
    type Value = HolderSecret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<HolderSecret, E> {
        parse_fr(text).map(HolderSecret).map_err(|e| {
            let why = match e {
                FieldError::Empty => "found an empty string",
                FieldError::NotDecimal(_) => "found characters other than digits 0-9",
                FieldError::LeadingZero(_) => "found leading zeros",
                FieldError::TooLarge { .. } => "found a value at or above the field modulus",
            };
            E::custom(format!("{EXPECTED}: {why} (the value is not shown)"))
        })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<HolderSecret, E> {
        Err(E::custom(format!("{EXPECTED}, found a boolean")))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<HolderSecret, E> {
        Err(E::custom(format!("{EXPECTED}, found a number (the value is not shown)")))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<HolderSecret, E> {
        Err(E::custom(format!("{EXPECTED}, found a number (the value is not shown)")))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<HolderSecret, E> {
        Err(E::custom(format!("{EXPECTED}, found a number (the value is not shown)")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<HolderSecret, E> {
        Err(E::custom(format!("{EXPECTED}, found null")))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<HolderSecret, A::Error> {
        Err(de::Error::custom(format!("{EXPECTED}, found an array")))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<HolderSecret, A::Error> {
        Err(de::Error::custom(format!("{EXPECTED}, found an object")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "4518394302916327104963958390113782294751108287623164497405871238195478102735";

    #[test]
    fn round_trips_as_a_decimal_string_and_hides_in_debug() {
        let secret: HolderSecret = serde_json::from_str(&format!("\"{SECRET}\"")).unwrap();
        assert_eq!(serde_json::to_string(&secret).unwrap(), format!("\"{SECRET}\""));
        assert_eq!(format!("{secret:?}"), "HolderSecret(..)");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(HolderSecret(..))");
    }

    #[test]
    fn parse_errors_never_quote_the_value() {
        let long = format!("\"{SECRET}{SECRET}\"");
        let escaped = format!("\"\\\"{SECRET}\"");
        let float = SECRET.to_string();
        let padded = format!("\"0{SECRET}\"");
        let letters = format!("\"x{SECRET}\"");
        let array = format!("[\"{SECRET}\"]");
        let object = format!("{{\"a\": \"{SECRET}\"}}");
        for text in [long, escaped, float, padded, letters, array, object] {
            let e = serde_json::from_str::<HolderSecret>(&text).unwrap_err().to_string();
            assert!(e.starts_with(EXPECTED), "{e}");
            for piece in SECRET.as_bytes().windows(8) {
                assert!(!e.contains(std::str::from_utf8(piece).unwrap()), "{text}: {e}");
            }
        }
    }
}
