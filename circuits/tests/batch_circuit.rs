//! The batch circuit, row by row and slot by slot: honest batches satisfy
//! it; a witness forced past any one check of the holder's rows, or of any
//! one slot's, leaves exactly that row (`slot[i]: row` for a slot's)
//! unsatisfied; and the native twin refuses what the circuit would, each
//! item with its index and reason.
#![cfg(feature = "r1cs")]

#[path = "support/withdrawal_fixture.rs"]
mod withdrawal_fixture;

use ark_ff::{One, Zero};
use ark_relations::gr1cs::{ConstraintLayer, ConstraintSynthesizer, ConstraintSystem, TracingMode};
use num_bigint::BigUint;
use tracing_subscriber::layer::SubscriberExt;
use withdrawal_fixture::{row_cases, satisfying_cases, Fixture};
use zkcomply_circuits::batch::constraints::BatchCircuit;
use zkcomply_circuits::batch::{
    BatchInputs, BatchPublicInputs, BatchViolation, BatchWitness, ItemRefusal, SharedField, SlotWitness,
    SHARED_PUBLIC_INPUTS,
};
use zkcomply_circuits::encoding::{address_key, str_key, ContextFields};
use zkcomply_circuits::field::biguint_to_fr;
use zkcomply_circuits::withdrawal::{StatementViolation, WithdrawalInputs, WithdrawalWitness};
use zkcomply_circuits::{Fr, TREE_DEPTH};

/// Synthesises the circuit; `None` when satisfied, else the name path of
/// the first unsatisfied constraint.
fn first_failure(witness: BatchWitness) -> Option<String> {
    let layer = ConstraintLayer::new(TracingMode::OnlyConstraints);
    let subscriber = tracing_subscriber::Registry::default().with(layer);
    let _guard = tracing::subscriber::set_default(subscriber);
    let cs = ConstraintSystem::<Fr>::new_ref();
    BatchCircuit { witness }.generate_constraints(cs.clone()).unwrap();
    cs.which_is_unsatisfied().unwrap()
}

fn assert_fails_at(name: &str, witness: BatchWitness, row: &str) {
    match first_failure(witness) {
        None => panic!("{name}: witness satisfied the circuit"),
        Some(path) => assert!(path.contains(row), "{name}: expected row {row}, failed at {path}"),
    }
}

/// `n` withdrawals of the fixture's holder, each its own id, destination and amount.
fn items(f: &Fixture, n: usize) -> Vec<WithdrawalInputs<'_>> {
    (0..n)
        .map(|i| {
            let mut inputs = f.inputs();
            inputs.context = ContextFields::encode(
                1,
                "okx-main",
                &format!("w-{i}"),
                withdrawal_fixture::SOURCE,
                &format!("0x{:040x}", 0x1111 + i),
                "ETH",
                1_000 + i as u128,
            )
            .unwrap();
            inputs
        })
        .collect()
}

fn batch(f: &Fixture, n: usize, slots: usize) -> BatchWitness {
    BatchInputs { items: items(f, n), slots }.build().unwrap()
}

/// A batch witness whose holder rows and slot 0 come from a single
/// withdrawal's (possibly forced) witness; the other slots empty.
fn from_single(w: &WithdrawalWitness, slots: usize) -> BatchWitness {
    let mut b = BatchWitness::blank(TREE_DEPTH, slots);
    b.public = BatchPublicInputs {
        statement_hash: w.public.statement_hash,
        nullifier: w.public.nullifier,
        epoch: w.public.epoch,
        now: w.public.now,
        disclosed_jurisdiction: w.public.disclosed_jurisdiction,
        contexts: vec![Fr::zero(); slots],
    };
    b.public.contexts[0] = w.public.context;
    b.statement = w.statement;
    b.credential = w.credential.clone();
    b.chain_id = w.withdrawal.chain_id;
    b.exchange_key = w.withdrawal.exchange_key;
    b.source_key = w.withdrawal.source_key;
    b.asset_key = w.withdrawal.asset_key;
    b.slots[0] = SlotWitness {
        active: Fr::one(),
        withdrawal_key: w.withdrawal.withdrawal_key,
        destination_key: w.withdrawal.destination_key,
        amount: w.withdrawal.amount,
    };
    b.identity_tree = w.identity_tree.clone();
    b.address_tree = w.address_tree.clone();
    b.revocation_tree = w.revocation_tree.clone();
    b
}

fn recompute_context(b: &mut BatchWitness, i: usize) {
    b.public.contexts[i] = b.context_fields(i).context();
}

#[test]
fn honest_batches_satisfy_and_shape() {
    let f = Fixture::new();
    for (n, slots) in [(1, 4), (3, 4), (4, 4)] {
        let w = batch(&f, n, slots);
        assert_eq!(w.public.contexts.len(), slots);
        for (i, c) in w.public.contexts.iter().enumerate() {
            // Each active slot's context is the single withdrawal's formula.
            let expected = if i < n { items(&f, n)[i].context.context() } else { Fr::zero() };
            assert_eq!(*c, expected, "slot {i}");
        }
        assert_eq!(first_failure(w.clone()), None, "{n} of {slots}");
        let cs = ConstraintSystem::<Fr>::new_ref();
        BatchCircuit { witness: w }.generate_constraints(cs.clone()).unwrap();
        assert_eq!(cs.num_instance_variables(), 1 + SHARED_PUBLIC_INPUTS + slots);
    }
    // The nullifier is the single withdrawal's: batches and single proofs
    // of one holder count against one cap.
    let single = f.inputs().build().unwrap();
    assert_eq!(batch(&f, 2, 4).public.nullifier, single.public.nullifier);
}

#[test]
fn blank_witness_is_unsatisfiable() {
    assert!(first_failure(BatchWitness::blank(TREE_DEPTH, 4)).is_some());
}

/// Every forced witness of the single circuit's table fails the batch
/// circuit at the same row: the holder's rows are shared, and slot 0
/// carries the withdrawal's.
#[test]
fn every_single_row_case_fails_the_batch_at_its_row() {
    let f = Fixture::new();
    for case in row_cases(&f) {
        let row = match (case.row, case.name.as_str()) {
            // The limit's range is checked once, before the slots.
            ("amount_within_limit", "limit 2^128") => "tier_limit".to_string(),
            ("amount_within_limit" | "context", _) => format!("slot[0]: {}", case.row),
            (row, _) => row.to_string(),
        };
        assert_fails_at(&case.name, from_single(&case.witness, 4), &row);
    }
}

/// Each slot's rows broken one at a time, in every slot.
#[test]
fn every_slot_row_fails_in_its_slot() {
    let f = Fixture::new();
    let slots = 4;
    let honest = batch(&f, 3, slots);
    let one = Fr::one();
    let two128 = biguint_to_fr(&(BigUint::from(1u8) << 128u32)).unwrap();
    for i in 0..slots {
        let active = i < 3;
        let row = |r: &str| format!("slot[{i}]: {r}");
        type Edit = Box<dyn Fn(&mut BatchWitness)>;
        let mut edits: Vec<(String, String, Edit)> = vec![
            ("public context + 1".into(), row("context"), Box::new(move |w| w.public.contexts[i] += one)),
            ("active = 2".into(), row("active slots first"), Box::new(move |w| w.slots[i].active = Fr::from(2u8))),
        ];
        if active {
            edits.extend::<[(String, String, Edit); 6]>([
                ("withdrawal key + 1".into(), row("context"), Box::new(move |w| w.slots[i].withdrawal_key += one)),
                ("destination + 1".into(), row("context"), Box::new(move |w| w.slots[i].destination_key += one)),
                ("amount + 1".into(), row("context"), Box::new(move |w| w.slots[i].amount += one)),
                (
                    "amount over the tier's limit".into(),
                    row("amount_within_limit"),
                    Box::new(move |w| {
                        w.slots[i].amount = Fr::from(10_001u32);
                        recompute_context(w, i);
                    }),
                ),
                (
                    "amount 2^128".into(),
                    row("amount_within_limit"),
                    Box::new(move |w| {
                        w.slots[i].amount = two128;
                        recompute_context(w, i);
                    }),
                ),
                (
                    "amount r - 1".into(),
                    row("amount_within_limit"),
                    Box::new(move |w| {
                        w.slots[i].amount = -one;
                        recompute_context(w, i);
                    }),
                ),
            ]);
        } else {
            edits.extend::<[(String, String, Edit); 3]>([
                (
                    "empty slot with an amount".into(),
                    row("empty slot has no amount"),
                    Box::new(move |w| w.slots[i].amount = Fr::from(5u8)),
                ),
                (
                    "empty slot with a context".into(),
                    row("context"),
                    Box::new(move |w| w.public.contexts[i] = w.context_fields(i).context()),
                ),
                (
                    // An active slot after an empty one (slot 2 emptied).
                    "active after an empty slot".into(),
                    row("active slots first"),
                    Box::new(move |w| {
                        let j = i - 1;
                        w.slots[j] = SlotWitness::empty();
                        w.public.contexts[j] = Fr::zero();
                        w.slots[i] = SlotWitness { active: one, ..w.slots[0].clone() };
                        w.slots[i].withdrawal_key += one;
                        recompute_context(w, i);
                    }),
                ),
            ]);
        }
        if i == 0 {
            edits.push((
                "no active slot".into(),
                row("active slots first"),
                Box::new(|w| {
                    for s in 0..w.slots.len() {
                        w.slots[s] = SlotWitness::empty();
                        w.public.contexts[s] = Fr::zero();
                    }
                }),
            ));
        }
        for (name, expected, edit) in edits {
            let mut w = honest.clone();
            edit(&mut w);
            assert_fails_at(&format!("slot {i}: {name}"), w, &expected);
        }
    }
    // The shared withdrawal fields are bound through every slot's context.
    let mut w = honest.clone();
    w.chain_id += one;
    assert_fails_at("chain id + 1", w, "slot[0]: context");
    let mut w = honest.clone();
    w.asset_key += one;
    assert_fails_at("asset + 1", w, "slot[0]: context");
    let mut w = honest.clone();
    w.exchange_key += one;
    assert_fails_at("exchange + 1", w, "nullifier");
    let mut w = honest;
    w.source_key = address_key(withdrawal_fixture::SANCTIONED).unwrap();
    assert_fails_at("sanctioned source", w, "address_not_sanctioned");
}

/// Edge cases that satisfy: the single circuit's (a disclosed
/// jurisdiction, the largest amount at an equal limit, a tier above 3) in
/// slot 0, and the largest amount in the last slot of a full batch.
#[test]
fn edge_batches_satisfy() {
    let f = Fixture::new();
    for (name, single) in satisfying_cases(&f) {
        assert_eq!(first_failure(from_single(&single, 4)), None, "{name}");
    }
    let mut w = batch(&f, 4, 4);
    let max = biguint_to_fr(&((BigUint::from(1u8) << 128u32) - 1u8)).unwrap();
    w.statement.limits[2] = max;
    w.public.statement_hash = w.statement.hash();
    w.slots[3].amount = max;
    recompute_context(&mut w, 3);
    assert_eq!(first_failure(w), None);
}

#[test]
fn native_twin_refuses_each_item_with_its_index_and_reason() {
    let f = Fixture::new();
    let build = |items: Vec<WithdrawalInputs<'_>>, slots| BatchInputs { items, slots }.build();

    assert_eq!(build(vec![], 4), Err(BatchViolation::Count { items: 0, slots: 4 }));
    assert_eq!(build(items(&f, 5), 4), Err(BatchViolation::Count { items: 5, slots: 4 }));

    // A duplicated withdrawal_id, an amount over the limit and another
    // source, each refused with its index; the others are fine.
    let mut all = items(&f, 4);
    all[2].context.withdrawal_key = all[0].context.withdrawal_key;
    all[1].context.amount = Fr::from(10_001u32);
    all[3].context.source_key = address_key("0x3333333333333333333333333333333333333333").unwrap();
    let Err(BatchViolation::Refused(refused)) = build(all, 4) else { panic!("refused") };
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(matches!(refused[0], (1, ItemRefusal::Statement(StatementViolation::OverLimit { .. }))));
    assert_eq!(refused[1], (2, ItemRefusal::DuplicateWithdrawalId { first: 0 }));
    assert_eq!(refused[2], (3, ItemRefusal::NotShared(SharedField::Source)));
    let message = BatchViolation::Refused(refused).to_string();
    assert!(message.contains("item 2: its withdrawal_id is item 0's"), "{message}");

    // Every shared field is compared.
    type Edit = Box<dyn Fn(&mut WithdrawalInputs<'_>)>;
    let cases: Vec<(SharedField, Edit)> = vec![
        (SharedField::Exchange, Box::new(|i| i.context.exchange_key = str_key("other").unwrap())),
        (SharedField::Asset, Box::new(|i| i.context.asset_key = str_key("BTC").unwrap())),
        (SharedField::Chain, Box::new(|i| i.context.chain_id = Fr::from(10u8))),
        (SharedField::Epoch, Box::new(|i| i.epoch += 1)),
        (SharedField::Now, Box::new(|i| i.now += 1)),
        (SharedField::Disclosure, Box::new(|i| i.disclose_jurisdiction = true)),
        (SharedField::Statement, Box::new(|i| i.limits[3] += 1)),
        (SharedField::Credential, Box::new(|i| i.secret += Fr::one())),
    ];
    for (field, edit) in cases {
        let mut all = items(&f, 2);
        edit(&mut all[1]);
        if field == SharedField::Credential {
            f.sign(&mut all[1]);
        }
        assert_eq!(build(all, 4), Err(BatchViolation::Refused(vec![(1, ItemRefusal::NotShared(field))])), "{field}");
    }
}

/// The sizes zkcomply ships: the constraint counts, printed for
/// docs/PERFORMANCE.md, and within the domain each needs.
#[test]
fn shipped_sizes_synthesise() {
    let f = Fixture::new();
    for slots in zkcomply_circuits::batch::BATCH_SIZES {
        let w = batch(&f, slots, slots);
        let cs = ConstraintSystem::<Fr>::new_ref();
        BatchCircuit { witness: w }.generate_constraints(cs.clone()).unwrap();
        assert!(cs.is_satisfied().unwrap(), "{slots} slots");
        println!("batch of {slots}: {} constraints", cs.num_constraints());
    }
}
