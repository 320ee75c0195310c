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
            /// `GENERATOR^((p - 1) / 3)`, an element of multiplicative order 3.
            const ZETA: Self = $field($zeta_montgomery);
        }

        impl ::ff::FromUniformBytes<64> for $field {
            /// Reduces 64 little-endian bytes modulo p: the bias is below
            /// 2^-250, so the result is uniform for uniform input.
            fn from_uniform_bytes(bytes: &[u8; 64]) -> Self {
                // value = low + high * 2^256, each half reduced on its own.
                let half = |chunk: &[u8]| -> Self {
                    let mut acc = <Self as ::ff::Field>::ZERO;
                    for byte in chunk.iter().rev() {
                        acc = acc * Self::from(256) + Self::from(u64::from(*byte));
                    }
                    acc
                };
                let two_to_128 = <Self as ::ff::PrimeField>::from_u128(u128::MAX) + <Self as ::ff::Field>::ONE;
                half(&bytes[..32]) + half(&bytes[32..]) * ::ff::Field::square(&two_to_128)
            }
        }

        impl ::pasta_curves::arithmetic::VartimeField for $field {}
    };
}

pub(crate) use impl_extra_field_traits_ as impl_extra_field_traits;
