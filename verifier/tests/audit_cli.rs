//! `zkcomply-verify audit`: a clean log, and each kind of tampering found
//! at the right record with the right reason.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};
use zkcomply_verifier::limits::MAX_LOG_LINE_BYTES;
use zkcomply_verifier::LogRecord;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn at() -> u64 {
    let b: Value = serde_json::from_str(&std::fs::read_to_string(fixture("bundle.json")).unwrap()).unwrap();
    b["withdrawal"]["now"].as_u64().unwrap()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
}

fn log_verdict(log: &Path, at: u64) {
    let out = bin()
        .args(["verify", fixture("bundle.json").to_str().unwrap()])
        .args([
            "--policy",
            fixture("policy.json").to_str().unwrap(),
            "--vk",
            fixture("verifying_key.json").to_str().unwrap(),
        ])
        .args(["--at", &at.to_string(), "--log", log.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
}

/// Record 0 accepted, record 1 rejected (stale `now`).
fn two_records(dir: &Path) -> PathBuf {
    let log = dir.join("verdicts.jsonl");
    log_verdict(&log, at());
    log_verdict(&log, at() + 10_000);
    log
}

/// Runs `audit` on `log` with `policy` and the fixture key.
fn run_audit(log: &Path, policy: &Value, extra: &[&str]) -> Output {
    let p = log.with_file_name("auditor_policy.json");
    std::fs::write(&p, policy.to_string()).unwrap();
    bin()
        .args(["audit", log.to_str().unwrap(), "--policy", p.to_str().unwrap()])
        .args(["--vk", fixture("verifying_key.json").to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap()
}

/// [`run_audit`] with `--json`, and the parsed report.
fn audit_with(log: &Path, policy: &Value, extra: &[&str]) -> (Output, Value) {
    let out = run_audit(log, policy, &[&["--json"], extra].concat());
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, report)
}

fn policy() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("policy.json")).unwrap()).unwrap()
}

fn records(log: &Path) -> Vec<LogRecord> {
    std::fs::read_to_string(log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn write(log: &Path, records: &[LogRecord]) {
    let text: String = records.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
    std::fs::write(log, text).unwrap();
}

/// The findings as (line, kind, check).
fn findings(report: &Value) -> Vec<(u64, String, Option<String>)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_string(),
                f["check"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn a_clean_log_passes() {
    let dir = tempfile::tempdir().unwrap();
    let log = two_records(dir.path());
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["records"], json!(2));
    assert_eq!(report["accepted_by_exchange"], json!(1));
    assert_eq!(report["rejected_by_exchange"], json!(1));
    assert_eq!(report["proofs_verified"], json!(1));
    assert_eq!(report["findings"], json!([]));
}

#[test]
fn an_edited_bundle_is_found_at_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let log = two_records(dir.path());
    let mut rs = records(&log);
    rs[0].bundle.as_mut().unwrap().withdrawal.amount.0 += 1;
    write(&log, &rs);
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let f = findings(&report);
    assert!(f.contains(&(1, "edited_record".into(), None)), "{f:?}");
    assert!(f.contains(&(1, "accepted_but_fails".into(), Some("context".into()))), "{f:?}");
    assert!(f.iter().all(|x| x.0 == 1), "only record 0 is flagged: {f:?}");
}

#[test]
fn deleted_and_reordered_records_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("verdicts.jsonl");
    log_verdict(&log, at());
    log_verdict(&log, at() + 10_000);
    log_verdict(&log, at() + 20_000);
    let rs = records(&log);
    write(&log, &[rs[0].clone(), rs[2].clone()]);
    let (_, report) = audit_with(&log, &policy(), &[]);
    let f = findings(&report);
    assert!(f.contains(&(2, "sequence".into(), None)) && f.contains(&(2, "broken_link".into(), None)), "{f:?}");
    write(&log, &[rs[0].clone(), rs[2].clone(), rs[1].clone()]);
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let first = &findings(&report)[0];
    assert_eq!((first.0, first.1.as_str()), (2, "sequence"), "the first reordered record");
}

/// [`two_records`], then the exchange turns its rejection into an
/// acceptance and rehashes the chain.
fn forged_verdict_log(dir: &Path) -> PathBuf {
    let log = two_records(dir);
    let mut rs = records(&log);
    rs[1].verdict = zkcomply_verifier::log::RecordedVerdict { accepted: true, failed_check: None, reason: None };
    rs[1].hash = rs[1].compute_hash();
    write(&log, &rs);
    log
}

#[test]
fn a_forged_verdict_with_a_rebuilt_chain_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let log = forged_verdict_log(dir.path());
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&report), vec![(2, "accepted_but_fails".into(), Some("clock".into()))]);
}

#[test]
fn a_torn_last_line_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let log = two_records(dir.path());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, &text[..text.len() - 30]).unwrap();
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&report), vec![(2, "torn_line".into(), None)]);
}

#[test]
fn a_stricter_regulator_policy_and_selected_claims() {
    let dir = tempfile::tempdir().unwrap();
    let log = two_records(dir.path());
    let mut strict = policy();
    strict["min_tier"] = json!(3);
    let (out, report) = audit_with(&log, &strict, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&report), vec![(1, "accepted_but_fails".into(), Some("min_tier".into()))]);
    // Checking only sanctions: the tier is not checked, and says so.
    let (out, report) = audit_with(&log, &strict, &["--checks", "sanctions,revocation"]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report["claims_not_checked"].as_array().unwrap().contains(&json!("tier")));
    assert_eq!(report["claims_checked"], json!(["sanctions", "revocation"]));
}

#[test]
fn replays_and_caps_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("verdicts.jsonl");
    log_verdict(&log, at());
    log_verdict(&log, at() + 5);
    let (_, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(findings(&report), vec![(2, "replay".into(), None)]);
    let mut capped = policy();
    capped["epoch_caps"] = json!({"ETH": "1000"});
    let (_, report) = audit_with(&log, &capped, &[]);
    let f = findings(&report);
    assert!(f.contains(&(1, "cap_exceeded".into(), None)), "{f:?}");
}

#[test]
fn unusable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = audit_with(&dir.path().join("missing.jsonl"), &policy(), &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_proof_that_does_not_verify_is_found_in_both_modes() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("verdicts.jsonl");
    for i in 0..3 {
        log_verdict(&log, at() + i);
    }
    let mut rs = records(&log);
    // Swap A and C: both valid G1 points, so only the pairing can tell, and
    // rebuild the chain as a dishonest exchange would.
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut bytes = b64.decode(&rs[1].bundle.as_ref().unwrap().proof).unwrap();
    let (a, c) = (bytes[..32].to_vec(), bytes[96..].to_vec());
    bytes[..32].copy_from_slice(&c);
    bytes[96..].copy_from_slice(&a);
    rs[1].bundle.as_mut().unwrap().proof = b64.encode(&bytes);
    let mut prev = zkcomply_verifier::log::GENESIS;
    for r in rs.iter_mut() {
        r.prev_hash = prev;
        r.hash = r.compute_hash();
        prev = r.hash;
    }
    write(&log, &rs);
    for mode in ["batch", "one-by-one"] {
        let (out, report) = audit_with(&log, &policy(), &["--proofs", mode]);
        assert_eq!(out.status.code(), Some(1), "{mode}: {report}");
        let f = findings(&report);
        // Record 1 (line 2) carries the bad proof; record 2 replays record 0.
        assert!(f.contains(&(2, "accepted_but_fails".into(), Some("proof".into()))), "{mode}: {f:?}");
        assert!(!f.iter().any(|x| x.0 == 2 && x.1 != "accepted_but_fails"), "{mode}: {f:?}");
        assert_eq!(report["proofs_verified"], json!(3), "{mode}");
    }
}

#[test]
fn the_markdown_report_lists_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let log = forged_verdict_log(dir.path());
    let out = run_audit(&log, &policy(), &["--markdown"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("| records | 2 |"), "{text}");
    assert!(text.contains("| 2 | 1 | accepted_but_fails | clock | accepted by the exchange, but clock:"), "{text}");
}

/// The log's lines as written.
fn raw_lines(log: &Path) -> Vec<Vec<u8>> {
    std::fs::read(log).unwrap().split(|&b| b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect()
}

fn write_raw(log: &Path, lines: &[Vec<u8>]) {
    std::fs::write(log, lines.iter().flat_map(|l| l.iter().copied().chain([b'\n'])).collect::<Vec<u8>>()).unwrap();
}

/// Record 0 accepted, records 1 and 2 rejected (stale `now`).
fn three_records(dir: &Path) -> PathBuf {
    let log = two_records(dir);
    log_verdict(&log, at() + 20_000);
    log
}

#[test]
fn a_record_that_does_not_parse_is_a_finding_at_its_line_and_the_audit_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let mut lines = raw_lines(&log);
    // The amount of the bug report: `é` across the byte where long values
    // used to be cut.
    let mut r: Value = serde_json::from_slice(&lines[1]).unwrap();
    r["bundle"]["withdrawal"]["amount"] = json!("a".repeat(39) + "é" + &"b".repeat(60));
    lines[1] = r.to_string().into_bytes();
    write_raw(&log, &lines);
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // Line 2 is not a record; line 3 links to it, so its link cannot be checked.
    assert_eq!(
        findings(&report),
        vec![(2, "malformed_record".into(), None), (3, "unchecked_link".into(), None)],
        "{report}"
    );
    let reason = report["findings"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("bundle.withdrawal.amount"), "{reason}");
    assert!(report["findings"][1]["reason"].as_str().unwrap().contains("line 2 before it is not a record"));
    // The other records were audited: record 0's proof re-verified.
    assert_eq!(report["lines"], json!(3));
    assert_eq!(report["records"], json!(2));
    assert_eq!((report["accepted_by_exchange"].clone(), report["rejected_by_exchange"].clone()), (json!(1), json!(1)));
    assert_eq!(report["proofs_verified"], json!(1));
}

#[test]
fn lines_that_are_not_records_are_findings_and_inserted_ones_leave_the_chain_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = two_records(dir.path());
    let records = raw_lines(&log);
    // Inserted between the records: a line over the size limit, one that is
    // not UTF-8, one that is not JSON.
    let long = vec![b'x'; MAX_LOG_LINE_BYTES.bytes as usize + 1];
    write_raw(&log, &[records[0].clone(), long, vec![0xff, 0xfe], b"{".to_vec(), records[1].clone()]);
    let (out, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(out.status.code(), Some(1));
    // Record 1 links to record 0: the lines in between are not part of the
    // chain, and no link or sequence is broken.
    assert_eq!(
        findings(&report),
        vec![
            (2, "malformed_record".into(), None),
            (3, "malformed_record".into(), None),
            (4, "malformed_record".into(), None),
        ],
        "{report}"
    );
    let reasons: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["reason"].as_str().unwrap()).collect();
    assert!(
        reasons[0].contains("262145 bytes long, over the size limit MAX_LOG_LINE_BYTES (262144 bytes)"),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("not UTF-8"), "{reasons:?}");
    assert!(reasons[2].contains("not a log record"), "{reasons:?}");
    assert_eq!((report["lines"].clone(), report["records"].clone()), (json!(5), json!(2)));
    assert_eq!(report["proofs_verified"], json!(1));
}

#[test]
fn after_an_unreadable_record_the_sequence_must_leave_room_for_it_only() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("verdicts.jsonl");
    for i in 0..4 {
        log_verdict(&log, at() + 10_000 * (i + 1));
    }
    let mut lines = raw_lines(&log);
    // Record 1 unreadable and record 2 deleted: record 3 follows one
    // unreadable line, which could have held record 1 but not records 1 and 2.
    lines[1] = b"not a record".to_vec();
    lines.remove(2);
    write_raw(&log, &lines);
    let (_, report) = audit_with(&log, &policy(), &[]);
    assert_eq!(
        findings(&report),
        vec![(2, "malformed_record".into(), None), (3, "unchecked_link".into(), None), (3, "sequence".into(), None)],
        "{report}"
    );
    assert!(report["findings"][2]["reason"].as_str().unwrap().contains("expected record 1 to 2"), "{report}");
}
