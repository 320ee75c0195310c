//! A rejection in plain words: what failed, said for the operator who
//! decides on the deposit, and what they can do about it.

use serde::Serialize;

use super::units;
use crate::bundle::Bundle;
use crate::policy::{skew_allows_several_epochs, Policy};
use crate::provenance::ProvenanceKind;
use crate::verdict::{Check, Verdict};

/// Why a bundle was rejected, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The failed check's id (as the verdict's `failed_check`).
    pub check: Check,
    /// What failed, as a sentence.
    pub what_failed: String,
    /// What the operator can do about it.
    pub what_to_do: String,
}

/// The advice for a bundle that was tampered with or made by faulty
/// software.
const DO_NOT_CREDIT_ALTERED: &str = "Do not credit the deposit. The bundle was altered after it was made, or made by \
                                     faulty software: ask the sender's wallet for a new proof, and tell your \
                                     compliance team if it happens again.";

/// The rejection by `check` (of `verdict`) of `bundle` under `policy` at
/// `at`.
pub fn explain(check: Check, bundle: &Bundle, policy: &Policy, verdict: &Verdict, at: u64) -> Rejection {
    let w = &bundle.withdrawal;
    let p = &bundle.public;
    let labels = policy.labels.as_ref();
    let (what_failed, what_to_do): (String, String) = match check {
        Check::Format => (
            "The bundle is for another circuit than the one this verifier checks.".into(),
            "Do not credit the deposit. Ask the sender for a zkcomply withdrawal proof.".into(),
        ),
        Check::Backend => (
            format!(
                "The bundle was made with proof system {:?}, which is not the verifying key's (or not one this \
                 verifier knows).",
                units::short(&bundle.backend)
            ),
            "Load the exchange's verifying key for the bundle's proof system, or ask the sender for a proof made \
             with the exchange's."
                .into(),
        ),
        Check::PolicyBackend => (
            format!("The policy does not accept proofs made with {}.", bundle.backend),
            "Ask the sender for a proof with a proof system the policy accepts. Only your compliance team should \
             widen the policy."
                .into(),
        ),
        Check::VerifyingKey => (
            "The bundle was made for another verifying key than the one loaded here.".into(),
            "Check that this page has the exchange's current verifying key. If it does, ask the sender to prove \
             again with it."
                .into(),
        ),
        Check::PolicyVerifyingKey => (
            "The verifying key loaded here is not one the policy pins.".into(),
            "Load the verifying key the policy names (its hash is in the policy). A key the policy does not pin \
             cannot be trusted to reject forged proofs."
                .into(),
        ),
        Check::DevelopmentKey => (
            match verdict.key.as_ref().map(|k| k.provenance) {
                Some(ProvenanceKind::Development) => {
                    "The verifying key comes from a development setup, and the policy does not accept development \
                     keys."
                }
                Some(ProvenanceKind::Ceremony) => {
                    "The verifying key says it comes from a ceremony, a record its hash does not bind, and the \
                     policy neither pins the key nor accepts development keys."
                }
                _ => {
                    "The verifying key has no record of its setup, and the policy neither pins the key nor accepts \
                     development keys."
                }
            }
            .into(),
            "Use keys from a trusted-setup ceremony (or the transparent backend) whose hash the policy pins. \
             Whoever made a development key can forge proofs with it."
                .into(),
        ),
        Check::CeremonyTranscript => (
            "The verifying key does not come from a ceremony the policy accepts.".into(),
            "Load the key from the ceremony the policy pins, or have your compliance team review the new \
             ceremony's transcript before the policy accepts it."
                .into(),
        ),
        Check::PublicInputCount | Check::PublicInputRange => {
            ("The proof's public inputs are malformed.".into(), DO_NOT_CREDIT_ALTERED.into())
        }
        Check::Context => (
            "The withdrawal shown is not the one the proof was made for: its chain, exchange, withdrawal id, an \
             address, the asset or the amount was changed."
                .into(),
            "Do not credit the deposit. Ask the sender for a proof of this exact withdrawal.".into(),
        ),
        Check::StatementHash => (
            "The claims shown (issuer, tier, limits, lists or blocked jurisdictions) are not the ones the proof \
             was made for."
                .into(),
            DO_NOT_CREDIT_ALTERED.into(),
        ),
        Check::PublicValues => (
            "The nullifier, epoch, time or disclosed jurisdiction shown is not the one the proof was made for.".into(),
            DO_NOT_CREDIT_ALTERED.into(),
        ),
        Check::Issuer => (
            format!(
                "The credential's issuer ({}) is not one the policy accepts.",
                labels
                    .and_then(|l| l.issuer_name(&p.issuer_public_key))
                    .map_or_else(|| units::short(&p.issuer_public_key.0.to_string()), str::to_string)
            ),
            "The sender needs a credential from an issuer the policy accepts. Only your compliance team should add \
             an issuer to the policy."
                .into(),
        ),
        Check::MinTier => (
            format!(
                "The proof shows KYC tier {} or higher; the policy requires tier {} or higher.",
                p.min_tier,
                // The check runs only when the policy sets a minimum.
                policy.min_tier.unwrap_or_default()
            ),
            "The sender must complete a higher KYC tier with their issuer, then prove again.".into(),
        ),
        Check::Limits => match policy.limits.as_ref().and_then(|l| l.get(&w.asset)) {
            None => (
                format!("The policy sets no withdrawal limits for {}.", w.asset),
                "Deposits of this asset cannot be approved under this policy; ask your compliance team.".into(),
            ),
            Some(_) => (
                format!("The proof used withdrawal limits for {} above the policy's.", w.asset),
                "Ask the sender to prove again under the exchange's current limits.".into(),
            ),
        },
        Check::IdentityRoot => stale_list("identity sanctions list"),
        Check::AddressRoot => stale_list("address sanctions list"),
        Check::RevocationRoot if policy.revocation_roots_for(&p.issuer_public_key).is_some_and(|r| r.is_empty()) => (
            "The policy lists no revocation root for the credential's issuer, so its credentials cannot be checked \
             for revocation."
                .into(),
            "Ask your compliance team to add the issuer's current revocation root to the policy (revocation_roots, \
             or issuer_revocation_roots for several issuers)."
                .into(),
        ),
        Check::RevocationRoot => stale_list("issuer's revocation list"),
        Check::Exchange => (
            format!(
                "The withdrawal is addressed to exchange {:?}, not this one ({:?}).",
                units::short(&w.exchange_id),
                // The check runs only when the policy names its exchange.
                policy.exchange_id.as_deref().unwrap_or_default()
            ),
            "Do not credit the deposit here: its limits and per-epoch cap are counted for the other exchange. Ask \
             the sender for a proof naming this exchange."
                .into(),
        ),
        Check::BlockedJurisdictions => {
            let missing: Vec<String> = policy
                .blocked_jurisdictions
                .iter()
                .flatten()
                .filter(|j| !p.blocked_jurisdictions.contains(j))
                .map(|j| units::jurisdiction(*j))
                .collect();
            (
                format!(
                    "The proof does not show that the sender's jurisdiction is not {}, which the policy blocks.",
                    missing.join(", ")
                ),
                "Ask the sender for a proof that excludes every jurisdiction the policy blocks.".into(),
            )
        }
        Check::Clock => {
            // The check runs only when the policy sets a skew.
            let skew = policy.max_clock_skew_seconds.unwrap_or_default();
            if skew_allows_several_epochs(policy.max_clock_skew_seconds, policy.epoch_seconds).is_some() {
                // The verifier holds the policy to its clock rule before the
                // bundle's time (a policy built in code; parsing refuses it).
                (
                    "The policy's clock rule is unsafe: its clock skew is more than half its epoch length, which \
                     would let one sender prove for several epochs at once."
                        .into(),
                    "Fix the policy: max_clock_skew_seconds must be at most half of epoch_seconds.".into(),
                )
            } else {
                let what = if w.now.0 <= at {
                    let age = at - w.now.0;
                    format!(
                        "The bundle is stale: it was made {} before the verification time, {} more than the \
                         policy's {} allow.",
                        units::duration(age),
                        units::duration(age.saturating_sub(skew)),
                        units::duration(skew)
                    )
                } else {
                    let ahead = w.now.0 - at;
                    format!(
                        "The bundle's time is {} after the verification time, more than the policy's {} allow: \
                         the sender's clock, or this computer's, is wrong.",
                        units::duration(ahead),
                        units::duration(skew)
                    )
                };
                (
                    what,
                    "Ask the sender for a fresh proof. When re-checking a deposit that arrived earlier, verify at \
                     the time it arrived."
                        .into(),
                )
            }
        }
        Check::Epoch => (
            "The bundle's epoch does not match its time under this policy's epoch length.".into(),
            "Ask the sender to prove again under the exchange's current policy.".into(),
        ),
        Check::Disclosures => (
            "The policy requires the sender's jurisdiction to be disclosed, and this bundle does not disclose it."
                .into(),
            "Ask the sender to prove again with the jurisdiction disclosed.".into(),
        ),
        Check::Proof => (
            "The proof does not verify: the bundle was altered, or the proof was not made for these values.".into(),
            DO_NOT_CREDIT_ALTERED.into(),
        ),
        Check::CompletePolicy => (
            format!(
                "Strict mode: the policy leaves out {}, so not every claim was checked.",
                verdict.not_checked.iter().map(Check::name).collect::<Vec<_>>().join(", ")
            ),
            "Complete the policy (every field set), or verify without strict mode if your compliance team allows \
             it."
            .into(),
        ),
        Check::BatchItems => (
            "The batch's withdrawals do not share one chain, exchange, source address, asset and time, or an empty \
             slot carries a value."
                .into(),
            DO_NOT_CREDIT_ALTERED.into(),
        ),
        Check::DistinctItems => (
            "Two withdrawals of the batch have the same withdrawal id.".into(),
            "Do not credit the repeated withdrawal: it would pay the same withdrawal twice. Ask the sender's wallet \
             for a new batch."
                .into(),
        ),
    };
    Rejection { check, what_failed, what_to_do }
}

/// A proof against a list root the policy does not accept.
fn stale_list(list: &str) -> (String, String) {
    (
        format!("The proof was checked against a version of the {list} the policy does not accept (an old or unknown one)."),
        format!("Ask the sender to prove again against the current {list}; if the list was just updated, check that the policy has its new root."),
    )
}
