//! The BN254 scalar field.

/// The BN254 scalar field: integers modulo
/// `r = 21888242871839275222246405745257275088548364400416034343698204186575808495617`.
/// Its canonical byte form (`to_repr`) is 32 bytes, little-endian.
#[derive(ff::PrimeField)]
#[PrimeFieldModulus = "21888242871839275222246405745257275088548364400416034343698204186575808495617"]
#[PrimeFieldGenerator = "7"]
#[PrimeFieldReprEndianness = "little"]
pub struct Fr([u64; 4]);

// ZETA = 0xb3c4d79d41a917585bfc41088d8daaa78b17ea66b99c90dd, the eigenvalue
// of G1's endomorphism for Fq::ZETA (crate::G1::endo); it is also the coset
// generator of halo2's extended evaluation domain.
crate::field_traits::impl_extra_field_traits!(
    Fr,
    [0x93e7cede4a0329b3, 0x7d4fdca77a96c167, 0x8be4ba08b19a750a, 0x1cbd5653a5661c25]
);
