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

use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, PrimeField};
use rayon::prelude::*;

use crate::glv::{GlvSplit, HALF_BITS};

/// Windows summed by one task, sharing its buckets' batches: more
/// buckets per task make larger batches (fewer inversions) with fewer
/// additions waiting on a busy bucket.
const WINDOWS_PER_TASK: usize = 4;

/// `Σ scalars[i] * bases[i]` over the shorter of the two slices.
pub fn msm<P: SWCurveConfig>(bases: &[Affine<P>], scalars: &[<P::ScalarField as PrimeField>::BigInt]) -> Projective<P> {
    sum_windows(bases, scalars, P::ScalarField::MODULUS_BIT_SIZE as usize)
}

/// [`msm`] through the GLV endomorphism ([`crate::glv`]): each term
/// `k P` as `k1 P + k2 φ(P)` with halves of at most [`HALF_BITS`] bits,
/// so the windows cover half the bits over twice the terms.
pub fn msm_glv<P>(bases: &[Affine<P>], scalars: &[BigInt<4>]) -> Projective<P>
where
    P: GLVConfig,
    P::ScalarField: PrimeField<BigInt = BigInt<4>>,
{
    let n = bases.len().min(scalars.len());
    let split = GlvSplit::new::<P>();
    let halves: Option<Vec<[(bool, BigInt<4>); 2]>> = scalars[..n].par_iter().map(|k| split.split(&k.0)).collect();
    let Some(halves) = halves else {
        return msm(bases, scalars);
    };
    let (glv_bases, glv_scalars): (Vec<Affine<P>>, Vec<BigInt<4>>) = bases[..n]
        .par_iter()
        .zip(&halves)
        .flat_map_iter(|(base, [(negative1, k1), (negative2, k2)])| {
            let image = P::endomorphism_affine(base);
            [(if *negative1 { -*base } else { *base }, *k1), (if *negative2 { -image } else { image }, *k2)]
        })
        .unzip();
    sum_windows(&glv_bases, &glv_scalars, HALF_BITS as usize)
}

/// `Σ scalars[i] * bases[i]` for scalars below `2^bits`.
fn sum_windows<P: SWCurveConfig, B: BigInteger>(bases: &[Affine<P>], scalars: &[B], bits: usize) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    if n == 0 {
        return Projective::ZERO;
    }
    let c = window_bits(n, bits);
    let windows = window_count(c, bits);
    let digits = signed_digits(&scalars[..n], c, windows);
    // Tasks of about WINDOWS_PER_TASK windows, as many as a multiple of
    // the threads, windows shared out evenly.
    let threads = rayon::current_num_threads().max(1);
    let tasks = (windows.div_ceil(WINDOWS_PER_TASK * threads) * threads).min(windows);
    let sums: Vec<Projective<P>> = (0..tasks)
        .into_par_iter()
        .flat_map_iter(|task| {
            let first = task * windows / tasks;
            let last = (task + 1) * windows / tasks;
            window_sums(&bases[..n], &digits[first * n..last * n], c)
        })
        .collect();
    let mut total = Projective::<P>::ZERO;
    for sum in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += sum;
    }
    total
}

/// Windows of `c` bits enough for scalars below `2^bits` in signed
/// digits: the top digit takes the carry of the one below it, so
/// `windows * c` covers one bit more.
fn window_count(c: usize, bits: usize) -> usize {
    (bits + 1).div_ceil(c)
}

/// The window width for `n` terms: the one minimising the work per
/// window, `n` additions into buckets plus the running sums over
/// `2^(c-1)` buckets, weighted as measured (the running sums' two
/// projective additions per bucket cost about two bucket additions; on
/// BN254 this picks 11 or 12 bits for 2^15 terms in G1 and 13 for twice
/// as many halves through GLV, the fastest in `benches/benches/msm.rs`).
fn window_bits(n: usize, bits: usize) -> usize {
    (4..=16usize).min_by_key(|&c| window_count(c, bits) * (n + (1usize << (c - 1)) * 2)).unwrap_or(8)
}

/// Every scalar's digits, window-major (`digits[w * n + i]` is scalar
/// `i`'s digit in window `w`), each in `[-2^(c-1), 2^(c-1)]`.
fn signed_digits<B: BigInteger>(scalars: &[B], c: usize, windows: usize) -> Vec<i32> {
    let n = scalars.len();
    let mut digits = vec![0i32; n * windows];
    let half = 1i64 << (c - 1);
    let full = 1i64 << c;
    // Chunks of a few thousand scalars recoded in parallel, each into its
    // own window-major buffer, then copied into place.
    const CHUNK: usize = 4096;
    let chunks: Vec<Vec<i32>> = scalars
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut column = vec![0i32; chunk.len() * windows];
            for (i, scalar) in chunk.iter().enumerate() {
                let limbs = scalar.as_ref();
                let mut carry = 0i64;
                for w in 0..windows {
                    let value = window_value(limbs, w * c, c) as i64 + carry;
                    let digit = if value > half {
                        carry = 1;
                        value - full
                    } else {
                        carry = 0;
                        value
                    };
                    column[w * chunk.len() + i] = digit as i32;
                }
            }
            column
        })
        .collect();
    for (chunk_index, column) in chunks.iter().enumerate() {
        let offset = chunk_index * CHUNK;
        let len = column.len() / windows;
        for w in 0..windows {
            digits[w * n + offset..w * n + offset + len].copy_from_slice(&column[w * len..(w + 1) * len]);
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

/// A bucket's point in affine coordinates, a cache line for G1 (whether
/// it holds one is kept apart).
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct BucketPoint<F> {
    x: F,
    y: F,
}

/// No overflow for a bucket.
const NO_OVERFLOW: u32 = u32::MAX;

/// The buckets of a few windows, in affine coordinates, each with a
/// projective overflow.
struct Buckets<P: SWCurveConfig> {
    points: Vec<BucketPoint<P::BaseField>>,
    occupied: Vec<bool>,
    /// Buckets with an addition in the current batch.
    busy: Vec<bool>,
    /// Additions per batch (one inversion each batch).
    batch: usize,
    /// The current batch: bucket and the point to add to it.
    pending: Vec<(usize, Affine<P>)>,
    /// Points that found their bucket busy, placed again after the batch.
    waiting: Vec<(usize, Affine<P>)>,
    /// Spare storage for `waiting` while it is placed again.
    replay: Vec<(usize, Affine<P>)>,
    /// Points that found their bucket busy with `waiting` full, added in
    /// projective coordinates instead (a window whose digits crowd into a
    /// few buckets, as the top window's do, would otherwise wait once per
    /// point): each bucket's index into `overflow`, or [`NO_OVERFLOW`].
    overflow_index: Vec<u32>,
    overflow: Vec<Projective<P>>,
    /// Scratch space for the batch's denominators.
    denominators: Vec<P::BaseField>,
}

impl<P: SWCurveConfig> Buckets<P> {
    fn new(count: usize) -> Self {
        let batch = (count / 8).clamp(32, 1024);
        Self {
            points: vec![BucketPoint { x: P::BaseField::ZERO, y: P::BaseField::ZERO }; count],
            occupied: vec![false; count],
            busy: vec![false; count],
            batch,
            pending: Vec::with_capacity(2 * batch),
            waiting: Vec::with_capacity(batch),
            replay: Vec::with_capacity(batch),
            overflow_index: vec![NO_OVERFLOW; count],
            overflow: Vec::new(),
            denominators: Vec::with_capacity(2 * batch),
        }
    }

    fn add(&mut self, bucket: usize, point: Affine<P>) {
        self.place(bucket, point);
        if self.pending.len() >= self.batch {
            self.flush();
        }
    }

    /// Puts `point` into its bucket, the batch, the waiting list or the
    /// overflow.
    fn place(&mut self, bucket: usize, point: Affine<P>) {
        if !self.occupied[bucket] {
            self.points[bucket] = BucketPoint { x: point.x, y: point.y };
            self.occupied[bucket] = true;
        } else if !self.busy[bucket] {
            self.busy[bucket] = true;
            self.pending.push((bucket, point));
        } else if self.waiting.len() < self.batch / 2 {
            self.waiting.push((bucket, point));
        } else {
            let index = self.overflow_index[bucket];
            if index == NO_OVERFLOW {
                self.overflow_index[bucket] = self.overflow.len() as u32;
                self.overflow.push(point.into_group());
            } else {
                self.overflow[index as usize] += point;
            }
        }
    }

    /// Performs the batch's additions with one inversion, then places the
    /// waiting points again, until what is left is less than a batch.
    fn flush(&mut self) {
        loop {
            self.add_pending();
            self.place_waiting();
            if self.pending.len() < self.batch {
                return;
            }
        }
    }

    /// The waiting points, placed again (after a batch, when no bucket is
    /// busy).
    fn place_waiting(&mut self) {
        std::mem::swap(&mut self.waiting, &mut self.replay);
        let mut replay = std::mem::take(&mut self.replay);
        for (bucket, point) in replay.drain(..) {
            self.place(bucket, point);
        }
        self.replay = replay;
    }

    /// The pending additions, all with one inversion.
    fn add_pending(&mut self) {
        self.denominators.clear();
        for &(bucket, point) in &self.pending {
            // Zero only for the same point or its negation, handled below.
            self.denominators.push(point.x - self.points[bucket].x);
        }
        // Zeros (handled below) stay zero.
        ark_ff::serial_batch_inversion_and_mul(&mut self.denominators, &P::BaseField::ONE);
        for (&(bucket, point), inverse) in self.pending.iter().zip(&self.denominators) {
            let current = self.points[bucket];
            if current.x == point.x {
                // `P + P` or `P + (-P)`: projective formulas, then back.
                let sum: Affine<P> = (Affine::<P>::new_unchecked(current.x, current.y).into_group() + point).into();
                self.occupied[bucket] = !sum.is_zero();
                self.points[bucket] = BucketPoint { x: sum.x, y: sum.y };
            } else {
                let slope = (point.y - current.y) * inverse;
                let x = slope.square() - current.x - point.x;
                let y = slope * (current.x - x) - current.y;
                self.points[bucket] = BucketPoint { x, y };
            }
            self.busy[bucket] = false;
        }
        self.pending.clear();
    }

    /// Each window's `Σ (j + 1) * bucket[j]` by running sums, after the
    /// last batch, for windows of `size` buckets each.
    fn weighted_sums(mut self, size: usize) -> Vec<Projective<P>> {
        while !self.pending.is_empty() || !self.waiting.is_empty() {
            self.add_pending();
            self.place_waiting();
        }
        (0..self.points.len() / size)
            .map(|window| {
                let mut running = Projective::<P>::ZERO;
                let mut total = Projective::<P>::ZERO;
                for j in (window * size..(window + 1) * size).rev() {
                    if self.occupied[j] {
                        running += Affine::<P>::new_unchecked(self.points[j].x, self.points[j].y);
                    }
                    if self.overflow_index[j] != NO_OVERFLOW {
                        running += &self.overflow[self.overflow_index[j] as usize];
                    }
                    total += running;
                }
                total
            })
            .collect()
    }
}

/// A few consecutive windows (`digits` holds theirs, window-major): each
/// base into the bucket of its digit in each window. Returns the windows'
/// sums in order.
fn window_sums<P: SWCurveConfig>(bases: &[Affine<P>], digits: &[i32], c: usize) -> Vec<Projective<P>> {
    let n = bases.len();
    let windows = digits.len() / n;
    let size = 1 << (c - 1);
    let mut buckets = Buckets::<P>::new(windows * size);
    for (i, base) in bases.iter().enumerate() {
        if base.is_zero() {
            continue;
        }
        let negated = -*base;
        for w in 0..windows {
            let digit = digits[w * n + i];
            if digit != 0 {
                let point = if digit > 0 { *base } else { negated };
                buckets.add(w * size + digit.unsigned_abs() as usize - 1, point);
            }
        }
    }
    buckets.weighted_sums(size)
}
