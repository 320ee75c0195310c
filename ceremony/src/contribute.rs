//! Phase-2 contributions and beacons, as snarkjs's `zkey contribute` and
//! `zkey beacon` make them.
//!
//! A contribution draws a secret `x` and a random G1 point `s`, signs the
//! transcript with `x·s` and `x·hash_to_g2(transcript)` (its proof of
//! knowledge), multiplies delta by `x`, and divides the L (section 8) and
//! H (section 9) queries by `x`. Every other section is unchanged. A
//! beacon does the same with a secret anyone can recompute from a public
//! random value.
//!
//! The secret is wiped from memory when the contribution is made; nothing
//! but its public key survives.

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{Field, Zero};
use rand_core::{CryptoRng, RngCore};
use rayon::prelude::*;
use zeroize::Zeroize;

use crate::chacha::ChaCha;
use crate::progress::{Progress, Silent};
use crate::snarkjs_rng::{beacon_rng, entropy_rng, fr_from_rng, g1_from_rng, hash_to_g2, BeaconError};
use crate::transcript::{contribution_hash, contribution_transcript};
use crate::zkey::{Contribution, ContributionKind, DeltaPublicKey, Zkey};

/// snarkjs keeps the first 64 UTF-16 code units of a contributor's name.
pub const NAME_MAX_UTF16: usize = 64;

/// Points re-scaled per parallel task (and per progress step).
const CHUNK: usize = 1 << 10;

/// Why a contribution could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContributeError {
    /// The beacon's parameters are outside snarkjs's bounds.
    #[error(transparent)]
    Beacon(#[from] BeaconError),
    /// The secret drawn was zero (probability 2^-254; for a beacon, choose
    /// another beacon value).
    #[error("the secret drawn is zero and cannot be inverted")]
    ZeroSecret,
}

/// A contribution's secret and the G1 half of its public key, drawn as
/// snarkjs draws them: the secret (`Fr.fromRng`), then `s` (`G1.fromRng`).
pub(crate) struct DeltaSecret {
    /// The secret `x`.
    pub(crate) secret: Fr,
    /// The random point `s`.
    pub(crate) g1_s: G1Affine,
    /// `x·s`.
    pub(crate) g1_sx: G1Affine,
}

impl DeltaSecret {
    /// Draws the secret and `s` from `rng`.
    pub(crate) fn draw(rng: &mut ChaCha) -> Self {
        let secret = fr_from_rng(rng);
        let g1_s = g1_from_rng(rng);
        let g1_sx = (g1_s * secret).into_affine();
        Self { secret, g1_s, g1_sx }
    }
}

impl Drop for DeltaSecret {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

/// Adds a contribution to `zkey` (snarkjs's `zkey contribute`): the secret
/// comes from 64 bytes of `rng` (give it `rand::rngs::OsRng`) and the
/// participant's optional `entropy` text, hashed together. `name` is kept
/// to its first 64 UTF-16 code units, as snarkjs keeps it.
///
/// Returns the new key and the contribution hash snarkjs prints
/// ([`crate::transcript::contribution_hash`]).
///
/// # Errors
///
/// [`ContributeError::ZeroSecret`] if the secret drawn is zero.
pub fn contribute<R: RngCore + CryptoRng>(
    zkey: &Zkey,
    name: Option<&str>,
    entropy: Option<&[u8]>,
    rng: &mut R,
) -> Result<(Zkey, [u8; 64]), ContributeError> {
    contribute_with_progress(zkey, name, entropy, rng, &Silent)
}

/// [`contribute`], reporting the re-scaling of L and H to `progress`.
///
/// # Errors
///
/// As [`contribute`].
pub fn contribute_with_progress<R: RngCore + CryptoRng>(
    zkey: &Zkey,
    name: Option<&str>,
    entropy: Option<&[u8]>,
    rng: &mut R,
    progress: &dyn Progress,
) -> Result<(Zkey, [u8; 64]), ContributeError> {
    let mut chacha = entropy_rng(rng, entropy);
    let key = DeltaSecret::draw(&mut chacha);
    drop(chacha);
    apply(zkey, key, ContributionKind::Secret, name, progress)
}

/// Adds a beacon contribution to `zkey` (snarkjs's `zkey beacon`): the
/// secret is derived from `beacon_hash` by `2^iterations_exp` rounds of
/// SHA-256, so anyone can recompute it; verifiers do.
///
/// # Errors
///
/// [`ContributeError::Beacon`] if `beacon_hash` is not 1 to 255 bytes or
/// `iterations_exp` is not 10 to 63; [`ContributeError::ZeroSecret`] if the
/// beacon derives a zero secret.
pub fn beacon(
    zkey: &Zkey,
    name: Option<&str>,
    beacon_hash: &[u8],
    iterations_exp: u8,
) -> Result<(Zkey, [u8; 64]), ContributeError> {
    beacon_with_progress(zkey, name, beacon_hash, iterations_exp, &Silent)
}

/// [`beacon`], reporting the re-scaling of L and H to `progress`.
///
/// # Errors
///
/// As [`beacon`].
pub fn beacon_with_progress(
    zkey: &Zkey,
    name: Option<&str>,
    beacon_hash: &[u8],
    iterations_exp: u8,
    progress: &dyn Progress,
) -> Result<(Zkey, [u8; 64]), ContributeError> {
    let mut chacha = beacon_rng(beacon_hash, iterations_exp)?;
    let key = DeltaSecret::draw(&mut chacha);
    let kind = ContributionKind::Beacon { hash: beacon_hash.to_vec(), iterations_exp };
    apply(zkey, key, kind, name, progress)
}

/// The first 64 UTF-16 code units of `name`, cut at a character boundary
/// (snarkjs's `name.substring(0, 64)`).
fn snarkjs_name(name: &str) -> String {
    let mut units = 0;
    let mut out = String::new();
    for ch in name.chars() {
        units += ch.len_utf16();
        if units > NAME_MAX_UTF16 {
            break;
        }
        out.push(ch);
    }
    out
}

/// Makes the contribution of `key` to `zkey`.
fn apply(
    zkey: &Zkey,
    key: DeltaSecret,
    kind: ContributionKind,
    name: Option<&str>,
    progress: &dyn Progress,
) -> Result<(Zkey, [u8; 64]), ContributeError> {
    let mut inverse = key.secret.inverse().ok_or(ContributeError::ZeroSecret)?;
    let transcript = contribution_transcript(&zkey.mpc.cs_hash, &zkey.mpc.contributions, &key.g1_s, &key.g1_sx);
    let g2_spx = (hash_to_g2(&transcript) * key.secret).into_affine();

    let mut next = zkey.clone();
    next.header.delta_g1 = (zkey.header.delta_g1 * key.secret).into_affine();
    next.header.delta_g2 = (zkey.header.delta_g2 * key.secret).into_affine();
    next.c = scale(&zkey.c, &inverse, "L section", progress);
    next.h = scale(&zkey.h, &inverse, "H section", progress);
    inverse.zeroize();

    let contribution = Contribution {
        delta_after: next.header.delta_g1,
        delta: DeltaPublicKey { g1_s: key.g1_s, g1_sx: key.g1_sx, g2_spx },
        transcript,
        kind,
        name: name.map(snarkjs_name).filter(|n| !n.is_empty()),
    };
    drop(key);
    let hash = contribution_hash(&contribution);
    next.mpc.contributions.push(contribution);
    Ok((next, hash))
}

/// Every point of `points` times `factor`, in parallel.
fn scale(points: &[G1Affine], factor: &Fr, what: &str, progress: &dyn Progress) -> Vec<G1Affine> {
    progress.begin(what, points.len() as u64);
    let scaled: Vec<G1Affine> = points
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| {
            // Projective multiplication uses BN254's GLV endomorphism; the
            // affine one is plain double-and-add, twice as slow.
            let projective: Vec<G1Projective> = chunk
                .iter()
                .map(|p| if p.is_zero() { G1Projective::zero() } else { p.into_group() * factor })
                .collect();
            progress.advance(chunk.len() as u64);
            G1Projective::normalize_batch(&projective)
        })
        .collect();
    progress.end();
    scaled
}

#[cfg(test)]
mod tests {
    use super::snarkjs_name;

    #[test]
    fn names_keep_64_utf16_units() {
        assert_eq!(snarkjs_name("alice"), "alice");
        let long = "é".repeat(70);
        assert_eq!(snarkjs_name(&long).chars().count(), 64);
        // A character outside the BMP is two units and is not split.
        let astral = format!("{}{}", "a".repeat(63), '\u{1F600}');
        assert_eq!(snarkjs_name(&astral), "a".repeat(63));
    }
}
