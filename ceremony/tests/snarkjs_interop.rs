//! zkcomply's `.r1cs`, `.wtns` and `zkey new` against snarkjs 0.7.6 itself,
//! on a small circuit with a power-8 phase-1 file made by snarkjs.

mod common;

use std::fs;

use common::{prepared_ptau, small_circuit, snarkjs, snarkjs_status};
use zkcomply_ceremony::new_zkey::new_zkey;
use zkcomply_ceremony::ptau::PtauFile;
use zkcomply_ceremony::zkey::{ContributionKind, Zkey};

#[test]
fn small_circuit_matches_snarkjs_end_to_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let ptau = prepared_ptau(d, 8);
    let (r1cs, wtns) = small_circuit();
    fs::write(d.join("circuit.r1cs"), r1cs.to_bytes()).expect("write r1cs");
    fs::write(d.join("witness.wtns"), wtns.to_bytes()).expect("write wtns");

    // snarkjs reads our R1CS and accepts our witness for it.
    let info = snarkjs(d, &["r1cs", "info", "circuit.r1cs"]);
    assert!(info.contains("# of Constraints: 7"), "{info}");
    assert!(info.contains("# of Wires: 8"), "{info}");
    let check = snarkjs(d, &["wtns", "check", "circuit.r1cs", "witness.wtns"]);
    assert!(check.contains("WITNESS IS CORRECT"), "{check}");

    // zkey new: byte for byte.
    snarkjs(d, &["groth16", "setup", "circuit.r1cs", ptau, "snarkjs.zkey"]);
    let theirs = fs::read(d.join("snarkjs.zkey")).expect("read zkey");
    let mut file = PtauFile::open(&d.join(ptau)).expect("open ptau");
    assert_eq!(file.header().power, 8);
    assert!(file.is_prepared());
    let ours = new_zkey(&r1cs, &mut file).expect("new zkey");
    let ours_bytes = ours.to_bytes();
    assert_eq!(ours_bytes.len(), theirs.len());
    assert!(ours_bytes == theirs, "our zkey differs from snarkjs's");
    let parsed = Zkey::from_bytes(&theirs).expect("parse snarkjs zkey");
    assert_eq!(parsed, ours);

    // A snarkjs key from our R1CS proves with our witness, and verifies.
    snarkjs(d, &["groth16", "prove", "snarkjs.zkey", "witness.wtns", "proof.json", "public.json"]);
    snarkjs(d, &["zkey", "export", "verificationkey", "snarkjs.zkey", "vk.json"]);
    let verify = snarkjs(d, &["groth16", "verify", "vk.json", "public.json", "proof.json"]);
    assert!(verify.contains("OK"), "{verify}");

    // A contribution and a beacon by snarkjs: read, and written back exactly.
    snarkjs(d, &["zkey", "contribute", "snarkjs.zkey", "c1.zkey", "--name=alice ünïcode", "-e=some entropy"]);
    snarkjs(d, &["zkey", "beacon", "c1.zkey", "c2.zkey", "0102030405060708090a0b0c0d0e0f", "10", "-n=final beacon"]);
    for (name, contributions) in [("c1.zkey", 1), ("c2.zkey", 2)] {
        let bytes = fs::read(d.join(name)).expect("read");
        let key = Zkey::from_bytes(&bytes).expect("parse contributed zkey");
        assert_eq!(key.mpc.contributions.len(), contributions);
        assert_eq!(key.mpc.cs_hash, ours.mpc.cs_hash);
        assert!(key.to_bytes() == bytes, "{name} does not round-trip");
    }
    let c2 = Zkey::from_bytes(&fs::read(d.join("c2.zkey")).expect("read")).expect("parse");
    assert_eq!(c2.mpc.contributions[0].name.as_deref(), Some("alice ünïcode"));
    assert_eq!(c2.mpc.contributions[0].kind, ContributionKind::Secret);
    assert_eq!(c2.mpc.contributions[1].kind, ContributionKind::Beacon { hash: (1..=15).collect(), iterations_exp: 10 });
    assert_eq!(c2.mpc.contributions[1].name.as_deref(), Some("final beacon"));

    // A witness that breaks a constraint is refused by snarkjs.
    let mut bad = wtns.clone();
    bad.values[5] += ark_bn254::Fr::from(1u64);
    fs::write(d.join("bad.wtns"), bad.to_bytes()).expect("write");
    let out = snarkjs_status(d, &["wtns", "check", "circuit.r1cs", "bad.wtns"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("WITNESS IS CORRECT"), "{text}");
}
