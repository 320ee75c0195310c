//! MockProver runs for the chips' tests.
//!
//! MockProver describes a failed gate with the values of its cells, which
//! it prints by stripping `0x` from the field's `Debug` output;
//! [`Fp`]'s `Debug` (from `ff`'s derive) prints `Fr(0x...)`, so building
//! that description panics. [`verify`] turns that one panic into
//! [`Outcome::GateFailed`]: some gate failed, at a location MockProver could
//! not report. Copy-constraint and lookup failures, which print no values,
//! come back whole in [`Outcome::Failed`].

use std::panic::{catch_unwind, AssertUnwindSafe};

use halo2_proofs::dev::{MockProver, VerifyFailure};
use halo2_proofs::plonk::Circuit;

use super::Fp;

/// How a MockProver verification ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Every constraint holds.
    Satisfied,
    /// These constraints fail (all of them, if no gate is among them).
    Failed(Vec<VerifyFailure>),
    /// A gate fails; MockProver panicked while describing it.
    GateFailed,
}

impl Outcome {
    pub(crate) fn is_satisfied(&self) -> bool {
        matches!(self, Self::Satisfied)
    }
}

/// The message of the panic MockProver raises while describing a failed
/// gate over [`Fp`].
const DESCRIBING_A_FAILED_GATE: &str = "called `Option::unwrap()` on a `None` value";

/// Runs MockProver on `circuit` with `2^k` rows and the public inputs
/// `instance`, and verifies.
///
/// # Panics
/// When synthesis fails, or on any panic of the verification other than the
/// one described in the module docs.
pub(crate) fn verify<C: Circuit<Fp>>(k: u32, circuit: &C, instance: Vec<Vec<Fp>>) -> Outcome {
    let prover = MockProver::run(k, circuit, instance).expect("synthesis");
    match catch_unwind(AssertUnwindSafe(|| prover.verify())) {
        Ok(Ok(())) => Outcome::Satisfied,
        Ok(Err(failures)) => Outcome::Failed(failures),
        Err(panic) => {
            match panic.downcast_ref::<&str>().copied().or(panic.downcast_ref::<String>().map(|s| s.as_str())) {
                Some(DESCRIBING_A_FAILED_GATE) => Outcome::GateFailed,
                _ => std::panic::resume_unwind(panic),
            }
        }
    }
}
