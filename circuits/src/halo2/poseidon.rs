//! circomlib's Poseidon as a PLONKish chip: the same permutation and
//! constants as [`crate::poseidon::hash`] (state `[0, inputs...]`, 8 full
//! rounds, the width's partial rounds, output `state[0]`).
//!
//! # Layout
//!
//! One region per hash, over the caller's advice columns `a[0..W]` and fixed
//! columns `f[0..F]`; a row holds the state at the start of its rounds in
//! `a[0..t]` (`t` = inputs + 1):
//!
//! - **row 0** holds `[0, inputs...]`: the inputs are copies of the caller's
//!   cells and a gate holds the capacity cell at 0;
//! - **a full round** takes one row: the next row's state is
//!   `M (s + c)^5` (every element raised), `c` in `f[0..t]`;
//! - **`k` partial rounds** take one row: `a[t..t+k-1]` hold the S-box
//!   inputs of the block's rounds 2..k (the first one, `s0 + d0`, is the
//!   row's own cell plus `d0` in `f[0]`). Every S-box input and the next
//!   row's state are affine in the row's state and the block's S-box outputs
//!   `y_j = x_j^5`, with coefficients fixed by the MDS matrix and constants
//!   from the round constants; the gate checks those `k - 1 + t` equations
//!   (combined, see below), their constants in `f[1..k+t]`;
//! - **the last row** holds the state after the last full round; its first
//!   cell is the hash.
//!
//! Every assigned cell is a state element or a witnessed S-box input, and
//! each is fixed by a gate or a copy: nothing in a hash's region is free.
//! Gates have degree 6 (a selector times an S-box).
//!
//! # What the prover pays
//!
//! halo2's prover evaluates every gate at every point of a domain eight
//! times the rows (degree 6), as an expression tree without shared
//! subexpressions: each multiplication in a gate, and each repeated `x^5`,
//! costs one field multiplication per point. So the gates are written for
//! that evaluator:
//!
//! - a full round checks `M^-1 next = (s + c)^5`, so each `x^5` appears in
//!   one equation instead of all `t` of `next = M (s + c)^5`;
//! - a block of partial rounds checks an invertible combination of its
//!   equations in which each `y_j` appears once (Gauss-Jordan on their
//!   coefficients), when that needs fewer multiplications than the plain
//!   equations; each row's constants are combined the same way;
//! - coefficients of one are not multiplied, and signs are folded into the
//!   coefficients and constants instead of negating whole equations;
//! - the block length `k` is the cheapest of `K` (what the columns hold,
//!   `min(W - t + 1, F - t)`) down to `K / 2`, counting the remainder's
//!   gate when `k` does not divide `P`: shorter blocks have cheaper gates
//!   and take more rows.
//!
//! # Rows per hash
//!
//! `8 + ceil(P / k) + 1` rows ([`PoseidonConfig::rows_per_hash`]). With 11
//! advice and 12 fixed columns (the widest hash of the withdrawal statement
//! has 10 inputs):
//!
//! | inputs | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |
//! |---|---|---|---|---|---|---|---|---|---|---|
//! | partial rounds `P` | 56 | 57 | 56 | 60 | 60 | 63 | 64 | 63 | 60 | 66 |
//! | rows | 21 | 21 | 23 | 24 | 29 | 30 | 41 | 30 | 69 | 75 |
//!
//! The withdrawal statement hashes 63 times with 2 inputs, 4 times with 3
//! and once each with 1, 5, 6, 7, 8 and 10. With 13 advice and 14 fixed
//! columns (every arity up to 12): 17, 18, 21, 21, 24, 18, 25, 30, 39, 42,
//! 69 and 74 rows for 1 to 12 inputs.
//!
//! Gates exist only for the arities passed to [`PoseidonChip::configure`],
//! so a circuit pays (in gates evaluated by the prover) only for the widths
//! it hashes at.

use std::collections::BTreeMap;

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, Region, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Constraints, Error, Expression, Fixed, Selector};
use halo2_proofs::poly::Rotation;

use super::{to_fp, Fp};
use crate::poseidon::parameters_for;

/// What the rounds of one row are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowRounds {
    /// One full round; the next row holds its result.
    Full,
    /// This many partial rounds; the next row holds their result.
    Partial(usize),
}

/// One row of a hash's region.
#[derive(Clone, Debug)]
struct RowPlan {
    rounds: RowRounds,
    /// Index (in the whole permutation) of the row's first round.
    first_round: usize,
    /// The gate of the row's rounds.
    selector: Selector,
    /// The row's fixed-column values, in column order.
    constants: Vec<Fp>,
}

/// Everything about one arity: its constants, gates and rows.
#[derive(Clone, Debug)]
struct ArityPlan {
    width: usize,
    full_rounds: usize,
    partial_rounds: usize,
    /// Round constants, `width` per round.
    ark: Vec<Fp>,
    /// `mds[row][column]`.
    mds: Vec<Vec<Fp>>,
    rows: Vec<RowPlan>,
}

/// The columns, gates and per-arity row plans of a [`PoseidonChip`].
#[derive(Clone, Debug)]
pub struct PoseidonConfig {
    advice: Vec<Column<Advice>>,
    fixed: Vec<Column<Fixed>>,
    /// Holds `a[0]` at 0 on a hash's first row.
    capacity_is_zero: Selector,
    arities: BTreeMap<usize, ArityPlan>,
}

impl PoseidonConfig {
    /// Rows one hash of `inputs` inputs takes, if that arity is configured.
    pub fn rows_per_hash(&self, inputs: usize) -> Option<usize> {
        self.arities.get(&inputs).map(|plan| plan.rows.len() + 1)
    }

    /// The arities this configuration hashes, in increasing order.
    pub fn arities(&self) -> impl Iterator<Item = usize> + '_ {
        self.arities.keys().copied()
    }
}

/// circomlib's Poseidon over cells of the caller's column pool.
#[derive(Clone, Debug)]
pub struct PoseidonChip {
    config: PoseidonConfig,
}

/// An affine form over a partial-round block's variables: the row's state
/// cells `s[0..t]`, then the block's S-box outputs `y[0..k]`.
#[derive(Clone, Debug)]
struct AffineForm {
    coefficients: Vec<Fp>,
    constant: Fp,
}

impl AffineForm {
    fn variable(variables: usize, index: usize) -> Self {
        let mut coefficients = vec![Fp::ZERO; variables];
        coefficients[index] = Fp::ONE;
        Self { coefficients, constant: Fp::ZERO }
    }
}

/// A block of partial rounds as affine forms: each round's S-box input and
/// the state after the block.
struct PartialBlock {
    sbox_inputs: Vec<AffineForm>,
    next_state: Vec<AffineForm>,
}

/// The gate of one block length: its selector and the combination of the
/// plain constraints it checks (see [`partial_rounds_rows`]), which also
/// combines each row's constants.
#[derive(Clone, Debug)]
struct PartialGate {
    selector: Selector,
    combination: Vec<Vec<Fp>>,
}

fn pow5(x: Fp) -> Fp {
    let x2 = x.square();
    x2.square() * x
}

fn pow5_expression(x: Expression<Fp>) -> Expression<Fp> {
    let x2 = x.clone() * x.clone();
    x2.clone() * x2 * x
}

impl ArityPlan {
    fn new(inputs: usize) -> Option<Self> {
        let params = parameters_for(inputs)?;
        Some(Self {
            width: params.width,
            full_rounds: params.full_rounds,
            partial_rounds: params.partial_rounds,
            ark: params.ark.iter().map(|c| to_fp(*c)).collect(),
            mds: params.mds.iter().map(|row| row.iter().map(|m| to_fp(*m)).collect()).collect(),
            rows: Vec::new(),
        })
    }

    fn round_constants(&self, round: usize) -> &[Fp] {
        &self.ark[round * self.width..(round + 1) * self.width]
    }

    fn is_full(&self, round: usize) -> bool {
        let half = self.full_rounds / 2;
        round < half || round >= half + self.partial_rounds
    }

    /// One plain round on a native state.
    fn apply_round(&self, state: &mut Vec<Fp>, round: usize) {
        for (s, c) in state.iter_mut().zip(self.round_constants(round)) {
            *s += c;
        }
        if self.is_full(round) {
            state.iter_mut().for_each(|s| *s = pow5(*s));
        } else {
            state[0] = pow5(state[0]);
        }
        *state = self.mds.iter().map(|row| row.iter().zip(state.iter()).map(|(m, s)| *m * s).sum()).collect();
    }

    /// `rounds` partial rounds from `first_round` as affine forms.
    fn partial_block(&self, first_round: usize, rounds: usize) -> PartialBlock {
        let t = self.width;
        let variables = t + rounds;
        let mut state: Vec<AffineForm> = (0..t).map(|i| AffineForm::variable(variables, i)).collect();
        let mut sbox_inputs = Vec::with_capacity(rounds);
        for j in 0..rounds {
            for (s, c) in state.iter_mut().zip(self.round_constants(first_round + j)) {
                s.constant += c;
            }
            sbox_inputs.push(state[0].clone());
            state[0] = AffineForm::variable(variables, t + j);
            state = self
                .mds
                .iter()
                .map(|row| {
                    let mut mixed = AffineForm { coefficients: vec![Fp::ZERO; variables], constant: Fp::ZERO };
                    for (m, s) in row.iter().zip(&state) {
                        for (acc, c) in mixed.coefficients.iter_mut().zip(&s.coefficients) {
                            *acc += *m * c;
                        }
                        mixed.constant += *m * s.constant;
                    }
                    mixed
                })
                .collect();
        }
        PartialBlock { sbox_inputs, next_state: state }
    }

    /// The native values of every advice cell of a hash of `inputs`, row by
    /// row in column order.
    fn trace(&self, inputs: &[Fp]) -> Vec<Vec<Fp>> {
        let mut state: Vec<Fp> = std::iter::once(Fp::ZERO).chain(inputs.iter().copied()).collect();
        let mut rows = Vec::with_capacity(self.rows.len() + 1);
        for row in &self.rows {
            let mut cells = state.clone();
            match row.rounds {
                RowRounds::Full => self.apply_round(&mut state, row.first_round),
                RowRounds::Partial(rounds) => {
                    for j in 0..rounds {
                        if j > 0 {
                            cells.push(state[0] + self.round_constants(row.first_round + j)[0]);
                        }
                        self.apply_round(&mut state, row.first_round + j);
                    }
                }
            }
            rows.push(cells);
        }
        rows.push(state);
        rows
    }
}

impl PoseidonChip {
    /// Configures hashing of each arity in `arities` (1 to 12 inputs) over
    /// the advice columns `advice` (at least the widest state, `inputs + 1`,
    /// and equality is enabled on them) and the fixed columns `fixed` (at
    /// least `inputs + 2`). More columns of either kind pack more partial
    /// rounds per row (see the module docs).
    ///
    /// # Panics
    /// For an arity outside 1..=12 or too few columns.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        advice: &[Column<Advice>],
        fixed: &[Column<Fixed>],
        arities: &[usize],
    ) -> PoseidonConfig {
        let capacity_is_zero = meta.selector();
        let first = advice.first().copied().expect("Poseidon needs advice columns");
        meta.create_gate("poseidon capacity", |meta| {
            let capacity = meta.query_advice(first, Rotation::cur());
            Constraints::with_selector(meta.query_selector(capacity_is_zero), [("capacity is zero", capacity)])
        });
        for column in advice {
            meta.enable_equality(*column);
        }
        let mut plans = BTreeMap::new();
        for &inputs in arities {
            if plans.contains_key(&inputs) {
                continue;
            }
            let mut plan =
                ArityPlan::new(inputs).unwrap_or_else(|| panic!("Poseidon takes 1 to 12 inputs, not {inputs}"));
            let t = plan.width;
            assert!(advice.len() >= t, "Poseidon({inputs}) needs {t} advice columns, got {}", advice.len());
            assert!(fixed.len() > t, "Poseidon({inputs}) needs {} fixed columns, got {}", t + 1, fixed.len());
            Self::configure_arity(meta, advice, fixed, &mut plan);
            plans.insert(inputs, plan);
        }
        PoseidonConfig { advice: advice.to_vec(), fixed: fixed.to_vec(), capacity_is_zero, arities: plans }
    }

    /// Creates one arity's gates and lays out its rows.
    fn configure_arity(
        meta: &mut ConstraintSystem<Fp>,
        advice: &[Column<Advice>],
        fixed: &[Column<Fixed>],
        plan: &mut ArityPlan,
    ) {
        let t = plan.width;
        let full = Self::full_round_gate(meta, advice, fixed, plan);
        let per_row = Self::partial_rounds_per_row(plan, (advice.len() - t + 1).min(fixed.len() - t));
        let mut partial_gates: BTreeMap<usize, PartialGate> = BTreeMap::new();
        let half = plan.full_rounds / 2;
        let mut rows = Vec::new();
        for round in 0..half {
            rows.push(RowPlan { rounds: RowRounds::Full, first_round: round, selector: full, constants: Vec::new() });
        }
        let mut round = half;
        while round < half + plan.partial_rounds {
            let rounds = per_row.min(half + plan.partial_rounds - round);
            let selector = partial_gates
                .entry(rounds)
                .or_insert_with(|| Self::partial_rounds_gate(meta, advice, fixed, plan, rounds))
                .selector;
            rows.push(RowPlan {
                rounds: RowRounds::Partial(rounds),
                first_round: round,
                selector,
                constants: Vec::new(),
            });
            round += rounds;
        }
        for round in round..plan.full_rounds + plan.partial_rounds {
            rows.push(RowPlan { rounds: RowRounds::Full, first_round: round, selector: full, constants: Vec::new() });
        }
        for row in &mut rows {
            row.constants = match row.rounds {
                RowRounds::Full => plan.round_constants(row.first_round).to_vec(),
                RowRounds::Partial(rounds) => {
                    let block = plan.partial_block(row.first_round, rounds);
                    let constants: Vec<Fp> =
                        block.sbox_inputs[1..].iter().chain(&block.next_state).map(|form| form.constant).collect();
                    let combination = &partial_gates[&rounds].combination;
                    std::iter::once(block.sbox_inputs[0].constant)
                        .chain(combination.iter().map(|weights| -dot(weights, &constants)))
                        .collect()
                }
            };
        }
        plan.rows = rows;
    }

    /// Partial rounds per row: of the lengths from `widest` (what the
    /// columns hold) down to half of it, the one whose gates (the block
    /// length's and the remainder's) cost the prover the fewest
    /// multiplications; the longest on a tie. Shorter blocks have cheaper
    /// gates but take more rows.
    fn partial_rounds_per_row(plan: &ArityPlan, widest: usize) -> usize {
        let widest = widest.min(plan.partial_rounds);
        let first = plan.full_rounds / 2;
        let gate_cost = |rounds: usize| -> usize {
            let (_, rows) = partial_rounds_rows(&plan.partial_block(first, rounds), plan.width, rounds);
            rows.iter().map(BlockRow::cost).sum()
        };
        (widest.div_ceil(2).max(1)..=widest)
            .rev()
            .min_by_key(|&rounds| {
                let remainder = plan.partial_rounds % rounds;
                gate_cost(rounds) + if remainder == 0 { 0 } else { gate_cost(remainder) }
            })
            .unwrap_or(widest)
    }

    /// `next = M (s + c)^5` over `a[0..t]`, `c` in `f[0..t]`.
    fn full_round_gate(
        meta: &mut ConstraintSystem<Fp>,
        advice: &[Column<Advice>],
        fixed: &[Column<Fixed>],
        plan: &ArityPlan,
    ) -> Selector {
        let selector = meta.selector();
        let t = plan.width;
        // `next = M y` as `M^-1 next = y`: each S-box output `y_i` then
        // appears in one constraint only (the prover evaluates an
        // expression tree without sharing, so a `y_i` in every row of `M y`
        // would be raised `t` times).
        let inverse = gauss_jordan(&plan.mds).expect("an MDS matrix is invertible");
        meta.create_gate("poseidon full round", |meta| {
            let next: Vec<Expression<Fp>> = (0..t).map(|i| meta.query_advice(advice[i], Rotation::next())).collect();
            let constraints: Vec<_> = (0..t)
                .map(|i| {
                    let raised =
                        pow5_expression(meta.query_advice(advice[i], Rotation::cur()) + meta.query_fixed(fixed[i]));
                    let unmixed = linear_combination(inverse[i].iter().map(|m| -*m).zip(next.iter().cloned()));
                    ("next state", raised + unmixed)
                })
                .collect();
            Constraints::with_selector(meta.query_selector(selector), constraints)
        });
        selector
    }

    /// A block of `rounds` partial rounds on one row (see the module docs).
    fn partial_rounds_gate(
        meta: &mut ConstraintSystem<Fp>,
        advice: &[Column<Advice>],
        fixed: &[Column<Fixed>],
        plan: &ArityPlan,
        rounds: usize,
    ) -> PartialGate {
        let selector = meta.selector();
        let t = plan.width;
        // The coefficients do not depend on the rounds' constants, so any
        // block of this length gives them; each row's constants come from
        // its own block.
        let block = plan.partial_block(plan.full_rounds / 2, rounds);
        let (combination, rows) = partial_rounds_rows(&block, t, rounds);
        meta.create_gate("poseidon partial rounds", |meta| {
            let state: Vec<Expression<Fp>> = (0..t).map(|i| meta.query_advice(advice[i], Rotation::cur())).collect();
            let witnessed: Vec<Expression<Fp>> =
                (1..rounds).map(|j| meta.query_advice(advice[t + j - 1], Rotation::cur())).collect();
            let next: Vec<Expression<Fp>> = (0..t).map(|i| meta.query_advice(advice[i], Rotation::next())).collect();
            let leaves: Vec<Expression<Fp>> = state.into_iter().chain(witnessed.iter().cloned()).chain(next).collect();
            // The first S-box input is `s0 + d0`: the block starts with a
            // round whose input is the row's own state.
            let first_input = meta.query_advice(advice[0], Rotation::cur()) + meta.query_fixed(fixed[0]);
            let sbox_inputs: Vec<Expression<Fp>> = std::iter::once(first_input).chain(witnessed).collect();
            let constraints: Vec<_> = rows
                .iter()
                .enumerate()
                .map(|(n, row)| {
                    let raised = row
                        .sboxes
                        .iter()
                        .zip(&sbox_inputs)
                        .filter(|(c, _)| !bool::from(c.is_zero()))
                        .map(|(c, x)| (*c, pow5_expression(x.clone())));
                    let terms = row.leaves.iter().copied().zip(leaves.iter().cloned()).chain(raised);
                    ("S-box inputs and next state", linear_combination(terms) + meta.query_fixed(fixed[1 + n]))
                })
                .collect();
            Constraints::with_selector(meta.query_selector(selector), constraints)
        });
        PartialGate { selector, combination }
    }

    /// The chip over a configuration.
    pub fn construct(config: PoseidonConfig) -> Self {
        Self { config }
    }

    /// The chip's configuration.
    pub fn config(&self) -> &PoseidonConfig {
        &self.config
    }

    /// circomlib's `Poseidon(inputs)`, in a region named
    /// `"{label}: poseidon({n})"`; the inputs are copied into it.
    ///
    /// # Errors
    /// `Error::Synthesis` for an arity the chip was not configured for;
    /// otherwise the layouter's errors.
    pub fn hash(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        inputs: &[AssignedCell<Fp, Fp>],
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let trace = self.trace(inputs)?;
        self.assign(layouter, label, inputs, &trace)
    }

    /// The values of every advice cell of the hash of `inputs`.
    fn trace(&self, inputs: &[AssignedCell<Fp, Fp>]) -> Result<Value<Vec<Vec<Fp>>>, Error> {
        let plan = self.config.arities.get(&inputs.len()).ok_or(Error::Synthesis)?;
        let values: Value<Vec<Fp>> = inputs.iter().map(|cell| cell.value().copied()).collect();
        Ok(values.map(|values| plan.trace(&values)))
    }

    /// Lays out one hash with the advice values `trace` (rows of cells in
    /// column order), copying `inputs` into row 0.
    fn assign(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        inputs: &[AssignedCell<Fp, Fp>],
        trace: &Value<Vec<Vec<Fp>>>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let plan = self.config.arities.get(&inputs.len()).ok_or(Error::Synthesis)?;
        layouter.assign_region(
            || format!("{label}: poseidon({})", inputs.len()),
            |mut region| {
                self.config.capacity_is_zero.enable(&mut region, 0)?;
                for (offset, row) in plan.rows.iter().enumerate() {
                    row.selector.enable(&mut region, offset)?;
                    for (column, constant) in self.config.fixed.iter().zip(&row.constants) {
                        region.assign_fixed(|| "round constant", *column, offset, || Value::known(*constant))?;
                    }
                    let cells = match row.rounds {
                        RowRounds::Full => plan.width,
                        RowRounds::Partial(rounds) => plan.width + rounds - 1,
                    };
                    for column in 0..cells {
                        let cell = self.assign_cell(&mut region, trace, offset, column)?;
                        if offset == 0 && (1..=inputs.len()).contains(&column) {
                            region.constrain_equal(inputs[column - 1].cell(), cell.cell())?;
                        }
                    }
                }
                // The state after the last round; its first cell is the hash.
                let output_row = plan.rows.len();
                let hash = self.assign_cell(&mut region, trace, output_row, 0)?;
                for column in 1..plan.width {
                    self.assign_cell(&mut region, trace, output_row, column)?;
                }
                Ok(hash)
            },
        )
    }

    fn assign_cell(
        &self,
        region: &mut Region<'_, Fp>,
        trace: &Value<Vec<Vec<Fp>>>,
        row: usize,
        column: usize,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        region.assign_advice(
            || "poseidon state",
            self.config.advice[column],
            row,
            || trace.as_ref().map(|rows| rows[row][column]),
        )
    }
}

/// `Σ c_i e_i`, leaving out zero coefficients and scaling only by
/// coefficients other than one (each scaling is a multiplication at every
/// point of the prover's extended domain).
fn linear_combination(terms: impl IntoIterator<Item = (Fp, Expression<Fp>)>) -> Expression<Fp> {
    terms
        .into_iter()
        .filter(|(c, _)| !bool::from(c.is_zero()))
        .map(|(c, e)| if c == Fp::ONE { e } else { e * c })
        .reduce(|a, b| a + b)
        .unwrap_or(Expression::Constant(Fp::ZERO))
}

fn dot(a: &[Fp], b: &[Fp]) -> Fp {
    a.iter().zip(b).map(|(x, y)| *x * y).sum()
}

/// For an `n x c` matrix `b` of rank `c`, an invertible `n x n` matrix `T`
/// with `T b` the identity on its first `c` rows and zero below (the
/// inverse when `b` is square); `None` when the rank is lower.
fn gauss_jordan(b: &[Vec<Fp>]) -> Option<Vec<Vec<Fp>>> {
    let n = b.len();
    let c = b.first().map_or(0, Vec::len);
    let mut rows: Vec<(Vec<Fp>, Vec<Fp>)> = b
        .iter()
        .enumerate()
        .map(|(i, row)| (row.clone(), (0..n).map(|j| if i == j { Fp::ONE } else { Fp::ZERO }).collect()))
        .collect();
    for k in 0..c {
        let pivot = (k..n).find(|&i| !bool::from(rows[i].0[k].is_zero()))?;
        rows.swap(k, pivot);
        let inverse = rows[k].0[k].invert().unwrap();
        let (left, right) = &mut rows[k];
        left.iter_mut().chain(right.iter_mut()).for_each(|v| *v *= inverse);
        let (pivot_left, pivot_right) = rows[k].clone();
        for (i, (left, right)) in rows.iter_mut().enumerate() {
            let factor = left[k];
            if i == k || bool::from(factor.is_zero()) {
                continue;
            }
            for (v, p) in left.iter_mut().zip(&pivot_left).chain(right.iter_mut().zip(&pivot_right)) {
                *v -= factor * p;
            }
        }
    }
    Some(rows.into_iter().map(|(_, transform)| transform).collect())
}

/// One constraint of a partial-round block: coefficients over the leaves
/// (the row's state `s[0..t]`, the witnessed S-box inputs `x[1..k]`, the
/// next row's state) and over the S-box outputs `x_j^5`; its constant is
/// the row's fixed cell.
#[derive(Clone, Debug)]
struct BlockRow {
    leaves: Vec<Fp>,
    sboxes: Vec<Fp>,
}

impl BlockRow {
    /// Multiplications per point of the prover's extended domain: a scaling
    /// for each coefficient other than zero and one, four for each `x^5`,
    /// one for the selector.
    fn cost(&self) -> usize {
        let scalings = self.leaves.iter().chain(&self.sboxes).filter(|c| !bool::from(c.is_zero()) && **c != Fp::ONE);
        scalings.count() + 4 * self.sboxes.iter().filter(|c| !bool::from(c.is_zero())).count() + 1
    }
}

/// The constraints of a block of `rounds` partial rounds, and the matrix
/// that combines the plain constraints (each witnessed S-box input, then
/// each next-state cell, minus its affine form) into them.
///
/// The plain constraints name an S-box output in every constraint after
/// its round, so the prover raises it that many times. Combined so that
/// each output appears in one constraint (Gauss-Jordan on the outputs'
/// coefficients), the leaves' coefficients fill in instead. The system with
/// fewer multiplications is kept; both have the same solutions, since the
/// combination is invertible.
fn partial_rounds_rows(block: &PartialBlock, t: usize, rounds: usize) -> (Vec<Vec<Fp>>, Vec<BlockRow>) {
    let leaves = 2 * t + rounds - 1;
    let plain: Vec<BlockRow> = block.sbox_inputs[1..]
        .iter()
        .chain(&block.next_state)
        .enumerate()
        .map(|(m, form)| {
            let mut row = BlockRow { leaves: vec![Fp::ZERO; leaves], sboxes: vec![Fp::ZERO; rounds] };
            // The cell itself: a witnessed input, or a next-state cell.
            let cell = if m + 1 < rounds { t + m } else { t + rounds - 1 + (m + 1 - rounds) };
            row.leaves[cell] = Fp::ONE;
            for (leaf, c) in row.leaves.iter_mut().zip(&form.coefficients[..t]) {
                *leaf = -*c;
            }
            for (sbox, c) in row.sboxes.iter_mut().zip(&form.coefficients[t..]) {
                *sbox = -*c;
            }
            row
        })
        .collect();
    let identity: Vec<Vec<Fp>> =
        (0..plain.len()).map(|i| (0..plain.len()).map(|j| if i == j { Fp::ONE } else { Fp::ZERO }).collect()).collect();
    let combine = |combination: &[Vec<Fp>]| -> Vec<BlockRow> {
        combination
            .iter()
            .map(|weights| BlockRow {
                leaves: (0..leaves)
                    .map(|l| weights.iter().zip(&plain).map(|(w, row)| *w * row.leaves[l]).sum())
                    .collect(),
                sboxes: (0..rounds)
                    .map(|k| weights.iter().zip(&plain).map(|(w, row)| *w * row.sboxes[k]).sum())
                    .collect(),
            })
            .collect()
    };
    let sbox_coefficients: Vec<Vec<Fp>> = plain.iter().map(|row| row.sboxes.clone()).collect();
    let total = |rows: &[BlockRow]| rows.iter().map(BlockRow::cost).sum::<usize>();
    match gauss_jordan(&sbox_coefficients) {
        Some(combination) => {
            let combined = combine(&combination);
            if total(&combined) < total(&plain) {
                return (combination, combined);
            }
            (identity, plain)
        }
        None => (identity, plain),
    }
}

#[cfg(test)]
mod tests {
    use halo2_proofs::circuit::SimpleFloorPlanner;
    use halo2_proofs::dev::{MockProver, VerifyFailure};
    use halo2_proofs::plonk::{Circuit, Instance};
    use rand::SeedableRng;

    use super::*;
    use crate::field::parse_fr;
    use crate::halo2::failures::Verdict;
    use crate::poseidon::MAX_INPUTS;

    /// Rows of the test circuits: room for the widest hash and the inputs.
    const K: u32 = 7;
    const LABEL: &str = "test";

    /// One cell of a hash's trace changed by `delta` before it is assigned.
    #[derive(Clone, Copy, Debug)]
    struct Tamper {
        row: usize,
        column: usize,
        delta: Fp,
    }

    /// Hashes `inputs` (witnessed in their own region) over `ADVICE`
    /// advice and `FIXED` fixed columns and exposes the hash as public
    /// input 0.
    #[derive(Clone, Debug, Default)]
    struct HashCircuit<const ADVICE: usize, const FIXED: usize> {
        inputs: Vec<Fp>,
        tamper: Option<Tamper>,
    }

    #[derive(Clone, Debug)]
    struct TestConfig {
        poseidon: PoseidonConfig,
        advice: Vec<Column<Advice>>,
        hash: Column<Instance>,
    }

    impl<const ADVICE: usize, const FIXED: usize> Circuit<Fp> for HashCircuit<ADVICE, FIXED> {
        type Config = TestConfig;
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            Self { inputs: vec![Fp::ZERO; self.inputs.len()], tamper: None }
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> TestConfig {
            let advice: Vec<_> = (0..ADVICE).map(|_| meta.advice_column()).collect();
            let fixed: Vec<_> = (0..FIXED).map(|_| meta.fixed_column()).collect();
            let hash = meta.instance_column();
            meta.enable_equality(hash);
            let arities: Vec<usize> = (1..=MAX_INPUTS).filter(|n| *n < ADVICE && n + 1 < FIXED).collect();
            let poseidon = PoseidonChip::configure(meta, &advice, &fixed, &arities);
            TestConfig { poseidon, advice, hash }
        }

        fn synthesize(&self, config: TestConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
            let inputs = layouter.assign_region(
                || "inputs",
                |mut region| {
                    self.inputs
                        .iter()
                        .enumerate()
                        .map(|(i, v)| region.assign_advice(|| "input", config.advice[i], 0, || Value::known(*v)))
                        .collect::<Result<Vec<_>, _>>()
                },
            )?;
            let chip = PoseidonChip::construct(config.poseidon);
            let mut trace = chip.trace(&inputs)?;
            if let Some(Tamper { row, column, delta }) = self.tamper {
                trace = trace.map(|mut rows| {
                    rows[row][column] += delta;
                    rows
                });
            }
            let hash = chip.assign(&mut layouter, LABEL, &inputs, &trace)?;
            layouter.constrain_instance(hash.cell(), config.hash, 0)
        }
    }

    fn verify<const ADVICE: usize, const FIXED: usize>(circuit: &HashCircuit<ADVICE, FIXED>, hash: Fp) -> Verdict {
        MockProver::run(K, circuit, vec![vec![hash]]).expect("synthesis").verify()
    }

    fn native(inputs: &[Fp]) -> Fp {
        let inputs: Vec<crate::Fr> = inputs.iter().map(|v| super::super::from_fp(*v)).collect();
        to_fp(crate::poseidon::hash(&inputs).unwrap())
    }

    fn random_inputs(rng: &mut rand_chacha::ChaCha20Rng, n: usize) -> Vec<Fp> {
        (0..n).map(|_| to_fp(<crate::Fr as ark_std::UniformRand>::rand(rng))).collect()
    }

    #[test]
    fn agrees_with_native_for_every_arity() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(11);
        for n in 1..=MAX_INPUTS {
            for _ in 0..2 {
                let inputs = random_inputs(&mut rng, n);
                let expected = native(&inputs);
                let circuit = HashCircuit::<13, 14> { inputs, tamper: None };
                assert!(verify(&circuit, expected).is_ok(), "{n} inputs");
                assert!(verify(&circuit, expected + Fp::ONE).is_err(), "{n} inputs, wrong hash accepted");
            }
        }
    }

    #[test]
    fn agrees_with_native_on_the_narrower_pool() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(12);
        for n in 1..=10 {
            let inputs = random_inputs(&mut rng, n);
            let expected = native(&inputs);
            assert!(verify(&HashCircuit::<11, 12> { inputs, tamper: None }, expected).is_ok(), "{n} inputs");
        }
    }

    #[test]
    fn agrees_with_circomlibjs() {
        let text = include_str!("../../../data/vectors/circomlibjs-poseidon-eddsa.json");
        let vectors: serde_json::Value = serde_json::from_str(text).unwrap();
        let cases = vectors["poseidon"].as_array().unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            let field = |s: &serde_json::Value| to_fp(parse_fr(s.as_str().unwrap()).unwrap());
            let inputs: Vec<Fp> = case["inputs"].as_array().unwrap().iter().map(field).collect();
            let expected = field(&case["hash"]);
            let circuit = HashCircuit::<13, 14> { inputs, tamper: None };
            assert!(verify(&circuit, expected).is_ok(), "inputs {}", case["inputs"]);
        }
    }

    fn rows_per_arity<const ADVICE: usize, const FIXED: usize>() -> Vec<usize> {
        let mut meta = ConstraintSystem::<Fp>::default();
        let config = HashCircuit::<ADVICE, FIXED>::configure(&mut meta);
        config.poseidon.arities().map(|n| config.poseidon.rows_per_hash(n).unwrap()).collect()
    }

    #[test]
    fn rows_per_hash_are_the_documented_ones() {
        assert_eq!(rows_per_arity::<11, 12>(), [21, 21, 23, 24, 29, 30, 41, 30, 69, 75]);
        assert_eq!(rows_per_arity::<13, 14>(), [17, 18, 21, 21, 24, 18, 25, 30, 39, 42, 69, 74]);
    }

    #[test]
    fn gates_have_degree_six() {
        let mut meta = ConstraintSystem::<Fp>::default();
        HashCircuit::<13, 14>::configure(&mut meta);
        assert_eq!(meta.degree(), 6);
    }

    /// Changes one cell of a hash of `inputs` and asserts that the proof
    /// fails, with every gate failure located in the hash's region and at
    /// least one failure (a gate or a broken copy) there.
    fn assert_tampering_fails<const ADVICE: usize, const FIXED: usize>(inputs: &[Fp], row: usize, column: usize) {
        let region = format!("('{LABEL}: poseidon({})')", inputs.len());
        let tamper = Some(Tamper { row, column, delta: Fp::ONE });
        let circuit = HashCircuit::<ADVICE, FIXED> { inputs: inputs.to_vec(), tamper };
        let Err(failures) = verify(&circuit, native(inputs)) else { panic!("cell ({row}, {column}) is free") };
        let mut failures_in_region = 0;
        for failure in &failures {
            let location = match failure {
                VerifyFailure::ConstraintNotSatisfied { location, .. }
                | VerifyFailure::Permutation { location, .. }
                | VerifyFailure::Lookup { location, .. } => location.to_string(),
                other => panic!("cell ({row}, {column}): unexpected failure {other}"),
            };
            // A broken copy fails on both of its cells, one of them maybe
            // in the inputs' region.
            let copied_from_outside = matches!(failure, VerifyFailure::Permutation { .. });
            assert!(location.contains(&region) || copied_from_outside, "cell ({row}, {column}): {failure}");
            failures_in_region += usize::from(location.contains(&region));
        }
        assert!(failures_in_region > 0, "cell ({row}, {column}): {failures:?}");
    }

    /// Every cell of the rows `rows` (all rows when `None`) of a hash of
    /// `inputs`, one at a time; returns how many cells were changed.
    fn assert_cells_are_constrained<const ADVICE: usize, const FIXED: usize>(
        inputs: &[Fp],
        rows: Option<&[usize]>,
    ) -> usize {
        let mut meta = ConstraintSystem::<Fp>::default();
        let config = HashCircuit::<ADVICE, FIXED>::configure(&mut meta);
        let trace = config.poseidon.arities[&inputs.len()].trace(inputs);
        let mut changed = 0;
        for (row, values) in trace.iter().enumerate() {
            if rows.is_some_and(|rows| !rows.contains(&row)) {
                continue;
            }
            for column in 0..values.len() {
                assert_tampering_fails::<ADVICE, FIXED>(inputs, row, column);
                changed += 1;
            }
        }
        changed
    }

    #[test]
    fn changing_any_cell_of_a_two_input_hash_fails_in_its_region() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(13);
        let inputs = random_inputs(&mut rng, 2);
        // 8 full-round rows of 3 cells; 12 partial-round rows (eleven of
        // five rounds, one of two) of 3 state cells and the S-box inputs of
        // all but their first round; the final state, its first cell the hash.
        let cells = assert_cells_are_constrained::<11, 12>(&inputs, None);
        assert_eq!(cells, 8 * 3 + 12 * 3 + (57 - 12) + 3);
    }

    #[test]
    fn changing_a_cell_of_a_full_width_hash_fails_in_its_region() {
        // Ten inputs on eleven columns: one partial round per row. Rows: the
        // inputs, the first partial round, the last partial round, the last
        // full round, the final state (row 74, the hash in its first cell).
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(14);
        let inputs = random_inputs(&mut rng, 10);
        let cells = assert_cells_are_constrained::<11, 12>(&inputs, Some(&[0, 4, 69, 73, 74]));
        assert_eq!(cells, 5 * 11);
    }

    #[test]
    fn an_arity_not_configured_is_refused() {
        let mut meta = ConstraintSystem::<Fp>::default();
        let advice: Vec<_> = (0..4).map(|_| meta.advice_column()).collect();
        let fixed: Vec<_> = (0..5).map(|_| meta.fixed_column()).collect();
        let config = PoseidonChip::configure(&mut meta, &advice, &fixed, &[2, 2, 3]);
        assert_eq!(config.arities().collect::<Vec<_>>(), [2, 3]);
        assert_eq!(config.rows_per_hash(1), None);
        let chip = PoseidonChip::construct(config);
        assert!(matches!(chip.trace(&[]), Err(Error::Synthesis)));
    }
}
