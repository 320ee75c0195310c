//! Field multiplication, addition/subtraction, squaring and inversion of
//! `Fr` and `Fq` (next to the ark-bn254 fields they wrap, to show what the
//! wrapping costs), G1 addition, mixed addition, doubling and scalar
//! multiplication (this crate's GLV next to ark-ec's), hashing to G1, and
//! 2^12- and 2^14-point multi-scalar multiplications through
//! `halo2_proofs::arithmetic::best_multiexp` (next to ark-ec's own MSM over
//! ark-bn254).
//!
//! `cargo bench -p zkcomply-bn254 --bench field_and_msm`

use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::UniformRand;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ff::{Field, FromUniformBytes};
use group::{Curve, Group};
use halo2_proofs::arithmetic::best_multiexp;
use pasta_curves::arithmetic::CurveExt;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_bn254::{Fq, Fr, G1Affine, G1};

/// The sizes of the multi-scalar multiplications: `k = 12` is the
/// withdrawal circuit's.
const MSM_LOG_SIZES: [u32; 2] = [12, 14];

fn uniform<F: FromUniformBytes<64>>(rng: &mut ChaCha20Rng) -> F {
    let mut bytes = [0u8; 64];
    rng.fill_bytes(&mut bytes);
    F::from_uniform_bytes(&bytes)
}

/// Multiplication (one, and a dependent chain of 1000), a chain of 1000
/// additions and subtractions, squaring, inversion.
fn ff_field<F: Field + FromUniformBytes<64>>(c: &mut Criterion, name: &str, rng: &mut ChaCha20Rng) {
    let (a, b): (F, F) = (uniform(rng), uniform(rng));
    c.bench_function(&format!("{name}/mul"), |bench| bench.iter(|| black_box(a) * black_box(b)));
    c.bench_function(&format!("{name}/mul_chain_1000"), |bench| {
        bench.iter(|| (0..1000).fold(black_box(a), |acc, _| acc * b))
    });
    c.bench_function(&format!("{name}/add_sub_chain_1000"), |bench| {
        bench.iter(|| (0..1000).fold(black_box(a), |acc, _| (acc + b) - a.double()))
    });
    c.bench_function(&format!("{name}/square"), |bench| bench.iter(|| black_box(a).square()));
    c.bench_function(&format!("{name}/invert"), |bench| bench.iter(|| black_box(a).invert()));
}

/// The same operations on an ark-ff field.
fn ark_field<F: ark_ff::Field>(c: &mut Criterion, name: &str, rng: &mut ChaCha20Rng) {
    let (a, b) = (F::rand(rng), F::rand(rng));
    c.bench_function(&format!("{name}/mul"), |bench| bench.iter(|| black_box(a) * black_box(b)));
    c.bench_function(&format!("{name}/mul_chain_1000"), |bench| {
        bench.iter(|| (0..1000).fold(black_box(a), |acc, _| acc * b))
    });
    c.bench_function(&format!("{name}/add_sub_chain_1000"), |bench| {
        bench.iter(|| (0..1000).fold(black_box(a), |acc, _| (acc + b) - a.double()))
    });
    c.bench_function(&format!("{name}/square"), |bench| bench.iter(|| black_box(a).square()));
    c.bench_function(&format!("{name}/invert"), |bench| bench.iter(|| black_box(a).inverse()));
}

fn fields(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    ff_field::<Fr>(c, "Fr", &mut rng);
    ff_field::<Fq>(c, "Fq", &mut rng);
    ark_field::<ark_bn254::Fr>(c, "ark_bn254::Fr", &mut rng);
    ark_field::<ark_bn254::Fq>(c, "ark_bn254::Fq", &mut rng);
}

fn curve(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let point = G1::generator() * uniform::<Fr>(&mut rng);
    let scalar: Fr = uniform(&mut rng);
    c.bench_function("G1/mul (GLV, width-5 NAF)", |bench| bench.iter(|| black_box(point) * black_box(scalar)));
    let ark_point = ark_bn254::G1Projective::rand(&mut rng);
    let ark_scalar = ark_bn254::Fr::rand(&mut rng);
    c.bench_function("ark_bn254::G1Projective/mul", |bench| {
        bench.iter(|| black_box(ark_point) * black_box(ark_scalar))
    });
    let other = point.double();
    let other_affine = other.to_affine();
    c.bench_function("G1/add", |bench| bench.iter(|| black_box(point) + black_box(other)));
    c.bench_function("G1/add mixed (G1 + G1Affine)", |bench| bench.iter(|| black_box(point) + black_box(other_affine)));
    c.bench_function("G1/double", |bench| bench.iter(|| black_box(point).double()));
    let hasher = G1::hash_to_curve("Halo2-Parameters");
    let mut counter = 0u32;
    c.bench_function("G1/hash_to_curve", |bench| {
        bench.iter(|| {
            counter = counter.wrapping_add(1);
            hasher(&counter.to_le_bytes())
        })
    });
}

fn msm(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let mut group = c.benchmark_group("msm");
    group.sample_size(10);
    for log_size in MSM_LOG_SIZES {
        let size = 1usize << log_size;
        let hasher = G1::hash_to_curve("MSM-bench");
        let projective: Vec<G1> = (0..size as u32).map(|i| hasher(&i.to_le_bytes())).collect();
        let mut bases = vec![G1Affine::default(); size];
        G1::batch_normalize(&projective, &mut bases);
        let scalars: Vec<Fr> = (0..size).map(|_| uniform(&mut rng)).collect();
        group.bench_function(format!("best_multiexp 2^{log_size} (G1)"), |bench| {
            bench.iter(|| best_multiexp(black_box(&scalars), black_box(&bases)))
        });
        let ark_bases = ark_bn254::G1Projective::normalize_batch(
            &(0..size).map(|_| ark_bn254::G1Projective::rand(&mut rng)).collect::<Vec<_>>(),
        );
        let ark_scalars: Vec<ark_bn254::Fr> = (0..size).map(|_| ark_bn254::Fr::rand(&mut rng)).collect();
        group.bench_function(format!("ark-ec msm 2^{log_size} (ark_bn254::G1)"), |bench| {
            bench.iter(|| ark_bn254::G1Projective::msm(black_box(&ark_bases), black_box(&ark_scalars)))
        });
    }
    group.finish();
}

criterion_group!(benches, fields, curve, msm);
criterion_main!(benches);
