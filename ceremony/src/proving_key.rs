//! A [`Zkey`] as an arkworks Groth16 proving key.
//!
//! The fields map one to one, as ark-circom reads a `.zkey`: `a_query` =
//! A, `b_g1_query` = B1, `b_g2_query` = B2, `l_query` = C, `h_query` = H,
//! `gamma_abc_g1` = IC, and the header's points.
//!
//! snarkjs's H points are not arkworks's: they are the odd `2n`-th roots'
//! Lagrange basis (over delta), not `tau^i·Z(tau)/delta`. A proof made with
//! this key must compute `h` with circom's QAP reduction (ark-circom's
//! `CircomReduction`: the quotient evaluated on the odd coset), not
//! arkworks's default `LibsnarkReduction`; verification is unaffected.

use ark_bn254::Bn254;
use ark_groth16::{ProvingKey, VerifyingKey};

use crate::zkey::Zkey;

impl Zkey {
    /// The key as an arkworks proving key (see the module's note on H).
    #[must_use]
    pub fn proving_key(&self) -> ProvingKey<Bn254> {
        let h = &self.header;
        ProvingKey {
            vk: self.verifying_key(),
            beta_g1: h.beta_g1,
            delta_g1: h.delta_g1,
            a_query: self.a.clone(),
            b_g1_query: self.b_g1.clone(),
            b_g2_query: self.b_g2.clone(),
            h_query: self.h.clone(),
            l_query: self.c.clone(),
        }
    }

    /// The key's verifying key: the header's points and IC.
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey<Bn254> {
        let h = &self.header;
        VerifyingKey {
            alpha_g1: h.alpha_g1,
            beta_g2: h.beta_g2,
            gamma_g2: h.gamma_g2,
            delta_g2: h.delta_g2,
            gamma_abc_g1: self.ic.clone(),
        }
    }
}
