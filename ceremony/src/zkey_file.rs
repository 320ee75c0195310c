//! Reading and writing a [`Zkey`] byte for byte as snarkjs does
//! (`zkey_utils.js`: `writeHeader`, `readHeaderGroth16`, `writeMPCParams`,
//! `readMPCParams`; `zkey_new.js` for the section order of a new key).
//!
//! The reader checks everything before trusting it: the container, the
//! protocol (Groth16), the primes (BN254), every section's size against the
//! header's `n_vars`, `n_public` and `domain_size`, every point (on the
//! curve, G2 in the subgroup), every coefficient's matrix, row and wire, and
//! every contribution's fields. Section 4's coefficients are stored as
//! snarkjs stores them: the value times R² (R = 2^256) mod r, plain
//! little-endian, that is the Montgomery form of the Montgomery form.
//!
//! Section order: snarkjs's `zkey new` writes sections 1, 2, 4, 3, 9, 8, 5,
//! 6, 7, 10, while `zkey contribute` and `zkey beacon` write 1 to 10 in
//! order. [`Zkey::to_bytes`] follows the first for a key without
//! contributions and the second otherwise, so it reproduces both commands'
//! output exactly. Readers look sections up by type and accept any order.

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ff::{Field, PrimeField};
use rayon::prelude::*;

use crate::binfile::{BinFile, BinFileError, BinWriter, SectionEnd, SectionReader};
use crate::encoding::{
    extend_g1s_lem, extend_g2s_lem, fq_modulus_le, fr_from_le, fr_modulus_le, fr_to_le, g1_from_lem, g1_to_lem,
    g1s_from_lem, g2_from_lem, g2_to_lem, g2s_from_lem, EncodingError, FIELD_BYTES, G1_BYTES, G2_BYTES,
};
use crate::zkey::{
    Coefficient, Contribution, ContributionKind, DeltaPublicKey, Groth16Header, Matrix, MpcParams, Zkey,
};

/// The kind (magic) of a `.zkey` file.
pub const ZKEY_KIND: &str = "zkey";
/// snarkjs's protocol id for Groth16 (section 1).
pub const GROTH16_PROTOCOL_ID: u32 = 1;
/// Bytes of section 2 for BN254.
pub const HEADER_SECTION_LEN: usize = 4 + FIELD_BYTES + 4 + FIELD_BYTES + 12 + 3 * G1_BYTES + 3 * G2_BYTES;
/// Bytes of one coefficient of section 4.
pub const COEFFICIENT_LEN: usize = 12 + FIELD_BYTES;

/// Why bytes are not a valid Groth16 `.zkey` for BN254.
#[derive(Debug, thiserror::Error)]
pub enum ZkeyError {
    /// The container itself is malformed.
    #[error(transparent)]
    Container(#[from] BinFileError),
    /// Section 1 names another protocol.
    #[error("zkey file: section 1 names protocol {found}, expected 1 (Groth16; 2 is PLONK, 10 is FFLONK)")]
    Protocol {
        /// The protocol id in the file.
        found: u32,
    },
    /// Section 2 is not for BN254.
    #[error("zkey file: section 2 {what}, expected BN254's")]
    Curve {
        /// What differs.
        what: &'static str,
    },
    /// A section's size does not match what the header implies.
    #[error("zkey file: section {section} ({name}) has {found} bytes, expected {expected}")]
    SectionSize {
        /// The section's type.
        section: u32,
        /// What it holds.
        name: &'static str,
        /// Its size in the file.
        found: u64,
        /// The size the header implies.
        expected: u64,
    },
    /// A section ends before a value it must hold.
    #[error("zkey file: section {section} ({name}) is truncated: {source}")]
    Truncated {
        /// The section's type.
        section: u32,
        /// What it holds.
        name: &'static str,
        /// Where it ran out.
        #[source]
        source: SectionEnd,
    },
    /// A point or field element is invalid.
    #[error("zkey file: section {section}, item {index}: {source}")]
    Value {
        /// The section's type.
        section: u32,
        /// The item's index within the section.
        index: usize,
        /// What is wrong with it.
        #[source]
        source: EncodingError,
    },
    /// The header's sizes are inconsistent.
    #[error("zkey file: section 2: {0}")]
    Header(String),
    /// A coefficient of section 4 is out of range.
    #[error("zkey file: section 4, coefficient {index}: {reason}")]
    Coefficient {
        /// The coefficient's index.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A contribution of section 10 is malformed.
    #[error("zkey file: section 10, contribution {index}: {reason}")]
    Contribution {
        /// The contribution's index.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// Section 10 has bytes after its last contribution.
    #[error("zkey file: section 10 has {extra} bytes after its {count} contributions")]
    MpcTrailing {
        /// Bytes left over.
        extra: usize,
        /// The contribution count.
        count: u32,
    },
}

/// Section types of a Groth16 `.zkey`.
mod section {
    pub const PROTOCOL: u32 = 1;
    pub const HEADER: u32 = 2;
    pub const IC: u32 = 3;
    pub const COEFFICIENTS: u32 = 4;
    pub const A: u32 = 5;
    pub const B_G1: u32 = 6;
    pub const B_G2: u32 = 7;
    pub const C: u32 = 8;
    pub const H: u32 = 9;
    pub const MPC: u32 = 10;
}

/// R² mod r as a field element: section 4 stores `value · R²`.
fn r2() -> Fr {
    Fr::from_bigint(Fr::R2).unwrap_or_default()
}

/// A coefficient's value as section 4 stores it.
#[must_use]
pub fn coefficient_to_bytes(value: &Fr) -> [u8; FIELD_BYTES] {
    fr_to_le(&(*value * r2()))
}

/// Reads a coefficient's value as section 4 stores it.
///
/// # Errors
///
/// [`EncodingError`] if the bytes are not 32 or the stored value is not
/// below r.
pub fn coefficient_from_bytes(bytes: &[u8]) -> Result<Fr, EncodingError> {
    let stored = fr_from_le(bytes, "coefficient")?;
    // R² is invertible (r is prime and does not divide 2^512).
    let inv = r2().inverse().unwrap_or_default();
    Ok(stored * inv)
}

impl Zkey {
    /// Reads and validates a snarkjs Groth16 `.zkey` for BN254.
    ///
    /// # Errors
    ///
    /// [`ZkeyError`] naming the section and what was expected if the
    /// container is malformed, the key is not Groth16 over BN254, a
    /// section's size disagrees with the header, a point is invalid, a
    /// coefficient is out of range, or a contribution is malformed.
    pub fn from_bytes(bytes: &[u8]) -> Result<Zkey, ZkeyError> {
        let file = BinFile::parse(bytes, ZKEY_KIND, &[1], "1")?;

        let protocol = file.section(section::PROTOCOL)?;
        expect_size(section::PROTOCOL, "protocol", protocol.len(), 4)?;
        let found = u32::from_le_bytes([protocol[0], protocol[1], protocol[2], protocol[3]]);
        if found != GROTH16_PROTOCOL_ID {
            return Err(ZkeyError::Protocol { found });
        }

        let header = read_header(file.section(section::HEADER)?)?;
        let n_vars = header.n_vars as usize;
        let n_public = header.n_public as usize;
        let domain = header.domain_size as usize;

        let ic = g1_section(file.section(section::IC)?, section::IC, "IC", n_public + 1)?;
        let coefficients = read_coefficients(file.section(section::COEFFICIENTS)?, &header)?;
        let a = g1_section(file.section(section::A)?, section::A, "A", n_vars)?;
        let b_g1 = g1_section(file.section(section::B_G1)?, section::B_G1, "B in G1", n_vars)?;
        let b_g2 = g2_section(file.section(section::B_G2)?, section::B_G2, "B in G2", n_vars)?;
        let c = g1_section(file.section(section::C)?, section::C, "C", n_vars - n_public - 1)?;
        let h = g1_section(file.section(section::H)?, section::H, "H", domain)?;
        let mpc = read_mpc(file.section(section::MPC)?)?;
        Ok(Zkey { header, ic, coefficients, a, b_g1, b_g2, c, h, mpc })
    }

    /// The key as snarkjs writes it: `zkey new`'s section order if it has no
    /// contributions, `zkey contribute`'s (1 to 10) otherwise.
    ///
    /// A contributor's name longer than 255 bytes and a beacon hash longer
    /// than 255 bytes cannot be stored (their length is one byte): they are
    /// cut to 255 bytes, the name at a character boundary.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = BinWriter::new(b"zkey", 1);
        w.section(section::PROTOCOL, |b| b.extend_from_slice(&GROTH16_PROTOCOL_ID.to_le_bytes()));
        w.section(section::HEADER, |b| write_header(b, &self.header));
        let order: [u32; 8] = if self.mpc.contributions.is_empty() {
            [
                section::COEFFICIENTS,
                section::IC,
                section::H,
                section::C,
                section::A,
                section::B_G1,
                section::B_G2,
                section::MPC,
            ]
        } else {
            [
                section::IC,
                section::COEFFICIENTS,
                section::A,
                section::B_G1,
                section::B_G2,
                section::C,
                section::H,
                section::MPC,
            ]
        };
        for id in order {
            w.section(id, |b| match id {
                section::IC => extend_g1s_lem(b, &self.ic),
                section::COEFFICIENTS => write_coefficients(b, &self.coefficients),
                section::A => extend_g1s_lem(b, &self.a),
                section::B_G1 => extend_g1s_lem(b, &self.b_g1),
                section::B_G2 => extend_g2s_lem(b, &self.b_g2),
                section::C => extend_g1s_lem(b, &self.c),
                section::H => extend_g1s_lem(b, &self.h),
                _ => write_mpc(b, &self.mpc),
            });
        }
        w.finish()
    }
}

fn expect_size(section: u32, name: &'static str, found: usize, expected: u64) -> Result<(), ZkeyError> {
    if found as u64 != expected {
        return Err(ZkeyError::SectionSize { section, name, found: found as u64, expected });
    }
    Ok(())
}

fn read_header(bytes: &[u8]) -> Result<Groth16Header, ZkeyError> {
    const S: u32 = section::HEADER;
    expect_size(S, "Groth16 header", bytes.len(), HEADER_SECTION_LEN as u64)?;
    let mut r = SectionReader::new(bytes);
    let trunc = |source| ZkeyError::Truncated { section: S, name: "Groth16 header", source };
    if r.u32().map_err(trunc)? != FIELD_BYTES as u32 {
        return Err(ZkeyError::Curve { what: "has a base field size other than 32 bytes" });
    }
    if r.take(FIELD_BYTES).map_err(trunc)? != fq_modulus_le() {
        return Err(ZkeyError::Curve { what: "has a base field prime q" });
    }
    if r.u32().map_err(trunc)? != FIELD_BYTES as u32 {
        return Err(ZkeyError::Curve { what: "has a scalar field size other than 32 bytes" });
    }
    if r.take(FIELD_BYTES).map_err(trunc)? != fr_modulus_le() {
        return Err(ZkeyError::Curve { what: "has a scalar field prime r" });
    }
    let n_vars = r.u32().map_err(trunc)?;
    let n_public = r.u32().map_err(trunc)?;
    let domain_size = r.u32().map_err(trunc)?;
    if n_public >= n_vars {
        return Err(ZkeyError::Header(format!(
            "{n_public} public inputs need at least {} wires, the header has {n_vars}",
            u64::from(n_public) + 1
        )));
    }
    if !domain_size.is_power_of_two() {
        return Err(ZkeyError::Header(format!("domain size {domain_size} is not a power of two")));
    }
    if domain_size > 1 << 28 {
        return Err(ZkeyError::Header(format!("domain size {domain_size} exceeds BN254's 2^28")));
    }
    let g1 = |r: &mut SectionReader<'_>, index: usize, what| -> Result<G1Affine, ZkeyError> {
        g1_from_lem(r.take(G1_BYTES).map_err(trunc)?, what).map_err(|source| ZkeyError::Value {
            section: S,
            index,
            source,
        })
    };
    let g2 = |r: &mut SectionReader<'_>, index: usize, what| -> Result<G2Affine, ZkeyError> {
        g2_from_lem(r.take(G2_BYTES).map_err(trunc)?, what).map_err(|source| ZkeyError::Value {
            section: S,
            index,
            source,
        })
    };
    let alpha_g1 = g1(&mut r, 0, "alpha_g1")?;
    let beta_g1 = g1(&mut r, 1, "beta_g1")?;
    let beta_g2 = g2(&mut r, 2, "beta_g2")?;
    let gamma_g2 = g2(&mut r, 3, "gamma_g2")?;
    let delta_g1 = g1(&mut r, 4, "delta_g1")?;
    let delta_g2 = g2(&mut r, 5, "delta_g2")?;
    Ok(Groth16Header { n_vars, n_public, domain_size, alpha_g1, beta_g1, beta_g2, gamma_g2, delta_g1, delta_g2 })
}

fn write_header(b: &mut Vec<u8>, h: &Groth16Header) {
    b.extend_from_slice(&(FIELD_BYTES as u32).to_le_bytes());
    b.extend_from_slice(&fq_modulus_le());
    b.extend_from_slice(&(FIELD_BYTES as u32).to_le_bytes());
    b.extend_from_slice(&fr_modulus_le());
    b.extend_from_slice(&h.n_vars.to_le_bytes());
    b.extend_from_slice(&h.n_public.to_le_bytes());
    b.extend_from_slice(&h.domain_size.to_le_bytes());
    b.extend_from_slice(&g1_to_lem(&h.alpha_g1));
    b.extend_from_slice(&g1_to_lem(&h.beta_g1));
    b.extend_from_slice(&g2_to_lem(&h.beta_g2));
    b.extend_from_slice(&g2_to_lem(&h.gamma_g2));
    b.extend_from_slice(&g1_to_lem(&h.delta_g1));
    b.extend_from_slice(&g2_to_lem(&h.delta_g2));
}

/// Reads a section of exactly `count` G1 points.
fn g1_section(bytes: &[u8], section: u32, name: &'static str, count: usize) -> Result<Vec<G1Affine>, ZkeyError> {
    expect_size(section, name, bytes.len(), count as u64 * G1_BYTES as u64)?;
    g1s_from_lem(bytes, name).map_err(|(index, source)| ZkeyError::Value { section, index, source })
}

/// Reads a section of exactly `count` G2 points.
fn g2_section(bytes: &[u8], section: u32, name: &'static str, count: usize) -> Result<Vec<G2Affine>, ZkeyError> {
    expect_size(section, name, bytes.len(), count as u64 * G2_BYTES as u64)?;
    g2s_from_lem(bytes, name).map_err(|(index, source)| ZkeyError::Value { section, index, source })
}

fn read_coefficients(bytes: &[u8], header: &Groth16Header) -> Result<Vec<Coefficient>, ZkeyError> {
    const S: u32 = section::COEFFICIENTS;
    let mut r = SectionReader::new(bytes);
    let count = r.u32().map_err(|source| ZkeyError::Truncated { section: S, name: "coefficients", source })?;
    expect_size(S, "coefficients", bytes.len(), 4 + u64::from(count) * COEFFICIENT_LEN as u64)?;
    bytes[4..]
        .par_chunks_exact(COEFFICIENT_LEN)
        .enumerate()
        .map(|(index, c)| {
            let word = |i: usize| u32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]]);
            let matrix = match word(0) {
                0 => Matrix::A,
                1 => Matrix::B,
                m => {
                    return Err(ZkeyError::Coefficient {
                        index,
                        reason: format!("matrix {m}, expected 0 (A) or 1 (B)"),
                    })
                }
            };
            let constraint = word(4);
            if constraint >= header.domain_size {
                return Err(ZkeyError::Coefficient {
                    index,
                    reason: format!("constraint {constraint} is outside the domain of {}", header.domain_size),
                });
            }
            let signal = word(8);
            if signal >= header.n_vars {
                return Err(ZkeyError::Coefficient {
                    index,
                    reason: format!("wire {signal}, but the circuit has {} wires", header.n_vars),
                });
            }
            let value =
                coefficient_from_bytes(&c[12..]).map_err(|source| ZkeyError::Value { section: S, index, source })?;
            Ok(Coefficient { matrix, constraint, signal, value })
        })
        .collect()
}

fn write_coefficients(b: &mut Vec<u8>, coefficients: &[Coefficient]) {
    b.reserve(4 + coefficients.len() * COEFFICIENT_LEN);
    // The count is a u32 in the file; a key's coefficients fit (they are
    // bounded by the domain, at most 2^28 rows).
    b.extend_from_slice(&(coefficients.len() as u32).to_le_bytes());
    for c in coefficients {
        let m: u32 = match c.matrix {
            Matrix::A => 0,
            Matrix::B => 1,
        };
        b.extend_from_slice(&m.to_le_bytes());
        b.extend_from_slice(&c.constraint.to_le_bytes());
        b.extend_from_slice(&c.signal.to_le_bytes());
        b.extend_from_slice(&coefficient_to_bytes(&c.value));
    }
}

/// Contribution parameter: the contributor's name.
const PARAM_NAME: u8 = 1;
/// Contribution parameter: log2 of a beacon's iterations.
const PARAM_ITERATIONS: u8 = 2;
/// Contribution parameter: a beacon's hash.
const PARAM_BEACON_HASH: u8 = 3;

fn read_mpc(bytes: &[u8]) -> Result<MpcParams, ZkeyError> {
    const S: u32 = section::MPC;
    let trunc = |source| ZkeyError::Truncated { section: S, name: "contributions", source };
    let mut r = SectionReader::new(bytes);
    let mut cs_hash = [0u8; 64];
    cs_hash.copy_from_slice(r.take(64).map_err(trunc)?);
    let count = r.u32().map_err(trunc)?;
    // Each contribution takes at least 4 points, a transcript and two u32s:
    // a count the section cannot hold is refused before allocating.
    let min = (3 * G1_BYTES + G2_BYTES + 64 + 8) as u64;
    if u64::from(count) * min > r.remaining() as u64 {
        return Err(ZkeyError::Contribution {
            index: 0,
            reason: format!("the section claims {count} contributions but has room for fewer"),
        });
    }
    let mut contributions = Vec::with_capacity(count as usize);
    for index in 0..count as usize {
        contributions.push(read_contribution(&mut r, index)?);
    }
    if r.remaining() != 0 {
        return Err(ZkeyError::MpcTrailing { extra: r.remaining(), count });
    }
    Ok(MpcParams { cs_hash, contributions })
}

fn read_contribution(r: &mut SectionReader<'_>, index: usize) -> Result<Contribution, ZkeyError> {
    let bad = |reason: String| ZkeyError::Contribution { index, reason };
    let trunc = |e: SectionEnd| bad(format!("truncated: {e}"));
    let g1 = |r: &mut SectionReader<'_>, what| {
        g1_from_lem(r.take(G1_BYTES).map_err(trunc)?, what).map_err(|e| bad(e.to_string()))
    };
    let delta_after = g1(r, "deltaAfter")?;
    let g1_s = g1(r, "g1_s")?;
    let g1_sx = g1(r, "g1_sx")?;
    let g2_spx = g2_from_lem(r.take(G2_BYTES).map_err(trunc)?, "g2_spx").map_err(|e| bad(e.to_string()))?;
    let mut transcript = [0u8; 64];
    transcript.copy_from_slice(r.take(64).map_err(trunc)?);
    let kind_id = r.u32().map_err(trunc)?;
    let params_len = r.u32().map_err(trunc)? as usize;
    let params = r.take(params_len).map_err(trunc)?;
    let mut p = SectionReader::new(params);
    let (mut name, mut iterations, mut hash) = (None, None, None);
    let mut last = 0u8;
    while p.remaining() > 0 {
        let t = p.u8().map_err(trunc)?;
        if t <= last {
            return Err(bad(format!("parameter {t} after parameter {last}: parameters must be sorted and unique")));
        }
        last = t;
        match t {
            PARAM_NAME => {
                let len = p.u8().map_err(trunc)? as usize;
                let bytes = p.take(len).map_err(trunc)?;
                let s = std::str::from_utf8(bytes).map_err(|_| bad("the name is not UTF-8".into()))?;
                name = Some(s.to_owned());
            }
            PARAM_ITERATIONS => iterations = Some(p.u8().map_err(trunc)?),
            PARAM_BEACON_HASH => {
                let len = p.u8().map_err(trunc)? as usize;
                hash = Some(p.take(len).map_err(trunc)?.to_vec());
            }
            other => return Err(bad(format!("unknown parameter {other}, expected 1 (name), 2 or 3 (beacon)"))),
        }
    }
    let kind = match (kind_id, iterations, hash) {
        (0, None, None) => ContributionKind::Secret,
        (0, _, _) => return Err(bad("a secret (type 0) contribution carries beacon parameters".into())),
        (1, Some(iterations_exp), Some(hash)) => ContributionKind::Beacon { hash, iterations_exp },
        (1, _, _) => return Err(bad("a beacon (type 1) lacks its iterations or hash parameter".into())),
        (t, _, _) => return Err(bad(format!("type {t}, expected 0 (secret) or 1 (beacon)"))),
    };
    Ok(Contribution { delta_after, delta: DeltaPublicKey { g1_s, g1_sx, g2_spx }, transcript, kind, name })
}

/// `s` cut to at most 255 bytes at a character boundary.
fn cut_name(s: &str) -> &str {
    let mut end = s.len().min(255);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn write_mpc(b: &mut Vec<u8>, mpc: &MpcParams) {
    b.extend_from_slice(&mpc.cs_hash);
    b.extend_from_slice(&(mpc.contributions.len() as u32).to_le_bytes());
    for c in &mpc.contributions {
        b.extend_from_slice(&g1_to_lem(&c.delta_after));
        b.extend_from_slice(&g1_to_lem(&c.delta.g1_s));
        b.extend_from_slice(&g1_to_lem(&c.delta.g1_sx));
        b.extend_from_slice(&g2_to_lem(&c.delta.g2_spx));
        b.extend_from_slice(&c.transcript);
        let mut params = Vec::new();
        if let Some(name) = &c.name {
            let name = cut_name(name);
            params.push(PARAM_NAME);
            params.push(name.len() as u8);
            params.extend_from_slice(name.as_bytes());
        }
        let kind: u32 = match &c.kind {
            ContributionKind::Secret => 0,
            ContributionKind::Beacon { hash, iterations_exp } => {
                let hash = &hash[..hash.len().min(255)];
                params.push(PARAM_ITERATIONS);
                params.push(*iterations_exp);
                params.push(PARAM_BEACON_HASH);
                params.push(hash.len() as u8);
                params.extend_from_slice(hash);
                1
            }
        };
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&(params.len() as u32).to_le_bytes());
        b.extend_from_slice(&params);
    }
}
