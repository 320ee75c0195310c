//! Where one Groth16 proof's time goes: key load, witness, then each step
//! of zkcomply's prover (synthesis, matrices, witness map and FFTs, each
//! multi-scalar multiplication), the self-check and writing the bundle;
//! and ark-groth16's `prove` on the same witness for comparison. Medians
//! over RUNS proofs (default 5), on the bench fixture (a demo directory):
//!
//! `cargo run --release -p zkcomply-benches --example prove_phases [RUNS]`

use std::time::{Duration, Instant};

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::r1cs_to_qap::LibsnarkReduction;
use ark_groth16::Groth16;
use ark_snark::SNARK;
use zkcomply_benches::BenchFixture;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_prover::groth16_prover;
use zkcomply_prover::prove::assemble_bundle;
use zkcomply_prover::setup::KeysDir;
use zkcomply_verifier::backend::groth16;

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let runs: usize = std::env::args().nth(1).map_or(5, |n| n.parse().expect("RUNS: a number of proofs"));
    assert!(runs > 0, "RUNS: at least one proof");
    // As `zkcomply prove` does: arkworks' tracing spans off.
    let _ = tracing::subscriber::set_global_default(tracing::subscriber::NoSubscriber::default());
    let fixture = BenchFixture::new();
    let request = fixture.request();
    let mut rows: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut record = |name: &'static str, d: Duration| match rows.iter_mut().find(|(n, _)| *n == name) {
        Some((_, v)) => v.push(d),
        None => rows.push((name, vec![d])),
    };
    let mut rng = rand::rngs::OsRng;
    for _ in 0..runs {
        let start = Instant::now();
        let keys = KeysDir::load(&fixture.keys_dir()).expect("the fixture's keys load");
        record("key load (proving and verifying key)", start.elapsed());
        let clock = Instant::now();
        let witness = request.witness().expect("the fixture's request has a witness");
        record("witness (checks, trees, native values)", clock.elapsed());
        let public = witness.public;
        let pk = keys.groth16_proving_key().expect("the fixture's keys are Groth16 keys");
        let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let clock = Instant::now();
        let (proof, phases) = groth16_prover::prove::<LibsnarkReduction>(pk, WithdrawalCircuit { witness }, r, s)
            .expect("the fixture's witness proves");
        let prove_time = clock.elapsed();
        for (name, d) in phases.steps() {
            record(name, d);
        }
        record("prove, all steps", prove_time);
        let clock = Instant::now();
        let proof = groth16::Proof { a: proof.a, b: proof.b, c: proof.c }.into();
        let inputs = public.to_field_elements();
        assert!(keys.verifying_key.prepared.verify(&proof, &inputs).expect("six inputs"), "the proof verifies");
        record("self-check (verify)", clock.elapsed());
        let clock = Instant::now();
        let statement = request.inputs().expect("inputs").statement();
        let bundle = assemble_bundle(&request.withdrawal, None, &statement, &public, &proof, keys.verifying_key.hash());
        let out = std::env::temp_dir().join(format!("zkcomply-prove-phases-{}.json", std::process::id()));
        std::fs::write(&out, bundle.to_json()).expect("the bundle is written");
        let _ = std::fs::remove_file(&out);
        record("bundle assembled and written", clock.elapsed());
        record("total", start.elapsed());
        let witness = request.witness().expect("witness");
        let clock = Instant::now();
        Groth16::<Bn254>::prove(pk, WithdrawalCircuit { witness }, &mut rng).expect("ark-groth16 proves");
        record("for comparison: ark-groth16 prove (synthesis to proof)", clock.elapsed());
    }
    println!("median of {runs} proofs, {} threads", rayon::current_num_threads());
    for (name, values) in rows {
        println!("{}  {name}", ms(median(values)));
    }
}
