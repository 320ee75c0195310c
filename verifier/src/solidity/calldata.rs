//! A bundle as calldata for the gate: the one encoding the command line
//! (`zkcomply-verify calldata`) and the WebAssembly package share.

use base64::Engine;
use zkcomply_circuits::Fr;

use zkcomply_circuits::public_inputs::PublicInputs;
use zkcomply_circuits::statement::STATEMENT_FIELD_COUNT;

use super::abi::{Call, APPROVE_STATEMENT, VERIFY_PROOF, WITHDRAW};
use super::words::word;
use crate::backend::groth16::Proof;
use crate::backend::Backend;
use crate::bundle::Bundle;
use crate::FormatError;

/// The gate's arguments for one bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateArguments {
    /// `A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y` (EIP-197 order).
    pub proof: [[u8; 32]; 8],
    /// The fields `context` commits to.
    pub withdrawal: [Fr; 7],
    /// The statement's values in the order `statement_hash` hashes them
    /// (`StatementFields::to_fields`).
    pub statement: [Fr; STATEMENT_FIELD_COUNT],
    /// `nullifier, epoch, now, disclosed jurisdiction`.
    pub signals: [Fr; 4],
    /// `statement_hash`, recomputed from the clear values (not read from the bundle).
    pub statement_hash: Fr,
    /// `str_key(asset)`.
    pub asset_key: Fr,
}

/// The proof's points as the eight words the contracts take.
///
/// # Errors
/// [`FormatError`] when the proof is not base64 of a valid compressed proof.
pub fn proof_words(proof_base64: &str) -> Result<[[u8; 32]; 8], FormatError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(proof_base64.as_bytes())
        .map_err(|e| FormatError::invalid("bundle", "proof", format!("expected standard padded base64: {e}")))?;
    let p = Proof::from_bytes(&bytes).map_err(|e| FormatError::invalid("bundle", "proof", e.to_string()))?;
    Ok(proof_point_words(&p))
}

/// A decoded proof as the eight words the contracts take.
pub fn proof_point_words(p: &Proof) -> [[u8; 32]; 8] {
    [
        word(&p.a.x),
        word(&p.a.y),
        word(&p.b.x.c1),
        word(&p.b.x.c0),
        word(&p.b.y.c1),
        word(&p.b.y.c0),
        word(&p.c.x),
        word(&p.c.y),
    ]
}

/// Encodes a bundle's proof and public values for the gate.
///
/// # Errors
/// [`FormatError`] naming the field that cannot be encoded.
pub fn gate_arguments(bundle: &Bundle) -> Result<GateArguments, FormatError> {
    if bundle.backend != Backend::Groth16Bn254.id() {
        return Err(FormatError::invalid(
            "bundle",
            "backend",
            format!(
                "the gate verifies Groth16 proofs ({}); this bundle is {:?}",
                Backend::Groth16Bn254,
                bundle.backend
            ),
        ));
    }
    let w = &bundle.withdrawal;
    let c = w.context_fields().map_err(|e| FormatError::invalid("bundle", "withdrawal", e.to_string()))?;
    let statement = bundle.public.statement();
    let fields = statement.fields();
    Ok(GateArguments {
        proof: proof_words(&bundle.proof)?,
        withdrawal: [
            c.chain_id,
            c.exchange_key,
            c.withdrawal_key,
            c.source_key,
            c.destination_key,
            c.asset_key,
            c.amount,
        ],
        statement: fields.to_fields(),
        signals: [
            bundle.public.nullifier.0,
            Fr::from(w.epoch.0),
            Fr::from(w.now.0),
            Fr::from(bundle.public.disclosed.jurisdiction.unwrap_or(0)),
        ],
        statement_hash: fields.hash(),
        asset_key: c.asset_key,
    })
}

impl GateArguments {
    /// `withdraw(proof, withdrawal, statement, signals)`.
    pub fn withdraw(&self) -> Call {
        let mut words = self.proof.to_vec();
        words.extend(self.withdrawal.iter().chain(&self.statement).chain(&self.signals).map(word));
        Call { function: WITHDRAW, words }
    }

    /// The proof's Groth16 public inputs, `context` recomputed from the
    /// withdrawal fields as the gate does.
    pub fn public_inputs(&self) -> PublicInputs {
        PublicInputs {
            statement_hash: self.statement_hash,
            context: zkcomply_circuits::poseidon::hash_fixed(self.withdrawal),
            nullifier: self.signals[0],
            epoch: self.signals[1],
            now: self.signals[2],
            disclosed_jurisdiction: self.signals[3],
        }
    }

    /// `verifyProof(proof, inputs)` of the stand-alone verifier contract
    /// (snarkjs's takes the same words under another signature).
    pub fn verify_proof(&self) -> Call {
        let mut words = self.proof.to_vec();
        words.extend(self.public_inputs().to_field_elements().iter().map(word));
        Call { function: VERIFY_PROOF, words }
    }

    /// `approveStatement(statement, assetKey, statementHash)`: what the
    /// gate's owner sends once per statement, asset and policy version.
    pub fn approve_statement(&self) -> Call {
        let mut words: Vec<[u8; 32]> = self.statement.iter().map(word).collect();
        words.push(word(&self.asset_key));
        words.push(word(&self.statement_hash));
        Call { function: APPROVE_STATEMENT, words }
    }
}

/// The gate's `withdrawBatch` arguments for a batch bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchGateArguments {
    /// The proof's eight words.
    pub proof: [[u8; 32]; 8],
    /// `chain_id, str_key(exchange_id), source key, str_key(asset)`.
    pub shared: [Fr; 4],
    /// Per item: `str_key(withdrawal_id), destination key, amount`.
    pub items: Vec<[Fr; 3]>,
    /// As [`GateArguments::statement`].
    pub statement: [Fr; STATEMENT_FIELD_COUNT],
    /// `nullifier, epoch, now, disclosed jurisdiction`.
    pub signals: [Fr; 4],
    /// `statement_hash`, recomputed from the clear values.
    pub statement_hash: Fr,
}

/// Encodes a batch bundle's proof and values for `withdrawBatch`.
///
/// # Errors
/// [`FormatError`] naming the field that cannot be encoded, or a bundle
/// of another backend.
pub fn batch_gate_arguments(bundle: &crate::batch_bundle::BatchBundle) -> Result<BatchGateArguments, FormatError> {
    if bundle.backend != Backend::Groth16Bn254.id() {
        return Err(FormatError::invalid(
            "batch bundle",
            "backend",
            format!("the gate verifies Groth16 proofs; this bundle is {:?}", bundle.backend),
        ));
    }
    let mut items = Vec::with_capacity(bundle.withdrawals.len());
    let mut shared = None;
    for (i, w) in bundle.withdrawals.iter().enumerate() {
        let c = w
            .context_fields()
            .map_err(|e| FormatError::invalid("batch bundle", format!("withdrawals[{i}]"), e.to_string()))?;
        shared.get_or_insert([c.chain_id, c.exchange_key, c.source_key, c.asset_key]);
        items.push([c.withdrawal_key, c.destination_key, c.amount]);
    }
    let shared = shared
        .ok_or_else(|| FormatError::invalid("batch bundle", "withdrawals", "a batch holds 1 to 16 withdrawals"))?;
    let first = &bundle.withdrawals[0];
    let fields = bundle.public.statement().fields();
    Ok(BatchGateArguments {
        proof: proof_words(&bundle.proof)?,
        shared,
        items,
        statement: fields.to_fields(),
        signals: [
            bundle.public.nullifier.0,
            Fr::from(first.epoch.0),
            Fr::from(first.now.0),
            Fr::from(bundle.public.disclosed.jurisdiction.unwrap_or(0)),
        ],
        statement_hash: fields.hash(),
    })
}

impl BatchGateArguments {
    /// `withdrawBatch(proof, shared, items, statement, signals)`: the static
    /// arguments in place, the items' offset among them, then the items'
    /// length and words.
    pub fn withdraw_batch(&self) -> Call {
        // Head: proof 8, shared 4, the items' offset 1, statement 18, signals 4.
        const HEAD_WORDS: u64 = 8 + 4 + 1 + STATEMENT_FIELD_COUNT as u64 + 4;
        let mut words = self.proof.to_vec();
        words.extend(self.shared.iter().map(word));
        words.push(word(&Fr::from(HEAD_WORDS * 32)));
        words.extend(self.statement.iter().chain(&self.signals).map(word));
        words.push(word(&Fr::from(self.items.len() as u64)));
        words.extend(self.items.iter().flatten().map(word));
        Call { function: super::abi::WITHDRAW_BATCH, words }
    }

    /// `approveStatement(statement, assetKey, statementHash)` for the
    /// batch's statement and asset.
    pub fn approve_statement(&self) -> Call {
        let mut words: Vec<[u8; 32]> = self.statement.iter().map(word).collect();
        words.push(word(&self.shared[3]));
        words.push(word(&self.statement_hash));
        Call { function: APPROVE_STATEMENT, words }
    }
}
