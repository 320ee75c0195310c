//! The BN254 base field.

/// The BN254 base field: integers modulo
/// `q = 21888242871839275222246405745257275088696311157297823662689037894645226208583`,
/// the field G1's coordinates live in. Its canonical byte form is 32 bytes,
/// little-endian.
#[derive(ff::PrimeField)]
#[PrimeFieldModulus = "21888242871839275222246405745257275088696311157297823662689037894645226208583"]
#[PrimeFieldGenerator = "3"]
#[PrimeFieldReprEndianness = "little"]
pub struct Fq([u64; 4]);

crate::field_traits::impl_extra_field_traits!(
    Fq,
    [0x3350c88e13e80b9c, 0x7dce557cdb5e56b9, 0x6001b4b8b615564a, 0x2682e617020217e0]
);
