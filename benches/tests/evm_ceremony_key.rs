//! The on-chain gate with a ceremony key: keys made with snarkjs's
//! reduction (`CircomReduction`, as every ceremony key) and written by
//! `write_ceremony_keys` give bundles that the generated ComplianceGate
//! accepts, unchanged, and snarkjs's own Solidity verifier too; an edited
//! public value still fails.
//!
//! Needs Node.js and `npm ci --prefix benches/evm` (scripts/test.sh does both).

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use revm::primitives::Address;
use zkcomply_benches::evm::{compile, deploy_gate, render_snarkjs_verifier, snarkjs_verify_signature, Chain};
use zkcomply_benches::BenchFixture;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::{Fr, TREE_DEPTH};
use zkcomply_prover::circom_qap::CircomReduction;
use zkcomply_prover::finalize::write_ceremony_keys;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::reduction::Reduction;
use zkcomply_prover::setup::KeysDir;
use zkcomply_verifier::provenance::{CeremonyRecord, ContributionKind, ContributionRecord};
use zkcomply_verifier::solidity::abi::Call;
use zkcomply_verifier::solidity::calldata::gate_arguments;
use zkcomply_verifier::solidity::words::{word, word_bool};
use zkcomply_verifier::solidity::{export, write_dir};
use zkcomply_verifier::values::HexDigest512;
use zkcomply_verifier::verify_bundle;

const OWNER: Address = Address::new([0x0a; 20]);
const EXCHANGE: Address = Address::new([0x0b; 20]);

#[test]
fn a_ceremony_key_bundle_passes_the_gate_and_snarkjs_verifier() {
    let fixture = BenchFixture::new();
    let circuit = WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) };
    let pk =
        Groth16::<Bn254, CircomReduction>::generate_random_parameters_with_reduction(circuit, &mut rand::rngs::OsRng)
            .unwrap();
    let record = CeremonyRecord {
        transcript_hash: HexDigest512([0x42; 64]),
        contributions: vec![ContributionRecord {
            name: None,
            hash: HexDigest512([3; 64]),
            kind: ContributionKind::Secret,
        }],
    };
    let dir = tempfile::tempdir().unwrap();
    write_ceremony_keys(dir.path(), &pk, record.clone()).unwrap();
    let keys = KeysDir::load(dir.path()).unwrap();
    assert_eq!(keys.manifest.reduction, Reduction::Circom);
    let bundle = prove_bundle(&fixture.request(), &keys).unwrap();

    // The exchange's policy for the ceremony key, pinning its ceremony.
    let mut policy = fixture.request().policy;
    policy.verifying_key_hash = Some(keys.verifying_key.hash());
    policy.accept_development_keys = Some(false);
    policy.ceremony_transcripts = Some(vec![record.transcript_hash]);
    let verdict = verify_bundle(&bundle, &policy, &keys.verifying_key, bundle.withdrawal.now.0);
    assert!(verdict.accepted, "{verdict:?}");

    // The gate, exported for the ceremony key as for any other.
    let sol = tempfile::tempdir().unwrap();
    write_dir(&export(&keys.verifying_key).unwrap(), sol.path()).unwrap();
    let compiled = compile(sol.path()).unwrap_or_else(|e| panic!("{e}"));
    let mut chain = Chain::new();
    chain.set_timestamp(bundle.withdrawal.now.0);
    let args = gate_arguments(&bundle).unwrap();
    let gate = deploy_gate(&mut chain, &compiled, OWNER, &policy, &args).unwrap_or_else(|e| panic!("{e}"));
    let verify = chain.call(EXCHANGE, gate.verifier, args.verify_proof().encode());
    assert_eq!(verify.word(0).unwrap(), word_bool(true), "{verify:?}");
    let out = chain.call(EXCHANGE, gate.gate, args.withdraw().encode());
    assert!(out.success, "withdraw reverted: 0x{}", hex::encode(&out.output));
    assert_eq!(out.word(0).unwrap(), word(&args.public_inputs().context));

    // snarkjs's Solidity verifier for the same key accepts the proof, and
    // refuses it for another context.
    let snark_dir = tempfile::tempdir().unwrap();
    render_snarkjs_verifier(&keys.verifying_key.prepared.as_groth16().unwrap().vk, snark_dir.path()).unwrap();
    let snark = compile(snark_dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let verifier = chain.deploy(OWNER, &snark.get("Groth16Verifier").unwrap().bytecode, &[]).unwrap();
    let signature: &'static str = Box::leak(snarkjs_verify_signature(6).into_boxed_str());
    let call = Call { function: signature, ..args.verify_proof() };
    let out = chain.call(EXCHANGE, verifier, call.encode());
    assert_eq!(out.word(0).unwrap(), word_bool(true), "{out:?}");
    let mut other = call;
    other.words[9] = word(&(args.public_inputs().context + Fr::from(1u8)));
    assert_eq!(chain.call(EXCHANGE, verifier, other.encode()).word(0).unwrap(), word_bool(false));
}
