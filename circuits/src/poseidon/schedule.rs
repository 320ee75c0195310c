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

use super::parameters::Parameters;
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

/// Solves `m x = y` by Gaussian elimination; `None` when `m` is singular.
fn solve(m: &[Vec<Fr>], y: &[Fr]) -> Option<Vec<Fr>> {
    let n = y.len();
    let mut a: Vec<Vec<Fr>> = m.iter().zip(y).map(|(row, yi)| row.iter().copied().chain([*yi]).collect()).collect();
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
    Some(a.into_iter().map(|row| row[n]).collect())
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

        // 2. Matrices.
        let mut sparse = Vec::with_capacity(p.partial_rounds.saturating_sub(1));
        let mut current = p.mds.clone();
        for _ in 0..p.partial_rounds.saturating_sub(1) {
            let hat: Vec<Vec<Fr>> = current[1..].iter().map(|row| row[1..].to_vec()).collect();
            let first_column: Vec<Fr> = current[1..].iter().map(|row| row[0]).collect();
            let w = solve(&hat, &first_column)?;
            sparse.push(Sparse { row: current[0].clone(), w });
            // A' = [[1, 0], [0, hat]]; the next round's matrix is M A'.
            let mut prime = vec![vec![Fr::zero(); t]; t];
            prime[0][0] = Fr::from(1u64);
            for (i, row) in hat.iter().enumerate() {
                prime[i + 1][1..].copy_from_slice(row);
            }
            current = mat_mul(&p.mds, &prime);
        }
        Some(Self { width: t, half_full, full_ark, partial_ark, sparse, last_partial: current, mds: p.mds.clone() })
    }

    /// The permutation of `[0, inputs...]`, returning `state[0]`.
    pub fn hash(&self, inputs: &[Fr]) -> Fr {
        let t = self.width;
        let mut state = [Fr::zero(); super::MAX_INPUTS + 1];
        state[1..t].copy_from_slice(inputs);
        let mut scratch = [Fr::zero(); super::MAX_INPUTS + 1];
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
