//! Baby Jubjub as a PLONKish chip: the halo2 twin of [`crate::babyjubjub`].
//!
//! Points are affine circomlib coordinates on `a x^2 + y^2 = 1 + d x^2 y^2`
//! (`a = 168700`, `d = 168696`). `a` is a square and `d` is not, so the
//! twisted Edwards addition law is complete: its denominators
//! `1 +- d x1 x2 y1 y2` never vanish for two points of the curve, equal,
//! opposite or the identity alike. Every gate below therefore determines
//! its output uniquely once its inputs are on the curve, and every point
//! the chip hands out is on the curve: checked when it enters
//! ([`BabyJubjubChip::assign_point`], [`BabyJubjubChip::constrain_on_curve`])
//! and kept there by the group law.
//!
//! # Columns
//! Six advice columns `c0..c5` (equality enabled here) and three fixed
//! columns `f0..f2`, shared with other chips. The caller enables a fixed
//! column for constants (`ConstraintSystem::enable_constant`): each
//! multiplication starts from the identity and ends its running sum at zero
//! through constants.
//!
//! # Rows per operation
//! | operation | rows | columns |
//! |---|---|---|
//! | [`assign_point`](BabyJubjubChip::assign_point), [`constrain_on_curve`](BabyJubjubChip::constrain_on_curve) | 1 | `c0, c1` |
//! | [`add`](BabyJubjubChip::add) | 1 | `c0..c5` |
//! | [`double`](BabyJubjubChip::double) | 2 | `c2, c3` |
//! | [`mul_by_cofactor`](BabyJubjubChip::mul_by_cofactor) | 4 | `c2, c3` |
//! | [`mul`](BabyJubjubChip::mul), `n`-bit scalar | `n + 1` | `c0..c5` |
//! | [`mul_base8`](BabyJubjubChip::mul_base8), `n`-bit scalar | `n + 1` | `c0..c2`, `f0..f2` |
//!
//! Each multiplication also places three constants in the constants column. The highest
//! gate degree is 6 (complete addition with its selector).
//!
//! # Scalar multiplication
//! Both multiplications read the scalar through a running sum
//! `z[0] = scalar`, `z[i] = 2 z[i+1] + b[i]`, `z[n] = 0`, least significant
//! bit first, one row per bit; `b[i] = z[i] - 2 z[i+1]` is constrained
//! boolean, so `z[i]` is the integer `sum_{j >= i} b[j] 2^(j-i)`. For
//! `n <= 253` that integer is below the modulus, so the bits are the
//! scalar's unique binary expansion; for `n = 254` they may also spell
//! `scalar + r`, and the caller decides whether that matters (the EdDSA
//! chip forbids it through [`ScalarProduct::running_sum`]).
//!
//! - Variable base `k * P`: row `i` holds the accumulator
//!   `acc[i] = sum_{j < i} b[j] 2^j P`, the power `T[i] = 2^i P`, `z[i]` and
//!   `w[i] = x(T[i]) y(T[i])`; the row's gates set `T[i+1] = 2 T[i]` and
//!   `acc[i+1] = acc[i] + T[i]` when `b[i] = 1`, `acc[i]` when `b[i] = 0`
//!   (`w` keeps the selected addition at degree 6).
//! - Fixed base `k * B8`: the multiples `2^i B8` are fixed values in `f0, f1`
//!   and `d x y` of each in `f2`; row `i` adds `b[i] 2^i B8` to the
//!   accumulator with one complete addition, where the added point is
//!   `(b x_i, 1 + b (y_i - 1))`, the identity when `b = 0`.

use std::sync::OnceLock;

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, Region, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Constraints, Error, Expression, Fixed, Selector};
use halo2_proofs::poly::Rotation;
use num_bigint::BigUint;

use super::{from_fp, to_fp, Fp};
use crate::babyjubjub::{Point, COEFF_A, COEFF_D};
use crate::field::{biguint_to_fr, fr_to_biguint, modulus};

/// Advice columns the chip needs.
pub const ADVICE_COLUMNS: usize = 6;
/// Fixed columns the chip needs.
pub const FIXED_COLUMNS: usize = 3;
/// The widest scalar a multiplication reads: every field element fits.
pub const MAX_SCALAR_BITS: usize = 254;

/// A point whose coordinates are cells. The chip's outputs are on the
/// curve; a point built by the caller from other cells is not until
/// [`BabyJubjubChip::constrain_on_curve`] says so, and every operation
/// assumes its inputs are.
#[derive(Clone, Debug)]
pub struct AssignedPoint {
    /// The x coordinate.
    pub x: AssignedCell<Fp, Fp>,
    /// The y coordinate.
    pub y: AssignedCell<Fp, Fp>,
}

impl AssignedPoint {
    /// The point's value, as the native type.
    pub fn value(&self) -> Value<Point> {
        self.x.value().zip(self.y.value()).map(|(x, y)| Point::new(from_fp(*x), from_fp(*y)))
    }
}

/// The result of a scalar multiplication and the running sum that read
/// the scalar: `running_sum[i]` is the integer spelled by bits `i..n` of
/// the scalar (`running_sum[0]` is the scalar's own cell, copied, and
/// `running_sum[n]` is zero).
#[derive(Clone, Debug)]
pub struct ScalarProduct {
    /// `scalar * base`.
    pub point: AssignedPoint,
    /// `z[0..=n]`, see the type's documentation.
    pub running_sum: Vec<AssignedCell<Fp, Fp>>,
}

/// Columns and selectors of the Baby Jubjub chip.
#[derive(Clone, Debug)]
pub struct BabyJubjubConfig {
    advice: [Column<Advice>; ADVICE_COLUMNS],
    fixed: [Column<Fixed>; FIXED_COLUMNS],
    /// `(c0, c1)` is on the curve.
    on_curve: Selector,
    /// `(c4, c5) = (c0, c1) + (c2, c3)`.
    add: Selector,
    /// `(c2, c3)` on the next row is `(c2, c3)` doubled.
    double: Selector,
    /// One bit of a variable-base multiplication.
    variable_base_step: Selector,
    /// One bit of a fixed-base multiplication by `B8`.
    fixed_base_step: Selector,
}

impl BabyJubjubConfig {
    /// The advice columns the chip was configured over (other chips that
    /// work beside it, such as EdDSA's, lay their rows out in them).
    pub fn advice(&self) -> [Column<Advice>; ADVICE_COLUMNS] {
        self.advice
    }
}

/// Baby Jubjub point operations; see the module documentation.
#[derive(Clone, Debug)]
pub struct BabyJubjubChip {
    config: BabyJubjubConfig,
}

/// One row of a variable-base multiplication's witness.
#[derive(Clone, Copy, Debug)]
struct VariableBaseRow {
    /// `sum_{j < i} b[j] 2^j P`.
    accumulator: Point,
    /// `2^i P`.
    power: Point,
    /// `w[i] = x(2^i P) y(2^i P)`.
    power_xy: Fp,
    /// `z[i]`.
    running_sum: Fp,
}

/// One row of a fixed-base multiplication's witness.
#[derive(Clone, Copy, Debug)]
struct FixedBaseRow {
    /// `sum_{j < i} b[j] 2^j B8`.
    accumulator: Point,
    /// `z[i]`.
    running_sum: Fp,
}

fn coeff_a() -> Expression<Fp> {
    Expression::Constant(Fp::from(COEFF_A))
}

fn coeff_d() -> Expression<Fp> {
    Expression::Constant(Fp::from(COEFF_D))
}

fn one() -> Expression<Fp> {
    Expression::Constant(Fp::ONE)
}

/// `(x, y)` satisfies the curve equation.
fn on_curve_constraint(x: Expression<Fp>, y: Expression<Fp>) -> Expression<Fp> {
    let x2 = x.clone() * x;
    let y2 = y.clone() * y;
    coeff_a() * x2.clone() + y2.clone() - one() - coeff_d() * x2 * y2
}

/// `sum = p + q` by the complete addition law, given the product
/// `t = d x_p x_q y_p y_q` as an expression (so callers can keep its degree
/// down): `x_s (1 + t) = x_p y_q + y_p x_q`, `y_s (1 - t) = y_p y_q - a x_p x_q`.
fn addition_constraints(
    p: (Expression<Fp>, Expression<Fp>),
    q: (Expression<Fp>, Expression<Fp>),
    sum: (Expression<Fp>, Expression<Fp>),
    t: Expression<Fp>,
) -> [Expression<Fp>; 2] {
    let (px, py) = p;
    let (qx, qy) = q;
    let (sx, sy) = sum;
    [
        sx * (one() + t.clone()) - (px.clone() * qy.clone() + py.clone() * qx.clone()),
        sy * (one() - t) - (py * qy - coeff_a() * px * qx),
    ]
}

/// An integer as a field element, reduced modulo `r`.
fn integer_to_fp(value: &BigUint) -> Fp {
    to_fp(biguint_to_fr(&(value % modulus())).expect("reduced below the modulus"))
}

/// `z[i] = reading >> i` for `i` in `0..=bits`: the running sum of an
/// integer reading of a scalar (`z[bits]` is zero only if the reading fits).
fn running_sum_of(reading: &BigUint, bits: usize) -> Vec<Fp> {
    (0..=bits).map(|i| integer_to_fp(&(reading >> i))).collect()
}

/// `point` if the bit `z[i] - 2 z[i+1]` of an honest running sum is 1,
/// the identity if it is 0.
fn bit_times(point: &Point, z: Fp, z_next: Fp) -> Point {
    if z - z_next.double() == Fp::ONE {
        *point
    } else {
        Point::identity()
    }
}

/// The witness rows of `base` times the scalar read by `running_sum`.
fn variable_base_rows(base: Point, running_sum: &[Fp]) -> Vec<VariableBaseRow> {
    let mut rows = Vec::with_capacity(running_sum.len());
    let (mut accumulator, mut power) = (Point::identity(), base);
    for (i, &z) in running_sum.iter().enumerate() {
        rows.push(VariableBaseRow { accumulator, power, power_xy: to_fp(power.x * power.y), running_sum: z });
        if let Some(&next) = running_sum.get(i + 1) {
            accumulator = accumulator.add(&bit_times(&power, z, next));
            power = power.double();
        }
    }
    rows
}

/// The witness rows of `B8` times the scalar read by `running_sum`.
fn fixed_base_rows(running_sum: &[Fp]) -> Vec<FixedBaseRow> {
    let mut rows = Vec::with_capacity(running_sum.len());
    let mut accumulator = Point::identity();
    for (i, &z) in running_sum.iter().enumerate() {
        rows.push(FixedBaseRow { accumulator, running_sum: z });
        if let Some(&next) = running_sum.get(i + 1) {
            accumulator = accumulator.add(&bit_times(&base8_power(i), z, next));
        }
    }
    rows
}

/// `2^i B8` for `i < MAX_SCALAR_BITS`.
fn base8_power(i: usize) -> Point {
    static POWERS: OnceLock<Vec<Point>> = OnceLock::new();
    POWERS.get_or_init(|| {
        let mut powers = Vec::with_capacity(MAX_SCALAR_BITS);
        let mut power = Point::base8();
        for _ in 0..MAX_SCALAR_BITS {
            powers.push(power);
            power = power.double();
        }
        powers
    })[i]
}

/// A multiplication of `bits` bits is one the chip can lay out.
fn check_scalar_width(bits: usize) -> Result<(), Error> {
    if bits == 0 || bits > MAX_SCALAR_BITS {
        // A caller's bug, never a property of the witness.
        return Err(Error::Synthesis);
    }
    Ok(())
}

fn assign_value(
    region: &mut Region<'_, Fp>,
    name: &str,
    column: Column<Advice>,
    offset: usize,
    value: Value<Fp>,
) -> Result<AssignedCell<Fp, Fp>, Error> {
    region.assign_advice(|| name, column, offset, || value)
}

/// Assigns a point's coordinates in two columns of one row.
fn assign_point_at(
    region: &mut Region<'_, Fp>,
    name: &str,
    columns: (Column<Advice>, Column<Advice>),
    offset: usize,
    point: Value<Point>,
) -> Result<AssignedPoint, Error> {
    let x = assign_value(region, &format!("{name}.x"), columns.0, offset, point.map(|p| to_fp(p.x)))?;
    let y = assign_value(region, &format!("{name}.y"), columns.1, offset, point.map(|p| to_fp(p.y)))?;
    Ok(AssignedPoint { x, y })
}

/// Copies a point's cells into two columns of one row.
fn copy_point_to(
    region: &mut Region<'_, Fp>,
    name: &str,
    columns: (Column<Advice>, Column<Advice>),
    offset: usize,
    point: &AssignedPoint,
) -> Result<AssignedPoint, Error> {
    let x = point.x.copy_advice(|| format!("{name}.x"), region, columns.0, offset)?;
    let y = point.y.copy_advice(|| format!("{name}.y"), region, columns.1, offset)?;
    Ok(AssignedPoint { x, y })
}

/// Assigns the identity from constants in two columns of one row.
fn assign_identity_at(
    region: &mut Region<'_, Fp>,
    columns: (Column<Advice>, Column<Advice>),
    offset: usize,
) -> Result<AssignedPoint, Error> {
    let x = region.assign_advice_from_constant(|| "identity.x", columns.0, offset, Fp::ZERO)?;
    let y = region.assign_advice_from_constant(|| "identity.y", columns.1, offset, Fp::ONE)?;
    Ok(AssignedPoint { x, y })
}

impl BabyJubjubChip {
    /// Configures the chip's gates over the caller's columns (see the
    /// module documentation for what goes where); enables equality on the
    /// advice columns. The caller enables a column for constants.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        advice: [Column<Advice>; ADVICE_COLUMNS],
        fixed: [Column<Fixed>; FIXED_COLUMNS],
    ) -> BabyJubjubConfig {
        for column in advice {
            meta.enable_equality(column);
        }
        let config = BabyJubjubConfig {
            advice,
            fixed,
            on_curve: meta.selector(),
            add: meta.selector(),
            double: meta.selector(),
            variable_base_step: meta.selector(),
            fixed_base_step: meta.selector(),
        };
        let [c0, c1, c2, c3, c4, c5] = advice;
        let [f0, f1, f2] = fixed;

        meta.create_gate("baby jubjub: on curve", |meta| {
            let selector = meta.query_selector(config.on_curve);
            let x = meta.query_advice(c0, Rotation::cur());
            let y = meta.query_advice(c1, Rotation::cur());
            Constraints::with_selector(selector, [("a x^2 + y^2 = 1 + d x^2 y^2", on_curve_constraint(x, y))])
        });

        meta.create_gate("baby jubjub: complete addition", |meta| {
            let selector = meta.query_selector(config.add);
            let [px, py, qx, qy, sx, sy] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
            let t = coeff_d() * px.clone() * qx.clone() * py.clone() * qy.clone();
            let [x, y] = addition_constraints((px, py), (qx, qy), (sx, sy), t);
            Constraints::with_selector(selector, [("sum x", x), ("sum y", y)])
        });

        // Doubling by the dedicated formulas `x' = 2 x y / (a x^2 + y^2)`,
        // `y' = (y^2 - a x^2) / (2 - a x^2 - y^2)`: on the curve the
        // denominators equal `1 +- d x^2 y^2`, never zero, and the gate has
        // degree 4 instead of the addition's 6.
        meta.create_gate("baby jubjub: doubling", |meta| {
            let selector = meta.query_selector(config.double);
            let x = meta.query_advice(c2, Rotation::cur());
            let y = meta.query_advice(c3, Rotation::cur());
            let x_doubled = meta.query_advice(c2, Rotation::next());
            let y_doubled = meta.query_advice(c3, Rotation::next());
            let ax2 = coeff_a() * x.clone() * x.clone();
            let y2 = y.clone() * y.clone();
            let two = Expression::Constant(Fp::from(2u64));
            Constraints::with_selector(
                selector,
                [
                    ("doubled x", x_doubled * (ax2.clone() + y2.clone()) - two.clone() * x * y),
                    ("doubled y", y_doubled * (two - ax2.clone() - y2.clone()) - (y2 - ax2)),
                ],
            )
        });

        // Used together with `double` on the power columns (c2, c3).
        meta.create_gate("baby jubjub: variable-base step", |meta| {
            let selector = meta.query_selector(config.variable_base_step);
            let acc_x = meta.query_advice(c0, Rotation::cur());
            let acc_y = meta.query_advice(c1, Rotation::cur());
            let power_x = meta.query_advice(c2, Rotation::cur());
            let power_y = meta.query_advice(c3, Rotation::cur());
            let z = meta.query_advice(c4, Rotation::cur());
            let power_xy = meta.query_advice(c5, Rotation::cur());
            let next_x = meta.query_advice(c0, Rotation::next());
            let next_y = meta.query_advice(c1, Rotation::next());
            let z_next = meta.query_advice(c4, Rotation::next());
            let bit = z - Expression::Constant(Fp::from(2u64)) * z_next;
            let t = coeff_d() * acc_x.clone() * acc_y.clone() * power_xy.clone();
            let [add_x, add_y] = addition_constraints(
                (acc_x.clone(), acc_y.clone()),
                (power_x.clone(), power_y.clone()),
                (next_x.clone(), next_y.clone()),
                t,
            );
            let not_bit = one() - bit.clone();
            Constraints::with_selector(
                selector,
                [
                    ("bit is boolean", bit.clone() * not_bit.clone()),
                    ("w = x y of the power", power_xy - power_x * power_y),
                    ("accumulator x", bit.clone() * add_x + not_bit.clone() * (next_x - acc_x)),
                    ("accumulator y", bit * add_y + not_bit * (next_y - acc_y)),
                ],
            )
        });

        meta.create_gate("baby jubjub: fixed-base step", |meta| {
            let selector = meta.query_selector(config.fixed_base_step);
            let acc_x = meta.query_advice(c0, Rotation::cur());
            let acc_y = meta.query_advice(c1, Rotation::cur());
            let z = meta.query_advice(c2, Rotation::cur());
            let next_x = meta.query_advice(c0, Rotation::next());
            let next_y = meta.query_advice(c1, Rotation::next());
            let z_next = meta.query_advice(c2, Rotation::next());
            let multiple_x = meta.query_fixed(f0);
            let multiple_y = meta.query_fixed(f1);
            let multiple_dxy = meta.query_fixed(f2);
            let bit = z - Expression::Constant(Fp::from(2u64)) * z_next;
            // The added point is (b x_i, 1 + b (y_i - 1)); for a boolean b
            // the product d x y of its coordinates is b (d x_i y_i).
            let added_x = bit.clone() * multiple_x;
            let added_y = one() + bit.clone() * (multiple_y - one());
            let t = bit.clone() * multiple_dxy * acc_x.clone() * acc_y.clone();
            let [add_x, add_y] = addition_constraints((acc_x, acc_y), (added_x, added_y), (next_x, next_y), t);
            Constraints::with_selector(
                selector,
                [("bit is boolean", bit.clone() * (one() - bit)), ("accumulator x", add_x), ("accumulator y", add_y)],
            )
        });

        config
    }

    /// The chip over a configuration.
    pub fn construct(config: BabyJubjubConfig) -> Self {
        Self { config }
    }

    fn pair(&self, first: usize) -> (Column<Advice>, Column<Advice>) {
        (self.config.advice[first], self.config.advice[first + 1])
    }

    /// Assigns a point and constrains it onto the curve (1 row, region
    /// `"{label}: point on curve"`).
    ///
    /// # Errors
    /// Layouter errors only; a point off the curve leaves the circuit
    /// unsatisfied.
    pub fn assign_point(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        point: Value<Point>,
    ) -> Result<AssignedPoint, Error> {
        layouter.assign_region(
            || format!("{label}: point on curve"),
            |mut region| {
                self.config.on_curve.enable(&mut region, 0)?;
                assign_point_at(&mut region, "point", self.pair(0), 0, point)
            },
        )
    }

    /// Constrains a point assigned elsewhere onto the curve (1 row, region
    /// `"{label}: point on curve"`).
    ///
    /// # Errors
    /// Layouter errors only.
    pub fn constrain_on_curve(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        point: &AssignedPoint,
    ) -> Result<(), Error> {
        layouter.assign_region(
            || format!("{label}: point on curve"),
            |mut region| {
                self.config.on_curve.enable(&mut region, 0)?;
                copy_point_to(&mut region, "point", self.pair(0), 0, point).map(|_| ())
            },
        )
    }

    /// `p + q` by the complete addition law (1 row, region `"{label}: add"`).
    ///
    /// # Errors
    /// Layouter errors only.
    pub fn add(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        p: &AssignedPoint,
        q: &AssignedPoint,
    ) -> Result<AssignedPoint, Error> {
        layouter.assign_region(
            || format!("{label}: add"),
            |mut region| {
                self.config.add.enable(&mut region, 0)?;
                copy_point_to(&mut region, "p", self.pair(0), 0, p)?;
                copy_point_to(&mut region, "q", self.pair(2), 0, q)?;
                let sum = p.value().zip(q.value()).map(|(p, q)| p.add(&q));
                assign_point_at(&mut region, "p + q", self.pair(4), 0, sum)
            },
        )
    }

    /// `2 p` (2 rows, region `"{label}: double"`).
    ///
    /// # Errors
    /// Layouter errors only.
    pub fn double(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        p: &AssignedPoint,
    ) -> Result<AssignedPoint, Error> {
        self.double_repeatedly(layouter, &format!("{label}: double"), p, 1)
    }

    /// `8 p`, three doublings (4 rows, region `"{label}: times cofactor"`):
    /// the identity exactly when `p` has small order.
    ///
    /// # Errors
    /// Layouter errors only.
    pub fn mul_by_cofactor(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        p: &AssignedPoint,
    ) -> Result<AssignedPoint, Error> {
        self.double_repeatedly(layouter, &format!("{label}: times cofactor"), p, 3)
    }

    /// `2^times p` in one region of `times + 1` rows named `region_name`.
    fn double_repeatedly(
        &self,
        layouter: &mut impl Layouter<Fp>,
        region_name: &str,
        p: &AssignedPoint,
        times: usize,
    ) -> Result<AssignedPoint, Error> {
        layouter.assign_region(
            || region_name,
            |mut region| {
                let mut current = copy_point_to(&mut region, "p", self.pair(2), 0, p)?;
                for row in 1..=times {
                    self.config.double.enable(&mut region, row - 1)?;
                    let doubled = current.value().map(|point| point.double());
                    current = assign_point_at(&mut region, &format!("2^{row} p"), self.pair(2), row, doubled)?;
                }
                Ok(current)
            },
        )
    }

    /// `scalar * base`, reading the scalar in `bits` bits (`bits + 1` rows,
    /// region `"{label}: variable-base multiplication"`). Constrains
    /// `scalar < 2^bits` for `bits <= 253`; see the module documentation
    /// for 254 bits. `base` must be on the curve.
    ///
    /// # Errors
    /// [`Error::Synthesis`] for `bits` outside `1..=254`; layouter errors.
    pub fn mul(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        base: &AssignedPoint,
        scalar: &AssignedCell<Fp, Fp>,
        bits: usize,
    ) -> Result<ScalarProduct, Error> {
        self.mul_reading(layouter, label, base, scalar, canonical_reading(scalar), bits)
    }

    /// As [`BabyJubjubChip::mul`], with the bits taken from `reading`, an
    /// integer the prover claims the scalar's bits spell (the honest one is
    /// the scalar's canonical value; tests pass aliases to see them refused).
    pub(crate) fn mul_reading(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        base: &AssignedPoint,
        scalar: &AssignedCell<Fp, Fp>,
        reading: Value<BigUint>,
        bits: usize,
    ) -> Result<ScalarProduct, Error> {
        check_scalar_width(bits)?;
        let rows =
            base.value().zip(reading).map(|(base, reading)| variable_base_rows(base, &running_sum_of(&reading, bits)));
        self.assign_variable_base(layouter, label, base, scalar, rows, bits)
    }

    /// Lays out a variable-base multiplication from its witness rows.
    fn assign_variable_base(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        base: &AssignedPoint,
        scalar: &AssignedCell<Fp, Fp>,
        rows: Value<Vec<VariableBaseRow>>,
        bits: usize,
    ) -> Result<ScalarProduct, Error> {
        let [_, _, _, _, z_column, power_xy_column] = self.config.advice;
        layouter.assign_region(
            || format!("{label}: variable-base multiplication"),
            |mut region| {
                let mut running_sum = Vec::with_capacity(bits + 1);
                let mut accumulator = assign_identity_at(&mut region, self.pair(0), 0)?;
                copy_point_to(&mut region, "2^0 P", self.pair(2), 0, base)?;
                running_sum.push(scalar.copy_advice(|| "z[0]", &mut region, z_column, 0)?);
                for row in 0..=bits {
                    let witness = rows.as_ref().map(|rows| rows[row]);
                    if row > 0 {
                        accumulator = assign_point_at(
                            &mut region,
                            &format!("acc[{row}]"),
                            self.pair(0),
                            row,
                            witness.map(|w| w.accumulator),
                        )?;
                        assign_point_at(
                            &mut region,
                            &format!("2^{row} P"),
                            self.pair(2),
                            row,
                            witness.map(|w| w.power),
                        )?;
                        let z = assign_value(
                            &mut region,
                            &format!("z[{row}]"),
                            z_column,
                            row,
                            witness.map(|w| w.running_sum),
                        )?;
                        running_sum.push(z);
                    }
                    if row < bits {
                        self.config.variable_base_step.enable(&mut region, row)?;
                        self.config.double.enable(&mut region, row)?;
                        let power_xy = witness.map(|w| w.power_xy);
                        assign_value(&mut region, &format!("w[{row}]"), power_xy_column, row, power_xy)?;
                    }
                }
                region.constrain_constant(running_sum[bits].cell(), Fp::ZERO)?;
                Ok(ScalarProduct { point: accumulator, running_sum })
            },
        )
    }

    /// `scalar * B8`, reading the scalar in `bits` bits (`bits + 1` rows,
    /// region `"{label}: fixed-base multiplication"`). Constrains
    /// `scalar < 2^bits` for `bits <= 253`.
    ///
    /// # Errors
    /// [`Error::Synthesis`] for `bits` outside `1..=254`; layouter errors.
    pub fn mul_base8(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        scalar: &AssignedCell<Fp, Fp>,
        bits: usize,
    ) -> Result<ScalarProduct, Error> {
        check_scalar_width(bits)?;
        let rows = canonical_reading(scalar).map(|reading| fixed_base_rows(&running_sum_of(&reading, bits)));
        self.assign_fixed_base(layouter, label, scalar, rows, bits)
    }

    /// Lays out a fixed-base multiplication from its witness rows.
    fn assign_fixed_base(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        scalar: &AssignedCell<Fp, Fp>,
        rows: Value<Vec<FixedBaseRow>>,
        bits: usize,
    ) -> Result<ScalarProduct, Error> {
        let z_column = self.config.advice[2];
        let [f0, f1, f2] = self.config.fixed;
        layouter.assign_region(
            || format!("{label}: fixed-base multiplication"),
            |mut region| {
                let mut running_sum = Vec::with_capacity(bits + 1);
                let mut accumulator = assign_identity_at(&mut region, self.pair(0), 0)?;
                running_sum.push(scalar.copy_advice(|| "z[0]", &mut region, z_column, 0)?);
                for row in 0..=bits {
                    let witness = rows.as_ref().map(|rows| rows[row]);
                    if row > 0 {
                        accumulator = assign_point_at(
                            &mut region,
                            &format!("acc[{row}]"),
                            self.pair(0),
                            row,
                            witness.map(|w| w.accumulator),
                        )?;
                        let z = assign_value(
                            &mut region,
                            &format!("z[{row}]"),
                            z_column,
                            row,
                            witness.map(|w| w.running_sum),
                        )?;
                        running_sum.push(z);
                    }
                    if row < bits {
                        self.config.fixed_base_step.enable(&mut region, row)?;
                        let multiple = base8_power(row);
                        let dxy = to_fp(multiple.x * multiple.y) * Fp::from(COEFF_D);
                        region.assign_fixed(|| format!("2^{row} B8.x"), f0, row, || Value::known(to_fp(multiple.x)))?;
                        region.assign_fixed(|| format!("2^{row} B8.y"), f1, row, || Value::known(to_fp(multiple.y)))?;
                        region.assign_fixed(|| format!("d x y of 2^{row} B8"), f2, row, || Value::known(dxy))?;
                    }
                }
                region.constrain_constant(running_sum[bits].cell(), Fp::ZERO)?;
                Ok(ScalarProduct { point: accumulator, running_sum })
            },
        )
    }
}

/// The canonical integer value of a scalar cell.
fn canonical_reading(scalar: &AssignedCell<Fp, Fp>) -> Value<BigUint> {
    scalar.value().map(|value| fr_to_biguint(&from_fp(*value)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::babyjubjub::subgroup_order;
    use crate::field::parse_fr;
    use crate::halo2::failures::{assert_refused_in, assert_satisfied, Verdict};
    use crate::Fr;
    use halo2_proofs::circuit::SimpleFloorPlanner;
    use halo2_proofs::dev::MockProver;
    use halo2_proofs::plonk::{Circuit, Instance};
    use rand::SeedableRng;

    /// circomlib's `Generator`, of order `8 l`; `B8 = 8 G`.
    fn generator() -> Point {
        Point::new(
            parse_fr("995203441582195749578291179787384436505546430278305826713579947235728471134").unwrap(),
            parse_fr("5472060717959818805561601436314318772137091100104008585924551046643952123905").unwrap(),
        )
    }

    /// The eight points of order dividing 8, the identity first.
    pub(crate) fn small_order_points() -> Vec<Point> {
        let order8 = generator().mul(subgroup_order());
        let mut points = vec![Point::identity()];
        for _ in 1..8 {
            points.push(points[points.len() - 1].add(&order8));
        }
        points
    }

    #[test]
    fn small_order_points_are_the_eight_torsion_points() {
        assert_eq!(generator().mul(&BigUint::from(8u8)), Point::base8());
        let points = small_order_points();
        for (i, p) in points.iter().enumerate() {
            assert!(p.is_on_curve() && p.is_small_order(), "point {i}");
            assert!(points[..i].iter().all(|q| q != p), "point {i} repeats");
        }
    }

    fn random_fr(rng: &mut impl rand::RngCore) -> Fr {
        <Fr as ark_std::UniformRand>::rand(rng)
    }

    /// Random curve points: subgroup points plus every torsion component.
    fn random_points(rng: &mut impl rand::RngCore, count: usize) -> Vec<Point> {
        let torsion = small_order_points();
        (0..count)
            .map(|i| Point::base8().mul(&fr_to_biguint(&random_fr(rng))).add(&torsion[i % torsion.len()]))
            .collect()
    }

    /// One chip operation on native inputs; witness rows are given
    /// directly by the tests that tamper with them.
    #[derive(Clone, Debug)]
    enum Operation {
        OnCurve(Point),
        Add(Point, Point),
        Double(Point),
        Cofactor(Point),
        Mul { base: Point, scalar: Fr, bits: usize },
        MulRows { base: Point, scalar: Fr, rows: Vec<VariableBaseRow> },
        MulBase8 { scalar: Fr, bits: usize },
        MulBase8Rows { scalar: Fr, rows: Vec<FixedBaseRow> },
    }

    impl Operation {
        /// The native result (what the instance column expects).
        fn expected(&self) -> Point {
            match self {
                Operation::OnCurve(p) => *p,
                Operation::Add(p, q) => p.add(q),
                Operation::Double(p) => p.double(),
                Operation::Cofactor(p) => p.mul(&BigUint::from(8u8)),
                Operation::Mul { base, scalar, .. } => base.mul(&fr_to_biguint(scalar)),
                Operation::MulBase8 { scalar, .. } => Point::base8().mul(&fr_to_biguint(scalar)),
                // What the rows claim: the last accumulator.
                Operation::MulRows { rows, .. } => rows[rows.len() - 1].accumulator,
                Operation::MulBase8Rows { rows, .. } => rows[rows.len() - 1].accumulator,
            }
        }
    }

    /// Runs operations and exposes each result's coordinates as public
    /// inputs, so the native results are checked by the constraints.
    #[derive(Clone, Debug)]
    struct OperationsCircuit {
        operations: Vec<Operation>,
        known: bool,
    }

    impl OperationsCircuit {
        fn new(operations: Vec<Operation>) -> Self {
            Self { operations, known: true }
        }

        fn expected_instance(&self) -> Vec<Fp> {
            self.operations
                .iter()
                .flat_map(|op| {
                    let p = op.expected();
                    [to_fp(p.x), to_fp(p.y)]
                })
                .collect()
        }

        fn verify(&self, k: u32, instance: Vec<Fp>) -> Verdict {
            MockProver::run(k, self, vec![instance]).expect("synthesis").verify()
        }

        fn known<T>(&self, value: T) -> Value<T> {
            if self.known {
                Value::known(value)
            } else {
                Value::unknown()
            }
        }
    }

    fn assign_scalar(
        chip: &BabyJubjubChip,
        layouter: &mut impl Layouter<Fp>,
        scalar: Value<Fr>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        layouter.assign_region(
            || "input: scalar",
            |mut region| assign_value(&mut region, "scalar", chip.config.advice[4], 0, scalar.map(to_fp)),
        )
    }

    impl Circuit<Fp> for OperationsCircuit {
        type Config = (BabyJubjubConfig, Column<Instance>);
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            Self { operations: self.operations.clone(), known: false }
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> Self::Config {
            let advice = [(); ADVICE_COLUMNS].map(|_| meta.advice_column());
            let fixed = [(); FIXED_COLUMNS].map(|_| meta.fixed_column());
            let instance = meta.instance_column();
            meta.enable_equality(instance);
            let constants = meta.fixed_column();
            meta.enable_constant(constants);
            (BabyJubjubChip::configure(meta, advice, fixed), instance)
        }

        fn synthesize(&self, (config, instance): Self::Config, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
            let chip = BabyJubjubChip::construct(config);
            let layouter = &mut layouter;
            for (i, operation) in self.operations.iter().enumerate() {
                let result = match operation {
                    Operation::OnCurve(p) => chip.assign_point(layouter, "test", self.known(*p))?,
                    Operation::Add(p, q) => {
                        let p = chip.assign_point(layouter, "input", self.known(*p))?;
                        let q = chip.assign_point(layouter, "input", self.known(*q))?;
                        chip.add(layouter, "test", &p, &q)?
                    }
                    Operation::Double(p) => {
                        let p = chip.assign_point(layouter, "input", self.known(*p))?;
                        chip.double(layouter, "test", &p)?
                    }
                    Operation::Cofactor(p) => {
                        let p = chip.assign_point(layouter, "input", self.known(*p))?;
                        chip.mul_by_cofactor(layouter, "test", &p)?
                    }
                    Operation::Mul { base, scalar, bits } => {
                        let base = chip.assign_point(layouter, "input", self.known(*base))?;
                        let scalar = assign_scalar(&chip, layouter, self.known(*scalar))?;
                        chip.mul(layouter, "test", &base, &scalar, *bits)?.point
                    }
                    Operation::MulRows { base, scalar, rows } => {
                        let base = chip.assign_point(layouter, "input", self.known(*base))?;
                        let scalar = assign_scalar(&chip, layouter, self.known(*scalar))?;
                        let rows_value = self.known(rows.clone());
                        chip.assign_variable_base(layouter, "test", &base, &scalar, rows_value, rows.len() - 1)?.point
                    }
                    Operation::MulBase8 { scalar, bits } => {
                        let scalar = assign_scalar(&chip, layouter, self.known(*scalar))?;
                        chip.mul_base8(layouter, "test", &scalar, *bits)?.point
                    }
                    Operation::MulBase8Rows { scalar, rows } => {
                        let scalar = assign_scalar(&chip, layouter, self.known(*scalar))?;
                        chip.assign_fixed_base(layouter, "test", &scalar, self.known(rows.clone()), rows.len() - 1)?
                            .point
                    }
                };
                layouter.constrain_instance(result.x.cell(), instance, 2 * i)?;
                layouter.constrain_instance(result.y.cell(), instance, 2 * i + 1)?;
            }
            Ok(())
        }
    }

    fn run(operations: Vec<Operation>, k: u32) -> Verdict {
        let circuit = OperationsCircuit::new(operations);
        circuit.verify(k, circuit.expected_instance())
    }

    #[test]
    fn gates_stay_within_degree_six() {
        let mut meta = ConstraintSystem::<Fp>::default();
        OperationsCircuit::configure(&mut meta);
        assert_eq!(meta.degree(), 6, "complete addition with its selector has degree 6, the most");
    }

    #[test]
    fn addition_and_doubling_agree_with_native_points() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(11);
        let points = random_points(&mut rng, 8);
        let order2 = Point::new(Fr::from(0u8), -Fr::from(1u8));
        let mut operations = vec![
            Operation::Add(points[0], points[0].neg()),
            Operation::Add(points[1], Point::identity()),
            Operation::Add(Point::identity(), Point::identity()),
            Operation::Add(order2, order2),
            Operation::Double(order2),
            Operation::Double(Point::identity()),
            Operation::OnCurve(points[2]),
        ];
        for pair in points.windows(2) {
            operations.push(Operation::Add(pair[0], pair[1]));
            operations.push(Operation::Add(pair[0], pair[0]));
            operations.push(Operation::Double(pair[1]));
            operations.push(Operation::Cofactor(pair[0]));
        }
        for torsion in small_order_points() {
            operations.push(Operation::Double(torsion));
            operations.push(Operation::Add(torsion, points[3]));
            operations.push(Operation::Cofactor(torsion));
        }
        let circuit = OperationsCircuit::new(operations);
        assert_satisfied(circuit.verify(9, circuit.expected_instance()));
        // The results are pinned by the constraints: another claimed sum fails.
        let mut wrong = circuit.expected_instance();
        wrong[0] += Fp::ONE;
        assert_refused_in(circuit.verify(9, wrong), &["test: add"]);
    }

    #[test]
    fn variable_base_multiplication_agrees_with_native_points() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(12);
        let points = random_points(&mut rng, 4);
        let minus_one = -Fr::from(1u8);
        let operations = vec![
            Operation::Mul { base: points[0], scalar: random_fr(&mut rng), bits: 254 },
            Operation::Mul { base: points[1], scalar: random_fr(&mut rng), bits: 254 },
            Operation::Mul { base: points[2], scalar: minus_one, bits: 254 },
            Operation::Mul { base: points[3], scalar: Fr::from(0u8), bits: 254 },
            Operation::Mul { base: Point::identity(), scalar: random_fr(&mut rng), bits: 254 },
            Operation::Mul { base: points[0], scalar: Fr::from(0xA5u8), bits: 8 },
            Operation::Mul { base: small_order_points()[5], scalar: Fr::from(13u8), bits: 4 },
        ];
        let started = std::time::Instant::now();
        assert_satisfied(run(operations, 11));
        println!("MockProver, five 254-bit variable-base multiplications and two short ones: {:?}", started.elapsed());
    }

    #[test]
    fn fixed_base_multiplication_agrees_with_native_points() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(13);
        let below_l = |fr: Fr| biguint_to_fr(&(fr_to_biguint(&fr) % subgroup_order())).unwrap();
        let l_minus_one = biguint_to_fr(&(subgroup_order() - 1u8)).unwrap();
        let operations = vec![
            Operation::MulBase8 { scalar: below_l(random_fr(&mut rng)), bits: 251 },
            Operation::MulBase8 { scalar: below_l(random_fr(&mut rng)), bits: 251 },
            Operation::MulBase8 { scalar: l_minus_one, bits: 251 },
            Operation::MulBase8 { scalar: Fr::from(0u8), bits: 251 },
            Operation::MulBase8 { scalar: random_fr(&mut rng), bits: 254 },
            Operation::MulBase8 { scalar: Fr::from(6u8), bits: 3 },
        ];
        assert_satisfied(run(operations, 11));
    }

    #[test]
    fn refuses_points_off_the_curve() {
        let mut off = Point::base8();
        off.x += Fr::from(1u8);
        assert_satisfied(run(vec![Operation::OnCurve(Point::base8())], 6));
        let text = assert_refused_in(run(vec![Operation::OnCurve(off)], 6), &["test: point on curve"]);
        assert!(text.contains("a x^2 + y^2 = 1 + d x^2 y^2"), "{text}");
    }

    #[test]
    fn refuses_scalars_wider_than_their_bits() {
        let base = random_points(&mut rand_chacha::ChaCha20Rng::seed_from_u64(14), 1)[0];
        let wide = Fr::from(300u16);
        // Eight bits of 300 spell 44 and leave 1 in z[8]: the instance
        // expects 44 P, so the nonzero z[8] alone is refused.
        let low = |p: Point| {
            let q = p.mul(&BigUint::from(44u8));
            vec![to_fp(q.x), to_fp(q.y)]
        };
        let circuit = OperationsCircuit::new(vec![Operation::Mul { base, scalar: wide, bits: 8 }]);
        let text = assert_refused_in(circuit.verify(6, low(base)), &["test: variable-base multiplication"]);
        assert!(text.contains("Equality constraint"), "{text}");
        let circuit = OperationsCircuit::new(vec![Operation::MulBase8 { scalar: wide, bits: 8 }]);
        let text = assert_refused_in(circuit.verify(6, low(Point::base8())), &["test: fixed-base multiplication"]);
        assert!(text.contains("Equality constraint"), "{text}");
        // The same multiplications of 44 pass.
        let circuit = OperationsCircuit::new(vec![Operation::Mul { base, scalar: Fr::from(44u8), bits: 8 }]);
        assert_satisfied(circuit.verify(6, low(base)));
        let circuit = OperationsCircuit::new(vec![Operation::MulBase8 { scalar: Fr::from(44u8), bits: 8 }]);
        assert_satisfied(circuit.verify(6, low(Point::base8())));
    }

    /// The running sum of `scalar` with the first `0, 1` bit pair
    /// (from the least significant end) rewritten as the digits `2, 0`.
    fn running_sum_with_digit_two(scalar: &BigUint, bits: usize) -> Vec<Fp> {
        let position = (0..bits - 1).find(|&i| !scalar.bit(i as u64) && scalar.bit(i as u64 + 1)).unwrap();
        let mut running_sum = running_sum_of(scalar, bits);
        running_sum[position + 1] -= Fp::ONE;
        running_sum
    }

    /// Runs honest witness rows, then the same rows changed by `tamper`:
    /// the first must pass and the second fail in `region`, with a failing
    /// constraint named `constraint`.
    fn assert_tamper_refused(honest: Operation, tampered: Operation, region: &str, constraint: &str) {
        assert_satisfied(run(vec![honest], 9));
        let text = assert_refused_in(run(vec![tampered], 9), &[region]);
        assert!(text.contains(constraint), "{text}");
    }

    /// Variable-base rows whose accumulators satisfy the step gate's
    /// accumulator constraints for whatever digit `z[i] - 2 z[i+1]` each
    /// row has: `acc[i+1]` solves `d (x' (1 + t) - (x y_T + y x_T)) +
    /// (1 - d) (x' - x) = 0` and the same for `y'`. For boolean digits these
    /// are the honest rows; for others only booleanity is left to refuse them.
    fn variable_base_rows_for_any_digits(base: Point, running_sum: &[Fp]) -> Vec<VariableBaseRow> {
        let mut rows = variable_base_rows(base, running_sum);
        for i in 0..rows.len() - 1 {
            let digit = running_sum[i] - running_sum[i + 1].double();
            let (acc, power) = (rows[i].accumulator, rows[i].power);
            let (x, y, tx, ty) = (to_fp(acc.x), to_fp(acc.y), to_fp(power.x), to_fp(power.y));
            let t = Fp::from(COEFF_D) * x * y * rows[i].power_xy;
            let sum_x = x * ty + y * tx;
            let sum_y = y * ty - Fp::from(COEFF_A) * x * tx;
            let next_x = (digit * sum_x + (Fp::ONE - digit) * x) * (Fp::ONE + digit * t).invert().unwrap();
            let next_y = (digit * sum_y + (Fp::ONE - digit) * y) * (Fp::ONE - digit * t).invert().unwrap();
            rows[i + 1].accumulator = Point::new(from_fp(next_x), from_fp(next_y));
        }
        rows
    }

    /// Fixed-base rows in the same way: the added point is
    /// `(d x_i, 1 + d (y_i - 1))` and `t = d (d x_i y_i) x y`.
    fn fixed_base_rows_for_any_digits(running_sum: &[Fp]) -> Vec<FixedBaseRow> {
        let mut rows = fixed_base_rows(running_sum);
        for i in 0..rows.len() - 1 {
            let digit = running_sum[i] - running_sum[i + 1].double();
            let acc = rows[i].accumulator;
            let multiple = base8_power(i);
            let (x, y, mx, my) = (to_fp(acc.x), to_fp(acc.y), to_fp(multiple.x), to_fp(multiple.y));
            let (added_x, added_y) = (digit * mx, Fp::ONE + digit * (my - Fp::ONE));
            let t = digit * Fp::from(COEFF_D) * mx * my * x * y;
            let next_x = (x * added_y + y * added_x) * (Fp::ONE + t).invert().unwrap();
            let next_y = (y * added_y - Fp::from(COEFF_A) * x * added_x) * (Fp::ONE - t).invert().unwrap();
            rows[i + 1].accumulator = Point::new(from_fp(next_x), from_fp(next_y));
        }
        rows
    }

    #[test]
    fn refuses_a_non_boolean_bit() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(15);
        let base = random_points(&mut rng, 1)[0];
        let scalar = random_fr(&mut rng);
        let honest = running_sum_of(&fr_to_biguint(&scalar), 254);
        assert_eq!(
            variable_base_rows_for_any_digits(base, &honest)[254].accumulator,
            base.mul(&fr_to_biguint(&scalar)),
            "boolean digits give the honest rows"
        );
        // The digits still spell the scalar, and every other constraint of
        // the rows holds (the result is no longer scalar * base).
        let rows = variable_base_rows_for_any_digits(base, &running_sum_with_digit_two(&fr_to_biguint(&scalar), 254));
        assert_tamper_refused(
            Operation::MulRows { base, scalar, rows: variable_base_rows_for_any_digits(base, &honest) },
            Operation::MulRows { base, scalar, rows },
            "test: variable-base multiplication",
            "bit is boolean",
        );

        let scalar = biguint_to_fr(&(fr_to_biguint(&random_fr(&mut rng)) % subgroup_order())).unwrap();
        let honest = running_sum_of(&fr_to_biguint(&scalar), 251);
        assert_eq!(
            fixed_base_rows_for_any_digits(&honest)[251].accumulator,
            Point::base8().mul(&fr_to_biguint(&scalar)),
            "boolean digits give the honest rows"
        );
        let rows = fixed_base_rows_for_any_digits(&running_sum_with_digit_two(&fr_to_biguint(&scalar), 251));
        assert_tamper_refused(
            Operation::MulBase8Rows { scalar, rows: fixed_base_rows_for_any_digits(&honest) },
            Operation::MulBase8Rows { scalar, rows },
            "test: fixed-base multiplication",
            "bit is boolean",
        );
    }

    #[test]
    fn refuses_a_tampered_accumulator_or_power() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(16);
        let base = random_points(&mut rng, 1)[0];
        let scalar = random_fr(&mut rng);
        let honest = variable_base_rows(base, &running_sum_of(&fr_to_biguint(&scalar), 254));
        // Another curve point in the middle: every row after it is honest.
        let mut rows = honest.clone();
        rows[100].accumulator = rows[100].accumulator.add(&Point::base8());
        assert_tamper_refused(
            Operation::MulRows { base, scalar, rows: honest.clone() },
            Operation::MulRows { base, scalar, rows },
            "test: variable-base multiplication",
            "accumulator",
        );
        let mut rows = honest.clone();
        rows[100].power = rows[100].power.add(&Point::base8());
        rows[100].power_xy = to_fp(rows[100].power.x * rows[100].power.y);
        assert_tamper_refused(
            Operation::MulRows { base, scalar, rows: honest.clone() },
            Operation::MulRows { base, scalar, rows },
            "test: variable-base multiplication",
            "doubled",
        );

        // w on a row whose bit is 0, where the addition does not use it.
        let row = (0..254).find(|&i| !fr_to_biguint(&scalar).bit(i)).unwrap() as usize;
        let mut rows = honest.clone();
        rows[row].power_xy += Fp::ONE;
        assert_tamper_refused(
            Operation::MulRows { base, scalar, rows: honest.clone() },
            Operation::MulRows { base, scalar, rows },
            "test: variable-base multiplication",
            "w = x y of the power",
        );

        let scalar = Fr::from(0xDEAD_BEEFu64);
        let honest = fixed_base_rows(&running_sum_of(&fr_to_biguint(&scalar), 251));
        let mut rows = honest.clone();
        rows[7].accumulator = rows[7].accumulator.neg();
        assert_tamper_refused(
            Operation::MulBase8Rows { scalar, rows: honest },
            Operation::MulBase8Rows { scalar, rows },
            "test: fixed-base multiplication",
            "accumulator",
        );
    }
}
