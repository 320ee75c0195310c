//! The withdrawal statement as PLONKish chips for `halo2_proofs` 0.4, over
//! BN254's scalar field ([`Fp`], the same field as [`crate::Fr`]).
//!
//! Every chip has a native twin in this crate (Poseidon in
//! [`crate::poseidon`], Baby Jubjub in [`crate::babyjubjub`], EdDSA in
//! [`crate::eddsa`], indexed Merkle trees in [`crate::imt`]) and MockProver
//! tests that say it computes the same values and rejects what the twin
//! rejects.
//!
//! Conventions every chip follows:
//! - a chip is configured over columns its caller passes in, so the
//!   withdrawal circuit shares one pool of advice columns among all chips;
//! - every method that assigns takes a `label` and names its regions
//!   `"{label}: {what}"`; the withdrawal circuit passes the STATEMENT.md row
//!   (`credential_signature`, `identity_not_sanctioned`, ...), so a failing
//!   constraint names the row it belongs to;
//! - values cross between the two field types only through [`to_fp`] and
//!   [`from_fp`].

pub mod arithmetic;
pub mod babyjubjub;
pub mod eddsa;
#[cfg(test)]
pub(crate) mod failures;
pub mod imt;
pub mod poseidon;
pub mod range;
pub mod withdrawal;

pub use zkcomply_bn254::Fr as Fp;

use ff::PrimeField as _;

/// The halo2 field element equal to an arkworks BN254 scalar.
pub fn to_fp(value: crate::Fr) -> Fp {
    let mut repr = <Fp as ff::PrimeField>::Repr::default();
    let bytes = ark_ff::BigInteger::to_bytes_le(&ark_ff::PrimeField::into_bigint(value));
    repr.as_mut().copy_from_slice(&bytes);
    // An arkworks scalar is canonical, so it is below the same modulus.
    Fp::from_repr(repr).expect("canonical BN254 scalar")
}

/// The arkworks BN254 scalar equal to a halo2 field element.
pub fn from_fp(value: Fp) -> crate::Fr {
    <crate::Fr as ark_ff::PrimeField>::from_le_bytes_mod_order(value.to_repr().as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip_at_the_edges() {
        let minus_one = -crate::Fr::from(1u64);
        for value in [crate::Fr::from(0u64), crate::Fr::from(1u64), crate::Fr::from(u64::MAX), minus_one] {
            assert_eq!(from_fp(to_fp(value)), value);
        }
        assert_eq!(to_fp(minus_one), -<Fp as ff::Field>::ONE);
    }
}
