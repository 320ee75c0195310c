//! Prints the constraint count of each gadget and of the whole withdrawal
//! circuit as a Markdown table (for `docs/PERFORMANCE.md`).

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::Boolean;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal};
use zkcomply_circuits::babyjubjub::constraints::{scalar_mul, scalar_mul_base8, PointVar};
use zkcomply_circuits::babyjubjub::Point;
use zkcomply_circuits::imt::constraints::{enforce_non_membership, NonMembershipVar};
use zkcomply_circuits::imt::TreeWitness;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::{Fr, TREE_DEPTH};

fn count(f: impl FnOnce(ConstraintSystemRef<Fr>)) -> usize {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    f(cs.clone());
    cs.finalize();
    cs.num_constraints()
}

fn w(cs: &ConstraintSystemRef<Fr>) -> FpVar<Fr> {
    FpVar::new_witness(cs.clone(), || Ok(Fr::from(3u8))).expect("alloc")
}

fn bits(cs: &ConstraintSystemRef<Fr>, n: usize) -> Vec<Boolean<Fr>> {
    (0..n).map(|i| Boolean::new_witness(cs.clone(), || Ok(i % 3 == 0)).expect("alloc")).collect()
}

fn main() {
    println!("| gadget | constraints |");
    println!("|---|---|");
    for n in [1usize, 2, 3, 5, 6, 7, 8, 10] {
        let c = count(|cs| {
            let inputs: Vec<FpVar<Fr>> = (0..n).map(|_| w(&cs)).collect();
            let _ = zkcomply_circuits::poseidon::constraints::hash(&inputs).expect("poseidon");
        });
        println!("| Poseidon({n}) | {c} |");
    }
    let boolean_cost = |n| {
        count(|cs| {
            bits(&cs, n);
        })
    };
    let c = count(|cs| {
        let b = bits(&cs, 251);
        let _ = scalar_mul_base8(&b).expect("mul");
    }) - boolean_cost(251);
    println!("| fixed-base scalar mul by B8, 251 bits (3-bit Montgomery windows) | {c} |");
    let c = count(|cs| {
        let p = PointVar::new_witness(cs.clone(), || Ok(Point::base8())).expect("alloc");
        let b = bits(&cs, 254);
        let _ = scalar_mul(&p, &b).expect("mul");
    }) - boolean_cost(254);
    println!("| variable-base scalar mul, 254 bits (Montgomery) | {c} |");
    let c = count(|cs| {
        let key = PointVar::new_witness(cs.clone(), || Ok(Point::base8())).expect("alloc");
        let r8 = PointVar::new_witness(cs.clone(), || Ok(Point::base8())).expect("alloc");
        zkcomply_circuits::eddsa::constraints::enforce_signature(&key, &w(&cs), &r8, &w(&cs)).expect("eddsa");
    });
    println!("| EdDSA-Poseidon verification (without the message hash) | {c} |");
    let c = count(|cs| {
        let proof = NonMembershipVar::new_witness(cs.clone(), || Ok(TreeWitness::blank(TREE_DEPTH))).expect("alloc");
        enforce_non_membership(&w(&cs), &w(&cs), &proof).expect("imt");
    });
    println!("| IMT non-membership, depth {TREE_DEPTH} | {c} |");
    let c = count(|cs| {
        zkcomply_circuits::range::enforce_below_power_of_two(&w(&cs), 128).expect("range");
    });
    println!("| range check below 2^128 | {c} |");
    let total = count(|cs| {
        WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) }.generate_constraints(cs).expect("circuit");
    });
    println!("| **withdrawal circuit, total** | **{total}** |");
}
