//! Why `zkcomply demo` failed its own checks.

use zkcomply_verifier::Verdict;

/// A check of the demonstration that did not come out as it must.
#[derive(Debug, thiserror::Error)]
pub enum DemoFailure {
    /// A withdrawal from a sanctioned address was not refused.
    #[error("a sanctioned source address was not refused")]
    SanctionedAddressNotRefused,
    /// The demo's own bundle was rejected under its policy.
    #[error(
        "the demo bundle was rejected: {:?}: {}",
        .0.failed_check,
        .0.reason.as_deref().unwrap_or("no reason given")
    )]
    BundleRejected(Box<Verdict>),
    /// The demo's batch bundle, or one of its withdrawals, was rejected.
    #[error("the demo batch bundle was rejected:\n{}", .0.to_text())]
    BatchRejected(Box<zkcomply_verifier::BatchVerdict>),
}
