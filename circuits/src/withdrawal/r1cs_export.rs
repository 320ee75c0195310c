//! The withdrawal circuit as a plain rank-1 constraint system, for circom
//! and snarkjs tooling (`.r1cs` and `.wtns`).
//!
//! The matrices are exactly those ark-groth16 0.6's generator and prover
//! build: the circuit synthesised with the optimisation goal
//! `Constraints`, then finalised (every symbolic linear combination inlined
//! into the constraints that use it). Variables are numbered as arkworks
//! numbers them, which is circom's wire order: 0 is the constant one, then
//! the 6 public inputs in [`PublicInputs`](crate::public_inputs::PublicInputs)
//! order, then the private witness.

use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal, SynthesisError, SynthesisMode,
    R1CS_PREDICATE_LABEL,
};

use super::constraints::WithdrawalCircuit;
use super::WithdrawalWitness;
use crate::Fr;

/// One row of a matrix: `(coefficient, variable)` terms.
pub type Row = Vec<(Fr, usize)>;

/// The circuit's R1CS: `<A_i, z> · <B_i, z> = <C_i, z>` for every row `i`,
/// with `z` the full assignment (instance, then witness).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct R1csMatrices {
    /// Instance variables, the constant one included.
    pub num_instance_variables: usize,
    /// Witness variables.
    pub num_witness_variables: usize,
    /// A, one row per constraint.
    pub a: Vec<Row>,
    /// B.
    pub b: Vec<Row>,
    /// C.
    pub c: Vec<Row>,
}

impl R1csMatrices {
    /// The number of constraints.
    #[must_use]
    pub fn num_constraints(&self) -> usize {
        self.a.len()
    }
}

fn synthesize(witness: WithdrawalWitness, mode: SynthesisMode) -> Result<ConstraintSystemRef<Fr>, SynthesisError> {
    let cs = ConstraintSystem::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(mode);
    WithdrawalCircuit { witness }.generate_constraints(cs.clone())?;
    cs.finalize();
    Ok(cs)
}

/// The withdrawal circuit's matrices for trees of `depth` levels, as
/// `Groth16::circuit_specific_setup` sees them.
///
/// # Errors
///
/// [`SynthesisError`] if synthesis fails or the system has constraints
/// other than rank-1 ones.
pub fn withdrawal_matrices(depth: usize) -> Result<R1csMatrices, SynthesisError> {
    let cs = synthesize(WithdrawalWitness::blank(depth), SynthesisMode::Setup)?;
    let mut all = cs.to_matrices()?;
    if all.len() != 1 {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut matrices = all.remove(R1CS_PREDICATE_LABEL).ok_or(SynthesisError::Unsatisfiable)?.into_iter();
    let (Some(a), Some(b), Some(c), None) = (matrices.next(), matrices.next(), matrices.next(), matrices.next()) else {
        return Err(SynthesisError::Unsatisfiable);
    };
    Ok(R1csMatrices {
        num_instance_variables: cs.num_instance_variables(),
        num_witness_variables: cs.num_witness_variables(),
        a,
        b,
        c,
    })
}

/// The full assignment of the withdrawal circuit for `witness`, as
/// `Groth16::create_proof` sees it: the instance (the one, then the public
/// inputs), then the witness.
///
/// # Errors
///
/// [`SynthesisError::Unsatisfiable`] if the witness does not satisfy the
/// circuit; another [`SynthesisError`] if synthesis fails.
pub fn withdrawal_assignment(witness: &WithdrawalWitness) -> Result<Vec<Fr>, SynthesisError> {
    let cs =
        synthesize(witness.clone(), SynthesisMode::Prove { construct_matrices: true, generate_lc_assignments: false })?;
    if !cs.is_satisfied()? {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut full = cs.instance_assignment()?;
    full.extend(cs.witness_assignment()?);
    Ok(full)
}
