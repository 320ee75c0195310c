//! The simulated proofs the audit benchmark uses verify for their own
//! inputs only, and a simulated log audits like a real one: clean as made,
//! with swapped proofs pinpointed at their records.

use std::collections::BTreeSet;

use rand::rngs::OsRng;
use zkcomply_benches::simulated::{simulated_log, TrapdoorKeys};
use zkcomply_benches::BenchFixture;
use zkcomply_circuits::Fr;
use zkcomply_verifier::log::{LogRecord, GENESIS};
use zkcomply_verifier::{audit, Check, Claim, FindingKind, ProofCheck};

#[test]
fn simulated_proofs_verify_for_their_inputs_only_and_audit_like_real_ones() {
    let keys = TrapdoorKeys::generate(&mut OsRng).unwrap();
    let inputs: Vec<Fr> = (1..=6u64).map(Fr::from).collect();
    let proof = keys.simulate(&inputs, &mut OsRng).unwrap();
    let groth16 = keys.verifying_key.prepared.as_groth16().unwrap();
    assert!(groth16.verify(&proof, &inputs).unwrap());
    let mut other = inputs.clone();
    other[1] += Fr::from(1u64);
    assert!(!groth16.verify(&proof, &other).unwrap());

    let fixture = BenchFixture::new();
    let log = simulated_log(&fixture.request(), &keys, 40, 7, 60, &mut OsRng).unwrap();
    let claims: BTreeSet<Claim> = Claim::ALL.into_iter().collect();
    let vk = std::slice::from_ref(&keys.verifying_key);
    let report = audit(&log.text, &log.policy, vk, &claims, ProofCheck::Batch, &mut OsRng, &mut |_, _, _| {});
    assert!(report.clean(), "{}", report.to_text());
    assert_eq!((report.records, report.proofs_verified), (40, 40));

    // Swap the proofs of records 5 and 31 and rebuild the chain.
    let mut records: Vec<LogRecord> = log.text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let single = |r: &mut LogRecord| r.bundle.as_mut().expect("a log of single bundles").proof.clone();
    let (p5, p31) = (single(&mut records[5]), single(&mut records[31]));
    records[5].bundle.as_mut().expect("single").proof = p31;
    records[31].bundle.as_mut().expect("single").proof = p5;
    let mut prev = GENESIS;
    let mut text = String::new();
    for r in records.iter_mut() {
        r.prev_hash = prev;
        r.hash = r.compute_hash();
        prev = r.hash;
        text.push_str(&serde_json::to_string(r).unwrap());
        text.push('\n');
    }
    for mode in [ProofCheck::Batch, ProofCheck::OneByOne] {
        let report = audit(&text, &log.policy, vk, &claims, mode, &mut OsRng, &mut |_, _, _| {});
        let found: Vec<(usize, FindingKind, Option<Check>)> =
            report.findings.iter().map(|f| (f.line, f.kind, f.check)).collect();
        assert_eq!(
            found,
            vec![
                (6, FindingKind::AcceptedButFails, Some(Check::Proof)),
                (32, FindingKind::AcceptedButFails, Some(Check::Proof))
            ],
            "{mode:?}"
        );
    }
}
