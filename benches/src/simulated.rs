//! Simulated proofs, for benchmarking the audit of large logs.
//!
//! A real proof takes about a second, so a 10,000-record log of real
//! proofs would take hours to make. [`TrapdoorKeys`] is a development setup
//! of the real withdrawal circuit that *keeps its trapdoor* (`alpha`,
//! `beta`, `gamma`, `delta`); with it, a valid-looking proof for any public
//! inputs costs three scalar multiplications:
//!
//! ```text
//! A = a·G1,  B = b·G2,  C = ((a·b − alpha·beta)/delta)·G1 − (gamma/delta)·acc
//! ```
//!
//! where `acc = gamma_abc[0] + Σ x_i·gamma_abc[i+1]`. Such proofs pass
//! Groth16 verification exactly as real ones do (same curve points, same
//! pairing equation), which is what an audit benchmark measures. They prove
//! nothing: this is why a single-party setup must never be trusted, and
//! why logs made here are labelled simulated.

use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::{Field, UniformRand};
use ark_groth16::Groth16;
use ark_relations::gr1cs::SynthesisError;
use rayon::prelude::*;
use zkcomply_circuits::encoding::nullifier;
use zkcomply_circuits::public_inputs::PublicInputs;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::{CIRCUIT_ID, TREE_DEPTH};
use zkcomply_prover::prove::assemble_bundle;
use zkcomply_prover::setup::to_verifier_key;
use zkcomply_prover::witness::ProofRequest;
use zkcomply_prover::{PolicyMismatch, ProverError};
use zkcomply_verifier::backend::groth16::{Groth16Error, Proof};
use zkcomply_verifier::bundle::Bundle;
use zkcomply_verifier::keys::VerifyingKeyFile;
use zkcomply_verifier::log::{LogRecord, GENESIS};
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::values::{Amount, SafeInt};
use zkcomply_verifier::verify_bundle;
use zkcomply_verifier::Verdict;

/// A development setup of the withdrawal circuit with its trapdoor kept.
pub struct TrapdoorKeys {
    /// The verifying key (marked as a development setup).
    pub verifying_key: VerifyingKeyFile,
    alpha: Fr,
    beta: Fr,
    gamma: Fr,
    delta: Fr,
}

impl TrapdoorKeys {
    /// Runs the setup of the real circuit with trapdoor values drawn here.
    ///
    /// # Errors
    /// [`SimulationError::Setup`] when the setup fails.
    pub fn generate<R: rand::RngCore + rand::CryptoRng>(rng: &mut R) -> Result<Self, SimulationError> {
        let mut nonzero = || loop {
            let x = Fr::rand(rng);
            if x != Fr::from(0u64) {
                return x;
            }
        };
        let (alpha, beta, gamma, delta) = (nonzero(), nonzero(), nonzero(), nonzero());
        let circuit = WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) };
        let pk = Groth16::<Bn254>::generate_parameters_with_qap(
            circuit,
            alpha,
            beta,
            gamma,
            delta,
            G1Projective::generator(),
            G2Projective::generator(),
            rng,
        )
        .map_err(SimulationError::Setup)?;
        let verifying_key = VerifyingKeyFile::new(&to_verifier_key(&pk.vk), CIRCUIT_ID, true);
        Ok(Self { verifying_key, alpha, beta, gamma, delta })
    }

    /// A proof that verifies for `inputs` under [`TrapdoorKeys::verifying_key`].
    ///
    /// # Errors
    /// [`SimulationError::Inputs`] for a wrong number of inputs.
    pub fn simulate<R: rand::RngCore>(&self, inputs: &[Fr], rng: &mut R) -> Result<Proof, SimulationError> {
        let key = self.verifying_key.prepared.as_groth16().ok_or(SimulationError::NotGroth16)?;
        let acc = key.prepare_inputs(inputs)?;
        let (a, b) = (Fr::rand(rng), Fr::rand(rng));
        let delta_inv = self.delta.inverse().expect("delta is drawn nonzero");
        let c =
            G1Projective::generator() * ((a * b - self.alpha * self.beta) * delta_inv) - acc * (self.gamma * delta_inv);
        Ok(Proof {
            a: (G1Projective::generator() * a).into_affine(),
            b: (G2Projective::generator() * b).into_affine(),
            c: c.into_affine(),
        })
    }
}

/// Why a simulated log cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SimulationError {
    /// The request does not fit its policy.
    #[error(transparent)]
    Prover(#[from] ProverError),
    /// The trapdoor setup failed.
    #[error("keys: {0}")]
    Setup(SynthesisError),
    /// Public inputs of the wrong count.
    #[error("proving failed: {0}")]
    Inputs(#[from] Groth16Error),
    /// The verifying key is not a Groth16 key (only Groth16 proofs can be
    /// simulated with a trapdoor).
    #[error("the verifying key is not a Groth16 key")]
    NotGroth16,
    /// A simulated bundle was not accepted (a bug here, not in the audit).
    #[error("simulated record {index} was rejected: {:?}: {}", .verdict.failed_check, .verdict.reason.as_deref().unwrap_or("no reason given"))]
    Rejected {
        /// The record.
        index: usize,
        /// Its verdict.
        verdict: Box<Verdict>,
    },
    /// A record that cannot be written as JSON.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// A simulated log: its JSONL text and the policy its records pass.
pub struct SimulatedLog {
    /// The log, one record per line.
    pub text: String,
    /// The exchange's policy, pinned to the trapdoor keys.
    pub policy: Policy,
}

/// Makes a log of `records` distinct accepted withdrawals spread over
/// `holders` holders (distinct secrets, so distinct nullifiers), one every
/// `spacing_seconds` from the request's withdrawal time, each with a
/// simulated proof, every record verified (pairing included) before it is
/// written and chained as `zkcomply-verify verify --log` would.
///
/// # Errors
/// [`SimulationError`] when the request does not fit its policy, or when a
/// simulated bundle is not accepted (a bug here, not in the audit).
pub fn simulated_log<R: rand::RngCore + rand::CryptoRng>(
    request: &ProofRequest,
    keys: &TrapdoorKeys,
    records: usize,
    holders: usize,
    spacing_seconds: u64,
    rng: &mut R,
) -> Result<SimulatedLog, SimulationError> {
    let mut policy = request.policy.clone();
    policy.verifying_key_hash = Some(keys.verifying_key.hash());
    let epoch_seconds = policy.epoch_seconds.unwrap_or(86_400);
    let statement = request.inputs()?.statement();
    let statement_hash = statement.hash();
    let secrets: Vec<Fr> = (0..holders.max(1)).map(|_| Fr::rand(rng)).collect();
    let base = &request.withdrawal;
    let disclosed = policy.requires_jurisdiction_disclosure().then_some(request.credential.attributes.jurisdiction);
    // Bundles and verdicts in parallel (each verified, pairing included),
    // then chained in order.
    let made: Vec<Result<(Bundle, Verdict), SimulationError>> = (0..records)
        .into_par_iter()
        .map(|i| {
            let mut rng = rand::rngs::OsRng;
            let mut w = base.clone();
            w.withdrawal_id = format!("sim-{i:06}");
            w.amount = Amount(w.amount.0 + i as u128);
            w.now = SafeInt(base.now.0 + i as u64 * spacing_seconds);
            w.epoch = SafeInt(w.now.0 / epoch_seconds);
            let fields = w.context_fields().map_err(|e| ProverError::from(PolicyMismatch::from(e)))?;
            let public = PublicInputs {
                statement_hash,
                context: fields.context(),
                nullifier: nullifier(secrets[i % secrets.len()], fields.exchange_key, w.epoch.0),
                epoch: Fr::from(w.epoch.0),
                now: Fr::from(w.now.0),
                disclosed_jurisdiction: Fr::from(disclosed.unwrap_or(0)),
            };
            let proof = keys.simulate(&public.to_field_elements(), &mut rng)?;
            let bundle = assemble_bundle(&w, disclosed, &statement, &public, &proof.into(), keys.verifying_key.hash());
            let verdict = verify_bundle(&bundle, &policy, &keys.verifying_key, w.now.0);
            if !verdict.accepted {
                return Err(SimulationError::Rejected { index: i, verdict: Box::new(verdict) });
            }
            Ok((bundle, verdict))
        })
        .collect();
    let entries = made.into_iter().map(|m| m.map(|(bundle, verdict)| (bundle.withdrawal.now.0, bundle, verdict)));
    Ok(SimulatedLog { text: chain_log(entries)?, policy })
}

/// The JSONL text of a verification log holding `entries` (verification
/// time, bundle, verdict) in order, chained as `zkcomply-verify verify
/// --log` chains them.
///
/// # Errors
/// The first error among `entries`.
pub fn chain_log(
    entries: impl IntoIterator<Item = Result<(u64, Bundle, Verdict), SimulationError>>,
) -> Result<String, SimulationError> {
    let mut text = String::new();
    let mut prev = GENESIS;
    for (seq, entry) in entries.into_iter().enumerate() {
        let (time, bundle, verdict) = entry?;
        let record = LogRecord::new(seq as u64, time, &bundle, &verdict, prev);
        prev = record.hash;
        text.push_str(&serde_json::to_string(&record)?);
        text.push('\n');
    }
    Ok(text)
}
