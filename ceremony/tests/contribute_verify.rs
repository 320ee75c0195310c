//! Contributions, beacons and verification on a synthetic key (random
//! points in every section, no files, no node): a chain verifies, and each
//! kind of tampering is refused with its own reason.

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::UniformRand;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_ceremony::contribute::{beacon, contribute, ContributeError};
use zkcomply_ceremony::snarkjs_rng::BeaconError;
use zkcomply_ceremony::transcript::{contribution_hash, transcript_hash};
use zkcomply_ceremony::verify::{verify, verify_with_rng, HeaderPoint, Section, VerifyError};
use zkcomply_ceremony::zkey::{Coefficient, ContributionKind, Groth16Header, Matrix, MpcParams, Zkey};

fn g1(rng: &mut ChaCha20Rng) -> G1Affine {
    (G1Projective::generator() * Fr::rand(rng)).into_affine()
}

fn g2(rng: &mut ChaCha20Rng) -> G2Affine {
    (G2Projective::generator() * Fr::rand(rng)).into_affine()
}

/// A key as `zkey new` shapes it: delta is the generator, no contribution.
fn initial_key(seed: u64) -> Zkey {
    let rng = &mut ChaCha20Rng::seed_from_u64(seed);
    let (n_vars, n_public, domain_size) = (9u32, 2u32, 16u32);
    let header = Groth16Header {
        n_vars,
        n_public,
        domain_size,
        alpha_g1: g1(rng),
        beta_g1: g1(rng),
        beta_g2: g2(rng),
        gamma_g2: G2Projective::generator().into_affine(),
        delta_g1: G1Projective::generator().into_affine(),
        delta_g2: G2Projective::generator().into_affine(),
    };
    let coefficients = (0..12u32)
        .map(|i| Coefficient {
            matrix: if i % 2 == 0 { Matrix::A } else { Matrix::B },
            constraint: i / 2,
            signal: i % n_vars,
            value: Fr::rand(rng),
        })
        .collect();
    let mut cs_hash = [0u8; 64];
    rng.fill(&mut cs_hash[..]);
    Zkey {
        header,
        ic: (0..=n_public).map(|_| g1(rng)).collect(),
        coefficients,
        a: (0..n_vars).map(|_| g1(rng)).collect(),
        b_g1: (0..n_vars).map(|_| g1(rng)).collect(),
        b_g2: (0..n_vars).map(|_| g2(rng)).collect(),
        c: (0..n_vars - n_public - 1).map(|_| g1(rng)).collect(),
        h: (0..domain_size).map(|_| g1(rng)).collect(),
        mpc: MpcParams { cs_hash, contributions: Vec::new() },
    }
}

/// initial → contribution → beacon → contribution.
fn chain(initial: &Zkey) -> Zkey {
    let rng = &mut ChaCha20Rng::seed_from_u64(1);
    let (k1, _) = contribute(initial, Some("alice"), Some(b"alice's entropy"), rng).expect("contribute");
    let (k2, _) = beacon(&k1, Some("beacon"), &[0x5a; 32], 10).expect("beacon");
    let (k3, _) = contribute(&k2, None, None, rng).expect("contribute");
    k3
}

fn check(zkey: &Zkey, initial: &Zkey) -> Result<(), VerifyError> {
    verify_with_rng(zkey, initial, &mut ChaCha20Rng::seed_from_u64(2)).map(|_| ())
}

#[test]
fn a_chain_verifies_and_lists_its_contributions() {
    let initial = initial_key(7);
    let key = chain(&initial);
    let report = verify(&key, &initial).expect("a valid chain");
    assert_eq!(report.contributions.len(), 3);
    assert_eq!(report.contributions[0].name.as_deref(), Some("alice"));
    assert_eq!(report.contributions[0].kind, ContributionKind::Secret);
    assert_eq!(report.contributions[1].kind, ContributionKind::Beacon { hash: vec![0x5a; 32], iterations_exp: 10 });
    assert_eq!(report.contributions[2].name, None);
    for (summary, c) in report.contributions.iter().zip(&key.mpc.contributions) {
        assert_eq!(summary.hash, contribution_hash(c));
    }
    assert_eq!(report.transcript_hash, transcript_hash(&key.mpc));
    assert_eq!(report.cs_hash, initial.mpc.cs_hash);
    // The sections contributions leave alone are untouched; L and H moved.
    assert_eq!((&key.a, &key.b_g2, &key.ic), (&initial.a, &initial.b_g2, &initial.ic));
    assert_ne!(key.c, initial.c);
    assert_ne!(key.h, initial.h);
    // The initial key verifies against itself, with an empty transcript.
    assert!(verify(&initial, &initial).expect("initial").contributions.is_empty());
}

#[test]
fn contribute_returns_the_hash_of_its_public_key() {
    let initial = initial_key(3);
    let (key, hash) = contribute(&initial, Some("bob"), None, &mut ChaCha20Rng::seed_from_u64(5)).expect("contribute");
    assert_eq!(hash, contribution_hash(&key.mpc.contributions[0]));
    let (again, _) = contribute(&initial, Some("bob"), None, &mut ChaCha20Rng::seed_from_u64(5)).expect("contribute");
    assert_eq!(key, again, "the same randomness gives the same key");
}

#[test]
fn a_beacon_is_reproducible() {
    let initial = initial_key(3);
    let a = beacon(&initial, None, b"block 800000", 11).expect("beacon");
    let b = beacon(&initial, None, b"block 800000", 11).expect("beacon");
    assert_eq!(a, b);
}

#[test]
fn beacon_bounds_are_refused() {
    let initial = initial_key(3);
    assert_eq!(beacon(&initial, None, &[], 10).map(|_| ()), Err(ContributeError::Beacon(BeaconError::HashLength(0))));
    assert_eq!(
        beacon(&initial, None, &[1], 64).map(|_| ()),
        Err(ContributeError::Beacon(BeaconError::IterationsExp(64)))
    );
}

#[test]
fn a_flipped_public_key_is_refused() {
    let initial = initial_key(7);
    let mut key = chain(&initial);
    // Another g1_s: the transcript no longer matches.
    key.mpc.contributions[1].delta.g1_s = g1(&mut ChaCha20Rng::seed_from_u64(9));
    assert_eq!(check(&key, &initial), Err(VerifyError::Transcript { number: 2 }));

    let mut key = chain(&initial);
    // Another g2_spx: the proof of knowledge fails.
    key.mpc.contributions[2].delta.g2_spx = g2(&mut ChaCha20Rng::seed_from_u64(9));
    assert_eq!(check(&key, &initial), Err(VerifyError::ProofOfKnowledge { number: 3 }));

    let mut key = chain(&initial);
    // Another delta after: it does not follow the public key.
    key.mpc.contributions[0].delta_after = g1(&mut ChaCha20Rng::seed_from_u64(9));
    assert_eq!(check(&key, &initial), Err(VerifyError::DeltaAfter { number: 1 }));
}

#[test]
fn a_beacon_with_other_parameters_is_refused() {
    let initial = initial_key(7);
    let mut key = chain(&initial);
    key.mpc.contributions[1].kind = ContributionKind::Beacon { hash: vec![0x5b; 32], iterations_exp: 10 };
    assert_eq!(check(&key, &initial), Err(VerifyError::BeaconKey { number: 2 }));
    key.mpc.contributions[1].kind = ContributionKind::Beacon { hash: vec![0x5a; 32], iterations_exp: 9 };
    assert_eq!(
        check(&key, &initial),
        Err(VerifyError::BeaconParams { number: 2, source: BeaconError::IterationsExp(9) })
    );
}

#[test]
fn a_changed_delta_is_refused() {
    let initial = initial_key(7);
    let key = chain(&initial);
    let mut tampered = key.clone();
    tampered.header.delta_g1 = g1(&mut ChaCha20Rng::seed_from_u64(9));
    assert_eq!(check(&tampered, &initial), Err(VerifyError::Delta1));
    let mut tampered = key.clone();
    tampered.header.delta_g2 = g2(&mut ChaCha20Rng::seed_from_u64(9));
    assert_eq!(check(&tampered, &initial), Err(VerifyError::Delta2));
    // Dropping the last contribution leaves delta without its author.
    let mut tampered = key;
    tampered.mpc.contributions.pop();
    assert_eq!(check(&tampered, &initial), Err(VerifyError::Delta1));
}

#[test]
fn sections_that_do_not_follow_are_refused() {
    let initial = initial_key(7);
    let key = chain(&initial);
    let point = g1(&mut ChaCha20Rng::seed_from_u64(9));

    let mut tampered = key.clone();
    tampered.c[1] = point;
    assert_eq!(check(&tampered, &initial), Err(VerifyError::NotOverDelta(Section::L)));
    let mut tampered = key.clone();
    tampered.h[15] = point;
    assert_eq!(check(&tampered, &initial), Err(VerifyError::NotOverDelta(Section::H)));
    let mut tampered = key.clone();
    tampered.h.pop();
    assert_eq!(
        check(&tampered, &initial),
        Err(VerifyError::SectionLength { section: Section::H, found: 15, expected: 16 })
    );
    let mut tampered = key.clone();
    tampered.a[0] = point;
    assert_eq!(check(&tampered, &initial), Err(VerifyError::SectionMismatch(Section::A)));
    let mut tampered = key.clone();
    tampered.coefficients[3].value += Fr::from(1u64);
    assert_eq!(check(&tampered, &initial), Err(VerifyError::SectionMismatch(Section::Coefficients)));
    let mut tampered = key;
    tampered.ic[0] = point;
    assert_eq!(check(&tampered, &initial), Err(VerifyError::SectionMismatch(Section::Ic)));
}

#[test]
fn a_key_from_another_initial_key_is_refused() {
    let initial = initial_key(7);
    let key = chain(&initial);
    // Other phase-1 points: alpha differs first.
    let other = initial_key(8);
    assert_eq!(check(&key, &other), Err(VerifyError::HeaderPoint(HeaderPoint::Alpha1)));
    // Same points, another circuit hash.
    let mut other = initial.clone();
    other.mpc.cs_hash[0] ^= 1;
    assert_eq!(check(&key, &other), Err(VerifyError::CircuitHash));
    // Another circuit size.
    let mut other = initial.clone();
    other.header.n_vars += 1;
    assert_eq!(check(&key, &other), Err(VerifyError::CircuitParameter { field: "n_vars", found: 9, expected: 10 }));
    // A key with contributions is not an initial key.
    assert_eq!(check(&key, &key), Err(VerifyError::NotInitial(3)));
}
