//! The verifier and the browser package built on it must link no Groth16
//! proving or constraint code: its normal dependency tree holds no
//! ark-relations, ark-r1cs-std, ark-groth16 or ark-snark.
//!
//! halo2 is different by design: a halo2 verifier derives its key from the
//! circuit's configuration (the chips' gates), and `halo2_proofs` ships its
//! verifier beside its prover; the verifier calls only key derivation and
//! `verify_proof` (docs/DECISIONS.md).

use std::process::Command;

#[test]
fn the_verifier_depends_on_no_proving_crate() {
    check_tree(&["-p", "zkcomply-verifier"]);
}

#[test]
fn the_webassembly_package_depends_on_no_proving_crate() {
    check_tree(&["-p", "zkcomply-wasm", "--target", "wasm32-unknown-unknown"]);
}

fn check_tree(package: &[&str]) {
    let out = Command::new(env!("CARGO"))
        .arg("tree")
        .args(package)
        .args(["-e", "normal", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("ark-ec"), "the tree was read: {tree}");
    for forbidden in ["ark-relations", "ark-r1cs-std", "ark-groth16", "ark-snark", "ark-crypto-primitives"] {
        assert!(!tree.contains(forbidden), "{package:?} depends on {forbidden}:\n{tree}");
    }
}
