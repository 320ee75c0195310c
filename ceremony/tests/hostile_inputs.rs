//! Every parser on truncated, random, bit-flipped and lying input: an
//! error, never a panic or a huge allocation; and whatever is accepted is
//! written back byte for byte.

use std::io::Cursor;

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::UniformRand;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkcomply_ceremony::binfile::{BinFile, BinWriter};
use zkcomply_ceremony::encoding::{fq_modulus_le, g1_to_lem, g2_to_lem};
use zkcomply_ceremony::ptau::{section, PtauFile};
use zkcomply_ceremony::r1cs_file::{R1csConstraint, R1csFile};
use zkcomply_ceremony::wtns_file::WtnsFile;
use zkcomply_ceremony::zkey::{
    Coefficient, Contribution, ContributionKind, DeltaPublicKey, Groth16Header, Matrix, MpcParams, Zkey,
};

fn g1(rng: &mut ChaCha20Rng) -> G1Affine {
    (G1Projective::generator() * Fr::rand(rng)).into_affine()
}

fn g2(rng: &mut ChaCha20Rng) -> G2Affine {
    (G2Projective::generator() * Fr::rand(rng)).into_affine()
}

/// A key of the right shape with random points, coefficients and two
/// contributions (a named secret one and a beacon).
fn sample_zkey(seed: u64, contributions: bool) -> Zkey {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let (n_vars, n_public, domain_size) = (5u32, 2u32, 8u32);
    let header = Groth16Header {
        n_vars,
        n_public,
        domain_size,
        alpha_g1: g1(&mut rng),
        beta_g1: g1(&mut rng),
        beta_g2: g2(&mut rng),
        gamma_g2: G2Affine::identity(),
        delta_g1: g1(&mut rng),
        delta_g2: g2(&mut rng),
    };
    let coefficients = (0..6)
        .map(|i| Coefficient {
            matrix: if i % 2 == 0 { Matrix::A } else { Matrix::B },
            constraint: i % domain_size,
            signal: i % n_vars,
            value: Fr::rand(&mut rng),
        })
        .collect();
    let points = |rng: &mut ChaCha20Rng, n: u32| (0..n).map(|_| g1(rng)).collect::<Vec<_>>();
    let mut contribution = |kind, name: Option<&str>| Contribution {
        delta_after: g1(&mut rng),
        delta: DeltaPublicKey { g1_s: g1(&mut rng), g1_sx: g1(&mut rng), g2_spx: g2(&mut rng) },
        transcript: [7u8; 64],
        kind,
        name: name.map(str::to_owned),
    };
    let list = if contributions {
        vec![
            contribution(ContributionKind::Secret, Some("alice")),
            contribution(ContributionKind::Beacon { hash: vec![1, 2, 3], iterations_exp: 10 }, None),
        ]
    } else {
        Vec::new()
    };
    let mut rng = ChaCha20Rng::seed_from_u64(seed + 1);
    Zkey {
        header,
        ic: points(&mut rng, n_public + 1),
        coefficients,
        a: points(&mut rng, n_vars),
        b_g1: points(&mut rng, n_vars),
        b_g2: (0..n_vars).map(|_| g2(&mut rng)).collect(),
        c: points(&mut rng, n_vars - n_public - 1),
        h: points(&mut rng, domain_size),
        mpc: MpcParams { cs_hash: [9u8; 64], contributions: list },
    }
}

fn sample_r1cs() -> R1csFile {
    let f = |v: u64| Fr::from(v);
    R1csFile {
        n_wires: 4,
        n_pub_out: 0,
        n_pub_in: 1,
        n_prv_in: 1,
        n_labels: 4,
        constraints: vec![
            R1csConstraint { a: vec![(2, f(1))], b: vec![(2, f(1))], c: vec![(3, f(1))] },
            R1csConstraint { a: vec![(3, f(1)), (0, -f(5))], b: vec![(0, f(1))], c: vec![(1, f(1))] },
        ],
        wire_to_label: vec![0, 1, 2, 3],
    }
}

fn sample_wtns() -> WtnsFile {
    WtnsFile { values: vec![Fr::from(1u64), Fr::from(4u64), Fr::from(3u64), Fr::from(9u64)] }
}

/// A structurally valid `.ptau` of power 1, prepared (random points: the
/// reader checks structure and points, not the powers' relations).
fn sample_ptau() -> Vec<u8> {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let mut w = BinWriter::new(b"ptau", 1);
    w.section(1, |b| {
        b.extend_from_slice(&32u32.to_le_bytes());
        b.extend_from_slice(&fq_modulus_le());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
    });
    let g1s = |rng: &mut ChaCha20Rng, n: usize| (0..n).flat_map(|_| g1_to_lem(&g1(rng))).collect::<Vec<u8>>();
    let g2s = |rng: &mut ChaCha20Rng, n: usize| (0..n).flat_map(|_| g2_to_lem(&g2(rng))).collect::<Vec<u8>>();
    let sections: Vec<(u32, Vec<u8>)> = vec![
        (2, g1s(&mut rng, 3)),
        (3, g2s(&mut rng, 2)),
        (4, g1s(&mut rng, 2)),
        (5, g1s(&mut rng, 2)),
        (6, g2s(&mut rng, 1)),
        (7, 0u32.to_le_bytes().to_vec()),
        (12, g1s(&mut rng, 7)),
        (13, g2s(&mut rng, 3)),
        (14, g1s(&mut rng, 3)),
        (15, g1s(&mut rng, 3)),
    ];
    for (id, body) in sections {
        w.section(id, |b| b.extend_from_slice(&body));
    }
    w.finish()
}

fn ptau_parse(bytes: &[u8]) -> Result<(), String> {
    let mut file = PtauFile::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    file.lagrange_g1(section::LAGRANGE_TAU_G1, 2).map_err(|e| e.to_string())?;
    file.lagrange_g2(2).map_err(|e| e.to_string())?;
    file.read_g1(section::TAU_G1, 0, 3).map_err(|e| e.to_string())?;
    Ok(())
}

#[test]
fn samples_round_trip() {
    for contributions in [false, true] {
        let key = sample_zkey(1, contributions);
        let bytes = key.to_bytes();
        assert_eq!(Zkey::from_bytes(&bytes).expect("zkey"), key);
    }
    let r1cs = sample_r1cs();
    assert_eq!(R1csFile::from_bytes(&r1cs.to_bytes()).expect("r1cs"), r1cs);
    let wtns = sample_wtns();
    assert_eq!(WtnsFile::from_bytes(&wtns.to_bytes()).expect("wtns"), wtns);
    ptau_parse(&sample_ptau()).expect("ptau");
}

/// Whether a parser accepts some bytes.
type Accepts = fn(&[u8]) -> bool;

#[test]
fn every_truncation_is_refused() {
    let files: Vec<(&str, Vec<u8>, Accepts)> = vec![
        ("zkey", sample_zkey(2, true).to_bytes(), |b| Zkey::from_bytes(b).is_ok()),
        ("r1cs", sample_r1cs().to_bytes(), |b| R1csFile::from_bytes(b).is_ok()),
        ("wtns", sample_wtns().to_bytes(), |b| WtnsFile::from_bytes(b).is_ok()),
        ("ptau", sample_ptau(), |b| ptau_parse(b).is_ok()),
    ];
    for (name, bytes, parses) in files {
        for len in 0..bytes.len() {
            assert!(!parses(&bytes[..len]), "{name} truncated to {len} bytes was accepted");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!parses(&longer), "{name} with a trailing byte was accepted");
    }
}

/// Overwrites the u64 size of the section whose header starts at `at`.
fn set_u64(bytes: &mut [u8], at: usize, v: u64) {
    bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn lying_sizes_and_counts_are_refused() {
    // A section size far beyond the file.
    let mut zkey = sample_zkey(3, false).to_bytes();
    set_u64(&mut zkey, 12 + 4, u64::MAX);
    let err = Zkey::from_bytes(&zkey).expect_err("huge section");
    assert!(err.to_string().contains("claims"), "{err}");

    // n_vars of 2^32 - 1 in the header: the sections cannot match.
    let mut zkey = sample_zkey(3, false).to_bytes();
    let header = 12 + 12 + 4 + 12; // file header, section 1, section 2's header
    let n_vars_at = header + 4 + 32 + 4 + 32;
    zkey[n_vars_at..n_vars_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = Zkey::from_bytes(&zkey).expect_err("huge n_vars");
    assert!(err.to_string().contains("section"), "{err}");

    // A coefficient count of 2^32 - 1 (section 4 follows section 2 in a new key).
    let mut zkey = sample_zkey(3, false).to_bytes();
    let coefficients_at = header + 660 + 12;
    zkey[coefficients_at..coefficients_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = Zkey::from_bytes(&zkey).expect_err("huge coefficient count");
    assert!(err.to_string().contains("section 4"), "{err}");

    // An r1cs claiming 2^32 - 1 constraints.
    let mut r1cs = sample_r1cs().to_bytes();
    let m_at = 12 + 12 + 4 + 32 + 16 + 8;
    r1cs[m_at..m_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(R1csFile::from_bytes(&r1cs).is_err());

    // A wtns claiming 2^32 - 1 values.
    let mut wtns = sample_wtns().to_bytes();
    let count_at = 12 + 12 + 4 + 32;
    wtns[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(WtnsFile::from_bytes(&wtns).is_err());

    // A ptau claiming power 28 with power-1 sections.
    let mut ptau = sample_ptau();
    let power_at = 12 + 12 + 4 + 32;
    ptau[power_at..power_at + 4].copy_from_slice(&28u32.to_le_bytes());
    assert!(ptau_parse(&ptau).is_err());

    // A container claiming 2^32 - 1 sections.
    let mut wtns = sample_wtns().to_bytes();
    wtns[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(BinFile::parse(&wtns, "wtns", &[2], "2").is_err());
}

#[test]
fn wrong_magic_version_and_protocol_are_named() {
    let zkey = sample_zkey(4, false).to_bytes();
    let err = R1csFile::from_bytes(&zkey).expect_err("a zkey is not an r1cs");
    assert!(err.to_string().contains("not a r1cs file"), "{err}");
    let mut v2 = zkey.clone();
    v2[4] = 2;
    assert!(Zkey::from_bytes(&v2).expect_err("version 2").to_string().contains("version 2"));
    let mut plonk = zkey;
    plonk[12 + 12] = 2;
    assert!(Zkey::from_bytes(&plonk).expect_err("plonk").to_string().contains("protocol 2"));
}

#[test]
fn invalid_points_are_refused() {
    let zkey = sample_zkey(5, false);
    let bytes = zkey.to_bytes();
    // The first header point (alpha_g1): y + 1 is off the curve.
    let at = 12 + 12 + 4 + 12 + 4 + 32 + 4 + 32 + 12 + 32;
    let mut off = bytes.clone();
    off[at] ^= 1;
    let err = Zkey::from_bytes(&off).expect_err("off the curve");
    assert!(err.to_string().contains("section 2"), "{err}");
    // A coordinate of q itself is not canonical.
    let mut big = bytes;
    big[at - 32..at].copy_from_slice(&fq_modulus_le());
    assert!(Zkey::from_bytes(&big).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), kind in 0usize..4) {
        let mut prefixed = match kind {
            0 => b"zkey".to_vec(),
            1 => b"r1cs".to_vec(),
            2 => b"wtns".to_vec(),
            _ => b"ptau".to_vec(),
        };
        prefixed.extend_from_slice(&bytes);
        for input in [&bytes[..], &prefixed[..]] {
            let _ = Zkey::from_bytes(input);
            let _ = R1csFile::from_bytes(input);
            let _ = WtnsFile::from_bytes(input);
            let _ = ptau_parse(input);
        }
    }

    #[test]
    fn bit_flips_are_refused_or_round_trip(seed in 0u64..4, flips in proptest::collection::vec(any::<usize>(), 1..4)) {
        let flip = |mut b: Vec<u8>| {
            for &f in &flips {
                let i = f % (b.len() * 8);
                b[i / 8] ^= 1 << (i % 8);
            }
            b
        };
        let zkey = flip(sample_zkey(seed, seed % 2 == 1).to_bytes());
        if let Ok(key) = Zkey::from_bytes(&zkey) {
            prop_assert_eq!(key.to_bytes(), zkey);
        }
        let r1cs = flip(sample_r1cs().to_bytes());
        if let Ok(file) = R1csFile::from_bytes(&r1cs) {
            prop_assert_eq!(file.to_bytes(), r1cs);
        }
        let wtns = flip(sample_wtns().to_bytes());
        if let Ok(file) = WtnsFile::from_bytes(&wtns) {
            prop_assert_eq!(file.to_bytes(), wtns);
        }
        let _ = ptau_parse(&flip(sample_ptau()));
    }
}
