//! The withdrawal circuit's R1CS pinned in a golden file: a digest of the
//! A, B and C matrices as the Groth16 setup sees them, the constraint
//! count and the input layout (the public inputs in order, the number of
//! witness variables, the order of the statement's field elements), under
//! the circuit id. Keys depend on every
//! one of these, so a change to any of them must come with a new
//! [`CIRCUIT_ID`]: keys made for the old circuit would otherwise be loaded
//! for the new one and every proof would fail to verify.
//!
//! Regenerate on purpose with `ZKCOMPLY_UPDATE_GOLDEN=1`; a regeneration
//! that changes the R1CS under an unchanged `CIRCUIT_ID` is refused.
#![cfg(feature = "r1cs")]

use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, Matrix, OptimizationGoal, SynthesisMode,
    R1CS_PREDICATE_LABEL,
};
use ark_serialize::CanonicalSerialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use zkcomply_circuits::public_inputs::{PublicInputs, PUBLIC_INPUT_COUNT};
use zkcomply_circuits::statement::StatementFields;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::{Fr, CIRCUIT_ID, TREE_DEPTH};

mod support;

const GOLDEN: &str = "withdrawal_r1cs.json";

/// The constraint system exactly as `Groth16::circuit_specific_setup`
/// builds it: constraints as the optimisation goal, setup mode, the blank
/// witness, then finalised (symbolic linear combinations inlined).
fn setup_constraint_system() -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) }
        .generate_constraints(cs.clone())
        .expect("the blank witness synthesises");
    cs.finalize();
    cs
}

/// SHA-256 of one matrix: its row count, then each row as its term count
/// and `(column, coefficient)` pairs (column as 8 little-endian bytes,
/// coefficient in its 32-byte canonical little-endian form).
fn matrix_digest(matrix: &Matrix<Fr>) -> String {
    let mut h = Sha256::new();
    h.update((matrix.len() as u64).to_le_bytes());
    for row in matrix {
        h.update((row.len() as u64).to_le_bytes());
        for (coefficient, column) in row {
            h.update((*column as u64).to_le_bytes());
            let mut bytes = Vec::with_capacity(32);
            coefficient.serialize_compressed(&mut bytes).expect("a field element serialises");
            h.update(&bytes);
        }
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The public inputs' names in the order `PublicInputs::to_field_elements`
/// packs them, found by packing distinct values (so the order is read from
/// the one packing function, not written here again).
fn public_input_names() -> Vec<&'static str> {
    let probe = PublicInputs {
        statement_hash: Fr::from(1u8),
        context: Fr::from(2u8),
        nullifier: Fr::from(3u8),
        epoch: Fr::from(4u8),
        now: Fr::from(5u8),
        disclosed_jurisdiction: Fr::from(6u8),
    };
    let named = [
        ("statement_hash", probe.statement_hash),
        ("context", probe.context),
        ("nullifier", probe.nullifier),
        ("epoch", probe.epoch),
        ("now", probe.now),
        ("disclosed_jurisdiction", probe.disclosed_jurisdiction),
    ];
    probe
        .to_field_elements()
        .iter()
        .map(|v| named.iter().find(|(_, x)| x == v).map(|(name, _)| *name).expect("every packed value is named"))
        .collect()
}

/// What the keys depend on, as the golden file records it.
fn circuit_shape() -> Value {
    let cs = setup_constraint_system();
    let matrices = cs.to_matrices().expect("matrices are built in setup mode");
    assert_eq!(matrices.len(), 1, "the circuit uses the R1CS predicate only");
    let r1cs = &matrices[R1CS_PREDICATE_LABEL];
    let [a, b, c] = &r1cs[..] else { panic!("R1CS has three matrices, found {}", r1cs.len()) };
    json!({
        "circuit_id": CIRCUIT_ID,
        "constraints": cs.num_constraints(),
        "instance_variables": cs.num_instance_variables(),
        "public_inputs": public_input_names(),
        "statement_fields": StatementFields::NAMES.to_fields(),
        "witness_variables": cs.num_witness_variables(),
        "matrices_sha256": { "a": matrix_digest(a), "b": matrix_digest(b), "c": matrix_digest(c) },
    })
}

#[test]
fn r1cs_matrices_and_input_layout_are_pinned() {
    let shape = circuit_shape();
    // The constant one, then the public inputs.
    assert_eq!(shape["instance_variables"], json!(1 + PUBLIC_INPUT_COUNT));
    support::golden::check_tied_to_circuit_id(
        GOLDEN,
        &shape,
        &[
            "matrices_sha256",
            "constraints",
            "instance_variables",
            "public_inputs",
            "statement_fields",
            "witness_variables",
        ],
    );
}
