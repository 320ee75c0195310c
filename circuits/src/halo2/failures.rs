//! Reading MockProver failures in tests: which regions failed and which
//! constraints, so a test can say that a tampered witness is refused by the
//! check meant to refuse it and not by some other one.
//!
//! MockProver cannot describe a failing custom gate over [`super::Fp`] (see
//! [`super::mock`]); tests whose witness breaks a gate therefore also run the
//! honest witness through the same circuit, so the one changed cell is what
//! the refusal is about.

use halo2_proofs::dev::{FailureLocation, VerifyFailure};

use super::mock::Outcome;

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

/// Panics unless the circuit was refused, and, when MockProver described
/// the failures, unless they lie only in the regions `expected` (at least
/// one failure must lie in one of them). Returns the described failures as
/// text (for checks on constraint names), `None` for [`Outcome::GateFailed`].
pub(crate) fn assert_refused_in(outcome: Outcome, expected: &[&str]) -> Option<String> {
    let failures = match outcome {
        Outcome::Satisfied => panic!("the circuit must refuse this witness"),
        Outcome::GateFailed => return None,
        Outcome::Failed(failures) => failures,
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
