//! Fixed-base scalar multiplication tables for a key's public-input points.

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{PrimeField, Zero};

/// Bits per window of a [`FixedBaseTable`].
const WINDOW_BITS: usize = 4;
/// Windows covering a 256-bit scalar.
const WINDOWS: usize = 256 / WINDOW_BITS;

/// Multiples `d · 16^i · P` (`d` = 1..15) of one fixed point, so that a
/// scalar multiplication is at most 64 additions and no doublings: the
/// public-input points of a key are fixed, and every verification
/// multiplies each by a fresh scalar.
#[derive(Debug, Clone)]
pub(super) struct FixedBaseTable {
    windows: Vec<[G1Affine; (1 << WINDOW_BITS) - 1]>,
}

impl FixedBaseTable {
    pub(super) fn new(point: &G1Affine) -> Self {
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

    pub(super) fn mul(&self, scalar: &Fr) -> G1Projective {
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
