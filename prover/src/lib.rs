//! zkcomply's native prover and the tools of the parties that feed it:
//! holders ([`holder`]), issuers ([`issuer`]), list publishers
//! ([`lists`], [`tree_file`]), Groth16 key generation ([`setup`]), keys
//! from a ceremony ([`finalize`], proving with snarkjs's reduction
//! [`circom_qap`] as the manifest's [`reduction`] says), witness
//! building from the formats ([`witness`]), proving ([`prove`]) and the
//! end-to-end demonstration ([`demo`]).
//!
//! ```no_run
//! use zkcomply_prover::{prove::prove_bundle, setup::KeysDir, witness::ProofRequest};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let keys = KeysDir::load("keys".as_ref())?;
//! let request = ProofRequest::load(
//!     "credential.json".as_ref(), "withdrawal.json".as_ref(), "policy.json".as_ref(),
//!     "identity_tree.json".as_ref(), "address_tree.json".as_ref(), "revocation_tree.json".as_ref(),
//! )?;
//! let bundle = prove_bundle(&request, &keys)?;
//! std::fs::write("bundle.json", bundle.to_json())?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod batch;
pub mod circom_qap;
mod clock;
pub mod demo;
pub mod error;
pub mod finalize;
pub mod glv;
pub mod groth16_prover;
pub mod halo2_prover;
pub mod holder;
pub mod issuer;
mod json_file;
pub mod layout;
pub mod lists;
pub mod msm;
pub mod prove;
pub mod reduction;
pub mod setup;
pub mod tree_file;
pub mod tree_kind;
pub mod witness;

pub use clock::unix_now;
pub use error::{DemoFailure, KeyError, PolicyMismatch, ProverError, ProvingError, TreeError};
pub use json_file::write_json;
pub use prove::prove_bundle;
pub use setup::KeysDir;
pub use witness::ProofRequest;
