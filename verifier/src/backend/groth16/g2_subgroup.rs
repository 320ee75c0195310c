//! Membership of a BN254 G2 point in the prime-order subgroup, by the test
//! of El Housni, Guillevic and Piellard ("Co-factor clearing and subgroup
//! membership testing on pairing-friendly curves", eprint 2022/348,
//! sections 3 and 5.1; gnark-crypto uses it):
//!
//! ```text
//! [r]Q = 0  <=>  [x+1]Q + ψ([x]Q) + ψ²([x]Q) = ψ³([2x]Q)
//! ```
//!
//! with `x = 4965661367192848881` the curve's 63-bit seed and `ψ` the
//! untwist-Frobenius-twist endomorphism. One 63-bit scalar multiplication,
//! where arkworks' test (`ψ(Q) = [6x²]Q`) takes a 127-bit one: about half
//! the cost of the check every proof's `B` needs. The tests compare it with
//! arkworks' test on points of the subgroup, off it, and with components of
//! every small order the cofactor allows.

use std::sync::OnceLock;

use ark_bn254::{Fq2, G2Affine, G2Projective};
use ark_ec::{AdditiveGroup, AffineRepr};
use ark_ff::{BigInteger, Field, PrimeField};

/// The BN254 seed `x`.
pub const SEED: u64 = 4_965_661_367_192_848_881;

/// `(u+9)^((p-1)/3)` and `(u+9)^((p-1)/2)`: ψ's coefficients on x and y.
fn psi_coefficients() -> &'static (Fq2, Fq2) {
    static COEFFS: OnceLock<(Fq2, Fq2)> = OnceLock::new();
    COEFFS.get_or_init(|| {
        let xi = Fq2::new(9u64.into(), 1u64.into());
        let mut p_minus_1 = ark_bn254::Fq::MODULUS;
        p_minus_1.sub_with_borrow(&1u64.into());
        let third = divide(&p_minus_1, 3);
        let half = divide(&p_minus_1, 2);
        (xi.pow(third), xi.pow(half))
    })
}

/// `n / d` for a small `d` that divides `n`, as 64-bit limbs.
fn divide(n: &<ark_bn254::Fq as PrimeField>::BigInt, d: u64) -> Vec<u64> {
    let mut out = n.0;
    let mut rem: u128 = 0;
    for limb in out.iter_mut().rev() {
        let cur = (rem << 64) | u128::from(*limb);
        *limb = (cur / u128::from(d)) as u64;
        rem = cur % u128::from(d);
    }
    out.to_vec()
}

/// ψ on Jacobian coordinates: `(X^p c_x : Y^p c_y : Z^p)`.
pub fn psi(p: &G2Projective) -> G2Projective {
    let (cx, cy) = psi_coefficients();
    let mut q = *p;
    q.x.frobenius_map_in_place(1);
    q.x *= cx;
    q.y.frobenius_map_in_place(1);
    q.y *= cy;
    q.z.frobenius_map_in_place(1);
    q
}

/// Whether `q`, a point on the twist, is in the prime-order subgroup.
pub fn is_in_subgroup(q: &G2Affine) -> bool {
    if q.is_zero() {
        return true;
    }
    let point = q.into_group();
    let x_q = q.mul_bigint([SEED]);
    let psi_x_q = psi(&x_q);
    let lhs = x_q + point + psi_x_q + psi(&psi_x_q);
    let rhs = psi(&psi(&psi(&x_q.double())));
    lhs == rhs
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ec::short_weierstrass::SWCurveConfig;
    use ark_ec::{CurveConfig, CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;
    use num_bigint::BigUint;
    use rand::SeedableRng;

    /// A uniformly random point of the whole twist (almost never in the subgroup).
    fn random_twist_point<R: rand::Rng>(rng: &mut R) -> G2Affine {
        loop {
            let x = Fq2::rand(rng);
            let rhs = x.square() * x + ark_bn254::g2::Config::COEFF_B;
            if let Some(y) = rhs.sqrt() {
                let p = G2Affine::new_unchecked(x, y);
                assert!(p.is_on_curve());
                return p;
            }
        }
    }

    fn arkworks_says(p: &G2Affine) -> bool {
        p.is_in_correct_subgroup_assuming_on_curve()
    }

    fn mul(p: &G2Affine, k: &BigUint) -> G2Affine {
        p.mul_bigint(k.to_u64_digits()).into_affine()
    }

    fn order() -> BigUint {
        BigUint::from_bytes_le(&Fr::MODULUS.to_bytes_le())
    }

    /// The twist's cofactor `h` (its order is `h r`).
    fn cofactor() -> BigUint {
        let limbs = <ark_bn254::g2::Config as CurveConfig>::COFACTOR;
        limbs.iter().rev().fold(BigUint::from(0u8), |acc, l| (acc << 64) + BigUint::from(*l))
    }

    #[test]
    fn psi_acts_as_p_on_the_subgroup() {
        // On G2, ψ(Q) = [p]Q = [6x²]Q (the identity arkworks' test uses).
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let six_x_squared = BigUint::from(SEED).pow(2) * 6u8;
        for _ in 0..8 {
            let q = (G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
            assert_eq!(psi(&q.into_group()).into_affine(), mul(&q, &six_x_squared));
        }
    }

    #[test]
    fn agrees_with_arkworks_on_subgroup_points_and_random_twist_points() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
        for _ in 0..64 {
            let q = (G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
            assert!(is_in_subgroup(&q));
            assert!(arkworks_says(&q));
        }
        let mut outside = 0;
        for _ in 0..256 {
            let p = random_twist_point(&mut rng);
            assert_eq!(is_in_subgroup(&p), arkworks_says(&p));
            outside += usize::from(!arkworks_says(&p));
        }
        assert!(outside > 250, "random twist points are almost never in the subgroup");
    }

    #[test]
    fn refuses_every_small_order_component_the_cofactor_allows() {
        // For each prime q dividing the cofactor h, a point T of order q (from
        // a random twist point: [h r / q]P). T must be refused, and so must
        // Q + T with Q in the subgroup.
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let h = cofactor();
        let n = &h * order();
        // h = 10069 * 5864401 * 1875725156269 * 197620364512881247228717050342013327560683201906968909.
        let factors: Vec<BigUint> =
            ["10069", "5864401", "1875725156269", "197620364512881247228717050342013327560683201906968909"]
                .iter()
                .map(|f| f.parse().unwrap())
                .collect();
        assert_eq!(factors.iter().product::<BigUint>(), h, "the cofactor's factorisation");
        for q in &factors {
            let mut found = false;
            for _ in 0..32 {
                let t = mul(&random_twist_point(&mut rng), &(&n / q));
                if t.is_zero() {
                    continue;
                }
                found = true;
                assert!(!is_in_subgroup(&t), "a point of order {q}");
                assert!(!arkworks_says(&t));
                let g = (G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
                let mixed = (g.into_group() + t).into_affine();
                assert!(!is_in_subgroup(&mixed), "subgroup point + order-{q} point");
                assert_eq!(is_in_subgroup(&mixed), arkworks_says(&mixed));
                break;
            }
            assert!(found, "no point of order {q} found");
        }
    }

    #[test]
    fn a_proof_with_b_outside_the_subgroup_does_not_decode() {
        use super::super::Proof;
        use ark_serialize::CanonicalSerialize;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(4);
        let g1 = (ark_bn254::G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let good = (G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let ok = Proof { a: g1, b: good, c: g1 };
        assert!(Proof::from_bytes(&ok.to_bytes()).is_ok());
        let bad = random_twist_point(&mut rng);
        assert!(!arkworks_says(&bad));
        let mut bytes = Vec::new();
        g1.serialize_compressed(&mut bytes).unwrap();
        bad.serialize_compressed(&mut bytes).unwrap();
        g1.serialize_compressed(&mut bytes).unwrap();
        let err = Proof::from_bytes(&bytes).unwrap_err().to_string();
        assert!(err.contains("not in the prime-order subgroup"), "{err}");
    }
}
