//! The halo2 withdrawal circuit, row by row, on the same cases as the
//! Groth16 circuit (`support/withdrawal_fixture.rs`): the honest witness
//! and the edge cases satisfy it, and a witness forced past any one check
//! fails in regions of exactly that row.
#![cfg(feature = "halo2")]

#[path = "support/withdrawal_fixture.rs"]
mod withdrawal_fixture;

use std::collections::BTreeSet;

use halo2_proofs::dev::MockProver;
use withdrawal_fixture::{row_cases, satisfying_cases, Fixture, RowCase};
use zkcomply_circuits::halo2::withdrawal::{WithdrawalCircuit, K};
use zkcomply_circuits::withdrawal::WithdrawalWitness;

/// The statement rows the circuit's failures are reported in (the label
/// before `": "` in each failing region's name), empty when satisfied.
fn failing_rows(witness: WithdrawalWitness) -> BTreeSet<String> {
    let instance = WithdrawalCircuit::instance(&witness).to_vec();
    let prover = MockProver::run(K, &WithdrawalCircuit::new(witness), vec![instance]).expect("synthesis");
    let Err(failures) = prover.verify() else { return BTreeSet::new() };
    failures
        .iter()
        .map(|failure| {
            let text = failure.to_string();
            // "... in Region 12 ('min_tier: range 8 bits') at offset 3"
            let region = text.split("Region ").nth(1).and_then(|rest| rest.split("('").nth(1)?.split("')").next());
            let row = region.and_then(|name| name.split(": ").next());
            row.unwrap_or_else(|| panic!("a failure outside every labelled region: {text}")).to_owned()
        })
        .collect()
}

/// The rows the halo2 circuit builds so far.
const BUILT_ROWS: &[&str] =
    &["min_tier", "not_expired", "amount_within_limit", "jurisdiction_not_blocked", "disclosed_jurisdiction"];

#[test]
fn satisfying_cases_satisfy() {
    let f = Fixture::new();
    for (name, witness) in satisfying_cases(&f) {
        assert_eq!(failing_rows(witness), BTreeSet::new(), "{name}");
    }
}

#[test]
fn every_row_case_fails_in_its_row_only() {
    let f = Fixture::new();
    for RowCase { name, row, witness } in row_cases(&f) {
        if !BUILT_ROWS.contains(&row) {
            continue;
        }
        let rows = failing_rows(witness);
        assert_eq!(rows, BTreeSet::from([row.to_owned()]), "{name}: expected a failure in {row} only");
    }
}
