//! Helpers shared by the integration tests: a seeded generator for the
//! rand_core 0.10 traits that `ff`, `group` and `halo2_proofs` take, and
//! conversions between this crate's types and ark-bn254's.

#![allow(dead_code)]

use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField as ArkPrimeField};
use ff::PrimeField;
use group::{Curve, CurveAffine as _};
use pasta_curves::arithmetic::CurveAffine;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_bn254::{Fq, Fr, G1Affine, G1};

/// rand_chacha's ChaCha20 (rand_core 0.6) under rand_core 0.10's traits.
pub struct SeededRng(ChaCha20Rng);

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng(ChaCha20Rng::seed_from_u64(seed))
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut bytes = [0u8; N];
        self.0.fill_bytes(&mut bytes);
        bytes
    }
}

impl rand_core_010::TryRng for SeededRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.0.next_u32())
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.0.next_u64())
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Self::Error> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core_010::TryCryptoRng for SeededRng {}

pub fn field_to_ark<F: PrimeField, A: ArkPrimeField>(value: F) -> A {
    A::from_le_bytes_mod_order(value.to_repr().as_ref())
}

pub fn field_from_ark<F: PrimeField, A: ArkPrimeField>(value: A) -> F {
    let bytes = value.into_bigint().to_bytes_le();
    let mut repr = F::Repr::default();
    repr.as_mut().copy_from_slice(&bytes);
    F::from_repr(repr).unwrap()
}

pub fn fq_from_hex(hex: &str) -> Fq {
    let hex = hex.trim_start_matches("0x");
    let padded = format!("{hex:0>64}");
    let mut repr = [0u8; 32];
    for (i, byte) in repr.iter_mut().enumerate() {
        let start = 62 - 2 * i;
        *byte = u8::from_str_radix(&padded[start..start + 2], 16).unwrap();
    }
    let mut fq_repr = <Fq as PrimeField>::Repr::default();
    fq_repr.as_mut().copy_from_slice(&repr);
    Fq::from_repr(fq_repr).unwrap()
}

pub fn affine_to_ark(point: &G1Affine) -> ark_bn254::G1Affine {
    match Option::from(point.coordinates()) {
        None => ark_bn254::G1Affine::identity(),
        Some(coordinates) => {
            let coordinates: pasta_curves::arithmetic::Coordinates<G1Affine> = coordinates;
            ark_bn254::G1Affine::new(field_to_ark(*coordinates.x()), field_to_ark(*coordinates.y()))
        }
    }
}

pub fn point_to_ark(point: &G1) -> ark_bn254::G1Projective {
    affine_to_ark(&point.to_affine()).into_group()
}

pub fn affine_from_ark(point: &ark_bn254::G1Affine) -> G1Affine {
    match point.xy() {
        None => G1Affine::identity(),
        Some((x, y)) => G1Affine::from_xy(field_from_ark(x), field_from_ark(y)).unwrap(),
    }
}

pub fn point_from_ark(point: &ark_bn254::G1Projective) -> G1 {
    affine_from_ark(&point.into_affine()).to_curve()
}

pub fn random_fr(rng: &mut SeededRng) -> Fr {
    <Fr as ff::FromUniformBytes<64>>::from_uniform_bytes(&rng.bytes())
}
