//! zkcomply's verifier: the formats every party exchanges (credential,
//! withdrawal, policy, proof bundle, verifying key, log record), policy
//! matching, proof verification and the audit of a verification log.
//!
//! This crate contains no proving or constraint code: it builds on the
//! native half of `zkcomply-circuits` and on `ark-ec` pairings only, so the
//! browser package and the command-line verifier stay small.
//!
//! The root holds what a verifier needs: the formats ([`Bundle`],
//! [`Policy`], [`VerifyingKeyFile`], [`Credential`], [`Withdrawal`],
//! [`LogRecord`]), [`verify_bundle`] and its [`Verdict`], the log
//! ([`VerificationLog`]) and its [`audit`]. Proof systems sit behind
//! [`backend`]: a bundle names its own (`groth16-bn254` is the first), and
//! nothing above that module depends on which one it is. Every format has
//! a size limit ([`limits`]), checked before a file is read
//! ([`read_text`]) or a document parsed.
//!
//! ```no_run
//! use zkcomply_verifier::limits::{MAX_BUNDLE_BYTES, MAX_POLICY_BYTES, MAX_VERIFYING_KEY_BYTES};
//! use zkcomply_verifier::{read_text, verify_bundle, Bundle, Policy, VerifyingKeyFile};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bundle = Bundle::from_json(&read_text("bundle.json".as_ref(), &MAX_BUNDLE_BYTES)?)?;
//! let policy = Policy::from_json(&read_text("policy.json".as_ref(), &MAX_POLICY_BYTES)?)?;
//! let vk = VerifyingKeyFile::from_json(&read_text("verifying_key.json".as_ref(), &MAX_VERIFYING_KEY_BYTES)?)?;
//! let verdict = verify_bundle(&bundle, &policy, &vk, 1_763_900_000);
//! match verdict.rejection() {
//!     None => println!("accepted"),
//!     Some((check, reason)) => println!("rejected by {}: {reason}", check.name()),
//! }
//! # Ok(()) }
//! ```
//!
//! Features: `parallel` (audit records and batch pairings on every core),
//! `solidity` (the on-chain verifier and the gate's calldata, module `solidity`),
//! `cli` (the `zkcomply-verify` command; implies `solidity` and the
//! operating system's random generator). All are on by default.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod audit;
pub mod backend;
pub mod batch_bundle;
pub mod batch_verify;
pub mod bundle;
pub mod credential;
mod error;
pub mod explanation;
mod holder_secret;
mod io;
mod key_summary;
pub mod keys;
pub mod limits;
pub mod log;
mod parallel;
pub mod policy;
pub mod policy_labels;
pub mod provenance;
pub mod snarkjs;
#[cfg(feature = "solidity")]
pub mod solidity;
pub mod values;
mod verdict;
mod verify;
pub mod withdrawal;

pub use audit::{audit, audit_reader, AuditReport, Claim, Finding, FindingKind, ProofCheck};
pub use backend::{Backend, BackendError};
pub use batch_bundle::BatchBundle;
pub use batch_verify::{verify_batch_bundle, BatchVerdict, ItemVerdict};
pub use bundle::Bundle;
pub use credential::{Credential, CredentialError, HolderSecret};
pub use error::{expect_version, parse_json, FormatError, VersionMismatch};
pub use explanation::Explanation;
pub use io::{read_bytes, read_text, write_atomic};
pub use key_summary::KeySummary;
pub use keys::VerifyingKeyFile;
pub use limits::SizeLimit;
pub use log::{BatchItem, LogError, LogLine, LogLines, LogRecord, RecordedBundle, VerificationLog};
pub use policy::Policy;
pub use verdict::{Check, Verdict};
pub use verify::verify_bundle;
pub use withdrawal::Withdrawal;
