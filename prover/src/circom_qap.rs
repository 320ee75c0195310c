//! snarkjs's R1CS-to-QAP reduction ("circom reduction") as an
//! `ark_groth16` [`R1CSToQAP`], so keys from snarkjs-compatible ceremonies
//! prove with `ark-groth16`.
//!
//! arkworks' default (libsnark's) computes `H = (AB - C) / Z` on a coset
//! and returns its coefficients. snarkjs's keys instead hold the H query
//! as Lagrange bases over the odd points of the domain of twice the size:
//! the witness map is `AB - C` evaluated at those points (`w·ω^i`, with `w`
//! a primitive `2n`-th root of unity), which the key turns into `H·Z`.
//!
//! Adapted from ark-circom 0.6 (`src/circom/qap.rs`, MIT OR Apache-2.0,
//! by the arkworks and ark-circom contributors); zkcomply does not depend
//! on ark-circom, which pulls in a WebAssembly runtime.

use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, LibsnarkReduction, R1CSToQAP};
use ark_poly::EvaluationDomain;
use ark_relations::gr1cs::{ConstraintSystemRef, Matrix, SynthesisError};
use rayon::prelude::*;

/// snarkjs's witness map and H query (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct CircomReduction;

impl R1CSToQAP for CircomReduction {
    #[allow(clippy::type_complexity)]
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        cs: ConstraintSystemRef<F>,
        t: &F,
    ) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
        // The A, B, C and input polynomials are the same in both reductions
        // (one extra row per instance variable, as snarkjs adds them).
        LibsnarkReduction::instance_map_with_evaluation::<F, D>(cs, t)
    }

    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &[Matrix<F>],
        num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> Result<Vec<F>, SynthesisError> {
        let (Some(a_rows), Some(b_rows)) = (matrices.first(), matrices.get(1)) else {
            return Err(SynthesisError::MissingCS);
        };
        let domain = D::new(num_constraints + num_inputs).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        let domain_size = domain.size();
        let inputs = full_assignment.get(..num_inputs).ok_or(SynthesisError::AssignmentMissing)?;

        // A and B at the domain's points: the constraints, then one row per
        // instance variable (A only).
        let mut a = vec![F::zero(); domain_size];
        let mut b = vec![F::zero(); domain_size];
        a[..num_constraints].par_iter_mut().zip(&mut b[..num_constraints]).zip(a_rows).zip(b_rows).for_each(
            |(((a, b), a_row), b_row)| {
                *a = evaluate_constraint(a_row, full_assignment);
                *b = evaluate_constraint(b_row, full_assignment);
            },
        );
        a[num_constraints..num_constraints + num_inputs].clone_from_slice(inputs);
        // C = A·B on a satisfied system (zero on the input rows, where B is).
        let mut c = vec![F::zero(); domain_size];
        c[..num_constraints].par_iter_mut().zip(&a).zip(&b).for_each(|((c, a), b)| *c = *a * b);

        // Each to coefficients, then evaluated at the odd points w·ω^i of
        // the domain of twice the size (a coset of the domain by w).
        let w = D::new(2 * domain_size).ok_or(SynthesisError::PolynomialDegreeTooLarge)?.element(1);
        let at_odd_points = |values: &mut Vec<F>| {
            domain.ifft_in_place(values);
            D::distribute_powers_and_mul_by_const(values, w, F::one());
            domain.fft_in_place(values);
        };
        at_odd_points(&mut a);
        at_odd_points(&mut b);
        at_odd_points(&mut c);
        let mut ab = domain.mul_polynomials_in_evaluation_domain(&a, &b);
        ab.par_iter_mut().zip(c).for_each(|(ab, c)| *ab -= c);
        Ok(ab)
    }

    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        max_power: usize,
        t: F,
        _zt: F,
        delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        // H·Z has 2n - 1 coefficients: the Lagrange bases of the domain of
        // twice the size at t, over delta, at its odd points.
        let mut scalars: Vec<F> =
            (0..2 * max_power + 1).into_par_iter().map(|i| delta_inverse * t.pow([i as u64])).collect();
        let domain = D::new(scalars.len()).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
        domain.ifft_in_place(&mut scalars);
        Ok(scalars.into_par_iter().skip(1).step_by(2).collect())
    }
}
