//! BN254 under the traits `halo2_proofs` 0.4 is written against.
//!
//! `halo2_proofs` 0.4 takes its curves through `ff`/`group` 0.14 and the
//! `pasta_curves` 0.6 `CurveAffine`/`CurveExt` traits; no published crate
//! offers BN254 under those traits. This crate does: [`Fr`] (the scalar
//! field, the field every zkcomply circuit is written over) and [`Fq`] (the
//! base field) as `ff` prime fields (newtypes over ark-bn254's fields, whose
//! `Debug` is the `0x`-prefixed hex `halo2_proofs`' MockProver reads), and
//! G1 as [`G1`] (Jacobian) and [`G1Affine`] (newtypes over ark-bn254's
//! points, with ark-ec's formulas), with the 32-byte compressed encoding,
//! GLV scalar multiplication and RFC 9380 hashing to the curve
//! ([`hash_to_curve`]). Every operation is checked against ark-bn254 in the
//! tests.
//!
//! # Constant time
//!
//! A halo2 prover's secrets (witness values and blinding factors) pass
//! through field arithmetic (polynomial evaluation, FFTs, inversions) and
//! through multi-scalar multiplications as scalars. What this crate does with
//! them:
//!
//! * **Field arithmetic** ([`Fr`], [`Fq`]) is ark-ff's Montgomery
//!   arithmetic, which does not promise constant time. Addition,
//!   subtraction, doubling and multiplication run the same instructions for
//!   every value except a final conditional subtraction of the modulus (and,
//!   in subtraction, a conditional addition of it), which are branches on the
//!   values; negation branches on zero. Inversion ([`ff::Field::invert`]) and
//!   square roots are fixed exponentiations (the same sequence of
//!   multiplications for every input, `ff`'s constant-time Tonelli-Shanks for
//!   [`Fr`]), each multiplication with that branch; `VartimeField`'s
//!   `invert_vartime` is the same exponentiation, since `halo2_proofs` calls
//!   it on values derived from the witness. Equality, selection and
//!   `is_zero` use `subtle`; `to_repr` is a Montgomery reduction with the
//!   same final branch, and ordering compares limbs in variable time.
//! * **Point arithmetic** ([`G1`] `+`, `-`, `double`) is ark-ec's: addition
//!   and mixed addition branch on whether an input is the identity and on
//!   whether the inputs are equal (the formulas are not complete), and
//!   doubling branches on the identity.
//! * **Conversion to affine**: `to_affine` and `batch_normalize` invert by
//!   the fixed exponentiation above. `to_affine_vartime` and
//!   `batch_normalize_vartime`, which `halo2_proofs` applies to the
//!   commitments it puts in a proof, use ark-ff's binary extended Euclidean
//!   algorithm, whose running time depends on the `Z` coordinates (and so
//!   on how a point was computed, not only on the point).
//! * **Scalar multiplication** (`G1 * Fr`, [`G1::mul_vartime`]) is variable
//!   time in the scalar: the GLV decomposition and the non-adjacent-form
//!   digits decide which additions happen and which table entries are read.
//! * **Encoding, decoding and hashing to the curve** are variable time; they
//!   are applied to public data (proof points, keys, parameter generators).
//!
//! `halo2_proofs`' own multi-scalar multiplication (`best_multiexp`, where
//! every commitment to witness data is made) sorts points into buckets by the
//! scalars' digits, so its memory accesses depend on the secret scalars
//! whatever the curve below does; a constant-time curve would not make the
//! prover constant time.
//!
//! What this means for a server-side prover: an attacker who can measure the
//! prover's timing or cache behaviour precisely (a process sharing the CPU or
//! its caches, such as a co-tenant on the same host) may learn about the
//! witness. An attacker who only sees the response time of a whole proof over
//! the network sees the sum of millions of these operations, whose variation
//! is small against the total; no practical attack of that kind is known,
//! but none is ruled out either. Run the prover on hardware not shared with
//! untrusted code.

mod field;
mod fq;
mod fr;
mod g1;
pub mod hash_to_curve;

pub use fq::Fq;
pub use fr::Fr;
pub use g1::{G1Affine, G1};
