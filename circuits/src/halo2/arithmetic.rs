//! Field arithmetic between assigned cells: the standard PLONK gate
//! `q_l*a + q_r*b + q_o*c + q_m*a*b + q_c = 0` over three advice columns,
//! with its coefficients in fixed columns (shared with other chips: the
//! gate has its own selector), and the few operations the
//! statement's rows are built from (sums, products, inequality, equality
//! to a constant as a bit, a bit's negation).
//!
//! Every operation is one region of one or two rows; each result is a new
//! cell bound to its operands by the gate and by copy constraints.

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, Region, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Error, Fixed, Selector};
use halo2_proofs::poly::Rotation;

use super::Fp;

/// The columns of the arithmetic gate.
#[derive(Clone, Debug)]
pub struct ArithmeticConfig {
    /// Operands `a`, `b` and the result `c`.
    advice: [Column<Advice>; 3],
    /// `q_l, q_r, q_o, q_m, q_c`.
    coefficients: [Column<Fixed>; 5],
    /// Turns the gate on in a row.
    selector: Selector,
}

/// The coefficients of one gate row: `l*a + r*b + o*c + m*a*b + constant = 0`.
#[derive(Clone, Copy, Debug, Default)]
struct Coefficients {
    l: Fp,
    r: Fp,
    o: Fp,
    m: Fp,
    constant: Fp,
}

/// Sums, products and (in)equalities of cells.
#[derive(Clone, Debug)]
pub struct ArithmeticChip {
    config: ArithmeticConfig,
}

impl ArithmeticChip {
    /// Configures the gate over three advice columns (equality enabled
    /// here) and five fixed columns for its coefficients; both may be
    /// shared with other chips.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        advice: [Column<Advice>; 3],
        coefficients: [Column<Fixed>; 5],
    ) -> ArithmeticConfig {
        for column in advice {
            meta.enable_equality(column);
        }
        let selector = meta.selector();
        meta.create_gate("arithmetic", |meta| {
            let [a, b, c] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
            let [q_l, q_r, q_o, q_m, q_c] = coefficients.map(|column| meta.query_fixed(column));
            let on = meta.query_selector(selector);
            vec![on * (q_l * a.clone() + q_r * b.clone() + q_o * c + q_m * a * b + q_c)]
        });
        ArithmeticConfig { advice, coefficients, selector }
    }

    /// The chip over a configuration.
    pub fn construct(config: ArithmeticConfig) -> Self {
        Self { config }
    }

    /// Assigns a private value (no constraint beyond what uses it).
    pub fn witness(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        value: Value<Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        layouter.assign_region(
            || format!("{label}: witness"),
            |mut region| region.assign_advice(|| "value", self.config.advice[0], 0, || value),
        )
    }

    /// A cell fixed to `constant`.
    pub fn constant(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        constant: Fp,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        layouter.assign_region(
            || format!("{label}: constant"),
            |mut region| region.assign_advice_from_constant(|| "constant", self.config.advice[0], 0, constant),
        )
    }

    /// `a + b`.
    pub fn add(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let c = a.value().zip(b.value()).map(|(a, b)| *a + *b);
        let k = Coefficients { l: Fp::ONE, r: Fp::ONE, o: -Fp::ONE, ..Default::default() };
        self.row(layouter, &format!("{label}: a + b"), a, b, c, k)
    }

    /// `a - b`.
    pub fn sub(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let c = a.value().zip(b.value()).map(|(a, b)| *a - *b);
        let k = Coefficients { l: Fp::ONE, r: -Fp::ONE, o: -Fp::ONE, ..Default::default() };
        self.row(layouter, &format!("{label}: a - b"), a, b, c, k)
    }

    /// `a * b`.
    pub fn mul(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let c = a.value().zip(b.value()).map(|(a, b)| *a * *b);
        let k = Coefficients { m: Fp::ONE, o: -Fp::ONE, ..Default::default() };
        self.row(layouter, &format!("{label}: a * b"), a, b, c, k)
    }

    /// `a * b + c` for a third cell `c` (two rows).
    pub fn mul_add(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
        c: &AssignedCell<Fp, Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let product = self.mul(layouter, label, a, b)?;
        self.add(layouter, label, &product, c)
    }

    /// Constrains `a == b`.
    pub fn assert_equal(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
    ) -> Result<(), Error> {
        layouter.assign_region(
            || format!("{label}: a == b"),
            |mut region| {
                let a = a.copy_advice(|| "a", &mut region, self.config.advice[0], 0)?;
                let b = b.copy_advice(|| "b", &mut region, self.config.advice[1], 0)?;
                region.constrain_equal(a.cell(), b.cell())
            },
        )
    }

    /// Constrains `a != b`: `(a - b) * inverse == 1` for a witnessed
    /// inverse, which exists only when `a - b` is not zero (two rows).
    pub fn assert_not_equal(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
    ) -> Result<(), Error> {
        let difference = self.sub(layouter, label, a, b)?;
        layouter.assign_region(
            || format!("{label}: a - b != 0"),
            |mut region| {
                let inverse = difference.value().map(|d| Option::<Fp>::from(d.invert()).unwrap_or(Fp::ZERO));
                let k = Coefficients { m: Fp::ONE, constant: -Fp::ONE, ..Default::default() };
                self.assign_row(&mut region, 0, &difference, Inverse(inverse), Value::known(Fp::ZERO), k)?;
                Ok(())
            },
        )
    }

    /// A bit that is 1 exactly when `x == constant`, as the is-zero gadget:
    /// with `d = x - constant`, `bit = 1 - d * inverse` and `d * bit = 0`
    /// (three rows). A prover cannot set the bit to 1 for a non-zero `d`
    /// (the second row fails) nor to 0 for `d = 0` (the first row forces 1).
    pub fn is_equal_to_constant(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        x: &AssignedCell<Fp, Fp>,
        constant: Fp,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        layouter.assign_region(
            || format!("{label}: x == constant"),
            |mut region| {
                let advice = self.config.advice;
                // Row 0: d = x - constant.
                let d_value = x.value().map(|x| *x - constant);
                let k = Coefficients { l: Fp::ONE, o: -Fp::ONE, constant: -constant, ..Default::default() };
                let zero = Value::known(Fp::ZERO);
                let d = self.assign_row(&mut region, 0, x, Inverse(zero), d_value, k)?;
                // Row 1: d * inverse + bit - 1 = 0.
                let inverse = d_value.map(|d| Option::<Fp>::from(d.invert()).unwrap_or(Fp::ZERO));
                let bit_value = d_value.zip(inverse).map(|(d, inverse)| Fp::ONE - d * inverse);
                let k = Coefficients { m: Fp::ONE, o: Fp::ONE, constant: -Fp::ONE, ..Default::default() };
                let bit = self.assign_row(&mut region, 1, &d, Inverse(inverse), bit_value, k)?;
                // Row 2: d * bit = 0.
                let k = Coefficients { m: Fp::ONE, ..Default::default() };
                d.copy_advice(|| "d", &mut region, advice[0], 2)?;
                bit.copy_advice(|| "bit", &mut region, advice[1], 2)?;
                region.assign_advice(|| "unused", advice[2], 2, || zero)?;
                self.assign_coefficients(&mut region, 2, k)?;
                Ok(bit)
            },
        )
    }

    /// `1 - bit` (the caller has constrained `bit` to be boolean).
    pub fn not(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        bit: &AssignedCell<Fp, Fp>,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        layouter.assign_region(
            || format!("{label}: 1 - bit"),
            |mut region| {
                let c = bit.value().map(|b| Fp::ONE - *b);
                let k = Coefficients { l: Fp::ONE, o: Fp::ONE, constant: -Fp::ONE, ..Default::default() };
                self.assign_row(&mut region, 0, bit, Inverse(Value::known(Fp::ZERO)), c, k)
            },
        )
    }

    /// One region of one gate row over two cells and a new result.
    fn row(
        &self,
        layouter: &mut impl Layouter<Fp>,
        name: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
        c: Value<Fp>,
        k: Coefficients,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        layouter.assign_region(
            || name.to_owned(),
            |mut region| {
                let advice = self.config.advice;
                a.copy_advice(|| "a", &mut region, advice[0], 0)?;
                b.copy_advice(|| "b", &mut region, advice[1], 0)?;
                let c = region.assign_advice(|| "c", advice[2], 0, || c)?;
                self.assign_coefficients(&mut region, 0, k)?;
                Ok(c)
            },
        )
    }

    /// A row whose `a` is a copy of a cell, `b` a fresh witness and `c`
    /// the returned result.
    fn assign_row(
        &self,
        region: &mut Region<'_, Fp>,
        offset: usize,
        a: &AssignedCell<Fp, Fp>,
        b: Inverse,
        c: Value<Fp>,
        k: Coefficients,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        let advice = self.config.advice;
        a.copy_advice(|| "a", region, advice[0], offset)?;
        region.assign_advice(|| "b", advice[1], offset, || b.0)?;
        let c = region.assign_advice(|| "c", advice[2], offset, || c)?;
        self.assign_coefficients(region, offset, k)?;
        Ok(c)
    }

    fn assign_coefficients(&self, region: &mut Region<'_, Fp>, offset: usize, k: Coefficients) -> Result<(), Error> {
        self.config.selector.enable(region, offset)?;
        for (column, value) in self.config.coefficients.iter().zip([k.l, k.r, k.o, k.m, k.constant]) {
            region.assign_fixed(|| "coefficient", *column, offset, || Value::known(value))?;
        }
        Ok(())
    }
}

/// A fresh witness in a row's `b` column (an inverse, or zero when unused).
struct Inverse(Value<Fp>);

#[cfg(test)]
mod tests {
    use halo2_proofs::circuit::SimpleFloorPlanner;
    use halo2_proofs::dev::MockProver;
    use halo2_proofs::plonk::Circuit;

    use super::*;

    /// Which operation the test circuit runs, and the result it claims.
    #[derive(Clone, Copy, Debug)]
    enum Operation {
        Add,
        Sub,
        Mul,
        MulAdd,
        NotEqual,
        IsEqualTo(u64),
        Not,
    }

    #[derive(Clone, Debug)]
    struct TestCircuit {
        a: Fp,
        b: Fp,
        operation: Operation,
        /// The value the result cell is constrained to equal.
        claimed: Fp,
    }

    impl Circuit<Fp> for TestCircuit {
        type Config = ArithmeticConfig;
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            self.clone()
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> ArithmeticConfig {
            let advice = [meta.advice_column(), meta.advice_column(), meta.advice_column()];
            let coefficients = [(); 5].map(|()| meta.fixed_column());
            let constants = meta.fixed_column();
            meta.enable_constant(constants);
            ArithmeticChip::configure(meta, advice, coefficients)
        }

        fn synthesize(&self, config: ArithmeticConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
            let chip = ArithmeticChip::construct(config);
            let a = chip.witness(&mut layouter, "row", Value::known(self.a))?;
            let b = chip.witness(&mut layouter, "row", Value::known(self.b))?;
            let result = match self.operation {
                Operation::Add => chip.add(&mut layouter, "row", &a, &b)?,
                Operation::Sub => chip.sub(&mut layouter, "row", &a, &b)?,
                Operation::Mul => chip.mul(&mut layouter, "row", &a, &b)?,
                Operation::MulAdd => chip.mul_add(&mut layouter, "row", &a, &b, &a)?,
                Operation::NotEqual => {
                    chip.assert_not_equal(&mut layouter, "row", &a, &b)?;
                    a.clone()
                }
                Operation::IsEqualTo(constant) => {
                    chip.is_equal_to_constant(&mut layouter, "row", &a, Fp::from(constant))?
                }
                Operation::Not => chip.not(&mut layouter, "row", &a)?,
            };
            let claimed = chip.constant(&mut layouter, "row", self.claimed)?;
            chip.assert_equal(&mut layouter, "row", &result, &claimed)
        }
    }

    fn holds(a: u64, b: u64, operation: Operation, claimed: Fp) -> bool {
        let circuit = TestCircuit { a: Fp::from(a), b: Fp::from(b), operation, claimed };
        MockProver::run(6, &circuit, vec![]).expect("synthesis").verify().is_ok()
    }

    #[test]
    fn operations_give_their_results_and_nothing_else() {
        let f = Fp::from;
        assert!(holds(7, 5, Operation::Add, f(12)) && !holds(7, 5, Operation::Add, f(13)));
        assert!(holds(7, 5, Operation::Sub, f(2)) && !holds(5, 7, Operation::Sub, f(2)));
        assert!(holds(5, 7, Operation::Sub, -f(2)));
        assert!(holds(7, 5, Operation::Mul, f(35)) && !holds(7, 5, Operation::Mul, f(36)));
        assert!(holds(7, 5, Operation::MulAdd, f(42)) && !holds(7, 5, Operation::MulAdd, f(35)));
        assert!(holds(1, 0, Operation::Not, f(0)) && holds(0, 0, Operation::Not, f(1)));
    }

    #[test]
    fn not_equal_fails_closed_on_equal_values() {
        assert!(holds(7, 5, Operation::NotEqual, Fp::from(7)));
        assert!(!holds(5, 5, Operation::NotEqual, Fp::from(5)));
        assert!(!holds(0, 0, Operation::NotEqual, Fp::ZERO));
    }

    #[test]
    fn equality_bit_is_forced_both_ways() {
        assert!(holds(3, 0, Operation::IsEqualTo(3), Fp::ONE));
        assert!(!holds(3, 0, Operation::IsEqualTo(3), Fp::ZERO));
        assert!(holds(4, 0, Operation::IsEqualTo(3), Fp::ZERO));
        assert!(!holds(4, 0, Operation::IsEqualTo(3), Fp::ONE));
    }
}
