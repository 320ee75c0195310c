//! Proving a batch: up to 16 withdrawals of one holder in one proof
//! (`zkcomply prove-batch`). Every item is checked as a single withdrawal
//! would be (the policy, then every statement row), and against the
//! batch's rules (one chain, exchange, source, asset, epoch and time; no
//! repeated `withdrawal_id`). Items that would fail are refused before
//! proving, each with its index and reason; the batch is proved only when
//! none is, or, when the caller asks, without the refused ones.

use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use zkcomply_circuits::batch::constraints::BatchCircuit;
use zkcomply_circuits::batch::{batch_circuit_id, BatchInputs, BatchViolation, BatchWitness, ItemRefusal, BATCH_SIZES};
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::public_inputs::StatementValues;
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::batch_bundle::{BatchBundle, BATCH_BUNDLE_V1};
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::limits::{MAX_CREDENTIAL_BYTES, MAX_POLICY_BYTES};
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::values::SafeInt;
use zkcomply_verifier::withdrawal::Withdrawal;
use zkcomply_verifier::{parse_json, read_text, FormatError};

use crate::prove::{groth16_proof, public_values};
use crate::setup::{KeysDir, ProverKey};
use crate::tree_file::{TreeFile, TreeKind};
use crate::witness::ProofRequest;
use crate::{groth16_prover, ProverError, ProvingError};
use zkcomply_circuits::withdrawal::WithdrawalInputs;

/// The withdrawals file of `zkcomply prove-batch`: a JSON list of up to 16
/// withdrawal v1 documents, small enough that the batch bundle made from it
/// stays within `MAX_BATCH_BUNDLE_BYTES`.
pub const MAX_WITHDRAWALS_FILE_BYTES: SizeLimit =
    SizeLimit { document: "withdrawals", name: "MAX_WITHDRAWALS_FILE_BYTES", bytes: 160 * 1024 };

/// One item the batch cannot hold, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedItem {
    /// Its index in the withdrawals file, from 0.
    pub index: usize,
    /// Its `withdrawal_id`.
    pub withdrawal_id: String,
    /// Why it cannot be proved.
    pub reason: String,
}

impl std::fmt::Display for RefusedItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "item {} ({:?}): {}", self.index, zkcomply_circuits::text::shorten(&self.withdrawal_id), self.reason)
    }
}

/// Parses a withdrawals file's text: a JSON list of 1 to 16 withdrawal v1
/// documents.
///
/// # Errors
/// [`FormatError`] naming the item and field (`[3].amount`), or the count.
pub fn parse_withdrawals(text: &str) -> Result<Vec<Withdrawal>, FormatError> {
    MAX_WITHDRAWALS_FILE_BYTES.check(text.len())?;
    let list: Vec<Withdrawal> = parse_json("withdrawals", text)?;
    let max = *BATCH_SIZES.last().expect("batch sizes are listed");
    if list.is_empty() || list.len() > max {
        return Err(FormatError::invalid(
            "withdrawals",
            ".",
            format!("a batch holds 1 to {max} withdrawals, not {}: split the list", list.len()),
        ));
    }
    for (i, w) in list.iter().enumerate() {
        w.validate("withdrawals").map_err(|e| match e {
            FormatError::Invalid { document, path, message } => FormatError::Invalid {
                document,
                path: format!("[{i}].{}", path.strip_prefix("withdrawal.").unwrap_or(&path)),
                message,
            },
            other => other,
        })?;
    }
    Ok(list)
}

/// Everything `zkcomply prove-batch` reads: the holder's credential, the
/// policy and trees (in `request`, whose withdrawal is the first item) and
/// the batch's withdrawals.
pub struct BatchRequest {
    /// The credential, policy and trees; its `withdrawal` is `withdrawals[0]`.
    pub request: ProofRequest,
    /// The withdrawals, in file order.
    pub withdrawals: Vec<Withdrawal>,
}

impl BatchRequest {
    /// Reads and parses every input file.
    ///
    /// # Errors
    /// [`ProverError`] naming the file and field.
    pub fn load(credential: &Path, withdrawals: &Path, policy: &Path, trees: [&Path; 3]) -> Result<Self, ProverError> {
        let list = parse_withdrawals(&read_text(withdrawals, &MAX_WITHDRAWALS_FILE_BYTES)?)
            .map_err(|e| e.in_file(withdrawals))?;
        let [identity_tree, address_tree, revocation_tree] = trees;
        let request = ProofRequest {
            credential: Credential::from_json(&read_text(credential, &MAX_CREDENTIAL_BYTES)?)
                .map_err(|e| e.in_file(credential))?,
            withdrawal: list[0].clone(),
            policy: Policy::from_json(&read_text(policy, &MAX_POLICY_BYTES)?).map_err(|e| e.in_file(policy))?,
            identity_tree: Arc::new(TreeFile::load_kind(identity_tree, TreeKind::Identity)?),
            address_tree: Arc::new(TreeFile::load_kind(address_tree, TreeKind::Address)?),
            revocation_tree: Arc::new(TreeFile::load_kind(revocation_tree, TreeKind::Revocation)?),
        };
        Ok(Self { request, withdrawals: list })
    }

    /// Checks every item once: the policy and every statement row, then
    /// the batch's rules (one holder, source, asset; no `withdrawal_id`
    /// twice). Returns every refused item, with its index and reason, and
    /// the witness of the others, ready to prove (the circuit is `slots`
    /// wide).
    pub fn check(&self, slots: usize) -> CheckedBatch {
        let refused_item = |index: usize, reason: String| RefusedItem {
            index,
            withdrawal_id: self.withdrawals[index].withdrawal_id.clone(),
            reason,
        };
        let mut refused = Vec::new();
        let mut candidates = Vec::new();
        let mut inputs = Vec::new();
        for (i, w) in self.withdrawals.iter().enumerate() {
            match self.request.inputs_for(w) {
                Ok(item) => {
                    candidates.push(i);
                    inputs.push(item);
                }
                Err(e) => refused.push(refused_item(i, e.to_string())),
            }
        }
        let statement = inputs.first().map(WithdrawalInputs::statement);
        let (witness, batch_refused) = match (BatchInputs { items: inputs, slots }).build_passing() {
            Ok((witness, batch_refused)) => (Some(witness), batch_refused),
            Err(BatchViolation::Refused(batch_refused)) => (None, batch_refused),
            // No candidate left, or more than the slots (refused by the caller first).
            Err(BatchViolation::Count { .. }) => (None, Vec::new()),
        };
        let mut dropped = Vec::new();
        for (k, why) in batch_refused {
            let reason = match why {
                ItemRefusal::DuplicateWithdrawalId { first } => {
                    format!("its withdrawal_id is item {}'s: every item of a batch has its own", candidates[first])
                }
                other => other.to_string(),
            };
            refused.push(refused_item(candidates[k], reason));
            dropped.push(candidates[k]);
        }
        refused.sort_by_key(|r| r.index);
        let kept: Vec<usize> = candidates.into_iter().filter(|i| !dropped.contains(i)).collect();
        // The statement is every kept item's (the batch's rules compare them).
        let prepared = witness.zip(statement).filter(|_| !kept.is_empty());
        CheckedBatch { refused, kept, prepared }
    }
}

/// A batch's items checked ([`BatchRequest::check`]): the refused ones,
/// and the witness of the kept ones. Checking needs no keys, so a caller
/// can refuse a batch while the keys load.
pub struct CheckedBatch {
    /// Every refused item, in index order.
    pub refused: Vec<RefusedItem>,
    /// The indices of the items that pass, in order.
    pub kept: Vec<usize>,
    /// The kept items' witness and statement (none when no item passes).
    prepared: Option<(BatchWitness, StatementValues)>,
}

/// What [`prove_batch`] made: the bundle, and the items it left out.
pub struct ProvedBatch {
    /// The batch bundle, verified against the keys' verifying key.
    pub bundle: BatchBundle,
    /// Items refused and left out (only with `drop_refused`).
    pub dropped: Vec<RefusedItem>,
}

/// The slots of batch keys.
///
/// # Errors
/// [`crate::KeyError::OtherCircuit`] for keys that are not a batch circuit's.
fn batch_keys_slots(keys: &KeysDir) -> Result<usize, ProverError> {
    zkcomply_circuits::batch::batch_slots_of(&keys.manifest.circuit_id).ok_or_else(|| {
        crate::KeyError::OtherCircuit {
            found: keys.manifest.circuit_id.clone(),
            expected: batch_circuit_id(*BATCH_SIZES.last().expect("batch sizes are listed")),
        }
        .into()
    })
}

/// Checks every item, then proves the batch with batch keys (loaded with
/// [`KeysDir::load_for`] and [`batch_circuit_id`]) and verifies the proof.
///
/// # Errors
/// As [`prove_checked_batch`]; [`ProverError::Keys`] for keys that are not
/// a batch circuit's.
pub fn prove_batch(request: &BatchRequest, keys: &KeysDir, drop_refused: bool) -> Result<ProvedBatch, ProverError> {
    let slots = batch_keys_slots(keys)?;
    if request.withdrawals.len() > slots {
        return Err(ProverError::BatchTooLarge { items: request.withdrawals.len(), slots });
    }
    prove_checked_batch(request, request.check(slots), keys, drop_refused)
}

/// Proves a batch checked with [`BatchRequest::check`] (for the keys'
/// slots) and verifies the proof.
///
/// # Errors
/// [`ProverError::BatchRefused`] listing every refused item (unless
/// `drop_refused` and at least one item remains);
/// [`ProverError::BatchTooLarge`] for more items than the keys' slots;
/// [`ProverError::Keys`] for keys that are not Groth16 batch keys;
/// [`ProverError::Proving`].
pub fn prove_checked_batch(
    request: &BatchRequest,
    checked: CheckedBatch,
    keys: &KeysDir,
    drop_refused: bool,
) -> Result<ProvedBatch, ProverError> {
    let slots = batch_keys_slots(keys)?;
    let ProverKey::Groth16(proving_key) = &keys.prover else {
        return Err(ProvingError::OtherBackend { prepared: Backend::Groth16Bn254, keys: keys.backend() }.into());
    };
    if request.withdrawals.len() > slots {
        return Err(ProverError::BatchTooLarge { items: request.withdrawals.len(), slots });
    }
    let CheckedBatch { refused, kept, prepared } = checked;
    let Some((witness, statement)) = prepared.filter(|_| refused.is_empty() || drop_refused) else {
        return Err(ProverError::BatchRefused { refused, dropping_allowed: drop_refused });
    };
    let public = witness.public.clone();
    let synthesized = groth16_prover::synthesize(BatchCircuit { witness })?;
    let proof = groth16_proof(keys.manifest.reduction, proving_key, synthesized)?;
    let inputs = public.to_field_elements();
    if !keys.verifying_key.prepared.verify(&proof, &inputs).unwrap_or(false) {
        return Err(ProvingError::DoesNotVerify.into());
    }
    let disclosed = request
        .request
        .policy
        .requires_jurisdiction_disclosure()
        .then_some(request.request.credential.attributes.jurisdiction);
    let bundle = BatchBundle {
        version: BATCH_BUNDLE_V1.into(),
        backend: Backend::Groth16Bn254.id().into(),
        circuit_id: batch_circuit_id(slots),
        verifying_key_hash: keys.verifying_key.hash(),
        created_at: SafeInt(crate::unix_now()),
        withdrawals: kept.iter().map(|&i| request.withdrawals[i].clone()).collect(),
        public: public_values(&statement, public.nullifier, disclosed),
        public_inputs: inputs.iter().map(fr_to_decimal).collect(),
        proof: base64::engine::general_purpose::STANDARD.encode(proof.to_bytes()),
    };
    Ok(ProvedBatch { bundle, dropped: refused })
}
