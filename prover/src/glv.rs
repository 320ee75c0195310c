//! The GLV split of a scalar: `k = k1 + λ k2 (mod r)` with `k1`, `k2` of
//! about half the scalar's bits, where `λ` acts on the curve as the cheap
//! endomorphism `φ(x, y) = (β x, y)` (`φ(P) = λ P`). A sum `Σ k_i P_i`
//! becomes `Σ k1_i P_i + k2_i φ(P_i)`: twice the terms with half the
//! bits, so half the windows in [`crate::msm`].
//!
//! The split is ark-ec's `GLVConfig::scalar_decomposition` (the same
//! lattice basis and rounding), in fixed-width integer arithmetic instead
//! of arbitrary-precision integers: `β1 = round(k n22 / r)` and
//! `β2 = round(-k n12 / r)` are read off `k` times `n22 2^256 / r` and
//! `-n12 2^256 / r` computed once, and `k1 = k - β1 n11 - β2 n21`,
//! `k2 = -β1 n12 - β2 n22` are computed modulo `2^256`, where the true
//! values are small signed integers. Rounding the quotients down can move
//! `β1`, `β2` by one from ark-ec's, which changes `k1`, `k2` by a lattice
//! vector: still a valid split, a little larger. [`GlvSplit::split`]
//! refuses (returns `None`) a half that does not fit [`HALF_BITS`], so a
//! caller can never sum a truncated scalar.

use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ff::{BigInt, PrimeField};
use num_bigint::BigUint;

/// The bits a half may take. With the quotients off by at most one from
/// the exact rationals, `|k1|, |k2| <= 1.5 (|n11| + |n21|)`, below
/// `2^127.5` for BN254's basis (`n11` is about `2^126.8`, `n21` about
/// `2^63`); two million random scalars gave at most 127 bits.
pub const HALF_BITS: u32 = 128;

/// 256-bit integers modulo `2^256`, little-endian limbs.
type Limbs = [u64; 4];

/// The constants of one curve's split.
#[derive(Debug, Clone)]
pub struct GlvSplit {
    /// `|n22| 2^256 / r` and `|n12| 2^256 / r`, rounded down.
    g1: Limbs,
    g2: Limbs,
    /// Whether `β1` (the sign of `n22`) and `β2` (the sign of `-n12`) are
    /// negative.
    beta1_negative: bool,
    beta2_negative: bool,
    /// The basis `n11, n12, n21, n22`, as two's complements modulo `2^256`.
    basis: [Limbs; 4],
}

impl GlvSplit {
    /// The split for curve `P`.
    pub fn new<P: GLVConfig>() -> Self {
        let modulus: BigUint = P::ScalarField::MODULUS.into();
        let coefficients =
            P::SCALAR_DECOMP_COEFFS.map(|(positive, magnitude)| -> (bool, BigUint) { (positive, magnitude.into()) });
        let quotient = |magnitude: &BigUint| limbs_of(&((magnitude << 256u32) / &modulus));
        let [n11, n12, n21, n22] = coefficients.clone().map(|(positive, magnitude)| {
            let value = limbs_of(&magnitude);
            if positive {
                value
            } else {
                negate(&value)
            }
        });
        Self {
            g1: quotient(&coefficients[3].1),
            g2: quotient(&coefficients[1].1),
            beta1_negative: !coefficients[3].0,
            // β2 = round(-k n12 / r): negative when n12 is positive.
            beta2_negative: coefficients[1].0,
            basis: [n11, n12, n21, n22],
        }
    }

    /// `k = k1 + λ k2 (mod r)` as `((k1 negative, |k1|), (k2 negative,
    /// |k2|))`, or `None` if a half does not fit [`HALF_BITS`] (which the
    /// basis rules out for reduced scalars; the caller then sums `k`
    /// whole).
    pub fn split(&self, k: &Limbs) -> Option<[(bool, BigInt<4>); 2]> {
        let beta1 = signed(rounded_quotient(k, &self.g1), self.beta1_negative);
        let beta2 = signed(rounded_quotient(k, &self.g2), self.beta2_negative);
        let [n11, n12, n21, n22] = &self.basis;
        let b1 = add(&mul(&beta1, n11), &mul(&beta2, n21));
        let b2 = add(&mul(&beta1, n12), &mul(&beta2, n22));
        let k1 = sub(k, &b1);
        let k2 = negate(&b2);
        Some([magnitude(&k1)?, magnitude(&k2)?])
    }
}

/// `(k g + 2^255) >> 256`: `k g / 2^256` rounded to nearest.
fn rounded_quotient(k: &Limbs, g: &Limbs) -> Limbs {
    let mut product = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0u128;
        for j in 0..4 {
            let t = product[i + j] as u128 + k[i] as u128 * g[j] as u128 + carry;
            product[i + j] = t as u64;
            carry = t >> 64;
        }
        product[i + 4] = carry as u64;
    }
    // Add 2^255 (the top bit of limb 3) and carry into the high half.
    let (limb, overflow) = product[3].overflowing_add(1 << 63);
    product[3] = limb;
    let mut carry = overflow as u64;
    for limb in &mut product[4..] {
        let (sum, overflow) = limb.overflowing_add(carry);
        *limb = sum;
        carry = overflow as u64;
    }
    [product[4], product[5], product[6], product[7]]
}

fn signed(value: Limbs, negative: bool) -> Limbs {
    if negative {
        negate(&value)
    } else {
        value
    }
}

/// `(negative, |x|)` of a two's complement, if `|x| < 2^HALF_BITS`.
fn magnitude(x: &Limbs) -> Option<(bool, BigInt<4>)> {
    let negative = x[3] >> 63 == 1;
    let value = if negative { negate(x) } else { *x };
    let bits = 256 - leading_zeros(&value);
    (bits <= HALF_BITS).then_some((negative, BigInt::new(value)))
}

fn leading_zeros(x: &Limbs) -> u32 {
    let mut zeros = 0;
    for limb in x.iter().rev() {
        if *limb != 0 {
            return zeros + limb.leading_zeros();
        }
        zeros += 64;
    }
    zeros
}

fn add(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    let mut carry = 0u64;
    for i in 0..4 {
        let (s1, o1) = a[i].overflowing_add(b[i]);
        let (s2, o2) = s1.overflowing_add(carry);
        out[i] = s2;
        carry = (o1 | o2) as u64;
    }
    out
}

fn negate(a: &Limbs) -> Limbs {
    let inverted = a.map(|limb| !limb);
    add(&inverted, &[1, 0, 0, 0])
}

fn sub(a: &Limbs, b: &Limbs) -> Limbs {
    add(a, &negate(b))
}

/// `a b mod 2^256`.
fn mul(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    for i in 0..4 {
        let mut carry = 0u128;
        for j in 0..4 - i {
            let t = out[i + j] as u128 + a[i] as u128 * b[j] as u128 + carry;
            out[i + j] = t as u64;
            carry = t >> 64;
        }
    }
    out
}

/// The low 256 bits of `value`.
fn limbs_of(value: &BigUint) -> Limbs {
    let mut limbs = [0u64; 4];
    for (limb, digit) in limbs.iter_mut().zip(value.iter_u64_digits()) {
        *limb = digit;
    }
    limbs
}
