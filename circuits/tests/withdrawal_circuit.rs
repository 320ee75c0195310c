//! The withdrawal circuit, row by row: an honest witness satisfies it, and
//! a witness forced past any one check leaves exactly that row's named
//! constraints unsatisfied.
#![cfg(feature = "r1cs")]

#[path = "support/withdrawal_fixture.rs"]
mod withdrawal_fixture;

use ark_relations::gr1cs::{ConstraintLayer, ConstraintSynthesizer, ConstraintSystem, TracingMode};
use tracing_subscriber::layer::SubscriberExt;
use withdrawal_fixture::{row_cases, satisfying_cases, Fixture};
use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::{Fr, TREE_DEPTH};

/// Synthesises the circuit; `None` when satisfied, else the name path of
/// the first unsatisfied constraint.
fn first_failure(witness: WithdrawalWitness) -> Option<String> {
    let layer = ConstraintLayer::new(TracingMode::OnlyConstraints);
    let subscriber = tracing_subscriber::Registry::default().with(layer);
    let _guard = tracing::subscriber::set_default(subscriber);
    let cs = ConstraintSystem::<Fr>::new_ref();
    WithdrawalCircuit { witness }.generate_constraints(cs.clone()).unwrap();
    cs.which_is_unsatisfied().unwrap()
}

fn assert_fails_at(case: withdrawal_fixture::RowCase) {
    let (name, row) = (&case.name, case.row);
    match first_failure(case.witness) {
        None => panic!("{name}: witness satisfied the circuit"),
        Some(path) => assert!(path.contains(row), "{name}: expected row {row}, failed at {path}"),
    }
}

#[test]
fn honest_witness_satisfies_and_counts_are_pinned() {
    let f = Fixture::new();
    let w = f.inputs().build().unwrap();
    assert_eq!(first_failure(w.clone()), None);
    let cs = ConstraintSystem::<Fr>::new_ref();
    WithdrawalCircuit { witness: w }.generate_constraints(cs.clone()).unwrap();
    assert_eq!(cs.num_instance_variables(), PUBLIC_INPUT_COUNT + 1);
    // The circuit's shape is pinned in a golden file (see r1cs_golden.rs):
    // the honest witness synthesises the same number of constraints.
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/withdrawal_r1cs.json");
    let pinned: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&golden).unwrap()).unwrap();
    assert_eq!(
        serde_json::json!(cs.num_constraints()),
        pinned["constraints"],
        "constraint count changed; see r1cs_golden.rs for how to regenerate on purpose"
    );
}

#[test]
fn all_zero_witness_is_unsatisfiable() {
    assert!(first_failure(WithdrawalWitness::blank(TREE_DEPTH)).is_some());
}

/// Every forced witness of the shared table fails at its row.
#[test]
fn every_row_case_fails_at_its_row() {
    let f = Fixture::new();
    for case in row_cases(&f) {
        assert_fails_at(case);
    }
}

/// The edge cases that must still satisfy the circuit do.
#[test]
fn satisfying_cases_satisfy() {
    let f = Fixture::new();
    for (name, witness) in satisfying_cases(&f) {
        assert_eq!(first_failure(witness), None, "{name}");
    }
}
