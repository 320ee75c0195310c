//! Criterion benchmarks of one multi-scalar multiplication the size of the
//! Groth16 prover's: zkcomply's affine buckets (`zkcomply_prover::msm`)
//! against ark-ec 0.6's MSM, in G1 (2^15 terms, as the H query) and G2
//! (2^14), on scalars mixed as the withdrawal's witness is (86% full
//! size, 9% zero, 5% one or minus one) and, in G1, on full-size scalars
//! only (as `h` is).
//!
//! `cargo bench -p zkcomply-benches --bench msm`

use ark_bn254::{Fr, G1Projective, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Field, PrimeField, UniformRand};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Scalars as the withdrawal's witness has them: of 23,957 variables,
/// 20,582 full size, 2,155 zero, 1,202 one or minus one.
fn witness_like(rng: &mut StdRng, n: usize) -> Vec<<Fr as PrimeField>::BigInt> {
    (0..n)
        .map(|_| match rng.gen_range(0..100) {
            0..9 => Fr::ZERO,
            9..12 => Fr::ONE,
            12..14 => -Fr::ONE,
            _ => Fr::rand(rng),
        })
        .map(|s| s.into_bigint())
        .collect()
}

fn full_size(rng: &mut StdRng, n: usize) -> Vec<<Fr as PrimeField>::BigInt> {
    (0..n).map(|_| Fr::rand(rng).into_bigint()).collect()
}

fn benches(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let g1: Vec<_> = (0..1 << 15).map(|_| G1Projective::generator() * Fr::rand(&mut rng)).collect();
    let g1 = G1Projective::normalize_batch(&g1);
    let s1 = witness_like(&mut rng, g1.len());
    let h = full_size(&mut rng, g1.len());
    let g2: Vec<_> = (0..1 << 14).map(|_| G2Projective::generator() * Fr::rand(&mut rng)).collect();
    let g2 = G2Projective::normalize_batch(&g2);
    let s2 = witness_like(&mut rng, g2.len());

    let mut group = c.benchmark_group("msm");
    group.sample_size(20);
    group.bench_function("G1, 2^15 witness-like terms: affine buckets", |b| {
        b.iter(|| zkcomply_prover::msm::msm::<ark_bn254::g1::Config>(&g1, &s1))
    });
    group.bench_function("G1, 2^15 witness-like terms: affine buckets, GLV", |b| {
        b.iter(|| zkcomply_prover::msm::msm_glv::<ark_bn254::g1::Config>(&g1, &s1))
    });
    group.bench_function("G1, 2^15 witness-like terms: ark-ec", |b| b.iter(|| G1Projective::msm_bigint(&g1, &s1)));
    group.bench_function("G1, 2^15 full-size terms: affine buckets", |b| {
        b.iter(|| zkcomply_prover::msm::msm::<ark_bn254::g1::Config>(&g1, &h))
    });
    group.bench_function("G1, 2^15 full-size terms: affine buckets, GLV", |b| {
        b.iter(|| zkcomply_prover::msm::msm_glv::<ark_bn254::g1::Config>(&g1, &h))
    });
    group.bench_function("G1, 2^15 full-size terms: ark-ec", |b| b.iter(|| G1Projective::msm_bigint(&g1, &h)));
    group.bench_function("G2, 2^14 witness-like terms: affine buckets", |b| {
        b.iter(|| zkcomply_prover::msm::msm::<ark_bn254::g2::Config>(&g2, &s2))
    });
    group.bench_function("G2, 2^14 witness-like terms: affine buckets, GLV", |b| {
        b.iter(|| zkcomply_prover::msm::msm_glv::<ark_bn254::g2::Config>(&g2, &s2))
    });
    group.bench_function("G2, 2^14 witness-like terms: ark-ec", |b| b.iter(|| G2Projective::msm_bigint(&g2, &s2)));
    group.finish();
}

criterion_group!(msm, benches);
criterion_main!(msm);
