//! The withdrawal circuit's `.r1cs` and `.wtns` as snarkjs 0.7.6 reads them:
//! `snarkjs r1cs info` counts our constraints, and `snarkjs wtns check`
//! accepts an honest withdrawal's witness. (A key at power 15 is not made
//! here: snarkjs's `prepare phase2` at that power takes minutes; the
//! small-circuit test checks `zkey new` byte for byte.)

mod common;

use std::fs;

use num_bigint::BigUint;
use zkcomply_ceremony::circuit_export::{r1cs_from_matrices, wtns_from_assignment};
use zkcomply_ceremony::new_zkey::domain_power;
use zkcomply_ceremony::r1cs_file::R1csFile;
use zkcomply_circuits::eddsa::PrivateKey;
use zkcomply_circuits::encoding::{address_key, identity_hash, ContextFields};
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::withdrawal::r1cs_export::{withdrawal_assignment, withdrawal_matrices};
use zkcomply_circuits::withdrawal::WithdrawalInputs;
use zkcomply_circuits::{Fr, TREE_DEPTH};

use common::{snarkjs, snarkjs_status};

/// The withdrawal circuit's constraint count (pinned by the circuits
/// crate's own tests).
const CONSTRAINTS: usize = 23_883;

#[test]
fn withdrawal_r1cs_and_wtns_are_read_by_snarkjs() {
    let m = withdrawal_matrices(TREE_DEPTH).expect("synthesise");
    assert_eq!(m.num_constraints(), CONSTRAINTS);
    assert_eq!(m.num_instance_variables, 7);
    let r1cs = r1cs_from_matrices(m.num_instance_variables, m.num_witness_variables, &m.a, &m.b, &m.c).expect("export");
    assert_eq!(r1cs.n_public(), 6);
    assert_eq!(domain_power(r1cs.constraints.len() as u64, u64::from(r1cs.n_public())), 15);
    let bytes = r1cs.to_bytes();
    assert_eq!(R1csFile::from_bytes(&bytes).expect("read back"), r1cs);

    // An honest withdrawal.
    let ids = ["JOHN ROE|1970-05-05|IR", "ALICE SMITH|1981-03-04|KP"].map(|l| identity_hash(l).expect("id"));
    let identity_tree = IndexedMerkleTree::from_keys(TREE_DEPTH, ids).expect("tree");
    let sanctioned = address_key("0x8589427373D6D84E98730D7795D8f6f8731FDA16").expect("address");
    let address_tree = IndexedMerkleTree::from_keys(TREE_DEPTH, [sanctioned]).expect("tree");
    let revocation_tree = IndexedMerkleTree::from_keys(TREE_DEPTH, [Fr::from(5u8)]).expect("tree");
    let issuer = PrivateKey::from_bytes([1u8; 32]);
    let mut inputs = WithdrawalInputs {
        secret: Fr::from(123_456_789u64),
        kyc_tier: 2,
        jurisdiction: 276,
        identity_hash: identity_hash("JANE DOE|1990-01-01|DE").expect("id"),
        expires_at: 1_900_000_000,
        nonce: Fr::from(777u32),
        signature: zkcomply_circuits::eddsa::Signature {
            r8: zkcomply_circuits::babyjubjub::Point::identity(),
            s: BigUint::from(0u8),
        },
        issuer: issuer.public_key(),
        min_tier: 2,
        limits: [0, 1_000, 10_000, 100_000],
        blocked_jurisdictions: [408, 364, 408, 408, 408, 408, 408, 408],
        context: ContextFields::encode(
            1,
            "okx-main",
            "w-1",
            "0x2c1bA5b1A0fbc1C3ae2AC7bA0dc0CFaA72a5eE8F",
            "0x1111111111111111111111111111111111111111",
            "ETH",
            2_500,
        )
        .expect("context"),
        epoch: 20415,
        now: 1_763_900_000,
        disclose_jurisdiction: false,
        identity_tree: &identity_tree,
        address_tree: &address_tree,
        revocation_tree: &revocation_tree,
    };
    inputs.signature = issuer.sign(inputs.credential_message());
    let witness = inputs.build().expect("honest witness");
    let values = withdrawal_assignment(&witness).expect("assignment");
    assert_eq!(values.len(), r1cs.n_wires as usize);
    assert_eq!(&values[1..7], &witness.public.to_field_elements()[..]);
    let wtns = wtns_from_assignment(values);

    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::write(d.join("withdrawal.r1cs"), &bytes).expect("write");
    fs::write(d.join("withdrawal.wtns"), wtns.to_bytes()).expect("write");
    let info = snarkjs(d, &["r1cs", "info", "withdrawal.r1cs"]);
    assert!(info.contains(&format!("# of Constraints: {CONSTRAINTS}")), "{info}");
    assert!(info.contains(&format!("# of Wires: {}", r1cs.n_wires)), "{info}");
    assert!(info.contains("# of Public Inputs: 6"), "{info}");
    assert!(info.contains("# of Outputs: 0"), "{info}");
    let check = snarkjs(d, &["wtns", "check", "withdrawal.r1cs", "withdrawal.wtns"]);
    assert!(check.contains("WITNESS IS CORRECT"), "{check}");

    // One public input changed: snarkjs finds the broken constraint.
    let mut bad = wtns.clone();
    bad.values[4] += Fr::from(1u8);
    fs::write(d.join("bad.wtns"), bad.to_bytes()).expect("write");
    let out = snarkjs_status(d, &["wtns", "check", "withdrawal.r1cs", "bad.wtns"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("WITNESS IS NOT CORRECT"), "{text}");
}
