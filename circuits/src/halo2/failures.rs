//! Reading MockProver failures in tests: which regions failed and which
//! constraints, so a test can say that a tampered witness is refused by the
//! check meant to refuse it and not by some other one.
//!
//! MockProver cannot describe a failing custom gate over [`super::Fp`] (see
//! [`Verdict::GateRefusedUndescribed`]); tests whose witness breaks a gate
//! therefore also run the honest witness through the same circuit, so the
//! one changed cell is what the refusal is about.

use halo2_proofs::dev::{FailureLocation, MockProver, VerifyFailure};

use super::Fp;

/// The name of the region a failure lies in, `None` for a failure outside
/// every region (a constant's own cell in the constants column).
pub(crate) fn failing_region(failure: &VerifyFailure) -> Option<String> {
    let location = match failure {
        VerifyFailure::ConstraintNotSatisfied { location, .. }
        | VerifyFailure::Lookup { location, .. }
        | VerifyFailure::Permutation { location, .. } => location,
        VerifyFailure::CellNotAssigned { region, .. } | VerifyFailure::InstanceCellNotAssigned { region, .. } => {
            return Some(region_name(&region.to_string()));
        }
        VerifyFailure::ConstraintPoisoned { .. } => return None,
    };
    match location {
        FailureLocation::InRegion { region, .. } => Some(region_name(&region.to_string())),
        FailureLocation::OutsideRegion { .. } => None,
    }
}

/// The regions failures lie in, sorted and without repeats.
pub(crate) fn failing_regions(failures: &[VerifyFailure]) -> Vec<String> {
    let mut names: Vec<String> = failures.iter().filter_map(failing_region).collect();
    names.sort();
    names.dedup();
    names
}

/// `Region 3 ('name')` -> `name`: the region type keeps its name private
/// and shows it only in this form.
fn region_name(display: &str) -> String {
    match (display.find("('"), display.rfind("')")) {
        (Some(start), Some(end)) if start + 2 <= end => display[start + 2..end].to_owned(),
        _ => display.to_owned(),
    }
}

/// What MockProver says of a circuit.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Every constraint holds.
    Satisfied,
    /// The failures, each with its location.
    Refused(Vec<VerifyFailure>),
    /// A custom gate failed on cells MockProver could not describe: it
    /// prints a failing gate's cells with `{:?}` and expects `0x...`, while
    /// the `Debug` that `#[derive(ff::PrimeField)]` gives [`super::Fp`]
    /// writes `Fr(0x...)`, so `verify` panics while describing the failure.
    /// That a gate failed is certain; where is not reported.
    GateRefusedUndescribed,
}

/// The message of the panic [`Verdict::GateRefusedUndescribed`] stands for.
const UNDESCRIBED_GATE_PANIC: &str = "called `Option::unwrap()` on a `None` value";

/// Runs MockProver's checks; any panic but the one described at
/// [`Verdict::GateRefusedUndescribed`] is passed on.
pub(crate) fn verdict(prover: &MockProver<Fp>) -> Verdict {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prover.verify())) {
        Ok(Ok(())) => Verdict::Satisfied,
        Ok(Err(failures)) => Verdict::Refused(failures),
        Err(payload) => {
            let message =
                payload.downcast_ref::<&str>().copied().or(payload.downcast_ref::<String>().map(String::as_str));
            if message == Some(UNDESCRIBED_GATE_PANIC) {
                Verdict::GateRefusedUndescribed
            } else {
                std::panic::resume_unwind(payload)
            }
        }
    }
}

/// Panics unless the circuit was refused, and, when MockProver described
/// the failures, unless they lie only in the regions `expected` (at least
/// one failure must lie in one of them). Returns the described failures as
/// text (for checks on constraint names), `None` for
/// [`Verdict::GateRefusedUndescribed`].
pub(crate) fn assert_refused_in(verdict: Verdict, expected: &[&str]) -> Option<String> {
    let failures = match verdict {
        Verdict::Satisfied => panic!("the circuit must refuse this witness"),
        Verdict::GateRefusedUndescribed => return None,
        Verdict::Refused(failures) => failures,
    };
    let regions = failing_regions(&failures);
    assert!(!regions.is_empty(), "no failure lies in a region: {failures:#?}");
    for region in &regions {
        assert!(
            expected.contains(&region.as_str()),
            "unexpected failing region {region:?}; expected one of {expected:?}"
        );
    }
    Some(failures.iter().map(|failure| failure.to_string()).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_read_from_their_display_form() {
        assert_eq!(region_name("Region 3 ('credential_signature: add')"), "credential_signature: add");
        assert_eq!(region_name("Region 0 ('a: (b)')"), "a: (b)");
        assert_eq!(region_name("no name"), "no name");
    }
}
