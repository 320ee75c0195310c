//! `zkcomply-verify export-solidity`, `calldata` and `policy-calldata`:
//! what they write for the fixtures, and exit code 2 with the file and
//! field named for unusable input. (The contracts themselves are compiled
//! and run in an EVM by `benches/tests/evm_gate.rs`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use zkcomply_verifier::solidity::abi::{selector, APPROVE_STATEMENT, SET_RULES, WITHDRAW};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply-verify")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn export_writes_the_contracts_for_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("contracts");
    let vk = fixture("verifying_key.json");
    let out = run(&["export-solidity", "--vk", vk.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("DEVELOPMENT setup"), "a development key is flagged");
    let key: Value = serde_json::from_str(&std::fs::read_to_string(&vk).unwrap()).unwrap();
    let verifier = std::fs::read_to_string(out_dir.join("Groth16Verifier.sol")).unwrap();
    assert!(verifier.contains(&format!("0x{}", key["hash"].as_str().unwrap())), "the key's hash is in the verifier");
    assert!(verifier.contains("WARNING: this key comes from a single-party DEVELOPMENT setup"));
    for f in ["ContextHashParts.sol", "ContextHash.sol", "ComplianceGate.sol"] {
        assert!(out_dir.join(f).is_file(), "{f}");
    }
    let names: Vec<_> = std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 4, "no temporary files left: {names:?}");
}

#[test]
fn a_circuit_id_cannot_end_the_comment_it_is_quoted_in() {
    // The circuit id is not covered by the key's hash: a key file can carry
    // any text there, and it is quoted in a `//` comment of the verifier.
    let dir = tempfile::tempdir().unwrap();
    let mut key: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("verifying_key.json")).unwrap()).unwrap();
    key["circuit_id"] = Value::from("x\ncontract Injected {}\r\u{2028}y");
    let vk = dir.path().join("vk.json");
    std::fs::write(&vk, key.to_string()).unwrap();
    let out_dir = dir.path().join("contracts");
    let out = run(&["export-solidity", "--vk", vk.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let verifier = std::fs::read_to_string(out_dir.join("Groth16Verifier.sol")).unwrap();
    assert!(!verifier.lines().any(|l| l.starts_with("contract Injected")), "{verifier}");
    assert!(verifier.contains("circuit x\\ncontract Injected {}\\r\\u{2028}y,"), "{verifier}");
}

#[test]
fn export_refuses_a_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    let vk = dir.path().join("vk.json");
    std::fs::write(&vk, "{\"version\": \"zkcomply/verifying-key/v1\"}").unwrap();
    let out_dir = dir.path().join("out");
    let out = run(&["export-solidity", "--vk", vk.to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("vk.json"), "{}", text(&out.stderr));
    assert!(!out_dir.exists(), "nothing written");
}

#[test]
fn calldata_encodes_the_bundle_for_the_gate() {
    let bundle = fixture("bundle.json");
    let out = run(&["calldata", bundle.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hex = text(&out.stdout).trim().to_string();
    assert!(hex.starts_with(&format!("0x{}", hex::encode(selector(WITHDRAW)))));
    assert_eq!(hex.len(), 2 + 8 + 64 * (8 + 7 + 18 + 4));
    // The signals end with epoch, now and the (undisclosed) jurisdiction.
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    let now = b["withdrawal"]["now"].as_u64().unwrap();
    assert!(hex.ends_with(&format!("{now:064x}{:064x}", 0)));

    let out = run(&["calldata", bundle.to_str().unwrap(), "--function", "approve-statement"]);
    assert!(out.status.success());
    let hex = text(&out.stdout).trim().to_string();
    assert!(hex.starts_with(&format!("0x{}", hex::encode(selector(APPROVE_STATEMENT)))));
    assert_eq!(hex.len(), 2 + 8 + 64 * 20);
    // The statement hash (last word) is recomputed from the clear values: the bundle's first public input.
    let statement_hash: num_bigint::BigUint = b["public_inputs"][0].as_str().unwrap().parse().unwrap();
    assert!(hex.ends_with(&format!("{statement_hash:064x}")));
}

#[test]
fn calldata_refuses_a_broken_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let mut b: Value = serde_json::from_str(&std::fs::read_to_string(fixture("bundle.json")).unwrap()).unwrap();
    b["proof"] = Value::String("AAAA".into());
    let path = dir.path().join("broken.json");
    std::fs::write(&path, b.to_string()).unwrap();
    let out = run(&["calldata", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("broken.json") && err.contains("proof"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn calldata_refuses_a_bundle_of_another_backend() {
    let dir = tempfile::tempdir().unwrap();
    let mut b: Value = serde_json::from_str(&std::fs::read_to_string(fixture("bundle.json")).unwrap()).unwrap();
    b["backend"] = Value::String("halo2-ipa-bn254".into());
    let path = dir.path().join("other.json");
    std::fs::write(&path, b.to_string()).unwrap();
    let out = run(&["calldata", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("backend") && err.contains("halo2-ipa-bn254"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn policy_calldata_lists_the_owner_calls() {
    let out = run(&["policy-calldata", "--policy", fixture("policy.json").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let calls: Value = serde_json::from_slice(&out.stdout).unwrap();
    let calls = calls.as_array().unwrap();
    assert_eq!(calls[0]["function"], SET_RULES);
    assert!(calls[0]["calldata"].as_str().unwrap().starts_with(&format!("0x{}", hex::encode(selector(SET_RULES)))));
    // Rules, blocked list, one issuer, one identity root, one address root, one revocation root, one asset.
    assert_eq!(calls.len(), 7, "{calls:#?}");

    let dir = tempfile::tempdir().unwrap();
    let mut p: Value = serde_json::from_str(&std::fs::read_to_string(fixture("policy.json")).unwrap()).unwrap();
    p.as_object_mut().unwrap().remove("exchange_id");
    let path = dir.path().join("loose.json");
    std::fs::write(&path, p.to_string()).unwrap();
    let out = run(&["policy-calldata", "--policy", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("loose.json") && err.contains("exchange_id"), "{err}");

    // The gate always checks the clock: the tolerance is required, and at most half an epoch.
    for (value, why) in
        [(None, "set it"), (Some(86_400), "half of epoch_seconds"), (Some(43_201), "half of epoch_seconds")]
    {
        let mut p: Value = serde_json::from_str(&std::fs::read_to_string(fixture("policy.json")).unwrap()).unwrap();
        match value {
            None => {
                // Caps need the clock rule in every policy; without caps,
                // only the gate requires it.
                p.as_object_mut().unwrap().remove("max_clock_skew_seconds");
                p.as_object_mut().unwrap().remove("epoch_caps");
            }
            Some(v) => p["max_clock_skew_seconds"] = Value::from(v),
        }
        std::fs::write(&path, p.to_string()).unwrap();
        let out = run(&["policy-calldata", "--policy", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.contains("max_clock_skew_seconds") && err.contains(why), "{err}");
    }
}
