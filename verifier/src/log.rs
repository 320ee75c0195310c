//! The exchange's tamper-evident verification log: one JSON record per
//! line (JSONL), each holding the bundle, the verdict, the time, the
//! previous record's hash and its own hash, so that an edited, deleted or
//! reordered record breaks the chain.
//!
//! A record's hash is the SHA-256 of the RFC 8785 canonical JSON of the
//! record without its `hash` field; the first record's `prev_hash` is 64
//! zeros. Appends write one whole line and sync it; a line torn by a crash
//! is detected the next time the log is opened and reported, never dropped
//! or merged. Logs are read line by line ([`LogLines`]), each line kept in
//! memory up to [`MAX_LOG_LINE_BYTES`] only.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::batch_bundle::BatchBundle;
use crate::batch_verify::{BatchVerdict, ItemVerdict};
use crate::bundle::{Bundle, PublicValues};
use crate::error::FormatError;
use crate::keys::sha256;
use crate::limits::{SizeLimit, MAX_LOG_LINE_BYTES};
use crate::values::{HexDigest, SafeInt};
use crate::verdict::{Check, Verdict};
use crate::withdrawal::Withdrawal;

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
    /// The bundle verified (a single withdrawal's); absent for a batch item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle: Option<Bundle>,
    /// The batch item verified: one withdrawal of a batch bundle, which the
    /// record carries whole (the proof is the batch's); absent for a single
    /// bundle. Exactly one of `bundle` and `batch_item` is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_item: Option<BatchItem>,
    /// The verdict.
    pub verdict: RecordedVerdict,
    /// The previous record's hash (64 zeros for the first).
    pub prev_hash: HexDigest,
    /// This record's hash.
    pub hash: HexDigest,
}

/// One withdrawal of a batch bundle, as a log record holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// The item's index in the batch, from 0.
    pub index: usize,
    /// The whole batch bundle the item was verified in.
    pub batch: BatchBundle,
}

/// What a record verified: a single bundle, or one item of a batch.
#[derive(Debug, Clone, Copy)]
pub enum RecordedBundle<'a> {
    /// A single withdrawal's bundle.
    Single(&'a Bundle),
    /// Item `index` of a batch bundle.
    BatchItem {
        /// The batch.
        batch: &'a BatchBundle,
        /// The item's index.
        index: usize,
    },
}

impl<'a> RecordedBundle<'a> {
    /// The withdrawal the record is about.
    pub fn withdrawal(&self) -> &'a Withdrawal {
        match self {
            Self::Single(b) => &b.withdrawal,
            Self::BatchItem { batch, index } => &batch.withdrawals[*index],
        }
    }

    /// The named public values (shared by a batch's items).
    pub fn public(&self) -> &'a PublicValues {
        match self {
            Self::Single(b) => &b.public,
            Self::BatchItem { batch, .. } => &batch.public,
        }
    }

    /// The hash of the verifying key the proof is for.
    pub fn verifying_key_hash(&self) -> &'a HexDigest {
        match self {
            Self::Single(b) => &b.verifying_key_hash,
            Self::BatchItem { batch, .. } => &batch.verifying_key_hash,
        }
    }

    /// The backend named by the bundle.
    pub fn backend(&self) -> &'a str {
        match self {
            Self::Single(b) => &b.backend,
            Self::BatchItem { batch, .. } => &batch.backend,
        }
    }
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
    #[error("{path}: line {line}: {message}")]
    Malformed {
        /// The log file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A line over [`MAX_LOG_LINE_BYTES`]: not a record this version
    /// writes, and not read.
    #[error("{path}: line {line} is {bytes} bytes long, over the size limit {limit}; refusing to append")]
    LineTooLong {
        /// The log file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The line's length.
        bytes: u64,
        /// The limit ([`MAX_LOG_LINE_BYTES`]).
        limit: SizeLimit,
    },
    /// A record that would make a line over [`MAX_LOG_LINE_BYTES`] (a
    /// bundle near its own limit whose verdict quotes it); not appended.
    #[error("{path}: the record would be {bytes} bytes long, over the size limit {limit}; not appended")]
    RecordTooLong {
        /// The log file.
        path: String,
        /// The record's length.
        bytes: u64,
        /// The limit ([`MAX_LOG_LINE_BYTES`]).
        limit: SizeLimit,
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
        let verdict = RecordedVerdict {
            accepted: verdict.accepted,
            failed_check: verdict.failed_check,
            reason: verdict.reason.clone(),
        };
        Self::sealed(seq, time, Some(bundle.clone()), None, verdict, prev_hash)
    }

    /// A new record of item `item`'s verdict in a batch, following `prev`.
    pub fn new_batch_item(seq: u64, time: u64, batch: &BatchBundle, item: &ItemVerdict, prev_hash: HexDigest) -> Self {
        let verdict =
            RecordedVerdict { accepted: item.accepted, failed_check: item.failed_check, reason: item.reason.clone() };
        let batch_item = BatchItem { index: item.index, batch: batch.clone() };
        Self::sealed(seq, time, None, Some(batch_item), verdict, prev_hash)
    }

    fn sealed(
        seq: u64,
        time: u64,
        bundle: Option<Bundle>,
        batch_item: Option<BatchItem>,
        verdict: RecordedVerdict,
        prev_hash: HexDigest,
    ) -> Self {
        let mut record = Self {
            version: LOG_RECORD_V1.into(),
            seq,
            time: SafeInt(time),
            bundle,
            batch_item,
            verdict,
            prev_hash,
            hash: GENESIS,
        };
        record.hash = record.compute_hash();
        record
    }

    /// What the record verified.
    pub fn recorded(&self) -> RecordedBundle<'_> {
        match (&self.bundle, &self.batch_item) {
            (Some(bundle), _) => RecordedBundle::Single(bundle),
            (None, Some(item)) => RecordedBundle::BatchItem { batch: &item.batch, index: item.index },
            (None, None) => unreachable!("a parsed record holds a bundle or a batch item (LogLine::record checks)"),
        }
    }

    /// Parses one record's text: the JSON, then exactly one of `bundle`
    /// and `batch_item`, and a batch item's index within its batch.
    ///
    /// # Errors
    /// [`FormatError`] naming the field.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        let record: Self = crate::parse_json("log record", text)?;
        match (&record.bundle, &record.batch_item) {
            (Some(_), None) => {}
            (None, Some(item)) if item.index < item.batch.withdrawals.len() => {}
            (None, Some(item)) => {
                return Err(FormatError::invalid(
                    "log record",
                    "batch_item.index",
                    format!("the batch holds {} withdrawals, not item {}", item.batch.withdrawals.len(), item.index),
                ))
            }
            _ => {
                return Err(FormatError::invalid(
                    "log record",
                    ".",
                    "a record holds exactly one of bundle and batch_item",
                ))
            }
        }
        Ok(record)
    }
}

/// A log opened for appending: its whole chain was checked on opening.
#[derive(Debug)]
pub struct VerificationLog {
    path: PathBuf,
    next_seq: u64,
    last_hash: HexDigest,
}

/// What one line of a log holds, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineContent {
    /// The line's text, without its newline.
    Text(String),
    /// A line longer than [`MAX_LOG_LINE_BYTES`], skipped without being
    /// kept in memory.
    TooLong {
        /// Its length in bytes.
        bytes: u64,
    },
    /// A line that is not UTF-8 text.
    NotUtf8,
}

/// One line of a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// 1-based line number.
    pub number: usize,
    /// What it holds.
    pub content: LineContent,
    /// Whether it ends with a newline: only the last line can lack one, and
    /// then it is torn (an interrupted append).
    pub complete: bool,
}

/// Why a line holds no record.
#[derive(Debug, thiserror::Error)]
pub enum LineProblem {
    /// Text that is not a record (names the field).
    #[error("not a log record: {0}")]
    NotARecord(FormatError),
    /// A line over [`MAX_LOG_LINE_BYTES`].
    #[error("the line is {bytes} bytes long, over the size limit {limit}; not read")]
    TooLong {
        /// Its length.
        bytes: u64,
        /// The limit ([`MAX_LOG_LINE_BYTES`]).
        limit: SizeLimit,
    },
    /// A line that is not UTF-8.
    #[error("the line is not UTF-8 text")]
    NotUtf8,
}

impl LogLine {
    /// The record the line holds (its text parsed), or why there is none.
    /// Says nothing of the chain.
    ///
    /// # Errors
    /// [`LineProblem`].
    pub fn record(&self) -> Result<LogRecord, LineProblem> {
        match &self.content {
            LineContent::Text(text) => LogRecord::from_json(text).map_err(LineProblem::NotARecord),
            LineContent::TooLong { bytes } => Err(LineProblem::TooLong { bytes: *bytes, limit: MAX_LOG_LINE_BYTES }),
            LineContent::NotUtf8 => Err(LineProblem::NotUtf8),
        }
    }
}

/// The lines of a log read one at a time, each kept in memory only up to
/// [`MAX_LOG_LINE_BYTES`] (a longer line is skipped and reported as
/// [`LineContent::TooLong`]), so a log of any size and content is read in
/// bounded memory per line.
#[derive(Debug)]
pub struct LogLines<R> {
    reader: R,
    number: usize,
    buffer: Vec<u8>,
}

impl<R: BufRead> LogLines<R> {
    /// The lines of `reader`.
    pub fn new(reader: R) -> Self {
        Self { reader, number: 0, buffer: Vec::new() }
    }

    /// Reads the next line into the buffer (up to the limit); `None` at the
    /// end, else (its length, whether it ended with a newline).
    fn read_line(&mut self) -> std::io::Result<Option<(u64, bool)>> {
        let max = usize::try_from(MAX_LOG_LINE_BYTES.bytes).unwrap_or(usize::MAX);
        self.buffer.clear();
        let mut length = 0u64;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(any.then_some((length, false)));
            }
            any = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let piece = &available[..newline.unwrap_or(available.len())];
            length = length.saturating_add(piece.len() as u64);
            if length <= max as u64 {
                self.buffer.extend_from_slice(piece);
            } else if !self.buffer.is_empty() {
                self.buffer = Vec::new();
            }
            let used = piece.len() + usize::from(newline.is_some());
            self.reader.consume(used);
            if newline.is_some() {
                return Ok(Some((length, true)));
            }
        }
    }
}

impl<R: BufRead> Iterator for LogLines<R> {
    type Item = std::io::Result<LogLine>;

    fn next(&mut self) -> Option<Self::Item> {
        let (length, complete) = match self.read_line() {
            Ok(Some(line)) => line,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        self.number += 1;
        let content = if length > MAX_LOG_LINE_BYTES.bytes {
            LineContent::TooLong { bytes: length }
        } else {
            match String::from_utf8(std::mem::take(&mut self.buffer)) {
                Ok(text) => LineContent::Text(text),
                Err(_) => LineContent::NotUtf8,
            }
        };
        Some(Ok(LogLine { number: self.number, content, complete }))
    }
}

impl VerificationLog {
    /// Opens (or prepares to create) a log, checking every record's hash
    /// and link so that a broken chain is never extended. The log is read
    /// line by line; a line over [`MAX_LOG_LINE_BYTES`] is refused.
    ///
    /// # Errors
    /// [`LogError`] for I/O failures, a torn last line, a line too long,
    /// malformed records or a broken chain.
    pub fn open(path: &Path) -> Result<Self, LogError> {
        let name = path.display().to_string();
        let io = |source| LogError::Io { path: name.clone(), source };
        let mut log = Self { path: path.to_path_buf(), next_seq: 0, last_hash: GENESIS };
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(log),
            Err(source) => return Err(io(source)),
        };
        for line in LogLines::new(std::io::BufReader::new(file)) {
            let line = line.map_err(io)?;
            let number = line.number;
            if !line.complete {
                return Err(LogError::TornLine { path: name, line: number });
            }
            if let LineContent::TooLong { bytes } = line.content {
                return Err(LogError::LineTooLong { path: name, line: number, bytes, limit: MAX_LOG_LINE_BYTES });
            }
            let record = line.record().map_err(|problem| LogError::Malformed {
                path: name.clone(),
                line: number,
                message: problem.to_string(),
            })?;
            let broken = |message: String| LogError::Broken { path: name.clone(), line: number, message };
            if record.seq != log.next_seq {
                return Err(broken(format!("expected record {}, found {}", log.next_seq, record.seq)));
            }
            if record.prev_hash != log.last_hash {
                return Err(broken("prev_hash does not match the previous record".into()));
            }
            if record.compute_hash() != record.hash {
                return Err(broken("the record's hash does not match its content".into()));
            }
            log.last_hash = record.hash;
            log.next_seq = log.next_seq.saturating_add(1);
        }
        Ok(log)
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
    /// [`LogError::RecordTooLong`] for a record over [`MAX_LOG_LINE_BYTES`]
    /// (nothing is written: the log could not be read back),
    /// [`LogError::Io`]; the in-memory chain advances only after the line is
    /// synced.
    pub fn append(&mut self, time: u64, bundle: &Bundle, verdict: &Verdict) -> Result<LogRecord, LogError> {
        let record = LogRecord::new(self.next_seq, time, bundle, verdict, self.last_hash);
        let mut records = self.write(vec![record])?;
        Ok(records.remove(0))
    }

    /// Appends a batch's verdict: one record per item, each carrying the
    /// batch bundle and the item's own verdict, written in one synced write
    /// (so replays and caps are counted per item).
    ///
    /// # Errors
    /// As [`VerificationLog::append`]; nothing is written when any item's
    /// record is too long.
    pub fn append_batch(
        &mut self,
        time: u64,
        batch: &BatchBundle,
        verdict: &BatchVerdict,
    ) -> Result<Vec<LogRecord>, LogError> {
        let mut records = Vec::with_capacity(verdict.items.len());
        let mut prev = self.last_hash;
        for (k, item) in verdict.items.iter().enumerate() {
            let record = LogRecord::new_batch_item(self.next_seq.saturating_add(k as u64), time, batch, item, prev);
            prev = record.hash;
            records.push(record);
        }
        self.write(records)
    }

    /// Writes `records` (which follow the chain) as whole lines in one
    /// synced write, then advances the chain.
    fn write(&mut self, records: Vec<LogRecord>) -> Result<Vec<LogRecord>, LogError> {
        let mut text = String::new();
        for record in &records {
            let line = serde_json::to_string(record).expect("a record has only string keys and plain values");
            if MAX_LOG_LINE_BYTES.check(line.len()).is_err() {
                return Err(LogError::RecordTooLong {
                    path: self.path.display().to_string(),
                    bytes: line.len() as u64,
                    limit: MAX_LOG_LINE_BYTES,
                });
            }
            text.push_str(&line);
            text.push('\n');
        }
        let io = |source| LogError::Io { path: self.path.display().to_string(), source };
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&self.path).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        if let Some(last) = records.last() {
            self.next_seq = self.next_seq.saturating_add(records.len() as u64);
            self.last_hash = last.hash;
        }
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_bundle() -> Bundle {
        Bundle::from_json(include_str!("../tests/fixtures/bundle.json")).unwrap()
    }

    fn accepted() -> Verdict {
        Verdict {
            accepted: true,
            failed_check: None,
            reason: None,
            checked: Vec::new(),
            not_checked: Vec::new(),
            key: None,
        }
    }

    #[test]
    fn lines_are_read_within_the_limit_and_the_last_one_may_be_torn() {
        let long = "y".repeat(MAX_LOG_LINE_BYTES.bytes as usize + 1);
        let text = format!("a\n{long}\n\n\u{e9}\nb");
        let mut bytes = text.into_bytes();
        bytes.extend(b"\n\xff\n");
        bytes.extend(b"torn");
        let lines: Vec<LogLine> = LogLines::new(&bytes[..]).collect::<std::io::Result<_>>().unwrap();
        let contents: Vec<(&LineContent, bool)> = lines.iter().map(|l| (&l.content, l.complete)).collect();
        assert_eq!(
            contents,
            [
                (&LineContent::Text("a".into()), true),
                (&LineContent::TooLong { bytes: MAX_LOG_LINE_BYTES.bytes + 1 }, true),
                (&LineContent::Text(String::new()), true),
                (&LineContent::Text("\u{e9}".into()), true),
                (&LineContent::Text("b".into()), true),
                (&LineContent::NotUtf8, true),
                (&LineContent::Text("torn".into()), false),
            ]
        );
        assert_eq!(lines.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(LogLines::new(&b""[..]).count(), 0);
    }

    #[test]
    fn a_record_over_the_line_limit_is_not_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let mut log = VerificationLog::open(&path).unwrap();
        log.append(1, &fixture_bundle(), &accepted()).unwrap();
        let before = std::fs::read(&path).unwrap();
        // A bundle built in code, past any size a parsed bundle can have.
        let mut huge = fixture_bundle();
        huge.public_inputs = vec!["1".repeat(77); 4000];
        let e = log.append(2, &huge, &accepted()).unwrap_err();
        assert!(matches!(e, LogError::RecordTooLong { .. }), "{e:?}");
        assert!(e.to_string().contains("MAX_LOG_LINE_BYTES"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "nothing written");
        assert_eq!(log.len(), 1, "the chain did not advance");
        log.append(3, &fixture_bundle(), &accepted()).unwrap();
        assert_eq!(VerificationLog::open(&path).unwrap().len(), 2);
    }
}
