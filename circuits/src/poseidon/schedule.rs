//! The native permutation with cheap partial rounds (the Poseidon paper's
//! appendix B): the same function as the plain rounds, rearranged once per
//! width so that each partial round costs about `2t` multiplications
//! instead of `t^2`.
//!
//! Two exact rewrites of the partial rounds (`s += c_r; s0 = s0^5; s = M s`):
//!
//! 1. **Constants.** Only `c_r[0]` must be added before the S-box; the rest,
//!    `(0, c_r[1..])`, commutes with an S-box that touches `s0` alone, and
//!    after the mixing becomes `M (0, c_r[1..])`, which is added to the next
//!    round's constants instead. What is left after the last partial round
//!    joins the first constants of the second full half.
//! 2. **Matrices.** Any matrix `A` factors as `A = A' A''` with
//!    `A' = [[1, 0], [0, Â]]` (`Â` = `A` without its first row and column)
//!    and `A'' = [[a00, a0j], [w, I]]`, `w = Â^{-1} A[1.., 0]`. `A'` leaves
//!    `s0` alone and mixes only the others, so it commutes with the next
//!    round's scalar constant and S-box and merges into the next round's
//!    matrix (`M A'`), which is factored in turn. Every partial round but the
//!    last then applies a sparse `A''`; the last applies the accumulated
//!    dense matrix.
//!
//! The tests check this against the plain rounds and against circomlibjs.

use ark_ff::{Field, Zero};

use super::parameters::{Parameters, MAX_INPUTS};
use crate::Fr;

/// A sparse mixing step `s0' = Σ row_j s_j`, `s_k' = s_k + w_k s0` (k >= 1).
#[derive(Debug, Clone)]
struct Sparse {
    row: Vec<Fr>,
    w: Vec<Fr>,
}

/// One width's rearranged permutation.
#[derive(Debug, Clone)]
pub struct Schedule {
    width: usize,
    half_full: usize,
    /// Constants of the full rounds, `width` each (the carry added to the
    /// first round of the second half).
    full_ark: Vec<Vec<Fr>>,
    /// The scalar constant of each partial round.
    partial_ark: Vec<Fr>,
    /// The sparse steps of partial rounds `0 .. partial_rounds - 1`.
    sparse: Vec<Sparse>,
    /// The dense matrix of the last partial round.
    last_partial: Vec<Vec<Fr>>,
    mds: Vec<Vec<Fr>>,
}

fn mat_vec(m: &[Vec<Fr>], v: &[Fr]) -> Vec<Fr> {
    m.iter().map(|row| row.iter().zip(v).map(|(a, b)| *a * b).sum()).collect()
}

fn mat_mul(a: &[Vec<Fr>], b: &[Vec<Fr>]) -> Vec<Vec<Fr>> {
    let n = b.len();
    a.iter().map(|row| (0..n).map(|j| row.iter().zip(b).map(|(x, brow)| *x * brow[j]).sum()).collect()).collect()
}

/// `v m` for a row vector `v`.
fn vec_mat(v: &[Fr], m: &[Vec<Fr>]) -> Vec<Fr> {
    (0..m.len()).map(|j| v.iter().zip(m).map(|(x, row)| *x * row[j]).sum()).collect()
}

/// `m^e` by squaring.
fn mat_pow(m: &[Vec<Fr>], mut e: usize) -> Vec<Vec<Fr>> {
    let n = m.len();
    let mut result: Vec<Vec<Fr>> =
        (0..n).map(|i| (0..n).map(|j| if i == j { Fr::from(1u64) } else { Fr::zero() }).collect()).collect();
    let mut base = m.to_vec();
    while e > 0 {
        if e & 1 == 1 {
            result = mat_mul(&result, &base);
        }
        base = mat_mul(&base, &base);
        e >>= 1;
    }
    result
}

/// `m^-1` by Gauss-Jordan elimination; `None` when `m` is singular.
fn invert(m: &[Vec<Fr>]) -> Option<Vec<Vec<Fr>>> {
    let n = m.len();
    let mut a: Vec<Vec<Fr>> = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter().copied().chain((0..n).map(|j| if i == j { Fr::from(1u64) } else { Fr::zero() })).collect()
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n).find(|&r| !a[r][col].is_zero())?;
        a.swap(col, pivot);
        let inv = a[col][col].inverse()?;
        for x in a[col].iter_mut() {
            *x *= inv;
        }
        for r in 0..n {
            if r != col && !a[r][col].is_zero() {
                let f = a[r][col];
                let pivot_row = a[col].clone();
                for (x, p) in a[r].iter_mut().zip(&pivot_row) {
                    *x -= f * p;
                }
            }
        }
    }
    Some(a.into_iter().map(|row| row[n..].to_vec()).collect())
}

impl Schedule {
    /// Rearranges `p`. `None` only if a factorisation step met a singular
    /// block, which circomlib's matrices do not have (the tests build every
    /// width).
    pub fn new(p: &Parameters) -> Option<Self> {
        let t = p.width;
        let half_full = p.full_rounds / 2;
        let round_ark = |r: usize| p.ark[r * t..(r + 1) * t].to_vec();

        // 1. Constants.
        let mut partial_ark = Vec::with_capacity(p.partial_rounds);
        let mut carry = vec![Fr::zero(); t];
        for r in half_full..half_full + p.partial_rounds {
            let c: Vec<Fr> = round_ark(r).iter().zip(&carry).map(|(a, b)| *a + b).collect();
            partial_ark.push(c[0]);
            let mut rest = c;
            rest[0] = Fr::zero();
            carry = mat_vec(&p.mds, &rest);
        }
        let mut full_ark: Vec<Vec<Fr>> = (0..half_full).map(round_ark).collect();
        let second = half_full + p.partial_rounds;
        full_ark.push(round_ark(second).iter().zip(&carry).map(|(a, b)| *a + b).collect());
        full_ark.extend((second + 1..p.full_rounds + p.partial_rounds).map(round_ark));

        // 2. Matrices. With M̂ = M without its first row and column and
        // m = M[1.., 0], the matrix after round r's S-box is M A'_{r-1}, so
        // its Â is M̂^(r+1), its first column below the top is m, and its
        // first row is (M[0][0], M[0][1..] M̂^r): w_r = M̂^-(r+1) m.
        let hat: Vec<Vec<Fr>> = p.mds[1..].iter().map(|row| row[1..].to_vec()).collect();
        let m: Vec<Fr> = p.mds[1..].iter().map(|row| row[0]).collect();
        let hat_inverse = invert(&hat)?;
        let mut sparse = Vec::with_capacity(p.partial_rounds.saturating_sub(1));
        let mut w = m;
        let mut top = p.mds[0][1..].to_vec();
        for _ in 0..p.partial_rounds.saturating_sub(1) {
            w = mat_vec(&hat_inverse, &w);
            let row: Vec<Fr> = std::iter::once(p.mds[0][0]).chain(top.iter().copied()).collect();
            sparse.push(Sparse { row, w: w.clone() });
            top = vec_mat(&top, &hat);
        }
        // The last partial round: M diag(1, M̂^(partial_rounds - 1)).
        let power = mat_pow(&hat, p.partial_rounds.saturating_sub(1));
        let mut prime = vec![vec![Fr::zero(); t]; t];
        prime[0][0] = Fr::from(1u64);
        for (i, row) in power.iter().enumerate() {
            prime[i + 1][1..].copy_from_slice(row);
        }
        let current = mat_mul(&p.mds, &prime);
        Some(Self { width: t, half_full, full_ark, partial_ark, sparse, last_partial: current, mds: p.mds.clone() })
    }

    /// The state width `t` (inputs + 1).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Constants of the full rounds, `width` per round: the first
    /// [`Schedule::half_full_rounds`] rounds, then the second half (whose
    /// first round also carries what the partial rounds pushed forward).
    pub fn full_round_constants(&self) -> &[Vec<Fr>] {
        &self.full_ark
    }

    /// Full rounds on each side of the partial rounds.
    pub fn half_full_rounds(&self) -> usize {
        self.half_full
    }

    /// The scalar constant added to `s0` in each partial round.
    pub fn partial_round_constants(&self) -> &[Fr] {
        &self.partial_ark
    }

    /// The sparse mixing step of every partial round but the last, as
    /// `(row, w)`: `s0' = Σ row_j s_j` and `s_k' = s_k + w_{k-1} s0` for
    /// `k >= 1` (with `s0` the value after the S-box). `row[0]` is always
    /// `M[0][0]`.
    pub fn sparse_steps(&self) -> impl Iterator<Item = (&[Fr], &[Fr])> {
        self.sparse.iter().map(|s| (s.row.as_slice(), s.w.as_slice()))
    }

    /// The dense matrix of the last partial round.
    pub fn last_partial_matrix(&self) -> &[Vec<Fr>] {
        &self.last_partial
    }

    /// The MDS matrix of the full rounds.
    pub fn mds(&self) -> &[Vec<Fr>] {
        &self.mds
    }

    /// The permutation of `[0, inputs...]`, returning `state[0]`.
    pub fn hash(&self, inputs: &[Fr]) -> Fr {
        let t = self.width;
        let mut state = [Fr::zero(); MAX_INPUTS + 1];
        state[1..t].copy_from_slice(inputs);
        let mut scratch = [Fr::zero(); MAX_INPUTS + 1];
        let full_round = |state: &mut [Fr], scratch: &mut [Fr], ark: &[Fr]| {
            for (s, c) in state.iter_mut().zip(ark) {
                *s = pow5(*s + c);
            }
            dense(&self.mds, &state[..t], &mut scratch[..t]);
            state[..t].copy_from_slice(&scratch[..t]);
        };
        for ark in &self.full_ark[..self.half_full] {
            full_round(&mut state[..t], &mut scratch, ark);
        }
        for (r, c) in self.partial_ark.iter().enumerate() {
            state[0] = pow5(state[0] + c);
            match self.sparse.get(r) {
                Some(step) => {
                    let s0 = state[0];
                    state[0] = step.row.iter().zip(&state[..t]).map(|(a, b)| *a * b).sum();
                    for (s, w) in state[1..t].iter_mut().zip(&step.w) {
                        *s += *w * s0;
                    }
                }
                None => {
                    dense(&self.last_partial, &state[..t], &mut scratch[..t]);
                    state[..t].copy_from_slice(&scratch[..t]);
                }
            }
        }
        for ark in &self.full_ark[self.half_full..] {
            full_round(&mut state[..t], &mut scratch, ark);
        }
        state[0]
    }
}

fn pow5(x: Fr) -> Fr {
    let x2 = x.square();
    x2.square() * x
}

fn dense(m: &[Vec<Fr>], v: &[Fr], out: &mut [Fr]) {
    for (o, row) in out.iter_mut().zip(m) {
        *o = row.iter().zip(v).map(|(a, b)| *a * b).sum();
    }
}
