//! The walk along the chain: each record's hash, its sequence number and
//! its link to the record before it, across lines that are not records.
//!
//! A line that is not a record (malformed, too long, not UTF-8) may have
//! held a record, or may have been inserted. The record after such lines
//! tells which: when its `prev_hash` links to the last record read, the
//! lines are not part of the chain and it must follow that record; when
//! not, its predecessor is unreadable, so its link cannot be checked
//! (reported as such) and its `seq` must leave room for the records the
//! unreadable lines may have held.

use super::FindingKind;
use crate::log::{LogRecord, GENESIS};
use crate::values::HexDigest;

/// Lines since the last record read that are not records.
#[derive(Debug, Clone, Copy)]
struct Unreadable {
    /// The first of them (1-based).
    first_line: usize,
    /// How many.
    count: u64,
}

/// The state of the walk.
#[derive(Debug)]
pub(super) struct ChainWalk {
    /// The `seq` the next record should have.
    expected_seq: u64,
    /// The hash of the last record read (the genesis hash before the first).
    last_hash: HexDigest,
    /// The lines that are not records since the last record read.
    unreadable: Option<Unreadable>,
}

impl ChainWalk {
    /// A walk from the start of a log.
    pub(super) fn new() -> Self {
        Self { expected_seq: 0, last_hash: GENESIS, unreadable: None }
    }

    /// Steps over `line`, which is not a record.
    pub(super) fn skip(&mut self, line: usize) {
        self.unreadable = Some(match self.unreadable {
            Some(gap) => Unreadable { count: gap.count.saturating_add(1), ..gap },
            None => Unreadable { first_line: line, count: 1 },
        });
    }

    /// Steps onto `record` (whose hash computes to `computed`); what is
    /// wrong with it, as (kind, reason).
    pub(super) fn step(&mut self, record: &LogRecord, computed: HexDigest) -> Vec<(FindingKind, String)> {
        let mut found = Vec::new();
        if computed != record.hash {
            found.push((
                FindingKind::EditedRecord,
                "the record's content does not match its hash: edited after logging".into(),
            ));
        }
        let expected = self.expected_seq;
        let out_of_sequence = || {
            (
                FindingKind::Sequence,
                format!("expected record {expected}, found {}: records deleted, inserted or reordered", record.seq),
            )
        };
        match self.unreadable.take() {
            None => {
                if record.seq != expected {
                    found.push(out_of_sequence());
                }
                if record.prev_hash != self.last_hash {
                    found.push((FindingKind::BrokenLink, "prev_hash does not link to the record before it".into()));
                }
            }
            // The lines in between are not part of the chain.
            Some(_) if record.prev_hash == self.last_hash => {
                if record.seq != expected {
                    found.push(out_of_sequence());
                }
            }
            Some(gap) => {
                let lines = if gap.count == 1 {
                    format!("line {} before it is", gap.first_line)
                } else {
                    format!("the {} lines before it, from line {}, are", gap.count, gap.first_line)
                };
                found.push((FindingKind::UncheckedLink, format!("prev_hash cannot be checked: {lines} not a record")));
                let last = expected.saturating_add(gap.count);
                if !(expected..=last).contains(&record.seq) {
                    found.push((
                        FindingKind::Sequence,
                        format!(
                            "expected record {expected} to {last} (after {} unreadable line(s)), found {}: \
                             records deleted, inserted or reordered",
                            gap.count, record.seq
                        ),
                    ));
                }
            }
        }
        self.expected_seq = record.seq.saturating_add(1);
        self.last_hash = record.hash;
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;
    use crate::verdict::Verdict;

    /// Records 0..n, each linked to the one before.
    fn chain(n: u64) -> Vec<LogRecord> {
        let bundle = Bundle::from_json(include_str!("../../tests/fixtures/bundle.json")).unwrap();
        let verdict = Verdict {
            accepted: true,
            failed_check: None,
            reason: None,
            checked: Vec::new(),
            not_checked: Vec::new(),
            key: None,
        };
        let mut prev = GENESIS;
        (0..n)
            .map(|seq| {
                let record = LogRecord::new(seq, seq, &bundle, &verdict, prev);
                prev = record.hash;
                record
            })
            .collect()
    }

    /// The kinds found walking `steps`: a record, or `None` for a line that
    /// is not one.
    fn walk(steps: &[Option<&LogRecord>]) -> Vec<(usize, FindingKind)> {
        let mut walk = ChainWalk::new();
        let mut found = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            match step {
                None => walk.skip(i + 1),
                Some(r) => found.extend(walk.step(r, r.compute_hash()).into_iter().map(|(kind, _)| (i + 1, kind))),
            }
        }
        found
    }

    #[test]
    fn a_whole_chain_has_no_finding() {
        let r = chain(3);
        assert_eq!(walk(&[Some(&r[0]), Some(&r[1]), Some(&r[2])]), []);
    }

    #[test]
    fn lines_outside_the_chain_break_nothing() {
        let r = chain(2);
        assert_eq!(walk(&[None, Some(&r[0]), None, None, Some(&r[1])]), []);
    }

    #[test]
    fn a_record_after_its_unreadable_predecessor_has_an_unchecked_link() {
        let r = chain(4);
        assert_eq!(walk(&[Some(&r[0]), None, Some(&r[2])]), [(3, FindingKind::UncheckedLink)]);
        // Two unreadable lines may have held records 1 and 2.
        assert_eq!(walk(&[Some(&r[0]), None, None, Some(&r[3])]), [(4, FindingKind::UncheckedLink)]);
        // One may have held record 1, not records 1 and 2.
        assert_eq!(
            walk(&[Some(&r[0]), None, Some(&r[3])]),
            [(3, FindingKind::UncheckedLink), (3, FindingKind::Sequence)]
        );
        // Before the first record read, too.
        assert_eq!(walk(&[None, Some(&r[1])]), [(2, FindingKind::UncheckedLink)]);
    }

    #[test]
    fn deleted_and_edited_records_are_found() {
        let r = chain(3);
        assert_eq!(walk(&[Some(&r[0]), Some(&r[2])]), [(2, FindingKind::Sequence), (2, FindingKind::BrokenLink)]);
        let mut edited = r[1].clone();
        edited.time.0 += 1;
        assert_eq!(walk(&[Some(&r[0]), Some(&edited), Some(&r[2])]), [(2, FindingKind::EditedRecord)]);
    }

    #[test]
    fn a_sequence_number_at_the_end_of_the_range_does_not_overflow() {
        let mut r = chain(1).remove(0);
        r.seq = u64::MAX;
        r.hash = r.compute_hash();
        let mut walk = ChainWalk::new();
        walk.skip(1);
        walk.step(&r, r.hash);
        walk.skip(3);
        let found: Vec<FindingKind> = walk.step(&r, r.hash).into_iter().map(|(kind, _)| kind).collect();
        assert_eq!(found, [FindingKind::UncheckedLink]);
    }
}
