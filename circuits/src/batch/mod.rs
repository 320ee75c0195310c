//! The batch statement: one holder, one credential, one source address,
//! chain, exchange, asset and epoch, and up to `slots` withdrawals, each
//! with its own `withdrawal_id`, destination, amount and `context` (the same
//! formula as a single withdrawal's). Its witness, its public inputs and
//! (with the `r1cs` feature) its Groth16 circuit.
//!
//! What is proved about the holder is proved once: the credential's
//! signature, tier and expiry, the three non-membership proofs, the
//! blocked jurisdictions, the disclosure and the nullifier, in the same
//! rows as the single circuit (`docs/STATEMENT.md`). Each slot adds its
//! own rows: a boolean `active` flag, active slots first, an empty slot
//! with no amount, the amount within the tier's limit, and its public
//! `context` (0 for an empty slot).
//!
//! The native twin below is the specification: [`BatchInputs::build`]
//! checks every row for every item (through
//! [`WithdrawalInputs::build`]) and that the items share one holder, then
//! builds the witness.

use ark_ff::{One, Zero};

use crate::encoding::ContextFields;
use crate::statement::{StatementFields, STATEMENT_FIELD_COUNT};
use crate::withdrawal::{CredentialWitness, StatementViolation, TreeWitness, WithdrawalInputs, WithdrawalWitness};
use crate::Fr;

#[cfg(feature = "r1cs")]
pub mod constraints;

/// The batch sizes zkcomply builds circuits and keys for.
pub const BATCH_SIZES: [usize; 2] = [4, 16];

/// The largest batch.
pub const MAX_BATCH_SLOTS: usize = 16;

/// Public inputs before the slots' contexts: `statement_hash, nullifier,
/// epoch, now, disclosed_jurisdiction`.
pub const SHARED_PUBLIC_INPUTS: usize = 5;

/// The circuit id of the batch circuit with `slots` slots (tree depth 20).
pub fn batch_circuit_id(slots: usize) -> String {
    format!("zkcomply/batch-withdrawal/v1/depth-{}/slots-{slots}", crate::TREE_DEPTH)
}

/// The number of slots of a batch circuit id, if `circuit_id` names one
/// of [`BATCH_SIZES`].
pub fn batch_slots_of(circuit_id: &str) -> Option<usize> {
    BATCH_SIZES.into_iter().find(|&n| batch_circuit_id(n) == circuit_id)
}

/// The Groth16 public inputs of a batch proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchPublicInputs {
    /// Commitment to the statement's values (the same as a single proof's).
    pub statement_hash: Fr,
    /// Per holder, exchange and epoch: one for the whole batch.
    pub nullifier: Fr,
    /// `floor(now / epoch_seconds)`.
    pub epoch: Fr,
    /// The time the credential must be valid at.
    pub now: Fr,
    /// The jurisdiction, or 0 when not disclosed.
    pub disclosed_jurisdiction: Fr,
    /// One per slot: the item's `context`, or 0 for an empty slot.
    pub contexts: Vec<Fr>,
}

impl BatchPublicInputs {
    /// The public inputs in circuit order: `statement_hash, nullifier,
    /// epoch, now, disclosed_jurisdiction, context[0], ..,
    /// context[slots - 1]`. The only place that order is written down.
    pub fn to_field_elements(&self) -> Vec<Fr> {
        let mut v = vec![self.statement_hash, self.nullifier, self.epoch, self.now, self.disclosed_jurisdiction];
        v.extend_from_slice(&self.contexts);
        v
    }

    /// The inverse of [`BatchPublicInputs::to_field_elements`]; `None`
    /// unless at least one slot follows the shared inputs.
    pub fn from_field_elements(values: &[Fr]) -> Option<Self> {
        match values {
            [statement_hash, nullifier, epoch, now, disclosed_jurisdiction, contexts @ ..] if !contexts.is_empty() => {
                Some(Self {
                    statement_hash: *statement_hash,
                    nullifier: *nullifier,
                    epoch: *epoch,
                    now: *now,
                    disclosed_jurisdiction: *disclosed_jurisdiction,
                    contexts: contexts.to_vec(),
                })
            }
            _ => None,
        }
    }
}

/// One slot of the batch witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotWitness {
    /// 1 for a withdrawal, 0 for an empty slot (a field element so tests
    /// can force other values; the circuit requires a bit).
    pub active: Fr,
    /// `str_key(withdrawal_id)`.
    pub withdrawal_key: Fr,
    /// The destination address key.
    pub destination_key: Fr,
    /// The amount (below 2^128; 0 in an empty slot).
    pub amount: Fr,
}

impl SlotWitness {
    /// An empty slot: all zeros.
    pub fn empty() -> Self {
        Self { active: Fr::zero(), withdrawal_key: Fr::zero(), destination_key: Fr::zero(), amount: Fr::zero() }
    }
}

/// Everything the batch circuit needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchWitness {
    /// The Groth16 public inputs.
    pub public: BatchPublicInputs,
    /// The values `statement_hash` commits to.
    pub statement: StatementFields,
    /// The credential.
    pub credential: CredentialWitness,
    /// The chain id every item is on.
    pub chain_id: Fr,
    /// `str_key(exchange_id)`, shared.
    pub exchange_key: Fr,
    /// The source address key, shared.
    pub source_key: Fr,
    /// `str_key(asset)`, shared.
    pub asset_key: Fr,
    /// The slots, active ones first.
    pub slots: Vec<SlotWitness>,
    /// Non-membership of `identity_hash` in the identity sanctions tree.
    pub identity_tree: TreeWitness,
    /// Non-membership of the source address key in the address tree.
    pub address_tree: TreeWitness,
    /// Non-membership of `nonce` in the revocation tree.
    pub revocation_tree: TreeWitness,
}

impl BatchWitness {
    /// A witness of the right shape with all-zero values: enough to build
    /// the circuit's keys, never satisfiable.
    pub fn blank(depth: usize, slots: usize) -> Self {
        let single = WithdrawalWitness::blank(depth);
        let z = Fr::zero();
        Self {
            public: BatchPublicInputs {
                statement_hash: z,
                nullifier: z,
                epoch: z,
                now: z,
                disclosed_jurisdiction: z,
                contexts: vec![z; slots],
            },
            statement: StatementFields::from_fields([z; STATEMENT_FIELD_COUNT]),
            credential: single.credential,
            chain_id: z,
            exchange_key: z,
            source_key: z,
            asset_key: z,
            slots: vec![SlotWitness::empty(); slots],
            identity_tree: single.identity_tree,
            address_tree: single.address_tree,
            revocation_tree: single.revocation_tree,
        }
    }

    /// The fields of slot `i`'s `context` (an empty slot's are all but
    /// unused).
    pub fn context_fields(&self, i: usize) -> ContextFields {
        let s = &self.slots[i];
        ContextFields {
            chain_id: self.chain_id,
            exchange_key: self.exchange_key,
            withdrawal_key: s.withdrawal_key,
            source_key: self.source_key,
            destination_key: s.destination_key,
            asset_key: self.asset_key,
            amount: s.amount,
        }
    }
}

/// What differs between a batch's items that must be the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedField {
    /// The credential and its holder secret.
    Credential,
    /// The statement: issuer, minimum tier, limits, roots, blocked list.
    Statement,
    /// The epoch.
    Epoch,
    /// The time the credential must be valid at.
    Now,
    /// Whether the jurisdiction is disclosed.
    Disclosure,
    /// The chain id.
    Chain,
    /// The exchange.
    Exchange,
    /// The source address.
    Source,
    /// The asset.
    Asset,
}

impl std::fmt::Display for SharedField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Credential => "credential",
            Self::Statement => "statement (issuer, tier, limits, roots, blocked jurisdictions)",
            Self::Epoch => "epoch",
            Self::Now => "time",
            Self::Disclosure => "jurisdiction disclosure",
            Self::Chain => "chain",
            Self::Exchange => "exchange",
            Self::Source => "source address",
            Self::Asset => "asset",
        })
    }
}

/// Why one item of a batch cannot be proved in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemRefusal {
    /// A row of the statement is false for this item.
    #[error(transparent)]
    Statement(#[from] StatementViolation),
    /// The item differs from the batch's first item where a batch has one value.
    #[error("its {0} differs from the batch's first item's: a batch has one {0}")]
    NotShared(SharedField),
    /// The item's `withdrawal_id` is an earlier item's.
    #[error("its withdrawal_id is item {first}'s: every item of a batch has its own")]
    DuplicateWithdrawalId {
        /// The earlier item.
        first: usize,
    },
}

/// Why a batch cannot be proved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchViolation {
    /// No items, or more than the circuit's slots.
    #[error("a batch of {slots} slots holds 1 to {slots} withdrawals, not {items}")]
    Count {
        /// The items given.
        items: usize,
        /// The circuit's slots.
        slots: usize,
    },
    /// Items that cannot be proved, each with its index and reason.
    #[error("{}", describe_refusals(.0))]
    Refused(Vec<(usize, ItemRefusal)>),
}

fn describe_refusals(refused: &[(usize, ItemRefusal)]) -> String {
    let parts: Vec<String> = refused.iter().map(|(i, why)| format!("item {i}: {why}")).collect();
    format!("{} item(s) refused: {}", refused.len(), parts.join("; "))
}

/// A batch's items: one [`WithdrawalInputs`] per withdrawal, the same
/// holder and credential in each.
#[derive(Debug, Clone)]
pub struct BatchInputs<'a> {
    /// The withdrawals, in slot order.
    pub items: Vec<WithdrawalInputs<'a>>,
    /// The circuit's slots (one of [`BATCH_SIZES`], or any size for tests).
    pub slots: usize,
}

/// Which of the fields a batch shares differ between two single witnesses.
fn first_difference(a: &WithdrawalWitness, b: &WithdrawalWitness) -> Option<SharedField> {
    let (wa, wb) = (&a.withdrawal, &b.withdrawal);
    [
        (a.credential != b.credential, SharedField::Credential),
        (a.statement != b.statement, SharedField::Statement),
        (a.public.epoch != b.public.epoch, SharedField::Epoch),
        (a.public.now != b.public.now, SharedField::Now),
        (a.public.disclosed_jurisdiction != b.public.disclosed_jurisdiction, SharedField::Disclosure),
        (wa.chain_id != wb.chain_id, SharedField::Chain),
        (wa.exchange_key != wb.exchange_key, SharedField::Exchange),
        (wa.source_key != wb.source_key, SharedField::Source),
        (wa.asset_key != wb.asset_key, SharedField::Asset),
    ]
    .into_iter()
    .find_map(|(differs, field)| differs.then_some(field))
}

impl BatchInputs<'_> {
    /// Every item that cannot be proved in this batch, with its index and
    /// reason: a false statement row, a value that differs from the first
    /// item's where the batch has one, or a repeated `withdrawal_id`.
    /// Empty when every item can be proved.
    pub fn refusals(&self) -> Vec<(usize, ItemRefusal)> {
        self.checked().1
    }

    fn checked(&self) -> (Vec<WithdrawalWitness>, Vec<(usize, ItemRefusal)>) {
        let mut built = Vec::with_capacity(self.items.len());
        let mut refused = Vec::new();
        let mut reference: Option<WithdrawalWitness> = None;
        for (i, item) in self.items.iter().enumerate() {
            let w = match item.build() {
                Ok(w) => w,
                Err(e) => {
                    refused.push((i, ItemRefusal::Statement(e)));
                    continue;
                }
            };
            if let Some(field) = reference.as_ref().and_then(|r| first_difference(r, &w)) {
                refused.push((i, ItemRefusal::NotShared(field)));
                continue;
            }
            let key = w.withdrawal.withdrawal_key;
            if let Some(first) = self.items[..i].iter().position(|earlier| earlier.context.withdrawal_key == key) {
                refused.push((i, ItemRefusal::DuplicateWithdrawalId { first }));
                continue;
            }
            reference.get_or_insert_with(|| w.clone());
            built.push(w);
        }
        (built, refused)
    }

    /// Checks every row for every item natively and builds the witness:
    /// the items in the first slots, the rest empty.
    ///
    /// # Errors
    /// [`BatchViolation::Count`] for no items or more than `slots`;
    /// [`BatchViolation::Refused`] listing every item that cannot be
    /// proved.
    pub fn build(&self) -> Result<BatchWitness, BatchViolation> {
        let (witness, refused) = self.build_passing()?;
        if !refused.is_empty() {
            return Err(BatchViolation::Refused(refused));
        }
        Ok(witness)
    }

    /// Checks every item once, as [`BatchInputs::build`] does, and builds
    /// the witness of the items that pass (in their order); returns it with
    /// the refused items, each with its index and reason (a batch proved
    /// without them, as `zkcomply prove-batch --drop-refused` does).
    ///
    /// # Errors
    /// [`BatchViolation::Count`] for no items or more than `slots`;
    /// [`BatchViolation::Refused`] when every item is refused.
    pub fn build_passing(&self) -> Result<(BatchWitness, Vec<(usize, ItemRefusal)>), BatchViolation> {
        if self.items.is_empty() || self.items.len() > self.slots {
            return Err(BatchViolation::Count { items: self.items.len(), slots: self.slots });
        }
        let (built, refused) = self.checked();
        // Every item refused: nothing to build.
        let Some(first) = built.first() else { return Err(BatchViolation::Refused(refused)) };
        let mut slots: Vec<SlotWitness> = built
            .iter()
            .map(|w| SlotWitness {
                active: Fr::one(),
                withdrawal_key: w.withdrawal.withdrawal_key,
                destination_key: w.withdrawal.destination_key,
                amount: w.withdrawal.amount,
            })
            .collect();
        let mut contexts: Vec<Fr> = built.iter().map(|w| w.public.context).collect();
        slots.resize(self.slots, SlotWitness::empty());
        contexts.resize(self.slots, Fr::zero());
        let witness = BatchWitness {
            public: BatchPublicInputs {
                statement_hash: first.public.statement_hash,
                nullifier: first.public.nullifier,
                epoch: first.public.epoch,
                now: first.public.now,
                disclosed_jurisdiction: first.public.disclosed_jurisdiction,
                contexts,
            },
            statement: first.statement,
            credential: first.credential.clone(),
            chain_id: first.withdrawal.chain_id,
            exchange_key: first.withdrawal.exchange_key,
            source_key: first.withdrawal.source_key,
            asset_key: first.withdrawal.asset_key,
            slots,
            identity_tree: first.identity_tree.clone(),
            address_tree: first.address_tree.clone(),
            revocation_tree: first.revocation_tree.clone(),
        };
        Ok((witness, refused))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_inputs_round_trip_and_ids() {
        let p = BatchPublicInputs {
            statement_hash: Fr::from(1u8),
            nullifier: Fr::from(2u8),
            epoch: Fr::from(3u8),
            now: Fr::from(4u8),
            disclosed_jurisdiction: Fr::from(5u8),
            contexts: vec![Fr::from(6u8), Fr::from(0u8)],
        };
        let v = p.to_field_elements();
        assert_eq!(v.len(), SHARED_PUBLIC_INPUTS + 2);
        assert_eq!(BatchPublicInputs::from_field_elements(&v), Some(p));
        assert_eq!(BatchPublicInputs::from_field_elements(&v[..SHARED_PUBLIC_INPUTS]), None);
        assert_eq!(batch_slots_of(&batch_circuit_id(16)), Some(16));
        assert_eq!(batch_slots_of(&batch_circuit_id(4)), Some(4));
        assert_eq!(batch_slots_of(&batch_circuit_id(5)), None);
        assert_eq!(batch_slots_of(crate::CIRCUIT_ID), None);
    }
}
