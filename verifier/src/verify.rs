//! Verifying a bundle against a policy and a verifying key: cheap checks
//! first, every value range-checked and recomputed before the proof is
//! verified by the key's backend.

use base64::Engine;
use std::collections::VecDeque;
use std::sync::Mutex;
use zkcomply_circuits::field::parse_fr;
use zkcomply_circuits::text::shorten;

use zkcomply_circuits::public_inputs::{PublicInputs, StatementFields, StatementValues, PUBLIC_INPUT_COUNT};
use zkcomply_circuits::{Fr, CIRCUIT_ID};

use crate::backend::{Backend, BackendError, Proof};
use crate::bundle::{Bundle, PublicValues};
use crate::key_summary::KeySummary;
use crate::keys::VerifyingKeyFile;
use crate::policy::{skew_allows_several_epochs, Policy};
use crate::provenance::ProvenanceKind;
use crate::verdict::{Check, Verdict};
use crate::withdrawal::Withdrawal;

/// The checks of one verification so far.
pub(crate) struct Run {
    pub checked: Vec<Check>,
    pub not_checked: Vec<Check>,
}

pub(crate) type Step = Result<(), (Check, String)>;

impl Run {
    pub(crate) fn pass(&mut self, c: Check) {
        self.checked.push(c);
    }
    pub(crate) fn check(&mut self, c: Check, ok: bool, why: impl FnOnce() -> String) -> Step {
        if ok {
            self.pass(c);
            Ok(())
        } else {
            Err((c, why()))
        }
    }
    pub(crate) fn optional<T>(
        &mut self,
        c: Check,
        field: &Option<T>,
        f: impl FnOnce(&T) -> Result<(), String>,
    ) -> Step {
        match field {
            None => {
                self.not_checked.push(c);
                Ok(())
            }
            Some(v) => f(v).map(|()| self.pass(c)).map_err(|m| (c, m)),
        }
    }
}

/// A bundle that passed every check but its proof's: the decoded proof and
/// public inputs, for the caller to verify alone or in a batch.
#[derive(Debug, Clone)]
pub(crate) struct PendingProof {
    /// The decoded proof.
    pub proof: Proof,
    /// The public inputs.
    pub inputs: Vec<Fr>,
    /// The `context` public input (one withdrawal's identity, for replays).
    pub context: Fr,
}

/// Parses the bundle's public inputs: exactly the expected count, each a
/// canonical decimal below `r`.
pub(crate) fn parse_public_inputs(public_inputs: &[String], expected: usize) -> Result<Vec<Fr>, (Check, String)> {
    if public_inputs.len() != expected {
        return Err((
            Check::PublicInputCount,
            format!("the verifying key takes {expected} public inputs, the bundle has {}", public_inputs.len()),
        ));
    }
    public_inputs
        .iter()
        .enumerate()
        .map(|(i, s)| parse_fr(s).map_err(|e| (Check::PublicInputRange, format!("public_inputs[{i}]: {e}"))))
        .collect()
}

/// Statements remembered by [`statement_hash`].
const STATEMENT_MEMO: usize = 16;

/// `statement_hash` of `values`, remembering the last few: an exchange or
/// an auditor checks many bundles against the same few statements (one per
/// issuer and asset while the lists do not change), and the hash is the
/// costliest check before the pairing.
fn statement_hash(values: &StatementValues) -> Fr {
    static MEMO: Mutex<VecDeque<(StatementFields, Fr)>> = Mutex::new(VecDeque::new());
    let fields = values.fields();
    if let Ok(memo) = MEMO.lock() {
        if let Some((_, hash)) = memo.iter().find(|(f, _)| *f == fields) {
            return *hash;
        }
    }
    let hash = fields.hash();
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() == STATEMENT_MEMO {
            memo.pop_front();
        }
        memo.push_back((fields, hash));
    }
    hash
}

/// Verifies `bundle` against `policy` and `vk` at unix time `at`.
pub fn verify_bundle(bundle: &Bundle, policy: &Policy, vk: &VerifyingKeyFile, at: u64) -> Verdict {
    match check_all_but_proof(bundle, policy, vk, at) {
        Precheck::Rejected { verdict, .. } => verdict,
        Precheck::Pending(mut verdict, pending) => {
            match vk.prepared.verify(&pending.proof, &pending.inputs) {
                Ok(true) => verdict.checked.push(Check::Proof),
                Ok(false) => verdict.reject(Check::Proof, &proof_does_not_verify(vk.backend())),
                Err(e @ BackendError::InputCount { .. }) => verdict.reject(Check::PublicInputCount, &e.to_string()),
                Err(e) => verdict.reject(Check::Proof, &e.to_string()),
            }
            verdict
        }
    }
}

/// What every check but the proof's says.
#[derive(Debug, Clone)]
pub(crate) enum Precheck {
    /// Every check passed: the verdict is provisionally accepted, the proof
    /// is left to verify (boxed: a proof is large beside a rejection).
    Pending(Verdict, Box<PendingProof>),
    /// A check failed: the verdict is a rejection by `check`.
    Rejected {
        /// The rejection.
        verdict: Verdict,
        /// The failed check.
        check: Check,
        /// Why.
        reason: String,
    },
}

/// The reason given for a proof that does not verify.
pub(crate) fn proof_does_not_verify(backend: Backend) -> String {
    format!("the {} proof does not verify for these public inputs", backend.proof_system())
}

/// Every check of [`verify_bundle`] except the proof's own. When all pass,
/// the decoded proof and public inputs are returned for the caller to
/// verify, alone or in a batch.
pub(crate) fn check_all_but_proof(bundle: &Bundle, policy: &Policy, vk: &VerifyingKeyFile, at: u64) -> Precheck {
    let mut run = Run { checked: Vec::new(), not_checked: Vec::new() };
    let outcome = run_checks(&mut run, bundle, policy, vk, at);
    match outcome {
        Ok(pending) => {
            let verdict = Verdict {
                accepted: true,
                failed_check: None,
                reason: None,
                checked: run.checked,
                not_checked: run.not_checked,
                key: Some(KeySummary::new(vk, policy)),
            };
            Precheck::Pending(verdict, Box::new(pending))
        }
        Err((check, reason)) => {
            let verdict = Verdict {
                accepted: false,
                failed_check: Some(check),
                reason: Some(reason.clone()),
                checked: run.checked,
                not_checked: run.not_checked,
                key: Some(KeySummary::new(vk, policy)),
            };
            Precheck::Rejected { verdict, check, reason }
        }
    }
}

fn run_checks(
    run: &mut Run,
    bundle: &Bundle,
    policy: &Policy,
    vk: &VerifyingKeyFile,
    at: u64,
) -> Result<PendingProof, (Check, String)> {
    check_key(run, &bundle.circuit_id, CIRCUIT_ID, &bundle.backend, &bundle.verifying_key_hash, policy, vk)?;

    let inputs = parse_public_inputs(&bundle.public_inputs, vk.prepared.public_input_count())?;
    run.pass(Check::PublicInputCount);
    run.pass(Check::PublicInputRange);
    let public = PublicInputs::from_field_elements(&inputs)
        .ok_or((Check::PublicInputCount, format!("this circuit has {PUBLIC_INPUT_COUNT} public inputs")))?;

    let w = &bundle.withdrawal;
    check_context(w, public.context)?;
    run.pass(Check::Context);
    let shared = SharedInputs {
        statement_hash: public.statement_hash,
        nullifier: public.nullifier,
        epoch: public.epoch,
        now: public.now,
        disclosed_jurisdiction: public.disclosed_jurisdiction,
    };
    check_public_values(run, &bundle.public, w, &shared)?;
    check_policy(run, w, &bundle.public, policy, at)?;
    let proof = decode_proof(&bundle.proof, vk)?;
    Ok(PendingProof { proof, inputs, context: public.context })
}

/// The public inputs a single and a batch proof share.
pub(crate) struct SharedInputs {
    pub statement_hash: Fr,
    pub nullifier: Fr,
    pub epoch: Fr,
    pub now: Fr,
    pub disclosed_jurisdiction: Fr,
}

/// The bundle is for `expected_circuit`, made with the key given and a
/// backend the policy accepts, and the key's provenance is one the policy
/// accepts.
pub(crate) fn check_key(
    run: &mut Run,
    circuit_id: &str,
    expected_circuit: &str,
    backend_id: &str,
    verifying_key_hash: &crate::values::HexDigest,
    policy: &Policy,
    vk: &VerifyingKeyFile,
) -> Step {
    run.check(Check::Format, circuit_id == expected_circuit, || {
        format!("bundle is for circuit {:?}; this verifier checks {expected_circuit:?}", shorten(circuit_id))
    })?;
    let backend = Backend::from_id(backend_id).map_err(|e| (Check::Backend, format!("bundle: {e}")))?;
    run.check(Check::Backend, backend == vk.backend(), || {
        format!("bundle was made with backend {backend}, but the verifying key given is for {}", vk.backend())
    })?;
    run.check(Check::PolicyBackend, policy.accepts_backend(backend), || {
        let accepted: Vec<&str> = policy.accepted_backends().iter().map(|b| b.id()).collect();
        format!("the policy accepts backends {}, not {backend}", accepted.join(", "))
    })?;
    run.check(Check::VerifyingKey, *verifying_key_hash == vk.hash() && vk.json.circuit_id == expected_circuit, || {
        format!("bundle was made for verifying key {verifying_key_hash}, but the key given is {}", vk.hash())
    })?;
    if let Some(pinned) = &policy.verifying_key_hash {
        run.check(Check::PolicyVerifyingKey, *pinned == vk.hash(), || {
            format!("policy pins verifying key {pinned}, but the key given is {}", vk.hash())
        })?;
    } else if let Some(keys) = &policy.verifying_keys {
        let listed = keys.get(&backend).map(Vec::as_slice).unwrap_or_default();
        run.check(Check::PolicyVerifyingKey, listed.contains(&vk.hash()), || match listed.len() {
            0 => format!("the policy's verifying_keys pin no key for backend {backend}"),
            _ => format!(
                "the key given ({}) is not one the policy's verifying_keys pin for backend {backend}",
                vk.hash()
            ),
        })?;
    } else {
        run.not_checked.push(Check::PolicyVerifyingKey);
    }
    check_provenance(run, policy, vk)
}

/// `context` recomputed from the clear withdrawal equals its public input.
pub(crate) fn check_context(w: &Withdrawal, context: Fr) -> Result<(), (Check, String)> {
    let fields = w.context_fields().map_err(|e| (Check::Context, format!("withdrawal cannot be encoded: {e}")))?;
    if fields.context() == context {
        Ok(())
    } else {
        Err((
            Check::Context,
            "context does not match the withdrawal in clear (chain, exchange, withdrawal id, addresses, asset or amount were edited)".into(),
        ))
    }
}

/// `statement_hash` recomputed from the clear public values, and the
/// nullifier, epoch, time and disclosure in clear, equal their public
/// inputs.
pub(crate) fn check_public_values(run: &mut Run, p: &PublicValues, w: &Withdrawal, public: &SharedInputs) -> Step {
    run.check(Check::StatementHash, statement_hash(&p.statement()) == public.statement_hash, || {
        "statement_hash does not match the public values in clear (issuer, tier, limits, roots or blocked list were edited)".into()
    })?;
    // Not disclosed is 0 in the circuit.
    let disclosed = Fr::from(p.disclosed.jurisdiction.unwrap_or(0));
    let mismatch = if p.nullifier.0 != public.nullifier {
        Some("nullifier")
    } else if Fr::from(w.epoch.0) != public.epoch {
        Some("epoch")
    } else if Fr::from(w.now.0) != public.now {
        Some("now")
    } else if disclosed != public.disclosed_jurisdiction || p.disclosed.jurisdiction == Some(0) {
        Some("disclosed jurisdiction")
    } else {
        None
    };
    if let Some(name) = mismatch {
        return Err((Check::PublicValues, format!("the {name} in clear differs from its public input")));
    }
    run.pass(Check::PublicValues);
    Ok(())
}

/// The bundle's base64 proof, decoded for the key's backend.
pub(crate) fn decode_proof(proof: &str, vk: &VerifyingKeyFile) -> Result<Proof, (Check, String)> {
    let proof_bytes = base64::engine::general_purpose::STANDARD
        .decode(proof.as_bytes())
        .map_err(|e| (Check::Proof, format!("proof is not standard padded base64: {e}")))?;
    vk.prepared.decode_proof(&proof_bytes).map_err(|e| (Check::Proof, e.to_string()))
}

/// Where the key came from: a development key only if the policy accepts
/// development keys; a key of unknown provenance (no record of its setup,
/// as a snarkjs key) or recording a ceremony (a claim its hash does not
/// bind: anyone can edit a key file's record) only if the policy accepts
/// development keys or pins that key's hash; and, when the policy pins
/// ceremony transcripts, a key recording one of them.
pub(crate) fn check_provenance(run: &mut Run, policy: &Policy, vk: &VerifyingKeyFile) -> Step {
    let provenance = vk.provenance_kind();
    let allowed = match provenance {
        ProvenanceKind::Development => policy.accepts_development_keys(),
        // Decoding checked that the key is the one this verifier's circuit
        // and the canonical parameters give: nothing to trust.
        ProvenanceKind::Transparent => true,
        ProvenanceKind::Ceremony | ProvenanceKind::Unknown => {
            policy.accepts_development_keys() || policy.pins_key(vk.backend(), &vk.hash())
        }
    };
    run.check(Check::DevelopmentKey, allowed, || match provenance {
        ProvenanceKind::Unknown => "the verifying key has no record of its setup (unknown provenance, as a snarkjs \
                                   key) and the policy neither accepts development keys nor pins its hash"
            .into(),
        ProvenanceKind::Ceremony => "the verifying key records a ceremony, which its hash does not bind, and the \
                                    policy neither pins the key's hash (verifying_key_hash, as `ceremony finalize` \
                                    prints it) nor accepts development keys"
            .into(),
        _ => "the verifying key comes from a development setup and the policy does not accept development keys".into(),
    })?;
    // Like `accept_development_keys`, a rule on keys rather than a claim:
    // left out, the check does not run and is not listed as skipped (a
    // strict policy fixes its key with `verifying_key_hash`).
    let Some(pinned) = &policy.ceremony_transcripts else { return Ok(()) };
    let outcome = match vk.transcript_hash() {
        Some(transcript) if pinned.contains(&transcript) => Ok(()),
        Some(transcript) => Err(format!(
            "the verifying key comes from ceremony {transcript}, not one the policy's ceremony_transcripts pins"
        )),
        None => Err(format!(
            "the policy accepts only keys from the ceremonies it pins, and the verifying key has no ceremony record \
             ({provenance})"
        )),
    };
    outcome.map(|()| run.pass(Check::CeremonyTranscript)).map_err(|m| (Check::CeremonyTranscript, m))
}

/// The policy's field-by-field rules (see `docs/FORMATS.md`).
pub(crate) fn check_policy(run: &mut Run, w: &Withdrawal, p: &PublicValues, policy: &Policy, at: u64) -> Step {
    run.optional(Check::Issuer, &policy.issuers, |issuers| {
        if issuers.contains(&p.issuer_public_key) {
            Ok(())
        } else {
            Err("the credential's issuer is not one the policy accepts".into())
        }
    })?;
    run.optional(Check::MinTier, &policy.min_tier, |min| {
        if p.min_tier >= *min {
            Ok(())
        } else {
            Err(format!("bundle proves tier >= {}, the policy requires >= {min}", p.min_tier))
        }
    })?;
    run.optional(Check::Limits, &policy.limits, |limits| match limits.get(&w.asset) {
        None => Err(format!("the policy sets no limits for asset {:?}", w.asset)),
        Some(pl) => match (0..4).find(|&t| p.limits[t] > pl[t]) {
            Some(t) => Err(format!(
                "bundle's tier-{t} limit {} is above the policy's {} for {}",
                p.limits[t].0, pl[t].0, w.asset
            )),
            None => Ok(()),
        },
    })?;
    let root_check = |name: &str, roots: &Vec<crate::values::FieldElement>, root: &crate::values::FieldElement| {
        if roots.contains(root) {
            Ok(())
        } else {
            Err(format!("the {name} root {root} is not one the policy accepts"))
        }
    };
    run.optional(Check::IdentityRoot, &policy.identity_sanctions_roots, |r| {
        root_check("identity sanctions", r, &p.identity_sanctions_root)
    })?;
    run.optional(Check::AddressRoot, &policy.address_sanctions_roots, |r| {
        root_check("address sanctions", r, &p.address_sanctions_root)
    })?;
    run.optional(Check::RevocationRoot, &policy.revocation_roots_for(&p.issuer_public_key), |r| {
        root_check("issuer's revocation", r, &p.revocation_root)
    })?;
    run.optional(Check::Exchange, &policy.exchange_id, |id| {
        if &w.exchange_id == id {
            Ok(())
        } else {
            Err(format!("the withdrawal is for exchange {:?}, this policy verifies for {id:?}", w.exchange_id))
        }
    })?;
    run.optional(Check::BlockedJurisdictions, &policy.blocked_jurisdictions, |blocked| {
        match blocked.iter().find(|j| !p.blocked_jurisdictions.contains(j)) {
            Some(j) => Err(format!("the policy blocks jurisdiction {j}, which the bundle does not exclude")),
            None => Ok(()),
        }
    })?;
    run.optional(Check::Clock, &policy.max_clock_skew_seconds, |skew| {
        // The policy parser refuses such a policy; one built in code is
        // held to the same rule.
        if let Some(why) = skew_allows_several_epochs(Some(*skew), policy.epoch_seconds) {
            return Err(format!("the policy's max_clock_skew_seconds: {why}"));
        }
        if w.now.0.abs_diff(at) <= *skew {
            Ok(())
        } else {
            Err(format!("bundle's now = {} is more than {skew} s from the verification time {at}", w.now.0))
        }
    })?;
    run.optional(Check::Epoch, &policy.epoch_seconds, |secs| {
        // Parsing refuses a policy with 0; one built in code may have it.
        let Some(expected) = w.now.0.checked_div(*secs) else {
            return Err("the policy's epoch_seconds is 0".into());
        };
        if w.epoch.0 == expected {
            Ok(())
        } else {
            Err(format!("epoch {} does not match now / epoch_seconds = {expected}", w.epoch.0))
        }
    })?;
    run.optional(Check::Disclosures, &policy.required_disclosures, |required| {
        if required.iter().any(|d| d == "jurisdiction") && p.disclosed.jurisdiction.is_none() {
            Err("the policy requires the jurisdiction to be disclosed".into())
        } else {
            Ok(())
        }
    })?;
    Ok(())
}
