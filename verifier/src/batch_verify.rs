//! Verifying a batch bundle: the checks of a single bundle, run once for
//! what the items share (key, statement, nullifier, epoch, time, policy,
//! proof), then each item's own (its `context` against the withdrawal in
//! clear, its `withdrawal_id` not an earlier item's). The verdict is per
//! item and for the batch: the batch is accepted when every item is.

use serde::Serialize;
use zkcomply_circuits::batch::{batch_circuit_id, BatchPublicInputs, SHARED_PUBLIC_INPUTS};
use zkcomply_circuits::Fr;

use crate::backend::BackendError;
use crate::batch_bundle::BatchBundle;
use crate::key_summary::KeySummary;
use crate::keys::VerifyingKeyFile;
use crate::policy::Policy;
use crate::verdict::{Check, Verdict};
use crate::verify::{
    check_context, check_key, check_policy, check_public_values, decode_proof, parse_public_inputs,
    proof_does_not_verify, PendingProof, Run, SharedInputs,
};
use crate::withdrawal::Withdrawal;

/// One item's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemVerdict {
    /// The item's position in the batch, from 0.
    pub index: usize,
    /// Its `withdrawal_id`.
    pub withdrawal_id: String,
    /// Whether the batch's checks and the item's own passed.
    pub accepted: bool,
    /// The failed check, when rejected (the batch's, or the item's own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_check: Option<Check>,
    /// Why, when rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The item's `context` (decimal), as the proof binds it: the key
    /// replays are counted by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// A batch's verdict: the checks the items share, and one verdict per item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchVerdict {
    /// Whether every item was accepted.
    pub accepted: bool,
    /// The checks the items share, as a single bundle's verdict.
    pub batch: Verdict,
    /// One verdict per item, in batch order.
    pub items: Vec<ItemVerdict>,
}

impl BatchVerdict {
    /// The JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a verdict has only string keys and plain values")
    }

    /// Turns an acceptance that skipped checks into a rejection of the
    /// batch and every item, as [`Verdict::require_complete_policy`].
    pub fn require_complete_policy(mut self) -> Self {
        self.batch = self.batch.require_complete_policy();
        if let Some((check, reason)) = self.batch.rejection() {
            let reason = format!("the batch: {reason}");
            for item in &mut self.items {
                if item.accepted {
                    item.accepted = false;
                    item.failed_check = Some(check);
                    item.reason = Some(reason.clone());
                }
            }
            self.accepted = false;
        }
        self
    }

    /// The verdict as lines of text: the batch's, then one per item.
    pub fn to_text(&self) -> String {
        let mut lines = Vec::new();
        match self.batch.rejection() {
            None => {
                let checked: Vec<String> = self.batch.checked.iter().map(Check::name).collect();
                lines.push(format!("batch: checks passed: {}", checked.join(", ")));
                if !self.batch.not_checked.is_empty() {
                    let skipped: Vec<String> = self.batch.not_checked.iter().map(Check::name).collect();
                    lines.push(format!("not checked (left out of the policy): {}", skipped.join(", ")));
                }
            }
            Some((check, reason)) => lines.push(format!("batch: rejected: {}: {reason}", check.name())),
        }
        let batch_rejected = !self.batch.accepted;
        for item in &self.items {
            let id = crate::explanation::units::printable(&item.withdrawal_id);
            match (&item.failed_check, &item.reason) {
                _ if batch_rejected => lines.push(format!("item {} ({id}): rejected with the batch", item.index)),
                (Some(check), Some(reason)) if !item.accepted => {
                    lines.push(format!("item {} ({id}): rejected: {}: {reason}", item.index, check.name()));
                }
                _ => lines.push(format!("item {} ({id}): accepted", item.index)),
            }
        }
        lines.push(format!("{} of {} withdrawals accepted", self.accepted_items(), self.items.len()));
        lines.join("\n")
    }

    /// The accepted items' count.
    pub fn accepted_items(&self) -> usize {
        self.items.iter().filter(|i| i.accepted).count()
    }
}

/// The shared fields of two items that differ, by name.
fn shared_difference(a: &Withdrawal, b: &Withdrawal) -> Option<&'static str> {
    [
        (a.chain_id != b.chain_id, "chain_id"),
        (a.exchange_id != b.exchange_id, "exchange_id"),
        (a.source_address != b.source_address, "source_address"),
        (a.asset != b.asset, "asset"),
        (a.epoch != b.epoch, "epoch"),
        (a.now != b.now, "now"),
    ]
    .into_iter()
    .find_map(|(differs, name)| differs.then_some(name))
}

/// What every check of a batch but the proof's says: the shared checks'
/// outcome (the decoded proof and public inputs when they pass) and each
/// item's own (its context when it passes).
pub(crate) struct BatchPrecheck {
    /// The checks that passed and those the policy left out.
    pub run: Run,
    /// The shared checks: the proof to verify, or the failure.
    pub shared: Checked<PendingProof>,
    /// Each item's own checks, in batch order (empty when the shared checks
    /// failed before reaching them).
    pub items: Vec<Checked<Fr>>,
}

/// Every check of [`verify_batch_bundle`] except the proof's own.
pub(crate) fn batch_precheck(bundle: &BatchBundle, policy: &Policy, vk: &VerifyingKeyFile, at: u64) -> BatchPrecheck {
    let mut run = Run { checked: Vec::new(), not_checked: Vec::new() };
    let mut items = Vec::new();
    let shared = run_batch_checks(&mut run, bundle, policy, vk, at, &mut items).map(|(proof, inputs)| PendingProof {
        proof,
        inputs,
        context: Fr::from(0u8),
    });
    BatchPrecheck { run, shared, items }
}

/// Verifies `bundle` against `policy` and `vk` at unix time `at`.
pub fn verify_batch_bundle(bundle: &BatchBundle, policy: &Policy, vk: &VerifyingKeyFile, at: u64) -> BatchVerdict {
    let BatchPrecheck { run, shared, items: item_checks } = batch_precheck(bundle, policy, vk, at);
    let mut batch = Verdict {
        accepted: true,
        failed_check: None,
        reason: None,
        checked: run.checked,
        not_checked: run.not_checked,
        key: Some(KeySummary::new(vk, policy)),
    };
    match shared {
        Err((check, reason)) => batch.reject(check, &reason),
        Ok(pending) => match vk.prepared.verify(&pending.proof, &pending.inputs) {
            Ok(true) => batch.checked.push(Check::Proof),
            Ok(false) => batch.reject(Check::Proof, &proof_does_not_verify(vk.backend())),
            Err(e @ BackendError::InputCount { .. }) => batch.reject(Check::PublicInputCount, &e.to_string()),
            Err(e) => batch.reject(Check::Proof, &e.to_string()),
        },
    }
    let items: Vec<ItemVerdict> = bundle
        .withdrawals
        .iter()
        .enumerate()
        .map(|(index, w)| {
            let own = item_checks.get(index);
            let context = own.and_then(|r| r.as_ref().ok()).map(zkcomply_circuits::field::fr_to_decimal);
            let failure = match (batch.rejection(), own) {
                (Some((check, reason)), _) => Some((check, format!("the batch: {reason}"))),
                (None, Some(Err((check, reason)))) => Some((*check, reason.clone())),
                (None, Some(Ok(_))) => None,
                (None, None) => Some((Check::BatchItems, "the item was not checked".into())),
            };
            ItemVerdict {
                index,
                withdrawal_id: w.withdrawal_id.clone(),
                accepted: failure.is_none(),
                failed_check: failure.as_ref().map(|(c, _)| *c),
                reason: failure.map(|(_, r)| r),
                context,
            }
        })
        .collect();
    BatchVerdict { accepted: batch.accepted && items.iter().all(|i| i.accepted), batch, items }
}

/// A check's outcome: the value, or the failed check and why.
pub(crate) type Checked<T> = Result<T, (Check, String)>;

/// The batch's shared checks, in a single bundle's order; each item's own
/// into `items` (its context when they pass). Returns the proof and public
/// inputs when the shared checks pass.
fn run_batch_checks(
    run: &mut Run,
    bundle: &BatchBundle,
    policy: &Policy,
    vk: &VerifyingKeyFile,
    at: u64,
    items: &mut Vec<Checked<Fr>>,
) -> Checked<(crate::backend::Proof, Vec<Fr>)> {
    let count = vk.prepared.public_input_count();
    let slots = count.saturating_sub(SHARED_PUBLIC_INPUTS);
    check_key(
        run,
        &bundle.circuit_id,
        &batch_circuit_id(slots),
        &bundle.backend,
        &bundle.verifying_key_hash,
        policy,
        vk,
    )?;
    let inputs = parse_public_inputs(&bundle.public_inputs, count)?;
    run.pass(Check::PublicInputCount);
    run.pass(Check::PublicInputRange);
    let public = BatchPublicInputs::from_field_elements(&inputs).ok_or((
        Check::PublicInputCount,
        format!("a batch circuit has more than {SHARED_PUBLIC_INPUTS} public inputs"),
    ))?;

    let first = &bundle.withdrawals[0];
    let n = bundle.withdrawals.len();
    if n > slots {
        return Err((Check::BatchItems, format!("the bundle has {n} withdrawals, the circuit {slots} slots")));
    }
    for (i, w) in bundle.withdrawals.iter().enumerate().skip(1) {
        if let Some(field) = shared_difference(first, w) {
            return Err((
                Check::BatchItems,
                format!("withdrawals[{i}].{field} differs from withdrawals[0]'s: a batch has one {field}"),
            ));
        }
    }
    if let Some(i) = (n..slots).find(|&i| public.contexts[i] != Fr::from(0u8)) {
        return Err((Check::BatchItems, format!("slot {i} holds no withdrawal, but its public input is not 0")));
    }
    run.pass(Check::BatchItems);

    for (i, w) in bundle.withdrawals.iter().enumerate() {
        let duplicate = bundle.withdrawals[..i].iter().position(|e| e.withdrawal_id == w.withdrawal_id);
        items.push(match duplicate {
            Some(first) => Err((
                Check::DistinctItems,
                format!("its withdrawal_id is item {first}'s: every item of a batch has its own"),
            )),
            None => check_context(w, public.contexts[i]).map(|()| public.contexts[i]),
        });
    }
    let shared = SharedInputs {
        statement_hash: public.statement_hash,
        nullifier: public.nullifier,
        epoch: public.epoch,
        now: public.now,
        disclosed_jurisdiction: public.disclosed_jurisdiction,
    };
    check_public_values(run, &bundle.public, first, &shared)?;
    // The policy's rules read the shared fields: the first item's are every item's.
    check_policy(run, first, &bundle.public, policy, at)?;
    let proof = decode_proof(&bundle.proof, vk)?;
    Ok((proof, inputs))
}
