//! The BN254 base field.

use ff::Field;
use subtle::{ConstantTimeEq, CtOption};

crate::field::define_prime_field!(
    /// The BN254 base field: integers modulo
    /// `q = 21888242871839275222246405745257275088696311157297823662689037894645226208583`,
    /// the field G1's coordinates live in. A newtype over `ark_bn254::Fq`.
    /// Its canonical byte form is 32 bytes, little-endian; `Debug` prints
    /// `0x` and 64 lowercase hex digits.
    Fq over ark_bn254::Fq,
    modulus: "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47",
    multiplicative_generator: "3",
    two_adicity: 1,
    // 3^((q - 1) / 2) = -1.
    root_of_unity: "21888242871839275222246405745257275088696311157297823662689037894645226208582",
    root_of_unity_inverse: "21888242871839275222246405745257275088696311157297823662689037894645226208582",
    // 3^2.
    delta: "9",
    two_inverse: "10944121435919637611123202872628637544348155578648911831344518947322613104292",
    // 0x59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffe, the cube root of
    // unity with (ZETA * x, y) = [Fr::ZETA] (x, y) on G1 (crate::G1::endo).
    zeta: "2203960485148121921418603742825762020974279258880205651966",
    square_root: square_root,
);

/// `(q + 1) / 4`: `q = 3 (mod 4)`, so `a^((q + 1) / 4)` is a square root of
/// every square `a`.
const SQUARE_ROOT_EXPONENT: ark_ff::BigInt<4> =
    match <ark_bn254::FqConfig as ark_ff::MontConfig<4>>::MODULUS_PLUS_ONE_DIV_FOUR {
        Some(exponent) => exponent,
        None => panic!("q = 3 (mod 4)"),
    };

/// A square root as one fixed exponentiation (the same multiplications for
/// every input).
fn square_root(value: &Fq) -> CtOption<Fq> {
    let root = Fq(ark_ff::Field::pow(&value.0, SQUARE_ROOT_EXPONENT));
    CtOption::new(root, root.square().ct_eq(value))
}

#[cfg(test)]
mod tests {
    use ff::{Field, PrimeField};

    use super::Fq;

    /// The constants are the ones `ff` defines from the generator 3, as
    /// `ff_derive` computed them.
    #[test]
    fn constants_follow_from_the_generator() {
        assert_eq!(Fq::MULTIPLICATIVE_GENERATOR, Fq::from(3));
        let trace = <ark_bn254::Fq as ark_ff::PrimeField>::TRACE.0;
        assert_eq!(Fq::ROOT_OF_UNITY, Fq::MULTIPLICATIVE_GENERATOR.pow_vartime(trace));
        assert_eq!(Fq::ROOT_OF_UNITY, -Fq::ONE);
        assert_eq!(Fq::ROOT_OF_UNITY * Fq::ROOT_OF_UNITY_INV, Fq::ONE);
        assert_eq!(Fq::DELTA, Fq::MULTIPLICATIVE_GENERATOR.pow_vartime([1u64 << Fq::S]));
        assert_eq!(Fq::TWO_INV.double(), Fq::ONE);
        assert_eq!(Fq::NUM_BITS, 254);
    }
}
