//! snarkjs's `zkey new` (`groth16 setup`): the initial phase-2 key of a
//! circuit, made from its `.r1cs` and a prepared `.ptau`, byte for byte as
//! snarkjs makes it (`zkey_new.js`).
//!
//! With `n` the domain size (the least power of two above the constraints
//! plus the public inputs), and `L_i`, `αL_i`, `βL_i` the Lagrange bases of
//! tau·G1, alpha·tau·G1 and beta·tau·G1 for that domain (`ptau` sections
//! 12, 14, 15; tau·G2's from section 13):
//!
//! - rows: the R1CS's constraints, then one row per public wire `s`
//!   (`0..=n_public`) with `A[row][s] = 1`, so the public inputs are bound;
//! - A query of wire `s`: `Σ A[c][s]·L_c`; B in G1 and G2 likewise from B;
//! - IC (public wires) and C (the others): `Σ A[c][s]·βL_c + B[c][s]·αL_c +
//!   C[c][s]·L_c`, with gamma = delta = 1;
//! - H: the odd-indexed points of tau·G1's Lagrange basis for the domain of
//!   `2n` points (snarkjs's QAP evaluates on the coset of odd `2n`-th roots);
//! - the circuit hash: BLAKE2b-512 over the header's points, then each of
//!   IC, H, C, A, B1, B2 as a big-endian u32 count and the points in
//!   ffjavascript's uncompressed form, where H's part is the `n - 1` points
//!   `tau^(i+n)·G1 - tau^i·G1` (section 2), not the H section itself;
//! - no contributions, delta = 1.

use std::io::{Read, Seek};

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::One;
use blake2::{Blake2b512, Digest};
use rayon::prelude::*;

use crate::encoding::{g1_to_uncompressed, g2_to_uncompressed};
use crate::ptau::{section, PtauError, PtauFile, MAX_POWER};
use crate::r1cs_file::R1csFile;
use crate::zkey::{Coefficient, Groth16Header, Matrix, MpcParams, Zkey};

/// Why a key cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum NewZkeyError {
    /// The `.ptau` is unusable or too small.
    #[error(transparent)]
    Ptau(#[from] PtauError),
    /// The R1CS is inconsistent.
    #[error("r1cs: {0}")]
    R1cs(String),
    /// A phase-1 file of exactly the circuit's power, for a domain above
    /// 2^14: snarkjs's circuit hash would cover 64 bytes that follow the
    /// tau·G1 points in the file, which no other tool reproduces.
    #[error(
        "a phase-1 file of power {power} is exactly the circuit's size: for domains above 2^14 points, \
         snarkjs's circuit hash reads one point past tau·G1 (zkey_new.js, hashHPoints), so its keys \
         could not be checked by both tools; use a file of power {} or more \
         (e.g. powersOfTau28_hez_final_{}.ptau)",
        power + 1,
        power + 1
    )]
    HashReadsPastPoints {
        /// The circuit's (and the file's) power.
        power: u32,
    },
}

/// How many `tau^(i+n) - tau^i` points snarkjs hashes for a domain of `n`:
/// `hashHPoints` loops over `i < n - 1` in chunks of 2^14 but sizes every
/// chunk as `min(n - 1, 2^14)`, so above 2^14 it hashes `n` points (the
/// last one needing `tau^(2n-1)`), below it `n - 1`.
#[must_use]
pub fn h_hash_count(n: u64) -> u64 {
    const CHUNK: u64 = 1 << 14;
    let per_chunk = (n - 1).min(CHUNK);
    (n - 1).div_ceil(CHUNK) * per_chunk
}

/// The domain's power for a circuit: snarkjs's `log2(m + n_public) + 1`
/// (floor log2; `log2(0) = 0`).
#[must_use]
pub fn domain_power(n_constraints: u64, n_public: u64) -> u32 {
    let v = n_constraints + n_public;
    if v == 0 {
        1
    } else {
        v.ilog2() + 1
    }
}

/// One term of a query: which Lagrange basis, which row, which coefficient.
#[derive(Debug, Clone, Copy)]
enum Basis {
    Tau,
    AlphaTau,
    BetaTau,
}

/// Makes the initial key of `r1cs` from the prepared phase-1 file `ptau`,
/// byte-identical (through [`Zkey::to_bytes`]) to `snarkjs groth16 setup`.
///
/// # Errors
///
/// [`NewZkeyError::R1cs`] if the R1CS names a wire beyond `n_wires` or has
/// fewer wires than public ones; [`NewZkeyError::Ptau`] if the file is not
/// prepared, its power is too small for the circuit, or a point read from it
/// is invalid.
pub fn new_zkey<R: Read + Seek + Send>(r1cs: &R1csFile, ptau: &mut PtauFile<R>) -> Result<Zkey, NewZkeyError> {
    match rayon::ThreadPoolBuilder::new().stack_size(KEY_THREAD_STACK_BYTES).build() {
        Ok(pool) => pool.install(|| build_zkey(r1cs, ptau)),
        // No pool (threads refused): the global one, with its smaller stacks.
        Err(_) => build_zkey(r1cs, ptau),
    }
}

fn build_zkey<R: Read + Seek>(r1cs: &R1csFile, ptau: &mut PtauFile<R>) -> Result<Zkey, NewZkeyError> {
    let n_public = r1cs.n_public();
    let n_vars = r1cs.n_wires;
    if u64::from(n_public) >= u64::from(n_vars) {
        return Err(NewZkeyError::R1cs(format!("{n_public} public wires but only {n_vars} wires")));
    }
    if r1cs.wire_to_label.len() != n_vars as usize {
        return Err(NewZkeyError::R1cs(format!(
            "{} labels in the wire map, expected one per wire ({n_vars})",
            r1cs.wire_to_label.len()
        )));
    }
    let n_constraints = r1cs.constraints.len() as u64;
    let power = domain_power(n_constraints, u64::from(n_public));
    if power >= MAX_POWER {
        return Err(PtauError::PowerTooSmall { power: MAX_POWER - 1, needed: power }.into());
    }
    let n = 1u64 << power;
    // Above 2^14 points the circuit hash needs tau^(2n-1): one power more.
    let needed = if h_hash_count(n) == n { power + 1 } else { power };
    if needed > power && ptau.header().power == power {
        return Err(NewZkeyError::HashReadsPastPoints { power });
    }
    ptau.check_power(needed)?;

    let alpha_g1 = one_g1(ptau, section::ALPHA_TAU_G1)?;
    let beta_g1 = one_g1(ptau, section::BETA_TAU_G1)?;
    let beta_g2 = ptau.read_g2(section::BETA_G2, 0, 1)?.first().copied().ok_or(PtauError::OutOfRange {
        section: section::BETA_G2,
        start: 0,
        end: 1,
        available: 0,
    })?;
    let header = Groth16Header {
        n_vars,
        n_public,
        domain_size: n as u32,
        alpha_g1,
        beta_g1,
        beta_g2,
        gamma_g2: G2Affine::generator(),
        delta_g1: G1Affine::generator(),
        delta_g2: G2Affine::generator(),
    };

    let tau = ptau.lagrange_g1(section::LAGRANGE_TAU_G1, n)?;
    let tau_g2 = ptau.lagrange_g2(n)?;
    let alpha_tau = ptau.lagrange_g1(section::LAGRANGE_ALPHA_TAU_G1, n)?;
    let beta_tau = ptau.lagrange_g1(section::LAGRANGE_BETA_TAU_G1, n)?;

    // Every wire's terms in each query, in snarkjs's order.
    let nv = n_vars as usize;
    let np = n_public as usize;
    let mut a_terms: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); nv];
    let mut b_terms: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); nv];
    let mut ic_c_terms: Vec<Vec<(Basis, usize, Fr)>> = vec![Vec::new(); nv];
    let mut coefficients = Vec::new();
    for (row, constraint) in r1cs.constraints.iter().enumerate() {
        for (matrix, lc, basis) in
            [(Matrix::A, &constraint.a, Basis::BetaTau), (Matrix::B, &constraint.b, Basis::AlphaTau)]
        {
            for &(wire, value) in lc {
                let s = check_wire(wire, n_vars, row)?;
                match matrix {
                    Matrix::A => a_terms[s].push((row, value)),
                    Matrix::B => b_terms[s].push((row, value)),
                }
                ic_c_terms[s].push((basis, row, value));
                coefficients.push(Coefficient { matrix, constraint: row as u32, signal: wire, value });
            }
        }
        for &(wire, value) in &constraint.c {
            let s = check_wire(wire, n_vars, row)?;
            ic_c_terms[s].push((Basis::Tau, row, value));
        }
    }
    for s in 0..=np {
        let row = r1cs.constraints.len() + s;
        a_terms[s].push((row, Fr::one()));
        ic_c_terms[s].push((Basis::BetaTau, row, Fr::one()));
        coefficients.push(Coefficient {
            matrix: Matrix::A,
            constraint: row as u32,
            signal: s as u32,
            value: Fr::one(),
        });
    }

    let g1_query = |terms: &[(usize, Fr)]| -> G1Projective {
        let bases: Vec<G1Affine> = terms.iter().map(|&(row, _)| tau[row]).collect();
        let scalars: Vec<Fr> = terms.iter().map(|&(_, v)| v).collect();
        linear_combination(&bases, &scalars)
    };
    let a = G1Projective::normalize_batch(&a_terms.par_iter().map(|t| g1_query(t)).collect::<Vec<_>>());
    let b_g1 = G1Projective::normalize_batch(&b_terms.par_iter().map(|t| g1_query(t)).collect::<Vec<_>>());
    let b_g2 = G2Projective::normalize_batch(
        &b_terms
            .par_iter()
            .map(|terms| {
                let bases: Vec<G2Affine> = terms.iter().map(|&(row, _)| tau_g2[row]).collect();
                let scalars: Vec<Fr> = terms.iter().map(|&(_, v)| v).collect();
                linear_combination(&bases, &scalars)
            })
            .collect::<Vec<_>>(),
    );
    let ic_c = G1Projective::normalize_batch(
        &ic_c_terms
            .par_iter()
            .map(|terms| {
                let bases: Vec<G1Affine> = terms
                    .iter()
                    .map(|&(basis, row, _)| match basis {
                        Basis::Tau => tau[row],
                        Basis::AlphaTau => alpha_tau[row],
                        Basis::BetaTau => beta_tau[row],
                    })
                    .collect();
                let scalars: Vec<Fr> = terms.iter().map(|&(_, _, v)| v).collect();
                linear_combination(&bases, &scalars)
            })
            .collect::<Vec<_>>(),
    );
    let (ic, c) = ic_c.split_at(np + 1);

    // H: the odd points of tau·G1's Lagrange basis for 2n.
    let double = ptau.read_g1(section::LAGRANGE_TAU_G1, 2 * n - 1, 2 * n)?;
    let h: Vec<G1Affine> = double.into_iter().skip(1).step_by(2).collect();

    // The circuit hash's H part, as snarkjs's `hashHPoints` computes it:
    // tau^(i+n) - tau^i, headed by the count n - 1 but, above 2^14 points,
    // hashed for every i < n (each 2^14-point chunk takes the full chunk
    // size instead of what is left: see `h_hash_count`).
    let hashed = h_hash_count(n);
    let powers = ptau.read_g1(section::TAU_G1, 0, n + hashed)?;
    let h_hash = G1Projective::normalize_batch(
        &(0..hashed as usize).into_par_iter().map(|i| powers[i + n as usize] - powers[i]).collect::<Vec<_>>(),
    );

    let mut hasher = Blake2b512::new();
    hasher.update(g1_to_uncompressed(&header.alpha_g1));
    hasher.update(g1_to_uncompressed(&header.beta_g1));
    hasher.update(g2_to_uncompressed(&header.beta_g2));
    hasher.update(g2_to_uncompressed(&header.gamma_g2));
    hasher.update(g1_to_uncompressed(&header.delta_g1));
    hasher.update(g2_to_uncompressed(&header.delta_g2));
    hash_g1s(&mut hasher, ic);
    hasher.update(((n - 1) as u32).to_be_bytes());
    h_hash.iter().for_each(|p| hasher.update(g1_to_uncompressed(p)));
    hash_g1s(&mut hasher, c);
    hash_g1s(&mut hasher, &a);
    hash_g1s(&mut hasher, &b_g1);
    hasher.update((b_g2.len() as u32).to_be_bytes());
    for p in &b_g2 {
        hasher.update(g2_to_uncompressed(p));
    }
    let mut cs_hash = [0u8; 64];
    cs_hash.copy_from_slice(&hasher.finalize());

    Ok(Zkey {
        header,
        ic: ic.to_vec(),
        coefficients,
        a,
        b_g1,
        b_g2,
        c: c.to_vec(),
        h,
        mpc: MpcParams { cs_hash, contributions: Vec::new() },
    })
}

/// `Σ scalars[i]·bases[i]`: a few terms summed one by one, more by MSM.
fn linear_combination<G: CurveGroup<ScalarField = Fr>>(bases: &[G::Affine], scalars: &[Fr]) -> G {
    if bases.len() <= SMALL_COMBINATION {
        let one = Fr::one();
        return bases.iter().zip(scalars).fold(G::zero(), |acc, (base, scalar)| {
            if *scalar == one {
                acc + base
            } else {
                acc + *base * scalar
            }
        });
    }
    G::msm_unchecked(bases, scalars)
}

/// Up to this many terms, adding beats an MSM's setup.
const SMALL_COMBINATION: usize = 16;

/// Stack size of the threads that build a key: arkworks's MSM, nested in
/// the parallel loop over wires, overflows rayon's default 2 MiB on the
/// constant wire's thousands of terms.
const KEY_THREAD_STACK_BYTES: usize = 64 << 20;

fn one_g1<R: Read + Seek>(ptau: &mut PtauFile<R>, id: u32) -> Result<G1Affine, PtauError> {
    ptau.read_g1(id, 0, 1)?.first().copied().ok_or(PtauError::OutOfRange {
        section: id,
        start: 0,
        end: 1,
        available: 0,
    })
}

fn check_wire(wire: u32, n_vars: u32, row: usize) -> Result<usize, NewZkeyError> {
    if wire >= n_vars {
        return Err(NewZkeyError::R1cs(format!("constraint {row} names wire {wire}, but there are {n_vars} wires")));
    }
    Ok(wire as usize)
}

fn hash_g1s(hasher: &mut Blake2b512, points: &[G1Affine]) {
    hasher.update((points.len() as u32).to_be_bytes());
    for p in points {
        hasher.update(g1_to_uncompressed(p));
    }
}
