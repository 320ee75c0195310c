//! Groth16 verification over BN254, written against `ark-ec` pairings so
//! that no proving code is linked.
//!
//! The key and proof types serialise exactly as `ark-groth16`'s
//! (`VerifyingKey`, `Proof`), so keys and proofs made by the prover decode
//! here. Everything from outside is decoded compressed with full checks
//! (on the curve, in the prime-order subgroup), with no trailing bytes, and
//! the point at infinity is refused explicitly.

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::{Pairing, PairingOutput};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{PrimeField, Zero};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};

use crate::parallel::{map_all, threads};

/// A Groth16 verifying key (same layout as `ark_groth16::VerifyingKey`).
#[derive(Debug, Clone, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct VerifyingKey {
    /// `alpha` in G1.
    pub alpha_g1: G1Affine,
    /// `beta` in G2.
    pub beta_g2: G2Affine,
    /// `gamma` in G2.
    pub gamma_g2: G2Affine,
    /// `delta` in G2.
    pub delta_g2: G2Affine,
    /// One point per public input, plus one for the constant.
    pub gamma_abc_g1: Vec<G1Affine>,
}

/// A Groth16 proof (same layout as `ark_groth16::Proof`): 128 bytes compressed.
#[derive(Debug, Clone, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct Proof {
    /// `A` in G1.
    pub a: G1Affine,
    /// `B` in G2.
    pub b: G2Affine,
    /// `C` in G1.
    pub c: G1Affine,
}

/// Size of a compressed proof.
pub const PROOF_BYTES: usize = 128;

/// Why bytes or inputs cannot be verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Groth16Error {
    /// Bytes that do not decode to valid points.
    #[error("{what}: {why}")]
    Decode {
        /// Which object.
        what: &'static str,
        /// What is wrong.
        why: String,
    },
    /// A public input count that differs from the key's.
    #[error("the verifying key takes {expected} public inputs, {found} were given")]
    InputCount {
        /// The key's count.
        expected: usize,
        /// Given.
        found: usize,
    },
}

fn decode<T: CanonicalDeserialize>(what: &'static str, bytes: &[u8]) -> Result<T, Groth16Error> {
    let mut reader = bytes;
    let value =
        T::deserialize_compressed(&mut reader).map_err(|e| Groth16Error::Decode { what, why: e.to_string() })?;
    if !reader.is_empty() {
        return Err(Groth16Error::Decode { what, why: format!("{} trailing bytes", reader.len()) });
    }
    Ok(value)
}

impl Proof {
    /// Decodes a compressed proof with every check.
    ///
    /// # Errors
    /// [`Groth16Error::Decode`] for a wrong length, invalid or identity point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        if bytes.len() != PROOF_BYTES {
            return Err(Groth16Error::Decode {
                what: "proof",
                why: format!("expected {PROOF_BYTES} bytes, found {}", bytes.len()),
            });
        }
        // Decoded without arkworks' validation, then checked here: on the
        // curve (decompression already solves the curve equation; checked
        // anyway, it is cheap), and B in the prime-order subgroup by the
        // 63-bit test of `g2_subgroup` (half the cost of arkworks' 127-bit
        // one). G1 has cofactor 1: on the curve is in the group.
        let mut reader = bytes;
        let p = Self::deserialize_with_mode(&mut reader, Compress::Yes, Validate::No)
            .map_err(|e| Groth16Error::Decode { what: "proof", why: e.to_string() })?;
        if !reader.is_empty() {
            return Err(Groth16Error::Decode { what: "proof", why: format!("{} trailing bytes", reader.len()) });
        }
        if p.a.is_zero() || p.b.is_zero() || p.c.is_zero() {
            return Err(Groth16Error::Decode { what: "proof", why: "a proof point is the point at infinity".into() });
        }
        if !(p.a.is_on_curve() && p.b.is_on_curve() && p.c.is_on_curve()) {
            return Err(Groth16Error::Decode { what: "proof", why: "a proof point is not on the curve".into() });
        }
        if !crate::g2_subgroup::is_in_subgroup(&p.b) {
            return Err(Groth16Error::Decode {
                what: "proof",
                why: "B is not in the prime-order subgroup of G2".into(),
            });
        }
        Ok(p)
    }

    /// The compressed bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PROOF_BYTES);
        // Writing to a Vec cannot fail.
        self.serialize_compressed(&mut out).unwrap_or_default();
        out
    }
}

impl VerifyingKey {
    /// Decodes a compressed key with every check.
    ///
    /// # Errors
    /// [`Groth16Error::Decode`] for invalid bytes or identity points.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Groth16Error> {
        let vk: Self = decode("verifying key", bytes)?;
        let g2_zero = vk.beta_g2.is_zero() || vk.gamma_g2.is_zero() || vk.delta_g2.is_zero();
        if vk.alpha_g1.is_zero() || g2_zero || vk.gamma_abc_g1.is_empty() {
            return Err(Groth16Error::Decode {
                what: "verifying key",
                why: "a key point is the point at infinity".into(),
            });
        }
        Ok(vk)
    }

    /// The canonical compressed bytes (hashed for the key's identity).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.serialize_compressed(&mut out).unwrap_or_default();
        out
    }

    /// Number of public inputs the key takes.
    pub fn public_input_count(&self) -> usize {
        self.gamma_abc_g1.len() - 1
    }

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

/// Bits per window of a [`FixedBaseTable`].
const WINDOW_BITS: usize = 4;
/// Windows covering a 256-bit scalar.
const WINDOWS: usize = 256 / WINDOW_BITS;

/// Multiples `d · 16^i · P` (`d` = 1..15) of one fixed point, so that a
/// scalar multiplication is at most 64 additions and no doublings: the
/// public-input points of a key are fixed, and every verification
/// multiplies each by a fresh scalar.
#[derive(Debug, Clone)]
struct FixedBaseTable {
    windows: Vec<[G1Affine; (1 << WINDOW_BITS) - 1]>,
}

impl FixedBaseTable {
    fn new(point: &G1Affine) -> Self {
        let mut projective = Vec::with_capacity(WINDOWS * 15);
        let mut base = point.into_group();
        for _ in 0..WINDOWS {
            let mut multiple = base;
            for _ in 0..15 {
                projective.push(multiple);
                multiple += base;
            }
            base = multiple; // 16 · base
        }
        let affine = G1Projective::normalize_batch(&projective);
        let windows = affine
            .chunks_exact(15)
            .map(|c| {
                let mut w = [G1Affine::zero(); 15];
                w.copy_from_slice(c);
                w
            })
            .collect();
        Self { windows }
    }

    fn mul(&self, scalar: &Fr) -> G1Projective {
        let bits = scalar.into_bigint();
        let mut acc = G1Projective::zero();
        for (i, window) in self.windows.iter().enumerate() {
            let bit = i * WINDOW_BITS;
            let digit = (bits.0[bit / 64] >> (bit % 64)) & 0xf;
            if digit != 0 {
                acc += window[digit as usize - 1];
            }
        }
        acc
    }
}

/// A verifying key with its pairing precomputations.
#[derive(Debug, Clone)]
pub struct PreparedVerifyingKey {
    /// The key.
    pub vk: VerifyingKey,
    alpha_beta: PairingOutput<Bn254>,
    gamma_neg: <Bn254 as Pairing>::G2Prepared,
    delta_neg: <Bn254 as Pairing>::G2Prepared,
    input_tables: Vec<FixedBaseTable>,
}

impl PreparedVerifyingKey {
    /// `gamma_abc[0] + sum x_i gamma_abc[i+1]`, after checking the count.
    ///
    /// # Errors
    /// [`Groth16Error::InputCount`] unless exactly the key's count is given.
    pub fn prepare_inputs(&self, inputs: &[Fr]) -> Result<G1Projective, Groth16Error> {
        let expected = self.vk.public_input_count();
        if inputs.len() != expected {
            return Err(Groth16Error::InputCount { expected, found: inputs.len() });
        }
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

    /// Verifies many proofs at once by a random linear combination of their
    /// pairing equations (one Miller loop per proof plus two, and a single
    /// final exponentiation), returning one verdict per proof. When the
    /// combined check fails, the batch is split in halves until the false
    /// proofs are pinpointed, so the result always equals verifying each
    /// proof alone (except with probability about `n / 2^128`).
    ///
    /// `rng` must be a cryptographically secure generator the provers cannot
    /// predict: the random weights are what stops false proofs from
    /// cancelling each other out.
    ///
    /// # Errors
    /// [`Groth16Error::InputCount`] when any proof's input count is wrong
    /// (checked for every proof before any pairing).
    pub fn verify_batch<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        batch: &[(Proof, Vec<Fr>)],
        rng: &mut R,
    ) -> Result<Vec<bool>, Groth16Error> {
        let expected = self.vk.public_input_count();
        if let Some((_, inputs)) = batch.iter().find(|(_, inputs)| inputs.len() != expected) {
            return Err(Groth16Error::InputCount { expected, found: inputs.len() });
        }
        let mut verdicts = vec![false; batch.len()];
        self.bisect(batch, 0..batch.len(), &mut verdicts, rng);
        Ok(verdicts)
    }

    fn bisect<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        batch: &[(Proof, Vec<Fr>)],
        range: std::ops::Range<usize>,
        verdicts: &mut [bool],
        rng: &mut R,
    ) {
        if range.is_empty() {
            return;
        }
        if range.len() == 1 {
            let i = range.start;
            verdicts[i] = self.verify(&batch[i].0, &batch[i].1).unwrap_or(false);
            return;
        }
        if self.check_combined(&batch[range.clone()], rng) {
            verdicts[range].iter_mut().for_each(|v| *v = true);
            return;
        }
        let mid = range.start + range.len() / 2;
        self.bisect(batch, range.start..mid, verdicts, rng);
        self.bisect(batch, mid..range.end, verdicts, rng);
    }

    fn check_prepared(&self, proof: &Proof, acc: G1Projective) -> bool {
        let lhs = Bn254::multi_pairing(
            [<Bn254 as Pairing>::G1Prepared::from(proof.a), acc.into_affine().into(), proof.c.into()],
            [<Bn254 as Pairing>::G2Prepared::from(proof.b), self.gamma_neg.clone(), self.delta_neg.clone()],
        );
        lhs == self.alpha_beta
    }

    /// `prod e(r_i A_i, B_i) * e(sum r_i acc_i, -gamma) * e(sum r_i C_i, -delta)
    /// == e(alpha, beta)^(sum r_i)` with random 128-bit `r_i`. The inputs'
    /// combination is never formed per proof: `sum r_i acc_i = (sum r_i)
    /// IC_0 + sum_j (sum_i r_i x_ij) IC_j`, field sums and one scalar
    /// multiplication per public input for the whole batch.
    fn check_combined<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        batch: &[(Proof, Vec<Fr>)],
        rng: &mut R,
    ) -> bool {
        let weights: Vec<Fr> = (0..batch.len())
            .map(|_| {
                let mut bytes = [0u8; 16];
                rng.fill_bytes(&mut bytes);
                Fr::from(u128::from_le_bytes(bytes))
            })
            .collect();
        // Per thread, a group of proofs: their Miller loops multiplied, their
        // weighted C sum; then the two fixed pairings and one final
        // exponentiation.
        let group = batch.len().div_ceil(threads()).max(1);
        let starts: Vec<usize> = (0..batch.len()).step_by(group).collect();
        let partial = map_all(&starts, |&start| {
            let end = (start + group).min(batch.len());
            let (proofs, r) = (&batch[start..end], &weights[start..end]);
            let weighted_a: Vec<G1Projective> = proofs.iter().zip(r).map(|((p, _), r)| p.a * r).collect();
            let a_points = G1Projective::normalize_batch(&weighted_a);
            let miller = Bn254::multi_miller_loop(a_points, proofs.iter().map(|(p, _)| p.b));
            let c_points: Vec<G1Affine> = proofs.iter().map(|(p, _)| p.c).collect();
            // Equal lengths by construction: the MSM cannot fail.
            let c_sum = G1Projective::msm(&c_points, r).unwrap_or_default();
            (miller, c_sum)
        });
        let weight_sum: Fr = weights.iter().sum();
        let mut input_sums = vec![Fr::zero(); self.input_tables.len()];
        for ((_, inputs), r) in batch.iter().zip(&weights) {
            for (sum, x) in input_sums.iter_mut().zip(inputs) {
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
        let Some(result) = Bn254::final_exponentiation(ark_ec::pairing::MillerLoopOutput(product)) else {
            return false;
        };
        result == self.alpha_beta * weight_sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::PrimeGroup;
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    #[test]
    fn fixed_base_table_equals_scalar_multiplication() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let point = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let table = FixedBaseTable::new(&point);
        let mut scalars = vec![Fr::from(0u64), Fr::from(1u64), Fr::from(15u64), Fr::from(16u64), -Fr::from(1u64)];
        scalars.extend((0..32).map(|_| Fr::rand(&mut rng)));
        scalars.push(Fr::from(u64::MAX));
        for x in scalars {
            assert_eq!(table.mul(&x), point * x, "scalar {x}");
        }
    }
}
