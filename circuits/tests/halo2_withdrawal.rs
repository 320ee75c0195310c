//! The halo2 withdrawal circuit, row by row, on the same cases as the
//! Groth16 circuit (`support/withdrawal_fixture.rs`): the honest witness
//! and the edge cases satisfy it, and a witness forced past any one check
//! fails first, in statement order, at that row, as the Groth16 circuit's
//! first unsatisfied constraint is in that row's namespace. (A value that
//! feeds two rows, such as a root the statement hash and a tree check both
//! read, breaks both; the first is the one the case is about.)
#![cfg(feature = "halo2")]

#[path = "support/withdrawal_fixture.rs"]
mod withdrawal_fixture;

use std::collections::BTreeSet;

use halo2_proofs::dev::MockProver;
use withdrawal_fixture::{row_cases, satisfying_cases, Fixture, RowCase};
use zkcomply_circuits::halo2::withdrawal::{WithdrawalCircuit, K};
use zkcomply_circuits::withdrawal::WithdrawalWitness;

/// The statement's rows in the order both circuits build them.
const ROWS: [&str; 12] = [
    "statement_hash",
    "credential_signature",
    "min_tier",
    "not_expired",
    "amount_within_limit",
    "identity_not_sanctioned",
    "address_not_sanctioned",
    "credential_not_revoked",
    "jurisdiction_not_blocked",
    "disclosed_jurisdiction",
    "nullifier",
    "context",
];

/// The regions that only assign private values: a broken copy constraint
/// is reported at both of its cells, and one of them sits here.
const ASSIGNMENT_REGIONS: [&str; 4] = ["statement", "credential", "withdrawal", "public inputs"];

/// The statement rows the circuit's failures are reported in (the label
/// before `": "` in each failing region's name), empty when satisfied.
fn failing_rows(witness: WithdrawalWitness) -> BTreeSet<String> {
    let instance = WithdrawalCircuit::instance(&witness).to_vec();
    let prover = MockProver::run(K, &WithdrawalCircuit::new(witness), vec![instance]).expect("synthesis");
    let Err(failures) = prover.verify() else { return BTreeSet::new() };
    failures
        .iter()
        .map(ToString::to_string)
        // A public input bound to a wrong value fails at the instance cell
        // (outside every region) and at the cell bound to it, which names
        // the row.
        .filter(|text| !text.contains("column_type: Instance"))
        .map(|text| {
            // "... in Region 12 ('min_tier: range 8 bits') at offset 3"
            let region = text.split("Region ").nth(1).and_then(|rest| rest.split("('").nth(1)?.split("')").next());
            let row = region.and_then(|name| name.split(": ").next());
            row.unwrap_or_else(|| panic!("a failure outside every labelled region: {text}")).to_owned()
        })
        .filter(|row| !ASSIGNMENT_REGIONS.contains(&row.as_str()))
        .inspect(|row| assert!(ROWS.contains(&row.as_str()), "a region labelled with no statement row: {row}"))
        .collect()
}

#[test]
fn satisfying_cases_satisfy() {
    let f = Fixture::new();
    for (name, witness) in satisfying_cases(&f) {
        assert_eq!(failing_rows(witness), BTreeSet::new(), "{name}");
    }
}

#[test]
fn every_row_case_fails_first_at_its_row() {
    let f = Fixture::new();
    let mut wrong = Vec::new();
    for RowCase { name, row, witness } in row_cases(&f) {
        let rows = failing_rows(witness);
        let first = ROWS.iter().find(|r| rows.contains(**r));
        if first != Some(&row) {
            wrong.push(format!("{name}: expected the first failure at {row}, failed at {rows:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
