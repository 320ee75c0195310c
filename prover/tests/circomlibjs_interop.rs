//! Interop with code zkcomply did not write: circomlibjs (npm, run with
//! node from `scripts/interop/`). zkcomply's signatures verify in
//! circomlibjs; a credential signed by circomlibjs is accepted by zkcomply
//! and proves a withdrawal whose bundle verifies.
//!
//! Needs `npm ci` in `scripts/interop` (done by `scripts/test.sh`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use zkcomply_circuits::eddsa::PrivateKey;
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_prover::demo::DemoLists;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::KeysDir;
use zkcomply_prover::witness::ProofRequest;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::verify_bundle;

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/interop")
}

fn circomlibjs(request: Value) -> Value {
    assert!(
        interop_dir().join("node_modules/circomlibjs").exists(),
        "circomlibjs is not installed: run `npm ci --prefix scripts/interop` (scripts/test.sh does)"
    );
    let mut child = Command::new("node")
        .arg(interop_dir().join("eddsa.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed for the interop tests");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let lists = DemoLists::from_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")).unwrap();
    zkcomply_prover::demo::run(dir.path(), &lists, Default::default()).unwrap();
    dir
}

fn read(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn zkcomply_signatures_verify_in_circomlibjs_and_back() {
    let dir = demo_dir();
    let cred = read(&dir.path().join("credential.json"));
    let parsed = Credential::from_json(&cred.to_string()).unwrap();
    let message = fr_to_decimal(&parsed.message());
    let ask = |m: &str| {
        circomlibjs(json!({
            "op": "verify", "public_key": cred["issuer_public_key"], "message": m,
            "r8": cred["signature"]["r8"], "s": cred["signature"]["s"],
        }))["valid"]
            .clone()
    };
    assert_eq!(ask(&message), json!(true), "circomlibjs accepts zkcomply's credential signature");
    assert_eq!(ask("1"), json!(false), "and rejects it for another message");

    // Key derivation and signing agree byte for byte.
    let key = [0x5au8; 32];
    let signed = circomlibjs(json!({"op": "sign", "private_key_hex": hex::encode(key), "message": message}));
    let ours = PrivateKey::from_bytes(key);
    let pk = ours.public_key().0;
    assert_eq!(signed["public_key"], json!([fr_to_decimal(&pk.x), fr_to_decimal(&pk.y)]), "prv2pub");
    let sig = ours.sign(parsed.message());
    assert_eq!(signed["r8"], json!([fr_to_decimal(&sig.r8.x), fr_to_decimal(&sig.r8.y)]));
    assert_eq!(signed["s"], json!(sig.s.to_string()));
}

#[test]
fn a_credential_signed_by_circomlibjs_is_accepted_and_proves() {
    let dir = demo_dir();
    let at = |f: &str| dir.path().join(f);
    // Re-sign the holder's credential with a circomlibjs key.
    let mut cred = read(&at("credential.json"));
    let message = fr_to_decimal(&Credential::from_json(&cred.to_string()).unwrap().message());
    let signed = circomlibjs(json!({"op": "sign", "private_key_hex": "a1".repeat(32), "message": message}));
    cred["issuer_public_key"] = signed["public_key"].clone();
    cred["signature"] = json!({"r8": signed["r8"], "s": signed["s"]});
    std::fs::write(at("credential.json"), cred.to_string()).unwrap();
    let parsed = Credential::from_json(&cred.to_string()).unwrap();
    parsed.check().expect("zkcomply accepts the circomlibjs signature");
    // The exchange trusts that issuer.
    let mut policy = read(&at("policy.json"));
    policy["issuers"] = json!([signed["public_key"]]);
    std::fs::write(at("policy.json"), policy.to_string()).unwrap();

    let request = ProofRequest::load_dir(dir.path()).unwrap();
    let keys = KeysDir::load(&at("keys")).unwrap();
    let bundle = prove_bundle(&request, &keys).unwrap();
    let verdict = verify_bundle(&bundle, &request.policy, &keys.verifying_key, bundle.withdrawal.now.0);
    assert!(verdict.accepted, "{verdict:?}");

    // A circomlibjs signature over edited attributes is refused.
    let mut edited = cred.clone();
    edited["attributes"]["kyc_tier"] = json!(3);
    assert!(Credential::from_json(&edited.to_string()).unwrap().check().is_err());
}
