//! The transparent backend end to end through the command lines: `zkcomply
//! demo --backend both` makes a Groth16 and a halo2 bundle from one
//! credential and one set of trees; both verify under one policy (which
//! pins a key per backend) and audit clean in one log; `zkcomply-verify
//! keygen` rebuilds the demo's halo2 key byte for byte; `zkcomply setup
//! --backend halo2` and `prove` make bundles that say `halo2-ipa-bn254`;
//! and a halo2 bundle with an edited proof or under the wrong key is
//! rejected.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn run(binary: &str, args: &[&str]) -> Output {
    Command::new(binary).args(args).output().expect("the binary runs")
}

fn zkcomply(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_zkcomply"), args)
}

/// `zkcomply-verify`, built beside `zkcomply` in the same target directory.
fn verify_cli(args: &[&str]) -> Output {
    let dir = Path::new(env!("CARGO_BIN_EXE_zkcomply")).parent().expect("a target directory");
    let binary = dir.join("zkcomply-verify");
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "zkcomply-verifier", "--bin", "zkcomply-verify"])
            .args(if dir.ends_with("release") { &["--release"][..] } else { &[] })
            .status()
            .expect("cargo builds zkcomply-verify");
        assert!(status.success());
    }
    run(binary.to_str().expect("a UTF-8 path"), args)
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// One `demo --backend both`, shared.
fn demo() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = zkcomply(&["demo", "--out", dir.path().to_str().unwrap(), "--backend", "both"]);
        assert!(out.status.success(), "demo failed: {}", text(&out));
        dir
    })
    .path()
}

fn path(relative: &str) -> String {
    demo().join(relative).to_str().unwrap().to_owned()
}

fn read(relative: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(demo().join(relative)).unwrap()).unwrap()
}

#[test]
fn the_demo_makes_a_bundle_in_each_backend_from_one_credential() {
    let groth16 = read("bundle.json");
    let halo2 = read("halo2/bundle.json");
    assert_eq!(groth16["backend"], "groth16-bn254");
    assert_eq!(halo2["backend"], "halo2-ipa-bn254");
    // The same holder, statement and epoch: the same public values but the
    // withdrawal id, so the same nullifier and statement hash.
    assert_eq!(groth16["public"], halo2["public"]);
    assert_eq!(groth16["public_inputs"][0], halo2["public_inputs"][0], "statement_hash");
    assert_eq!(groth16["public_inputs"][2], halo2["public_inputs"][2], "nullifier");
    let policy = read("policy.json");
    assert_eq!(policy["backends"], serde_json::json!(["groth16-bn254", "halo2-ipa-bn254"]));
    assert_eq!(policy["verifying_keys"]["halo2-ipa-bn254"][0], read("halo2/verifying_key.json")["hash"]);
    assert_eq!(read("halo2/verifying_key.json")["provenance"]["kind"], "transparent");
}

#[test]
fn both_bundles_verify_and_audit_clean_in_one_log() {
    let log = tempfile::tempdir().unwrap();
    let log = log.path().join("log.jsonl");
    let log = log.to_str().unwrap();
    for (bundle, vk) in [("bundle.json", "verifying_key.json"), ("halo2/bundle.json", "halo2/verifying_key.json")] {
        let out =
            verify_cli(&["verify", &path(bundle), "--policy", &path("policy.json"), "--vk", &path(vk), "--log", log]);
        assert!(out.status.success(), "{bundle}: {}", text(&out));
    }
    let out = verify_cli(&[
        "audit",
        log,
        "--policy",
        &path("policy.json"),
        "--vk",
        &path("verifying_key.json"),
        "--vk",
        &path("halo2/verifying_key.json"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
}

#[test]
fn keygen_rebuilds_the_demos_halo2_key_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("vk.json");
    let out = verify_cli(&["keygen", "--backend", "halo2", "--out", out_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let demo_key = std::fs::read(demo().join("halo2/verifying_key.json")).unwrap();
    assert_eq!(std::fs::read(&out_path).unwrap(), demo_key, "the same bytes on every run");
    let hash = read("halo2/verifying_key.json")["hash"].as_str().unwrap().to_owned();
    assert!(text(&out).contains(&format!("verifying_key_hash: {hash}")), "{}", text(&out));
}

#[test]
fn setup_and_prove_with_halo2_keys_make_a_halo2_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let out = zkcomply(&["setup", "--backend", "halo2", "--out", keys.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!keys.join("proving_key.bin").exists(), "a halo2 keys directory holds nothing secret");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(keys.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["backend"], "halo2-ipa-bn254");
    let bundle = dir.path().join("bundle.json");
    let out = zkcomply(&[
        "prove",
        "--credential",
        &path("credential.json"),
        "--withdrawal",
        &path("withdrawal.json"),
        "--policy",
        &path("policy.json"),
        "--identity-tree",
        &path("identity_tree.json"),
        "--address-tree",
        &path("address_tree.json"),
        "--revocation-tree",
        &path("revocation_tree.json"),
        "--keys",
        keys.to_str().unwrap(),
        "--out",
        bundle.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let made: Value = serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    assert_eq!(made["backend"], "halo2-ipa-bn254");
    let vk = keys.join("verifying_key.json");
    let out = verify_cli(&[
        "verify",
        bundle.to_str().unwrap(),
        "--policy",
        &path("policy.json"),
        "--vk",
        vk.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn an_edited_halo2_proof_or_the_wrong_key_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut bundle = read("halo2/bundle.json");
    let proof = bundle["proof"].as_str().unwrap().to_owned();
    // Change one base64 character in the middle of the proof.
    let middle = proof.len() / 2;
    let swapped = if &proof[middle..middle + 1] == "A" { "B" } else { "A" };
    bundle["proof"] = Value::String(format!("{}{swapped}{}", &proof[..middle], &proof[middle + 1..]));
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, bundle.to_string()).unwrap();
    let out = verify_cli(&[
        "verify",
        edited.to_str().unwrap(),
        "--policy",
        &path("policy.json"),
        "--vk",
        &path("halo2/verifying_key.json"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("rejected: proof"), "{}", text(&out));

    let out = verify_cli(&[
        "verify",
        &path("halo2/bundle.json"),
        "--policy",
        &path("policy.json"),
        "--vk",
        &path("verifying_key.json"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("rejected: backend"), "{}", text(&out));
}
