//! snarkjs's JSON formats for Groth16 over BN254 (`bn128` in snarkjs):
//! `verification_key.json` read and written ([`verification_key`]),
//! `proof.json` and `public.json` written from a bundle ([`proof`]), so
//! that `snarkjs groth16 verify` and snarkjs's Solidity verifier check
//! zkcomply's proofs, and zkcomply verifies against snarkjs's keys.
//!
//! Coordinates are canonical decimal strings, points are snarkjs's affine
//! triples (`[x, y, "1"]`; G2 as `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`),
//! [`coordinates`].

pub mod coordinates;
pub mod proof;
pub mod verification_key;

/// The `protocol` field of snarkjs's Groth16 documents.
pub const PROTOCOL: &str = "groth16";
/// The `curve` field: snarkjs's name for BN254.
pub const CURVE: &str = "bn128";
