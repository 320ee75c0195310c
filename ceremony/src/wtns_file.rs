//! circom's `.wtns`: a full assignment of a circuit's wires (`wtns`,
//! version 2; version 1 has the same layout and is read too).
//!
//! | section | content |
//! |---|---|
//! | 1 | field size (u32, 32), prime r, number of values (u32) |
//! | 2 | the values, 32 bytes each, plain little-endian |
//!
//! Value 0 is the constant one; the order is the `.r1cs`'s wire order.

use ark_bn254::Fr;

use crate::binfile::{BinFile, BinFileError, BinWriter, SectionReader};
use crate::encoding::{fr_from_le, fr_modulus_le, fr_to_le, EncodingError, FIELD_BYTES};

/// The kind (magic) of a `.wtns` file.
pub const WTNS_KIND: &str = "wtns";

/// A witness: one value per wire, the constant one first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WtnsFile {
    /// The wires' values.
    pub values: Vec<Fr>,
}

/// Why bytes are not a valid `.wtns` for BN254.
#[derive(Debug, thiserror::Error)]
pub enum WtnsError {
    /// The container is malformed.
    #[error(transparent)]
    Container(#[from] BinFileError),
    /// The header is not for BN254's scalar field.
    #[error("wtns file: section 1 (header): {0}")]
    Header(String),
    /// Section 2's size does not match the header's count.
    #[error("wtns file: section 2 has {found} bytes, expected {expected} ({count} values of 32 bytes)")]
    SectionSize {
        /// Its size.
        found: u64,
        /// The size expected.
        expected: u64,
        /// The header's count.
        count: u32,
    },
    /// A value is not below r.
    #[error("wtns file: section 2, value {index}: {source}")]
    Value {
        /// The value's index.
        index: usize,
        /// What is wrong.
        #[source]
        source: EncodingError,
    },
}

impl WtnsFile {
    /// Reads and validates a `.wtns` over BN254's scalar field.
    ///
    /// # Errors
    ///
    /// [`WtnsError`] if the container is malformed, the prime is not r,
    /// section 2's size disagrees with the count, or a value is not below r.
    pub fn from_bytes(bytes: &[u8]) -> Result<WtnsFile, WtnsError> {
        let file = BinFile::parse(bytes, WTNS_KIND, &[1, 2], "1 or 2")?;
        let header = file.section(1)?;
        let mut r = SectionReader::new(header);
        let h = |e| WtnsError::Header(format!("{e}"));
        let n8 = r.u32().map_err(h)?;
        if n8 != FIELD_BYTES as u32 {
            return Err(WtnsError::Header(format!("field size {n8} bytes, expected 32 (BN254)")));
        }
        if r.take(FIELD_BYTES).map_err(h)? != fr_modulus_le() {
            return Err(WtnsError::Header("the prime is not BN254's scalar field r".into()));
        }
        let count = r.u32().map_err(h)?;
        if r.remaining() != 0 {
            return Err(WtnsError::Header(format!("{} bytes after the value count", r.remaining())));
        }
        let body = file.section(2)?;
        let expected = u64::from(count) * FIELD_BYTES as u64;
        if body.len() as u64 != expected {
            return Err(WtnsError::SectionSize { found: body.len() as u64, expected, count });
        }
        let values = body
            .chunks_exact(FIELD_BYTES)
            .enumerate()
            .map(|(index, c)| fr_from_le(c, "witness value").map_err(|source| WtnsError::Value { index, source }))
            .collect::<Result<_, _>>()?;
        Ok(WtnsFile { values })
    }

    /// The file as circom and snarkjs write it (version 2).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = BinWriter::new(b"wtns", 2);
        w.section(1, |b| {
            b.extend_from_slice(&(FIELD_BYTES as u32).to_le_bytes());
            b.extend_from_slice(&fr_modulus_le());
            b.extend_from_slice(&(self.values.len() as u32).to_le_bytes());
        });
        w.section(2, |b| {
            b.reserve(self.values.len() * FIELD_BYTES);
            for v in &self.values {
                b.extend_from_slice(&fr_to_le(v));
            }
        });
        w.finish()
    }
}
