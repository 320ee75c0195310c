//! A single-party phase 1 for trials and tests: a prepared `.ptau` made in
//! seconds by one party who knows its secrets.
//!
//! Whoever runs it knows `tau`, `alpha` and `beta`, so every key built on it
//! can be forged by them, exactly like `zkcomply setup`'s development keys.
//! It exists because snarkjs needs a quarter of an hour on two cores to
//! make and prepare a 2^15 file (`powersoftau new`, `contribute`, `prepare
//! phase2`), while knowing the secrets turns the preparation's group FFTs
//! into scalar work: `zkcomply ceremony dev-ptau` writes the same file in
//! seconds. A real ceremony starts from a public transcript instead
//! (docs/CEREMONY.md).
//!
//! The file is what `snarkjs powersoftau new`, one `contribute` and
//! `prepare phase2` would write, and `snarkjs powersoftau verify` accepts
//! it: the contribution's proofs of knowledge, its chain from the
//! generators, the next challenge hash over the points, and the Lagrange
//! sections. One field differs in spirit: the contribution's
//! `partialHash` (the BLAKE2b state of the response file before the public
//! key) is the empty state, since no challenge/response files were
//! exchanged, so the response hash is BLAKE2b-512 of the public key alone.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::scalar_mul::BatchMulPreprocessing;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{Field, UniformRand};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use blake2::{Blake2b512, Digest};
use rand_core::{CryptoRng, RngCore};

use crate::binfile::BinWriter;
use crate::encoding::{
    extend_g1s_lem, extend_g2s_lem, fq_modulus_le, g1_to_lem, g1_to_uncompressed, g2_to_lem, g2_to_uncompressed,
};
use std::io::{Read, Seek};

use crate::ptau::{section, PtauError, PtauFile};
use crate::snarkjs_rng::hash_to_g2;

/// The largest power [`dev_ptau`] makes (2^20 constraints; the withdrawal
/// circuit needs 15).
pub const MAX_DEV_POWER: u32 = 20;

/// The name recorded in the file's contribution.
/// At most 64 bytes, the longest name snarkjs keeps, so the file records it
/// whole.
pub const DEV_CONTRIBUTION_NAME: &str = "zkcomply development phase 1 (its maker knows its secrets)";
const _: () = assert!(DEV_CONTRIBUTION_NAME.len() <= 64);

/// Errors of [`dev_ptau`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DevPhase1Error {
    /// The power is outside 1..=[`MAX_DEV_POWER`].
    #[error("power {power}: expected 1 to {MAX_DEV_POWER}")]
    Power {
        /// The power asked for.
        power: u32,
    },
}

/// `[t^0, t^1, …, t^(count-1)]`, each times `factor`.
fn scaled_powers(t: Fr, factor: Fr, count: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(count);
    let mut acc = factor;
    for _ in 0..count {
        out.push(acc);
        acc *= t;
    }
    out
}

/// `factor · L_i(tau)` over the domain of size `2^log_n`, in snarkjs's
/// order. `drop_last` gives what snarkjs computes for tau·G1's extra level,
/// whose input has its last power replaced by zero: the inverse FFT of
/// `tau^0 … tau^(n-2), 0`.
fn lagrange_scalars(tau: Fr, factor: Fr, log_n: u32, drop_last: bool) -> Vec<Fr> {
    let n = 1usize << log_n;
    let domain = Radix2EvaluationDomain::<Fr>::new(n).expect("radix-2 domains exist up to 2^28");
    let mut scalars = domain.evaluate_all_lagrange_coefficients(tau);
    if drop_last {
        // L_i(tau) = (1/n) Σ_j w^{-ij} tau^j; removing j = n-1 subtracts
        // (1/n) w^{-i(n-1)} tau^(n-1) = (1/n) w^i tau^(n-1).
        let last = tau.pow([(n - 1) as u64]) * domain.size_inv();
        let mut w_i = Fr::from(1u8);
        for s in scalars.iter_mut() {
            *s -= last * w_i;
            w_i *= domain.group_gen();
        }
    }
    scalars.iter_mut().for_each(|s| *s *= factor);
    scalars
}

/// A contribution's proof of knowledge of one secret (snarkjs's
/// `calculatePubKey`).
struct PublicKey {
    g1_s: G1Affine,
    g1_sx: G1Affine,
    g2_spx: G2Affine,
}

/// snarkjs's `getG2sp`: the challenge and the G1 pair hashed to G2.
fn g2_sp(personalization: u8, challenge: &[u8; 64], g1_s: &G1Affine, g1_sx: &G1Affine) -> G2Affine {
    let mut h = Blake2b512::new();
    h.update([personalization]);
    h.update(challenge);
    h.update(g1_to_uncompressed(g1_s));
    h.update(g1_to_uncompressed(g1_sx));
    hash_to_g2(&h.finalize().into())
}

fn public_key<R: RngCore + CryptoRng>(x: Fr, personalization: u8, challenge: &[u8; 64], rng: &mut R) -> PublicKey {
    let g1_s = (G1Projective::generator() * Fr::rand(rng)).into_affine();
    let g1_sx = (g1_s * x).into_affine();
    let g2_spx = (g2_sp(personalization, challenge, &g1_s, &g1_sx) * x).into_affine();
    PublicKey { g1_s, g1_sx, g2_spx }
}

/// snarkjs's `calculateFirstChallengeHash`: the challenge of a fresh file,
/// whose every point is a generator.
fn first_challenge_hash(power: u32) -> [u8; 64] {
    let g1 = g1_to_uncompressed(&G1Affine::generator());
    let g2 = g2_to_uncompressed(&G2Affine::generator());
    let mut h = Blake2b512::new();
    h.update(Blake2b512::digest([]));
    let n = 1usize << power;
    for _ in 0..(2 * n - 1) {
        h.update(g1);
    }
    for _ in 0..n {
        h.update(g2);
    }
    for _ in 0..(2 * n) {
        h.update(g1);
    }
    h.update(g2);
    h.finalize().into()
}

/// The empty BLAKE2b-512 state in the layout snarkjs's `toPartialHash`
/// writes (128-byte buffer, the eight state words as low/high u32 halves,
/// then length and position): see the module docs.
fn empty_partial_hash() -> [u8; 216] {
    const IV: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    let mut out = [0u8; 216];
    for (i, word) in IV.iter().enumerate() {
        // Parameter block word 0: digest length 64, no key, fanout 1, depth 1.
        let word = if i == 0 { word ^ 0x0101_0040 } else { *word };
        let at = 128 + 8 * i;
        out[at..at + 4].copy_from_slice(&(word as u32).to_le_bytes());
        out[at + 4..at + 8].copy_from_slice(&((word >> 32) as u32).to_le_bytes());
    }
    out
}

/// Whether a phase-1 file is one [`dev_ptau`] wrote: its contributions
/// record [`DEV_CONTRIBUTION_NAME`]. Keys built on it are forgeable by its
/// maker, so `ceremony finalize` writes them as development keys.
///
/// # Errors
/// [`PtauError`] if the contributions section cannot be read.
pub fn is_development_phase1<R: Read + Seek>(ptau: &mut PtauFile<R>) -> Result<bool, PtauError> {
    let section = ptau.contributions_bytes()?;
    let name = DEV_CONTRIBUTION_NAME.as_bytes();
    Ok(section.windows(name.len()).any(|w| w == name))
}

/// Writes a prepared `.ptau` of `2^power` for BN254 from fresh secrets.
///
/// # Errors
/// [`DevPhase1Error::Power`] outside 1..=[`MAX_DEV_POWER`].
pub fn dev_ptau<R: RngCore + CryptoRng>(power: u32, rng: &mut R) -> Result<Vec<u8>, DevPhase1Error> {
    if !(1..=MAX_DEV_POWER).contains(&power) {
        return Err(DevPhase1Error::Power { power });
    }
    // Not wiped: this file's maker is meant to know them (module docs).
    let (tau, alpha, beta) = (Fr::rand(rng), Fr::rand(rng), Fr::rand(rng));
    let n = 1usize << power;
    let one = Fr::from(1u8);

    let g1_table = BatchMulPreprocessing::new(G1Projective::generator(), 4 * n);
    let g2_table = BatchMulPreprocessing::new(G2Projective::generator(), 2 * n);

    let tau_g1 = g1_table.batch_mul(&scaled_powers(tau, one, 2 * n - 1));
    let tau_g2 = g2_table.batch_mul(&scaled_powers(tau, one, n));
    let alpha_tau_g1 = g1_table.batch_mul(&scaled_powers(tau, alpha, n));
    let beta_tau_g1 = g1_table.batch_mul(&scaled_powers(tau, beta, n));
    let beta_g2 = (G2Projective::generator() * beta).into_affine();

    // Lagrange sections: every level 0..=power (and power+1 for tau·G1).
    let levels = |factor: Fr, top: u32, extra: bool| -> Vec<Fr> {
        let mut all = Vec::new();
        for p in 0..=top {
            all.extend(lagrange_scalars(tau, factor, p, false));
        }
        if extra {
            all.extend(lagrange_scalars(tau, factor, top + 1, true));
        }
        all
    };
    let lagrange_tau_g1 = g1_table.batch_mul(&levels(one, power, true));
    let lagrange_tau_g2 = g2_table.batch_mul(&levels(one, power, false));
    let lagrange_alpha_tau_g1 = g1_table.batch_mul(&levels(alpha, power, false));
    let lagrange_beta_tau_g1 = g1_table.batch_mul(&levels(beta, power, false));

    // The contribution record, as `snarkjs powersoftau contribute` makes it.
    let challenge = first_challenge_hash(power);
    let keys = [
        public_key(tau, 0, &challenge, rng),
        public_key(alpha, 1, &challenge, rng),
        public_key(beta, 2, &challenge, rng),
    ];
    let mut key_uncompressed = Vec::new();
    for k in &keys {
        key_uncompressed.extend(g1_to_uncompressed(&k.g1_s));
        key_uncompressed.extend(g1_to_uncompressed(&k.g1_sx));
    }
    for k in &keys {
        key_uncompressed.extend(g2_to_uncompressed(&k.g2_spx));
    }
    let response_hash = Blake2b512::digest(&key_uncompressed);
    let mut next = Blake2b512::new();
    next.update(response_hash);
    tau_g1.iter().for_each(|p| next.update(g1_to_uncompressed(p)));
    tau_g2.iter().for_each(|p| next.update(g2_to_uncompressed(p)));
    alpha_tau_g1.iter().for_each(|p| next.update(g1_to_uncompressed(p)));
    beta_tau_g1.iter().for_each(|p| next.update(g1_to_uncompressed(p)));
    next.update(g2_to_uncompressed(&beta_g2));
    let next_challenge: [u8; 64] = next.finalize().into();

    let mut file = BinWriter::new(b"ptau", 1);
    file.section(section::HEADER, |s| {
        s.extend(32u32.to_le_bytes());
        s.extend(fq_modulus_le());
        s.extend(power.to_le_bytes());
        s.extend(power.to_le_bytes());
    });
    file.section(section::TAU_G1, |s| extend_g1s_lem(s, &tau_g1));
    file.section(section::TAU_G2, |s| extend_g2s_lem(s, &tau_g2));
    file.section(section::ALPHA_TAU_G1, |s| extend_g1s_lem(s, &alpha_tau_g1));
    file.section(section::BETA_TAU_G1, |s| extend_g1s_lem(s, &beta_tau_g1));
    file.section(section::BETA_G2, |s| extend_g2s_lem(s, std::slice::from_ref(&beta_g2)));
    file.section(section::CONTRIBUTIONS, |s| {
        s.extend(1u32.to_le_bytes());
        s.extend(g1_to_lem(&tau_g1[1]));
        s.extend(g2_to_lem(&tau_g2[1]));
        s.extend(g1_to_lem(&alpha_tau_g1[0]));
        s.extend(g1_to_lem(&beta_tau_g1[0]));
        s.extend(g2_to_lem(&beta_g2));
        for k in &keys {
            s.extend(g1_to_lem(&k.g1_s));
            s.extend(g1_to_lem(&k.g1_sx));
        }
        for k in &keys {
            s.extend(g2_to_lem(&k.g2_spx));
        }
        s.extend(empty_partial_hash());
        s.extend(next_challenge);
        s.extend(0u32.to_le_bytes());
        let name = DEV_CONTRIBUTION_NAME.as_bytes();
        s.extend(((name.len() + 2) as u32).to_le_bytes());
        s.push(1);
        s.push(name.len() as u8);
        s.extend(name);
    });
    file.section(section::LAGRANGE_TAU_G1, |s| extend_g1s_lem(s, &lagrange_tau_g1));
    file.section(section::LAGRANGE_TAU_G2, |s| extend_g2s_lem(s, &lagrange_tau_g2));
    file.section(section::LAGRANGE_ALPHA_TAU_G1, |s| extend_g1s_lem(s, &lagrange_alpha_tau_g1));
    file.section(section::LAGRANGE_BETA_TAU_G1, |s| extend_g1s_lem(s, &lagrange_beta_tau_g1));
    Ok(file.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_level_is_the_inverse_fft_of_the_powers_with_the_last_one_zeroed() {
        let tau = Fr::from(12345u64);
        let log_n = 3;
        let n = 1usize << log_n;
        let mut powers = scaled_powers(tau, Fr::from(1u8), n);
        powers[n - 1] = Fr::from(0u8);
        let domain = Radix2EvaluationDomain::<Fr>::new(n).expect("a domain");
        domain.ifft_in_place(&mut powers);
        assert_eq!(lagrange_scalars(tau, Fr::from(1u8), log_n, true), powers);
        let mut full = scaled_powers(tau, Fr::from(3u8), n);
        domain.ifft_in_place(&mut full);
        assert_eq!(lagrange_scalars(tau, Fr::from(3u8), log_n, false), full);
    }

    #[test]
    fn powers_outside_the_range_are_refused() {
        let mut rng = rand::thread_rng();
        assert_eq!(dev_ptau(0, &mut rng), Err(DevPhase1Error::Power { power: 0 }));
        assert_eq!(dev_ptau(MAX_DEV_POWER + 1, &mut rng), Err(DevPhase1Error::Power { power: MAX_DEV_POWER + 1 }));
    }
}
