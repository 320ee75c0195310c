//! The exchange's tamper-evident verification log: one JSON record per
//! line (JSONL), each holding the bundle, the verdict, the time, the
//! previous record's hash and its own hash, so that an edited, deleted or
//! reordered record breaks the chain.
//!
//! A record's hash is the SHA-256 of the RFC 8785 canonical JSON of the
//! record without its `hash` field; the first record's `prev_hash` is 64
//! zeros. Appends write one whole line and sync it; a line torn by a crash
//! is detected the next time the log is opened and reported, never dropped
//! or merged.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bundle::Bundle;
use crate::keys::sha256;
use crate::values::{HexDigest, SafeInt};
use crate::verdict::{Check, Verdict};

/// The version string of log records.
pub const LOG_RECORD_V1: &str = "zkcomply/log-record/v1";

/// The verdict part of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedVerdict {
    /// Whether the bundle was accepted.
    pub accepted: bool,
    /// The failed check, when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_check: Option<Check>,
    /// Why, when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One log record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogRecord {
    /// `zkcomply/log-record/v1`.
    pub version: String,
    /// Position in the log, from 0.
    pub seq: u64,
    /// Verification time (unix seconds).
    pub time: SafeInt,
    /// The bundle verified.
    pub bundle: Bundle,
    /// The verdict.
    pub verdict: RecordedVerdict,
    /// The previous record's hash (64 zeros for the first).
    pub prev_hash: HexDigest,
    /// This record's hash.
    pub hash: HexDigest,
}

/// Why the log cannot be used or appended to.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// The log file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The last line is incomplete (a crash during an append).
    #[error(
        "{path}: line {line} is torn (incomplete last record, probably an interrupted append); \
             check it and remove it by hand before appending"
    )]
    TornLine {
        /// The log file.
        path: String,
        /// 1-based line number.
        line: usize,
    },
    /// A line that is not a record.
    #[error("{path}: line {line}: not a log record: {message}")]
    Malformed {
        /// The log file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The chain is broken: refusing to extend it.
    #[error("{path}: line {line}: {message}; refusing to append to a broken chain")]
    Broken {
        /// The log file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The hash of the first record's predecessor.
pub const GENESIS: HexDigest = HexDigest([0u8; 32]);

impl LogRecord {
    /// The hash this record should carry: SHA-256 of the canonical JSON
    /// (RFC 8785) of the record without `hash`.
    pub fn compute_hash(&self) -> HexDigest {
        let mut value = serde_json::to_value(self).expect("a record has only string keys and plain values");
        if let Some(obj) = value.as_object_mut() {
            obj.remove("hash");
        }
        // JCS refuses only non-finite numbers, and a record holds none.
        let canonical = serde_jcs::to_vec(&value).expect("a record holds no floating-point number");
        HexDigest(sha256(&canonical))
    }

    /// A new record following `prev`.
    pub fn new(seq: u64, time: u64, bundle: &Bundle, verdict: &Verdict, prev_hash: HexDigest) -> Self {
        let mut record = Self {
            version: LOG_RECORD_V1.into(),
            seq,
            time: SafeInt(time),
            bundle: bundle.clone(),
            verdict: RecordedVerdict {
                accepted: verdict.accepted,
                failed_check: verdict.failed_check,
                reason: verdict.reason.clone(),
            },
            prev_hash,
            hash: GENESIS,
        };
        record.hash = record.compute_hash();
        record
    }
}

/// A log opened for appending: its whole chain was checked on opening.
#[derive(Debug)]
pub struct VerificationLog {
    path: PathBuf,
    next_seq: u64,
    last_hash: HexDigest,
}

/// Splits log text into lines, failing on a torn last line.
///
/// # Errors
/// [`LogError::TornLine`] when the text does not end with a newline.
pub fn lines<'a>(path: &Path, text: &'a str) -> Result<Vec<&'a str>, LogError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    let last = lines.pop().expect("splitting yields at least one piece");
    if !last.is_empty() {
        return Err(LogError::TornLine { path: path.display().to_string(), line: lines.len() + 1 });
    }
    Ok(lines)
}

impl VerificationLog {
    /// Opens (or prepares to create) a log, checking every record's hash
    /// and link so that a broken chain is never extended.
    ///
    /// # Errors
    /// [`LogError`] for I/O failures, a torn last line, malformed records or
    /// a broken chain.
    pub fn open(path: &Path) -> Result<Self, LogError> {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(LogError::Io { path: name, source }),
        };
        let mut last_hash = GENESIS;
        let mut next_seq = 0;
        for (i, line) in lines(path, &text)?.into_iter().enumerate() {
            let record: LogRecord = serde_json::from_str(line).map_err(|e| LogError::Malformed {
                path: name.clone(),
                line: i + 1,
                message: e.to_string(),
            })?;
            let broken = |message: String| LogError::Broken { path: name.clone(), line: i + 1, message };
            if record.seq != next_seq {
                return Err(broken(format!("expected record {next_seq}, found {}", record.seq)));
            }
            if record.prev_hash != last_hash {
                return Err(broken("prev_hash does not match the previous record".into()));
            }
            if record.compute_hash() != record.hash {
                return Err(broken("the record's hash does not match its content".into()));
            }
            last_hash = record.hash;
            next_seq += 1;
        }
        Ok(Self { path: path.to_path_buf(), next_seq, last_hash })
    }

    /// Number of records.
    pub fn len(&self) -> u64 {
        self.next_seq
    }

    /// Whether the log has no record.
    pub fn is_empty(&self) -> bool {
        self.next_seq == 0
    }

    /// Appends one verdict as a single synced line.
    ///
    /// # Errors
    /// [`LogError::Io`]; the in-memory chain advances only after the line is synced.
    pub fn append(&mut self, time: u64, bundle: &Bundle, verdict: &Verdict) -> Result<LogRecord, LogError> {
        let record = LogRecord::new(self.next_seq, time, bundle, verdict, self.last_hash);
        let mut line = serde_json::to_string(&record).expect("a record has only string keys and plain values");
        line.push('\n');
        let io = |source| LogError::Io { path: self.path.display().to_string(), source };
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&self.path).map_err(io)?;
        file.write_all(line.as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        self.next_seq += 1;
        self.last_hash = record.hash;
        Ok(record)
    }
}
