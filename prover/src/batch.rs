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
use zkcomply_circuits::batch::{batch_circuit_id, BatchInputs, BatchWitness, ItemRefusal, BATCH_SIZES};
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::public_inputs::StatementValues;
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::batch_bundle::{BatchBundle, BATCH_BUNDLE_V1};
use zkcomply_verifier::bundle::{Disclosed, PublicValues};
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::limits::{MAX_CREDENTIAL_BYTES, MAX_POLICY_BYTES};
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::values::{Amount, FieldElement, PointJson, SafeInt};
use zkcomply_verifier::withdrawal::Withdrawal;
use zkcomply_verifier::{parse_json, read_text, FormatError};

use crate::prove::groth16_proof;
use crate::setup::{KeysDir, ProverKey};
use crate::tree_file::{TreeFile, TreeKind};
use crate::witness::ProofRequest;
use crate::{groth16_prover, ProverError, ProvingError};

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

    /// Every item the batch cannot hold, with its index and reason, and the
    /// batch's inputs for the others.
    pub fn check(&self, slots: usize) -> (Vec<RefusedItem>, Vec<usize>) {
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
        let batch = BatchInputs { items: inputs, slots };
        let mut dropped = Vec::new();
        for (k, why) in batch.refusals() {
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
        let kept = candidates.into_iter().filter(|i| !dropped.contains(i)).collect();
        (refused, kept)
    }
}

/// What [`prove_batch`] made: the bundle, and the items it left out.
pub struct ProvedBatch {
    /// The batch bundle, verified against the keys' verifying key.
    pub bundle: BatchBundle,
    /// Items refused and left out (only with `drop_refused`).
    pub dropped: Vec<RefusedItem>,
}

/// Checks every item, then proves the batch with batch keys (loaded with
/// [`KeysDir::load_for`] and [`batch_circuit_id`]) and verifies the proof.
///
/// # Errors
/// [`ProverError::BatchRefused`] listing every refused item (unless
/// `drop_refused` and at least one item remains); [`ProverError::Keys`]
/// for keys that are not Groth16 batch keys; [`ProverError::Proving`].
pub fn prove_batch(request: &BatchRequest, keys: &KeysDir, drop_refused: bool) -> Result<ProvedBatch, ProverError> {
    let slots = zkcomply_circuits::batch::batch_slots_of(&keys.manifest.circuit_id).ok_or_else(|| {
        crate::KeyError::OtherCircuit {
            found: keys.manifest.circuit_id.clone(),
            expected: batch_circuit_id(*BATCH_SIZES.last().expect("batch sizes are listed")),
        }
    })?;
    let ProverKey::Groth16(proving_key) = &keys.prover else {
        return Err(ProvingError::OtherBackend { prepared: Backend::Groth16Bn254, keys: keys.backend() }.into());
    };
    if request.withdrawals.len() > slots {
        return Err(ProverError::BatchTooLarge { items: request.withdrawals.len(), slots });
    }
    let (refused, kept) = request.check(slots);
    if kept.is_empty() || (!refused.is_empty() && !drop_refused) {
        return Err(ProverError::BatchRefused { refused, dropping_allowed: drop_refused });
    }
    let items: Vec<_> =
        kept.iter().map(|&i| request.request.inputs_for(&request.withdrawals[i])).collect::<Result<_, _>>()?;
    let statement = items[0].statement();
    let witness = BatchInputs { items, slots }.build().map_err(ProverError::BatchStatement)?;
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
    let withdrawals = kept.iter().map(|&i| request.withdrawals[i].clone()).collect();
    let bundle = assemble_batch_bundle(
        withdrawals,
        disclosed,
        &statement,
        &public.to_field_elements(),
        public.nullifier,
        &base64::engine::general_purpose::STANDARD.encode(proof.to_bytes()),
        keys,
        slots,
    );
    Ok(ProvedBatch { bundle, dropped: refused })
}

#[allow(clippy::too_many_arguments)]
fn assemble_batch_bundle(
    withdrawals: Vec<Withdrawal>,
    disclosed_jurisdiction: Option<u16>,
    statement: &StatementValues,
    inputs: &[zkcomply_circuits::Fr],
    nullifier: zkcomply_circuits::Fr,
    proof: &str,
    keys: &KeysDir,
    slots: usize,
) -> BatchBundle {
    BatchBundle {
        version: BATCH_BUNDLE_V1.into(),
        backend: Backend::Groth16Bn254.id().into(),
        circuit_id: batch_circuit_id(slots),
        verifying_key_hash: keys.verifying_key.hash(),
        created_at: SafeInt(crate::unix_now()),
        withdrawals,
        public: PublicValues {
            issuer_public_key: PointJson::from_point(&statement.issuer),
            min_tier: statement.min_tier,
            limits: statement.limits.map(Amount),
            identity_sanctions_root: FieldElement(statement.identity_root),
            address_sanctions_root: FieldElement(statement.address_root),
            revocation_root: FieldElement(statement.revocation_root),
            blocked_jurisdictions: statement.blocked_jurisdictions,
            nullifier: FieldElement(nullifier),
            disclosed: Disclosed { jurisdiction: disclosed_jurisdiction },
        },
        public_inputs: inputs.iter().map(fr_to_decimal).collect(),
        proof: proof.into(),
    }
}

/// The witness of a batch whose items all pass (for benchmarks and tests
/// that prove without a bundle).
///
/// # Errors
/// [`ProverError::BatchRefused`] when an item does not pass.
pub fn batch_witness(request: &BatchRequest, slots: usize) -> Result<BatchWitness, ProverError> {
    let (refused, _) = request.check(slots);
    if !refused.is_empty() {
        return Err(ProverError::BatchRefused { refused, dropping_allowed: false });
    }
    let items: Vec<_> = request.withdrawals.iter().map(|w| request.request.inputs_for(w)).collect::<Result<_, _>>()?;
    BatchInputs { items, slots }.build().map_err(ProverError::BatchStatement)
}
