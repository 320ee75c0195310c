//! halo2_proofs end to end over this crate's BN254: parameters from
//! `hash_to_curve`, keys, a proof with the Blake2b transcript, and its
//! verification; a wrong public input must fail.
//!
//! The circuit iterates `y -> y^3 + y + 5` from a private start for a given
//! number of steps, one step per row, and exposes the last value as the
//! public input.

mod common;

use std::time::Instant;

use common::SeededRng;
use ff::Field;
use halo2_proofs::circuit::{Layouter, SimpleFloorPlanner, Value};
use halo2_proofs::dev::MockProver;
use halo2_proofs::plonk::{
    create_proof, keygen_pk, keygen_vk, verify_proof, Advice, Circuit, Column, ConstraintSystem, Error, Instance,
    Selector, SingleVerifier,
};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::poly::Rotation;
use halo2_proofs::transcript::{Blake2bRead, Blake2bWrite, Challenge255};
use zkcomply_bn254::{Fr, G1Affine};

/// The step `y -> y^3 + y + 5`.
fn step(y: Fr) -> Fr {
    y.cube() + y + Fr::from(5)
}

/// The result of `steps` steps from `start`.
fn iterate(start: Fr, steps: usize) -> Fr {
    (0..steps).fold(start, |y, _| step(y))
}

#[derive(Clone, Debug)]
struct IterationConfig {
    value: Column<Advice>,
    output: Column<Instance>,
    step: Selector,
}

#[derive(Clone, Debug, Default)]
struct IterationCircuit {
    start: Value<Fr>,
    steps: usize,
}

impl Circuit<Fr> for IterationCircuit {
    type Config = IterationConfig;
    type FloorPlanner = SimpleFloorPlanner;

    fn without_witnesses(&self) -> Self {
        IterationCircuit { start: Value::unknown(), steps: self.steps }
    }

    fn configure(meta: &mut ConstraintSystem<Fr>) -> IterationConfig {
        let value = meta.advice_column();
        let output = meta.instance_column();
        meta.enable_equality(value);
        meta.enable_equality(output);
        let step = meta.selector();
        meta.create_gate("y_next = y^3 + y + 5", |meta| {
            let selector = meta.query_selector(step);
            let current = meta.query_advice(value, Rotation::cur());
            let next = meta.query_advice(value, Rotation::next());
            let five = halo2_proofs::plonk::Expression::Constant(Fr::from(5));
            vec![selector * (next - (current.clone() * current.clone() * current.clone() + current + five))]
        });
        IterationConfig { value, output, step }
    }

    fn synthesize(&self, config: IterationConfig, mut layouter: impl Layouter<Fr>) -> Result<(), Error> {
        let last = layouter.assign_region(
            || "iteration",
            |mut region| {
                let mut current = self.start;
                let mut cell = region.assign_advice(|| "start", config.value, 0, || current)?;
                for row in 0..self.steps {
                    config.step.enable(&mut region, row)?;
                    current = current.map(step);
                    cell = region.assign_advice(|| "step", config.value, row + 1, || current)?;
                }
                Ok(cell)
            },
        )?;
        layouter.constrain_instance(last.cell(), config.output, 0)
    }
}

/// Timings of one run, in milliseconds.
struct Timings {
    params: u128,
    keygen: u128,
    prove: u128,
    verify: u128,
    proof_bytes: usize,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Params::new {} ms, keygen_vk + keygen_pk {} ms, create_proof {} ms, verify_proof {} ms, proof {} bytes",
            self.params, self.keygen, self.prove, self.verify, self.proof_bytes
        )
    }
}

/// Proves `steps` steps at size `2^k`, checks the proof verifies against the
/// right output and fails against a wrong one.
fn prove_and_verify(k: u32, steps: usize) -> Timings {
    let start = Fr::from(7);
    let output = iterate(start, steps);
    let circuit = IterationCircuit { start: Value::known(start), steps };

    let clock = Instant::now();
    let params = Params::<G1Affine>::new(k);
    let params_ms = clock.elapsed().as_millis();

    let clock = Instant::now();
    let vk = keygen_vk(&params, &IterationCircuit { start: Value::unknown(), steps }).expect("keygen_vk");
    let pk = keygen_pk(&params, vk, &circuit).expect("keygen_pk");
    let keygen_ms = clock.elapsed().as_millis();

    let clock = Instant::now();
    let mut transcript = Blake2bWrite::<_, G1Affine, Challenge255<_>>::init(vec![]);
    create_proof(&params, &pk, &[circuit], &[&[&[output]]], SeededRng::new(11), &mut transcript).expect("create_proof");
    let proof = transcript.finalize();
    let prove_ms = clock.elapsed().as_millis();

    let verify = |public: Fr| {
        let mut transcript = Blake2bRead::<_, G1Affine, Challenge255<_>>::init(&proof[..]);
        verify_proof(&params, pk.get_vk(), SingleVerifier::new(&params), &[&[&[public]]], &mut transcript)
    };
    let clock = Instant::now();
    verify(output).expect("the proof verifies against its output");
    let verify_ms = clock.elapsed().as_millis();
    assert!(verify(output + Fr::ONE).is_err(), "a wrong public input must fail");
    assert!(verify(Fr::ZERO).is_err(), "a wrong public input must fail");

    Timings { params: params_ms, keygen: keygen_ms, prove: prove_ms, verify: verify_ms, proof_bytes: proof.len() }
}

#[test]
fn mock_prover_accepts_the_witness_and_rejects_a_wrong_output() {
    let start = Fr::from(7);
    let circuit = IterationCircuit { start: Value::known(start), steps: 20 };
    let output = iterate(start, 20);
    MockProver::run(6, &circuit, vec![vec![output]]).unwrap().assert_satisfied();
    let wrong = MockProver::run(6, &circuit, vec![vec![output + Fr::ONE]]).unwrap();
    assert!(wrong.verify().is_err());
}

#[test]
fn proof_verifies_and_wrong_public_input_fails() {
    let timings = prove_and_verify(6, 40);
    assert!(timings.proof_bytes > 0);
}

/// The k = 14 figures: run with
/// `cargo test --release -p zkcomply-bn254 --test halo2_end_to_end -- --ignored --nocapture`.
#[test]
#[ignore = "seconds in release builds, minutes in debug builds"]
fn proof_at_k14_verifies_and_reports_timings() {
    let k = 14;
    // Every usable row but the blinding rows.
    let steps = (1 << k) - 10;
    let timings = prove_and_verify(k, steps);
    println!("k = {k}, {steps} steps: {timings}");
}
