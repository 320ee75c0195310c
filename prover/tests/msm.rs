//! `zkcomply_prover::msm::msm` (affine buckets, batched inversions)
//! against ark-ec's MSM, in G1 and G2: random inputs of many sizes, and
//! the inputs that take its rare paths (the point at infinity as a base,
//! one point many times, a point and its negation in one bucket, zero,
//! one, small and `r - 1` scalars).

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, Field, PrimeField, UniformRand};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_prover::msm::msm;

fn check<P: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr], what: &str) {
    let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
    let expected = <Projective<P> as VariableBaseMSM>::msm_bigint(bases, &bigints);
    assert_eq!(msm(bases, &bigints), expected, "{what}: {} terms", bases.len().min(scalars.len()));
}

fn random_points<P: SWCurveConfig>(rng: &mut ChaCha20Rng, n: usize) -> Vec<Affine<P>> {
    let g = Projective::<P>::generator();
    let points: Vec<Projective<P>> = (0..n).map(|_| g * P::ScalarField::rand(rng)).collect();
    Projective::normalize_batch(&points)
}

fn scalar(rng: &mut ChaCha20Rng) -> Fr {
    match rng.gen_range(0..6) {
        0 => Fr::ZERO,
        1 => Fr::ONE,
        2 => -Fr::ONE,
        3 => Fr::from(rng.gen_range(0..70_000u64)),
        _ => Fr::rand(rng),
    }
}

fn random_and_edge_cases<P: SWCurveConfig<ScalarField = Fr>>() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for n in [0, 1, 2, 3, 17, 255, 256, 257, 1000, 5000] {
        let bases = random_points::<P>(&mut rng, n);
        let scalars: Vec<Fr> = (0..n).map(|_| scalar(&mut rng)).collect();
        check(&bases, &scalars, "random");
    }
    let base = random_points::<P>(&mut rng, 1)[0];
    // One point many times: every bucket addition is a doubling or a
    // cancellation at some point.
    let bases = vec![base; 600];
    let scalars: Vec<Fr> = (0..600).map(|i| Fr::from((i % 7) as u64 + 1)).collect();
    check(&bases, &scalars, "one point, small scalars");
    let scalars: Vec<Fr> = (0..600).map(|_| Fr::rand(&mut rng)).collect();
    check(&bases, &scalars, "one point, random scalars");
    // A point and its negation with equal scalars: sums to zero.
    let bases: Vec<_> = (0..400).map(|i| if i % 2 == 0 { base } else { -base }).collect();
    let scalars = vec![Fr::from(5u64); 400];
    check(&bases, &scalars, "a point and its negation");
    // The point at infinity among the bases, and r - 1.
    let mut bases = random_points::<P>(&mut rng, 300);
    for i in (0..300).step_by(3) {
        bases[i] = Affine::identity();
    }
    let scalars: Vec<Fr> = (0..300).map(|i| if i % 5 == 0 { -Fr::ONE } else { scalar(&mut rng) }).collect();
    check(&bases, &scalars, "infinity among the bases, r - 1");
    // Slices of different lengths: the shorter one counts.
    let bases = random_points::<P>(&mut rng, 50);
    let scalars: Vec<Fr> = (0..80).map(|_| Fr::rand(&mut rng)).collect();
    check(&bases, &scalars, "more scalars than bases");
    check(&bases, &scalars[..20], "more bases than scalars");
}

#[test]
fn g1_agrees_with_ark_ec() {
    random_and_edge_cases::<ark_bn254::g1::Config>();
    // The Groth16 prover's size: a whole window of buckets in use.
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let bases: Vec<G1Affine> = random_points(&mut rng, 1 << 15);
    let scalars: Vec<Fr> = (0..1 << 15).map(|_| scalar(&mut rng)).collect();
    check(&bases, &scalars, "2^15 terms");
    let _: G1Projective = msm(&bases[..0], &[]);
}

#[test]
fn g2_agrees_with_ark_ec() {
    random_and_edge_cases::<ark_bn254::g2::Config>();
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let bases: Vec<G2Affine> = random_points(&mut rng, 4096);
    let scalars: Vec<Fr> = (0..4096).map(|_| scalar(&mut rng)).collect();
    check(&bases, &scalars, "4096 terms");
    let _: G2Projective = msm(&bases[..0], &[]);
    let _ = G1Affine::generator().into_group().into_affine();
}
