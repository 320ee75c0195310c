//! Baby Jubjub in constraints: complete twisted Edwards addition (6
//! constraints), doubling (5), on-curve checks (3), fixed-base scalar
//! multiplication by `B8` with 3-bit Montgomery windows (2 constraints per bit), and
//! variable-base scalar multiplication in Montgomery form (9 per bit, as
//! circomlib's `EscalarMulAny`).
//!
//! [`PointVar`] is an r1cs-std variable: allocated with `AllocVar`, read
//! with `GR1CSVar`, compared with `EqGadget` (2 constraints) and selected
//! with `CondSelectGadget` (2 constraints).

use std::borrow::Borrow;

use ark_ff::{Field, One};
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSystemRef, Namespace, SynthesisError};
use num_bigint::BigUint;

use super::projective::to_affine_batch;
use super::{to_montgomery_batch, Point, ProjectivePoint, COEFF_A, COEFF_D, MONTGOMERY_A};
use crate::Fr;

/// A curve point in constraints (affine circomlib coordinates).
#[derive(Clone, Debug)]
pub struct PointVar {
    /// x coordinate.
    pub x: FpVar<Fr>,
    /// y coordinate.
    pub y: FpVar<Fr>,
}

/// A point in Montgomery coordinates `(u, v)` on `v^2 = u^3 + A u^2 + u`.
#[derive(Clone, Debug)]
struct MontgomeryVar {
    u: FpVar<Fr>,
    v: FpVar<Fr>,
}

fn witness(cs: &ConstraintSystemRef<Fr>, f: impl FnOnce() -> Option<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    FpVar::new_witness(cs.clone(), || f().ok_or(SynthesisError::AssignmentMissing))
}

fn cs_of(vars: &[&FpVar<Fr>]) -> ConstraintSystemRef<Fr> {
    vars.iter().fold(ConstraintSystemRef::None, |acc, v| acc.or(v.cs()))
}

/// `num / den` as a new witness with `out * den == num` enforced (one
/// constraint). With `den == 0` the constraint holds only if `num == 0`.
fn divide(num: &FpVar<Fr>, den: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let cs = cs_of(&[num, den]);
    if cs.is_none() {
        let (n, d) = (num.value()?, den.value()?);
        return d.inverse().map(|i| FpVar::constant(n * i)).ok_or(SynthesisError::Unsatisfiable);
    }
    let out = witness(&cs, || {
        let d = den.value().ok()?;
        let n = num.value().ok()?;
        // A zero denominator comes only from a bad witness (say, a point off
        // the curve). Any value makes `out * 0 == num` false unless
        // `num == 0`, so zero is as good as any: synthesis completes without
        // a panic and the system is left unsatisfied, which the tests of bad
        // witnesses rely on.
        Some(n * d.inverse().unwrap_or_default())
    })?;
    out.mul_equals(den, num)?;
    Ok(out)
}

impl AllocVar<Point, Fr> for PointVar {
    /// Allocates `x`, then `y` (no curve check: see
    /// [`PointVar::enforce_on_curve`]).
    fn new_variable<T: Borrow<Point>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let p = *f()?.borrow();
        Ok(Self {
            x: FpVar::new_variable(cs.clone(), || Ok(p.x), mode)?,
            y: FpVar::new_variable(cs, || Ok(p.y), mode)?,
        })
    }
}

impl GR1CSVar<Fr> for PointVar {
    type Value = Point;

    fn cs(&self) -> ConstraintSystemRef<Fr> {
        self.x.cs().or(self.y.cs())
    }

    /// The value of the point; missing in setup mode.
    fn value(&self) -> Result<Point, SynthesisError> {
        Ok(Point::new(self.x.value()?, self.y.value()?))
    }
}

impl EqGadget<Fr> for PointVar {
    fn is_eq(&self, other: &Self) -> Result<Boolean<Fr>, SynthesisError> {
        Ok(self.x.is_eq(&other.x)? & self.y.is_eq(&other.y)?)
    }

    /// Both coordinates equal when `should_enforce` (2 constraints).
    fn conditional_enforce_equal(&self, other: &Self, should_enforce: &Boolean<Fr>) -> Result<(), SynthesisError> {
        self.x.conditional_enforce_equal(&other.x, should_enforce)?;
        self.y.conditional_enforce_equal(&other.y, should_enforce)
    }

    /// Both coordinates equal (2 constraints).
    fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        self.x.enforce_equal(&other.x)?;
        self.y.enforce_equal(&other.y)
    }
}

impl CondSelectGadget<Fr> for PointVar {
    /// `true_value` if `cond` else `false_value`, coordinate by coordinate
    /// (2 constraints).
    fn conditionally_select(cond: &Boolean<Fr>, true_value: &Self, false_value: &Self) -> Result<Self, SynthesisError> {
        Ok(Self { x: cond.select(&true_value.x, &false_value.x)?, y: cond.select(&true_value.y, &false_value.y)? })
    }
}

impl PointVar {
    /// A constant point.
    pub fn constant(p: Point) -> Self {
        Self { x: FpVar::constant(p.x), y: FpVar::constant(p.y) }
    }

    /// Enforces `a x^2 + y^2 == 1 + d x^2 y^2` (3 constraints).
    ///
    /// # Errors
    /// Constraint-system errors.
    pub fn enforce_on_curve(&self) -> Result<(), SynthesisError> {
        let x2 = self.x.square()?;
        let y2 = self.y.square()?;
        let lhs = &x2 * Fr::from(COEFF_A) + &y2 - Fr::one();
        (x2 * Fr::from(COEFF_D)).mul_equals(&y2, &lhs)
    }

    /// Complete twisted Edwards addition (6 constraints).
    ///
    /// # Errors
    /// Constraint-system errors.
    pub fn add(&self, other: &Self) -> Result<Self, SynthesisError> {
        let a = Fr::from(COEFF_A);
        let d = Fr::from(COEFF_D);
        let beta = &self.x * &other.y;
        let gamma = &self.y * &other.x;
        let delta = (&self.y - &self.x * a) * (&other.x + &other.y);
        let tau = &beta * &gamma;
        let dtau = &tau * d;
        let x3 = divide(&(&beta + &gamma), &(FpVar::one() + &dtau))?;
        let y3 = divide(&(&delta + &beta * a - &gamma), &(FpVar::one() - &dtau))?;
        Ok(Self { x: x3, y: y3 })
    }

    /// Doubling for points on the curve (5 constraints):
    /// `x3 = 2xy / (a x^2 + y^2)`, `y3 = (y^2 - a x^2) / (2 - a x^2 - y^2)`.
    ///
    /// # Errors
    /// Constraint-system errors.
    pub fn double(&self) -> Result<Self, SynthesisError> {
        let a = Fr::from(COEFF_A);
        let x2 = self.x.square()?;
        let y2 = self.y.square()?;
        let xy = &self.x * &self.y;
        let ax2 = &x2 * a;
        let x3 = divide(&(xy.double()?), &(&ax2 + &y2))?;
        let y3 = divide(&(&y2 - &ax2), &(FpVar::constant(Fr::from(2u8)) - &ax2 - &y2))?;
        Ok(Self { x: x3, y: y3 })
    }

    fn to_montgomery(&self) -> Result<MontgomeryVar, SynthesisError> {
        // u = (1 + y) / (1 - y), v = u / x. Fails closed for y = 1 (identity).
        let u = divide(&(FpVar::one() + &self.y), &(FpVar::one() - &self.y))?;
        let v = divide(&u, &self.x)?;
        Ok(MontgomeryVar { u, v })
    }
}

impl MontgomeryVar {
    fn to_edwards(&self) -> Result<PointVar, SynthesisError> {
        // x = u / v, y = (u - 1) / (u + 1).
        let x = divide(&self.u, &self.v)?;
        let y = divide(&(&self.u - Fr::one()), &(&self.u + Fr::one()))?;
        Ok(PointVar { x, y })
    }

    /// Addition of two points with distinct u (3 constraints). Callers
    /// guarantee the operands are never equal or opposite.
    fn add_distinct(&self, other: &Self) -> Result<Self, SynthesisError> {
        let lambda = divide(&(&other.v - &self.v), &(&other.u - &self.u))?;
        let cs = cs_of(&[&lambda]);
        let a = Fr::from(MONTGOMERY_A);
        let u3 = witness(&cs, || {
            let l = lambda.value().ok()?;
            Some(l.square() - a - self.u.value().ok()? - other.u.value().ok()?)
        })?;
        lambda.mul_equals(&lambda, &(&u3 + a + &self.u + &other.u))?;
        let v3 = witness(&cs, || {
            let l = lambda.value().ok()?;
            Some(l * (self.u.value().ok()? - u3.value().ok()?) - self.v.value().ok()?)
        })?;
        lambda.mul_equals(&(&self.u - &u3), &(&v3 + &self.v))?;
        Ok(Self { u: u3, v: v3 })
    }

    /// Doubling (4 constraints); fails closed for `v = 0` (order 2).
    fn double(&self) -> Result<Self, SynthesisError> {
        let a = Fr::from(MONTGOMERY_A);
        let u2 = self.u.square()?;
        let num = &u2 * Fr::from(3u8) + &self.u * (a + a) + Fr::one();
        let lambda = divide(&num, &self.v.double()?)?;
        let cs = cs_of(&[&lambda]);
        let u3 = witness(&cs, || {
            let l = lambda.value().ok()?;
            Some(
                l.square() - a - {
                    let u = self.u.value().ok()?;
                    u + u
                },
            )
        })?;
        lambda.mul_equals(&lambda, &(&u3 + a + self.u.double()?))?;
        let v3 = witness(&cs, || {
            let l = lambda.value().ok()?;
            Some(l * (self.u.value().ok()? - u3.value().ok()?) - self.v.value().ok()?)
        })?;
        lambda.mul_equals(&(&self.u - &u3), &(&v3 + &self.v))?;
        Ok(Self { u: u3, v: v3 })
    }
}

impl CondSelectGadget<Fr> for MontgomeryVar {
    /// Coordinate by coordinate (2 constraints).
    fn conditionally_select(cond: &Boolean<Fr>, true_value: &Self, false_value: &Self) -> Result<Self, SynthesisError> {
        Ok(Self { u: cond.select(&true_value.u, &false_value.u)?, v: cond.select(&true_value.v, &false_value.v)? })
    }
}

/// Longest run of bits one Montgomery segment may take: within a segment
/// the accumulator `(1 + sum e_i 2^i) P` stays below `2^i P` in scalar and
/// their sum below `2^250 < l`, so addition never meets equal or opposite
/// points.
const SEGMENT_BITS: usize = 248;

/// `k * P` for a point `P` of the prime-order subgroup (other than the
/// identity) and little-endian scalar bits, in Montgomery form (about 9
/// constraints per bit). Fails closed when `P` is the identity.
///
/// # Errors
/// Constraint-system errors.
pub fn scalar_mul(p: &PointVar, bits: &[Boolean<Fr>]) -> Result<PointVar, SynthesisError> {
    let mut result: Option<PointVar> = None;
    let mut base_edwards = p.clone();
    let mut base = p.to_montgomery()?;
    let segments: Vec<&[Boolean<Fr>]> = bits.chunks(SEGMENT_BITS).collect();
    for (n, segment) in segments.iter().enumerate() {
        // acc = P + sum_{i >= 1} e_i 2^i P, then subtract P if e_0 = 0.
        let mut dbl = base.clone();
        let mut acc = base.clone();
        for bit in &segment[1..] {
            dbl = dbl.double()?;
            let sum = dbl.add_distinct(&acc)?;
            acc = bit.select(&sum, &acc)?;
        }
        let acc_edwards = acc.to_edwards()?;
        let minus_base = PointVar { x: FpVar::zero() - &base_edwards.x, y: base_edwards.y.clone() };
        let without_first = acc_edwards.add(&minus_base)?;
        let segment_value = segment[0].select(&acc_edwards, &without_first)?;
        result = Some(match result {
            None => segment_value,
            Some(r) => r.add(&segment_value)?,
        });
        if n + 1 < segments.len() {
            base = dbl.double()?;
            base_edwards = base.to_edwards()?;
        }
    }
    Ok(result.unwrap_or_else(|| PointVar::constant(Point::identity())))
}

/// Windows of 3 bits per Montgomery segment of the fixed-base
/// multiplication: 82 windows keep every scalar below `17.2 * 8^81 < l`.
const FIXED_WINDOWS_PER_SEGMENT: usize = 82;

/// `k * B8` for little-endian scalar bits (about 2 constraints per bit, as
/// circomlib's `EscalarMulFix`).
///
/// Each 3-bit window `w` looks up `(k_w + 8) * 8^w * Q` (`Q` the segment's
/// base) in Montgomery form and adds it to the accumulator. The offset 8
/// makes every table entry larger, as a multiple of `Q`, than anything the
/// accumulator can hold (`acc < 2.15 * 8^w <= 8 * 8^w <= T`), and segments
/// keep `acc + T < l`, so the incomplete Montgomery addition never meets
/// equal or opposite points, for any scalar. Each segment then converts to
/// Edwards form and subtracts its constant offset with a complete addition.
///
/// # Errors
/// Constraint-system errors.
pub fn scalar_mul_base8(bits: &[Boolean<Fr>]) -> Result<PointVar, SynthesisError> {
    let mut result: Option<PointVar> = None;
    let mut segment_base = ProjectivePoint::from_affine(&Point::base8());
    let eight = BigUint::from(8u8);
    for segment in bits.chunks(3 * FIXED_WINDOWS_PER_SEGMENT) {
        // The segment's constants, in projective coordinates, then to
        // Montgomery form with one inversion for all.
        let mut window_base = segment_base;
        let mut offset = ProjectivePoint::identity();
        let mut entries = Vec::with_capacity(8 * FIXED_WINDOWS_PER_SEGMENT);
        for window in segment.chunks(3) {
            let eight_times = window_base.mul(&eight);
            let mut entry = eight_times;
            for _ in 0..(1usize << window.len()) {
                entries.push(entry);
                entry = entry.add(&window_base);
            }
            offset = offset.add(&eight_times);
            window_base = eight_times;
        }
        // Never the identity or of order 2: nonzero multiples below l of a
        // prime-order point.
        let tables = to_montgomery_batch(&to_affine_batch(&entries)).ok_or(SynthesisError::Unsatisfiable)?;
        let mut acc: Option<MontgomeryVar> = None;
        let mut start = 0;
        for window in segment.chunks(3) {
            let len = 1usize << window.len();
            let (u, v) = lookup(window, &tables[start..start + len])?;
            start += len;
            let point = MontgomeryVar { u, v };
            acc = Some(match acc {
                None => point,
                Some(a) => a.add_distinct(&point)?,
            });
        }
        let Some(acc) = acc else { break };
        // Subtracting a constant point is a complete addition with 3 constraints.
        let segment_value = acc.to_edwards()?.add(&PointVar::constant(offset.to_affine().neg()))?;
        result = Some(match result {
            None => segment_value,
            Some(r) => r.add(&segment_value)?,
        });
        segment_base = window_base;
    }
    Ok(result.unwrap_or_else(|| PointVar::constant(Point::identity())))
}

/// Selects `table[k]` for the little-endian bits `k` (1 to 3 bits): one
/// constraint for `b0 * b1` and one per coordinate for the third bit.
fn lookup(bits: &[Boolean<Fr>], table: &[(Fr, Fr)]) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let b: Vec<FpVar<Fr>> = bits.iter().map(|b| FpVar::from(b.clone())).collect();
    let b01 = if bits.len() >= 2 { Some(&b[0] * &b[1]) } else { None };
    // Multilinear interpolation over the first two bits (linear in b0, b1, b0*b1).
    let two_bit = |t: &[Fr]| -> FpVar<Fr> {
        let mut out = FpVar::constant(t[0]);
        out += &b[0] * (t[1] - t[0]);
        if t.len() > 2 {
            out += &b[1] * (t[2] - t[0]);
            if let Some(b01) = &b01 {
                out += b01 * (t[3] - t[2] - t[1] + t[0]);
            }
        }
        out
    };
    let coord = |t: Vec<Fr>| -> FpVar<Fr> {
        if bits.len() < 3 {
            return two_bit(&t);
        }
        let low = two_bit(&t[..4]);
        let high = two_bit(&t[4..]);
        &low + &b[2] * (&high - &low)
    };
    Ok((coord(table.iter().map(|p| p.0).collect()), coord(table.iter().map(|p| p.1).collect())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::gr1cs::ConstraintSystem;
    use ark_std::UniformRand;
    use rand::SeedableRng;

    fn bits_of(cs: &ConstraintSystemRef<Fr>, k: &BigUint, n: usize) -> Vec<Boolean<Fr>> {
        (0..n).map(|i| Boolean::new_witness(cs.clone(), || Ok(k.bit(i as u64))).unwrap()).collect()
    }

    #[test]
    fn addition_and_doubling_agree_with_native() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let p = Point::base8().mul(&BigUint::from(12345u32));
        let q = Point::base8().mul(&BigUint::from(999u32));
        let pv = PointVar::new_witness(cs.clone(), || Ok(p)).unwrap();
        let qv = PointVar::new_witness(cs.clone(), || Ok(q)).unwrap();
        assert_eq!(pv.add(&qv).unwrap().value().unwrap(), p.add(&q));
        assert_eq!(pv.add(&pv).unwrap().value().unwrap(), p.double());
        assert_eq!(pv.double().unwrap().value().unwrap(), p.double());
        let id = PointVar::constant(Point::identity());
        assert_eq!(pv.add(&id).unwrap().value().unwrap(), p);
        pv.enforce_on_curve().unwrap();
        assert!(cs.is_satisfied().unwrap());
    }

    #[test]
    fn equality_and_selection_gadgets_agree_with_native() {
        let p = Point::base8().mul(&BigUint::from(5u8));
        let q = Point::base8().mul(&BigUint::from(6u8));
        for (a, b) in [(p, p), (p, q), (p, Point::new(p.x, q.y)), (p, Point::new(q.x, p.y))] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let av = PointVar::new_witness(cs.clone(), || Ok(a)).unwrap();
            let bv = PointVar::new_witness(cs.clone(), || Ok(b)).unwrap();
            assert_eq!(av.is_eq(&bv).unwrap().value().unwrap(), a == b);
            for bit in [false, true] {
                let cond = Boolean::new_witness(cs.clone(), || Ok(bit)).unwrap();
                let chosen = cond.select(&av, &bv).unwrap();
                assert_eq!(chosen.value().unwrap(), if bit { a } else { b });
            }
            let not_enforced = Boolean::new_witness(cs.clone(), || Ok(false)).unwrap();
            av.conditional_enforce_equal(&bv, &not_enforced).unwrap();
            assert!(cs.is_satisfied().unwrap());
            av.enforce_equal(&bv).unwrap();
            assert_eq!(cs.is_satisfied().unwrap(), a == b, "{a:?} == {b:?}");
        }
        // Equality costs two constraints, selection two.
        let cs = ConstraintSystem::<Fr>::new_ref();
        let av = PointVar::new_witness(cs.clone(), || Ok(p)).unwrap();
        let bv = PointVar::new_witness(cs.clone(), || Ok(q)).unwrap();
        let cond = Boolean::new_witness(cs.clone(), || Ok(true)).unwrap();
        let before = cs.num_constraints();
        av.enforce_equal(&bv).unwrap();
        assert_eq!(cs.num_constraints() - before, 2);
        let _ = cond.select(&av, &bv).unwrap();
        assert_eq!(cs.num_constraints() - before, 4);
    }

    #[test]
    fn off_curve_point_is_rejected() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let mut p = Point::base8();
        p.x += Fr::one();
        PointVar::new_witness(cs.clone(), || Ok(p)).unwrap().enforce_on_curve().unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn scalar_multiplications_agree_with_native() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        for case in 0..4 {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let k = match case {
                0 => BigUint::from(0u8),
                1 => BigUint::from(1u8),
                2 => (BigUint::from(1u8) << 254u32) - 1u8,
                _ => crate::field::fr_to_biguint(&Fr::rand(&mut rng)),
            };
            let p = Point::base8().mul(&BigUint::from(77u8));
            let pv = PointVar::new_witness(cs.clone(), || Ok(p)).unwrap();
            let bits = bits_of(&cs, &k, 254);
            let out = scalar_mul(&pv, &bits).unwrap();
            assert_eq!(out.value().unwrap(), p.mul(&k), "variable base, case {case}");
            let fixed = scalar_mul_base8(&bits[..251]).unwrap();
            let k251 = &k & ((BigUint::from(1u8) << 251u32) - 1u8);
            assert_eq!(fixed.value().unwrap(), Point::base8().mul(&k251), "fixed base, case {case}");
            assert!(cs.is_satisfied().unwrap(), "case {case}");
        }
    }

    #[test]
    fn fixed_base_is_complete_at_segment_and_window_edges() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
        let one = BigUint::from(1u8);
        let mut scalars = vec![
            crate::babyjubjub::subgroup_order() - 1u8,
            (&one << 251u32) - 1u8,
            &one << 246u32,
            (&one << 246u32) - 1u8,
            (&one << 250u32) + 7u8,
            BigUint::from(8u8),
            BigUint::from(7u8),
        ];
        for _ in 0..8 {
            scalars.push(crate::field::fr_to_biguint(&Fr::rand(&mut rng)) & ((&one << 251u32) - 1u8));
        }
        for k in scalars {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let bits = bits_of(&cs, &k, 251);
            let out = scalar_mul_base8(&bits).unwrap();
            assert_eq!(out.value().unwrap(), Point::base8().mul(&k), "k = {k}");
            assert!(cs.is_satisfied().unwrap(), "k = {k}");
        }
    }

    #[test]
    fn scalar_mul_of_the_identity_fails_closed() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let pv = PointVar::new_witness(cs.clone(), || Ok(Point::identity())).unwrap();
        let bits = bits_of(&cs, &BigUint::from(5u8), 8);
        let _ = scalar_mul(&pv, &bits);
        assert!(!cs.is_satisfied().unwrap());
    }
}
