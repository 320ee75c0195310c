//! `gas-report`: gas of on-chain verification, measured in revm.
//!
//! 1. `verifyProof` of zkcomply's generated verifier beside snarkjs's
//!    (its `verifier_groth16.sol.ejs` template rendered for the same key),
//!    for toy circuits with 1 to 16 public inputs, on the same proof.
//! 2. The ComplianceGate's `withdraw` of a demo bundle (real setup, real
//!    proofs), with a breakdown: pairings, public inputs, hashing, storage,
//!    compiled with the recommended settings.
//! 3. `contextOf` and `withdraw` under each settings block `compile.mjs`
//!    offers (optimizer on, off, via IR), with the largest part's size.
//!
//! ```sh
//! npm ci --prefix benches/evm
//! cargo run --release -p zkcomply-benches --bin gas-report
//! ```

use std::path::Path;

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::Groth16;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_snark::SNARK;
use revm::primitives::Address;
use zkcomply_benches::evm::{
    compile, compile_with, deploy_gate, render_snarkjs_verifier, snarkjs_verify_signature, Chain, Compiled, Outcome,
    SolcSettings,
};
use zkcomply_benches::BenchFixture;
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::{to_verifier_key, KeysDir};
use zkcomply_verifier::bundle::Bundle;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::solidity::abi::{self, Call};
use zkcomply_verifier::solidity::calldata::{gate_arguments, proof_point_words, GateArguments};
use zkcomply_verifier::solidity::context_hash::PART_NAMES;
use zkcomply_verifier::solidity::groth16_verifier::contract_source;
use zkcomply_verifier::solidity::words::word;

const ACCOUNT: Address = Address::new([0x0a; 20]);

/// `n` public inputs, each squared into a witness.
struct Toy {
    inputs: Vec<Fr>,
}

impl ConstraintSynthesizer<Fr> for Toy {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        for x in self.inputs {
            let v = FpVar::new_input(cs.clone(), || Ok(x))?;
            let square = FpVar::new_witness(cs.clone(), || Ok(x * x))?;
            square.enforce_equal(&(&v * &v))?;
        }
        Ok(())
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// (zkcomply, snarkjs) execution gas of `verifyProof` with `n` public inputs.
fn verify_gas(n: usize) -> Result<(u64, u64), String> {
    let mut rng = rand::thread_rng();
    let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
    let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(Toy { inputs: inputs.clone() }, &mut rng)
        .map_err(|e| e.to_string())?;
    let proof = Groth16::<Bn254>::prove(&pk, Toy { inputs: inputs.clone() }, &mut rng).map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("snarkjs");
    std::fs::create_dir_all(&ours).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&theirs).map_err(|e| e.to_string())?;
    let ours_source = format!(
        "// SPDX-License-Identifier: MIT OR Apache-2.0\n{}\n\n{}",
        zkcomply_verifier::solidity::PRAGMA,
        contract_source(&to_verifier_key(&vk), &[0u8; 32])
    );
    write(&ours.join("Groth16Verifier.sol"), &ours_source)?;
    render_snarkjs_verifier(&to_verifier_key(&vk), &theirs)?;
    let mut words =
        proof_point_words(&zkcomply_verifier::backend::groth16::Proof { a: proof.a, b: proof.b, c: proof.c }).to_vec();
    words.extend(inputs.iter().map(word));
    let mut gas = Vec::new();
    for (dir, signature) in
        [(&ours, format!("verifyProof(uint256[8],uint256[{n}])")), (&theirs, snarkjs_verify_signature(n))]
    {
        let compiled = compile(dir)?;
        let mut chain = Chain::new();
        let address = chain
            .deploy(ACCOUNT, &compiled.get("Groth16Verifier")?.bytecode, &[])
            .map_err(|o| format!("deploy: {o:?}"))?;
        let signature: &'static str = Box::leak(signature.into_boxed_str());
        let out = chain.call(ACCOUNT, address, Call { function: signature, words: words.clone() }.encode());
        if !out.success || out.word(0) != Some(word(&Fr::from(1u8))) {
            return Err(format!("{signature} did not accept the proof: {out:?}"));
        }
        gas.push(out.execution_gas);
    }
    Ok((gas[0], gas[1]))
}

/// The gate's calls on a fresh chain: `verifyProof` on the stand-alone
/// verifier, `contextOf`, then the holder's first and second withdrawal of
/// the epoch.
struct GateGas {
    verify: Outcome,
    context_of: Outcome,
    first: Outcome,
    second: Outcome,
}

fn gate_gas(
    compiled: &Compiled,
    policy: &Policy,
    now: u64,
    first: &GateArguments,
    second: &GateArguments,
) -> Result<GateGas, String> {
    let mut chain = Chain::new();
    if compiled.settings == SolcSettings::Unoptimized {
        // Without the optimizer the gate is over EIP-170's 24 KB (docs/ONCHAIN.md).
        chain.allow_large_contracts();
    }
    chain.set_timestamp(now);
    let g = deploy_gate(&mut chain, compiled, ACCOUNT, policy, first)?;
    let verify = chain.call(ACCOUNT, g.verifier, first.verify_proof().encode());
    let context_of = chain.call(
        ACCOUNT,
        g.gate,
        Call { function: abi::CONTEXT_OF, words: first.withdrawal.iter().map(word).collect() }.encode(),
    );
    let w1 = chain.call(ACCOUNT, g.gate, first.withdraw().encode());
    let w2 = chain.call(ACCOUNT, g.gate, second.withdraw().encode());
    if !(verify.success && context_of.success && w1.success && w2.success) {
        return Err(format!(
            "a gate call failed ({} settings): {verify:?} {context_of:?} {w1:?} {w2:?}",
            compiled.settings
        ));
    }
    if context_of.word(0) != Some(word(&first.public_inputs().context)) {
        return Err(format!("contextOf gave another context ({} settings)", compiled.settings));
    }
    Ok(GateGas { verify, context_of, first: w1, second: w2 })
}

/// Execution gas of each context hash part called on its own, part 1 on
/// the withdrawal's fields and each next one on the previous one's output.
fn parts_alone(compiled: &Compiled, args: &GateArguments) -> Result<Vec<u64>, String> {
    let mut chain = Chain::new();
    let mut data: Vec<u8> = args.withdrawal.iter().flat_map(word).collect();
    let mut gas = Vec::new();
    for name in PART_NAMES {
        let part =
            chain.deploy(ACCOUNT, &compiled.get(name)?.bytecode, &[]).map_err(|o| format!("deploy {name}: {o:?}"))?;
        let out = chain.call(ACCOUNT, part, data);
        if !out.success {
            return Err(format!("{name} failed: {out:?}"));
        }
        gas.push(out.execution_gas);
        data = out.output;
    }
    Ok(gas)
}

fn main() -> Result<(), String> {
    println!("## verifyProof, execution gas (revm, Osaka gas schedule)\n");
    println!("| public inputs | zkcomply | snarkjs 0.7.6 template | difference |");
    println!("|---:|---:|---:|---:|");
    for n in [1usize, 2, 4, 6, 8, 16] {
        let (ours, theirs) = verify_gas(n)?;
        println!("| {n} | {ours} | {theirs} | {:+} |", ours as i64 - theirs as i64);
    }

    eprintln!("running the demo (real setup and proofs) for the gate figures ...");
    let fixture = BenchFixture::new();
    let read = |f: &str| std::fs::read_to_string(fixture.path(f)).map_err(|e| e.to_string());
    let bundle = Bundle::from_json(&read("bundle.json")?).map_err(|e| e.to_string())?;
    let policy = Policy::from_json(&read("policy.json")?).map_err(|e| e.to_string())?;
    let vk = zkcomply_verifier::keys::VerifyingKeyFile::from_json(&read("verifying_key.json")?)
        .map_err(|e| e.to_string())?;
    let mut request = fixture.request();
    request.withdrawal.withdrawal_id = "w-2026-000124".into();
    let keys = KeysDir::load(&fixture.keys_dir()).map_err(|e| e.to_string())?;
    let second = prove_bundle(&request, &keys).map_err(|e| e.to_string())?;

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let sources = zkcomply_verifier::solidity::export(&vk).map_err(|e| e.to_string())?;
    zkcomply_verifier::solidity::write_dir(&sources, dir.path()).map_err(|e| e.to_string())?;
    let compiled = compile(dir.path())?;
    let first = gate_arguments(&bundle).map_err(|e| e.to_string())?;
    let then = gate_arguments(&second).map_err(|e| e.to_string())?;
    let now = bundle.withdrawal.now.0;
    let GateGas { verify, context_of: hash, first: w1, second: w2 } = gate_gas(&compiled, &policy, now, &first, &then)?;

    let public = first.public_inputs();
    // snarkjs's verifier for the same key and proof.
    let mut chain = Chain::new();
    let snark_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let groth16 = vk.prepared.as_groth16().ok_or("the verifying key is not a Groth16 key")?;
    render_snarkjs_verifier(&groth16.vk, snark_dir.path())?;
    let snark = compile(snark_dir.path())?;
    let snark_address =
        chain.deploy(ACCOUNT, &snark.get("Groth16Verifier")?.bytecode, &[]).map_err(|o| format!("deploy: {o:?}"))?;
    let signature: &'static str = Box::leak(snarkjs_verify_signature(6).into_boxed_str());
    let snark_verify =
        chain.call(ACCOUNT, snark_address, Call { function: signature, ..first.verify_proof() }.encode());
    if snark_verify.word(0) != Some(word(&Fr::from(1u8))) {
        return Err(format!("snarkjs's verifier refused the demo proof: {snark_verify:?}"));
    }
    let nonzero_inputs = public.to_field_elements().iter().filter(|x| **x != Fr::from(0u8)).count() as u64;
    let pairings = 45_000 + 4 * 34_000;
    let inputs = nonzero_inputs * (6_000 + 150);
    // Two new slots (context used, the nullifier's total: 22,100 each with the
    // cold read) and three cold reads (rules, approval, asset cap).
    let storage_first = 2 * 22_100 + 3 * 2_100;
    let storage_then = 22_100 + 2_100 + 2_900 + 3 * 2_100;
    println!("\n## ComplianceGate.withdraw (demo bundle, {} public inputs, {nonzero_inputs} non-zero)\n", 6);
    println!("| call | execution gas | as a transaction |");
    println!("|---|---:|---:|");
    println!("| verifyProof alone (stand-alone verifier) | {} | {} |", verify.execution_gas, verify.tx_gas);
    println!(
        "| snarkjs's verifyProof, same key and proof | {} | {} |",
        snark_verify.execution_gas, snark_verify.tx_gas
    );
    println!(
        "| contextOf alone (Poseidon of 7: three part calls, the last round in the gate) | {} | {} |",
        hash.execution_gas, hash.tx_gas
    );
    println!("| withdraw, first of the holder's epoch | {} | {} |", w1.execution_gas, w1.tx_gas);
    println!("| withdraw, second of the same epoch | {} | {} |", w2.execution_gas, w2.tx_gas);
    let parts = parts_alone(&compiled, &first)?;
    println!(
        "| the context hash's parts alone, each a transaction on the previous one's output | {} |",
        parts.iter().map(u64::to_string).collect::<Vec<_>>().join(" + ")
    );
    println!("\n| part of the first withdraw | gas |");
    println!("|---|---:|");
    println!("| pairings (ecPairing, 4 pairs) | {pairings} |");
    println!("| public inputs ({nonzero_inputs} ecMul + ecAdd; a zero input is skipped) | {inputs} |");
    println!("| hashing (context, as contextOf measures it) | {} |", hash.execution_gas);
    println!("| storage (2 new slots, 3 cold reads) | {storage_first} |");
    println!(
        "| the rest (calldata checks, approval key, point checks, event, call overhead) | {} |",
        w1.execution_gas as i64 - (pairings + inputs + hash.execution_gas + storage_first) as i64
    );
    println!(
        "\nsecond withdraw of the epoch: storage {storage_then} instead of {storage_first} (the total's slot is updated, not created); measured difference {}",
        w1.execution_gas as i64 - w2.execution_gas as i64
    );
    println!(
        "\ncompiler: solc {} ({} settings: {}, EVM cancun, every file in one compilation unit)",
        compiled.compiler,
        compiled.settings,
        compiled.settings.description()
    );
    println!("context: {}", fr_to_decimal(&public.context));

    println!("\n## contextOf and withdraw by settings block (execution gas)\n");
    println!("| settings | contextOf | withdraw, first of the epoch | withdraw, second | verifyProof | largest part (bytes) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for settings in SolcSettings::ALL {
        let compiled = compile_with(dir.path(), settings)?;
        let gas = gate_gas(&compiled, &policy, now, &first, &then)?;
        let largest = PART_NAMES
            .iter()
            .map(|name| compiled.get(name).map(|c| c.runtime_size))
            .try_fold(0, |m, s| s.map(|s| m.max(s)))?;
        println!(
            "| {settings} ({}) | {} | {} | {} | {} | {largest} |",
            settings.description(),
            gas.context_of.execution_gas,
            gas.first.execution_gas,
            gas.second.execution_gas,
            gas.verify.execution_gas
        );
    }
    Ok(())
}
