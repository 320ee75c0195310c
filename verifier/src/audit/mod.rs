//! The regulator's audit of an exchange's verification log: the chain,
//! every proof (batch-verified, grouped by key and so by backend), the
//! regulator's own policy at each record's time (only the claims it
//! selects), replays, and per-holder, per-epoch totals against the
//! policy's caps.

mod chain;
mod progress;
mod proofs;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;

use num_bigint::BigUint;
use rand_core::{CryptoRng, RngCore};
use serde::Serialize;
use zkcomply_circuits::Fr;

use crate::batch_verify::batch_precheck;
use crate::key_summary::KeySummary;
use crate::keys::VerifyingKeyFile;
use crate::log::{LogLine, LogLines, LogRecord, RecordedBundle};
use crate::policy::Policy;
use crate::values::HexDigest;
use crate::verdict::Check;
use crate::verify::{check_all_but_proof, proof_does_not_verify, Precheck};
use chain::ChainWalk;
use progress::map_with_progress;
pub use proofs::ProofCheck;

/// A policy claim a regulator can select with `--checks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum Claim {
    /// The issuer is accepted.
    Issuer,
    /// The minimum tier.
    Tier,
    /// The amount limits.
    Limits,
    /// Identity and address sanctions roots.
    Sanctions,
    /// Revocation roots.
    Revocation,
    /// Blocked jurisdictions.
    Jurisdictions,
    /// The clock skew at the record's time.
    Clock,
    /// The epoch.
    Epoch,
    /// Required disclosures.
    Disclosures,
    /// The exchange id.
    Exchange,
    /// The pinned verifying-key hash and ceremony transcripts.
    Key,
    /// Per-holder, per-epoch caps.
    Caps,
}

impl Claim {
    /// Every claim.
    pub const ALL: [Claim; 12] = [
        Claim::Issuer,
        Claim::Tier,
        Claim::Limits,
        Claim::Sanctions,
        Claim::Revocation,
        Claim::Jurisdictions,
        Claim::Clock,
        Claim::Epoch,
        Claim::Disclosures,
        Claim::Exchange,
        Claim::Key,
        Claim::Caps,
    ];
}

/// `policy` with the fields of unselected claims left out. The accepted
/// backends and the development-key rule are not claims: they always apply.
fn restrict(policy: &Policy, claims: &BTreeSet<Claim>) -> Policy {
    let keep = |c: Claim| claims.contains(&c);
    let mut p = policy.clone();
    // A flat revocation list belongs to the policy's one issuer: keep that
    // binding explicit before the issuer list may be dropped.
    if let (Some(roots), Some([issuer])) = (&policy.revocation_roots, policy.issuers.as_deref()) {
        p.revocation_roots = None;
        p.issuer_revocation_roots =
            Some(vec![crate::policy::IssuerRevocationRoots { issuer: *issuer, roots: roots.clone() }]);
    }
    if !keep(Claim::Issuer) {
        p.issuers = None;
    }
    if !keep(Claim::Tier) {
        p.min_tier = None;
    }
    if !keep(Claim::Limits) {
        p.limits = None;
    }
    if !keep(Claim::Sanctions) {
        p.identity_sanctions_roots = None;
        p.address_sanctions_roots = None;
    }
    if !keep(Claim::Revocation) {
        p.revocation_roots = None;
        p.issuer_revocation_roots = None;
    }
    if !keep(Claim::Jurisdictions) {
        p.blocked_jurisdictions = None;
    }
    if !keep(Claim::Clock) {
        p.max_clock_skew_seconds = None;
    }
    if !keep(Claim::Epoch) && !keep(Claim::Caps) {
        p.epoch_seconds = None;
    }
    if !keep(Claim::Caps) {
        p.epoch_caps = None;
    }
    if !keep(Claim::Disclosures) {
        p.required_disclosures = None;
    }
    if !keep(Claim::Exchange) {
        p.exchange_id = None;
    }
    if !keep(Claim::Key) {
        p.verifying_key_hash = None;
        p.verifying_keys = None;
        p.ceremony_transcripts = None;
    }
    p
}

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An interrupted last append.
    TornLine,
    /// A line that is not a record: malformed, over the line size limit,
    /// or not UTF-8.
    MalformedRecord,
    /// A record whose content does not match its hash (edited).
    EditedRecord,
    /// A record out of sequence (deleted, inserted or reordered records).
    Sequence,
    /// A record whose `prev_hash` does not link to the record before.
    BrokenLink,
    /// A record whose `prev_hash` cannot be checked: the line before it is
    /// not a record (see `malformed_record`), and the record does not link
    /// to the last record read either.
    UncheckedLink,
    /// The exchange accepted a bundle that fails the audit's checks.
    AcceptedButFails,
    /// The same `context` accepted twice.
    Replay,
    /// A holder's total for an epoch above the policy's cap.
    CapExceeded,
    /// An accepted bundle whose epoch no `now` within the policy's clock
    /// skew of the record's time gives: the holder chose the epoch (and so
    /// a fresh nullifier and cap).
    EpochOutsideSkew,
}

/// The epochs a bundle verified at `time` may carry under a clock skew of
/// `skew` seconds: those of every `now` within the skew. With the skew
/// at most half the epoch length (the policy rule), at most two.
fn epochs_within_skew(time: u64, skew: u64, epoch_seconds: u64) -> std::ops::RangeInclusive<u64> {
    time.saturating_sub(skew) / epoch_seconds..=time.saturating_add(skew) / epoch_seconds
}

/// Adds `amount` to a holder's `total` for one asset and epoch, and says
/// whether the total is now above `cap`. Totals are exact: amounts are
/// below `2^128`, so two of them can already pass `u128::MAX`, and a sum
/// saturating there would never exceed a cap of `2^128 - 1`.
fn add_to_total(total: &mut BigUint, amount: u128, cap: u128) -> bool {
    *total += amount;
    *total > BigUint::from(cap)
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// 1-based line of the log.
    pub line: usize,
    /// The record's `seq`, when the line is a record.
    pub seq: Option<u64>,
    /// What kind of problem.
    pub kind: FindingKind,
    /// The failed check, for `accepted_but_fails`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
    /// Why.
    pub reason: String,
}

/// The audit's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Lines read.
    pub lines: usize,
    /// Records that parsed.
    pub records: usize,
    /// Records the exchange accepted.
    pub accepted_by_exchange: usize,
    /// Records the exchange rejected.
    pub rejected_by_exchange: usize,
    /// Accepted records whose proof was re-verified (batch).
    pub proofs_verified: usize,
    /// Claims checked.
    pub claims_checked: Vec<Claim>,
    /// Claims not checked (not selected, or left out of the policy).
    pub claims_not_checked: Vec<Claim>,
    /// The verifying keys given, in order, and where each came from (the
    /// policy's pin as the audit applies it, after `--checks`).
    pub keys: Vec<KeySummary>,
    /// Every finding, in log order.
    pub findings: Vec<Finding>,
}

impl AuditReport {
    /// Whether the log is clean.
    pub fn clean(&self) -> bool {
        self.findings.is_empty()
    }
}

fn claim_has_policy_field(policy: &Policy, claim: Claim) -> bool {
    match claim {
        Claim::Issuer => policy.issuers.is_some(),
        Claim::Tier => policy.min_tier.is_some(),
        Claim::Limits => policy.limits.is_some(),
        Claim::Sanctions => policy.identity_sanctions_roots.is_some() || policy.address_sanctions_roots.is_some(),
        Claim::Revocation => policy.revocation_roots.is_some() || policy.issuer_revocation_roots.is_some(),
        Claim::Jurisdictions => policy.blocked_jurisdictions.is_some(),
        Claim::Clock => policy.max_clock_skew_seconds.is_some(),
        Claim::Epoch => policy.epoch_seconds.is_some(),
        Claim::Disclosures => policy.required_disclosures.is_some(),
        Claim::Exchange => policy.exchange_id.is_some(),
        Claim::Key => policy.pins_keys() || policy.ceremony_transcripts.is_some(),
        Claim::Caps => policy.epoch_caps.is_some() && policy.epoch_seconds.is_some(),
    }
}

/// The key a record's bundle is checked against: the one it names by hash;
/// failing that, one of its backend, or any, so that the checks say which
/// of the two differs. `None` only without keys.
fn key_for(keys: &[VerifyingKeyFile], backend: &str, verifying_key_hash: &HexDigest) -> Option<usize> {
    let position = |f: &dyn Fn(&VerifyingKeyFile) -> bool| keys.iter().position(f);
    position(&|k| k.hash() == *verifying_key_hash)
        .or_else(|| position(&|k| k.backend().id() == backend))
        .or_else(|| (!keys.is_empty()).then_some(0))
}

/// Audits the log text against the verifying keys its bundles were made
/// with (one per key; each record is checked against the key its bundle
/// names), as [`audit_reader`] does.
///
/// `progress` is called with (phase, items done, items in the phase) as
/// the audit goes; `rng` draws the batch verification's random weights.
pub fn audit<R: RngCore + CryptoRng + Send>(
    text: &str,
    policy: &Policy,
    keys: &[VerifyingKeyFile],
    claims: &BTreeSet<Claim>,
    proof_check: ProofCheck,
    rng: &mut R,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> AuditReport {
    audit_reader(text.as_bytes(), policy, keys, claims, proof_check, rng, progress)
        .expect("reading lines from memory cannot fail")
}

/// Audits the log read from `log` line by line (each line held in memory
/// only up to [`crate::limits::MAX_LOG_LINE_BYTES`]). A line that is not a
/// record (malformed, too long, not UTF-8, torn) is a finding at its line,
/// and the audit goes on with the rest.
///
/// # Errors
/// The reader's I/O errors.
pub fn audit_reader<L: BufRead, R: RngCore + CryptoRng + Send>(
    log: L,
    policy: &Policy,
    keys: &[VerifyingKeyFile],
    claims: &BTreeSet<Claim>,
    proof_check: ProofCheck,
    rng: &mut R,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> std::io::Result<AuditReport> {
    let lines = LogLines::new(log).collect::<std::io::Result<Vec<LogLine>>>()?;
    Ok(audit_lines(&lines, policy, keys, claims, proof_check, rng, progress))
}

/// A line read: a record and the hash its content computes to, or a
/// finding about the line.
enum ReadLine {
    Record(Box<LogRecord>, HexDigest),
    NotARecord(FindingKind, String),
}

fn read_line(line: &LogLine) -> ReadLine {
    if !line.complete {
        return ReadLine::NotARecord(
            FindingKind::TornLine,
            "the last line is incomplete (an interrupted append); it was not audited".into(),
        );
    }
    match line.record() {
        Ok(record) => {
            let hash = record.compute_hash();
            ReadLine::Record(Box::new(record), hash)
        }
        Err(problem) => ReadLine::NotARecord(FindingKind::MalformedRecord, problem.to_string()),
    }
}

fn audit_lines<R: RngCore + CryptoRng + Send>(
    lines: &[LogLine],
    policy: &Policy,
    keys: &[VerifyingKeyFile],
    claims: &BTreeSet<Claim>,
    proof_check: ProofCheck,
    rng: &mut R,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> AuditReport {
    let mut report = AuditReport::default();
    let restricted = restrict(policy, claims);
    for claim in Claim::ALL {
        if claims.contains(&claim) && claim_has_policy_field(&restricted, claim) {
            report.claims_checked.push(claim);
        } else {
            report.claims_not_checked.push(claim);
        }
    }
    report.keys = keys.iter().map(|k| KeySummary::new(k, &restricted)).collect();
    report.lines = lines.len();

    // Parse and hash every line (in parallel), then walk the chain.
    let read = map_with_progress(lines, "reading the chain", progress, read_line);
    let mut records: Vec<(usize, LogRecord)> = Vec::with_capacity(lines.len());
    let mut chain = ChainWalk::new();
    for (line, read) in lines.iter().zip(read) {
        let n = line.number;
        match read {
            ReadLine::NotARecord(kind, reason) => {
                report.findings.push(Finding { line: n, seq: None, kind, check: None, reason });
                chain.skip(n);
            }
            ReadLine::Record(record, computed) => {
                for (kind, reason) in chain.step(&record, computed) {
                    report.findings.push(Finding { line: n, seq: Some(record.seq), kind, check: None, reason });
                }
                records.push((n, *record));
            }
        }
    }
    report.records = records.len();
    report.accepted_by_exchange = records.iter().filter(|(_, r)| r.verdict.accepted).count();
    report.rejected_by_exchange = records.len() - report.accepted_by_exchange;

    // Every accepted record against the regulator's policy at its own time
    // (in parallel); the proofs of those that pass are verified next. A
    // batch's items share one proof and one set of shared checks: each
    // distinct batch (by its proof) is checked once, at its first item's
    // record time, and its proof verified once.
    let mut batch_of: HashMap<(&str, &HexDigest), usize> = HashMap::new();
    let mut batches: Vec<usize> = Vec::new();
    let mut record_batch: Vec<Option<usize>> = vec![None; records.len()];
    for (k, (_, record)) in records.iter().enumerate() {
        if let (true, RecordedBundle::BatchItem { batch, .. }) = (record.verdict.accepted, record.recorded()) {
            let id = *batch_of.entry((batch.proof.as_str(), &batch.verifying_key_hash)).or_insert_with(|| {
                batches.push(k);
                batches.len() - 1
            });
            record_batch[k] = Some(id);
        }
    }
    let batch_prechecks = map_with_progress(&batches, "checking the policy (batches)", progress, |&k| {
        let (_, record) = &records[k];
        let RecordedBundle::BatchItem { batch, .. } = record.recorded() else { return None };
        key_for(keys, batch.backend.as_str(), &batch.verifying_key_hash)
            .map(|key| (key, batch_precheck(batch, &restricted, &keys[key], record.time.0)))
    });
    let checked = map_with_progress(&records, "checking the policy", progress, |(_, record)| {
        if !record.verdict.accepted {
            return None;
        }
        let RecordedBundle::Single(bundle) = record.recorded() else { return None };
        Some(
            key_for(keys, bundle.backend.as_str(), &bundle.verifying_key_hash)
                .map(|k| (k, check_all_but_proof(bundle, &restricted, &keys[k], record.time.0))),
        )
    });
    // Each record that passes its checks waits on one proof (its own, or
    // its batch's): an index into `to_verify`, and the record's context.
    let mut waiting: Vec<(usize, usize, Fr)> = Vec::new();
    let mut to_verify = Vec::new();
    let mut batch_proof: Vec<Option<usize>> = vec![None; batches.len()];
    for (k, outcome) in checked.into_iter().enumerate() {
        let (n, record) = &records[k];
        let mut fails = |check: Check, reason: String| {
            report.findings.push(Finding {
                line: *n,
                seq: Some(record.seq),
                kind: FindingKind::AcceptedButFails,
                check: Some(check),
                reason: format!("accepted by the exchange, but {reason}"),
            })
        };
        if let Some(id) = record_batch[k] {
            let RecordedBundle::BatchItem { index, .. } = record.recorded() else { continue };
            match &batch_prechecks[id] {
                None => fails(Check::VerifyingKey, "no verifying key was given to the audit".into()),
                Some((_, precheck)) => match (&precheck.shared, precheck.items.get(index)) {
                    (Err((check, reason)), _) => fails(*check, format!("{}: {reason}", check.name())),
                    (Ok(_), Some(Err((check, reason)))) => {
                        fails(*check, format!("{} (item {index}): {reason}", check.name()))
                    }
                    (Ok(pending), Some(Ok(context))) => {
                        let key = batch_prechecks[id].as_ref().map_or(0, |(key, _)| *key);
                        let slot = *batch_proof[id].get_or_insert_with(|| {
                            to_verify.push(proofs::ToVerify { key, pending: pending.clone() });
                            to_verify.len() - 1
                        });
                        waiting.push((k, slot, *context));
                    }
                    (Ok(_), None) => fails(Check::BatchItems, format!("the batch has no item {index}")),
                },
            }
            continue;
        }
        match outcome {
            None => {}
            Some(Some((key, Precheck::Pending(_, pending)))) => {
                let context = pending.context;
                to_verify.push(proofs::ToVerify { key, pending: *pending });
                waiting.push((k, to_verify.len() - 1, context));
            }
            Some(Some((_, Precheck::Rejected { check, reason, .. }))) => {
                fails(check, format!("{}: {reason}", check.name()))
            }
            Some(None) => fails(Check::VerifyingKey, "no verifying key was given to the audit".into()),
        }
    }

    // The proofs, grouped by key: in batches (bisection pinpoints false
    // ones), or one by one.
    let verdicts = proofs::verify(keys, &to_verify, proof_check, rng, progress);
    report.proofs_verified = to_verify.len();
    let mut passing: Vec<(usize, Fr)> = Vec::new();
    for (k, slot, context) in waiting {
        let (n, record) = &records[k];
        let reason = match &verdicts[slot] {
            Ok(true) => {
                passing.push((k, context));
                continue;
            }
            Ok(false) => proof_does_not_verify(keys[to_verify[slot].key].backend()),
            Err(e) => format!("its proof cannot be verified: {e}"),
        };
        report.findings.push(Finding {
            line: *n,
            seq: Some(record.seq),
            kind: FindingKind::AcceptedButFails,
            check: Some(Check::Proof),
            reason: format!("accepted by the exchange, but {reason}"),
        });
    }

    // Replays and caps over the records that pass.
    let mut contexts: HashMap<Fr, u64> = HashMap::new();
    let mut totals: BTreeMap<(String, u64, String), BigUint> = BTreeMap::new();
    let caps = restricted.epoch_caps.as_ref().filter(|_| claims.contains(&Claim::Caps));
    // Epochs and caps rest on the clock rule even when the clock claim is
    // not selected: a bundle's epoch must be one its record's time allows.
    let epoch_window = match (policy.max_clock_skew_seconds, policy.epoch_seconds) {
        // A policy built in code may hold an epoch of 0 (parsing refuses it).
        (Some(skew), Some(secs)) if secs > 0 && (claims.contains(&Claim::Epoch) || claims.contains(&Claim::Caps)) => {
            Some((skew, secs))
        }
        _ => None,
    };
    for (k, context) in passing {
        let (n, record) = &records[k];
        if let Some((skew, secs)) = epoch_window {
            let allowed = epochs_within_skew(record.time.0, skew, secs);
            let epoch = record.recorded().withdrawal().epoch.0;
            if !allowed.contains(&epoch) {
                report.findings.push(Finding {
                    line: *n,
                    seq: Some(record.seq),
                    kind: FindingKind::EpochOutsideSkew,
                    check: None,
                    reason: format!(
                        "the bundle is for epoch {epoch}, but at the record's time {} with a clock skew of {skew} s \
                         only epochs {} to {} are possible",
                        record.time.0,
                        allowed.start(),
                        allowed.end()
                    ),
                });
            }
        }
        if let Some(first) = contexts.get(&context) {
            report.findings.push(Finding {
                line: *n,
                seq: Some(record.seq),
                kind: FindingKind::Replay,
                check: None,
                reason: format!("the same withdrawal (context) was already accepted in record {first}"),
            });
            continue;
        }
        contexts.insert(context, record.seq);
        if let Some(caps) = caps {
            let recorded = record.recorded();
            let w = recorded.withdrawal();
            if let Some(cap) = caps.get(&w.asset) {
                let key = (recorded.public().nullifier.to_string(), w.epoch.0, w.asset.clone());
                let sum = totals.entry(key).or_default();
                if add_to_total(sum, w.amount.0, cap.0) {
                    report.findings.push(Finding {
                        line: *n,
                        seq: Some(record.seq),
                        kind: FindingKind::CapExceeded,
                        check: None,
                        reason: format!(
                            "this holder's {} total for epoch {} reaches {}, above the cap {}",
                            w.asset, w.epoch.0, sum, cap.0
                        ),
                    });
                }
            }
        }
    }
    report.findings.sort_by_key(|f| f.line);
    report
}

/// The snake_case name of a unit variant, as serde writes it.
fn variant_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => unreachable!("a unit variant serialises to its name"),
    }
}

fn claim_names(c: &[Claim]) -> String {
    c.iter().map(variant_name).collect::<Vec<_>>().join(", ")
}

fn kind_name(kind: FindingKind) -> String {
    variant_name(&kind)
}

impl AuditReport {
    /// The report as Markdown, for sharing: a summary table and one row per
    /// finding (`|` in reasons escaped).
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# Verification log audit\n\n");
        out.push_str(&format!("**{}**\n\n", if self.clean() { "Clean: no findings." } else { "Findings: see below." }));
        out.push_str("| | |\n|---|---|\n");
        out.push_str(&format!("| records | {} |\n", self.records));
        out.push_str(&format!("| accepted by the exchange | {} |\n", self.accepted_by_exchange));
        out.push_str(&format!("| rejected by the exchange | {} |\n", self.rejected_by_exchange));
        out.push_str(&format!("| proofs re-verified | {} |\n", self.proofs_verified));
        out.push_str(&format!("| claims checked | {} |\n", claim_names(&self.claims_checked)));
        out.push_str(&format!("| claims not checked | {} |\n", claim_names(&self.claims_not_checked)));
        for key in &self.keys {
            out.push_str(&format!("| verifying key | {} |\n", key.to_text().replace('|', "\\|")));
        }
        out.push_str(&format!("| findings | {} |\n", self.findings.len()));
        if !self.findings.is_empty() {
            out.push_str("\n## Findings\n\n| line | record | kind | check | reason |\n|---:|---:|---|---|---|\n");
            for f in &self.findings {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    f.line,
                    f.seq.map(|s| s.to_string()).unwrap_or_default(),
                    kind_name(f.kind),
                    f.check.map(|c| c.name()).unwrap_or_default(),
                    f.reason.replace('|', "\\|")
                ));
            }
        }
        out
    }

    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let names = claim_names;
        let mut out = String::new();
        out.push_str(&format!(
            "records: {} ({} accepted by the exchange, {} rejected); proofs re-verified: {}\n",
            self.records, self.accepted_by_exchange, self.rejected_by_exchange, self.proofs_verified
        ));
        for key in &self.keys {
            out.push_str(&format!("{}\n", key.to_text()));
        }
        out.push_str(&format!("claims checked: {}\n", names(&self.claims_checked)));
        if !self.claims_not_checked.is_empty() {
            out.push_str(&format!("claims NOT checked: {}\n", names(&self.claims_not_checked)));
        }
        if self.findings.is_empty() {
            out.push_str("findings: none\n");
        } else {
            out.push_str(&format!("findings: {}\n", self.findings.len()));
            for f in &self.findings {
                let seq = f.seq.map(|s| format!(" (record {s})")).unwrap_or_default();
                let kind = kind_name(f.kind);
                out.push_str(&format!("  line {}{seq}: {kind}: {}\n", f.line, f.reason));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_past_u128_max_exceeds_the_largest_cap() {
        // Two withdrawals of 2^127 against a cap of 2^128 - 1: the total,
        // 2^128, is above it (a saturating sum stopped at the cap).
        let mut total = BigUint::default();
        assert!(!add_to_total(&mut total, 1 << 127, u128::MAX));
        assert!(add_to_total(&mut total, 1 << 127, u128::MAX));
        assert_eq!(total.to_string(), "340282366920938463463374607431768211456");
        assert!(add_to_total(&mut total, u128::MAX, u128::MAX));
    }
}
