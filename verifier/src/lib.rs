//! zkcomply's verifier: the formats every party exchanges (credential,
//! withdrawal, policy, proof bundle, verifying key), policy matching, and
//! Groth16 verification over BN254.
//!
//! This crate contains no proving or constraint code: it builds on the
//! native half of `zkcomply-circuits` and on `ark-ec` pairings only, so the
//! browser package and the command-line verifier stay small.
//!
//! ```no_run
//! use zkcomply_verifier::{bundle::Bundle, keys::VerifyingKeyFile, policy::Policy, verify::verify_bundle};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bundle = Bundle::from_json(&std::fs::read_to_string("bundle.json")?)?;
//! let policy = Policy::from_json(&std::fs::read_to_string("policy.json")?)?;
//! let vk = VerifyingKeyFile::from_json(&std::fs::read_to_string("verifying_key.json")?)?;
//! let verdict = verify_bundle(&bundle, &policy, &vk, 1_763_900_000);
//! println!("{}", if verdict.accepted { "accepted" } else { "rejected" });
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod audit;
pub mod bundle;
pub mod credential;
pub mod error;
pub mod g2_subgroup;
pub mod groth16;
pub mod holder_secret;
pub mod io;
pub mod keys;
pub mod log;
pub mod parallel;
pub mod policy;
pub mod solidity;
pub mod values;
pub mod verdict;
pub mod verify;
pub mod withdrawal;

pub use error::FormatError;

/// The proving backend id written in bundles and key files.
pub const BACKEND: &str = "groth16-bn254";
