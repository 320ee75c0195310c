//! `zkcomply-verify verify --log`: verdicts appended to a hash-chained
//! JSONL log; a torn, edited, shortened or reordered log is refused (exit
//! 2) and left as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zkcomply_verifier::limits::MAX_LOG_LINE_BYTES;
use zkcomply_verifier::{LogError, VerificationLog};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn at() -> u64 {
    let b: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture("bundle.json")).unwrap()).unwrap();
    b["withdrawal"]["now"].as_u64().unwrap()
}

fn verify_logged(log: &Path, at: u64) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply-verify"))
        .args(["verify", fixture("bundle.json").to_str().unwrap()])
        .args(["--policy", fixture("policy.json").to_str().unwrap()])
        .args(["--vk", fixture("verifying_key.json").to_str().unwrap()])
        .args(["--at", &at.to_string(), "--log", log.to_str().unwrap()])
        .output()
        .unwrap()
}

/// A log of three verdicts: accepted, rejected (stale), accepted.
fn three_records(dir: &Path) -> PathBuf {
    let log = dir.join("verdicts.jsonl");
    assert_eq!(verify_logged(&log, at()).status.code(), Some(0));
    assert_eq!(verify_logged(&log, at() + 10_000).status.code(), Some(1));
    assert_eq!(verify_logged(&log, at() + 1).status.code(), Some(0));
    log
}

fn lines(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log).unwrap().lines().map(str::to_string).collect()
}

fn write_lines(log: &Path, lines: &[String]) {
    std::fs::write(log, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
}

fn assert_refused(log: &Path, needle: &str) {
    let before = std::fs::read(log).unwrap();
    let out = verify_logged(log, at());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in {stderr}");
    assert_eq!(std::fs::read(log).unwrap(), before, "a refused log is left as it was");
}

#[test]
fn verdicts_are_chained() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let opened = VerificationLog::open(&log).unwrap();
    assert_eq!(opened.len(), 3);
    let records: Vec<serde_json::Value> = lines(&log).iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records[0]["prev_hash"], serde_json::json!("0".repeat(64)));
    assert_eq!(records[1]["prev_hash"], records[0]["hash"]);
    assert_eq!(records[2]["prev_hash"], records[1]["hash"]);
    assert_eq!(records[1]["verdict"]["accepted"], serde_json::json!(false));
    assert_eq!(records[1]["verdict"]["failed_check"], serde_json::json!("clock"));
    assert_eq!(records[2]["seq"], serde_json::json!(2));
}

#[test]
fn a_torn_last_line_is_reported_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, &text[..text.len() - 40]).unwrap();
    assert_refused(&log, "line 3 is torn");
    assert!(matches!(VerificationLog::open(&log), Err(LogError::TornLine { line: 3, .. })));
}

#[test]
fn edited_deleted_and_reordered_records_break_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let original = lines(&log);

    // A forged verdict: the rejection turned into an acceptance.
    let mut edited = original.clone();
    let mut r: serde_json::Value = serde_json::from_str(&edited[1]).unwrap();
    r["verdict"] = serde_json::json!({"accepted": true});
    edited[1] = r.to_string();
    write_lines(&log, &edited);
    assert_refused(&log, "line 2: the record's hash does not match");

    // A deleted record.
    write_lines(&log, &[original[0].clone(), original[2].clone()]);
    assert_refused(&log, "line 2: expected record 1, found 2");

    // Reordered records.
    write_lines(&log, &[original[0].clone(), original[2].clone(), original[1].clone()]);
    assert_refused(&log, "line 2");

    // Restored, it extends again.
    write_lines(&log, &original);
    assert_eq!(verify_logged(&log, at()).status.code(), Some(0));
    assert_eq!(VerificationLog::open(&log).unwrap().len(), 4);
}

#[test]
fn a_record_that_does_not_parse_is_refused_naming_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let mut lines = lines(&log);
    // The amount of the bug report: `é` across the byte where long values
    // used to be cut.
    let mut r: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    r["bundle"]["withdrawal"]["amount"] = serde_json::json!("a".repeat(39) + "é" + &"b".repeat(60));
    lines[1] = r.to_string();
    write_lines(&log, &lines);
    assert_refused(&log, "line 2: not a log record: log record: bundle.withdrawal.amount: expected a decimal integer");
    assert!(matches!(VerificationLog::open(&log), Err(LogError::Malformed { line: 2, .. })));
}

#[test]
fn a_line_over_the_size_limit_is_refused_without_being_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let mut lines = lines(&log);
    lines.insert(1, "x".repeat(MAX_LOG_LINE_BYTES.bytes as usize + 1));
    write_lines(&log, &lines);
    assert_refused(&log, "line 2 is 262145 bytes long, over the size limit MAX_LOG_LINE_BYTES (262144 bytes)");
    assert!(matches!(VerificationLog::open(&log), Err(LogError::LineTooLong { line: 2, bytes: 262_145, .. })));
    // A line exactly at the limit is read (and is not a record).
    lines[1] = "x".repeat(MAX_LOG_LINE_BYTES.bytes as usize);
    write_lines(&log, &lines);
    assert!(matches!(VerificationLog::open(&log), Err(LogError::Malformed { line: 2, .. })));
}

#[test]
fn a_time_the_log_could_not_read_back_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let log = three_records(dir.path());
    let before = std::fs::read(&log).unwrap();
    // 2^53: a record holding it would not parse, and the log could never be
    // appended to again.
    let out = verify_logged(&log, 1 << 53);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at"));
    assert_eq!(std::fs::read(&log).unwrap(), before);
    assert_eq!(verify_logged(&log, (1 << 53) - 1).status.code(), Some(1), "the largest time is usable (stale)");
    assert_eq!(VerificationLog::open(&log).unwrap().len(), 4);
}
