//! One clock rule for every verifier: a policy whose clock skew is an
//! epoch or more lets one holder prove for several epochs at one moment
//! (a fresh nullifier, and cap, for each), so the policy parser, the
//! library's `verify_bundle`, `zkcomply-verify verify`, `audit` and
//! `policy-calldata` all refuse it. The audit also flags an accepted
//! bundle whose epoch its record's time does not allow.
//!
//! The browser package and the prover service refuse the same policy in
//! their own suites (`wasm/tests/cases.mjs`, `cli/tests/service_sqlite.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};
use zkcomply_verifier::{verify_bundle, Bundle, Check, LogRecord, Policy, Verdict, VerifyingKeyFile};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn policy_json() -> Value {
    serde_json::from_str(&read("policy.json")).unwrap()
}

/// The fixture policy with hour-long epochs and a day of clock skew.
fn skew_beyond_epoch() -> Value {
    let mut p = policy_json();
    p["epoch_seconds"] = json!(3600);
    p["max_clock_skew_seconds"] = json!(86_400);
    p
}

fn parse(policy: &Value) -> Result<Policy, String> {
    Policy::from_json(&policy.to_string()).map_err(|e| e.to_string())
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn bundle_now() -> u64 {
    Bundle::from_json(&read("bundle.json")).unwrap().withdrawal.now.0
}

fn write_policy(dir: &Path, policy: &Value) -> PathBuf {
    let path = dir.join("skewed_policy.json");
    std::fs::write(&path, policy.to_string()).unwrap();
    path
}

fn assert_refused_naming_the_skew(out: &Output, file: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains(file) && err.contains("max_clock_skew_seconds"), "{err}");
    assert!(err.contains("more than half of epoch_seconds"), "{err}");
}

#[test]
fn the_parser_refuses_a_skew_of_an_epoch_or_more() {
    let error = parse(&skew_beyond_epoch()).unwrap_err();
    assert!(error.contains("max_clock_skew_seconds") && error.contains("several epochs"), "{error}");

    let mut equal = policy_json();
    equal["epoch_seconds"] = json!(600);
    equal["max_clock_skew_seconds"] = json!(600);
    assert!(parse(&equal).unwrap_err().contains("max_clock_skew_seconds"));

    // Half an epoch is the largest skew allowed.
    equal["max_clock_skew_seconds"] = json!(300);
    parse(&equal).unwrap();
}

/// The epochs a bundle verified at `at` may carry under `policy`: every
/// `now` within the clock skew of `at` that gives its own epoch (what
/// `verify_bundle`'s `clock` and `epoch` checks accept).
fn epochs_accepted_at(at: u64, skew: u64, epoch_seconds: u64) -> std::collections::BTreeSet<u64> {
    (at - skew..=at + skew).map(|now| now / epoch_seconds).collect()
}

#[test]
fn a_skew_over_half_an_epoch_is_refused_it_gives_three_epochs_at_one_moment() {
    // Ten-minute epochs with a skew of 599 s, one second below the epoch:
    // at 15:00, any now from 05:01 to 24:59 is accepted, so epochs 0, 1 and
    // 2 (three nullifiers, three caps) at one moment.
    assert_eq!(epochs_accepted_at(900, 599, 600).len(), 3);
    assert_eq!(epochs_accepted_at(900, 301, 600).len(), 3);
    // Half an epoch or less: never more than two, at any time.
    for at in 300..1500 {
        assert!(epochs_accepted_at(at, 300, 600).len() <= 2, "{at}");
        assert!(epochs_accepted_at(at, 300, 601).len() <= 2, "{at}");
    }
    let mut p = policy_json();
    p["epoch_seconds"] = json!(600);
    for skew in [301, 450, 599] {
        p["max_clock_skew_seconds"] = json!(skew);
        let error = parse(&p).unwrap_err();
        assert!(error.contains("max_clock_skew_seconds") && error.contains("more than half"), "{skew}: {error}");
    }
    // An odd epoch: 2 * 300 <= 601, 2 * 301 > 601.
    p["epoch_seconds"] = json!(601);
    p["max_clock_skew_seconds"] = json!(300);
    parse(&p).unwrap();
    p["max_clock_skew_seconds"] = json!(301);
    assert!(parse(&p).is_err());
    // At the ends of the range, without overflow.
    p["epoch_seconds"] = json!(u64::MAX);
    p["max_clock_skew_seconds"] = json!(u64::MAX / 2);
    parse(&p).unwrap();
    p["max_clock_skew_seconds"] = json!(u64::MAX / 2 + 1);
    assert!(parse(&p).is_err());

    // A policy built in code is held to the same rule by verify_bundle.
    let mut policy = Policy::from_json(&read("policy.json")).unwrap();
    policy.epoch_seconds = Some(600);
    policy.max_clock_skew_seconds = Some(599);
    let bundle = Bundle::from_json(&read("bundle.json")).unwrap();
    let key = VerifyingKeyFile::from_json(&read("verifying_key.json")).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &key, bundle_now());
    assert_eq!(verdict.failed_check, Some(Check::Clock), "{verdict:?}");
}

#[test]
fn epoch_caps_need_both_the_epoch_and_the_clock_rule() {
    let mut no_skew = policy_json();
    no_skew.as_object_mut().unwrap().remove("max_clock_skew_seconds");
    let error = parse(&no_skew).unwrap_err();
    assert!(error.contains("epoch_caps") && error.contains("needs max_clock_skew_seconds"), "{error}");

    let mut no_epoch = policy_json();
    no_epoch.as_object_mut().unwrap().remove("epoch_seconds");
    let error = parse(&no_epoch).unwrap_err();
    assert!(error.contains("epoch_caps") && error.contains("needs epoch_seconds"), "{error}");

    // Without caps, leaving the clock out stays possible (reported as not checked).
    let mut loose = no_skew.clone();
    loose.as_object_mut().unwrap().remove("epoch_caps");
    parse(&loose).unwrap();
}

#[test]
fn verify_bundle_refuses_such_a_policy_built_in_code() {
    // A policy that never went through the parser is held to the same rule.
    let mut policy = Policy::from_json(&read("policy.json")).unwrap();
    policy.epoch_seconds = Some(3600);
    policy.max_clock_skew_seconds = Some(86_400);
    let bundle = Bundle::from_json(&read("bundle.json")).unwrap();
    let key = VerifyingKeyFile::from_json(&read("verifying_key.json")).unwrap();
    let verdict: Verdict = verify_bundle(&bundle, &policy, &key, bundle_now());
    assert!(!verdict.accepted);
    assert_eq!(verdict.failed_check, Some(Check::Clock));
    assert!(verdict.reason.unwrap().contains("several epochs"));
}

#[test]
fn the_verify_command_refuses_such_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(dir.path(), &skew_beyond_epoch());
    let out = bin()
        .args(["verify", fixture("bundle.json").to_str().unwrap(), "--policy", policy.to_str().unwrap()])
        .args(["--vk", fixture("verifying_key.json").to_str().unwrap(), "--at", &bundle_now().to_string()])
        .output()
        .unwrap();
    assert_refused_naming_the_skew(&out, "skewed_policy.json");
}

#[test]
fn the_audit_refuses_such_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("verdicts.jsonl");
    std::fs::write(&log, "").unwrap();
    let policy = write_policy(dir.path(), &skew_beyond_epoch());
    let out = bin()
        .args(["audit", log.to_str().unwrap(), "--policy", policy.to_str().unwrap()])
        .args(["--vk", fixture("verifying_key.json").to_str().unwrap()])
        .output()
        .unwrap();
    assert_refused_naming_the_skew(&out, "skewed_policy.json");
}

#[test]
fn the_solidity_policy_export_refuses_such_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(dir.path(), &skew_beyond_epoch());
    let out = bin().args(["policy-calldata", "--policy", policy.to_str().unwrap()]).output().unwrap();
    assert_refused_naming_the_skew(&out, "skewed_policy.json");
    assert!(out.stdout.is_empty());
}

/// A log of one record, accepted by the exchange at `time`.
fn log_accepted_at(dir: &Path, time: u64) -> PathBuf {
    let bundle = Bundle::from_json(&read("bundle.json")).unwrap();
    let policy = Policy::from_json(&read("policy.json")).unwrap();
    let key = VerifyingKeyFile::from_json(&read("verifying_key.json")).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &key, bundle_now());
    assert!(verdict.accepted, "{:?}", verdict.reason);
    // The exchange logged it as accepted at `time`, whatever its clock said.
    let record = LogRecord::new(0, time, &bundle, &verdict, zkcomply_verifier::log::GENESIS);
    let log = dir.join("verdicts.jsonl");
    std::fs::write(&log, serde_json::to_string(&record).unwrap() + "\n").unwrap();
    log
}

/// A finding as (kind, check, reason).
type FindingRow = (String, Option<String>, String);

fn audit_findings(log: &Path, checks: &str) -> (Option<i32>, Vec<FindingRow>) {
    let out = bin()
        .args(["audit", log.to_str().unwrap(), "--policy", fixture("policy.json").to_str().unwrap()])
        .args(["--vk", fixture("verifying_key.json").to_str().unwrap(), "--checks", checks, "--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let findings = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no report: {}", text(&out.stderr)))
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["check"].as_str().map(str::to_string),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code(), findings)
}

#[test]
fn the_audit_flags_an_epoch_its_record_time_does_not_allow() {
    let dir = tempfile::tempdir().unwrap();
    // Logged three days after the bundle's now: its epoch is three days old.
    let log = log_accepted_at(dir.path(), bundle_now() + 3 * 86_400);

    // Auditing caps alone (not the clock): the epoch is still held to the
    // clock rule at the record's time.
    let (code, findings) = audit_findings(&log, "caps");
    assert_eq!(code, Some(1), "{findings:?}");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let (kind, check, reason) = &findings[0];
    assert_eq!((kind.as_str(), check), ("epoch_outside_skew", &None));
    let epoch = bundle_now() / 86_400;
    assert!(reason.contains(&format!("epoch {epoch}")) && reason.contains("300 s"), "{reason}");

    // With the clock claim selected, the clock check itself finds it, once.
    let (code, findings) = audit_findings(&log, "clock,epoch,caps");
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!((findings[0].0.as_str(), findings[0].1.as_deref()), ("accepted_but_fails", Some("clock")));

    // Logged at the bundle's own time: clean.
    let log = log_accepted_at(dir.path(), bundle_now());
    let (code, findings) = audit_findings(&log, "caps");
    assert_eq!((code, findings.len()), (Some(0), 0), "{findings:?}");
}
