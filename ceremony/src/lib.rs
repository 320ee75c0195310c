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
//!   in any order.
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
pub mod contribute;
pub mod encoding;
pub mod progress;
pub mod snarkjs_rng;
pub mod transcript;
pub mod verify;
pub mod zkey;
pub mod zkey_file;
