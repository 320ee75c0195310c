//! Proving: a checked witness and the proving key become a proof bundle,
//! which the prover verifies itself before handing it out. The keys'
//! manifest says which proof system (Groth16 or halo2) and, for Groth16,
//! which R1CS-to-QAP reduction the key needs (libsnark's for `zkcomply
//! setup` keys, circom's for ceremony keys).

use ark_bn254::Fr;
use ark_ff::UniformRand;
use ark_groth16::r1cs_to_qap::LibsnarkReduction;
use base64::Engine;
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::public_inputs::{PublicInputs, StatementValues};
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::CIRCUIT_ID;
use zkcomply_verifier::backend::{groth16, Backend, Proof};
use zkcomply_verifier::bundle::{Bundle, Disclosed, PublicValues, BUNDLE_V1};
use zkcomply_verifier::values::{Amount, FieldElement, HexDigest, PointJson, SafeInt};
use zkcomply_verifier::withdrawal::Withdrawal;

use crate::circom_qap::CircomReduction;
use crate::groth16_prover;
use crate::reduction::Reduction;
use crate::setup::{KeysDir, ProverKey};
use crate::witness::ProofRequest;
use crate::{ProverError, ProvingError};

/// Proves a witness that satisfies the circuit, as one from
/// [`zkcomply_circuits::withdrawal::WithdrawalInputs::build`] does, with
/// [`groth16_prover`] or halo2 as the keys say. For any other witness the
/// proof does not verify: use [`prove_bundle`], which checks every row
/// first and verifies its own proof.
///
/// # Errors
/// [`ProverError::Proving`] when synthesis or proving fails.
pub fn prove_witness_unchecked(keys: &KeysDir, witness: WithdrawalWitness) -> Result<Proof, ProverError> {
    match &keys.prover {
        ProverKey::Groth16(proving_key) => {
            let synthesized = groth16_prover::synthesize(WithdrawalCircuit { witness })?;
            groth16_proof(keys.manifest.reduction, proving_key, synthesized)
        }
        ProverKey::Halo2(proving_key) => Ok(proving_key.prove(witness)?.into()),
    }
}

/// A Groth16 proof of a synthesised circuit, with fresh blinding scalars.
pub(crate) fn groth16_proof(
    reduction: Reduction,
    proving_key: &ark_groth16::ProvingKey<ark_bn254::Bn254>,
    synthesized: groth16_prover::Synthesized,
) -> Result<Proof, ProverError> {
    let mut rng = rand::rngs::OsRng;
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    // The key's own reduction (the manifest's): with the other, the proof
    // does not verify.
    let (proof, _phases) = match reduction {
        Reduction::Libsnark => groth16_prover::prove_synthesized::<LibsnarkReduction>(proving_key, synthesized, r, s),
        Reduction::Circom => groth16_prover::prove_synthesized::<CircomReduction>(proving_key, synthesized, r, s),
    }?;
    Ok(groth16::Proof { a: proof.a, b: proof.b, c: proof.c }.into())
}

/// A request whose statement holds: every row checked natively, the
/// witness built. [`CheckedRequest::new`] needs no keys, so a caller can
/// refuse a false statement while the keys load.
pub struct CheckedRequest<'a> {
    request: &'a ProofRequest,
    statement: StatementValues,
    witness: WithdrawalWitness,
}

impl<'a> CheckedRequest<'a> {
    /// Checks `request` and builds its witness.
    ///
    /// # Errors
    /// [`ProverError`] with the reason the withdrawal cannot be proved.
    pub fn new(request: &'a ProofRequest) -> Result<Self, ProverError> {
        let inputs = request.inputs()?;
        let statement = inputs.statement();
        let witness = inputs.build()?;
        Ok(Self { request, statement, witness })
    }

    /// Makes the witness ready for `backend`'s keys: for Groth16 the
    /// circuit synthesised, which needs no key, so it can run while the
    /// keys load.
    ///
    /// # Errors
    /// [`ProverError::Proving`] when synthesis fails.
    pub fn prepare(self, backend: Backend) -> Result<PreparedRequest<'a>, ProverError> {
        let CheckedRequest { request, statement, witness } = self;
        let public = witness.public;
        let witness = match backend {
            Backend::Groth16Bn254 => {
                PreparedWitness::Groth16(Box::new(groth16_prover::synthesize(WithdrawalCircuit { witness })?))
            }
            // halo2, the one other backend: its prover takes the witness.
            _ => PreparedWitness::Halo2(Box::new(witness)),
        };
        Ok(PreparedRequest { request, statement, public, witness })
    }
}

/// The witness made ready for one proof system.
enum PreparedWitness {
    Groth16(Box<groth16_prover::Synthesized>),
    Halo2(Box<WithdrawalWitness>),
}

impl PreparedWitness {
    fn backend(&self) -> Backend {
        match self {
            PreparedWitness::Groth16(_) => Backend::Groth16Bn254,
            PreparedWitness::Halo2(_) => Backend::Halo2IpaBn254,
        }
    }
}

/// A checked request made ready for one proof system's keys
/// ([`CheckedRequest::prepare`]).
pub struct PreparedRequest<'a> {
    request: &'a ProofRequest,
    statement: StatementValues,
    public: PublicInputs,
    witness: PreparedWitness,
}

/// Checks the request, proves it and returns a bundle that verifies under
/// the keys' verifying key.
///
/// # Errors
/// [`ProverError`] with the reason the withdrawal cannot be proved.
pub fn prove_bundle(request: &ProofRequest, keys: &KeysDir) -> Result<Bundle, ProverError> {
    prove_checked(CheckedRequest::new(request)?, keys)
}

/// Proves a checked request and returns a bundle that verifies under the
/// keys' verifying key.
///
/// # Errors
/// [`ProverError::Proving`] when proving fails or the proof does not
/// verify.
pub fn prove_checked(checked: CheckedRequest<'_>, keys: &KeysDir) -> Result<Bundle, ProverError> {
    prove_prepared(checked.prepare(keys.backend())?, keys)
}

/// Proves a prepared request and returns a bundle that verifies under the
/// keys' verifying key.
///
/// # Errors
/// [`ProvingError::OtherBackend`] when the request was prepared for
/// another proof system than the keys'; otherwise as [`prove_checked`].
pub fn prove_prepared(prepared: PreparedRequest<'_>, keys: &KeysDir) -> Result<Bundle, ProverError> {
    let PreparedRequest { request, statement, public, witness } = prepared;
    let proof = match (witness, &keys.prover) {
        (PreparedWitness::Groth16(synthesized), ProverKey::Groth16(proving_key)) => {
            groth16_proof(keys.manifest.reduction, proving_key, *synthesized)?
        }
        (PreparedWitness::Halo2(witness), ProverKey::Halo2(proving_key)) => proving_key.prove(*witness)?.into(),
        (witness, _) => {
            return Err(ProvingError::OtherBackend { prepared: witness.backend(), keys: keys.backend() }.into())
        }
    };
    let inputs_fr = public.to_field_elements();
    if !keys.verifying_key.prepared.verify(&proof, &inputs_fr).unwrap_or(false) {
        return Err(ProvingError::DoesNotVerify.into());
    }
    let disclosed_jurisdiction =
        request.policy.requires_jurisdiction_disclosure().then_some(request.credential.attributes.jurisdiction);
    Ok(assemble_bundle(
        &request.withdrawal,
        disclosed_jurisdiction,
        &statement,
        &public,
        &proof,
        keys.verifying_key.hash(),
    ))
}

/// The bundle for `withdrawal` carrying `proof` for `public`: the clear
/// public values, the packed public inputs and the proof. Checks nothing;
/// [`prove_bundle`] calls it after verifying its own proof.
pub fn assemble_bundle(
    withdrawal: &Withdrawal,
    disclosed_jurisdiction: Option<u16>,
    statement: &StatementValues,
    public: &PublicInputs,
    proof: &Proof,
    verifying_key_hash: HexDigest,
) -> Bundle {
    Bundle {
        version: BUNDLE_V1.into(),
        backend: proof.backend().id().into(),
        circuit_id: CIRCUIT_ID.into(),
        verifying_key_hash,
        created_at: SafeInt(crate::unix_now()),
        withdrawal: withdrawal.clone(),
        public: public_values(statement, public.nullifier, disclosed_jurisdiction),
        public_inputs: public.to_field_elements().iter().map(fr_to_decimal).collect(),
        proof: base64::engine::general_purpose::STANDARD.encode(proof.to_bytes()),
    }
}

/// A bundle's named public values (a single bundle's or a batch's): the
/// statement's values, the nullifier and the disclosure, in clear.
pub(crate) fn public_values(
    statement: &StatementValues,
    nullifier: Fr,
    disclosed_jurisdiction: Option<u16>,
) -> PublicValues {
    PublicValues {
        issuer_public_key: PointJson::from_point(&statement.issuer),
        min_tier: statement.min_tier,
        limits: statement.limits.map(Amount),
        identity_sanctions_root: FieldElement(statement.identity_root),
        address_sanctions_root: FieldElement(statement.address_root),
        revocation_root: FieldElement(statement.revocation_root),
        blocked_jurisdictions: statement.blocked_jurisdictions,
        nullifier: FieldElement(nullifier),
        disclosed: Disclosed { jurisdiction: disclosed_jurisdiction },
    }
}
