//! The zkcomply withdrawal statement over the BN254 scalar field.
//!
//! Every primitive lives in its own module with the native (out-of-circuit)
//! implementation beside its constraint gadget (`constraints`, behind the
//! `r1cs` feature). The native code is the specification: each gadget has
//! tests that say it computes the same values.
//!
//! - [`field`]: strict parsing and printing of field elements;
//! - [`poseidon`]: Poseidon exactly as circomlib defines it (1..=12 inputs);
//! - [`babyjubjub`]: the Baby Jubjub curve in circomlib's coordinates;
//! - [`eddsa`]: EdDSA-Poseidon as circomlib/circomlibjs define it;
//! - [`imt`]: indexed Merkle trees and their non-membership proofs;
//! - `range` (with the `r1cs` feature): range checks and comparisons
//!   (gadgets only);
//! - [`encoding`]: the normative encodings (`str_key`, address keys,
//!   identities, `context`, `nullifier`);
//! - [`statement`]: the statement `statement_hash` commits to, with named
//!   fields and the one mapping to and from its field elements;
//! - [`public_inputs`]: the Groth16 public inputs and their one packing
//!   into field elements;
//! - [`withdrawal`]: the witness and (with `r1cs`) the Groth16 circuit;
//! - [`batch`]: up to 16 withdrawals of one holder in one proof: the
//!   witness, public inputs and (with `r1cs`) the Groth16 circuit;
//! - `halo2` (with the `halo2` feature): the same statement as PLONKish
//!   chips for `halo2_proofs`, each with a native twin in the modules above;
//! - [`cpu_features`]: the CPU features a build was compiled for, checked
//!   at start-up by the shipped binaries;
//! - [`text`]: values quoted in messages, shortened on a character
//!   boundary.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod babyjubjub;
pub mod batch;
pub mod cpu_features;
pub mod eddsa;
pub mod encoding;
pub mod field;
#[cfg(feature = "halo2")]
pub mod halo2;
pub mod imt;
pub mod poseidon;
pub mod public_inputs;
#[cfg(feature = "r1cs")]
pub mod range;
pub mod statement;
pub mod text;
pub mod withdrawal;

pub use ark_bn254::Fr;

/// Depth of every indexed Merkle tree in the default circuit (about a
/// million entries).
pub const TREE_DEPTH: usize = 20;

/// Identifier of the circuit this crate builds: changes whenever the
/// statement, its encodings or its public-input packing change.
pub const CIRCUIT_ID: &str = "zkcomply/withdrawal/v1/depth-20";
