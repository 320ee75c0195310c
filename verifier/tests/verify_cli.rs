//! `zkcomply-verify verify` against a bundle made by the prover (a fixture
//! from `zkcomply demo`): accepted as is; each edit rejected with its own
//! reason and exit code 1; unusable input exits 2.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use zkcomply_verifier::limits::{MAX_BUNDLE_BYTES, MAX_POLICY_BYTES, MAX_VERIFYING_KEY_BYTES};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn load(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn at() -> u64 {
    load("bundle.json")["withdrawal"]["now"].as_u64().unwrap()
}

/// Runs the CLI on the given documents; returns (exit code, parsed --json verdict, stderr).
fn verify_docs(bundle: &str, policy: &str, vk: &Path, at: u64) -> (i32, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("bundle.json");
    let p = dir.path().join("policy.json");
    std::fs::write(&b, bundle).unwrap();
    std::fs::write(&p, policy).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
        .args(["verify", b.to_str().unwrap(), "--policy", p.to_str().unwrap(), "--vk", vk.to_str().unwrap()])
        .args(["--at", &at.to_string(), "--json"])
        .output()
        .unwrap();
    let verdict = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), verdict, String::from_utf8_lossy(&out.stderr).to_string())
}

fn verify(bundle: &Value, policy: &Value, vk: &Path, at: u64) -> (i32, Value, String) {
    verify_docs(&bundle.to_string(), &policy.to_string(), vk, at)
}

fn assert_rejected(bundle: &Value, policy: &Value, vk: &Path, at: u64, check: &str) {
    let (code, verdict, stderr) = verify(bundle, policy, vk, at);
    assert_eq!(code, 1, "expected rejection by {check}; stderr: {stderr}");
    assert_eq!(verdict["accepted"], json!(false));
    assert_eq!(verdict["failed_check"], json!(check), "verdict: {verdict}");
    assert!(stderr.contains(&format!("rejected: {check}")), "stderr: {stderr}");
}

#[test]
fn the_fixture_bundle_is_accepted() {
    let (code, verdict, stderr) =
        verify(&load("bundle.json"), &load("policy.json"), &fixture("verifying_key.json"), at());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(verdict["accepted"], json!(true));
    assert!(verdict["checked"].as_array().unwrap().contains(&json!("proof")));
    assert_eq!(verdict["not_checked"], json!([]));
}

#[test]
fn edited_context_fields_are_rejected_by_context() {
    let policy = load("policy.json");
    for (field, value) in [
        ("destination_address", json!("0x2222222222222222222222222222222222222222")),
        ("chain_id", json!(10)),
        ("amount", json!("250000000000000001")),
        ("withdrawal_id", json!("w-2026-000124")),
        ("asset", json!("ETH ")),
        ("source_address", json!("0x2c1bA5b1A0fbc1C3ae2AC7bA0dc0CFaA72a5eE8E")),
    ] {
        let mut b = load("bundle.json");
        b["withdrawal"][field] = value;
        assert_rejected(&b, &policy, &fixture("verifying_key.json"), at(), "context");
    }
}

#[test]
fn edited_public_values_are_rejected() {
    let policy = load("policy.json");
    let vk = fixture("verifying_key.json");
    let mut b = load("bundle.json");
    b["public"]["min_tier"] = json!(3);
    assert_rejected(&b, &policy, &vk, at(), "statement_hash");
    let mut b = load("bundle.json");
    b["public"]["blocked_jurisdictions"][7] = json!(1);
    assert_rejected(&b, &policy, &vk, at(), "statement_hash");
    let mut b = load("bundle.json");
    b["public"]["nullifier"] = json!("1");
    assert_rejected(&b, &policy, &vk, at(), "public_values");
    // Each public input changed by one: recomputation catches the bound
    // ones first; every change is rejected.
    for i in 0..6 {
        let mut b = load("bundle.json");
        let v: num_bigint::BigUint = b["public_inputs"][i].as_str().unwrap().parse().unwrap();
        b["public_inputs"][i] = json!((v + 1u8).to_string());
        let (code, verdict, _) = verify(&b, &policy, &vk, at());
        assert_eq!(code, 1, "public input {i}");
        assert_ne!(verdict["failed_check"], json!("proof"), "caught before the pairing");
    }
}

#[test]
fn public_values_at_or_above_the_modulus_are_rejected_not_reduced() {
    let modulus = zkcomply_circuits::field::modulus();
    assert_eq!(
        modulus.to_string(),
        "21888242871839275222246405745257275088548364400416034343698204186575808495617",
        "the modulus docs/ENCODINGS.md gives"
    );
    let b = load("bundle.json");
    let epoch: num_bigint::BigUint = b["public_inputs"][3].as_str().unwrap().parse().unwrap();
    for value in [&epoch + &modulus, modulus.clone(), &modulus - 1u8 + &modulus] {
        let mut b2 = b.clone();
        b2["public_inputs"][3] = json!(value.to_string());
        assert_rejected(&b2, &load("policy.json"), &fixture("verifying_key.json"), at(), "public_input_range");
    }
}

#[test]
fn one_public_input_too_many_or_too_few_is_rejected() {
    let mut more = load("bundle.json");
    more["public_inputs"].as_array_mut().unwrap().push(json!("0"));
    assert_rejected(&more, &load("policy.json"), &fixture("verifying_key.json"), at(), "public_input_count");
    let mut fewer = load("bundle.json");
    fewer["public_inputs"].as_array_mut().unwrap().pop();
    assert_rejected(&fewer, &load("policy.json"), &fixture("verifying_key.json"), at(), "public_input_count");
}

#[test]
fn another_verifying_key_is_rejected_before_any_pairing() {
    let mut policy = load("policy.json");
    policy.as_object_mut().unwrap().remove("verifying_key_hash");
    assert_rejected(&load("bundle.json"), &policy, &fixture("other_verifying_key.json"), at(), "verifying_key");
    // Even with the bundle's hash edited to match, the proof fails under the other key.
    let other = load("other_verifying_key.json");
    let mut b = load("bundle.json");
    b["verifying_key_hash"] = other["hash"].clone();
    assert_rejected(&b, &policy, &fixture("other_verifying_key.json"), at(), "proof");
}

#[test]
fn policy_rules_each_reject_with_their_own_reason() {
    let b = load("bundle.json");
    let vk = fixture("verifying_key.json");
    let other_key = json!([
        "16540640123574156134436876038791482806971768689494387082833631921987005038935",
        "20819045374670962167435360035096875258406992893633759881276124905556507972311"
    ]);
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("issuer", Box::new(move |p| p["issuers"] = json!([other_key.clone()]))),
        ("min_tier", Box::new(|p| p["min_tier"] = json!(3))),
        ("limits", Box::new(|p| p["limits"]["ETH"][2] = json!("9999999999999999999"))),
        ("limits", Box::new(|p| p["limits"] = json!({"BTC": ["0", "1", "2", "3"]}))),
        ("identity_root", Box::new(|p| p["identity_sanctions_roots"] = json!(["1"]))),
        ("address_root", Box::new(|p| p["address_sanctions_roots"] = json!(["2"]))),
        ("revocation_root", Box::new(|p| p["revocation_roots"] = json!([]))),
        ("blocked_jurisdictions", Box::new(|p| p["blocked_jurisdictions"] = json!([408, 364, 760]))),
        ("epoch", Box::new(|p| p["epoch_seconds"] = json!(3600))),
        ("disclosures", Box::new(|p| p["required_disclosures"] = json!(["jurisdiction"]))),
        ("policy_verifying_key", Box::new(|p| p["verifying_key_hash"] = json!("00".repeat(32)))),
        ("development_key", Box::new(|p| p["accept_development_keys"] = json!(false))),
        (
            "development_key",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("accept_development_keys");
            }),
        ),
        ("exchange", Box::new(|p| p["exchange_id"] = json!("another-exchange"))),
    ];
    for (check, edit) in cases {
        let mut policy = load("policy.json");
        edit(&mut policy);
        assert_rejected(&b, &policy, &vk, at(), check);
    }
}

#[test]
fn a_revocation_root_counts_only_for_its_own_issuer() {
    let b = load("bundle.json");
    let vk = fixture("verifying_key.json");
    let ours = b["public"]["issuer_public_key"].clone();
    let other = json!([
        "16540640123574156134436876038791482806971768689494387082833631921987005038935",
        "20819045374670962167435360035096875258406992893633759881276124905556507972311"
    ]);
    let root = b["public"]["revocation_root"].clone();
    let mut p = load("policy.json");
    p["issuers"] = json!([ours, other]);
    // A flat list with two issuers is ambiguous: unusable policy.
    assert_eq!(verify(&b, &p, &vk, at()).0, 2);
    p.as_object_mut().unwrap().remove("revocation_roots");
    // The bundle's root listed under the other issuer only: rejected.
    p["issuer_revocation_roots"] = json!([{"issuer": other, "roots": [root]}, {"issuer": ours, "roots": ["5"]}]);
    assert_rejected(&b, &p, &vk, at(), "revocation_root");
    // Listed under its own issuer: accepted.
    p["issuer_revocation_roots"] = json!([{"issuer": ours, "roots": [root]}]);
    assert_eq!(verify(&b, &p, &vk, at()).0, 0);
    // Caps without epochs make no sense: unusable policy.
    let mut p = load("policy.json");
    p.as_object_mut().unwrap().remove("epoch_seconds");
    assert_eq!(verify(&b, &p, &vk, at()).0, 2);
}

#[test]
fn a_stale_or_future_now_is_rejected_by_the_clock() {
    let b = load("bundle.json");
    let p = load("policy.json");
    let vk = fixture("verifying_key.json");
    assert_rejected(&b, &p, &vk, at() + 301, "clock");
    assert_rejected(&b, &p, &vk, at() - 301, "clock");
    assert_eq!(verify(&b, &p, &vk, at() + 300).0, 0);
}

#[test]
fn fields_left_out_of_the_policy_are_reported_as_not_checked() {
    let policy = json!({"version": "zkcomply/policy/v1", "accept_development_keys": true});
    let (code, verdict, _) = verify(&load("bundle.json"), &policy, &fixture("verifying_key.json"), at());
    assert_eq!(code, 0);
    let not_checked = verdict["not_checked"].as_array().unwrap();
    for c in ["issuer", "min_tier", "limits", "identity_root", "clock", "epoch"] {
        assert!(not_checked.contains(&json!(c)), "{c} in {verdict}");
    }
}

#[test]
fn strict_mode_rejects_a_policy_that_leaves_checks_out() {
    let dir = tempfile::tempdir().unwrap();
    let run = |policy: &Value| {
        let p = dir.path().join("policy.json");
        std::fs::write(&p, policy.to_string()).unwrap();
        let b = fixture("bundle.json");
        let vk = fixture("verifying_key.json");
        Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
            .args(["verify", b.to_str().unwrap(), "--policy", p.to_str().unwrap(), "--vk", vk.to_str().unwrap()])
            .args(["--at", &at().to_string(), "--strict", "--json"])
            .output()
            .unwrap()
    };
    let out = run(&json!({"version": "zkcomply/policy/v1", "accept_development_keys": true}));
    assert_eq!(out.status.code(), Some(1));
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["failed_check"], json!("complete_policy"));
    assert!(verdict["reason"].as_str().unwrap().contains("issuer"));
    // The demo's policy sets every field: strict accepts it.
    let out = run(&load("policy.json"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn flipped_proof_bytes_are_rejected_by_the_proof_check() {
    use base64::Engine;
    let b = load("bundle.json");
    let bytes = base64::engine::general_purpose::STANDARD.decode(b["proof"].as_str().unwrap()).unwrap();
    for i in [0usize, 40, 100, 127] {
        let mut flipped = bytes.clone();
        flipped[i] ^= 0x01;
        let mut b2 = b.clone();
        b2["proof"] = json!(base64::engine::general_purpose::STANDARD.encode(&flipped));
        assert_rejected(&b2, &load("policy.json"), &fixture("verifying_key.json"), at(), "proof");
    }
    let mut truncated = b.clone();
    truncated["proof"] = json!(base64::engine::general_purpose::STANDARD.encode(&bytes[..96]));
    assert_rejected(&truncated, &load("policy.json"), &fixture("verifying_key.json"), at(), "proof");
}

#[test]
fn malformed_input_exits_2_naming_the_field() {
    let vk = fixture("verifying_key.json");
    let p = load("policy.json").to_string();
    for (bundle, needle) in [("{", "bundle"), ("", "empty"), ("[]", "bundle"), (r#"{"version": 1}"#, "version")] {
        let (code, _, stderr) = verify_docs(bundle, &p, &vk, at());
        assert_eq!(code, 2, "{bundle:?}: {stderr}");
        assert!(stderr.contains(needle), "{stderr}");
    }
    let mut b = load("bundle.json");
    b["withdrawal"]["amount"] = json!("340282366920938463463374607431768211456");
    let (code, _, stderr) = verify(&b, &load("policy.json"), &vk, at());
    assert_eq!(code, 2);
    assert!(stderr.contains("withdrawal.amount") && stderr.contains("2^128"), "{stderr}");
    let mut b = load("bundle.json");
    b["withdrawal"]["chain_id"] = json!("1");
    assert_eq!(verify(&b, &load("policy.json"), &vk, at()).0, 2);
    let mut b = load("bundle.json");
    b["extra"] = json!(1);
    assert_eq!(verify(&b, &load("policy.json"), &vk, at()).0, 2);
    // A corrupt verifying key file.
    let dir = tempfile::tempdir().unwrap();
    let mut k = load("verifying_key.json");
    k["hash"] = json!("ab".repeat(32));
    let bad = dir.path().join("vk.json");
    std::fs::write(&bad, k.to_string()).unwrap();
    let (code, _, stderr) = verify(&load("bundle.json"), &load("policy.json"), &bad, at());
    assert_eq!(code, 2);
    assert!(stderr.contains("hash"), "{stderr}");
}

/// The amount of the bug report: 39 ASCII letters, then `é` (bytes 39 and
/// 40, across the byte where long values used to be cut), then 60 letters.
fn amount_with_e_acute_at_byte_39() -> String {
    "a".repeat(39) + "é" + &"b".repeat(60)
}

#[test]
fn a_multi_byte_character_where_a_long_value_is_cut_exits_2_naming_the_field() {
    let mut b = load("bundle.json");
    b["withdrawal"]["amount"] = json!(amount_with_e_acute_at_byte_39());
    let (code, verdict, stderr) = verify(&b, &load("policy.json"), &fixture("verifying_key.json"), at());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("withdrawal.amount") && stderr.contains("digits 0-9 only"), "{stderr}");
    assert!(stderr.contains(&format!("{}...(101 bytes)", "a".repeat(39))), "shortened before the é: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(verdict["accepted"], json!(false), "--json still prints the error");
    assert!(verdict["error"].as_str().unwrap().contains("withdrawal.amount"), "{verdict}");
    // The same bundle as calldata for the gate.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, b.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
        .args(["calldata", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("withdrawal.amount"), "{stderr}");
}

#[test]
fn files_over_their_size_limit_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let run = |bundle: &Path, policy: &Path, vk: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
            .args(["verify", bundle.to_str().unwrap(), "--policy", policy.to_str().unwrap()])
            .args(["--vk", vk.to_str().unwrap(), "--at", &at().to_string()])
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    // Sparse files: set_len writes nothing, so a 200 MB file costs no disk.
    let sized = |name: &str, bytes: u64| {
        let path = dir.path().join(name);
        std::fs::File::create(&path).unwrap().set_len(bytes).unwrap();
        path
    };
    let (bundle, policy, vk) = (fixture("bundle.json"), fixture("policy.json"), fixture("verifying_key.json"));
    for bytes in [200 * 1024 * 1024, MAX_BUNDLE_BYTES.bytes + 1] {
        let big = sized("big_bundle.json", bytes);
        let (code, stderr) = run(&big, &policy, &vk);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "bundle ({}): {bytes} bytes, over the size limit MAX_BUNDLE_BYTES (65536 bytes)",
                big.display()
            )),
            "{stderr}"
        );
    }
    // At the limit the file is read (and refused as JSON, not for its size).
    let (code, stderr) = run(&sized("at_limit.json", MAX_BUNDLE_BYTES.bytes), &policy, &vk);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!stderr.contains("MAX_BUNDLE_BYTES"), "{stderr}");
    let (code, stderr) = run(&bundle, &sized("big_policy.json", MAX_POLICY_BYTES.bytes + 1), &vk);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("MAX_POLICY_BYTES"), "{stderr}");
    let (code, stderr) = run(&bundle, &policy, &sized("big_vk.json", MAX_VERIFYING_KEY_BYTES.bytes + 1));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("MAX_VERIFYING_KEY_BYTES"), "{stderr}");
}
