//! The proof systems a bundle can be made with, behind one interface.
//!
//! A bundle and a verifying-key file name their proof system in their
//! `backend` field ([`Backend`]). Everything outside this module (policy
//! matching, the log, the audit, verdicts, the WebAssembly bindings) holds
//! keys and proofs as [`PreparedKey`] and [`Proof`] and never looks inside:
//! it decodes, verifies one proof or verifies a batch through them.
//!
//! The interface is an enum dispatch. Each backend is a sibling module that
//! implements [`ProofSystem`] (decode a key and a proof, verify one, verify
//! a batch); [`PreparedKey`] and [`Proof`] have one variant per backend and
//! forward every call to it. An enum rather than trait objects because the
//! set of backends is closed (a verifier must refuse an id it does not
//! know), batches must reach their backend with its concrete proof type
//! (no downcasting), and the keys stay `Clone`, `Debug` and free of
//! allocation.
//!
//! Adding a proof system: a module beside [`groth16`] implementing
//! [`ProofSystem`], and a variant for it in [`Backend`], [`PreparedKey`] and
//! [`Proof`] with their `match` arms in this module's files (the compiler
//! lists every one). Policy, audit and verdict code needs no edit.

mod dispatch;
mod error;
pub mod groth16;
pub mod halo2;
mod id;
mod proof_system;

pub use dispatch::{PreparedKey, Proof};
pub use error::BackendError;
pub use id::{Backend, UnknownBackend};
pub use proof_system::ProofSystem;
