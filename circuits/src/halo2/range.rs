//! Range checks and comparisons by lookup: the halo2 twin of
//! [`crate::range`]'s bit decompositions.
//!
//! A value is checked to be below `2^bits` by a running sum over
//! [`LIMB_BITS`]-bit limbs: `z[0] = value`, `z[i] - 2^LIMB_BITS * z[i+1]` is
//! looked up in a table of `0..2^LIMB_BITS` for each full limb, and what is
//! left after the full limbs, `z[m]`, is looked up both as it is and
//! multiplied by `2^(LIMB_BITS - rem)` (so it is below `2^rem`), then the
//! row after it is fixed to zero. Every limb is below `2^LIMB_BITS` and the
//! remainder below `2^rem`, so `value = sum(limb[i] * 2^(LIMB_BITS*i)) +
//! 2^(LIMB_BITS*m) * z[m]` is an integer below `2^bits`, with no wrap-around
//! because `bits <= 253` keeps the sum below the modulus.
//!
//! A check of `bits` bits takes `bits / LIMB_BITS + 2` rows (27 for 252
//! bits) in one advice column. Comparisons add one row in three columns.

use halo2_proofs::circuit::{AssignedCell, Layouter, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Error, Expression, Selector, TableColumn};
use halo2_proofs::poly::Rotation;

use ff::Field;

use super::Fp;

/// Bits per looked-up limb: the table holds `0..2^LIMB_BITS`.
pub const LIMB_BITS: usize = 10;

/// The widest range [`RangeChip::range_check`] accepts: `2^253` is below the
/// modulus, so a running sum over 253 bits cannot wrap around.
pub const MAX_RANGE_BITS: usize = 253;

/// The widest operands [`RangeChip::assert_less_than`] compares: their
/// difference must stay below half the modulus.
pub const MAX_COMPARISON_BITS: usize = 252;

/// Columns, selectors and the table of the range chip.
#[derive(Clone, Debug)]
pub struct RangeConfig {
    advice: [Column<Advice>; 3],
    table: TableColumn,
    /// `z[i] - 2^LIMB_BITS * z[i+1]` is in the table.
    limb: Selector,
    /// `z * 2^(LIMB_BITS - rem)` is in the table, for the remainder `z`;
    /// the shift `2^(LIMB_BITS - rem)` sits in the row's second column.
    short: Selector,
    /// `c = b - a - 1` (for `a < b`).
    less_than: Selector,
    /// `c = b - a` (for `a <= b`).
    less_or_equal: Selector,
}

/// Range checks and comparisons over a lookup table of `0..2^LIMB_BITS`.
#[derive(Clone, Debug)]
pub struct RangeChip {
    config: RangeConfig,
}

/// A range of an impossible width (0 bits, or more than the chip can check)
/// was asked: a bug in the caller, never a property of the witness.
fn width_error(bits: usize, max: usize) -> Error {
    debug_assert!(bits == 0 || bits > max, "{bits} bits is a valid width");
    Error::Synthesis
}

impl RangeChip {
    /// Configures the chip over three advice columns (the running sum in
    /// the first; comparisons use all three) and a lookup table column.
    /// The first column must have equality enabled by the caller or here.
    pub fn configure(meta: &mut ConstraintSystem<Fp>, advice: [Column<Advice>; 3], table: TableColumn) -> RangeConfig {
        for column in advice {
            meta.enable_equality(column);
        }
        let limb = meta.complex_selector();
        let short = meta.complex_selector();
        let less_than = meta.selector();
        let less_or_equal = meta.selector();
        let running_sum = advice[0];

        // z[i] - 2^LIMB_BITS * z[i+1] is a limb.
        meta.lookup(|meta| {
            let selector = meta.query_selector(limb);
            let current = meta.query_advice(running_sum, Rotation::cur());
            let next = meta.query_advice(running_sum, Rotation::next());
            let radix = Expression::Constant(Fp::from(1u64 << LIMB_BITS));
            vec![(selector * (current - next * radix), table)]
        });
        // The remainder, shifted, is still a limb.
        meta.lookup(|meta| {
            let selector = meta.query_selector(short);
            let remainder = meta.query_advice(running_sum, Rotation::cur());
            let shift = meta.query_advice(advice[1], Rotation::cur());
            vec![(selector * remainder * shift, table)]
        });
        meta.create_gate("range: b - a - 1", |meta| {
            let selector = meta.query_selector(less_than);
            let [a, b, difference] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
            vec![selector * (b - a - Expression::Constant(Fp::ONE) - difference)]
        });
        meta.create_gate("range: b - a", |meta| {
            let selector = meta.query_selector(less_or_equal);
            let [a, b, difference] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
            vec![selector * (b - a - difference)]
        });

        RangeConfig { advice, table, limb, short, less_than, less_or_equal }
    }

    /// The chip over a configuration.
    pub fn construct(config: RangeConfig) -> Self {
        Self { config }
    }

    /// Fills the lookup table with `0..2^LIMB_BITS`; call once per circuit.
    pub fn load_table(&self, layouter: &mut impl Layouter<Fp>) -> Result<(), Error> {
        layouter.assign_table(
            || "range: table",
            |mut table| {
                for value in 0..(1u64 << LIMB_BITS) {
                    table.assign_cell(
                        || "limb",
                        self.config.table,
                        value as usize,
                        || Value::known(Fp::from(value)),
                    )?;
                }
                Ok(())
            },
        )
    }

    /// Constrains `value < 2^bits`, for `1 <= bits <= 253`.
    pub fn range_check(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        value: &AssignedCell<Fp, Fp>,
        bits: usize,
    ) -> Result<(), Error> {
        if bits == 0 || bits > MAX_RANGE_BITS {
            return Err(width_error(bits, MAX_RANGE_BITS));
        }
        let config = &self.config;
        let full_limbs = bits / LIMB_BITS;
        let remainder_bits = bits % LIMB_BITS;
        layouter.assign_region(
            || format!("{label}: range {bits} bits"),
            |mut region| {
                let mut running = value.copy_advice(|| "z0", &mut region, config.advice[0], 0)?;
                let radix_inverse = Option::from(Fp::from(1u64 << LIMB_BITS).invert()).unwrap_or(Fp::ZERO);
                for row in 0..full_limbs {
                    config.limb.enable(&mut region, row)?;
                    let next = running.value().map(|z| {
                        let limb = low_bits(z, LIMB_BITS);
                        (*z - Fp::from(limb)) * radix_inverse
                    });
                    running = region.assign_advice(|| "z", config.advice[0], row + 1, || next)?;
                }
                let mut zero_row = full_limbs;
                if remainder_bits > 0 {
                    // The remainder is below 2^LIMB_BITS (a limb to zero)
                    // and below 2^remainder_bits (shifted into the table).
                    config.limb.enable(&mut region, full_limbs)?;
                    config.short.enable(&mut region, full_limbs)?;
                    let shift = Fp::from(1u64 << (LIMB_BITS - remainder_bits));
                    region.assign_advice_from_constant(|| "shift", config.advice[1], full_limbs, shift)?;
                    zero_row = full_limbs + 1;
                }
                let last = if remainder_bits > 0 {
                    region.assign_advice(|| "z end", config.advice[0], zero_row, || Value::known(Fp::ZERO))?
                } else {
                    running
                };
                region.constrain_constant(last.cell(), Fp::ZERO)
            },
        )
    }

    /// Constrains `a < b`, given that the caller has constrained both below
    /// `2^bits` (`bits <= 252`): `b - a - 1` is then below `2^bits` exactly
    /// when `a < b`, and otherwise wraps to at least `r - 2^bits`.
    pub fn assert_less_than(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
        bits: usize,
    ) -> Result<(), Error> {
        let difference = self.difference(layouter, label, a, b, true, bits)?;
        self.range_check(layouter, label, &difference, bits)
    }

    /// Constrains `a <= b`, given both below `2^bits` (`bits <= 252`).
    pub fn assert_less_or_equal(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
        bits: usize,
    ) -> Result<(), Error> {
        let difference = self.difference(layouter, label, a, b, false, bits)?;
        self.range_check(layouter, label, &difference, bits)
    }

    /// Assigns `b - a - 1` (strict) or `b - a` in one row.
    fn difference(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        a: &AssignedCell<Fp, Fp>,
        b: &AssignedCell<Fp, Fp>,
        strict: bool,
        bits: usize,
    ) -> Result<AssignedCell<Fp, Fp>, Error> {
        if bits == 0 || bits > MAX_COMPARISON_BITS {
            return Err(width_error(bits, MAX_COMPARISON_BITS));
        }
        let config = &self.config;
        let (selector, what) = if strict { (config.less_than, "a < b") } else { (config.less_or_equal, "a <= b") };
        layouter.assign_region(
            || format!("{label}: {what}"),
            |mut region| {
                selector.enable(&mut region, 0)?;
                let a = a.copy_advice(|| "a", &mut region, config.advice[0], 0)?;
                let b = b.copy_advice(|| "b", &mut region, config.advice[1], 0)?;
                let offset = if strict { Fp::ONE } else { Fp::ZERO };
                let difference = b.value().zip(a.value()).map(|(b, a)| *b - *a - offset);
                region.assign_advice(|| "difference", config.advice[2], 0, || difference)
            },
        )
    }
}

/// The low `bits` bits of a field element's canonical integer.
fn low_bits(value: &Fp, bits: usize) -> u64 {
    use ff::PrimeField;
    let repr = value.to_repr();
    let mut word = [0u8; 8];
    word.copy_from_slice(&repr.as_ref()[..8]);
    u64::from_le_bytes(word) & ((1u64 << bits) - 1)
}

#[cfg(test)]
mod tests {
    use halo2_proofs::circuit::SimpleFloorPlanner;
    use halo2_proofs::dev::MockProver;
    use halo2_proofs::plonk::{Circuit, Fixed};

    use ff::PrimeField;

    use super::*;

    /// What the test circuit asks of its two values.
    #[derive(Clone, Copy, Debug)]
    enum Claim {
        Below(usize),
        LessThan(usize),
        LessOrEqual(usize),
    }

    #[derive(Clone, Debug)]
    struct TestCircuit {
        a: Fp,
        b: Fp,
        claim: Claim,
    }

    impl Circuit<Fp> for TestCircuit {
        type Config = RangeConfig;
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            self.clone()
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> RangeConfig {
            let advice = [meta.advice_column(), meta.advice_column(), meta.advice_column()];
            let constants: Column<Fixed> = meta.fixed_column();
            meta.enable_constant(constants);
            let table = meta.lookup_table_column();
            RangeChip::configure(meta, advice, table)
        }

        fn synthesize(&self, config: RangeConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
            let chip = RangeChip::construct(config.clone());
            chip.load_table(&mut layouter)?;
            let (a, b) = layouter.assign_region(
                || "inputs",
                |mut region| {
                    let a = region.assign_advice(|| "a", config.advice[0], 0, || Value::known(self.a))?;
                    let b = region.assign_advice(|| "b", config.advice[1], 0, || Value::known(self.b))?;
                    Ok((a, b))
                },
            )?;
            match self.claim {
                Claim::Below(bits) => chip.range_check(&mut layouter, "row", &a, bits),
                Claim::LessThan(bits) => chip.assert_less_than(&mut layouter, "row", &a, &b, bits),
                Claim::LessOrEqual(bits) => chip.assert_less_or_equal(&mut layouter, "row", &a, &b, bits),
            }
        }
    }

    fn holds(a: Fp, b: Fp, claim: Claim) -> bool {
        let circuit = TestCircuit { a, b, claim };
        let prover = MockProver::run(11, &circuit, vec![]).expect("synthesis");
        match prover.verify() {
            Ok(()) => true,
            Err(failures) => {
                let text = format!("{failures:?}");
                assert!(text.contains("row: "), "failure outside the labelled regions: {text}");
                false
            }
        }
    }

    fn power_of_two(bits: usize) -> Fp {
        Fp::from(2u64).pow_vartime([bits as u64])
    }

    #[test]
    fn range_check_accepts_exactly_the_values_below_the_bound() {
        for bits in [1, 8, 9, 10, 11, 20, 53, 128, 251, 252, 253] {
            let bound = power_of_two(bits);
            assert!(holds(Fp::ZERO, Fp::ZERO, Claim::Below(bits)), "0 < 2^{bits}");
            assert!(holds(bound - Fp::ONE, Fp::ZERO, Claim::Below(bits)), "2^{bits} - 1 < 2^{bits}");
            assert!(!holds(bound, Fp::ZERO, Claim::Below(bits)), "2^{bits} is not below 2^{bits}");
            assert!(!holds(-Fp::ONE, Fp::ZERO, Claim::Below(bits)), "r - 1 is not below 2^{bits}");
            assert!(!holds(bound + power_of_two(bits.min(200) + 1), Fp::ZERO, Claim::Below(bits)));
        }
    }

    #[test]
    fn comparisons_hold_exactly_when_the_integers_compare() {
        let big = power_of_two(252) - Fp::ONE;
        let cases = [
            (Fp::from(3), Fp::from(5), 8),
            (Fp::from(5), Fp::from(5), 8),
            (Fp::from(6), Fp::from(5), 8),
            (Fp::ZERO, big, 252),
            (big, Fp::ZERO, 252),
            (big, big, 252),
        ];
        for (a, b, bits) in cases {
            let (a_int, b_int) = (a.to_repr(), b.to_repr());
            let order = a_int.as_ref().iter().rev().cmp(b_int.as_ref().iter().rev());
            assert_eq!(holds(a, b, Claim::LessThan(bits)), order.is_lt(), "{a:?} < {b:?}");
            assert_eq!(holds(a, b, Claim::LessOrEqual(bits)), order.is_le(), "{a:?} <= {b:?}");
        }
    }

    #[test]
    fn impossible_widths_are_a_synthesis_error() {
        for claim in [Claim::Below(0), Claim::Below(254), Claim::LessThan(253)] {
            let circuit = TestCircuit { a: Fp::ZERO, b: Fp::ONE, claim };
            assert!(MockProver::run(11, &circuit, vec![]).is_err(), "{claim:?}");
        }
    }
}
