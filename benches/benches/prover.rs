//! Criterion benchmarks: setup, proving-key load, witness generation,
//! proving and verification of the withdrawal statement.

use criterion::{criterion_group, criterion_main, Criterion};
use zkcomply_benches::BenchFixture;
use zkcomply_prover::prove::{prove_bundle, prove_witness_unchecked};
use zkcomply_prover::setup::{development_setup, KeysDir};
use zkcomply_verifier::bundle::Bundle;
use zkcomply_verifier::verify_bundle;

fn benches(c: &mut Criterion) {
    let fixture = BenchFixture::new();
    let request = fixture.request();
    let keys = KeysDir::load(&fixture.keys_dir()).expect("keys");
    let bundle =
        Bundle::from_json(&std::fs::read_to_string(fixture.path("bundle.json")).expect("bundle")).expect("bundle");

    let mut slow = c.benchmark_group("slow");
    slow.sample_size(10);
    slow.bench_function("setup (development, single party)", |b| {
        b.iter(|| development_setup(&mut rand::rngs::OsRng).expect("setup"))
    });
    slow.bench_function("proving key load (pinned SHA-256, unchecked points)", |b| {
        b.iter(|| KeysDir::load(&fixture.keys_dir()).expect("keys"))
    });
    slow.bench_function("prove (witness + Groth16)", |b| {
        b.iter(|| prove_witness_unchecked(&keys, request.witness().expect("witness")))
    });
    slow.bench_function("prove bundle (checks, witness, proof, self-verify)", |b| {
        b.iter(|| prove_bundle(&request, &keys).expect("bundle"))
    });
    slow.finish();

    c.bench_function("witness generation (native checks + tree paths)", |b| {
        b.iter(|| request.witness().expect("witness"))
    });
    let proof = zkcomply_verifier::backend::groth16::Proof::from_bytes(
        &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, bundle.proof.as_bytes()).expect("base64"),
    )
    .expect("proof");
    let inputs: Vec<_> =
        bundle.public_inputs.iter().map(|s| zkcomply_circuits::field::parse_fr(s).expect("input")).collect();
    let groth16 = keys.verifying_key.prepared.as_groth16().expect("a Groth16 key");
    c.bench_function("Groth16 verify only (prepared key, 6 inputs)", |b| {
        b.iter(|| groth16.verify(&proof, &inputs).expect("verify"))
    });
    // 64 distinct valid proofs (re-randomisations), one by one against batched.
    let pvk_ark = ark_groth16::prepare_verifying_key(&keys.groth16_proving_key().expect("Groth16 keys").vk);
    let ark_proof = ark_groth16::Proof { a: proof.a, b: proof.b, c: proof.c };
    let batch: Vec<(zkcomply_verifier::backend::groth16::Proof, Vec<_>)> = (0..64)
        .map(|_| {
            let p = ark_groth16::Groth16::<ark_bn254::Bn254>::rerandomize_proof(
                &pvk_ark.vk,
                &ark_proof,
                &mut rand::rngs::OsRng,
            );
            (zkcomply_verifier::backend::groth16::Proof { a: p.a, b: p.b, c: p.c }, inputs.clone())
        })
        .collect();
    let mut many = c.benchmark_group("64 proofs");
    many.sample_size(10);
    many.bench_function("one by one", |b| b.iter(|| batch.iter().all(|(p, i)| groth16.verify(p, i).expect("verify"))));
    many.bench_function("batched (random linear combination)", |b| {
        b.iter(|| groth16.verify_batch(&batch, &mut rand::rngs::OsRng).expect("batch"))
    });
    many.finish();
    c.bench_function("verify bundle (policy checks + Groth16)", |b| {
        b.iter(|| verify_bundle(&bundle, &request.policy, &keys.verifying_key, bundle.withdrawal.now.0))
    });
}

criterion_group!(prover, benches);
criterion_main!(prover);
