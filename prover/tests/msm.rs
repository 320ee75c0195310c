//! `zkcomply_prover::msm::msm` (affine buckets, batched inversions) and
//! `msm_glv` (the same through the GLV endomorphism) against ark-ec's
//! MSM, in G1 and G2, and the GLV split itself: random inputs of many sizes, and
//! the inputs that take its rare paths (the point at infinity as a base,
//! one point many times, a point and its negation in one bucket, zero,
//! one, small and `r - 1` scalars).

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField, UniformRand};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkcomply_prover::glv::{GlvSplit, HALF_BITS};
use zkcomply_prover::msm::{msm, msm_glv};

/// Both sums, plain and through the endomorphism, against ark-ec's.
fn check<P: GLVConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr], what: &str) {
    let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
    let expected = <Projective<P> as VariableBaseMSM>::msm_bigint(bases, &bigints);
    let terms = bases.len().min(scalars.len());
    assert_eq!(msm(bases, &bigints), expected, "{what}: {terms} terms");
    assert_eq!(msm_glv(bases, &bigints), expected, "{what}: {terms} terms, GLV");
}

/// `k = k1 + λ k2` with both halves within `HALF_BITS`, for the scalars
/// the split finds hardest: around multiples of `λ` and of `r / 2`, and
/// the ends of the range.
fn split_is_exact<P: GLVConfig<ScalarField = Fr>>() {
    let split = GlvSplit::new::<P>();
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let half = Fr::from(2u64).inverse().unwrap();
    let mut scalars = vec![Fr::ZERO, Fr::ONE, -Fr::ONE, P::LAMBDA, -P::LAMBDA, P::LAMBDA.square(), half, -half];
    for i in 1..200u64 {
        scalars.push(P::LAMBDA * Fr::from(i) + Fr::from(i % 3));
        scalars.push(-Fr::from(i));
        scalars.push(half + Fr::from(i));
    }
    scalars.extend((0..2000).map(|_| Fr::rand(&mut rng)));
    for k in scalars {
        let [(n1, k1), (n2, k2)] = split.split(&k.into_bigint().0).expect("halves within HALF_BITS");
        assert!(k1.num_bits() <= HALF_BITS && k2.num_bits() <= HALF_BITS);
        let signed = |negative: bool, m: ark_ff::BigInt<4>| {
            let v = Fr::from_bigint(m).unwrap();
            if negative {
                -v
            } else {
                v
            }
        };
        assert_eq!(signed(n1, k1) + P::LAMBDA * signed(n2, k2), k, "split of {k}");
    }
}

#[test]
fn glv_split_is_exact_in_g1_and_g2() {
    split_is_exact::<ark_bn254::g1::Config>();
    split_is_exact::<ark_bn254::g2::Config>();
}

fn random_points<P: GLVConfig>(rng: &mut ChaCha20Rng, n: usize) -> Vec<Affine<P>> {
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

fn random_and_edge_cases<P: GLVConfig<ScalarField = Fr>>() {
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
