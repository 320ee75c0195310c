//! Groth16 keys from a multi-party ceremony, interoperating with circom and
//! snarkjs.
//!
//! A Groth16 key is sound if any one contributor to its ceremony destroyed
//! their randomness. zkcomply takes part in the circom world's ceremonies
//! rather than running a private one:
//!
//! - [`zkey`]: snarkjs's `.zkey` (Groth16 section layout), read and written,
//!   so zkcomply and snarkjs participants can contribute in any order.
//! - [`transcript`]: the hashes of a phase-2 transcript.
//! - [`chacha`], [`snarkjs_rng`]: the randomness snarkjs derives keys and
//!   transcript points from, reproduced exactly.
//!
//! docs/CEREMONY.md says how a consortium runs a ceremony and what each
//! participant checks.

pub mod chacha;
pub mod snarkjs_rng;
pub mod transcript;
pub mod zkey;
