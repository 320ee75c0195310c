//! Verifying a phase-2 key against the initial key recomputed from the
//! circuit and the phase-1 file, with snarkjs's checks
//! (`zkey verify`, `zkey_verify_frominit.js`):
//!
//! 1. every contribution: its transcript is the hash of the circuit, the
//!    earlier contributions and its own `g1_s`, `g1_sx`; its proof of
//!    knowledge holds (`g1_s : g1_sx = g2_sp : g2_spx`, `g2_sp` the
//!    transcript hashed to G2); delta after it is delta before it times the
//!    same secret; a beacon's key is the one its beacon derives;
//! 2. the header: circuit sizes, alpha, beta and gamma equal the initial
//!    key's; delta in G1 is the last contribution's, delta in G2 matches it;
//! 3. the circuit hash equals the initial key's;
//! 4. sections IC, coefficients, A, B1 and B2 equal the initial key's;
//! 5. L and H are the initial ones divided by delta: checked on a random
//!    linear combination of each (scalars from the operating system, 128
//!    bits each), by one pairing equation. snarkjs checks H against the
//!    phase-1 file's powers of tau directly; here the initial key's H,
//!    which `zkey new` computed from the same powers, stands for them.
//!
//! Checks run in that order and the first failure is returned, naming the
//! check and the contribution. Points are also checked to be on the curve
//! (and, in G2, in the prime-order subgroup) before they enter a pairing.

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::One;
use rand::rngs::OsRng;
use rand_core::RngCore;
use rayon::prelude::*;

use crate::chacha::ChaCha;
use crate::contribute::DeltaSecret;
use crate::snarkjs_rng::{beacon_rng, hash_to_g2, BeaconError};
use crate::transcript::{contribution_hash, contribution_transcript, transcript_hash};
use crate::zkey::{ContributionKind, Zkey};

/// A section of the key compared with the initial key's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Section 3: the public inputs' points.
    Ic,
    /// Section 4: the coefficients of A and B.
    Coefficients,
    /// Section 5: the A query.
    A,
    /// Section 6: the B query in G1.
    B1,
    /// Section 7: the B query in G2.
    B2,
    /// Section 8: the L (C) query.
    L,
    /// Section 9: the H query.
    H,
}

impl std::fmt::Display for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Ic => "IC (section 3)",
            Self::Coefficients => "coefficients (section 4)",
            Self::A => "A (section 5)",
            Self::B1 => "B1 (section 6)",
            Self::B2 => "B2 (section 7)",
            Self::L => "L (section 8)",
            Self::H => "H (section 9)",
        })
    }
}

/// A point of the header fixed by phase 1 or by the circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderPoint {
    /// `[alpha]_1`.
    Alpha1,
    /// `[beta]_1`.
    Beta1,
    /// `[beta]_2`.
    Beta2,
    /// `[gamma]_2`.
    Gamma2,
}

impl std::fmt::Display for HeaderPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Alpha1 => "alpha in G1",
            Self::Beta1 => "beta in G1",
            Self::Beta2 => "beta in G2",
            Self::Gamma2 => "gamma in G2",
        })
    }
}

/// Why a key's transcript is invalid. Contributions are numbered from 1,
/// oldest first, as snarkjs lists them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The key given as the initial one already has contributions.
    #[error("the initial key has {0} contribution(s); it must be the key made from the circuit and the phase-1 file")]
    NotInitial(usize),
    /// A point of a contribution is not on the curve or not in its group.
    #[error("contribution #{number}: its {point} is not a point of the group")]
    ContributionPoint {
        /// The contribution's number.
        number: usize,
        /// Which point.
        point: &'static str,
    },
    /// A contribution's transcript is not the hash it should be.
    #[error("contribution #{number}: inconsistent transcript (not the hash of the circuit, the earlier contributions and its own key)")]
    Transcript {
        /// The contribution's number.
        number: usize,
    },
    /// A contribution's proof of knowledge fails.
    #[error("contribution #{number}: invalid proof of knowledge (its public key's G1 and G2 parts do not have the same ratio)")]
    ProofOfKnowledge {
        /// The contribution's number.
        number: usize,
    },
    /// Delta after a contribution is not delta before it times its secret.
    #[error("contribution #{number}: delta after it does not follow from delta before it and its public key")]
    DeltaAfter {
        /// The contribution's number.
        number: usize,
    },
    /// A beacon's parameters are outside snarkjs's bounds.
    #[error("contribution #{number}: {source}")]
    BeaconParams {
        /// The contribution's number.
        number: usize,
        /// The bound violated.
        source: BeaconError,
    },
    /// A beacon's key is not the one its beacon value derives.
    #[error("contribution #{number}: its key is not the one its beacon derives")]
    BeaconKey {
        /// The contribution's number.
        number: usize,
    },
    /// A circuit size differs from the initial key's.
    #[error("the key's {field} is {found} where the circuit's is {expected}: a key for another circuit")]
    CircuitParameter {
        /// `n_vars`, `n_public` or `domain_size`.
        field: &'static str,
        /// The key's value.
        found: u32,
        /// The initial key's value.
        expected: u32,
    },
    /// A point fixed by phase 1 differs from the initial key's.
    #[error("the key's {0} differs from the initial key's: another phase-1 file, or a key for another circuit")]
    HeaderPoint(HeaderPoint),
    /// Delta in G1 is not the last contribution's.
    #[error("the key's delta in G1 is not the one its last contribution made")]
    Delta1,
    /// Delta in G2 does not match delta in G1.
    #[error("the key's delta in G2 does not match its delta in G1")]
    Delta2,
    /// The circuit hash differs from the initial key's.
    #[error("the circuit hash differs from the initial key's: a key for another circuit or phase-1 file")]
    CircuitHash,
    /// A section has the wrong number of entries.
    #[error("section {section} has {found} entries where the circuit has {expected}")]
    SectionLength {
        /// The section.
        section: Section,
        /// Its length in the key.
        found: usize,
        /// Its length in the initial key.
        expected: usize,
    },
    /// A section that contributions leave alone differs from the initial
    /// key's.
    #[error("section {0} differs from the initial key's")]
    SectionMismatch(Section),
    /// L or H is not the initial section divided by the final delta.
    #[error("section {0} is not the initial key's divided by delta")]
    NotOverDelta(Section),
}

/// One contribution, as the verifier lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionSummary {
    /// 1 for the oldest.
    pub number: usize,
    /// The participant's name, if recorded.
    pub name: Option<String>,
    /// Secret, or beacon with its parameters.
    pub kind: ContributionKind,
    /// The contribution hash snarkjs printed to its participant.
    pub hash: [u8; 64],
}

/// A valid key's transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The circuit hash.
    pub cs_hash: [u8; 64],
    /// The contributions, oldest first.
    pub contributions: Vec<ContributionSummary>,
    /// [`crate::transcript::transcript_hash`]: what the key's manifest
    /// records.
    pub transcript_hash: [u8; 64],
}

/// Verifies `zkey`'s transcript against `initial`, the key made from the
/// circuit's R1CS and the phase-1 file with no contribution. The random
/// linear combinations use the operating system's randomness.
///
/// # Errors
///
/// [`VerifyError`] naming the first check that fails.
pub fn verify(zkey: &Zkey, initial: &Zkey) -> Result<VerifyReport, VerifyError> {
    verify_with_rng(zkey, initial, &mut OsRng)
}

/// [`verify`] with the random linear combinations drawn from `rng`. A
/// prover who knows the scalars in advance can forge L and H: only tests
/// should pass anything but the operating system's randomness.
///
/// # Errors
///
/// As [`verify`].
pub fn verify_with_rng<R: RngCore>(zkey: &Zkey, initial: &Zkey, rng: &mut R) -> Result<VerifyReport, VerifyError> {
    if !initial.mpc.contributions.is_empty() {
        return Err(VerifyError::NotInitial(initial.mpc.contributions.len()));
    }
    let (contributions, delta) = check_contributions(zkey, initial)?;
    check_header(zkey, initial, &delta)?;
    if zkey.mpc.cs_hash != initial.mpc.cs_hash {
        return Err(VerifyError::CircuitHash);
    }
    check_sections(zkey, initial)?;
    check_over_delta(Section::L, &zkey.c, &initial.c, zkey, initial, rng)?;
    check_over_delta(Section::H, &zkey.h, &initial.h, zkey, initial, rng)?;
    Ok(VerifyReport { cs_hash: zkey.mpc.cs_hash, contributions, transcript_hash: transcript_hash(&zkey.mpc) })
}

/// snarkjs's `sameRatio`: none of the points is zero and
/// `e(g1_s, g2_sx) = e(g1_sx, g2_s)`.
fn same_ratio(g1_s: &G1Affine, g1_sx: &G1Affine, g2_s: &G2Affine, g2_sx: &G2Affine) -> bool {
    if g1_s.is_zero() || g1_sx.is_zero() || g2_s.is_zero() || g2_sx.is_zero() {
        return false;
    }
    Bn254::multi_pairing([*g1_s, -*g1_sx], [*g2_sx, *g2_s]).0.is_one()
}

/// A G1 point on the curve (BN254's G1 has cofactor 1).
fn g1_valid(p: &G1Affine) -> bool {
    p.is_on_curve()
}

/// A G2 point on the twist and in the prime-order subgroup.
fn g2_valid(p: &G2Affine) -> bool {
    p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()
}

/// Step 1: every contribution's transcript, proof of knowledge, delta and
/// beacon; returns their summaries and the last delta in G1.
fn check_contributions(zkey: &Zkey, initial: &Zkey) -> Result<(Vec<ContributionSummary>, G1Affine), VerifyError> {
    let mut delta = initial.header.delta_g1;
    let mut summaries = Vec::with_capacity(zkey.mpc.contributions.len());
    for (i, c) in zkey.mpc.contributions.iter().enumerate() {
        let number = i + 1;
        let point_error = |point| VerifyError::ContributionPoint { number, point };
        for (p, what) in [(&c.delta_after, "delta after"), (&c.delta.g1_s, "g1_s"), (&c.delta.g1_sx, "g1_sx")] {
            if !g1_valid(p) {
                return Err(point_error(what));
            }
        }
        if !g2_valid(&c.delta.g2_spx) {
            return Err(point_error("g2_spx"));
        }
        let previous = &zkey.mpc.contributions[..i];
        let expected = contribution_transcript(&zkey.mpc.cs_hash, previous, &c.delta.g1_s, &c.delta.g1_sx);
        if expected != c.transcript {
            return Err(VerifyError::Transcript { number });
        }
        let g2_sp = hash_to_g2(&c.transcript);
        if !same_ratio(&c.delta.g1_s, &c.delta.g1_sx, &g2_sp, &c.delta.g2_spx) {
            return Err(VerifyError::ProofOfKnowledge { number });
        }
        if !same_ratio(&delta, &c.delta_after, &g2_sp, &c.delta.g2_spx) {
            return Err(VerifyError::DeltaAfter { number });
        }
        if let ContributionKind::Beacon { hash, iterations_exp } = &c.kind {
            let mut rng: ChaCha =
                beacon_rng(hash, *iterations_exp).map_err(|source| VerifyError::BeaconParams { number, source })?;
            let key = DeltaSecret::draw(&mut rng);
            if key.g1_s != c.delta.g1_s || key.g1_sx != c.delta.g1_sx {
                return Err(VerifyError::BeaconKey { number });
            }
        }
        summaries.push(ContributionSummary {
            number,
            name: c.name.clone(),
            kind: c.kind.clone(),
            hash: contribution_hash(c),
        });
        delta = c.delta_after;
    }
    Ok((summaries, delta))
}

/// Step 2: the header against the initial key's, and delta against the
/// last contribution's.
fn check_header(zkey: &Zkey, initial: &Zkey, delta: &G1Affine) -> Result<(), VerifyError> {
    let (h, init) = (&zkey.header, &initial.header);
    for (field, found, expected) in [
        ("n_vars", h.n_vars, init.n_vars),
        ("n_public", h.n_public, init.n_public),
        ("domain_size", h.domain_size, init.domain_size),
    ] {
        if found != expected {
            return Err(VerifyError::CircuitParameter { field, found, expected });
        }
    }
    if h.alpha_g1 != init.alpha_g1 {
        return Err(VerifyError::HeaderPoint(HeaderPoint::Alpha1));
    }
    if h.beta_g1 != init.beta_g1 {
        return Err(VerifyError::HeaderPoint(HeaderPoint::Beta1));
    }
    if h.beta_g2 != init.beta_g2 {
        return Err(VerifyError::HeaderPoint(HeaderPoint::Beta2));
    }
    if h.gamma_g2 != init.gamma_g2 {
        return Err(VerifyError::HeaderPoint(HeaderPoint::Gamma2));
    }
    if h.delta_g1 != *delta {
        return Err(VerifyError::Delta1);
    }
    if !g2_valid(&h.delta_g2) || !same_ratio(&init.delta_g1, &h.delta_g1, &init.delta_g2, &h.delta_g2) {
        return Err(VerifyError::Delta2);
    }
    Ok(())
}

/// Steps 4 and the lengths of L and H: sections against the initial key's.
fn check_sections(zkey: &Zkey, initial: &Zkey) -> Result<(), VerifyError> {
    let length = |section, found: usize, expected: usize| {
        if found == expected {
            Ok(())
        } else {
            Err(VerifyError::SectionLength { section, found, expected })
        }
    };
    length(Section::L, zkey.c.len(), initial.c.len())?;
    length(Section::H, zkey.h.len(), initial.h.len())?;
    let same = |section, equal: bool| if equal { Ok(()) } else { Err(VerifyError::SectionMismatch(section)) };
    same(Section::Ic, zkey.ic == initial.ic)?;
    same(Section::Coefficients, zkey.coefficients == initial.coefficients)?;
    same(Section::A, zkey.a == initial.a)?;
    same(Section::B1, zkey.b_g1 == initial.b_g1)?;
    same(Section::B2, zkey.b_g2 == initial.b_g2)
}

/// Step 5 for one section: with random `r_i`,
/// `e(Σ r_i·initial_i, delta_initial) = e(Σ r_i·points_i, delta)`.
fn check_over_delta<R: RngCore>(
    section: Section,
    points: &[G1Affine],
    initial_points: &[G1Affine],
    zkey: &Zkey,
    initial: &Zkey,
    rng: &mut R,
) -> Result<(), VerifyError> {
    if !points.par_iter().all(g1_valid) {
        return Err(VerifyError::NotOverDelta(section));
    }
    let scalars: Vec<Fr> = (0..points.len())
        .map(|_| {
            let mut bytes = [0u8; 16];
            rng.fill_bytes(&mut bytes);
            Fr::from(u128::from_le_bytes(bytes))
        })
        .collect();
    let msm = |bases: &[G1Affine]| G1Projective::msm(bases, &scalars).map(|p| p.into_affine());
    let (Ok(ours), Ok(theirs)) = (msm(points), msm(initial_points)) else {
        return Err(VerifyError::NotOverDelta(section));
    };
    let holds = Bn254::multi_pairing([theirs, -ours], [initial.header.delta_g2, zkey.header.delta_g2]).0.is_one();
    if holds {
        Ok(())
    } else {
        Err(VerifyError::NotOverDelta(section))
    }
}
