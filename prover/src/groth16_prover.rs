//! zkcomply's Groth16 prover: ark-groth16's algorithm, step by step, with
//! each step timed and the multi-scalar multiplications arranged for this
//! statement's witness.
//!
//! The proof is the one `ark_groth16::Groth16::create_proof_with_reduction`
//! gives for the same `r` and `s` (`prover/tests/groth16_prover.rs` checks
//! that on random circuits and the withdrawal circuit, for both
//! reductions), so the verifying key, the verifiers and the Solidity stay
//! as they are.
//!
//! What differs: each constraint's `A w`, `B w`, `C w` are read from the
//! synthesised constraint system instead of building the constraint
//! matrices; the sums use [`crate::msm`] (affine buckets with batched
//! inversions); and the G2 sum runs beside the G1 sums instead of after
//! them.

use std::time::{Duration, Instant};

use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_groth16::r1cs_to_qap::R1CSToQAP;
use ark_groth16::{Proof, ProvingKey};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisError, SynthesisMode, R1CS_PREDICATE_LABEL,
};
use rayon::prelude::*;

use crate::msm::{msm, msm_glv};
use crate::ProvingError;

/// Where one proof's time went, step by step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProvingPhases {
    /// The circuit's constraints generated with the witness assigned.
    pub synthesis: Duration,
    /// The values of each constraint's three linear combinations read off.
    pub matrices: Duration,
    /// `A w`, `B w`, `C w` over the constraints, the FFTs to `h`.
    pub witness_map: Duration,
    /// `Σ h_i H_i` (G1).
    pub msm_h: Duration,
    /// `Σ w_i L_i` over the private variables (G1).
    pub msm_l: Duration,
    /// `Σ w_i A_i` (G1).
    pub msm_a: Duration,
    /// `Σ w_i B_i` in G1.
    pub msm_b_g1: Duration,
    /// `Σ w_i B_i` in G2, which runs beside the G1 sums (its figure
    /// overlaps theirs).
    pub msm_b_g2: Duration,
    /// The G1 sums and the G2 sum together, as the wall clock saw them.
    pub msms: Duration,
}

impl ProvingPhases {
    /// Every step, in order, with its name.
    pub fn steps(&self) -> [(&'static str, Duration); 9] {
        [
            ("synthesis", self.synthesis),
            ("rows A w, B w, C w", self.matrices),
            ("witness map and FFTs", self.witness_map),
            ("MSM H (G1)", self.msm_h),
            ("MSM L (G1)", self.msm_l),
            ("MSM A (G1)", self.msm_a),
            ("MSM B (G1)", self.msm_b_g1),
            ("MSM B (G2, beside the G1 sums)", self.msm_b_g2),
            ("all MSMs, wall clock", self.msms),
        ]
    }
}

/// Every scalar as the integer the sums take, converted once.
fn bigints(scalars: &[Fr]) -> Vec<<Fr as PrimeField>::BigInt> {
    scalars.par_iter().map(|s| s.into_bigint()).collect()
}

fn timed<T>(clock: &mut Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    *clock = start.elapsed();
    value
}

/// A circuit synthesised with its witness assigned: all a proof needs
/// besides the key. Synthesis needs no key, so it can run while the key
/// loads.
pub struct Synthesized {
    /// The instance assignment, the constant one first.
    instance: Vec<Fr>,
    /// The private variables' values.
    witness: Vec<Fr>,
    /// `[inputs, A w, B w, C w]`, what the reduction reads (see
    /// [`rows_witness_map`]).
    values: Vec<Fr>,
    num_constraints: usize,
    /// Synthesis and the rows, timed.
    phases: ProvingPhases,
}

/// Generates `circuit`'s constraints with its witness and reads each
/// constraint's `A w`, `B w`, `C w`.
///
/// # Errors
/// [`ProvingError::Groth16`] with the synthesis error of a circuit that
/// fails to generate its constraints.
pub fn synthesize(circuit: impl ConstraintSynthesizer<Fr>) -> Result<Synthesized, ProvingError> {
    let mut phases = ProvingPhases::default();
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    // Constraints are recorded (`construct_matrices`) as the variables of
    // their three linear combinations, and each combination's value is
    // computed as it is made (`generate_lc_assignments`): the rows `A w`,
    // `B w`, `C w` are read off without inlining the combinations or
    // building the matrices, which took a quarter of a proof.
    cs.set_mode(SynthesisMode::Prove { construct_matrices: true, generate_lc_assignments: true });
    timed(&mut phases.synthesis, || circuit.generate_constraints(cs.clone()))?;
    let num_constraints = cs.num_constraints();
    let (instance, witness, rows) = timed(&mut phases.matrices, || {
        let system = cs.borrow().ok_or(SynthesisError::MissingCS)?;
        let r1cs = system.predicate_constraint_systems.get(R1CS_PREDICATE_LABEL).ok_or(SynthesisError::MissingCS)?;
        let assignments = &system.assignments;
        let rows = r1cs
            .get_constraints()
            .par_iter()
            .map(|variables| {
                variables
                    .iter()
                    .map(|v| assignments.assigned_value(*v).ok_or(SynthesisError::AssignmentMissing))
                    .collect::<Result<Vec<Fr>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let instance = system.instance_assignment().map_err(|_| SynthesisError::AssignmentMissing)?.to_vec();
        let witness = system.witness_assignment().map_err(|_| SynthesisError::AssignmentMissing)?.to_vec();
        Ok::<_, SynthesisError>((instance, witness, rows))
    })?;
    if rows.len() != 3 {
        return Err(SynthesisError::MissingCS.into());
    }
    let values: Vec<Fr> = instance.iter().copied().chain(rows.into_iter().flatten()).collect();
    Ok(Synthesized { instance, witness, values, num_constraints, phases })
}

/// Proves `circuit` under `pk` with the blinding scalars `r` and `s`, with
/// the reduction `QAP` the key was made for.
///
/// # Errors
/// [`ProvingError::Groth16`] with the synthesis error of a circuit that
/// fails to generate its constraints; [`ProvingError::KeyShape`] for a key
/// whose queries do not fit the circuit. A witness that does not satisfy
/// the constraints gives a proof that does not verify.
pub fn prove<QAP: R1CSToQAP>(
    pk: &ProvingKey<Bn254>,
    circuit: impl ConstraintSynthesizer<Fr>,
    r: Fr,
    s: Fr,
) -> Result<(Proof<Bn254>, ProvingPhases), ProvingError> {
    prove_synthesized::<QAP>(pk, synthesize(circuit)?, r, s)
}

/// [`prove`] for a circuit already synthesised.
///
/// # Errors
/// As [`prove`].
pub fn prove_synthesized<QAP: R1CSToQAP>(
    pk: &ProvingKey<Bn254>,
    synthesized: Synthesized,
    r: Fr,
    s: Fr,
) -> Result<(Proof<Bn254>, ProvingPhases), ProvingError> {
    let Synthesized { instance, witness, values, num_constraints, mut phases } = synthesized;
    // Both reductions give one coefficient of `h` per point of the domain.
    let h_len = GeneralEvaluationDomain::<Fr>::new(num_constraints + instance.len())
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?
        .size();
    let full_assignment = [instance.as_slice(), witness.as_slice()].concat();
    check_key_shape(pk, full_assignment.len(), witness.len(), h_len)?;
    // The variables after the constant one: inputs, then the private ones.
    let assignment = &full_assignment[1..];
    let witness_map = || {
        let mut clock = Duration::ZERO;
        let h = timed(&mut clock, || rows_witness_map::<QAP>(&values, instance.len(), num_constraints));
        (h, clock)
    };
    let proof = assemble(pk, r, s, witness_map, assignment, witness.len(), &mut phases)?;
    Ok((proof, phases))
}

/// Refuses a key whose queries do not match the circuit's variables (one
/// point per variable, the constant one included, in the A and B queries;
/// one per private variable in L; in H one per coefficient of `h`, the
/// last left out by libsnark's reduction), instead of a proof that cannot
/// verify or an index out of bounds.
fn check_key_shape(pk: &ProvingKey<Bn254>, variables: usize, private: usize, h_len: usize) -> Result<(), ProvingError> {
    let h_found = pk.h_query.len();
    let expected_h = if h_found == h_len { h_len } else { h_len.saturating_sub(1) };
    for (query, expected, found) in [
        ("a_query", variables, pk.a_query.len()),
        ("b_g1_query", variables, pk.b_g1_query.len()),
        ("b_g2_query", variables, pk.b_g2_query.len()),
        ("l_query", private, pk.l_query.len()),
        ("h_query", expected_h, h_found),
    ] {
        if expected != found {
            return Err(ProvingError::KeyShape { query, expected, found });
        }
    }
    Ok(())
}

/// `QAP`'s witness map from the rows' values instead of the matrices: the
/// reduction sees one-entry matrices over `values = [inputs, A w, B w,
/// C w]`, whose rows evaluate to exactly those values, so any
/// [`R1CSToQAP`] gives the `h` it gives for the circuit's own matrices.
fn rows_witness_map<QAP: R1CSToQAP>(
    values: &[Fr],
    num_inputs: usize,
    num_constraints: usize,
) -> Result<Vec<Fr>, SynthesisError> {
    let offset = |matrix: usize| num_inputs + matrix * num_constraints;
    let matrices: Vec<Vec<Vec<(Fr, usize)>>> =
        (0..3).map(|m| (0..num_constraints).map(|i| vec![(Fr::ONE, offset(m) + i)]).collect()).collect();
    QAP::witness_map_from_matrices::<Fr, GeneralEvaluationDomain<Fr>>(&matrices, num_inputs, num_constraints, values)
}

/// The proof from the assignment (inputs then private variables, the
/// constant one left out) and `h`, as ark-groth16's
/// `create_proof_with_assignment`. `witness_map` computes `h`; it runs
/// beside the sums that do not need it.
fn assemble(
    pk: &ProvingKey<Bn254>,
    r: Fr,
    s: Fr,
    witness_map: impl FnOnce() -> (Result<Vec<Fr>, SynthesisError>, Duration) + Send,
    assignment: &[Fr],
    private_count: usize,
    phases: &mut ProvingPhases,
) -> Result<Proof<Bn254>, SynthesisError> {
    let start = Instant::now();
    let assignment = bigints(assignment);
    // The private variables are the assignment's tail.
    let private = &assignment[assignment.len() - private_count..];
    let assignment = assignment.as_slice();
    let skip_b_g1 = r == Fr::ZERO;
    let mut times = [Duration::ZERO; 5];
    let [t_map, t_h, t_l, t_a, t_b] = &mut times;
    let ((h_acc, (l_acc, a_acc, b_acc)), (b_g2, b_g2_time)) = rayon::join(
        || {
            rayon::join(
                || {
                    let (h, clock) = witness_map();
                    *t_map = clock;
                    let h = bigints(&h?);
                    Ok::<_, SynthesisError>(timed(t_h, || msm(&pk.h_query, &h)))
                },
                || {
                    let l_acc = timed(t_l, || msm(&pk.l_query, private));
                    let a_acc = timed(t_a, || msm(&pk.a_query[1..], assignment));
                    let b_acc = timed(t_b, || {
                        if skip_b_g1 {
                            G1Projective::default()
                        } else {
                            msm(&pk.b_g1_query[1..], assignment)
                        }
                    });
                    (l_acc, a_acc, b_acc)
                },
            )
        },
        || {
            let start = Instant::now();
            // Through GLV in G2 only: there it is about 9% faster, in G1
            // no faster (DECISIONS 73).
            let sum: G2Projective = msm_glv(&pk.b_g2_query[1..], assignment);
            (sum, start.elapsed())
        },
    );
    let h_acc = h_acc?;
    phases.msms = start.elapsed();
    [phases.witness_map, phases.msm_h, phases.msm_l, phases.msm_a, phases.msm_b_g1] = times;
    phases.msm_b_g2 = b_g2_time;
    let b_g1_acc = b_acc;

    let delta_g1 = pk.delta_g1.into_group();
    let g_a = delta_g1 * r + pk.a_query[0] + a_acc + pk.vk.alpha_g1;
    let g1_b =
        if skip_b_g1 { G1Projective::default() } else { delta_g1 * s + pk.b_g1_query[0] + b_g1_acc + pk.beta_g1 };
    let g2_b = pk.vk.delta_g2.into_group() * s + pk.b_g2_query[0] + b_g2 + pk.vk.beta_g2;
    let g_c = g_a * s + g1_b * r - delta_g1 * (r * s) + l_acc + h_acc;
    Ok(Proof { a: g_a.into_affine(), b: g2_b.into_affine(), c: g_c.into_affine() })
}
