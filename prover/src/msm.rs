//! Multi-scalar multiplication by buckets accumulated in affine
//! coordinates, with batched inversions: the sums `Σ s_i P_i` of the
//! Groth16 prover, over BN254's G1 and G2 (any short-Weierstrass curve).
//!
//! The bucket method with signed digits: each scalar is cut into windows
//! of `c` bits recoded into digits in `[-2^(c-1), 2^(c-1)]`, and in each
//! window a base goes into the bucket of its digit's magnitude (negated
//! for a negative digit). What differs from ark-ec's MSM is how a base is
//! added to a bucket: buckets are kept in affine coordinates, and the
//! additions of a whole batch (to distinct buckets) share one field
//! inversion (Montgomery's trick), so an addition costs about six field
//! multiplications instead of about ten for ark-ec's mixed additions into
//! XYZZ buckets (docs/PERFORMANCE.md has what that gained). A base
//! whose bucket already waits in the batch is added to that bucket's
//! projective overflow instead. The rare addition of a point to itself or
//! to its negation goes through projective coordinates. Windows are
//! summed one per task, in parallel.
//!
//! `prover/tests/msm.rs` checks it against ark-ec's MSM on random and
//! adversarial inputs (the point at infinity, repeated points, a point and
//! its negation, zero and `r - 1` scalars).

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use rayon::prelude::*;

/// Additions batched under one inversion.
const BATCH: usize = 256;

/// `Σ scalars[i] * bases[i]` over the shorter of the two slices.
pub fn msm<P: SWCurveConfig>(bases: &[Affine<P>], scalars: &[<P::ScalarField as PrimeField>::BigInt]) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    if n == 0 {
        return Projective::ZERO;
    }
    let c = window_bits(n);
    // Every bit of the representation (reduced scalars leave the top ones
    // zero), and one more window for the top digit's carry.
    let scalar_bits = 64 * scalars[0].as_ref().len();
    let windows = scalar_bits / c + 1;
    let digits = signed_digits(&scalars[..n], c, windows);
    let sums: Vec<Projective<P>> =
        (0..windows).into_par_iter().map(|w| window_sum(&bases[..n], &digits[w * n..(w + 1) * n], c)).collect();
    let mut total = Projective::<P>::ZERO;
    for sum in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += sum;
    }
    total
}

/// The window width for `n` terms: the one minimising additions (`n` per
/// window at about 6 multiplications, twice `2^(c-1)` buckets per window
/// at about 12 for the running sums).
fn window_bits(n: usize) -> usize {
    (4..=16usize)
        .min_by_key(|&c| {
            let windows = 256 / c + 1;
            windows * (n * 6 + (1usize << (c - 1)) * 24)
        })
        .unwrap_or(8)
}

/// Every scalar's digits, window-major (`digits[w * n + i]` is scalar
/// `i`'s digit in window `w`), each in `[-2^(c-1), 2^(c-1)]`.
fn signed_digits<B: BigInteger>(scalars: &[B], c: usize, windows: usize) -> Vec<i32> {
    let n = scalars.len();
    let mut digits = vec![0i32; n * windows];
    let half = 1i64 << (c - 1);
    let full = 1i64 << c;
    let columns: Vec<Vec<i32>> = scalars
        .par_iter()
        .map(|scalar| {
            let limbs = scalar.as_ref();
            let mut carry = 0i64;
            (0..windows)
                .map(|w| {
                    let value = window_value(limbs, w * c, c) as i64 + carry;
                    if value > half {
                        carry = 1;
                        (value - full) as i32
                    } else {
                        carry = 0;
                        value as i32
                    }
                })
                .collect()
        })
        .collect();
    for (i, column) in columns.iter().enumerate() {
        for (w, digit) in column.iter().enumerate() {
            digits[w * n + i] = *digit;
        }
    }
    digits
}

/// Bits `[start, start + c)` of a little-endian limb array (zero past
/// its end).
fn window_value(limbs: &[u64], start: usize, c: usize) -> u64 {
    let limb = start / 64;
    let shift = start % 64;
    if limb >= limbs.len() {
        return 0;
    }
    let mut value = limbs[limb] >> shift;
    if shift + c > 64 && limb + 1 < limbs.len() {
        value |= limbs[limb + 1] << (64 - shift);
    }
    value & ((1u64 << c) - 1)
}

/// One window's buckets, in affine coordinates, each with a projective
/// overflow for the points that come while its batched addition waits.
struct Buckets<P: SWCurveConfig> {
    points: Vec<Affine<P>>,
    occupied: Vec<bool>,
    /// Buckets with an addition in the current batch.
    busy: Vec<bool>,
    /// The current batch: bucket and the point to add to it.
    pending: Vec<(usize, Affine<P>)>,
    /// Points that found their bucket busy, added in projective
    /// coordinates instead of waiting (a window whose digits crowd into a
    /// few buckets, as the top window's do, would otherwise wait once per
    /// point).
    overflow: Vec<Projective<P>>,
    overflowed: Vec<bool>,
    /// Scratch space for the batch's denominators.
    denominators: Vec<P::BaseField>,
}

impl<P: SWCurveConfig> Buckets<P> {
    fn new(count: usize) -> Self {
        Self {
            points: vec![Affine::identity(); count],
            occupied: vec![false; count],
            busy: vec![false; count],
            pending: Vec::with_capacity(BATCH),
            overflow: vec![Projective::ZERO; count],
            overflowed: vec![false; count],
            denominators: Vec::with_capacity(BATCH),
        }
    }

    fn add(&mut self, bucket: usize, point: Affine<P>) {
        if !self.occupied[bucket] {
            self.points[bucket] = point;
            self.occupied[bucket] = true;
        } else if self.busy[bucket] {
            self.overflow[bucket] += point;
            self.overflowed[bucket] = true;
        } else {
            self.busy[bucket] = true;
            self.pending.push((bucket, point));
            if self.pending.len() == BATCH {
                self.flush();
            }
        }
    }

    /// Performs the batch's additions with one inversion.
    fn flush(&mut self) {
        self.denominators.clear();
        for &(bucket, point) in &self.pending {
            // Zero only for the same point or its negation, handled below.
            self.denominators.push(point.x - self.points[bucket].x);
        }
        batch_invert(&mut self.denominators);
        for (&(bucket, point), inverse) in self.pending.iter().zip(&self.denominators) {
            let current = self.points[bucket];
            if current.x == point.x {
                // `P + P` or `P + (-P)`: projective formulas, then back.
                let sum: Affine<P> = (current.into_group() + point).into();
                self.occupied[bucket] = !sum.is_zero();
                self.points[bucket] = sum;
            } else {
                let slope = (point.y - current.y) * inverse;
                let x = slope.square() - current.x - point.x;
                let y = slope * (current.x - x) - current.y;
                self.points[bucket] = Affine::new_unchecked(x, y);
            }
            self.busy[bucket] = false;
        }
        self.pending.clear();
    }

    /// `Σ (j + 1) * bucket[j]` by running sums, after the last batch.
    fn weighted_sum(mut self) -> Projective<P> {
        self.flush();
        let mut running = Projective::<P>::ZERO;
        let mut total = Projective::<P>::ZERO;
        for j in (0..self.points.len()).rev() {
            if self.occupied[j] {
                running += &self.points[j];
            }
            if self.overflowed[j] {
                running += &self.overflow[j];
            }
            total += running;
        }
        total
    }
}

/// One window: each base into the bucket of its digit.
fn window_sum<P: SWCurveConfig>(bases: &[Affine<P>], digits: &[i32], c: usize) -> Projective<P> {
    let mut buckets = Buckets::<P>::new(1 << (c - 1));
    for (base, &digit) in bases.iter().zip(digits) {
        if digit == 0 || base.is_zero() {
            continue;
        }
        let point = if digit > 0 { *base } else { -*base };
        buckets.add(digit.unsigned_abs() as usize - 1, point);
    }
    buckets.weighted_sum()
}

/// Replaces each nonzero element by its inverse with one inversion
/// (Montgomery's trick); zeros stay zero.
fn batch_invert<F: Field>(values: &mut [F]) {
    let mut products = Vec::with_capacity(values.len());
    let mut product = F::ONE;
    for value in values.iter() {
        if !value.is_zero() {
            product *= value;
        }
        products.push(product);
    }
    let Some(mut inverse) = product.inverse() else { return };
    for i in (0..values.len()).rev() {
        if values[i].is_zero() {
            continue;
        }
        let before = if i == 0 { F::ONE } else { products[i - 1] };
        let value_inverse = inverse * before;
        inverse *= values[i];
        values[i] = value_inverse;
    }
}
