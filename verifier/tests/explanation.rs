//! The verdict in plain words (`Explanation`, `zkcomply-verify verify
//! --explain`) on the fixture bundle: an acceptance names the withdrawal
//! and every claim; each rejection says what failed and what to do, fails
//! its own claim and leaves the others not established; a development key
//! is flagged on every verdict; the policy's labels name issuers and lists.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use zkcomply_verifier::explanation::{ClaimStatus, Explanation};
use zkcomply_verifier::{verify_bundle, Bundle, Check, Policy, VerifyingKeyFile};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn load(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn key() -> VerifyingKeyFile {
    VerifyingKeyFile::from_json(&std::fs::read_to_string(fixture("verifying_key.json")).unwrap()).unwrap()
}

fn at() -> u64 {
    load("bundle.json")["withdrawal"]["now"].as_u64().unwrap()
}

fn explain(bundle: &Value, policy: &Value, at: u64) -> Explanation {
    let bundle = Bundle::from_json(&bundle.to_string()).unwrap();
    let policy = Policy::from_json(&policy.to_string()).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &key(), at);
    Explanation::new(&bundle, &policy, &verdict, at)
}

/// A Baby Jubjub point in the prime-order subgroup (circomlibjs's Base8):
/// an issuer the fixture's policy does not name.
const BASE8: [&str; 2] = [
    "5299619240641551281634865583518297030282874472190772894086521144482721001553",
    "16950150798460657717958625567821834550301663161624707787222815936182638968203",
];

fn status(x: &Explanation, id: &str) -> ClaimStatus {
    x.claims.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no claim {id}")).status
}

#[test]
fn an_acceptance_names_the_withdrawal_every_claim_the_key_and_the_time() {
    let x = explain(&load("bundle.json"), &load("policy.json"), at() + 60);
    assert!(x.accepted);
    assert_eq!(x.headline, "Accepted: the withdrawal of 0.25 ETH (w-2026-000123) meets the policy.");
    assert!(x.rejection.is_none());
    let fact = |label: &str| x.withdrawal.iter().find(|f| f.label == label).unwrap().value.clone();
    assert_eq!(fact("Amount"), "0.25 ETH");
    assert_eq!(fact("Chain"), "1 (Ethereum)");
    assert_eq!(fact("Destination address"), "0x1111111111111111111111111111111111111111");
    assert_eq!(x.claims.len(), 10);
    assert!(x.claims.iter().all(|c| c.status == ClaimStatus::Holds), "{x:#?}");
    let claimed: Vec<Check> = x.claims.iter().flat_map(|c| c.checks.clone()).collect();
    let bundle = Bundle::from_json(&load("bundle.json").to_string()).unwrap();
    let policy = Policy::from_json(&load("policy.json").to_string()).unwrap();
    for check in verify_bundle(&bundle, &policy, &key(), at()).checked {
        assert!(claimed.contains(&check), "check {check:?} belongs to no claim");
    }
    let key = x.key.as_ref().unwrap();
    assert!(key.warning.as_deref().unwrap().starts_with("DEVELOPMENT KEY:"));
    assert_eq!(x.time.age_seconds, 60);
    assert_eq!(x.time.sentence, "The bundle was made 1 min before the verification time; the policy allows 5 min.");
    assert!(x.to_text().contains("[holds] The sender passed KYC at tier 2 or higher"));
}

#[test]
fn each_rejection_says_what_failed_and_what_to_do_and_fails_its_own_claim() {
    type Edit = Box<dyn Fn(&mut Value, &mut Value)>;
    let cases: Vec<(&str, &str, Edit)> = vec![
        ("issuer", "kyc_tier", Box::new(|_, p| p["issuers"] = json!([BASE8]))),
        ("min_tier", "kyc_tier", Box::new(|_, p| p["min_tier"] = json!(3))),
        ("limits", "within_limit", Box::new(|_, p| p["limits"]["ETH"][2] = json!("9999999999999999999"))),
        ("identity_root", "identity_not_sanctioned", Box::new(|_, p| p["identity_sanctions_roots"] = json!(["1"]))),
        ("address_root", "address_not_sanctioned", Box::new(|_, p| p["address_sanctions_roots"] = json!(["2"]))),
        ("revocation_root", "not_revoked", Box::new(|_, p| p["revocation_roots"] = json!([]))),
        ("blocked_jurisdictions", "jurisdiction", Box::new(|_, p| p["blocked_jurisdictions"] = json!([408, 364, 760]))),
        ("disclosures", "jurisdiction", Box::new(|_, p| p["required_disclosures"] = json!(["jurisdiction"]))),
        ("epoch", "timely", Box::new(|_, p| p["epoch_seconds"] = json!(3600))),
        ("exchange", "exchange", Box::new(|_, p| p["exchange_id"] = json!("another-exchange"))),
        ("policy_verifying_key", "proof_valid", Box::new(|_, p| p["verifying_key_hash"] = json!("00".repeat(32)))),
        ("development_key", "proof_valid", Box::new(|_, p| p["accept_development_keys"] = json!(false))),
        ("context", "bound_to_withdrawal", Box::new(|b, _| b["withdrawal"]["amount"] = json!("250000000000000001"))),
        ("statement_hash", "bound_to_withdrawal", Box::new(|b, _| b["public"]["min_tier"] = json!(3))),
        ("public_values", "bound_to_withdrawal", Box::new(|b, _| b["public"]["nullifier"] = json!("1"))),
        ("format", "proof_valid", Box::new(|b, _| b["circuit_id"] = json!("zkcomply/other/v1"))),
        (
            "proof",
            "proof_valid",
            Box::new(|b, _| {
                let proof = b["proof"].as_str().unwrap().to_string();
                let flipped = if proof.starts_with('A') { "B" } else { "A" };
                b["proof"] = json!(format!("{flipped}{}", &proof[1..]));
            }),
        ),
    ];
    let mut sentences = std::collections::BTreeSet::new();
    for (check, claim, edit) in cases {
        let (mut b, mut p) = (load("bundle.json"), load("policy.json"));
        edit(&mut b, &mut p);
        let x = explain(&b, &p, at());
        let r = x.rejection.as_ref().unwrap_or_else(|| panic!("{check}: not rejected: {x:#?}"));
        assert_eq!(r.check.name(), check);
        assert_eq!(x.headline, format!("Rejected: {}", r.what_failed));
        assert!(!r.what_to_do.is_empty());
        sentences.insert(r.what_failed.clone());
        assert_eq!(status(&x, claim), ClaimStatus::Fails, "{check}");
        for c in x.claims.iter().filter(|c| c.id != claim) {
            assert_eq!(c.status, ClaimStatus::NotEstablished, "{check}: claim {}", c.id);
        }
        assert!(
            x.key.as_ref().unwrap().warning.is_some(),
            "{check}: the development key is flagged on a rejection too"
        );
    }
    assert_eq!(sentences.len(), 17, "each rejection has its own sentence");
}

#[test]
fn a_stale_or_future_bundle_says_by_how_much() {
    let (b, p) = (load("bundle.json"), load("policy.json"));
    let x = explain(&b, &p, at() + 1800);
    assert_eq!(
        x.headline,
        "Rejected: The bundle is stale: it was made 30 min before the verification time, 25 min more than the policy's \
         5 min allow."
    );
    assert_eq!(x.time.outside_skew_by_seconds, Some(1500));
    assert_eq!(x.time.age_seconds, 1800);
    let x = explain(&b, &p, at() - 400);
    assert!(
        x.headline.starts_with("Rejected: The bundle's time is 6 min 40 s after the verification time"),
        "{}",
        x.headline
    );
    assert_eq!(x.time.age_seconds, -400);
    assert_eq!(x.time.outside_skew_by_seconds, Some(100));
}

#[test]
fn claims_the_policy_leaves_out_are_said_to_be_unchecked() {
    let b = load("bundle.json");
    let mut p = load("policy.json");
    p.as_object_mut().unwrap().remove("issuers");
    p.as_object_mut().unwrap().remove("revocation_roots");
    let x = explain(&b, &p, at());
    assert!(x.accepted);
    assert_eq!(status(&x, "kyc_tier"), ClaimStatus::Partly);
    assert_eq!(status(&x, "not_revoked"), ClaimStatus::NotChecked);
    assert!(x.headline.ends_with("but the policy leaves 2 claims (in part) unchecked."), "{}", x.headline);
    let revocation = x.claims.iter().find(|c| c.id == "not_revoked").unwrap();
    assert_eq!(
        revocation.status_text,
        "Not checked: the policy leaves out revocation_roots (and issuer_revocation_roots)."
    );
}

#[test]
fn the_policys_labels_name_the_issuer_the_lists_and_the_assets_units() {
    let b = load("bundle.json");
    let mut p = load("policy.json");
    p["labels"] = json!({
        "issuers": [{"key": b["public"]["issuer_public_key"], "name": "Example KYC Ltd"}],
        "roots": [{"root": b["public"]["address_sanctions_root"], "label": "OFAC SDN addresses, list of 2024-09-27"}],
        "asset_decimals": {"ETH": 9}
    });
    let x = explain(&b, &p, at());
    let kyc = x.claims.iter().find(|c| c.id == "kyc_tier").unwrap();
    assert_eq!(kyc.statement, "The sender passed KYC at tier 2 or higher, with issuer Example KYC Ltd.");
    let address = x.claims.iter().find(|c| c.id == "address_not_sanctioned").unwrap();
    assert_eq!(address.evidence[0].note.as_deref(), Some("OFAC SDN addresses, list of 2024-09-27"));
    assert_eq!(x.withdrawal[0].value, "250000000 ETH");
}

#[test]
fn bad_labels_are_refused_by_field() {
    let issuer = load("bundle.json")["public"]["issuer_public_key"].clone();
    for (labels, field) in [
        (json!({"issuers": [{"key": issuer, "name": " "}]}), "labels.issuers[0].name"),
        (json!({"roots": [{"root": "1", "label": "x".repeat(201)}]}), "labels.roots[0].label"),
        (json!({"asset_decimals": {"ETH": 39}}), "labels.asset_decimals.ETH"),
        (json!({"colours": {}}), "labels"),
        (json!({"roots": [{"root": "not a number", "label": "x"}]}), "labels.roots[0].root"),
    ] {
        let mut p = load("policy.json");
        p["labels"] = labels;
        let err = Policy::from_json(&p.to_string()).unwrap_err().to_string();
        assert!(err.contains(field), "{field}: {err}");
    }
}

#[test]
fn the_command_line_explains_with_the_same_exit_codes() {
    let run = |extra: &[&str], at: u64| {
        let out = Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
            .arg("verify")
            .arg(fixture("bundle.json"))
            .args(["--policy", fixture("policy.json").to_str().unwrap()])
            .args(["--vk", fixture("verifying_key.json").to_str().unwrap()])
            .args(["--at", &at.to_string()])
            .args(extra)
            .output()
            .unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, out, _) = run(&["--explain"], at());
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "Accepted: the withdrawal of 0.25 ETH (w-2026-000123) meets the policy.\nWARNING: DEVELOPMENT KEY"
        ),
        "{out}"
    );
    assert!(out.contains("  [holds] The Groth16 proof verifies under a verifying key the policy accepts."), "{out}");
    let (code, out, err) = run(&["--explain"], at() + 301);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("Rejected: The bundle is stale: it was made 5 min 1 s before the verification time"),
        "{out}"
    );
    assert!(out.contains("What to do: Ask the sender for a fresh proof."), "{out}");
    assert!(err.contains("rejected: clock:"), "{err}");
    let (code, _, err) = run(&["--explain", "--json"], at());
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn a_policy_built_in_code_with_an_unsafe_clock_rule_is_named_as_such() {
    let bundle = Bundle::from_json(&load("bundle.json").to_string()).unwrap();
    let mut policy = Policy::from_json(&load("policy.json").to_string()).unwrap();
    // Parsing refuses this pair; a policy built in code can hold it.
    policy.epoch_seconds = Some(100);
    policy.max_clock_skew_seconds = Some(300);
    let verdict = verify_bundle(&bundle, &policy, &key(), at());
    assert_eq!(verdict.failed_check, Some(Check::Clock));
    let x = Explanation::new(&bundle, &policy, &verdict, at());
    assert!(x.headline.starts_with("Rejected: The policy's clock rule is unsafe"), "{}", x.headline);
}

#[test]
fn a_ceremony_record_is_confirmed_only_by_the_policy_pinning_the_key() {
    use zkcomply_verifier::provenance::ProvenanceKind;
    use zkcomply_verifier::values::HexDigest512;
    let bundle = Bundle::from_json(&load("bundle.json").to_string()).unwrap();
    let policy = Policy::from_json(&load("policy.json").to_string()).unwrap();
    let mut verdict = verify_bundle(&bundle, &policy, &key(), at());
    let summary = verdict.key.as_mut().unwrap();
    summary.provenance = ProvenanceKind::Ceremony;
    summary.transcript_hash = Some(HexDigest512([0xab; 64]));
    summary.warning = None;
    // The fixture's policy pins the key's hash: no warning.
    assert!(summary.pinned_by_policy);
    let pinned = Explanation::new(&bundle, &policy, &verdict, at()).key.unwrap();
    assert_eq!(
        pinned.summary,
        "Key recording a multi-party ceremony with transcript ababababab…ababab, pinned by the policy. The record \
         is the key file's own statement: the key's hash does not bind it."
    );
    assert_eq!(pinned.transcript_hash.as_deref(), Some("ab".repeat(64).as_str()));
    assert_eq!(pinned.warning, None);
    // Not pinned: a key file can claim any ceremony, so it is flagged.
    verdict.key.as_mut().unwrap().pinned_by_policy = false;
    let unpinned = Explanation::new(&bundle, &policy, &verdict, at()).key.unwrap();
    assert!(unpinned.warning.unwrap().starts_with("UNCONFIRMED CEREMONY KEY:"));
}

#[test]
fn the_senders_strings_cannot_forge_or_hide_a_line_of_the_words() {
    let mut b = load("bundle.json");
    b["withdrawal"]["withdrawal_id"] = json!("w-1\u{1b}[1A\u{1b}[2K");
    b["withdrawal"]["destination_address"] = json!("0x11\n  [holds] Travel-rule data verified.");
    b["withdrawal"]["asset"] = json!("ETH\u{202e}");
    let x = explain(&b, &load("policy.json"), at());
    let text = x.to_text();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text}");
    assert!(!text.contains("\n  [holds] Travel-rule"), "{text}");
    assert!(text.contains("0x11\\u{a}  [holds] Travel-rule data verified."), "{text}");
    assert!(x.to_json().contains("w-1\\\\u{1b}[1A"), "the JSON for the page carries the written-out form too");
}

#[test]
fn strict_mode_names_the_fields_left_out_and_keeps_the_other_claims() {
    let b = Bundle::from_json(&load("bundle.json").to_string()).unwrap();
    let mut p = load("policy.json");
    p.as_object_mut().unwrap().remove("exchange_id");
    let p = Policy::from_json(&p.to_string()).unwrap();
    let verdict = verify_bundle(&b, &p, &key(), at()).require_complete_policy();
    let x = Explanation::new(&b, &p, &verdict, at());
    assert_eq!(x.rejection.as_ref().unwrap().check, Check::CompletePolicy);
    assert!(x.headline.contains("the policy leaves out exchange,"), "{}", x.headline);
    assert_eq!(status(&x, "exchange"), ClaimStatus::NotChecked);
    let exchange = x.claims.iter().find(|c| c.id == "exchange").unwrap();
    assert_eq!(exchange.statement, "The withdrawal names exchange \"okx-main\".");
    assert_eq!(status(&x, "kyc_tier"), ClaimStatus::Holds);
}

#[test]
fn the_per_epoch_cap_is_shown_as_not_checked_here() {
    let b = load("bundle.json");
    let mut p = load("policy.json");
    p["epoch_caps"]["ETH"] = json!("100000000000000000");
    let x = explain(&b, &p, at());
    let cap = x.claims.iter().flat_map(|c| &c.evidence).find(|f| f.label == "Per-epoch cap").unwrap();
    assert_eq!(cap.value, "0.1 ETH");
    assert!(cap.note.as_deref().unwrap().starts_with("not checked by this verification"));
    assert!(cap.note.as_deref().unwrap().ends_with("this withdrawal alone is above it"));
}

#[test]
fn a_policy_without_revocation_roots_for_the_issuer_is_named_as_the_fault() {
    let b = load("bundle.json");
    let mut p = load("policy.json");
    p["revocation_roots"] = json!([]);
    let x = explain(&b, &p, at());
    assert!(x.headline.starts_with("Rejected: The policy lists no revocation root for the credential's issuer"));
    assert!(x.rejection.unwrap().what_to_do.starts_with("Ask your compliance team"));
}

#[test]
fn a_rejection_without_a_named_check_is_still_a_rejection() {
    let bundle = Bundle::from_json(&load("bundle.json").to_string()).unwrap();
    let policy = Policy::from_json(&load("policy.json").to_string()).unwrap();
    let mut verdict = verify_bundle(&bundle, &policy, &key(), at());
    // The fields are public: a caller may build such a verdict.
    verdict.accepted = false;
    let x = Explanation::new(&bundle, &policy, &verdict, at());
    assert_eq!(x.headline, "Rejected.");
    assert!(x.claims.iter().all(|c| c.status == ClaimStatus::NotEstablished));
}
