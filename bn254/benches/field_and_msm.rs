//! Field multiplication, squaring and inversion of `Fr` and `Fq`, next to
//! ark-bn254's own fields for comparison.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ff::Field;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

fn field_ops<F: Field>(c: &mut Criterion, name: &str, a: F, b: F) {
    c.bench_function(&format!("{name}/mul"), |bench| bench.iter(|| black_box(a) * black_box(b)));
    c.bench_function(&format!("{name}/mul_chain_1000"), |bench| bench.iter(|| { let mut x = black_box(a); for _ in 0..1000 { x *= b; } x }));
    c.bench_function(&format!("{name}/square"), |bench| bench.iter(|| black_box(a).square()));
    c.bench_function(&format!("{name}/invert"), |bench| bench.iter(|| black_box(a).invert()));
}

fn ark_ops<F: ark_ff::Field>(c: &mut Criterion, name: &str, a: F, b: F) {
    c.bench_function(&format!("{name}/mul"), |bench| bench.iter(|| black_box(a) * black_box(b)));
    c.bench_function(&format!("{name}/mul_chain_1000"), |bench| bench.iter(|| { let mut x = black_box(a); for _ in 0..1000 { x *= b; } x }));
    c.bench_function(&format!("{name}/square"), |bench| bench.iter(|| black_box(a).square()));
    c.bench_function(&format!("{name}/invert"), |bench| bench.iter(|| black_box(a).inverse()));
}

fn fields(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    use ark_ff::UniformRand;
    let fr = (zkcomply_bn254::Fr::from(0x1234_5678_9abc_def1).pow_vartime([7, 1, 3, 5]), zkcomply_bn254::Fr::from(3).pow_vartime([9, 9, 9, 9]));
    let fq = (zkcomply_bn254::Fq::from(0x1234_5678_9abc_def1).pow_vartime([7, 1, 3, 5]), zkcomply_bn254::Fq::from(3).pow_vartime([9, 9, 9, 9]));
    field_ops(c, "Fr", fr.0, fr.1);
    field_ops(c, "Fq", fq.0, fq.1);
    ark_ops(c, "ark_bn254::Fr", ark_bn254::Fr::rand(&mut rng), ark_bn254::Fr::rand(&mut rng));
    ark_ops(c, "ark_bn254::Fq", ark_bn254::Fq::rand(&mut rng), ark_bn254::Fq::rand(&mut rng));
}

criterion_group!(benches, fields);
criterion_main!(benches);
