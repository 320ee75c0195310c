//! The normative encodings: how every party turns JSON strings into the
//! same field elements (see `docs/ENCODINGS.md`).

use ark_ff::PrimeField;
use num_bigint::BigUint;

use crate::field::{biguint_to_fr, low_bits};
use crate::{poseidon, Fr};

/// Most UTF-8 bytes [`str_key`] takes: 11 chunks of 31 bytes plus the
/// length fill Poseidon's 12 inputs.
pub const MAX_STR_BYTES: usize = 341;

/// Set keys are integers below `2^252`.
pub const KEY_BITS: u32 = 252;

/// Why a value cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    /// A string longer than [`MAX_STR_BYTES`] UTF-8 bytes.
    #[error("string is {0} UTF-8 bytes long; at most {MAX_STR_BYTES} are allowed")]
    TooLong(usize),
    /// An identity line not of the form `NAME|YYYY-MM-DD|CC`.
    #[error("identity {line:?} is not NAME|YYYY-MM-DD|CC: {why}")]
    Identity {
        /// The offending line (shortened when long).
        line: String,
        /// What is wrong.
        why: &'static str,
    },
    /// An empty address.
    #[error("address is empty")]
    EmptyAddress,
}

/// `str_key(s)`: the UTF-8 bytes of `s` in 31-byte big-endian chunks
/// `c1..ck` (the last may be shorter), `Poseidon(len, c1, ..., ck)`, low
/// 252 bits.
///
/// # Errors
/// [`EncodingError::TooLong`] past [`MAX_STR_BYTES`] bytes.
pub fn str_key(s: &str) -> Result<Fr, EncodingError> {
    let bytes = s.as_bytes();
    if bytes.len() > MAX_STR_BYTES {
        return Err(EncodingError::TooLong(bytes.len()));
    }
    let mut inputs = Vec::with_capacity(1 + bytes.len().div_ceil(31));
    inputs.push(Fr::from(bytes.len() as u64));
    for chunk in bytes.chunks(31) {
        // At most 248 bits: always below r.
        inputs.push(Fr::from_be_bytes_mod_order(chunk));
    }
    let h = poseidon::hash(&inputs).map_err(|_| EncodingError::TooLong(bytes.len()))?;
    Ok(low_bits(&h, KEY_BITS))
}

/// Whether `s` is `0x` (or `0X`) followed by exactly 40 hex digits in any
/// letter case. Accepting `0X` matters: otherwise `0X8589...` would be
/// `str_key`-ed and escape a list holding `0x8589...`.
pub fn is_evm_address(s: &str) -> bool {
    s.len() == 42
        && (s.starts_with("0x") || s.starts_with("0X"))
        && s.as_bytes()[2..].iter().all(|b| b.is_ascii_hexdigit())
}

const BECH32_CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(*v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Whether `s` is a bech32 or bech32m string with a valid checksum (in one
/// letter case, as BIP-173 requires).
pub fn is_bech32(s: &str) -> bool {
    if s.len() < 8 || s.len() > 90 || !s.is_ascii() {
        return false;
    }
    let has_lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = s.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let Some(sep) = lower.rfind('1') else { return false };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 || !hrp.bytes().all(|b| (33..=126).contains(&b)) {
        return false;
    }
    let mut values: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    values.push(0);
    values.extend(hrp.bytes().map(|b| b & 31));
    for b in data.bytes() {
        match BECH32_CHARSET.iter().position(|c| *c == b) {
            Some(p) => values.push(p as u8),
            None => return false,
        }
    }
    let check = bech32_polymod(&values);
    check == 1 || check == 0x2bc8_30a3
}

/// The canonical text of an address: bech32 addresses lower-cased, every
/// other address exactly as given (base58 is case-sensitive; EVM
/// addresses are compared by value in [`address_key`]).
pub fn normalise_address(s: &str) -> String {
    if is_bech32(s) {
        s.to_ascii_lowercase()
    } else {
        s.to_string()
    }
}

/// The set key of an address: an EVM address is the 160-bit integer of its
/// 20 bytes; any other address is `str_key` of its text (bech32 lower-cased
/// first).
///
/// # Errors
/// [`EncodingError`] for an empty or too long address.
pub fn address_key(s: &str) -> Result<Fr, EncodingError> {
    if s.is_empty() {
        return Err(EncodingError::EmptyAddress);
    }
    if is_evm_address(s) {
        let v = BigUint::parse_bytes(&s.as_bytes()[2..], 16).expect("is_evm_address admits exactly 40 hex digits");
        return Ok(biguint_to_fr(&v).expect("160 bits are below r"));
    }
    str_key(&normalise_address(s))
}

fn valid_date(date: &str) -> bool {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        date.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse().ok())
    };
    match (digits(0..4), digits(5..7), digits(8..10)) {
        (Some(_), Some(m), Some(d)) => (1..=12).contains(&m) && (1..=31).contains(&d),
        _ => false,
    }
}

/// Normalises an identity line `NAME|YYYY-MM-DD|CC`: the name folded to
/// ASCII, upper-cased, single-spaced and trimmed; the date checked; the
/// ISO 3166-1 alpha-2 code upper-cased.
///
/// # Errors
/// [`EncodingError::Identity`] naming what is wrong.
pub fn normalise_identity(line: &str) -> Result<String, EncodingError> {
    let err = |why| EncodingError::Identity { line: crate::text::shorten(line).into_owned(), why };
    let parts: Vec<&str> = line.split('|').collect();
    if parts.len() != 3 {
        return Err(err("expected three fields separated by '|'"));
    }
    let folded = deunicode::deunicode(parts[0]).to_ascii_uppercase();
    let name = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(err("the name is empty"));
    }
    let date = parts[1].trim();
    if !valid_date(date) {
        return Err(err("the birth date is not YYYY-MM-DD"));
    }
    let cc = parts[2].trim().to_ascii_uppercase();
    if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(err("the nationality is not a two-letter ISO 3166-1 alpha-2 code"));
    }
    Ok(format!("{name}|{date}|{cc}"))
}

/// `identity_hash = str_key(normalise_identity(line))`.
///
/// # Errors
/// As [`normalise_identity`] and [`str_key`].
pub fn identity_hash(line: &str) -> Result<Fr, EncodingError> {
    str_key(&normalise_identity(line)?)
}

/// The field elements of one withdrawal that `context` commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextFields {
    /// The chain id.
    pub chain_id: Fr,
    /// `str_key(exchange_id)`.
    pub exchange_key: Fr,
    /// `str_key(withdrawal_id)`.
    pub withdrawal_key: Fr,
    /// The source address key.
    pub source_key: Fr,
    /// The destination address key.
    pub destination_key: Fr,
    /// `str_key(asset)`.
    pub asset_key: Fr,
    /// The amount (below 2^128).
    pub amount: Fr,
}

impl ContextFields {
    /// Encodes the clear fields of a withdrawal.
    ///
    /// # Errors
    /// [`EncodingError`] for strings that cannot be encoded.
    pub fn encode(
        chain_id: u64,
        exchange_id: &str,
        withdrawal_id: &str,
        source_address: &str,
        destination_address: &str,
        asset: &str,
        amount: u128,
    ) -> Result<Self, EncodingError> {
        Ok(Self {
            chain_id: Fr::from(chain_id),
            exchange_key: str_key(exchange_id)?,
            withdrawal_key: str_key(withdrawal_id)?,
            source_key: address_key(source_address)?,
            destination_key: address_key(destination_address)?,
            asset_key: str_key(asset)?,
            amount: Fr::from(amount),
        })
    }

    /// `context = Poseidon(chain_id, exchange_key, withdrawal_key,
    /// source_key, destination_key, asset_key, amount)`.
    pub fn context(&self) -> Fr {
        poseidon::hash_fixed([
            self.chain_id,
            self.exchange_key,
            self.withdrawal_key,
            self.source_key,
            self.destination_key,
            self.asset_key,
            self.amount,
        ])
    }
}

/// `id_commitment = Poseidon(secret)`.
pub fn id_commitment(secret: Fr) -> Fr {
    poseidon::hash_fixed([secret])
}

/// `nullifier = Poseidon(secret, exchange_key, epoch)`.
pub fn nullifier(secret: Fr, exchange_key: Fr, epoch: u64) -> Fr {
    poseidon::hash_fixed([secret, exchange_key, Fr::from(epoch)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::fits_bits;

    #[test]
    fn str_key_fits_252_bits_and_depends_on_every_byte() {
        let a = str_key("okx-main").unwrap();
        assert!(fits_bits(&a, 252));
        assert_ne!(a, str_key("okx-mains").unwrap());
        assert_ne!(str_key("").unwrap(), str_key("\0").unwrap(), "the length is hashed");
        let long = "x".repeat(MAX_STR_BYTES);
        assert!(str_key(&long).is_ok());
        assert_eq!(str_key(&format!("{long}x")), Err(EncodingError::TooLong(342)));
        // Multi-byte characters count as bytes.
        assert_eq!(str_key(&"é".repeat(171)), Err(EncodingError::TooLong(342)));
    }

    #[test]
    fn str_key_matches_its_definition() {
        // 31-byte chunks, big-endian, the last one short.
        let s = "a".repeat(40);
        let c1 = Fr::from_be_bytes_mod_order(&[b'a'; 31]);
        let c2 = Fr::from_be_bytes_mod_order(&[b'a'; 9]);
        let h = poseidon::hash(&[Fr::from(40u8), c1, c2]).unwrap();
        assert_eq!(str_key(&s).unwrap(), low_bits(&h, 252));
    }

    #[test]
    fn evm_addresses_ignore_letter_case() {
        let mixed = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";
        let lower = mixed.to_ascii_lowercase();
        let upper = format!("0x{}", mixed[2..].to_ascii_uppercase());
        let k = address_key(mixed).unwrap();
        assert_eq!(k, address_key(&mixed.to_ascii_uppercase()).unwrap(), "0X prefix");
        assert_eq!(k, address_key(&lower).unwrap());
        assert_eq!(k, address_key(&upper).unwrap());
        assert!(fits_bits(&k, 160));
        assert_eq!(
            k,
            biguint_to_fr(&BigUint::parse_bytes(b"8589427373D6D84E98730D7795D8f6f8731FDA16", 16).unwrap()).unwrap()
        );
    }

    #[test]
    fn bech32_is_lower_cased_and_base58_is_not() {
        let bc = "bc1q05aktddf9ce4p7hh3stgsf253m4vweu7nkhtmw";
        assert!(is_bech32(bc));
        assert_eq!(address_key(&bc.to_ascii_uppercase()).unwrap(), address_key(bc).unwrap());
        // A checksum error: not bech32, so the exact string counts.
        assert!(!is_bech32("bc1q05aktddf9ce4p7hh3stgsf253m4vweu7nkhtmq"));
        let b58 = "18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB";
        assert_ne!(address_key(b58).unwrap(), address_key(&b58.to_ascii_lowercase()).unwrap());
        assert!(address_key("").is_err());
    }

    #[test]
    fn identities_are_normalised() {
        let a = normalise_identity("  José   Müller-Łukasz |1980-02-29| de").unwrap();
        assert_eq!(a, "JOSE MULLER-LUKASZ|1980-02-29|DE");
        assert_eq!(identity_hash("jose muller-lukasz|1980-02-29|DE").unwrap(), str_key(&a).unwrap());
        assert!(normalise_identity("NAME|1980-13-01|DE").is_err());
        assert!(normalise_identity("NAME|1980-01-01|DEU").is_err());
        assert!(normalise_identity("NAME|1980-01-01").is_err());
        assert!(normalise_identity(" |1980-01-01|DE").is_err());
    }
}
