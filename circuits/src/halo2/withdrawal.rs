//! The withdrawal statement as a halo2 circuit: every row of the table in
//! `docs/STATEMENT.md`, each assigned in regions labelled with the row's
//! name, over the same witness ([`WithdrawalWitness`]) and the same six
//! public inputs (one instance column, in
//! [`crate::public_inputs::PublicInputs::to_field_elements`] order) as the
//! Groth16 circuit.

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, SimpleFloorPlanner, Value};
use halo2_proofs::plonk::{Advice, Circuit, Column, ConstraintSystem, Error, Fixed, Instance};

use super::arithmetic::{ArithmeticChip, ArithmeticConfig};
use super::range::{RangeChip, RangeConfig};
use super::{to_fp, Fp};
use crate::public_inputs::PUBLIC_INPUT_COUNT;
use crate::statement::{StatementFields, STATEMENT_FIELD_COUNT};
use crate::withdrawal::WithdrawalWitness;

/// `log2` of the circuit's rows.
pub const K: u32 = 14;

/// Bits of the tier (0..=255).
const TIER_BITS: usize = 8;
/// Bits of amounts and limits.
const AMOUNT_BITS: usize = 128;
/// Bits of times (`now`, `expires_at`).
const TIME_BITS: usize = 53;

/// The advice columns every chip shares.
pub const ADVICE_COLUMNS: usize = 3;

/// The instance rows of the public inputs.
mod instance_row {
    pub const NOW: usize = 4;
    pub const DISCLOSED_JURISDICTION: usize = 5;
}

/// The circuit's columns and chips.
#[derive(Clone, Debug)]
pub struct WithdrawalConfig {
    instance: Column<Instance>,
    arithmetic: ArithmeticConfig,
    range: RangeConfig,
}

/// The withdrawal circuit over one witness (`None` for key generation).
#[derive(Clone, Debug, Default)]
pub struct WithdrawalCircuit {
    /// The witness; `None` synthesises the shape only.
    pub witness: Option<WithdrawalWitness>,
}

impl WithdrawalCircuit {
    /// The circuit proving `witness`.
    pub fn new(witness: WithdrawalWitness) -> Self {
        Self { witness: Some(witness) }
    }

    /// The public inputs of the witness as the instance column holds them.
    pub fn instance(witness: &WithdrawalWitness) -> [Fp; PUBLIC_INPUT_COUNT] {
        witness.public.to_field_elements().map(to_fp)
    }

    fn value(&self, pick: impl Fn(&WithdrawalWitness) -> crate::Fr) -> Value<Fp> {
        match &self.witness {
            Some(witness) => Value::known(to_fp(pick(witness))),
            None => Value::unknown(),
        }
    }
}

/// The cells of the private values every row draws on.
struct PrivateCells {
    statement: StatementFields<AssignedCell<Fp, Fp>>,
    kyc_tier: AssignedCell<Fp, Fp>,
    jurisdiction: AssignedCell<Fp, Fp>,
    expires_at: AssignedCell<Fp, Fp>,
    amount: AssignedCell<Fp, Fp>,
}

/// The cells of the public inputs.
struct PublicCells {
    now: AssignedCell<Fp, Fp>,
    disclosed_jurisdiction: AssignedCell<Fp, Fp>,
}

impl Circuit<Fp> for WithdrawalCircuit {
    type Config = WithdrawalConfig;
    type FloorPlanner = SimpleFloorPlanner;

    fn without_witnesses(&self) -> Self {
        Self::default()
    }

    fn configure(meta: &mut ConstraintSystem<Fp>) -> WithdrawalConfig {
        let instance = meta.instance_column();
        meta.enable_equality(instance);
        let advice: [Column<Advice>; ADVICE_COLUMNS] = [(); ADVICE_COLUMNS].map(|()| meta.advice_column());
        let constants: Column<Fixed> = meta.fixed_column();
        meta.enable_constant(constants);
        let coefficients = [(); 5].map(|()| meta.fixed_column());
        let table = meta.lookup_table_column();
        WithdrawalConfig {
            instance,
            arithmetic: ArithmeticChip::configure(meta, [advice[0], advice[1], advice[2]], coefficients),
            range: RangeChip::configure(meta, [advice[0], advice[1], advice[2]], table),
        }
    }

    fn synthesize(&self, config: WithdrawalConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
        let arithmetic = ArithmeticChip::construct(config.arithmetic.clone());
        let range = RangeChip::construct(config.range.clone());
        range.load_table(&mut layouter)?;

        let private = self.assign_private(&arithmetic, &mut layouter)?;
        let public = self.assign_public(&arithmetic, &mut layouter, &config)?;
        let limits = &private.statement.limits;

        // min_tier: kyc_tier < 2^8, min_tier < 2^8, min_tier <= kyc_tier.
        {
            let row = "min_tier";
            range.range_check(&mut layouter, row, &private.kyc_tier, TIER_BITS)?;
            range.range_check(&mut layouter, row, &private.statement.min_tier, TIER_BITS)?;
            range.assert_less_or_equal(
                &mut layouter,
                row,
                &private.statement.min_tier,
                &private.kyc_tier,
                TIER_BITS,
            )?;
        }
        // not_expired: now < 2^53, expires_at < 2^53, now < expires_at.
        {
            let row = "not_expired";
            range.range_check(&mut layouter, row, &public.now, TIME_BITS)?;
            range.range_check(&mut layouter, row, &private.expires_at, TIME_BITS)?;
            range.assert_less_than(&mut layouter, row, &public.now, &private.expires_at, TIME_BITS)?;
        }
        // amount_within_limit: L = limits[min(kyc_tier, 3)], amount and L
        // below 2^128, amount <= L. The tier is below 2^8 (min_tier row), so
        // exactly one of `tier == 0`, `== 1`, `== 2`, `>= 3` holds and the
        // last is one minus the sum of the first three.
        {
            let row = "amount_within_limit";
            let is = |layouter: &mut _, tier: u64| {
                arithmetic.is_equal_to_constant(layouter, row, &private.kyc_tier, Fp::from(tier))
            };
            let (tier0, tier1, tier2) = (is(&mut layouter, 0)?, is(&mut layouter, 1)?, is(&mut layouter, 2)?);
            let low = arithmetic.add(&mut layouter, row, &tier0, &tier1)?;
            let low = arithmetic.add(&mut layouter, row, &low, &tier2)?;
            let tier3 = arithmetic.not(&mut layouter, row, &low)?;
            let limit = arithmetic.mul(&mut layouter, row, &tier0, &limits[0])?;
            let limit = arithmetic.mul_add(&mut layouter, row, &tier1, &limits[1], &limit)?;
            let limit = arithmetic.mul_add(&mut layouter, row, &tier2, &limits[2], &limit)?;
            let limit = arithmetic.mul_add(&mut layouter, row, &tier3, &limits[3], &limit)?;
            range.range_check(&mut layouter, row, &private.amount, AMOUNT_BITS)?;
            range.range_check(&mut layouter, row, &limit, AMOUNT_BITS)?;
            range.assert_less_or_equal(&mut layouter, row, &private.amount, &limit, AMOUNT_BITS)?;
        }
        // jurisdiction_not_blocked: jurisdiction != blocked[i] for every slot.
        {
            let row = "jurisdiction_not_blocked";
            for blocked in &private.statement.blocked_jurisdictions {
                arithmetic.assert_not_equal(&mut layouter, row, &private.jurisdiction, blocked)?;
            }
        }
        // disclosed_jurisdiction: d * (d - jurisdiction) == 0.
        {
            let row = "disclosed_jurisdiction";
            let d = &public.disclosed_jurisdiction;
            let difference = arithmetic.sub(&mut layouter, row, d, &private.jurisdiction)?;
            let product = arithmetic.mul(&mut layouter, row, d, &difference)?;
            let zero = arithmetic.constant(&mut layouter, row, Fp::ZERO)?;
            arithmetic.assert_equal(&mut layouter, row, &product, &zero)?;
        }
        Ok(())
    }
}

impl WithdrawalCircuit {
    /// Assigns the private values (no constraints yet).
    fn assign_private(
        &self,
        arithmetic: &ArithmeticChip,
        layouter: &mut impl Layouter<Fp>,
    ) -> Result<PrivateCells, Error> {
        let witness = |pick: fn(&WithdrawalWitness) -> crate::Fr| self.value(pick);
        let mut statement_cells = Vec::with_capacity(STATEMENT_FIELD_COUNT);
        for index in 0..STATEMENT_FIELD_COUNT {
            let value = match &self.witness {
                Some(w) => Value::known(to_fp(w.statement.to_fields()[index])),
                None => Value::unknown(),
            };
            statement_cells.push(arithmetic.witness(layouter, "statement", value)?);
        }
        let statement_cells: [AssignedCell<Fp, Fp>; STATEMENT_FIELD_COUNT] =
            statement_cells.try_into().map_err(|_| Error::Synthesis)?;
        Ok(PrivateCells {
            statement: StatementFields::from_fields(statement_cells),
            kyc_tier: arithmetic.witness(layouter, "credential", witness(|w| w.credential.kyc_tier))?,
            jurisdiction: arithmetic.witness(layouter, "credential", witness(|w| w.credential.jurisdiction))?,
            expires_at: arithmetic.witness(layouter, "credential", witness(|w| w.credential.expires_at))?,
            amount: arithmetic.witness(layouter, "withdrawal", witness(|w| w.withdrawal.amount))?,
        })
    }

    /// Assigns the public inputs as advice cells bound to the instance
    /// column.
    fn assign_public(
        &self,
        arithmetic: &ArithmeticChip,
        layouter: &mut impl Layouter<Fp>,
        config: &WithdrawalConfig,
    ) -> Result<PublicCells, Error> {
        let mut bound = |row: usize, pick: fn(&WithdrawalWitness) -> crate::Fr| {
            let cell = arithmetic.witness(layouter, "public inputs", self.value(pick))?;
            layouter.constrain_instance(cell.cell(), config.instance, row)?;
            Ok::<_, Error>(cell)
        };
        let now = bound(instance_row::NOW, |w| w.public.now)?;
        let disclosed_jurisdiction = bound(instance_row::DISCLOSED_JURISDICTION, |w| w.public.disclosed_jurisdiction)?;
        Ok(PublicCells { now, disclosed_jurisdiction })
    }
}
