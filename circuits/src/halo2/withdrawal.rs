//! The withdrawal statement as a halo2 circuit: every row of the table in
//! `docs/STATEMENT.md`, each assigned in regions labelled with the row's
//! name and in the Groth16 circuit's order, over the same witness ([`WithdrawalWitness`]) and the same six
//! public inputs (one instance column, in
//! [`crate::public_inputs::PublicInputs::to_field_elements`] order) as the
//! Groth16 circuit.

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, SimpleFloorPlanner, Value};
use halo2_proofs::plonk::{Advice, Circuit, Column, ConstraintSystem, Error, Fixed, Instance};

use super::arithmetic::{ArithmeticChip, ArithmeticConfig};
use super::babyjubjub::AssignedPoint;
use super::eddsa::{EddsaChip, EddsaConfig};
use super::imt::{NonMembershipChip, NonMembershipConfig};
use super::poseidon::{PoseidonChip, PoseidonConfig};
use super::range::{RangeChip, RangeConfig};
use super::{to_fp, Fp};
use crate::public_inputs::PUBLIC_INPUT_COUNT;
use crate::statement::{StatementFields, STATEMENT_FIELD_COUNT};
use crate::withdrawal::{TreeWitness, WithdrawalWitness};
use crate::TREE_DEPTH;

/// `log2` of the circuit's rows.
pub const K: u32 = 12;

/// Bits of the tier (0..=255).
const TIER_BITS: usize = 8;
/// Bits of amounts and limits.
const AMOUNT_BITS: usize = 128;
/// Bits of times (`now`, `expires_at`).
const TIME_BITS: usize = 53;

/// The advice columns every chip shares (the widest Poseidon state, 11,
/// hashes the statement's 10-element head).
pub const ADVICE_COLUMNS: usize = 11;
/// The fixed columns every chip shares (Poseidon's round constants, the
/// arithmetic gate's coefficients).
pub const FIXED_COLUMNS: usize = 12;

/// The Poseidon arities the statement hashes at: `id_commitment` (1),
/// nodes (2), leaves and the nullifier (3), the signature's challenge (5),
/// the credential message (6), `context` (7), the blocked list (8) and the
/// statement's head (10).
const POSEIDON_ARITIES: [usize; 8] = [1, 2, 3, 5, 6, 7, 8, 10];

/// The instance rows of the public inputs.
mod instance_row {
    pub const STATEMENT_HASH: usize = 0;
    pub const CONTEXT: usize = 1;
    pub const NULLIFIER: usize = 2;
    pub const EPOCH: usize = 3;
    pub const NOW: usize = 4;
    pub const DISCLOSED_JURISDICTION: usize = 5;
}

/// The circuit's columns and chips.
#[derive(Clone, Debug)]
pub struct WithdrawalConfig {
    instance: Column<Instance>,
    arithmetic: ArithmeticConfig,
    range: RangeConfig,
    poseidon: PoseidonConfig,
    eddsa: EddsaConfig,
    non_membership: NonMembershipConfig,
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

/// An assigned cell of the circuit.
type Cell = AssignedCell<Fp, Fp>;

/// Which of the witness's three trees.
type PickTree = fn(&WithdrawalWitness) -> &TreeWitness;

/// The cells of the private values every row draws on.
struct PrivateCells {
    statement: StatementFields<AssignedCell<Fp, Fp>>,
    secret: AssignedCell<Fp, Fp>,
    kyc_tier: AssignedCell<Fp, Fp>,
    jurisdiction: AssignedCell<Fp, Fp>,
    identity_hash: AssignedCell<Fp, Fp>,
    expires_at: AssignedCell<Fp, Fp>,
    nonce: AssignedCell<Fp, Fp>,
    sig_r8_x: AssignedCell<Fp, Fp>,
    sig_r8_y: AssignedCell<Fp, Fp>,
    sig_s: AssignedCell<Fp, Fp>,
    /// `context`'s inputs in order: chain id, exchange, withdrawal id,
    /// source, destination, asset, amount.
    withdrawal: [AssignedCell<Fp, Fp>; 7],
    amount: AssignedCell<Fp, Fp>,
}

/// The cells of the public inputs `statement_hash`, `context` and
/// `nullifier` are computed and bound; these three are used.
struct PublicCells {
    epoch: AssignedCell<Fp, Fp>,
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
        let fixed: [Column<Fixed>; FIXED_COLUMNS] = [(); FIXED_COLUMNS].map(|()| meta.fixed_column());
        let constants: Column<Fixed> = meta.fixed_column();
        meta.enable_constant(constants);
        let table = meta.lookup_table_column();
        let three = [advice[0], advice[1], advice[2]];
        let range = RangeChip::configure(meta, three, table);
        WithdrawalConfig {
            instance,
            arithmetic: ArithmeticChip::configure(meta, three, [fixed[0], fixed[1], fixed[2], fixed[3], fixed[4]]),
            poseidon: PoseidonChip::configure(meta, &advice, &fixed, &POSEIDON_ARITIES),
            eddsa: EddsaChip::configure(
                meta,
                [advice[0], advice[1], advice[2], advice[3], advice[4], advice[5]],
                [fixed[0], fixed[1], fixed[2]],
                range.clone(),
            ),
            non_membership: NonMembershipChip::configure(meta, [advice[0], advice[1], advice[2], advice[3], advice[4]]),
            range,
        }
    }

    fn synthesize(&self, config: WithdrawalConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
        let arithmetic = ArithmeticChip::construct(config.arithmetic.clone());
        let range = RangeChip::construct(config.range.clone());
        let poseidon = PoseidonChip::construct(config.poseidon.clone());
        let eddsa = EddsaChip::construct(config.eddsa.clone());
        let non_membership =
            NonMembershipChip::construct(config.non_membership.clone(), poseidon.clone(), range.clone());
        range.load_table(&mut layouter)?;

        let private = self.assign_private(&arithmetic, &mut layouter)?;
        let public = self.assign_public(&arithmetic, &mut layouter, &config)?;
        let limits = &private.statement.limits;
        let bind = |layouter: &mut _, cell: &AssignedCell<Fp, Fp>, row| {
            Layouter::constrain_instance(layouter, cell.cell(), config.instance, row)
        };

        // statement_hash: Poseidon(Poseidon(head), Poseidon(blocked)).
        {
            let row = "statement_hash";
            let (head, blocked) = private.statement.hash_parts();
            let head = poseidon.hash(&mut layouter, row, &head)?;
            let blocked = poseidon.hash(&mut layouter, row, &blocked)?;
            let statement_hash = poseidon.hash(&mut layouter, row, &[head, blocked])?;
            bind(&mut layouter, &statement_hash, instance_row::STATEMENT_HASH)?;
        }
        // credential_signature: id_commitment, the message and the
        // challenge; the signature equation below.
        {
            let row = "credential_signature";
            let id_commitment = poseidon.hash(&mut layouter, row, std::slice::from_ref(&private.secret))?;
            let message = poseidon.hash(
                &mut layouter,
                row,
                &[
                    id_commitment,
                    private.kyc_tier.clone(),
                    private.jurisdiction.clone(),
                    private.identity_hash.clone(),
                    private.expires_at.clone(),
                    private.nonce.clone(),
                ],
            )?;
            let statement = &private.statement;
            let issuer = AssignedPoint { x: statement.issuer_x.clone(), y: statement.issuer_y.clone() };
            let r8 = AssignedPoint { x: private.sig_r8_x.clone(), y: private.sig_r8_y.clone() };
            let challenge = poseidon.hash(
                &mut layouter,
                row,
                &[r8.x.clone(), r8.y.clone(), issuer.x.clone(), issuer.y.clone(), message],
            )?;
            eddsa.verify(&mut layouter, row, &issuer, &r8, &private.sig_s, &challenge)?;
        }

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
        // Non-membership of the identity, the source address and the
        // credential's nonce in their trees.
        let trees: [(&str, &Cell, &Cell, PickTree); 3] = [
            ("identity_not_sanctioned", &private.identity_hash, &private.statement.identity_root, |w| &w.identity_tree),
            ("address_not_sanctioned", &private.withdrawal[3], &private.statement.address_root, |w| &w.address_tree),
            ("credential_not_revoked", &private.nonce, &private.statement.revocation_root, |w| &w.revocation_tree),
        ];
        for (row, key, root, tree) in trees {
            let witness = match &self.witness {
                Some(w) => Value::known(tree(w)),
                None => Value::unknown(),
            };
            non_membership.assert_not_member(&mut layouter, row, key, root, TREE_DEPTH, witness)?;
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
        // nullifier: Poseidon(secret, str_key(exchange_id), epoch).
        {
            let row = "nullifier";
            let inputs = [private.secret.clone(), private.withdrawal[1].clone(), public.epoch.clone()];
            let nullifier = poseidon.hash(&mut layouter, row, &inputs)?;
            bind(&mut layouter, &nullifier, instance_row::NULLIFIER)?;
        }
        // context: Poseidon(chain_id, exchange, withdrawal id, source,
        // destination, asset, amount), the same source and amount as the
        // address and limit rows.
        {
            let row = "context";
            let context = poseidon.hash(&mut layouter, row, &private.withdrawal)?;
            bind(&mut layouter, &context, instance_row::CONTEXT)?;
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
        let mut credential =
            |pick: fn(&WithdrawalWitness) -> crate::Fr| arithmetic.witness(layouter, "credential", witness(pick));
        let secret = credential(|w| w.credential.secret)?;
        let kyc_tier = credential(|w| w.credential.kyc_tier)?;
        let jurisdiction = credential(|w| w.credential.jurisdiction)?;
        let identity_hash = credential(|w| w.credential.identity_hash)?;
        let expires_at = credential(|w| w.credential.expires_at)?;
        let nonce = credential(|w| w.credential.nonce)?;
        let sig_r8_x = credential(|w| w.credential.sig_r8.x)?;
        let sig_r8_y = credential(|w| w.credential.sig_r8.y)?;
        let sig_s = credential(|w| w.credential.sig_s)?;
        let withdrawal_fields: [fn(&WithdrawalWitness) -> crate::Fr; 7] = [
            |w| w.withdrawal.chain_id,
            |w| w.withdrawal.exchange_key,
            |w| w.withdrawal.withdrawal_key,
            |w| w.withdrawal.source_key,
            |w| w.withdrawal.destination_key,
            |w| w.withdrawal.asset_key,
            |w| w.withdrawal.amount,
        ];
        let mut cells = Vec::with_capacity(withdrawal_fields.len());
        for pick in withdrawal_fields {
            cells.push(arithmetic.witness(layouter, "withdrawal", witness(pick))?);
        }
        let withdrawal: [AssignedCell<Fp, Fp>; 7] = cells.try_into().map_err(|_| Error::Synthesis)?;
        Ok(PrivateCells {
            statement: StatementFields::from_fields(statement_cells),
            secret,
            kyc_tier,
            jurisdiction,
            identity_hash,
            expires_at,
            nonce,
            sig_r8_x,
            sig_r8_y,
            sig_s,
            amount: withdrawal[6].clone(),
            withdrawal,
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
        let epoch = bound(instance_row::EPOCH, |w| w.public.epoch)?;
        let now = bound(instance_row::NOW, |w| w.public.now)?;
        let disclosed_jurisdiction = bound(instance_row::DISCLOSED_JURISDICTION, |w| w.public.disclosed_jurisdiction)?;
        Ok(PublicCells { epoch, now, disclosed_jurisdiction })
    }
}
