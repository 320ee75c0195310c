//! Batch verification: many proofs against one key by a random linear
//! combination of their pairing equations, split in halves until the false
//! proofs are pinpointed.

use std::borrow::Borrow;
use std::ops::Range;

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective};
use ark_ec::pairing::{MillerLoopOutput, Pairing};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::Zero;
use rand_core::{CryptoRng, RngCore};

use super::error::Groth16Error;
use super::key_and_proof::Proof;
use super::prepared::PreparedVerifyingKey;
use crate::parallel::{map_all, threads};

/// Bytes of one random weight (`r_i` is below `2^128`).
const WEIGHT_BYTES: usize = 16;

impl PreparedVerifyingKey {
    /// Verifies many proofs at once by a random linear combination of their
    /// pairing equations (one Miller loop per proof plus two, and a single
    /// final exponentiation), returning one verdict per proof. When the
    /// combined check fails, the batch is split in halves until the false
    /// proofs are pinpointed, so the result always equals verifying each
    /// proof alone (except with probability about `2n / 2^128`).
    ///
    /// The weights are drawn once, before any pairing, and every half
    /// checked while pinpointing reuses its proofs' weights: each of the at
    /// most `2n` halves the bisection can check is fixed by `n` alone, and
    /// one holding a false proof passes with probability at most `2^-128`
    /// over the weights.
    ///
    /// `rng` must be a cryptographically secure generator the provers cannot
    /// predict: the random weights are what stops false proofs from
    /// cancelling each other out.
    ///
    /// # Errors
    /// [`Groth16Error::InputCount`] when any proof's input count is wrong
    /// (checked for every proof before any pairing).
    pub fn verify_batch<R: RngCore + CryptoRng + ?Sized>(
        &self,
        batch: &[(Proof, Vec<Fr>)],
        rng: &mut R,
    ) -> Result<Vec<bool>, Groth16Error> {
        self.verify_batch_of(batch, rng)
    }

    /// [`PreparedVerifyingKey::verify_batch`] for proofs and inputs held in
    /// any form (owned or borrowed).
    pub(super) fn verify_batch_of<P, X, R>(&self, batch: &[(P, X)], rng: &mut R) -> Result<Vec<bool>, Groth16Error>
    where
        P: Borrow<Proof> + Sync,
        X: AsRef<[Fr]> + Sync,
        R: RngCore + CryptoRng + ?Sized,
    {
        for (_, inputs) in batch {
            self.check_input_count(inputs.as_ref())?;
        }
        let mut bytes = vec![0u8; batch.len() * WEIGHT_BYTES];
        rng.fill_bytes(&mut bytes);
        let weights: Vec<Fr> = bytes
            .chunks_exact(WEIGHT_BYTES)
            .map(|chunk| {
                let mut word = [0u8; WEIGHT_BYTES];
                word.copy_from_slice(chunk);
                Fr::from(u128::from_le_bytes(word))
            })
            .collect();
        let mut verdicts = vec![false; batch.len()];
        self.bisect(batch, &weights, 0..batch.len(), &mut verdicts)?;
        Ok(verdicts)
    }

    fn bisect<P, X>(
        &self,
        batch: &[(P, X)],
        weights: &[Fr],
        range: Range<usize>,
        verdicts: &mut [bool],
    ) -> Result<(), Groth16Error>
    where
        P: Borrow<Proof> + Sync,
        X: AsRef<[Fr]> + Sync,
    {
        if range.is_empty() {
            return Ok(());
        }
        if range.len() == 1 {
            let (proof, inputs) = &batch[range.start];
            verdicts[range.start] = self.verify(proof.borrow(), inputs.as_ref())?;
            return Ok(());
        }
        if self.check_combined(&batch[range.clone()], &weights[range.clone()]) {
            verdicts[range].iter_mut().for_each(|v| *v = true);
            return Ok(());
        }
        let mid = range.start + range.len() / 2;
        self.bisect(batch, weights, range.start..mid, verdicts)?;
        self.bisect(batch, weights, mid..range.end, verdicts)
    }

    /// `prod e(r_i A_i, B_i) * e(sum r_i acc_i, -gamma) * e(sum r_i C_i, -delta)
    /// == e(alpha, beta)^(sum r_i)` with random 128-bit `r_i`. The inputs'
    /// combination is never formed per proof: `sum r_i acc_i = (sum r_i)
    /// IC_0 + sum_j (sum_i r_i x_ij) IC_j`, field sums and one scalar
    /// multiplication per public input for the whole batch.
    fn check_combined<P, X>(&self, batch: &[(P, X)], weights: &[Fr]) -> bool
    where
        P: Borrow<Proof> + Sync,
        X: AsRef<[Fr]> + Sync,
    {
        // Per thread, a group of proofs: their Miller loops multiplied, their
        // weighted C sum; then the two fixed pairings and one final
        // exponentiation.
        let group = batch.len().div_ceil(threads()).max(1);
        let starts: Vec<usize> = (0..batch.len()).step_by(group).collect();
        let partial = map_all(&starts, |&start| {
            let end = (start + group).min(batch.len());
            let (proofs, r) = (&batch[start..end], &weights[start..end]);
            let weighted_a: Vec<G1Projective> = proofs.iter().zip(r).map(|((p, _), r)| p.borrow().a * r).collect();
            let a_points = G1Projective::normalize_batch(&weighted_a);
            let miller = Bn254::multi_miller_loop(a_points, proofs.iter().map(|(p, _)| p.borrow().b));
            let c_points: Vec<G1Affine> = proofs.iter().map(|(p, _)| p.borrow().c).collect();
            let c_sum = G1Projective::msm(&c_points, r).expect("one weight per proof: the lengths are equal");
            (miller, c_sum)
        });
        let weight_sum: Fr = weights.iter().sum();
        let mut input_sums = vec![Fr::zero(); self.input_tables.len()];
        for ((_, inputs), r) in batch.iter().zip(weights) {
            for (sum, x) in input_sums.iter_mut().zip(inputs.as_ref()) {
                *sum += *r * x;
            }
        }
        let acc_sum: G1Projective = self.vk.gamma_abc_g1[0] * weight_sum
            + self.input_tables.iter().zip(&input_sums).map(|(table, s)| table.mul(s)).sum::<G1Projective>();
        let c_sum = partial.iter().fold(G1Projective::zero(), |c, p| c + p.1);
        let fixed = Bn254::multi_miller_loop(
            [<Bn254 as Pairing>::G1Prepared::from(acc_sum.into_affine()), c_sum.into_affine().into()],
            [self.gamma_neg.clone(), self.delta_neg.clone()],
        );
        let product = partial.into_iter().fold(fixed.0, |acc, (m, _)| acc * m.0);
        let Some(result) = Bn254::final_exponentiation(MillerLoopOutput(product)) else {
            return false;
        };
        result == self.alpha_beta * weight_sum
    }
}
