//! EdDSA-Poseidon verification as a PLONKish chip: the halo2 twin of
//! [`crate::eddsa::constraints`], enforcing the same checks (STATEMENT.md,
//! row `credential_signature`), each failing closed:
//!
//! - `S < l`: `S` is read in 251 bits by the fixed-base multiplication
//!   (so `S < 2^251`), and `S <= l - 1` by the range chip's comparison;
//! - `R8` and `A` on the curve;
//! - `h` read in 254 bits by the variable-base multiplication, strictly:
//!   the bits, as an integer, are below `r`. `r - 1 = H * 2^28` ends in 28
//!   zero bits, so with `high = z[28]` (bits 28..254 of the running sum)
//!   and `low = z[0] - 2^28 z[28]` (bits 0..28) the integer is below `r`
//!   exactly when `high <= H` and `low = 0` if `high = H`; one row computes
//!   `is_max = [high = H]` (with an inverse witness) and
//!   `slack = H - high - 1 + is_max`, and the range chip checks
//!   `slack < 2^226` (it wraps far above for `high > H`). Without this,
//!   bits spelling `h + r` (which fit 254 bits for about a third of all
//!   `h`) would multiply `8A` by another integer than `h`;
//! - `S * B8 == R8 + h * (8 A)`;
//! - `8 A` is not the identity: its x coordinate has an inverse. The
//!   complete formulas make `8 A` the identity for each of the eight
//!   small-order keys, and then the equation reads `S * B8 == R8`, which
//!   anyone satisfies for any message by choosing `S` and `R8 = S * B8`.
//!   (The Groth16 gadget refuses such keys through its Montgomery ladder,
//!   which cannot represent the identity; here it is one explicit row.)
//!   `x = 0` only at the identity and at `(0, -1)`, and `8 A` lies in the
//!   prime-order subgroup, so it is never `(0, -1)`.
//!
//! The caller computes `h = Poseidon(R8x, R8y, Ax, Ay, M)` from the same
//! cells and passes it in; the chip does not hash.
//!
//! # Columns and rows
//! The Baby Jubjub chip's six advice and three fixed columns (this chip's
//! own two gates use the first five advice columns), plus a range chip the
//! caller configured (over three of the same advice columns, say) and whose
//! table the caller loads. A fixed column must be enabled for constants.
//!
//! One verification takes 569 rows of the shared advice columns:
//!
//! | step | rows |
//! |---|---|
//! | `R8`, `A` on the curve | 2 |
//! | `8 A` | 4 |
//! | `x(8A)` has an inverse | 1 |
//! | `h * 8A` | 255 |
//! | `h < r` | 1 + 24 (range chip, 226 bits) |
//! | `R8 + h 8A` | 1 |
//! | `S * B8` | 252 (and the multiples of `B8` in the fixed columns) |
//! | `S <= l - 1` | 2 + 27 (range chip, 251 bits) |
//!
//! and 11 cells of the constants column. Every region is named
//! `"{label}: ..."`.

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Constraints, Error, Expression, Fixed, Selector};
use halo2_proofs::poly::Rotation;
use num_bigint::BigUint;

use super::babyjubjub::{AssignedPoint, BabyJubjubChip, BabyJubjubConfig, ADVICE_COLUMNS, FIXED_COLUMNS};
use super::range::{RangeChip, RangeConfig};
use super::{from_fp, to_fp, Fp};
use crate::babyjubjub::subgroup_order;
use crate::field::{biguint_to_fr, fr_to_biguint, modulus};

/// Bits `S` is read in: `l < 2^251`.
pub const SCALAR_BITS: usize = 251;
/// Bits `h` is read in: every field element fits.
pub const CHALLENGE_BITS: usize = 254;
/// `r - 1` ends in this many zero bits (the field's two-adicity).
const MODULUS_ZERO_BITS: usize = 28;

/// Columns, selectors and chips of the EdDSA chip.
#[derive(Clone, Debug)]
pub struct EddsaConfig {
    curve: BabyJubjubConfig,
    range: RangeConfig,
    /// `x * inverse = 1` for `x = x(8A)` in `c0` and the inverse in `c1`.
    key_multiple_not_identity: Selector,
    /// The bound on `h`, over `c0..c4`; see the module documentation.
    challenge_below_modulus: Selector,
}

/// EdDSA-Poseidon verification; see the module documentation.
#[derive(Clone, Debug)]
pub struct EddsaChip {
    config: EddsaConfig,
}

/// `(r - 1) >> 28`, the largest value of `h`'s bits 28..254.
fn challenge_high_bound() -> BigUint {
    (modulus() - 1u8) >> MODULUS_ZERO_BITS
}

fn integer_to_fp(value: &BigUint) -> Fp {
    to_fp(biguint_to_fr(&(value % modulus())).expect("reduced below the modulus"))
}

impl EddsaChip {
    /// Configures the chip over the caller's columns and its configured
    /// range chip (see the module documentation).
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        advice: [Column<Advice>; ADVICE_COLUMNS],
        fixed: [Column<Fixed>; FIXED_COLUMNS],
        range: RangeConfig,
    ) -> EddsaConfig {
        let curve = BabyJubjubChip::configure(meta, advice, fixed);
        let key_multiple_not_identity = meta.selector();
        let challenge_below_modulus = meta.selector();
        let [c0, c1, c2, c3, c4, _] = advice;

        meta.create_gate("eddsa: 8A is not the identity", |meta| {
            let selector = meta.query_selector(key_multiple_not_identity);
            let x = meta.query_advice(c0, Rotation::cur());
            let inverse = meta.query_advice(c1, Rotation::cur());
            Constraints::with_selector(
                selector,
                [("x(8A) has an inverse", x * inverse - Expression::Constant(Fp::ONE))],
            )
        });

        meta.create_gate("eddsa: h below r", |meta| {
            let selector = meta.query_selector(challenge_below_modulus);
            let whole = meta.query_advice(c0, Rotation::cur());
            let high = meta.query_advice(c1, Rotation::cur());
            let inverse = meta.query_advice(c2, Rotation::cur());
            let is_max = meta.query_advice(c3, Rotation::cur());
            let slack = meta.query_advice(c4, Rotation::cur());
            let bound = Expression::Constant(integer_to_fp(&challenge_high_bound()));
            let one = Expression::Constant(Fp::ONE);
            let shift = Expression::Constant(Fp::from(1u64 << MODULUS_ZERO_BITS));
            let high_minus_bound = high.clone() - bound.clone();
            let low = whole - shift * high.clone();
            Constraints::with_selector(
                selector,
                [
                    ("is_max = 1 when high = H", is_max.clone() - (one.clone() - high_minus_bound.clone() * inverse)),
                    ("is_max = 0 when high != H", high_minus_bound * is_max.clone()),
                    ("low 28 bits zero when high = H", low * is_max.clone()),
                    ("slack = H - high - 1 + is_max", slack - (bound - high - one + is_max)),
                ],
            )
        });

        EddsaConfig { curve, range, key_multiple_not_identity, challenge_below_modulus }
    }

    /// The chip over a configuration.
    pub fn construct(config: EddsaConfig) -> Self {
        Self { config }
    }

    /// Enforces that `(r8, s)` is a valid signature by `key` with
    /// challenge `h` (see the module documentation); an invalid one leaves
    /// the circuit unsatisfied.
    ///
    /// # Errors
    /// Layouter errors only.
    pub fn verify(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        key: &AssignedPoint,
        r8: &AssignedPoint,
        s: &AssignedCell<Fp, Fp>,
        challenge: &AssignedCell<Fp, Fp>,
    ) -> Result<(), Error> {
        let reading = challenge.value().map(|h| fr_to_biguint(&from_fp(*h)));
        self.verify_reading_challenge(layouter, label, key, r8, s, challenge, reading)
    }

    /// As [`EddsaChip::verify`], with `h`'s bits taken from `reading`, an
    /// integer the prover claims they spell (honestly `h` itself; tests
    /// pass `h + r` to see it refused).
    #[allow(clippy::too_many_arguments)]
    fn verify_reading_challenge(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        key: &AssignedPoint,
        r8: &AssignedPoint,
        s: &AssignedCell<Fp, Fp>,
        challenge: &AssignedCell<Fp, Fp>,
        reading: Value<BigUint>,
    ) -> Result<(), Error> {
        let curve = BabyJubjubChip::construct(self.config.curve.clone());
        let range = RangeChip::construct(self.config.range.clone());

        curve.constrain_on_curve(layouter, &format!("{label}: R8"), r8)?;
        curve.constrain_on_curve(layouter, &format!("{label}: A"), key)?;

        let key_multiple = curve.mul_by_cofactor(layouter, &format!("{label}: A"), key)?;
        self.assert_not_identity(layouter, label, &key_multiple)?;

        let product = curve.mul_reading(
            layouter,
            &format!("{label}: h 8A"),
            &key_multiple,
            challenge,
            reading,
            CHALLENGE_BITS,
        )?;
        self.assert_challenge_below_modulus(
            layouter,
            label,
            &range,
            &product.running_sum[0],
            &product.running_sum[MODULUS_ZERO_BITS],
        )?;
        let right = curve.add(layouter, &format!("{label}: R8 + h 8A"), r8, &product.point)?;

        let left = curve.mul_base8(layouter, &format!("{label}: S B8"), s, SCALAR_BITS)?.point;
        // S < 2^251 (read in 251 bits above), so the comparison's operands
        // are within its 251-bit bound.
        let order_minus_one = layouter.assign_region(
            || format!("{label}: l - 1"),
            |mut region| {
                let value = integer_to_fp(&(subgroup_order() - 1u8));
                region.assign_advice_from_constant(|| "l - 1", self.config.curve.advice()[0], 0, value)
            },
        )?;
        range.assert_less_or_equal(layouter, &format!("{label}: S below l"), s, &order_minus_one, SCALAR_BITS)?;

        layouter.assign_region(
            || format!("{label}: S B8 = R8 + h 8A"),
            |mut region| {
                region.constrain_equal(left.x.cell(), right.x.cell())?;
                region.constrain_equal(left.y.cell(), right.y.cell())
            },
        )
    }

    /// `x(8A)` has an inverse (1 row, region `"{label}: 8A is not the identity"`).
    fn assert_not_identity(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        key_multiple: &AssignedPoint,
    ) -> Result<(), Error> {
        let [c0, c1, ..] = self.config.curve.advice();
        layouter.assign_region(
            || format!("{label}: 8A is not the identity"),
            |mut region| {
                self.config.key_multiple_not_identity.enable(&mut region, 0)?;
                let x = key_multiple.x.copy_advice(|| "x(8A)", &mut region, c0, 0)?;
                // No inverse for the identity: zero, and the gate fails.
                let inverse = x.value().map(|x| x.invert().unwrap_or(Fp::ZERO));
                region.assign_advice(|| "1 / x(8A)", c1, 0, || inverse).map(|_| ())
            },
        )
    }

    /// The integer read by `h`'s running sum is below `r` (1 row, region
    /// `"{label}: h below r"`, and a 226-bit range check of the slack).
    fn assert_challenge_below_modulus(
        &self,
        layouter: &mut impl Layouter<Fp>,
        label: &str,
        range: &RangeChip,
        whole: &AssignedCell<Fp, Fp>,
        high: &AssignedCell<Fp, Fp>,
    ) -> Result<(), Error> {
        let [c0, c1, c2, c3, c4, _] = self.config.curve.advice();
        let bound = integer_to_fp(&challenge_high_bound());
        let region_name = format!("{label}: h below r");
        let slack = layouter.assign_region(
            || region_name.as_str(),
            |mut region| {
                self.config.challenge_below_modulus.enable(&mut region, 0)?;
                whole.copy_advice(|| "z[0]", &mut region, c0, 0)?;
                let high = high.copy_advice(|| "z[28]", &mut region, c1, 0)?;
                let difference = high.value().map(|high| *high - bound);
                let inverse = difference.map(|difference| difference.invert().unwrap_or(Fp::ZERO));
                let is_max = difference.map(|difference| if difference == Fp::ZERO { Fp::ONE } else { Fp::ZERO });
                let slack = high.value().zip(is_max).map(|(high, is_max)| bound - *high - Fp::ONE + is_max);
                region.assign_advice(|| "1 / (high - H)", c2, 0, || inverse)?;
                region.assign_advice(|| "is_max", c3, 0, || is_max)?;
                region.assign_advice(|| "slack", c4, 0, || slack)
            },
        )?;
        range.range_check(layouter, &region_name, &slack, CHALLENGE_BITS - MODULUS_ZERO_BITS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::babyjubjub::Point;
    use crate::eddsa::{challenge, PrivateKey};
    use crate::field::parse_fr;
    use crate::halo2::babyjubjub::tests::small_order_points;
    use crate::halo2::failures::{assert_refused_in, assert_satisfied, Verdict};
    use crate::Fr;
    use halo2_proofs::circuit::SimpleFloorPlanner;
    use halo2_proofs::dev::MockProver;
    use halo2_proofs::plonk::Circuit;

    /// Rows of the verification plus the range table: 2^11.
    const K: u32 = 11;
    const LABEL: &str = "credential_signature";

    /// The chip's inputs: cell values, and the integer `h`'s bits spell.
    #[derive(Clone, Debug)]
    struct SignatureCircuit {
        key: Point,
        r8: Point,
        s: Fp,
        challenge: Fp,
        challenge_reading: BigUint,
        known: bool,
    }

    impl SignatureCircuit {
        /// An honest reading of `h`.
        fn new(key: Point, r8: Point, s: &BigUint, challenge: Fr) -> Self {
            Self {
                key,
                r8,
                s: integer_to_fp(s),
                challenge: to_fp(challenge),
                challenge_reading: fr_to_biguint(&challenge),
                known: true,
            }
        }

        /// `sig` over `message` by `key`, with `h` computed natively.
        fn signed(key: Point, message: Fr, sig: &crate::eddsa::Signature) -> Self {
            Self::new(key, sig.r8, &sig.s, challenge(&sig.r8, &key, message))
        }

        fn outcome(&self) -> Verdict {
            MockProver::run(K, self, vec![]).expect("synthesis").verify()
        }

        fn known<T>(&self, value: T) -> Value<T> {
            if self.known {
                Value::known(value)
            } else {
                Value::unknown()
            }
        }
    }

    impl Circuit<Fp> for SignatureCircuit {
        type Config = (EddsaConfig, RangeConfig);
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            Self { known: false, ..self.clone() }
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> Self::Config {
            let advice = [(); ADVICE_COLUMNS].map(|_| meta.advice_column());
            let fixed = [(); FIXED_COLUMNS].map(|_| meta.fixed_column());
            let constants = meta.fixed_column();
            meta.enable_constant(constants);
            let table = meta.lookup_table_column();
            let range = RangeChip::configure(meta, [advice[0], advice[1], advice[2]], table);
            (EddsaChip::configure(meta, advice, fixed, range.clone()), range)
        }

        fn synthesize(&self, (config, range): Self::Config, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
            RangeChip::construct(range).load_table(&mut layouter)?;
            let advice = config.curve.advice();
            let values =
                [to_fp(self.key.x), to_fp(self.key.y), to_fp(self.r8.x), to_fp(self.r8.y), self.s, self.challenge];
            let cells = layouter.assign_region(
                || "inputs",
                |mut region| {
                    let mut cells = Vec::with_capacity(values.len());
                    for (column, value) in advice.iter().zip(values) {
                        cells.push(region.assign_advice(|| "input", *column, 0, || self.known(value))?);
                    }
                    Ok(cells)
                },
            )?;
            let key = AssignedPoint { x: cells[0].clone(), y: cells[1].clone() };
            let r8 = AssignedPoint { x: cells[2].clone(), y: cells[3].clone() };
            let chip = EddsaChip::construct(config);
            let reading = self.known(self.challenge_reading.clone());
            chip.verify_reading_challenge(&mut layouter, LABEL, &key, &r8, &cells[4], &cells[5], reading)
        }
    }

    fn region(what: &str) -> String {
        format!("{LABEL}: {what}")
    }

    /// Panics unless the circuit is refused only in the regions named
    /// `{LABEL}: {what}` for each `what`.
    fn assert_refused(circuit: &SignatureCircuit, whats: &[&str]) -> String {
        let names: Vec<String> = whats.iter().map(|what| region(what)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_refused_in(circuit.outcome(), &names)
    }

    struct Vector {
        public: Point,
        message: Fr,
        sig: crate::eddsa::Signature,
        valid: bool,
    }

    fn circomlibjs_vectors() -> Vec<Vector> {
        let text = include_str!("../../../data/vectors/circomlibjs-poseidon-eddsa.json");
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let fr = |value: &serde_json::Value| parse_fr(value.as_str().unwrap()).unwrap();
        json["eddsa_poseidon"]
            .as_array()
            .unwrap()
            .iter()
            .map(|case| Vector {
                public: Point::new(fr(&case["public_key"][0]), fr(&case["public_key"][1])),
                message: fr(&case["message"]),
                sig: crate::eddsa::Signature {
                    r8: Point::new(fr(&case["signature"]["r8"][0]), fr(&case["signature"]["r8"][1])),
                    s: crate::field::parse_decimal(case["signature"]["s"].as_str().unwrap()).unwrap(),
                },
                valid: case["valid"].as_bool().unwrap(),
            })
            .collect()
    }

    /// A key, a message and its signature, from a seed byte.
    fn signed(seed: u8, message: u64) -> (Point, Fr, crate::eddsa::Signature) {
        let key = PrivateKey::from_bytes([seed; 32]);
        let message = Fr::from(message);
        (key.public_key().0, message, key.sign(message))
    }

    /// The equation's regions: both sides' cells.
    const EQUATION: [&str; 2] = ["S B8: fixed-base multiplication", "R8 + h 8A: add"];

    #[test]
    fn accepts_native_signatures() {
        for (seed, message) in [(1u8, 0u64), (2, 1), (3, 123_456_789), (4, u64::MAX)] {
            let (key, message, sig) = signed(seed, message);
            assert!(crate::eddsa::PublicKey(key).verify(message, &sig).is_ok());
            let started = std::time::Instant::now();
            assert_satisfied(SignatureCircuit::signed(key, message, &sig).outcome());
            println!("MockProver, one EdDSA verification at k = {K}: {:?}", started.elapsed());
        }
    }

    #[test]
    fn agrees_with_the_circomlibjs_vectors() {
        let vectors = circomlibjs_vectors();
        assert!(vectors.iter().any(|v| v.valid) && vectors.iter().any(|v| !v.valid));
        for vector in vectors {
            let circuit = SignatureCircuit::signed(vector.public, vector.message, &vector.sig);
            if vector.valid {
                assert_satisfied(circuit.outcome());
            } else {
                // Each invalid vector is a valid signature on the message minus one.
                assert_refused(&circuit, &EQUATION);
            }
        }
    }

    #[test]
    fn refuses_a_signature_on_another_message() {
        let (key, message, sig) = signed(5, 42);
        assert_refused(&SignatureCircuit::signed(key, message + Fr::from(1u8), &sig), &EQUATION);
        let (other_key, ..) = signed(6, 42);
        assert_refused(&SignatureCircuit::signed(other_key, message, &sig), &EQUATION);
    }

    /// A signature whose `S + l` still fits 251 bits.
    fn signature_with_small_s() -> (Point, Fr, crate::eddsa::Signature) {
        (0..64)
            .map(|message| signed(7, message))
            .find(|(.., sig)| (&sig.s + subgroup_order()).bits() <= SCALAR_BITS as u64)
            .expect("about a quarter of all S qualify")
    }

    #[test]
    fn refuses_s_plus_l_and_any_s_at_least_l() {
        // S + l is the same multiple of B8: only the bound refuses it.
        let (key, message, sig) = signature_with_small_s();
        let mut malleated = sig.clone();
        malleated.s = &sig.s + subgroup_order();
        let text = assert_refused(&SignatureCircuit::signed(key, message, &malleated), &["S below l: range 251 bits"]);
        assert!(text.contains("Lookup"), "{text}");

        // S = l: S B8 is the identity and the bound refuses S.
        let mut at_order = sig.clone();
        at_order.s = subgroup_order().clone();
        let whats = [&EQUATION[..], &["S below l: range 251 bits"]].concat();
        assert_refused(&SignatureCircuit::signed(key, message, &at_order), &whats);

        // S + l past 2^251: the 251-bit reading of S cannot end at zero.
        let (key, message, sig) = (0..64)
            .map(|message| signed(8, message))
            .find(|(.., sig)| (&sig.s + subgroup_order()).bits() > SCALAR_BITS as u64)
            .unwrap();
        let mut malleated = sig.clone();
        malleated.s = &sig.s + subgroup_order();
        let whats = [&EQUATION[..], &["S below l: range 251 bits"]].concat();
        assert_refused(&SignatureCircuit::signed(key, message, &malleated), &whats);
    }

    /// A circuit whose equation holds with `h`'s bits spelling `reading`
    /// (`R8 = S B8 - reading * 8A`), so only the bound on `h` can refuse it.
    fn circuit_reading_challenge(challenge: Fr, reading: BigUint) -> SignatureCircuit {
        let (key, _, sig) = signed(9, 1);
        let eight_key = key.mul(&BigUint::from(8u8));
        let r8 = Point::base8().mul(&sig.s).add(&eight_key.mul(&reading).neg());
        SignatureCircuit { challenge_reading: reading, ..SignatureCircuit::new(key, r8, &sig.s, challenge) }
    }

    #[test]
    fn refuses_the_h_plus_r_alias() {
        let r = modulus();
        // The largest h is accepted: its bits 28.. are H and the rest zero.
        let largest = -Fr::from(1u8);
        assert_satisfied(circuit_reading_challenge(largest, fr_to_biguint(&largest)).outcome());

        // h + r for a typical h: bits 28.. exceed H, the slack wraps.
        let h = (1..)
            .map(|i| challenge(&Point::base8(), &Point::base8(), Fr::from(i as u64)))
            .find(|h| (fr_to_biguint(h) + &r).bits() <= CHALLENGE_BITS as u64)
            .unwrap();
        assert_satisfied(circuit_reading_challenge(h, fr_to_biguint(&h)).outcome());
        let text =
            assert_refused(&circuit_reading_challenge(h, fr_to_biguint(&h) + &r), &["h below r: range 226 bits"]);
        assert!(text.contains("Lookup"), "{text}");

        // h + r for a small h: bits 28.. equal H, the low bits are not zero.
        let small = Fr::from(5u8);
        assert_satisfied(circuit_reading_challenge(small, BigUint::from(5u8)).outcome());
        let text = assert_refused(&circuit_reading_challenge(small, BigUint::from(5u8) + &r), &["h below r"]);
        assert!(text.contains("low 28 bits zero when high = H"), "{text}");
    }

    #[test]
    fn refuses_points_off_the_curve() {
        let (key, message, sig) = signed(10, 77);
        assert_satisfied(SignatureCircuit::signed(key, message, &sig).outcome());

        let mut off_r8 = sig.clone();
        off_r8.r8.x += Fr::from(1u8);
        assert!(!off_r8.r8.is_on_curve());
        let whats = [&EQUATION[..], &["R8: point on curve"]].concat();
        assert_refused(&SignatureCircuit::signed(key, message, &off_r8), &whats);

        let mut off_key = key;
        off_key.y += Fr::from(1u8);
        assert!(!off_key.is_on_curve());
        let whats =
            [&EQUATION[..], &["A: point on curve", "A: times cofactor", "h 8A: variable-base multiplication"]].concat();
        assert_refused(&SignatureCircuit::signed(off_key, message, &sig), &whats);
    }

    /// The point `P` off the curve with `P + q == sum` by the addition
    /// formulas, if there is one: the two equations are bilinear in `P`'s
    /// coordinates, so besides `sum - q` they have at most one more
    /// solution. A combination of them is linear, `y = alpha + beta x`,
    /// leaving a quadratic in `x` whose roots add up to `-b / a`.
    fn off_curve_summand(q: Point, sum: Point) -> Option<Point> {
        use ark_ff::Field as _;
        let (xq, yq, xs, ys) = (q.x, q.y, sum.x, sum.y);
        let c = Fr::from(crate::babyjubjub::COEFF_D) * xq * yq;
        let gamma_inverse = (xq * ys + yq * xs).inverse()?;
        let alpha = Fr::from(2u8) * xs * ys * gamma_inverse;
        let beta = (Fr::from(crate::babyjubjub::COEFF_A) * xq * xs - yq * ys) * gamma_inverse;
        let quadratic = xs * c * beta;
        let linear = -yq - xq * beta + xs * c * alpha;
        let on_curve_root = sum.add(&q.neg()).x;
        let x = -linear * quadratic.inverse()? - on_curve_root;
        let point = Point::new(x, alpha + beta * x);
        (!point.is_on_curve() && point.add(&q) == sum).then_some(point)
    }

    #[test]
    fn refuses_an_off_curve_r8_that_satisfies_the_equation() {
        let (key, _, sig) = signed(12, 5);
        let h = Fr::from(1234567u64);
        let q = key.mul(&(fr_to_biguint(&h) * 8u8));
        let r8 = off_curve_summand(q, Point::base8().mul(&sig.s)).expect("a second solution off the curve");
        // The same S and h with the honest R8 = S B8 - h 8A pass.
        let honest_r8 = Point::base8().mul(&sig.s).add(&q.neg());
        assert_satisfied(SignatureCircuit::new(key, honest_r8, &sig.s, h).outcome());
        assert_refused(&SignatureCircuit::new(key, r8, &sig.s, h), &["R8: point on curve"]);
    }

    #[test]
    fn refuses_every_small_order_key() {
        // R8 = S B8 makes S B8 == R8 + h 8A hold whenever 8A is the
        // identity: a forgery by anyone, for any message.
        let (_, _, sig) = signed(11, 3);
        let forged_r8 = Point::base8().mul(&sig.s);
        for key in small_order_points() {
            let message = Fr::from(99u8);
            let h = challenge(&forged_r8, &key, message);
            let circuit = SignatureCircuit::new(key, forged_r8, &sig.s, h);
            let text = assert_refused(&circuit, &["8A is not the identity"]);
            assert!(text.contains("x(8A) has an inverse"), "{text}");
        }
    }
}
