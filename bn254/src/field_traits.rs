//! The traits `halo2_proofs` asks of a curve's fields beyond `ff::PrimeField`:
//! [`ff::FromUniformBytes<64>`] (transcript challenges),
//! [`ff::WithSmallOrderMulGroup<3>`] (the evaluation domain's coset and the
//! curve endomorphism), and [`pasta_curves::arithmetic::VartimeField`]
//! (`#[derive(ff::PrimeField)]` already orders by the canonical integer).

/// Implements the extra traits for a field made by `#[derive(ff::PrimeField)]`,
/// given `ZETA` (an element of multiplicative order 3) in Montgomery form.
macro_rules! impl_extra_field_traits_ {
    ($field:ident, $zeta_montgomery:expr) => {
        impl ::ff::WithSmallOrderMulGroup<3> for $field {
            /// An element of multiplicative order 3; `Fq::ZETA` and `Fr::ZETA`
            /// are paired by G1's endomorphism (see `G1::endo`).
            const ZETA: Self = $field($zeta_montgomery);
        }

        impl ::ff::FromUniformBytes<64> for $field {
            /// Reduces 64 little-endian bytes modulo p: the bias is below
            /// 2^-250, so the result is uniform for uniform input.
            fn from_uniform_bytes(bytes: &[u8; 64]) -> Self {
                // Horner's rule over the eight 64-bit limbs, most significant first.
                let two_to_64 = <Self as ::ff::PrimeField>::from_u128(1u128 << 64);
                bytes.chunks_exact(8).rev().fold(<Self as ::ff::Field>::ZERO, |acc, limb| {
                    let mut limb_bytes = [0u8; 8];
                    limb_bytes.copy_from_slice(limb);
                    acc * two_to_64 + Self::from(u64::from_le_bytes(limb_bytes))
                })
            }
        }

        impl ::pasta_curves::arithmetic::VartimeField for $field {}
    };
}

pub(crate) use impl_extra_field_traits_ as impl_extra_field_traits;
