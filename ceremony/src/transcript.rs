//! The hashes of a phase-2 transcript, as snarkjs computes and prints them.
//!
//! Every hash is BLAKE2b-512. Points enter a hash in ffjavascript's
//! uncompressed form (`toRprUncompressed`): big-endian coordinates, `c1`
//! before `c0` in G2, all zeros for the point at infinity.
//!
//! - A contribution's public key ([`hash_pub_key`], snarkjs's `hashPubKey`):
//!   `delta_after`, `g1_s`, `g1_sx`, `g2_spx`, then its 64-byte transcript.
//! - A contribution's transcript ([`contribution_transcript`]): the circuit
//!   hash, every earlier contribution's public key, then the new `g1_s` and
//!   `g1_sx`. Its G2 point ([`crate::snarkjs_rng::hash_to_g2`]) is what the
//!   secret's proof of knowledge is checked against.
//! - The contribution hash ([`contribution_hash`]): the public key alone.
//!   snarkjs prints it ("Contribution Hash:") when contributing and lists it
//!   when verifying, so each participant can find their own contribution.
//! - The transcript hash ([`transcript_hash`]), zkcomply's: what a key's
//!   manifest records.

use ark_bn254::{G1Affine, G2Affine};
use blake2::{Blake2b512, Digest};

use crate::encoding::{g1_to_uncompressed, g2_to_uncompressed};
use crate::zkey::{Contribution, MpcParams};

/// Feeds a G1 point to `hasher` (snarkjs's `hashG1`).
pub fn hash_g1(hasher: &mut Blake2b512, p: &G1Affine) {
    hasher.update(g1_to_uncompressed(p));
}

/// Feeds a G2 point to `hasher` (snarkjs's `hashG2`).
pub fn hash_g2(hasher: &mut Blake2b512, p: &G2Affine) {
    hasher.update(g2_to_uncompressed(p));
}

/// Feeds a contribution's public key to `hasher` (snarkjs's `hashPubKey`):
/// `delta_after`, `g1_s`, `g1_sx`, `g2_spx`, then the contribution's
/// transcript. Neither its name nor its beacon parameters are hashed.
pub fn hash_pub_key(hasher: &mut Blake2b512, c: &Contribution) {
    hash_g1(hasher, &c.delta_after);
    hash_g1(hasher, &c.delta.g1_s);
    hash_g1(hasher, &c.delta.g1_sx);
    hash_g2(hasher, &c.delta.g2_spx);
    hasher.update(c.transcript);
}

/// A contribution's hash: BLAKE2b-512 of its public key alone
/// ([`hash_pub_key`]), as snarkjs prints it after `zkey contribute`.
#[must_use]
pub fn contribution_hash(c: &Contribution) -> [u8; 64] {
    let mut hasher = Blake2b512::new();
    hash_pub_key(&mut hasher, c);
    hasher.finalize().into()
}

/// The hasher after the circuit hash and the public keys of `previous`
/// (snarkjs's accumulated transcript hasher).
fn accumulated(cs_hash: &[u8; 64], previous: &[Contribution]) -> Blake2b512 {
    let mut hasher = Blake2b512::new();
    hasher.update(cs_hash);
    for c in previous {
        hash_pub_key(&mut hasher, c);
    }
    hasher
}

/// The transcript a new contribution signs: BLAKE2b-512 of `cs_hash`, the
/// public keys of the `previous` contributions in order, then its own
/// `g1_s` and `g1_sx`.
#[must_use]
pub fn contribution_transcript(
    cs_hash: &[u8; 64],
    previous: &[Contribution],
    g1_s: &G1Affine,
    g1_sx: &G1Affine,
) -> [u8; 64] {
    let mut hasher = accumulated(cs_hash, previous);
    hash_g1(&mut hasher, g1_s);
    hash_g1(&mut hasher, g1_sx);
    hasher.finalize().into()
}

/// The transcript hash a key's manifest records: BLAKE2b-512 over exactly
/// the 64-byte circuit hash (`cs_hash`, which commits to the initial key
/// made from the R1CS and the phase-1 file) followed by every
/// contribution's public key ([`hash_pub_key`]: `delta_after`, `g1_s`,
/// `g1_sx`, `g2_spx` uncompressed, then its 64-byte transcript), oldest
/// first.
///
/// It is the prefix snarkjs would hash into the NEXT contribution's
/// transcript. Names and beacon parameters are not covered (a beacon's
/// public key is a function of them, and verification recomputes it). For
/// a key that passed [`crate::verify`], the initial key and this hash
/// determine every point of the final key.
#[must_use]
pub fn transcript_hash(mpc: &MpcParams) -> [u8; 64] {
    accumulated(&mpc.cs_hash, &mpc.contributions).finalize().into()
}

/// A 64-byte hash as snarkjs prints it (`misc.formatHash`): an optional
/// title line, then four lines of four big-endian 32-bit words in
/// lower-case hex, each line indented by two tabs.
#[must_use]
pub fn format_hash(hash: &[u8; 64], title: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(title) = title {
        out.push_str(title);
        out.push('\n');
    }
    for (line, row) in hash.chunks_exact(16).enumerate() {
        if line > 0 {
            out.push('\n');
        }
        out.push_str("\t\t");
        let words: Vec<String> = row.chunks_exact(4).map(hex::encode).collect();
        out.push_str(&words.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_hash_prints_four_lines_of_four_words() {
        let mut hash = [0u8; 64];
        for (i, b) in hash.iter_mut().enumerate() {
            *b = u8::try_from(i).expect("below 64");
        }
        let text = format_hash(&hash, Some("Contribution Hash: "));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0], "Contribution Hash: ");
        assert_eq!(lines[1], "\t\t00010203 04050607 08090a0b 0c0d0e0f");
        assert_eq!(lines[4], "\t\t30313233 34353637 38393a3b 3c3d3e3f");
    }
}
