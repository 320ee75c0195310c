//! Proving with the transparent backend (`halo2-ipa-bn254`).
//!
//! halo2 derives its proving key from the verifying key and the circuit
//! (`keygen_pk`); `halo2_proofs` 0.4 cannot serialise one, so a keys
//! directory holds only `verifying_key.json` (with its public parameters)
//! and the prover derives the proving key when it loads them.

use std::convert::Infallible;

use halo2_proofs::plonk::{create_proof, keygen_pk, ProvingKey};
use halo2_proofs::transcript::{Blake2bWrite, Challenge255};
use zkcomply_bn254::G1Affine;
use zkcomply_circuits::halo2::withdrawal::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_verifier::backend::halo2::{PreparedVerifyingKey, Proof};

use crate::{ProverError, ProvingError};

/// A halo2 proving key, derived from a verifying key and the circuit.
pub struct Halo2ProvingKey {
    verifying_key: PreparedVerifyingKey,
    proving_key: ProvingKey<G1Affine>,
}

impl std::fmt::Debug for Halo2ProvingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Halo2ProvingKey").field("verifying_key", &self.verifying_key).finish_non_exhaustive()
    }
}

/// The operating system's generator under the `rand_core` 0.10 traits
/// `halo2_proofs`' prover asks for.
struct OsRng;

impl rand_core_010::TryRng for OsRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(rand::RngCore::next_u32(&mut rand::rngs::OsRng))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(rand::RngCore::next_u64(&mut rand::rngs::OsRng))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, dst);
        Ok(())
    }
}

impl rand_core_010::TryCryptoRng for OsRng {}

fn halo2_error(what: &str, e: halo2_proofs::plonk::Error) -> ProverError {
    ProvingError::Halo2(format!("{what}: {e:?}")).into()
}

impl Halo2ProvingKey {
    /// Derives the proving key of the withdrawal circuit under `key`'s
    /// parameters.
    ///
    /// # Errors
    /// [`ProvingError::Halo2`] if the circuit does not fit (a bug).
    pub fn derive(key: &PreparedVerifyingKey) -> Result<Self, ProverError> {
        let proving_key = keygen_pk(key.params(), key.verifying_key().clone(), &WithdrawalCircuit::default())
            .map_err(|e| halo2_error("deriving the proving key", e))?;
        Ok(Self { verifying_key: key.clone(), proving_key })
    }

    /// The verifying key it was derived from.
    pub fn verifying_key(&self) -> &PreparedVerifyingKey {
        &self.verifying_key
    }

    /// Proves a witness. For a witness that does not satisfy the circuit
    /// the proof does not verify: check it (as `prove_bundle` does).
    ///
    /// # Errors
    /// [`ProvingError::Halo2`] when synthesis or proving fails.
    pub fn prove(&self, witness: WithdrawalWitness) -> Result<Proof, ProverError> {
        let instance = WithdrawalCircuit::instance(&witness);
        let circuit = WithdrawalCircuit::new(witness);
        let mut transcript = Blake2bWrite::<_, G1Affine, Challenge255<G1Affine>>::init(Vec::new());
        create_proof(
            self.verifying_key.params(),
            &self.proving_key,
            &[circuit],
            &[&[&instance]],
            OsRng,
            &mut transcript,
        )
        .map_err(|e| halo2_error("proving", e))?;
        let bytes = transcript.finalize();
        Proof::from_bytes(&bytes).map_err(|e| ProvingError::Halo2(e.to_string()).into())
    }
}
