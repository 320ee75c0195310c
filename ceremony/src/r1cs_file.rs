//! circom's `.r1cs`: a rank-1 constraint system (`r1cs`, version 1).
//!
//! | section | content |
//! |---|---|
//! | 1 | header: field size (u32, 32), prime r, `n_wires`, `n_pub_out`, `n_pub_in`, `n_prv_in` (u32 each), `n_labels` (u64), `m_constraints` (u32) |
//! | 2 | constraints: for each, the linear combinations A, B, C, each a term count (u32) then (wire u32, coefficient 32 bytes plain little-endian) |
//! | 3 | wire-to-label map: `n_wires` u64 |
//!
//! Wire 0 is the constant one, then the public outputs, the public inputs,
//! then every other wire. A linear combination names each wire at most once
//! (snarkjs keeps only the last term of a repeated wire, so the reader
//! refuses them). Sections 4 and 5 (PLONK custom gates) are refused:
//! a Groth16 key cannot be made from them.

use ark_bn254::Fr;

use crate::binfile::{BinFile, BinFileError, BinWriter, SectionEnd, SectionReader};
use crate::encoding::{fr_from_le, fr_modulus_le, fr_to_le, EncodingError, FIELD_BYTES};

/// The kind (magic) of an `.r1cs` file.
pub const R1CS_KIND: &str = "r1cs";
/// Bytes of the header section.
const HEADER_LEN: usize = 4 + FIELD_BYTES + 16 + 8 + 4;
/// Bytes of one term: wire (u32) and coefficient.
const TERM_LEN: usize = 4 + FIELD_BYTES;

/// A linear combination: (wire, coefficient) terms.
pub type LinearCombination = Vec<(u32, Fr)>;

/// One constraint `<A, w> · <B, w> = <C, w>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct R1csConstraint {
    /// A.
    pub a: LinearCombination,
    /// B.
    pub b: LinearCombination,
    /// C.
    pub c: LinearCombination,
}

/// A whole `.r1cs` over BN254's scalar field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct R1csFile {
    /// Wires, the constant one included.
    pub n_wires: u32,
    /// Public outputs (wires `1..=n_pub_out`).
    pub n_pub_out: u32,
    /// Public inputs (the wires after the outputs).
    pub n_pub_in: u32,
    /// Private inputs (the wires after the public inputs).
    pub n_prv_in: u32,
    /// Labels (circom's signals before optimisation).
    pub n_labels: u64,
    /// The constraints.
    pub constraints: Vec<R1csConstraint>,
    /// Each wire's label.
    pub wire_to_label: Vec<u64>,
}

/// Why bytes are not a valid `.r1cs` for BN254.
#[derive(Debug, thiserror::Error)]
pub enum R1csError {
    /// The container is malformed.
    #[error(transparent)]
    Container(#[from] BinFileError),
    /// A section's size is wrong.
    #[error("r1cs file: section {section} ({name}) has {found} bytes, expected {expected}")]
    SectionSize {
        /// The section's type.
        section: u32,
        /// What it holds.
        name: &'static str,
        /// Its size.
        found: u64,
        /// The size expected.
        expected: u64,
    },
    /// The header is not for BN254's scalar field or is inconsistent.
    #[error("r1cs file: section 1 (header): {0}")]
    Header(String),
    /// A constraint is malformed.
    #[error("r1cs file: section 2, constraint {index}: {reason}")]
    Constraint {
        /// The constraint's index.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// Section 2 has bytes after the last constraint.
    #[error("r1cs file: section 2 has {extra} bytes after its {count} constraints")]
    ConstraintsTrailing {
        /// Bytes left over.
        extra: usize,
        /// The header's constraint count.
        count: u32,
    },
    /// A wire's label is out of range.
    #[error("r1cs file: section 3: wire {wire} has label {label}, but there are {n_labels} labels")]
    Label {
        /// The wire.
        wire: usize,
        /// Its label.
        label: u64,
        /// The header's label count.
        n_labels: u64,
    },
    /// The file uses PLONK custom gates.
    #[error("r1cs file: it has PLONK custom gates (section {0}), which Groth16 cannot use")]
    CustomGates(u32),
}

impl R1csFile {
    /// The number of public wires (outputs and inputs), the one excluded.
    #[must_use]
    pub fn n_public(&self) -> u32 {
        self.n_pub_out + self.n_pub_in
    }

    /// Reads and validates an `.r1cs` over BN254's scalar field.
    ///
    /// # Errors
    ///
    /// [`R1csError`] naming the section and what was expected if the
    /// container is malformed, the prime is not BN254's r, the header's
    /// counts are inconsistent, a term names a wire beyond `n_wires` or a
    /// coefficient not below r, or a label is out of range.
    pub fn from_bytes(bytes: &[u8]) -> Result<R1csFile, R1csError> {
        let file = BinFile::parse(bytes, R1CS_KIND, &[1], "1")?;
        for gates in [4, 5] {
            if file.table().has(gates) {
                return Err(R1csError::CustomGates(gates));
            }
        }
        let header = file.section(1)?;
        if header.len() != HEADER_LEN {
            return Err(R1csError::SectionSize {
                section: 1,
                name: "header",
                found: header.len() as u64,
                expected: HEADER_LEN as u64,
            });
        }
        let mut r = SectionReader::new(header);
        let h = |e: SectionEnd| R1csError::Header(e.to_string());
        let n8 = r.u32().map_err(h)?;
        if n8 != FIELD_BYTES as u32 {
            return Err(R1csError::Header(format!("field size {n8} bytes, expected 32 (BN254)")));
        }
        if r.take(FIELD_BYTES).map_err(h)? != fr_modulus_le() {
            return Err(R1csError::Header("the prime is not BN254's scalar field r".into()));
        }
        let n_wires = r.u32().map_err(h)?;
        let n_pub_out = r.u32().map_err(h)?;
        let n_pub_in = r.u32().map_err(h)?;
        let n_prv_in = r.u32().map_err(h)?;
        let n_labels = r.u64().map_err(h)?;
        let m_constraints = r.u32().map_err(h)?;
        let inputs = 1 + u64::from(n_pub_out) + u64::from(n_pub_in) + u64::from(n_prv_in);
        if inputs > u64::from(n_wires) {
            return Err(R1csError::Header(format!(
                "{n_pub_out} outputs, {n_pub_in} public and {n_prv_in} private inputs and the one need {inputs} wires, the header has {n_wires}"
            )));
        }
        let constraints = read_constraints(file.section(2)?, n_wires, m_constraints)?;
        let map = file.section(3)?;
        let expected = u64::from(n_wires) * 8;
        if map.len() as u64 != expected {
            return Err(R1csError::SectionSize {
                section: 3,
                name: "wire-to-label map",
                found: map.len() as u64,
                expected,
            });
        }
        let mut wire_to_label = Vec::with_capacity(n_wires as usize);
        for (wire, chunk) in map.chunks_exact(8).enumerate() {
            let mut a = [0u8; 8];
            a.copy_from_slice(chunk);
            let label = u64::from_le_bytes(a);
            if label >= n_labels {
                return Err(R1csError::Label { wire, label, n_labels });
            }
            wire_to_label.push(label);
        }
        Ok(R1csFile { n_wires, n_pub_out, n_pub_in, n_prv_in, n_labels, constraints, wire_to_label })
    }

    /// The file as circom writes it: sections 1, 2, 3.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = BinWriter::new(b"r1cs", 1);
        w.section(1, |b| {
            b.extend_from_slice(&(FIELD_BYTES as u32).to_le_bytes());
            b.extend_from_slice(&fr_modulus_le());
            for v in [self.n_wires, self.n_pub_out, self.n_pub_in, self.n_prv_in] {
                b.extend_from_slice(&v.to_le_bytes());
            }
            b.extend_from_slice(&self.n_labels.to_le_bytes());
            b.extend_from_slice(&(self.constraints.len() as u32).to_le_bytes());
        });
        w.section(2, |b| {
            for c in &self.constraints {
                for lc in [&c.a, &c.b, &c.c] {
                    b.extend_from_slice(&(lc.len() as u32).to_le_bytes());
                    for (wire, value) in lc {
                        b.extend_from_slice(&wire.to_le_bytes());
                        b.extend_from_slice(&fr_to_le(value));
                    }
                }
            }
        });
        w.section(3, |b| {
            for label in &self.wire_to_label {
                b.extend_from_slice(&label.to_le_bytes());
            }
        });
        w.finish()
    }
}

fn read_constraints(bytes: &[u8], n_wires: u32, count: u32) -> Result<Vec<R1csConstraint>, R1csError> {
    // A constraint takes at least its three term counts: refuse a count the
    // section cannot hold before allocating for it.
    if u64::from(count) * 12 > bytes.len() as u64 {
        return Err(R1csError::SectionSize {
            section: 2,
            name: "constraints",
            found: bytes.len() as u64,
            expected: u64::from(count) * 12,
        });
    }
    let mut r = SectionReader::new(bytes);
    let mut constraints = Vec::with_capacity(count as usize);
    for index in 0..count as usize {
        let bad = |reason: String| R1csError::Constraint { index, reason };
        let mut lcs: [LinearCombination; 3] = Default::default();
        for (lc, name) in lcs.iter_mut().zip(["A", "B", "C"]) {
            let terms = r.u32().map_err(|e| bad(format!("{name}: {e}")))?;
            let body = r
                .take((terms as usize).saturating_mul(TERM_LEN))
                .map_err(|e| bad(format!("{name} has {terms} terms: {e}")))?;
            lc.reserve(terms as usize);
            for term in body.chunks_exact(TERM_LEN) {
                let wire = u32::from_le_bytes([term[0], term[1], term[2], term[3]]);
                if wire >= n_wires {
                    return Err(bad(format!("{name} names wire {wire}, but there are {n_wires} wires")));
                }
                let value = fr_from_le(&term[4..], "coefficient")
                    .map_err(|e: EncodingError| bad(format!("{name}, wire {wire}: {e}")))?;
                lc.push((wire, value));
            }
            let mut wires: Vec<u32> = lc.iter().map(|&(w, _)| w).collect();
            wires.sort_unstable();
            if let Some(w) = wires.windows(2).find(|w| w[0] == w[1]) {
                return Err(bad(format!("{name} names wire {} twice", w[0])));
            }
        }
        let [a, b, c] = lcs;
        constraints.push(R1csConstraint { a, b, c });
    }
    if r.remaining() != 0 {
        return Err(R1csError::ConstraintsTrailing { extra: r.remaining(), count });
    }
    Ok(constraints)
}
