//! snarkjs interop through `zkcomply-verify`: `export-snarkjs` writes a
//! bundle's proof in snarkjs's files, which `snarkjs groth16 verify` (from
//! `npm ci --prefix benches/evm`) accepts; `verify --vk` reads snarkjs's
//! `verification_key.json` as a key of unknown provenance; a hostile one
//! is refused naming the file and field. Verdicts name the key's provenance.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn load(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply-verify")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

fn at() -> String {
    load("bundle.json")["withdrawal"]["now"].as_u64().unwrap().to_string()
}

/// Exports the fixture bundle into `dir`.
fn export(dir: &Path) {
    let out = cli(&[
        "export-snarkjs",
        fixture("bundle.json").to_str().unwrap(),
        "--vk",
        fixture("verifying_key.json").to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["proof.json", "public.json", "verification_key.json"] {
        assert!(text(&out.stdout).contains(name), "{}", text(&out.stdout));
    }
}

/// snarkjs from `npm ci --prefix benches/evm`.
fn snarkjs() -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/evm/node_modules/.bin/snarkjs");
    assert!(bin.exists(), "snarkjs is missing: run `npm ci --prefix benches/evm --no-audit --no-fund`");
    bin
}

#[test]
fn snarkjs_verifies_the_exported_files_and_refuses_a_tampered_proof() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let proof: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("proof.json")).unwrap()).unwrap();
    assert_eq!((proof["protocol"].as_str(), proof["curve"].as_str()), (Some("groth16"), Some("bn128")));
    assert_eq!(proof["pi_a"][2], json!("1"));
    assert_eq!(proof["pi_b"][2], json!(["1", "0"]));
    let public: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("public.json")).unwrap()).unwrap();
    assert_eq!(public, load("bundle.json")["public_inputs"]);
    let run = || {
        Command::new(snarkjs())
            .args(["groth16", "verify"])
            .args(["verification_key.json", "public.json", "proof.json"].map(|f| dir.path().join(f)))
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success() && text(&out.stdout).contains("OK!"), "{}{}", text(&out.stdout), text(&out.stderr));
    // C replaced by A: snarkjs refuses.
    let mut forged = proof.clone();
    forged["pi_c"] = proof["pi_a"].clone();
    std::fs::write(dir.path().join("proof.json"), forged.to_string()).unwrap();
    let out = run();
    assert!(!out.status.success() || !text(&out.stdout).contains("OK!"), "{}", text(&out.stdout));
}

#[test]
fn verify_reads_a_snarkjs_key_as_one_of_unknown_provenance() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let vk = dir.path().join("verification_key.json");
    let bundle = fixture("bundle.json");
    let verify = |policy: &Value, json: bool| {
        let p = dir.path().join("policy.json");
        std::fs::write(&p, policy.to_string()).unwrap();
        let mut args = vec!["verify", bundle.to_str().unwrap(), "--policy", p.to_str().unwrap()];
        let at = at();
        args.extend(["--vk", vk.to_str().unwrap(), "--at", &at]);
        if json {
            args.push("--json");
        }
        cli(&args)
    };
    // The fixture policy pins the key: accepted, as a pinned key of unknown provenance.
    let policy = load("policy.json");
    let out = verify(&policy, true);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["key"]["provenance"], json!("unknown"));
    assert_eq!(verdict["key"]["pinned_by_policy"], json!(true));
    assert_eq!(verdict["key"]["hash"], policy["verifying_key_hash"]);
    assert!(verdict["key"].get("warning").is_none());
    let out = verify(&policy, false);
    assert!(text(&out.stdout).contains("unknown provenance (no record of its setup); pinned"), "{}", text(&out.stdout));
    // Unpinned and development keys refused: rejected by development_key, with the warning.
    let mut unpinned = policy.clone();
    unpinned.as_object_mut().unwrap().remove("verifying_key_hash");
    unpinned["accept_development_keys"] = json!(false);
    let out = verify(&unpinned, true);
    assert_eq!(out.status.code(), Some(1));
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["failed_check"], json!("development_key"));
    assert!(verdict["reason"].as_str().unwrap().contains("unknown provenance"));
    assert!(verdict["key"]["warning"].as_str().unwrap().starts_with("UNKNOWN PROVENANCE"));
}

#[test]
fn verdicts_name_a_development_key_with_its_warning() {
    let out = cli(&[
        "verify",
        fixture("bundle.json").to_str().unwrap(),
        "--policy",
        fixture("policy.json").to_str().unwrap(),
        "--vk",
        fixture("verifying_key.json").to_str().unwrap(),
        "--at",
        &at(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("development setup; WARNING: DEVELOPMENT SETUP: made by one party"), "{stdout}");
}

#[test]
fn hostile_snarkjs_keys_and_mismatched_exports_are_refused_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let good: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("verification_key.json")).unwrap()).unwrap();
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("IC[2]", Box::new(|v| v["IC"][2][0] = json!("1"))),
        ("nPublic", Box::new(|v| v["nPublic"] = json!(7))),
        ("vk_delta_2", Box::new(|v| v["vk_delta_2"][0][1] = json!("x"))),
        ("curve", Box::new(|v| v["curve"] = json!("bls12381"))),
        ("IC", Box::new(|v| v["IC"] = json!([]))),
    ];
    for (field, edit) in cases {
        let mut v = good.clone();
        edit(&mut v);
        let path = dir.path().join("hostile.json");
        std::fs::write(&path, v.to_string()).unwrap();
        let out = cli(&[
            "verify",
            fixture("bundle.json").to_str().unwrap(),
            "--policy",
            fixture("policy.json").to_str().unwrap(),
            "--vk",
            path.to_str().unwrap(),
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{field}: {stderr}");
        assert!(stderr.contains("snarkjs verification key") && stderr.contains(field), "{field}: {stderr}");
        assert!(stderr.contains("hostile.json"), "{stderr}");
    }
    // A bundle exported with a key it was not made for.
    let out = cli(&[
        "export-snarkjs",
        fixture("bundle.json").to_str().unwrap(),
        "--vk",
        fixture("other_verifying_key.json").to_str().unwrap(),
        "--out",
        dir.path().join("other").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("verifying_key_hash"), "{}", text(&out.stderr));
    assert!(!dir.path().join("other").exists());
}
