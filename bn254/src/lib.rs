//! BN254 under the traits `halo2_proofs` 0.4 is written against.
//!
//! `halo2_proofs` 0.4 takes its curves through `ff`/`group` 0.14 and the
//! `pasta_curves` 0.6 `CurveAffine`/`CurveExt` traits; no published crate
//! offers BN254 under those traits. This crate does: [`Fr`] (the scalar
//! field, the field every zkcomply circuit is written over) and [`Fq`] (the
//! base field) as `ff` prime fields. Every value is checked against
//! ark-bn254 in the tests.

#[macro_use]
mod field_traits;
mod fq;
mod fr;

pub use fq::Fq;
pub use fr::Fr;
