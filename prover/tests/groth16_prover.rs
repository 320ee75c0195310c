//! zkcomply's Groth16 prover (`groth16_prover::prove`) against
//! ark-groth16's: for the same `r` and `s` both must give the same proof,
//! byte for byte, on random circuits and on the withdrawal circuit, with
//! either reduction (libsnark's for `zkcomply setup` keys, circom's for
//! ceremony keys).

mod support {
    pub mod demo_run;
}

use ark_bn254::{Bn254, Fr};
use ark_ff::{AdditiveGroup, Field, UniformRand};
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError, Variable};
use ark_snark::SNARK;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_prover::circom_qap::CircomReduction;
use zkcomply_prover::groth16_prover;
use zkcomply_prover::prove::{prove_prepared, CheckedRequest};
use zkcomply_prover::{ProverError, ProvingError};
use zkcomply_verifier::backend::Backend;

use support::demo_run::demo_run;

/// A random satisfied R1CS: public inputs, then private variables that are
/// zero, one, bits, small or any value (as a real witness mixes them), tied
/// by products, boolean checks and linear combinations.
#[derive(Clone)]
struct RandomCircuit {
    seed: u64,
    inputs: usize,
    steps: usize,
}

impl ConstraintSynthesizer<Fr> for RandomCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let mut rng = ChaCha20Rng::seed_from_u64(self.seed);
        let mut values: Vec<(Variable, Fr)> = Vec::new();
        for _ in 0..self.inputs {
            let value = Fr::rand(&mut rng);
            values.push((cs.new_input_variable(|| Ok(value))?, value));
        }
        for _ in 0..self.steps {
            let pick = |rng: &mut ChaCha20Rng, values: &[(Variable, Fr)]| {
                if values.is_empty() {
                    (Variable::One, Fr::ONE)
                } else {
                    values[rng.gen_range(0..values.len())]
                }
            };
            match rng.gen_range(0..5) {
                // A bit, checked boolean.
                0 => {
                    let value = Fr::from(rng.gen_range(0..2u64));
                    let bit = cs.new_witness_variable(|| Ok(value))?;
                    cs.enforce_r1cs_constraint(
                        || LinearCombination::from(bit),
                        || LinearCombination::from(Variable::One) - bit,
                        LinearCombination::zero,
                    )?;
                    values.push((bit, value));
                }
                // A product of two earlier values.
                1 | 2 => {
                    let (x, xv) = pick(&mut rng, &values);
                    let (y, yv) = pick(&mut rng, &values);
                    let value = xv * yv;
                    let z = cs.new_witness_variable(|| Ok(value))?;
                    cs.enforce_r1cs_constraint(
                        || LinearCombination::from(x),
                        || LinearCombination::from(y),
                        || LinearCombination::from(z),
                    )?;
                    values.push((z, value));
                }
                // A small value times a constant, plus an earlier value.
                3 => {
                    let small = Fr::from(rng.gen_range(0..300u64));
                    let coefficient = Fr::from(rng.gen_range(1..1000u64));
                    let (x, xv) = pick(&mut rng, &values);
                    let s = cs.new_witness_variable(|| Ok(small))?;
                    let value = coefficient * small + xv;
                    let z = cs.new_witness_variable(|| Ok(value))?;
                    cs.enforce_r1cs_constraint(
                        || LinearCombination::from((coefficient, s)) + x,
                        || LinearCombination::from(Variable::One),
                        || LinearCombination::from(z),
                    )?;
                    values.push((s, small));
                    values.push((z, value));
                }
                // A zero, checked by a product with anything.
                _ => {
                    let (x, _) = pick(&mut rng, &values);
                    let zero = cs.new_witness_variable(|| Ok(Fr::ZERO))?;
                    cs.enforce_r1cs_constraint(
                        || LinearCombination::from(zero),
                        || LinearCombination::from(x),
                        LinearCombination::zero,
                    )?;
                    values.push((zero, Fr::ZERO));
                }
            }
        }
        Ok(())
    }
}

fn assert_same_proof<QAP: R1CSToQAP>(
    pk: &ProvingKey<Bn254>,
    circuit: impl ConstraintSynthesizer<Fr> + Clone,
    r: Fr,
    s: Fr,
) {
    let theirs = Groth16::<Bn254, QAP>::create_proof_with_reduction(circuit.clone(), pk, r, s).unwrap();
    let (ours, phases) = groth16_prover::prove::<QAP>(pk, circuit, r, s).unwrap();
    assert_eq!(ours, theirs, "r = {r}, s = {s}");
    assert!(phases.msms > std::time::Duration::ZERO);
}

fn random_circuits<QAP: R1CSToQAP>() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for (seed, inputs, steps) in [(1, 1, 5), (2, 6, 60), (3, 0, 40), (4, 3, 300), (5, 2, 1)] {
        let circuit = RandomCircuit { seed, inputs, steps };
        let (pk, vk) = Groth16::<Bn254, QAP>::circuit_specific_setup(circuit.clone(), &mut rng).unwrap();
        for (r, s) in [(Fr::rand(&mut rng), Fr::rand(&mut rng)), (Fr::ZERO, Fr::rand(&mut rng)), (Fr::ZERO, Fr::ZERO)] {
            assert_same_proof::<QAP>(&pk, circuit.clone(), r, s);
        }
        // And the proof verifies, with the inputs the circuit made.
        let (proof, _) =
            groth16_prover::prove::<QAP>(&pk, circuit.clone(), Fr::rand(&mut rng), Fr::rand(&mut rng)).unwrap();
        let mut input_rng = ChaCha20Rng::seed_from_u64(seed);
        let public: Vec<Fr> = (0..inputs).map(|_| Fr::rand(&mut input_rng)).collect();
        assert!(Groth16::<Bn254, QAP>::verify(&vk, &public, &proof).unwrap(), "seed {seed}");
        if inputs > 0 {
            let mut wrong = public.clone();
            wrong[0] += Fr::ONE;
            assert!(!Groth16::<Bn254, QAP>::verify(&vk, &wrong, &proof).unwrap(), "seed {seed}: wrong input accepted");
        }
    }
}

#[test]
fn random_circuits_give_ark_groth16s_proof_with_the_libsnark_reduction() {
    random_circuits::<LibsnarkReduction>();
}

#[test]
fn random_circuits_give_ark_groth16s_proof_with_the_circom_reduction() {
    random_circuits::<CircomReduction>();
}

#[test]
fn the_withdrawal_circuit_gives_ark_groth16s_proof() {
    let demo = demo_run();
    let witness = demo.request.witness().unwrap();
    let pk = demo.keys.groth16_proving_key().unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let circuit = WithdrawalCircuit { witness: witness.clone() };
    assert_same_proof::<LibsnarkReduction>(pk, circuit.clone(), Fr::rand(&mut rng), Fr::rand(&mut rng));
    // A key made for circom's reduction, as a ceremony's is.
    let (circom_pk, _) = Groth16::<Bn254, CircomReduction>::circuit_specific_setup(circuit.clone(), &mut rng).unwrap();
    assert_same_proof::<CircomReduction>(&circom_pk, circuit, Fr::rand(&mut rng), Fr::rand(&mut rng));
}

/// The CLI's order: check, synthesise while the keys load, then prove.
/// The bundle verifies; a request prepared for halo2 is refused by Groth16
/// keys by name.
#[test]
fn a_request_synthesised_before_the_keys_load_proves_and_names_a_backend_mismatch() {
    let demo = demo_run();
    let prepared = CheckedRequest::new(&demo.request).unwrap().prepare(Backend::Groth16Bn254).unwrap();
    let bundle = prove_prepared(prepared, &demo.keys).unwrap();
    let at = bundle.withdrawal.now.0;
    let verdict = zkcomply_verifier::verify_bundle(&bundle, &demo.request.policy, &demo.keys.verifying_key, at);
    assert!(verdict.accepted, "{}", verdict.to_json());
    let prepared = CheckedRequest::new(&demo.request).unwrap().prepare(Backend::Halo2IpaBn254).unwrap();
    let error = prove_prepared(prepared, &demo.keys).expect_err("prepared for halo2");
    assert!(
        matches!(
            error,
            ProverError::Proving(ProvingError::OtherBackend {
                prepared: Backend::Halo2IpaBn254,
                keys: Backend::Groth16Bn254
            })
        ),
        "{error}"
    );
}

#[test]
fn a_key_for_another_circuit_is_refused_by_name() {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let small = RandomCircuit { seed: 1, inputs: 1, steps: 5 };
    let large = RandomCircuit { seed: 2, inputs: 6, steps: 60 };
    let (pk, _) = Groth16::<Bn254, LibsnarkReduction>::circuit_specific_setup(small, &mut rng).unwrap();
    let error = groth16_prover::prove::<LibsnarkReduction>(&pk, large, Fr::rand(&mut rng), Fr::rand(&mut rng))
        .expect_err("a key for another circuit");
    assert!(matches!(error, ProvingError::KeyShape { query: "a_query", .. }), "{error}");
    assert!(error.to_string().contains("does not fit"), "{error}");
    // An emptied key does not panic either.
    let mut empty = pk.clone();
    empty.a_query.clear();
    let small = RandomCircuit { seed: 1, inputs: 1, steps: 5 };
    let error = groth16_prover::prove::<LibsnarkReduction>(&empty, small, Fr::rand(&mut rng), Fr::rand(&mut rng))
        .expect_err("an empty query");
    assert!(matches!(error, ProvingError::KeyShape { query: "a_query", expected: _, found: 0 }), "{error}");
}
