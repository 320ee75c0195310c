//! `Fr` and `Fq` agree with ark-bn254's fields on random values.

use ark_ff::{BigInteger, PrimeField as ArkPrimeField};
use ff::{Field, FromUniformBytes, PrimeField, WithSmallOrderMulGroup};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_bn254::{Fq, Fr};

fn to_ark<F: PrimeField, A: ArkPrimeField>(value: F) -> A {
    A::from_le_bytes_mod_order(value.to_repr().as_ref())
}

fn from_ark<F: PrimeField, A: ArkPrimeField>(value: A) -> F {
    let bytes = value.into_bigint().to_bytes_le();
    let mut repr = F::Repr::default();
    repr.as_mut().copy_from_slice(&bytes);
    F::from_repr(repr).unwrap()
}

fn agree<F: PrimeField + FromUniformBytes<64> + WithSmallOrderMulGroup<3>, A: ArkPrimeField>() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for _ in 0..200 {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        let a = F::from_uniform_bytes(&wide);
        let ark_a = A::from_le_bytes_mod_order(&wide);
        assert_eq!(to_ark::<F, A>(a), ark_a, "from_uniform_bytes");
        rng.fill_bytes(&mut wide);
        let b = F::from_uniform_bytes(&wide);
        let ark_b: A = to_ark(b);
        assert_eq!(from_ark::<F, A>(ark_a * ark_b), a * b);
        assert_eq!(from_ark::<F, A>(ark_a + ark_b), a + b);
        assert_eq!(from_ark::<F, A>(ark_a - ark_b), a - b);
        assert_eq!(from_ark::<F, A>(ark_a.inverse().unwrap()), a.invert().unwrap());
        let square = a.square();
        let root = square.sqrt().unwrap();
        assert!(root == a || root == -a);
    }
    assert_eq!(F::ZETA.cube(), F::ONE);
    assert_ne!(F::ZETA, F::ONE);
    assert_eq!(F::ROOT_OF_UNITY.pow_vartime([1u64 << F::S]), F::ONE);
}

#[test]
fn scalar_field_matches_ark() {
    agree::<Fr, ark_bn254::Fr>();
    assert_eq!(Fr::S, 28);
}

#[test]
fn base_field_matches_ark() {
    agree::<Fq, ark_bn254::Fq>();
}

#[test]
fn order_is_the_canonical_integers() {
    let big = -Fr::ONE;
    assert!(Fr::ONE < Fr::from(2));
    assert!(Fr::from(u64::MAX) < big);
    assert!(Fq::ZERO < -Fq::ONE);
}
