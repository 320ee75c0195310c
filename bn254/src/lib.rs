//! BN254 under the traits `halo2_proofs` 0.4 is written against.
//!
//! `halo2_proofs` 0.4 takes its curves through `ff`/`group` 0.14 and the
//! `pasta_curves` 0.6 `CurveAffine`/`CurveExt` traits; no published crate
//! offers BN254 under those traits. This crate does: [`Fr`] (the scalar
//! field, the field every zkcomply circuit is written over) and [`Fq`] (the
//! base field) as `ff` prime fields, and G1 as [`G1`] (Jacobian) and
//! [`G1Affine`], with the 32-byte compressed encoding, GLV scalar
//! multiplication and RFC 9380 hashing to the curve
//! ([`hash_to_curve`]). Every operation is checked against ark-bn254 in the
//! tests.

#[macro_use]
mod field_traits;
mod fq;
mod fr;
mod g1;
pub mod hash_to_curve;

pub use fq::Fq;
pub use fr::Fr;
pub use g1::{G1Affine, G1};
