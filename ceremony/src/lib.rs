//! Groth16 keys from a multi-party ceremony, interoperating with circom and
//! snarkjs.
//!
//! A Groth16 key is sound if any one contributor to its ceremony destroyed
//! their randomness. zkcomply takes part in the circom world's ceremonies
//! rather than running a private one:
//!
//! - [`binfile`]: the iden3 binary container all four formats share.
//! - [`encoding`]: BN254 values as snarkjs stores and hashes them.
//! - [`zkey`]: snarkjs's `.zkey` (Groth16 section layout), read and written
//!   by [`zkey_file`], so zkcomply and snarkjs participants can contribute
//!   in any order; [`proving_key`] turns one into an arkworks key.
//! - [`r1cs_file`], [`wtns_file`]: circom's constraint system and witness
//!   files, so snarkjs can check and prove zkcomply's circuit.
//! - [`ptau`]: a phase-1 `.ptau`, read by offset.
//! - [`new_zkey`]: snarkjs's `zkey new`, byte for byte.
//! - [`circuit_export`]: an arkworks constraint system as `.r1cs` and
//!   `.wtns`.
//! - [`contribute`]: phase-2 contributions and beacons, as snarkjs makes
//!   them; [`verify`]: the checks of `snarkjs zkey verify`, returning the
//!   transcript's contributions and hash ([`transcript`]), with the
//!   progress of long steps reported through [`progress`].
//! - [`chacha`], [`snarkjs_rng`]: the randomness snarkjs derives keys and
//!   transcript points from, reproduced exactly.
//!
//! docs/CEREMONY.md says how a consortium runs a ceremony and what each
//! participant checks.

pub mod binfile;
pub mod chacha;
pub mod circuit_export;
pub mod contribute;
pub mod dev_phase1;
pub mod encoding;
pub mod new_zkey;
pub mod progress;
pub mod proving_key;
pub mod ptau;
pub mod r1cs_file;
pub mod snarkjs_rng;
pub mod transcript;
pub mod verify;
pub mod wtns_file;
pub mod zkey;
pub mod zkey_file;
