//! Phase-2 contributions mixed with snarkjs 0.7.6 in both orders, on a
//! small circuit over a power-8 phase-1 file made by snarkjs: every key is
//! accepted by both `snarkjs zkey verify` and zkcomply's verify, a beacon
//! is byte-identical to snarkjs's, and tampered keys are refused by both
//! with the reason named.

mod common;

use std::fs;
use std::path::Path;

use ark_bn254::{Fr, G1Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::One;
use common::{prepared_ptau, small_circuit, snarkjs, snarkjs_status};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkcomply_ceremony::contribute::{beacon, contribute};
use zkcomply_ceremony::encoding::g1_to_lem;
use zkcomply_ceremony::new_zkey::new_zkey;
use zkcomply_ceremony::ptau::PtauFile;
use zkcomply_ceremony::r1cs_file::{R1csConstraint, R1csFile};
use zkcomply_ceremony::transcript::format_hash;
use zkcomply_ceremony::verify::{verify, HeaderPoint, VerifyError};
use zkcomply_ceremony::zkey::{ContributionKind, Zkey};

const BEACON_HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn read(path: &Path) -> Zkey {
    Zkey::from_bytes(&fs::read(path).expect("read zkey")).expect("parse zkey")
}

fn write(path: &Path, key: &Zkey) {
    fs::write(path, key.to_bytes()).expect("write zkey");
}

/// The initial key of `r1cs` over the phase-1 file at `ptau`.
fn initial(r1cs: &R1csFile, ptau: &Path) -> Zkey {
    new_zkey(r1cs, &mut PtauFile::open(ptau).expect("open ptau")).expect("zkey new")
}

/// `snarkjs zkey verify` of `zkey`: whether it exits 0, and its output.
fn snarkjs_verify(dir: &Path, r1cs: &str, ptau: &str, zkey: &str) -> (bool, String) {
    let out = snarkjs_status(dir, &["zkey", "verify", r1cs, ptau, zkey]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success() && text.contains("ZKey Ok!"), text)
}

/// The circuit's directory: a prepared power-8 phase-1 file, the small
/// circuit's `.r1cs`, and its initial key `init.zkey`.
fn setup(dir: &Path) -> (R1csFile, Zkey) {
    let ptau = prepared_ptau(dir, 8);
    fs::rename(dir.join(ptau), dir.join("pot.ptau")).expect("rename ptau");
    let (r1cs, _) = small_circuit();
    fs::write(dir.join("circuit.r1cs"), r1cs.to_bytes()).expect("write r1cs");
    let init = initial(&r1cs, &dir.join("pot.ptau"));
    write(&dir.join("init.zkey"), &init);
    (r1cs, init)
}

#[test]
fn contributions_mix_with_snarkjs_in_both_orders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (_, init) = setup(d);
    let rng = &mut ChaCha20Rng::seed_from_u64(11);

    // zkcomply → snarkjs → zkcomply beacon.
    let (k1, hash1) = contribute(&init, Some("zk alice"), Some(b"alice's keyboard"), rng).expect("contribute");
    write(&d.join("a1.zkey"), &k1);
    snarkjs(d, &["zkey", "contribute", "a1.zkey", "a2.zkey", "--name=snark bob", "-e=bob's entropy"]);
    let beacon_value = hex::decode(BEACON_HEX).expect("hex");
    let (k3, hash3) = beacon(&read(&d.join("a2.zkey")), Some("final"), &beacon_value, 10).expect("beacon");
    write(&d.join("a3.zkey"), &k3);

    let (ok, text) = snarkjs_verify(d, "circuit.r1cs", "pot.ptau", "a3.zkey");
    assert!(ok, "snarkjs refuses zkcomply → snarkjs → zkcomply:\n{text}");
    let report = verify(&k3, &init).expect("zkcomply accepts zkcomply → snarkjs → zkcomply");
    let kinds: Vec<_> = report.contributions.iter().map(|c| (c.name.as_deref(), c.kind.clone())).collect();
    assert_eq!(
        kinds,
        vec![
            (Some("zk alice"), ContributionKind::Secret),
            (Some("snark bob"), ContributionKind::Secret),
            (Some("final"), ContributionKind::Beacon { hash: beacon_value.clone(), iterations_exp: 10 }),
        ]
    );
    assert_eq!((report.contributions[0].hash, report.contributions[2].hash), (hash1, hash3));
    // snarkjs lists the same contribution hashes as zkcomply printed.
    for c in &report.contributions {
        assert!(
            text.contains(&format_hash(&c.hash, None)),
            "snarkjs does not list contribution #{}:\n{text}",
            c.number
        );
    }

    // The beacon is deterministic: snarkjs's on the same key is the same file.
    snarkjs(d, &["zkey", "beacon", "a2.zkey", "a3_snarkjs.zkey", BEACON_HEX, "10", "-n=final"]);
    assert!(fs::read(d.join("a3_snarkjs.zkey")).expect("read") == k3.to_bytes(), "the beacon differs from snarkjs's");

    // snarkjs → zkcomply → snarkjs beacon.
    snarkjs(d, &["zkey", "contribute", "init.zkey", "b1.zkey", "--name=snark carol", "-e=carol's entropy"]);
    let (k2, hash2) = contribute(&read(&d.join("b1.zkey")), Some("zk dave"), None, rng).expect("contribute");
    write(&d.join("b2.zkey"), &k2);
    snarkjs(d, &["zkey", "beacon", "b2.zkey", "b3.zkey", BEACON_HEX, "11", "-n=last"]);
    let (ok, text) = snarkjs_verify(d, "circuit.r1cs", "pot.ptau", "b3.zkey");
    assert!(ok, "snarkjs refuses snarkjs → zkcomply → snarkjs:\n{text}");
    assert!(text.contains(&format_hash(&hash2, None)), "snarkjs does not list our contribution:\n{text}");
    let report = verify(&read(&d.join("b3.zkey")), &init).expect("zkcomply accepts snarkjs → zkcomply → snarkjs");
    assert_eq!(report.contributions.len(), 3);
    assert_eq!(report.contributions[1].hash, hash2);
    assert_eq!(report.contributions[2].kind, ContributionKind::Beacon { hash: beacon_value, iterations_exp: 11 });
}

/// The small circuit with one more constraint (`x · x = x2` again): the
/// same sizes of domain and wires, another circuit.
fn other_circuit() -> R1csFile {
    let (mut r1cs, _) = small_circuit();
    let one = Fr::one();
    r1cs.constraints.push(R1csConstraint { a: vec![(3, one)], b: vec![(3, one)], c: vec![(4, one)] });
    r1cs
}

/// Replaces the first occurrence of `from` in `bytes` by `to`.
fn replace(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    let at = bytes.windows(from.len()).position(|w| w == from).expect("the bytes occur in the file");
    bytes[at..at + to.len()].copy_from_slice(to);
}

#[test]
fn tampered_keys_are_refused_by_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (_, init) = setup(d);
    let rng = &mut ChaCha20Rng::seed_from_u64(12);
    snarkjs(d, &["zkey", "contribute", "init.zkey", "s1.zkey", "--name=snark", "-e=entropy"]);
    let (key, _) = contribute(&read(&d.join("s1.zkey")), Some("zk"), None, rng).expect("contribute");
    write(&d.join("good.zkey"), &key);
    assert!(snarkjs_verify(d, "circuit.r1cs", "pot.ptau", "good.zkey").0);
    verify(&key, &init).expect("the untampered key verifies");
    let good = key.to_bytes();
    let refused = |name: &str, bytes: &[u8]| {
        fs::write(d.join(name), bytes).expect("write");
        let (ok, text) = snarkjs_verify(d, "circuit.r1cs", "pot.ptau", name);
        assert!(!ok, "snarkjs accepts {name}:\n{text}");
    };

    // A flipped byte in snarkjs's contribution's g1_sx: not a point at all.
    let mut bytes = good.clone();
    let g1_sx = g1_to_lem(&key.mpc.contributions[0].delta.g1_sx);
    let mut flipped = g1_sx;
    flipped[5] ^= 0x01;
    replace(&mut bytes, &g1_sx, &flipped);
    assert!(Zkey::from_bytes(&bytes).is_err(), "a g1_sx off the curve is read");
    refused("flipped.zkey", &bytes);

    // Another valid g1_sx: the transcript no longer matches it.
    let mut tampered = key.clone();
    tampered.mpc.contributions[0].delta.g1_sx = (G1Affine::generator() * Fr::from(5u64)).into_affine();
    assert_eq!(verify(&tampered, &init), Err(VerifyError::Transcript { number: 1 }));
    refused("other_g1_sx.zkey", &tampered.to_bytes());

    // A flipped bit in our contribution's transcript.
    let mut tampered = key.clone();
    tampered.mpc.contributions[1].transcript[0] ^= 0x80;
    assert_eq!(verify(&tampered, &init), Err(VerifyError::Transcript { number: 2 }));
    refused("transcript.zkey", &tampered.to_bytes());

    // A changed delta.
    let mut tampered = key.clone();
    tampered.header.delta_g1 = (tampered.header.delta_g1 * Fr::from(2u64)).into_affine();
    tampered.header.delta_g2 = (tampered.header.delta_g2 * Fr::from(2u64)).into_affine();
    assert_eq!(verify(&tampered, &init), Err(VerifyError::Delta1));
    refused("delta.zkey", &tampered.to_bytes());

    // The key against another phase-1 file: alpha differs.
    let other = d.join("other");
    fs::create_dir(&other).expect("mkdir");
    let other_ptau = other.join(prepared_ptau(&other, 8));
    fs::copy(&other_ptau, d.join("other.ptau")).expect("copy ptau");
    let (r1cs, _) = small_circuit();
    let swapped = initial(&r1cs, &other_ptau);
    assert_eq!(verify(&key, &swapped), Err(VerifyError::HeaderPoint(HeaderPoint::Alpha1)));
    assert!(!snarkjs_verify(d, "circuit.r1cs", "other.ptau", "good.zkey").0, "snarkjs accepts another ptau");

    // The key against another circuit over the same phase-1 file.
    let other_r1cs = other_circuit();
    fs::write(d.join("other.r1cs"), other_r1cs.to_bytes()).expect("write r1cs");
    let other_init = initial(&other_r1cs, &d.join("pot.ptau"));
    assert_eq!(other_init.header.n_vars, init.header.n_vars);
    assert_eq!(verify(&key, &other_init), Err(VerifyError::CircuitHash));
    assert!(!snarkjs_verify(d, "other.r1cs", "pot.ptau", "good.zkey").0, "snarkjs accepts another circuit");

    // A truncated key is not read at all.
    assert!(Zkey::from_bytes(&good[..good.len() - 100]).is_err(), "a truncated key is read");
    refused("truncated.zkey", &good[..good.len() - 100]);
}
