//! The verifier (and so the browser package built on it) must link no
//! proving or constraint code: its normal dependency tree holds no
//! ark-relations, ark-r1cs-std, ark-groth16 or ark-snark.

use std::process::Command;

#[test]
fn the_verifier_depends_on_no_proving_crate() {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "-p", "zkcomply-verifier", "-e", "normal", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("ark-ec"), "the tree was read: {tree}");
    for forbidden in ["ark-relations", "ark-r1cs-std", "ark-groth16", "ark-snark", "ark-crypto-primitives"] {
        assert!(!tree.contains(forbidden), "zkcomply-verifier depends on {forbidden}:\n{tree}");
    }
}
