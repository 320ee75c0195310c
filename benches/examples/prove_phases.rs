//! Times the phases of one proof (synthesis, witness map, MSMs) to see
//! where proving time goes: `cargo run --release -p zkcomply-benches --example prove_phases`.

use std::time::Instant;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode};
use zkcomply_benches::BenchFixture;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::Fr;
use zkcomply_prover::prove::prove_witness_unchecked;
use zkcomply_prover::setup::KeysDir;

fn main() {
    let fixture = BenchFixture::new();
    let request = fixture.request();
    let keys = KeysDir::load(&fixture.keys_dir()).expect("keys");
    let witness = request.witness().expect("witness");
    for _ in 0..3 {
        let t = Instant::now();
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Prove { construct_matrices: false, generate_lc_assignments: true });
        WithdrawalCircuit { witness: witness.clone() }.generate_constraints(cs.clone()).expect("synthesis");
        let synth = t.elapsed();
        cs.finalize();
        let fin = t.elapsed();
        let t2 = Instant::now();
        prove_witness_unchecked(&keys, witness.clone()).expect("prove");
        println!(
            "synthesis {:.0} ms, +finalize {:.0} ms; whole Groth16 prove {:.0} ms; variables {}",
            synth.as_secs_f64() * 1e3,
            fin.as_secs_f64() * 1e3,
            t2.elapsed().as_secs_f64() * 1e3,
            cs.num_witness_variables()
        );
    }
}
