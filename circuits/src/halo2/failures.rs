//! Reading MockProver failures in tests: which regions failed and which
//! constraints, so a test can say that a tampered witness is refused by the
//! check meant to refuse it and not by some other one.

use halo2_proofs::dev::{FailureLocation, VerifyFailure};

/// What `MockProver::verify` returns: every constraint holds, or these fail.
pub(crate) type Verdict = Result<(), Vec<VerifyFailure>>;

/// Panics, listing the failures, unless every constraint holds.
pub(crate) fn assert_satisfied(verdict: Verdict) {
    if let Err(failures) = verdict {
        panic!("the circuit must accept this witness:\n{}", describe(&failures));
    }
}

/// The failures' `Display` forms, one after another.
fn describe(failures: &[VerifyFailure]) -> String {
    failures.iter().map(|failure| failure.to_string()).collect::<Vec<_>>().join("\n")
}

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

/// Panics unless the circuit was refused with failures that lie only in
/// the regions `expected` (at least one failure must lie in one of them;
/// failures outside every region, on a constant's own cell, are allowed
/// beside them). Returns the failures as text (for checks on constraint
/// names and cell values).
pub(crate) fn assert_refused_in(verdict: Verdict, expected: &[&str]) -> String {
    let Err(failures) = verdict else { panic!("the circuit must refuse this witness") };
    let regions = failing_regions(&failures);
    assert!(!regions.is_empty(), "no failure lies in a region:\n{}", describe(&failures));
    for region in &regions {
        assert!(
            expected.contains(&region.as_str()),
            "unexpected failing region {region:?}; expected one of {expected:?}:\n{}",
            describe(&failures)
        );
    }
    describe(&failures)
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
