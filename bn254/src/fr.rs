//! The BN254 scalar field.

use ff::helpers::sqrt_tonelli_shanks;
use subtle::CtOption;

crate::field::define_prime_field!(
    /// The BN254 scalar field: integers modulo
    /// `r = 21888242871839275222246405745257275088548364400416034343698204186575808495617`,
    /// the field every zkcomply circuit is written over. A newtype over
    /// `ark_bn254::Fr`. Its canonical byte form (`to_repr`) is 32 bytes,
    /// little-endian; `Debug` prints `0x` and 64 lowercase hex digits.
    Fr over ark_bn254::Fr,
    modulus: "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
    multiplicative_generator: "7",
    two_adicity: 28,
    // 7^t for r - 1 = 2^28 t, t odd.
    root_of_unity: "1748695177688661943023146337482803886740723238769601073607632802312037301404",
    root_of_unity_inverse: "2037444462055058054189478067370099086220733342011840546702672064072905551290",
    // 7^(2^28).
    delta: "4131629893567559867359510883348571134090853742863529169391034518566172092834",
    two_inverse: "10944121435919637611123202872628637544274182200208017171849102093287904247809",
    // 0xb3c4d79d41a917585bfc41088d8daaa78b17ea66b99c90dd, the eigenvalue of
    // G1's endomorphism for Fq::ZETA (crate::G1::endo); it is also the coset
    // generator of halo2's extended evaluation domain.
    zeta: "4407920970296243842393367215006156084916469457145843978461",
    square_root: square_root,
);

/// A square root by `ff`'s constant-time Tonelli-Shanks (r = 1 mod 16).
fn square_root(value: &Fr) -> CtOption<Fr> {
    sqrt_tonelli_shanks(value, <ark_bn254::Fr as ark_ff::PrimeField>::TRACE_MINUS_ONE_DIV_TWO)
}

#[cfg(test)]
mod tests {
    use ff::{Field, PrimeField};

    use super::Fr;

    /// The constants are the ones `ff` defines from the generator 7, as
    /// `ff_derive` computed them.
    #[test]
    fn constants_follow_from_the_generator() {
        assert_eq!(Fr::MULTIPLICATIVE_GENERATOR, Fr::from(7));
        let trace = <ark_bn254::Fr as ark_ff::PrimeField>::TRACE.0;
        assert_eq!(Fr::ROOT_OF_UNITY, Fr::MULTIPLICATIVE_GENERATOR.pow_vartime(trace));
        assert_eq!(Fr::ROOT_OF_UNITY * Fr::ROOT_OF_UNITY_INV, Fr::ONE);
        assert_eq!(Fr::ROOT_OF_UNITY.pow_vartime([1u64 << (Fr::S - 1)]), -Fr::ONE);
        assert_eq!(Fr::DELTA, Fr::MULTIPLICATIVE_GENERATOR.pow_vartime([1u64 << Fr::S]));
        assert_eq!(Fr::TWO_INV.double(), Fr::ONE);
        assert_eq!(Fr::NUM_BITS, 254);
    }
}
