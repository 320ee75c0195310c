//! snarkjs's `.ptau`: the powers of tau of a phase-1 ceremony (`ptau`,
//! version 1).
//!
//! | section | content (points in LEM, [`crate::encoding`]) |
//! |---|---|
//! | 1 | header: field size (u32, 32), prime q, `power` (u32), `ceremony_power` (u32) |
//! | 2 | tau·G1: `2^(power+1) - 1` points |
//! | 3 | tau·G2: `2^power` points |
//! | 4 | alpha·tau·G1: `2^power` points |
//! | 5 | beta·tau·G1: `2^power` points |
//! | 6 | beta·G2: 1 point |
//! | 7 | the contributions (not read here) |
//! | 12 | Lagrange bases of tau·G1 for the domains 2^0 to 2^(power+1), concatenated: `2^(power+2) - 1` points |
//! | 13, 14, 15 | the same of tau·G2, alpha·tau·G1, beta·tau·G1 for 2^0 to 2^power: `2^(power+1) - 1` points each |
//!
//! Sections 12 to 15 are written by `snarkjs powersoftau prepare phase2`;
//! a key can only be made from such a prepared file (the Lagrange bases are
//! what a circuit's key is made of). [`PtauFile`] reads the section table
//! and the header, checks every section's size against the power the
//! header claims, and then reads only the points asked for, by offset, so a
//! Hermez or PPoT file of several gigabytes is never loaded whole. Every
//! point read is validated.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use ark_bn254::{G1Affine, G2Affine};

use crate::binfile::{BinFileError, SectionTable};
use crate::encoding::{fq_modulus_le, g1s_from_lem, g2s_from_lem, EncodingError, FIELD_BYTES, G1_BYTES, G2_BYTES};

/// The kind (magic) of a `.ptau` file.
pub const PTAU_KIND: &str = "ptau";
/// The largest power BN254 supports (its scalar field's two-adicity).
pub const MAX_POWER: u32 = 28;

/// The largest contributions section read (a public transcript's hundred
/// contributions take about 200 KB).
pub const MAX_CONTRIBUTIONS_BYTES: u64 = 16 * 1024 * 1024;

/// Section types of a `.ptau`.
pub mod section {
    /// The header.
    pub const HEADER: u32 = 1;
    /// tau·G1.
    pub const TAU_G1: u32 = 2;
    /// tau·G2.
    pub const TAU_G2: u32 = 3;
    /// alpha·tau·G1.
    pub const ALPHA_TAU_G1: u32 = 4;
    /// beta·tau·G1.
    pub const BETA_TAU_G1: u32 = 5;
    /// beta·G2.
    pub const BETA_G2: u32 = 6;
    /// The contributions.
    pub const CONTRIBUTIONS: u32 = 7;
    /// Lagrange bases of tau·G1.
    pub const LAGRANGE_TAU_G1: u32 = 12;
    /// Lagrange bases of tau·G2.
    pub const LAGRANGE_TAU_G2: u32 = 13;
    /// Lagrange bases of alpha·tau·G1.
    pub const LAGRANGE_ALPHA_TAU_G1: u32 = 14;
    /// Lagrange bases of beta·tau·G1.
    pub const LAGRANGE_BETA_TAU_G1: u32 = 15;
}

/// Why a `.ptau` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PtauError {
    /// The container is malformed.
    #[error(transparent)]
    Container(#[from] BinFileError),
    /// The header is malformed or not for BN254.
    #[error("ptau file: section 1 (header): {0}")]
    Header(String),
    /// A section's size disagrees with the header's power.
    #[error("ptau file: section {section} has {found} bytes, expected {expected} for power {power}")]
    SectionSize {
        /// The section's type.
        section: u32,
        /// Its size.
        found: u64,
        /// The size the power implies.
        expected: u64,
        /// The header's power.
        power: u32,
    },
    /// The file has not been through `snarkjs powersoftau prepare phase2`.
    #[error(
        "ptau file: not prepared for phase 2 (no section 12); run `snarkjs powersoftau prepare phase2` on it first"
    )]
    NotPrepared,
    /// A read asks for points beyond a section.
    #[error("ptau file: section {section}: points {start}..{end} asked for, the section has {available}")]
    OutOfRange {
        /// The section's type.
        section: u32,
        /// First point.
        start: u64,
        /// One past the last point.
        end: u64,
        /// Points in the section.
        available: u64,
    },
    /// A point is invalid.
    #[error("ptau file: section {section}, point {index}: {source}")]
    Point {
        /// The section's type.
        section: u32,
        /// The point's index in the section.
        index: u64,
        /// What is wrong.
        #[source]
        source: EncodingError,
    },
    /// The file's power is too small for a circuit.
    #[error("ptau file: power {power} (2^{power} points), but the circuit needs power {needed}")]
    PowerTooSmall {
        /// The file's power.
        power: u32,
        /// The power the circuit needs.
        needed: u32,
    },
    /// Reading failed.
    #[error("ptau file: read failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Section 1 of a `.ptau`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PtauHeader {
    /// log2 of the number of tau·G2 powers in this file.
    pub power: u32,
    /// The power of the ceremony the file was cut from.
    pub ceremony_power: u32,
}

/// Which group a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    G1,
    G2,
}

impl Group {
    fn size(self) -> u64 {
        match self {
            Group::G1 => G1_BYTES as u64,
            Group::G2 => G2_BYTES as u64,
        }
    }
}

/// An open `.ptau`, its structure checked, its points read on demand.
#[derive(Debug)]
pub struct PtauFile<R> {
    reader: R,
    table: SectionTable,
    header: PtauHeader,
    prepared: bool,
}

impl PtauFile<BufReader<File>> {
    /// Opens the `.ptau` at `path` and checks its structure.
    ///
    /// # Errors
    ///
    /// [`PtauError`] if the file cannot be read or its structure is invalid
    /// (see [`PtauFile::new`]).
    pub fn open(path: &Path) -> Result<Self, PtauError> {
        PtauFile::new(BufReader::new(File::open(path)?))
    }
}

impl<R: Read + Seek> PtauFile<R> {
    /// Reads the section table and header of a `.ptau` and checks every
    /// section's size against the header's power. Points are not read.
    ///
    /// # Errors
    ///
    /// [`PtauError`] if the container is malformed, the header is not for
    /// BN254 or claims a power above 28, a required section is missing or
    /// duplicated, or a section's size disagrees with the power.
    pub fn new(mut reader: R) -> Result<Self, PtauError> {
        let table = SectionTable::scan(&mut reader, PTAU_KIND, &[1], "1")?;
        let entry = table.unique(section::HEADER)?;
        if entry.size != (4 + FIELD_BYTES + 8) as u64 {
            return Err(PtauError::Header(format!("{} bytes, expected {}", entry.size, 4 + FIELD_BYTES + 8)));
        }
        let mut h = [0u8; 4 + FIELD_BYTES + 8];
        reader.seek(SeekFrom::Start(entry.offset))?;
        reader.read_exact(&mut h)?;
        let word = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        if word(0) != FIELD_BYTES as u32 {
            return Err(PtauError::Header(format!("field size {} bytes, expected 32 (BN254)", word(0))));
        }
        if h[4..4 + FIELD_BYTES] != fq_modulus_le() {
            return Err(PtauError::Header("the prime is not BN254's base field q".into()));
        }
        let header = PtauHeader { power: word(4 + FIELD_BYTES), ceremony_power: word(8 + FIELD_BYTES) };
        let power = header.power;
        if power == 0 || power > MAX_POWER {
            return Err(PtauError::Header(format!("power {power}, expected 1 to {MAX_POWER}")));
        }
        if header.ceremony_power < power {
            return Err(PtauError::Header(format!(
                "power {power} exceeds the ceremony's power {}",
                header.ceremony_power
            )));
        }
        let n = 1u64 << power;
        let g1 = G1_BYTES as u64;
        let g2 = G2_BYTES as u64;
        let mut expected = vec![
            (section::TAU_G1, (2 * n - 1) * g1),
            (section::TAU_G2, n * g2),
            (section::ALPHA_TAU_G1, n * g1),
            (section::BETA_TAU_G1, n * g1),
            (section::BETA_G2, g2),
        ];
        let prepared = table.has(section::LAGRANGE_TAU_G1);
        if prepared {
            expected.extend([
                (section::LAGRANGE_TAU_G1, (4 * n - 1) * g1),
                (section::LAGRANGE_TAU_G2, (2 * n - 1) * g2),
                (section::LAGRANGE_ALPHA_TAU_G1, (2 * n - 1) * g1),
                (section::LAGRANGE_BETA_TAU_G1, (2 * n - 1) * g1),
            ]);
        }
        for (id, size) in expected {
            let found = table.unique(id)?.size;
            if found != size {
                return Err(PtauError::SectionSize { section: id, found, expected: size, power });
            }
        }
        table.unique(section::CONTRIBUTIONS)?;
        Ok(PtauFile { reader, table, header, prepared })
    }

    /// The header.
    #[must_use]
    pub fn header(&self) -> PtauHeader {
        self.header
    }

    /// Whether the file has the Lagrange sections 12 to 15.
    #[must_use]
    pub fn is_prepared(&self) -> bool {
        self.prepared
    }

    /// Checks the file can make a key for a domain of `2^needed` points: its
    /// power must be at least `needed`, and it must be prepared.
    ///
    /// # Errors
    ///
    /// [`PtauError::PowerTooSmall`] or [`PtauError::NotPrepared`].
    pub fn check_power(&self, needed: u32) -> Result<(), PtauError> {
        if needed > self.header.power {
            return Err(PtauError::PowerTooSmall { power: self.header.power, needed });
        }
        if !self.prepared {
            return Err(PtauError::NotPrepared);
        }
        Ok(())
    }

    fn check_domain(&self, domain_size: u64) -> Result<(), PtauError> {
        if !domain_size.is_power_of_two() {
            return Err(PtauError::Header(format!("a domain of {domain_size} points is not a power of two")));
        }
        self.check_power(domain_size.trailing_zeros())
    }

    fn read_raw(&mut self, id: u32, group: Group, start: u64, count: u64) -> Result<Vec<u8>, PtauError> {
        let entry = self.table.unique(id)?;
        let available = entry.size / group.size();
        if start.checked_add(count).is_none_or(|end| end > available) {
            return Err(PtauError::OutOfRange { section: id, start, end: start.saturating_add(count), available });
        }
        // Within a section checked against the file's length: the buffer is
        // no larger than the file.
        let mut buf = vec![0u8; (count * group.size()) as usize];
        self.reader.seek(SeekFrom::Start(entry.offset + start * group.size()))?;
        self.reader.read_exact(&mut buf)?;
        Ok(buf)
    }

    /// The contributions section (7) as stored, at most
    /// [`MAX_CONTRIBUTIONS_BYTES`].
    ///
    /// # Errors
    ///
    /// [`PtauError`] if the section is larger than that or reading fails.
    pub fn contributions_bytes(&mut self) -> Result<Vec<u8>, PtauError> {
        let entry = self.table.unique(section::CONTRIBUTIONS)?;
        if entry.size > MAX_CONTRIBUTIONS_BYTES {
            return Err(PtauError::Header(format!(
                "the contributions section is {} bytes, over {MAX_CONTRIBUTIONS_BYTES}",
                entry.size
            )));
        }
        let mut buf = vec![0u8; entry.size as usize];
        self.reader.seek(SeekFrom::Start(entry.offset))?;
        self.reader.read_exact(&mut buf)?;
        Ok(buf)
    }

    /// Reads and validates G1 points `start..start + count` of section `id`.
    ///
    /// # Errors
    ///
    /// [`PtauError`] if the section is absent or holds G2 points, the range
    /// exceeds it, reading fails, or a point is invalid.
    pub fn read_g1(&mut self, id: u32, start: u64, count: u64) -> Result<Vec<G1Affine>, PtauError> {
        if matches!(id, section::TAU_G2 | section::BETA_G2 | section::LAGRANGE_TAU_G2) {
            return Err(PtauError::Header(format!("section {id} holds G2 points, not G1")));
        }
        let buf = self.read_raw(id, Group::G1, start, count)?;
        g1s_from_lem(&buf, "G1 point").map_err(|(i, source)| PtauError::Point {
            section: id,
            index: start + i as u64,
            source,
        })
    }

    /// Reads and validates G2 points `start..start + count` of section `id`.
    ///
    /// # Errors
    ///
    /// [`PtauError`] if the section is absent or holds G1 points, the range
    /// exceeds it, reading fails, or a point is invalid.
    pub fn read_g2(&mut self, id: u32, start: u64, count: u64) -> Result<Vec<G2Affine>, PtauError> {
        if !matches!(id, section::TAU_G2 | section::BETA_G2 | section::LAGRANGE_TAU_G2) {
            return Err(PtauError::Header(format!("section {id} holds G1 points, not G2")));
        }
        let buf = self.read_raw(id, Group::G2, start, count)?;
        g2s_from_lem(&buf, "G2 point").map_err(|(i, source)| PtauError::Point {
            section: id,
            index: start + i as u64,
            source,
        })
    }

    /// The Lagrange basis of section `id` (12, 14 or 15) for the domain of
    /// `domain_size` points.
    ///
    /// # Errors
    ///
    /// [`PtauError`] if the file is not prepared, the domain is not a power
    /// of two within the file's range, reading fails, or a point is invalid.
    pub fn lagrange_g1(&mut self, id: u32, domain_size: u64) -> Result<Vec<G1Affine>, PtauError> {
        self.check_domain(domain_size)?;
        self.read_g1(id, domain_size.saturating_sub(1), domain_size)
    }

    /// The Lagrange basis of tau·G2 (section 13) for the domain of
    /// `domain_size` points.
    ///
    /// # Errors
    ///
    /// As [`PtauFile::lagrange_g1`].
    pub fn lagrange_g2(&mut self, domain_size: u64) -> Result<Vec<G2Affine>, PtauError> {
        self.check_domain(domain_size)?;
        self.read_g2(section::LAGRANGE_TAU_G2, domain_size.saturating_sub(1), domain_size)
    }
}
