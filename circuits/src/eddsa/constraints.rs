//! EdDSA-Poseidon verification in constraints, failing closed:
//! `S < l` (two 251-bit decompositions), `R8` and `A` on the curve,
//! `h = Poseidon(R8, A, M)` decomposed strictly (254 bits, below `r`), and
//! `S * B8 == R8 + h * (8 A)`.
//! `8 A` is the identity for a small-order `A`, which the variable-base
//! multiplication refuses, so small-order keys fail too.

use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::SynthesisError;
use ark_relations::ns;

use crate::babyjubjub::constraints::{scalar_mul, scalar_mul_base8, PointVar};
use crate::babyjubjub::subgroup_order;
use crate::poseidon::constraints::hash;
use crate::range::{enforce_below_power_of_two, enforce_bits, enforce_bits_strict};
use crate::Fr;

/// Bits of `S`: `l < 2^251`.
const SCALAR_BITS: usize = 251;

/// Enforces that `(r8, s)` is a valid signature by `key` over `message`.
///
/// # Errors
/// Constraint-system errors only; an invalid signature leaves the system
/// unsatisfied.
pub fn enforce_signature(
    key: &PointVar,
    message: &FpVar<Fr>,
    r8: &PointVar,
    s: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    let cs = message.cs().or(s.cs());
    let s_bits = {
        let _ns = ns!(cs, "eddsa_s_below_subgroup_order");
        // S < 2^251 and l - 1 - S < 2^251 (no wrap-around: both below 2^251 < r/2).
        let bits = enforce_bits(s, SCALAR_BITS)?;
        let l_minus_1 = crate::field::biguint_to_fr(&(subgroup_order() - 1u8)).ok_or(SynthesisError::Unsatisfiable)?;
        enforce_below_power_of_two(&(FpVar::constant(l_minus_1) - s), SCALAR_BITS)?;
        bits
    };
    {
        let _ns = ns!(cs, "eddsa_r8_on_curve");
        r8.enforce_on_curve()?;
    }
    {
        let _ns = ns!(cs, "eddsa_key_on_curve");
        key.enforce_on_curve()?;
    }
    let h = {
        let _ns = ns!(cs, "eddsa_challenge");
        hash(&[r8.x.clone(), r8.y.clone(), key.x.clone(), key.y.clone(), message.clone()])?
    };
    let h_bits = {
        let _ns = ns!(cs, "eddsa_challenge_bits_strict");
        enforce_bits_strict(&h)?
    };
    let right = {
        let _ns = ns!(cs, "eddsa_right_side");
        let key8 = key.double()?.double()?.double()?;
        let h_key8 = scalar_mul(&key8, &h_bits)?;
        r8.add(&h_key8)?
    };
    let left = {
        let _ns = ns!(cs, "eddsa_left_side");
        scalar_mul_base8(&s_bits)?
    };
    let _ns = ns!(cs, "eddsa_equation");
    left.enforce_equal(&right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::babyjubjub::Point;
    use crate::eddsa::{PrivateKey, Signature};
    use crate::field::biguint_to_fr;
    use ark_relations::gr1cs::ConstraintSystem;

    fn satisfied(key: Point, message: Fr, sig: &Signature) -> (bool, usize) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let k = PointVar::new_witness(cs.clone(), || Ok(key)).unwrap();
        let m = FpVar::new_witness(cs.clone(), || Ok(message)).unwrap();
        let r8 = PointVar::new_witness(cs.clone(), || Ok(sig.r8)).unwrap();
        // S may be >= r in a malformed test: reduce only for allocation.
        let s_fr = biguint_to_fr(&(&sig.s % crate::field::modulus())).unwrap();
        let s = FpVar::new_witness(cs.clone(), || Ok(s_fr)).unwrap();
        enforce_signature(&k, &m, &r8, &s).unwrap();
        (cs.is_satisfied().unwrap(), cs.num_constraints())
    }

    #[test]
    fn gadget_agrees_with_native_and_breaks_on_every_tamper() {
        let key = PrivateKey([7u8; 32]);
        let pk = key.public_key().0;
        let m = Fr::from(123456789u64);
        let sig = key.sign(m);
        let (ok, n) = satisfied(pk, m, &sig);
        assert!(ok);
        println!("eddsa gadget constraints: {n}");

        assert!(!satisfied(pk, m + Fr::from(1u8), &sig).0, "other message");
        assert!(!satisfied(PrivateKey([8u8; 32]).public_key().0, m, &sig).0, "other key");
        let mut s_plus_l = sig.clone();
        s_plus_l.s = &sig.s + subgroup_order();
        assert!(!satisfied(pk, m, &s_plus_l).0, "S + l");
        let mut s_eq_l = sig.clone();
        s_eq_l.s = subgroup_order().clone();
        assert!(!satisfied(pk, m, &s_eq_l).0, "S = l");
        let mut bad_r8 = sig.clone();
        bad_r8.r8.x += Fr::from(1u8);
        assert!(!satisfied(pk, m, &bad_r8).0, "R8 off curve");
        let mut bad_key = pk;
        bad_key.y += Fr::from(1u8);
        assert!(!satisfied(bad_key, m, &sig).0, "A off curve");
        // Small-order key: (0, -1) has order 2.
        let small = Point::new(Fr::from(0u8), -Fr::from(1u8));
        assert!(!satisfied(small, m, &sig).0, "small-order A");
        assert!(!satisfied(Point::identity(), m, &sig).0, "identity A");
    }
}
