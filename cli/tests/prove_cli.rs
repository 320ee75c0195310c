//! `zkcomply` end to end: the demo, the party commands, and `prove`
//! refusing every false statement with a clear reason, exit code 1 and no
//! bundle written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};

fn zkcomply(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply")).args(args).output().unwrap()
}

/// One demo run shared by every test (keys take a second or two).
fn demo() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = zkcomply(&["demo", "--out", dir.path().to_str().unwrap()]);
        assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("accepted:"), "{stdout}");
        dir
    })
    .path()
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    /// A copy of the demo's inputs that a test can edit.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "credential.json",
            "withdrawal.json",
            "policy.json",
            "identity_tree.json",
            "address_tree.json",
            "revocation_tree.json",
            "issuer_key.json",
        ] {
            std::fs::copy(demo().join(f), dir.path().join(f)).unwrap();
        }
        Self { dir }
    }
    fn path(&self, f: &str) -> PathBuf {
        self.dir.path().join(f)
    }
    fn edit(&self, f: &str, edit: impl FnOnce(&mut Value)) {
        let mut v = read(&self.path(f));
        edit(&mut v);
        std::fs::write(self.path(f), v.to_string()).unwrap();
    }
    fn prove(&self) -> Output {
        let p = |f: &str| self.path(f).to_str().unwrap().to_string();
        let keys = demo().join("keys");
        zkcomply(&[
            "prove",
            "--credential",
            &p("credential.json"),
            "--withdrawal",
            &p("withdrawal.json"),
            "--policy",
            &p("policy.json"),
            "--keys",
            keys.to_str().unwrap(),
            "--identity-tree",
            &p("identity_tree.json"),
            "--address-tree",
            &p("address_tree.json"),
            "--revocation-tree",
            &p("revocation_tree.json"),
            "--out",
            &p("bundle.json"),
        ])
    }
    fn assert_refused(&self, needle: &str) {
        let out = self.prove();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "expected a refusal containing {needle:?}; stderr: {stderr}");
        assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
        assert!(!self.path("bundle.json").exists(), "no bundle may be written");
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind");
    }
}

#[test]
fn demo_writes_every_artefact_the_readme_lists() {
    for f in [
        "policy.json",
        "bundle.json",
        "withdrawal.json",
        "credential.json",
        "verifying_key.json",
        "keys/proving_key.bin",
        "keys/manifest.json",
        "identity_tree.json",
        "address_tree.json",
        "revocation_tree.json",
    ] {
        assert!(demo().join(f).exists(), "{f}");
    }
    assert!(std::fs::metadata(demo().join("bundle.json")).unwrap().len() < 2048, "bundle under 2 KB");
    let vk = read(&demo().join("verifying_key.json"));
    assert_eq!(vk["development_setup"], json!(true));
    assert!(vk["warning"].as_str().unwrap().contains("DEVELOPMENT"));
}

#[test]
fn an_honest_withdrawal_is_proved_again() {
    let c = Case::new();
    let out = c.prove();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let b = read(&c.path("bundle.json"));
    assert_eq!(b["public_inputs"].as_array().unwrap().len(), 6);
    // Same holder, exchange and epoch: the same nullifier as the demo's bundle.
    assert_eq!(b["public"]["nullifier"], read(&demo().join("bundle.json"))["public"]["nullifier"]);
}

#[test]
fn expired_credential_is_refused() {
    let c = Case::new();
    let expires = read(&c.path("credential.json"))["attributes"]["expires_at"].as_u64().unwrap();
    c.edit("withdrawal.json", |w| {
        w["now"] = json!(expires);
        w["epoch"] = json!(expires / 86_400);
    });
    c.assert_refused("expired");
}

#[test]
fn tier_below_the_policy_is_refused() {
    let c = Case::new();
    c.edit("policy.json", |p| p["min_tier"] = json!(3));
    c.assert_refused("below the policy's minimum tier 3");
}

#[test]
fn amount_over_the_tier_limit_is_refused() {
    let c = Case::new();
    c.edit("withdrawal.json", |w| w["amount"] = json!("10000000000000000001"));
    c.assert_refused("over the limit");
}

#[test]
fn ofac_source_address_is_refused_in_any_letter_case() {
    let sanctioned = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";
    for address in [
        sanctioned.to_string(),
        sanctioned.to_lowercase(),
        format!("0x{}", sanctioned[2..].to_uppercase()),
        sanctioned.to_uppercase(), // with a 0X prefix
    ] {
        let c = Case::new();
        c.edit("withdrawal.json", |w| w["source_address"] = json!(address));
        c.assert_refused("address sanctions list");
    }
    // A bech32 OFAC address in upper case.
    let c = Case::new();
    c.edit("withdrawal.json", |w| w["source_address"] = json!("BC1Q05AKTDDF9CE4P7HH3STGSF253M4VWEU7NKHTMW"));
    c.assert_refused("address sanctions list");
}

#[test]
fn revoked_credential_is_refused() {
    let c = Case::new();
    let nonce = read(&c.path("credential.json"))["attributes"]["nonce"].as_str().unwrap().to_string();
    let out = zkcomply(&[
        "issuer",
        "revoke",
        "--key",
        c.path("issuer_key.json").to_str().unwrap(),
        "--nonce",
        &nonce,
        "--tree",
        c.path("revocation_tree.json").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = String::from_utf8_lossy(&out.stdout).trim().trim_start_matches("root: ").to_string();
    assert_eq!(read(&c.path("revocation_tree.json"))["root"], json!(root));
    c.edit("policy.json", |p| p["revocation_roots"] = json!([root]));
    c.assert_refused("revoked");
}

#[test]
fn blocked_jurisdiction_is_refused() {
    let c = Case::new();
    c.edit("policy.json", |p| p["blocked_jurisdictions"] = json!([408, 276]));
    c.assert_refused("jurisdiction 276 is blocked");
}

#[test]
fn attributes_edited_after_signing_are_refused() {
    for (field, value) in [("kyc_tier", json!(3)), ("jurisdiction", json!(250)), ("expires_at", json!(1999999999u64))] {
        let c = Case::new();
        c.edit("credential.json", |cr| cr["attributes"][field] = value.clone());
        c.assert_refused("signature does not verify");
    }
}

#[test]
fn a_withdrawal_to_another_exchange_is_refused() {
    let c = Case::new();
    c.edit("withdrawal.json", |w| w["exchange_id"] = json!("okx-main-2"));
    c.assert_refused("the policy is exchange");
}

#[test]
fn roots_the_policy_does_not_accept_are_refused() {
    let c = Case::new();
    c.edit("policy.json", |p| p["address_sanctions_roots"] = json!(["12345"]));
    c.assert_refused("not one the policy accepts");
}

#[test]
fn malformed_inputs_exit_2_and_name_the_field() {
    let c = Case::new();
    c.edit("withdrawal.json", |w| w["amount"] = json!(5));
    let out = c.prove();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("amount") && stderr.contains("withdrawal.json"), "{stderr}");
    let c = Case::new();
    std::fs::write(c.path("policy.json"), "{ not json").unwrap();
    let out = c.prove();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("policy"));
    let c = Case::new();
    c.edit("address_tree.json", |t| t["root"] = json!("1"));
    let out = c.prove();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("root"));
}

#[test]
fn trees_of_another_depth_than_the_circuits_are_refused() {
    use zkcomply_circuits::imt::IndexedMerkleTree;
    use zkcomply_prover::tree_file::TreeFile;
    // The demo's three trees rebuilt at depth 12, their roots accepted by
    // the policy: every statement row holds, but no depth-20 proof can
    // use them.
    let c = Case::new();
    for (file, roots) in [
        ("identity_tree.json", "identity_sanctions_roots"),
        ("address_tree.json", "address_sanctions_roots"),
        ("revocation_tree.json", "revocation_roots"),
    ] {
        let mut tree = TreeFile::load(&c.path(file)).unwrap();
        tree.tree = IndexedMerkleTree::from_keys(12, tree.tree.keys().iter().copied()).unwrap();
        tree.save(&c.path(file)).unwrap();
        let root = zkcomply_circuits::field::fr_to_decimal(&tree.tree.root());
        c.edit("policy.json", |p| p[roots] = json!([root]));
    }
    let out = c.prove();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the identity tree has depth 12; the circuit proves against trees of depth 20"),
        "{stderr}"
    );
    assert!(!c.path("bundle.json").exists());
}

#[test]
fn a_multi_byte_character_where_a_long_value_is_cut_exits_2_in_every_command() {
    // 39 digits, `é` across bytes 39 and 40 (where long values used to be
    // cut for messages), then more digits.
    let long = "1".repeat(39) + "é" + &"2".repeat(60);
    let shortened = format!("{}...(101 bytes)", "1".repeat(39));
    let assert_unusable = |out: Output, names: &str| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{names}: {stderr}");
        assert!(stderr.contains(names) && stderr.contains(&shortened), "{names}: {stderr}");
    };
    let c = Case::new();
    c.edit("withdrawal.json", |w| w["amount"] = json!(long));
    assert_unusable(c.prove(), "amount (");
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    assert!(zkcomply(&["issuer", "keygen", "--out", &p("issuer.json")]).status.success());
    for flag in ["--id-commitment", "--identity-hash", "--nonce"] {
        let arg = |name: &str, valid: &str| if name == flag { long.clone() } else { valid.to_string() };
        let out = zkcomply(&[
            "issuer",
            "issue",
            "--key",
            &p("issuer.json"),
            "--id-commitment",
            &arg("--id-commitment", "5"),
            "--tier",
            "2",
            "--jurisdiction",
            "276",
            "--identity-hash",
            &arg("--identity-hash", "7"),
            "--expires-at",
            "1900000000",
            "--nonce",
            &arg("--nonce", "9"),
            "--out",
            &p("cred.json"),
        ]);
        assert_unusable(out, flag);
    }
    let out = zkcomply(&["issuer", "revoke", "--key", &p("issuer.json"), "--nonce", &long, "--tree", &p("rev.json")]);
    assert_unusable(out, "--nonce");
    std::fs::write(dir.path().join("revoked.txt"), format!("5\n{long}\n")).unwrap();
    let out =
        zkcomply(&["lists", "build", "--kind", "revocation", "--input", &p("revoked.txt"), "--out", &p("rev.json")]);
    assert_unusable(out, "revoked.txt:2");
}

#[test]
fn party_commands_compose_and_lists_build_matches_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    assert!(zkcomply(&["issuer", "keygen", "--out", &p("issuer.json")]).status.success());
    let out = zkcomply(&["holder", "new", "--out", &p("holder.json")]);
    let commitment = String::from_utf8_lossy(&out.stdout).trim().trim_start_matches("id_commitment: ").to_string();
    let out = zkcomply(&[
        "issuer",
        "issue",
        "--key",
        &p("issuer.json"),
        "--id-commitment",
        &commitment,
        "--tier",
        "2",
        "--jurisdiction",
        "276",
        "--identity-hash",
        "Jane Example|1990-01-01|DE",
        "--expires-at",
        "1900000000",
        "--nonce",
        "99",
        "--out",
        &p("cred.json"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = zkcomply(&[
        "holder",
        "accept",
        "--credential",
        &p("cred.json"),
        "--holder",
        &p("holder.json"),
        "--out",
        &p("mine.json"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(read(&dir.path().join("mine.json"))["holder"]["secret"].is_string());
    // Another holder cannot accept it.
    zkcomply(&["holder", "new", "--out", &p("other.json")]);
    let out = zkcomply(&[
        "holder",
        "accept",
        "--credential",
        &p("cred.json"),
        "--holder",
        &p("other.json"),
        "--out",
        &p("x.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("x.json").exists());
    // The OFAC files shipped in the repository give the demo's address root.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ofac-sdn-addresses");
    let mut args = vec![
        "lists".to_string(),
        "build".into(),
        "--kind".into(),
        "address".into(),
        "--out".into(),
        p("addr.json"),
        "--input".into(),
    ];
    let mut files: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.file_name().unwrap().to_string_lossy().starts_with("sanctioned_addresses_"))
        .map(|f| f.to_str().unwrap().to_string())
        .collect();
    files.sort();
    args.extend(files);
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = zkcomply(&args_ref);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read(&dir.path().join("addr.json"))["root"], read(&demo().join("address_tree.json"))["root"]);
    // A bad identity line names file and line.
    std::fs::write(dir.path().join("ids.txt"), "GOOD NAME|1980-01-01|DE\nBAD LINE\n").unwrap();
    let out = zkcomply(&["lists", "build", "--kind", "identity", "--input", &p("ids.txt"), "--out", &p("ids.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ids.txt:2"));
    assert!(!dir.path().join("ids.json").exists());
}
