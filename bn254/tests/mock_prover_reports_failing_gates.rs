//! `halo2_proofs`' MockProver describes a failing gate with its cells'
//! values, which it formats from the field's `Debug` (it strips a leading
//! `0x`). Over [`Fr`] that description must come back as an ordinary
//! [`VerifyFailure::ConstraintNotSatisfied`] naming the region and the
//! values, not as a panic.

use halo2_proofs::circuit::{Layouter, SimpleFloorPlanner, Value};
use halo2_proofs::dev::{FailureLocation, MockProver, VerifyFailure};
use halo2_proofs::plonk::{Advice, Circuit, Column, ConstraintSystem, Error, Expression, Selector};
use halo2_proofs::poly::Rotation;
use zkcomply_bn254::Fr;

/// The value the gate demands.
const DEMANDED: u64 = 0x1234;

#[derive(Clone, Debug)]
struct EqualsConstantConfig {
    value: Column<Advice>,
    check: Selector,
}

/// One row whose gate demands `value = 0x1234`, holding `value`.
#[derive(Clone, Debug, Default)]
struct EqualsConstantCircuit {
    value: Value<Fr>,
}

impl Circuit<Fr> for EqualsConstantCircuit {
    type Config = EqualsConstantConfig;
    type FloorPlanner = SimpleFloorPlanner;

    fn without_witnesses(&self) -> Self {
        EqualsConstantCircuit { value: Value::unknown() }
    }

    fn configure(meta: &mut ConstraintSystem<Fr>) -> EqualsConstantConfig {
        let value = meta.advice_column();
        let check = meta.selector();
        meta.create_gate("value is 0x1234", |meta| {
            let selector = meta.query_selector(check);
            let value = meta.query_advice(value, Rotation::cur());
            vec![selector * (value - Expression::Constant(Fr::from(DEMANDED)))]
        });
        EqualsConstantConfig { value, check }
    }

    fn synthesize(&self, config: EqualsConstantConfig, mut layouter: impl Layouter<Fr>) -> Result<(), Error> {
        layouter.assign_region(
            || "the checked row",
            |mut region| {
                config.check.enable(&mut region, 0)?;
                region.assign_advice(|| "value", config.value, 0, || self.value)?;
                Ok(())
            },
        )
    }
}

fn verify(value: Fr) -> Result<(), Vec<VerifyFailure>> {
    MockProver::run(4, &EqualsConstantCircuit { value: Value::known(value) }, vec![]).unwrap().verify()
}

#[test]
fn a_satisfied_gate_verifies() {
    assert_eq!(verify(Fr::from(DEMANDED)), Ok(()));
}

#[test]
fn a_failing_gate_is_reported_with_its_region_and_values() {
    let held = -Fr::from(2);
    let failures = verify(held).expect_err("the gate fails");
    assert_eq!(failures.len(), 1, "{failures:?}");
    let VerifyFailure::ConstraintNotSatisfied { location, cell_values, .. } = &failures[0] else {
        panic!("not a gate failure: {failures:?}");
    };
    let FailureLocation::InRegion { region, offset } = location else {
        panic!("outside any region: {location:?}");
    };
    assert_eq!((region.to_string().as_str(), *offset), ("Region 0 ('the checked row')", 0));
    // MockProver prints the value in hex without leading zeros.
    let held_hex = "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593efffffff";
    assert_eq!(cell_values.iter().map(|(_, value)| value.as_str()).collect::<Vec<_>>(), [held_hex]);
    let report = failures[0].to_string();
    assert!(report.contains("in Region 0 ('the checked row') at offset 0"), "{report}");
    assert!(report.contains(held_hex), "{report}");
}
