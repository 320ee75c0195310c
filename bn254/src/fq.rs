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

// ZETA = 0x59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffe, the cube root
// of unity with (ZETA * x, y) = [Fr::ZETA] (x, y) on G1 (crate::G1::endo).
crate::field_traits::impl_extra_field_traits!(
    Fq,
    [0x71930c11d782e155, 0xa6bb947cffbe3323, 0xaa303344d4741444, 0x2c3b3f0d26594943]
);
