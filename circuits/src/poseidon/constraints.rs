//! The Poseidon gadget: the same permutation as [`super::hash`], one
//! S-box costing three multiplication constraints (x^2, x^4, x^5); round
//! constants and MDS mixing are linear and cost nothing.

use super::parameters::for_inputs;
use crate::Fr;
use ark_r1cs_std::fields::{fp::FpVar, FieldVar};
use ark_relations::gr1cs::SynthesisError;

fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// circomlib's `Poseidon(n)` in constraints, for 1 to 12 inputs.
///
/// # Errors
/// `SynthesisError::Unsatisfiable` for a bad arity; otherwise only errors of
/// the constraint system itself.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let params = for_inputs(inputs.len()).ok_or(SynthesisError::Unsatisfiable)?;
    let width = params.width;
    let mut state: Vec<FpVar<Fr>> = Vec::with_capacity(width);
    state.push(FpVar::zero());
    state.extend(inputs.iter().cloned());

    let half_full = params.full_rounds / 2;
    let rounds = params.full_rounds + params.partial_rounds;
    for round in 0..rounds {
        for (i, s) in state.iter_mut().enumerate() {
            *s += params.ark[round * width + i];
        }
        let full = round < half_full || round >= half_full + params.partial_rounds;
        if full {
            for s in state.iter_mut() {
                *s = sbox(s)?;
            }
        } else {
            state[0] = sbox(&state[0])?;
        }
        // The last round's mixing only matters for state[0].
        let outputs = if round + 1 == rounds { 1 } else { width };
        let mixed: Vec<FpVar<Fr>> = (0..outputs)
            .map(|i| state.iter().zip(params.mds[i].iter()).fold(FpVar::zero(), |acc, (s, m)| acc + s * *m))
            .collect();
        state = mixed;
    }
    Ok(state.swap_remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_r1cs_std::{alloc::AllocVar, GR1CSVar};
    use ark_relations::gr1cs::ConstraintSystem;
    use ark_std::UniformRand;
    use rand::SeedableRng;

    #[test]
    fn gadget_agrees_with_native_for_every_width() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        for n in 1..=crate::poseidon::MAX_INPUTS {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let values: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let vars: Vec<FpVar<Fr>> =
                values.iter().map(|v| FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap()).collect();
            let out = hash(&vars).unwrap();
            assert_eq!(out.value().unwrap(), super::super::hash(&values).unwrap());
            assert!(cs.is_satisfied().unwrap());
            let params = for_inputs(n).unwrap();
            // Three constraints per S-box, less the first S-box of the
            // capacity element, whose input is a constant.
            let sboxes = params.full_rounds * params.width + params.partial_rounds - 1;
            assert_eq!(cs.num_constraints(), 3 * sboxes, "width {}", n + 1);
        }
    }

    #[test]
    fn a_wrong_output_is_unsatisfiable() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let a = FpVar::new_witness(cs.clone(), || Ok(Fr::from(1u8))).unwrap();
        let b = FpVar::new_witness(cs.clone(), || Ok(Fr::from(2u8))).unwrap();
        let claimed = FpVar::new_input(cs.clone(), || Ok(Fr::from(3u8))).unwrap();
        let out = hash(&[a, b]).unwrap();
        ark_r1cs_std::eq::EqGadget::enforce_equal(&out, &claimed).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }
}
