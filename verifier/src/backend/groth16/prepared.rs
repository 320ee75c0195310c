//! A verifying key with its pairing precomputations, and the verification
//! of one proof.

use ark_bn254::{Bn254, Fr, G1Projective};
use ark_ec::pairing::{Pairing, PairingOutput};
use ark_ec::{AffineRepr, CurveGroup};

use super::error::Groth16Error;
use super::fixed_base::FixedBaseTable;
use super::key_and_proof::{Proof, VerifyingKey};

/// A verifying key with its pairing precomputations.
#[derive(Debug, Clone)]
pub struct PreparedVerifyingKey {
    /// The key.
    pub vk: VerifyingKey,
    pub(super) alpha_beta: PairingOutput<Bn254>,
    pub(super) gamma_neg: <Bn254 as Pairing>::G2Prepared,
    pub(super) delta_neg: <Bn254 as Pairing>::G2Prepared,
    pub(super) input_tables: Vec<FixedBaseTable>,
}

impl VerifyingKey {
    /// Precomputes what every verification needs.
    pub fn prepare(&self) -> PreparedVerifyingKey {
        PreparedVerifyingKey {
            alpha_beta: Bn254::pairing(self.alpha_g1, self.beta_g2),
            gamma_neg: (-self.gamma_g2.into_group()).into_affine().into(),
            delta_neg: (-self.delta_g2.into_group()).into_affine().into(),
            input_tables: self.gamma_abc_g1.iter().skip(1).map(FixedBaseTable::new).collect(),
            vk: self.clone(),
        }
    }
}

impl PreparedVerifyingKey {
    /// `gamma_abc[0] + sum x_i gamma_abc[i+1]`, after checking the count.
    ///
    /// # Errors
    /// [`Groth16Error::InputCount`] unless exactly the key's count is given.
    pub fn prepare_inputs(&self, inputs: &[Fr]) -> Result<G1Projective, Groth16Error> {
        self.check_input_count(inputs)?;
        let sum: G1Projective = self.input_tables.iter().zip(inputs).map(|(table, x)| table.mul(x)).sum();
        Ok(sum + self.vk.gamma_abc_g1[0])
    }

    /// Checks `e(A, B) == e(alpha, beta) e(inputs, gamma) e(C, delta)`.
    ///
    /// # Errors
    /// [`Groth16Error::InputCount`] for a wrong number of inputs. A false
    /// proof is `Ok(false)`.
    pub fn verify(&self, proof: &Proof, inputs: &[Fr]) -> Result<bool, Groth16Error> {
        let acc = self.prepare_inputs(inputs)?;
        Ok(self.check_prepared(proof, acc))
    }

    /// Fails unless `inputs` has exactly the key's count.
    pub(super) fn check_input_count(&self, inputs: &[Fr]) -> Result<(), Groth16Error> {
        let expected = self.vk.public_input_count();
        if inputs.len() == expected {
            Ok(())
        } else {
            Err(Groth16Error::InputCount { expected, found: inputs.len() })
        }
    }

    fn check_prepared(&self, proof: &Proof, acc: G1Projective) -> bool {
        let lhs = Bn254::multi_pairing(
            [<Bn254 as Pairing>::G1Prepared::from(proof.a), acc.into_affine().into(), proof.c.into()],
            [<Bn254 as Pairing>::G2Prepared::from(proof.b), self.gamma_neg.clone(), self.delta_neg.clone()],
        );
        lhs == self.alpha_beta
    }
}
