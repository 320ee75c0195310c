//! The claims a bundle makes, as sentences with their evidence, each with
//! what the verdict says of it: holds, fails, not checked (the policy
//! leaves it out), or not established (the bundle was rejected by another
//! check, so no claim of it can be relied on).

use serde::Serialize;
use zkcomply_circuits::public_inputs::LIMIT_TIERS;

use super::{units, Fact};
use crate::backend::Backend;
use crate::bundle::Bundle;
use crate::policy::Policy;
use crate::verdict::{Check, Verdict};

/// What the verdict says of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Every check of the claim passed, and the proof verified.
    Holds,
    /// The proof verified, but the policy leaves some of the claim's
    /// checks out.
    Partly,
    /// The policy leaves every check of the claim out.
    NotChecked,
    /// One of the claim's checks failed.
    Fails,
    /// The bundle was rejected by another check.
    NotEstablished,
}

/// One claim, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// A stable id for the claim (`kyc_tier`, `address_not_sanctioned`, …).
    pub id: &'static str,
    /// The claim as a sentence.
    pub statement: String,
    /// What the verdict says of it.
    pub status: ClaimStatus,
    /// The status as a sentence.
    pub status_text: String,
    /// The values that back it.
    pub evidence: Vec<Fact>,
    /// The checks that establish it.
    pub checks: Vec<Check>,
}

/// The policy field whose absence skips `check`.
fn policy_field(check: Check) -> &'static str {
    match check {
        Check::Issuer => "issuers",
        Check::MinTier => "min_tier",
        Check::Limits => "limits",
        Check::IdentityRoot => "identity_sanctions_roots",
        Check::AddressRoot => "address_sanctions_roots",
        Check::RevocationRoot => "revocation_roots (and issuer_revocation_roots)",
        Check::Exchange => "exchange_id",
        Check::BlockedJurisdictions => "blocked_jurisdictions",
        Check::Clock => "max_clock_skew_seconds",
        Check::Epoch => "epoch_seconds",
        Check::Disclosures => "required_disclosures",
        Check::PolicyVerifyingKey => "verifying_key_hash (and verifying_keys)",
        _ => "a field",
    }
}

/// The claim's status under `verdict`, with its sentence.
fn status(checks: &[Check], verdict: &Verdict) -> (ClaimStatus, String) {
    if verdict.failed_check.is_some_and(|f| checks.contains(&f)) {
        return (ClaimStatus::Fails, "Fails: see the reason for the rejection.".into());
    }
    // A strict-mode rejection (`complete_policy`) comes after every check
    // passed, the proof's included: the claims stand as in an acceptance,
    // and the skipped ones show why the bundle was refused.
    if !verdict.accepted && verdict.failed_check != Some(Check::CompletePolicy) {
        return (
            ClaimStatus::NotEstablished,
            "Not established: the bundle was rejected, so none of its claims can be relied on.".into(),
        );
    }
    let skipped: Vec<&str> =
        checks.iter().filter(|c| verdict.not_checked.contains(c)).map(|c| policy_field(*c)).collect();
    let ran = checks.iter().any(|c| verdict.checked.contains(c));
    match (skipped.is_empty(), ran) {
        (true, _) => (ClaimStatus::Holds, "Holds.".into()),
        (false, true) => (
            ClaimStatus::Partly,
            format!("Holds in part: the policy leaves out {}, so that part was not checked.", skipped.join(" and ")),
        ),
        (false, false) => {
            (ClaimStatus::NotChecked, format!("Not checked: the policy leaves out {}.", skipped.join(" and ")))
        }
    }
}

/// A list root with what the policy says it is.
fn root_fact(label: &str, root: &crate::values::FieldElement, policy: &Policy) -> Fact {
    Fact {
        label: label.into(),
        value: root.to_string(),
        note: policy.labels.as_ref().and_then(|l| l.root_label(root)).map(str::to_string),
    }
}

/// Every claim of `bundle`, under `policy` and `verdict`.
pub fn claims(bundle: &Bundle, policy: &Policy, verdict: &Verdict) -> Vec<Claim> {
    let w = &bundle.withdrawal;
    let p = &bundle.public;
    let labels = policy.labels.as_ref();
    let claim = |id, statement: String, evidence: Vec<Fact>, checks: Vec<Check>| {
        let (status, status_text) = status(&checks, verdict);
        Claim { id, statement, status, status_text, evidence, checks }
    };
    let issuer_name = labels.and_then(|l| l.issuer_name(&p.issuer_public_key));
    let issuer_key = format!("{},{}", p.issuer_public_key.0, p.issuer_public_key.1);
    let issuer_words = issuer_name.map_or_else(|| format!("key {}", units::short(&issuer_key)), str::to_string);

    let mut kyc_evidence = vec![
        Fact { label: "Issuer key".into(), value: issuer_key.clone(), note: issuer_name.map(str::to_string) },
        Fact { label: "Tier proved".into(), value: format!("{} or higher", p.min_tier), note: None },
    ];
    if let Some(min) = policy.min_tier {
        kyc_evidence.push(Fact { label: "Policy requires".into(), value: format!("tier {min} or higher"), note: None });
    }

    let chain = w.chain_id.0;
    let amount = units::amount(w.amount.0, &w.asset, chain, labels);
    let tier_limits: Vec<String> = (usize::from(p.min_tier).min(LIMIT_TIERS - 1)..LIMIT_TIERS)
        .map(|t| {
            let tier = if t == LIMIT_TIERS - 1 { format!("tier {t}+") } else { format!("tier {t}") };
            format!("{tier}: {}", units::amount(p.limits[t].0, &w.asset, chain, labels))
        })
        .collect();
    let mut limit_evidence = vec![Fact { label: "Limits proved".into(), value: tier_limits.join("; "), note: None }];
    limit_evidence.push(Fact {
        label: "Epoch".into(),
        value: match policy.epoch_seconds {
            Some(secs) => format!(
                "{} ({} to {})",
                w.epoch.0,
                units::utc(w.epoch.0.saturating_mul(secs)),
                units::utc(w.epoch.0.saturating_add(1).saturating_mul(secs))
            ),
            None => w.epoch.0.to_string(),
        },
        note: None,
    });
    limit_evidence.push(Fact {
        label: "Nullifier".into(),
        value: p.nullifier.to_string(),
        note: Some("the same for every withdrawal of this sender to this exchange in this epoch".into()),
    });
    if let Some(cap) = policy.epoch_caps.as_ref().and_then(|c| c.get(&w.asset)) {
        let alone = if w.amount.0 > cap.0 { "; this withdrawal alone is above it" } else { "" };
        limit_evidence.push(Fact {
            label: "Per-epoch cap".into(),
            value: units::amount(cap.0, &w.asset, chain, labels),
            note: Some(format!(
                "not checked by this verification: the audit of the verification log counts it across the \
                 nullifier's withdrawals{alone}"
            )),
        });
    }

    // Unused slots hold 0 or repeat a blocked jurisdiction.
    let mut excluded_codes: Vec<u16> = Vec::new();
    for j in p.blocked_jurisdictions.iter().filter(|j| **j != 0) {
        if !excluded_codes.contains(j) {
            excluded_codes.push(*j);
        }
    }
    let excluded: Vec<String> = excluded_codes.into_iter().map(units::jurisdiction).collect();
    let disclosed = p.disclosed.jurisdiction.map(units::jurisdiction);
    let jurisdiction_statement = match (excluded.is_empty(), &disclosed) {
        (true, None) => "The proof excludes no jurisdiction.".to_string(),
        (true, Some(d)) => format!("The sender's jurisdiction is disclosed as {d}."),
        (false, None) => format!("The sender's jurisdiction is none of {}.", excluded.join(", ")),
        (false, Some(d)) => {
            format!("The sender's jurisdiction is none of {}, and is disclosed as {d}.", excluded.join(", "))
        }
    };

    let proof_system = Backend::from_id(&bundle.backend).map_or("unknown", Backend::proof_system);
    let mut proof_evidence = vec![Fact {
        label: "Proof system".into(),
        value: bundle.backend.clone(),
        note: Some(proof_system.to_string()),
    }];
    proof_evidence.push(Fact {
        label: "Verifying key".into(),
        value: bundle.verifying_key_hash.to_string(),
        note: Some("SHA-256 of the key the bundle was made for".into()),
    });

    vec![
        claim(
            "kyc_tier",
            format!("The sender passed KYC at tier {} or higher, with issuer {issuer_words}.", p.min_tier),
            kyc_evidence,
            vec![Check::Issuer, Check::MinTier],
        ),
        claim(
            "not_revoked",
            "The sender's credential has not been revoked by its issuer.".into(),
            vec![root_fact("Revocation list root", &p.revocation_root, policy)],
            vec![Check::RevocationRoot],
        ),
        claim(
            "identity_not_sanctioned",
            "The sender's identity is not on the identity sanctions list.".into(),
            vec![root_fact("Identity list root", &p.identity_sanctions_root, policy)],
            vec![Check::IdentityRoot],
        ),
        claim(
            "address_not_sanctioned",
            format!("The source address {} is not on the address sanctions list.", units::short(&w.source_address)),
            vec![root_fact("Address list root", &p.address_sanctions_root, policy)],
            vec![Check::AddressRoot],
        ),
        claim(
            "within_limit",
            format!("The amount, {amount}, is within the withdrawal limit of the sender's KYC tier."),
            limit_evidence,
            vec![Check::Limits],
        ),
        claim(
            "jurisdiction",
            jurisdiction_statement,
            vec![
                Fact {
                    label: "Excluded by the proof".into(),
                    value: if excluded.is_empty() { "none".into() } else { excluded.join(", ") },
                    note: None,
                },
                Fact {
                    label: "Disclosed jurisdiction".into(),
                    value: disclosed.unwrap_or_else(|| "not disclosed".into()),
                    note: None,
                },
            ],
            vec![Check::BlockedJurisdictions, Check::Disclosures],
        ),
        claim(
            "bound_to_withdrawal",
            "The proof is bound to this withdrawal: its chain, exchange, withdrawal id, both addresses, asset and \
             amount, and to the claims above."
                .into(),
            vec![],
            vec![
                Check::PublicInputCount,
                Check::PublicInputRange,
                Check::Context,
                Check::StatementHash,
                Check::PublicValues,
            ],
        ),
        claim(
            "exchange",
            match &policy.exchange_id {
                Some(_) => format!(
                    "The withdrawal is addressed to exchange {:?}, the one this policy verifies for.",
                    units::short(&w.exchange_id)
                ),
                None => format!("The withdrawal names exchange {:?}.", units::short(&w.exchange_id)),
            },
            vec![],
            vec![Check::Exchange],
        ),
        claim(
            "timely",
            match policy.max_clock_skew_seconds {
                Some(skew) => format!(
                    "The proof was made at {}, within the policy's {} of the verification time.",
                    units::utc(w.now.0),
                    units::duration(skew)
                ),
                None => format!("The proof says it was made at {}.", units::utc(w.now.0)),
            },
            vec![],
            vec![Check::Clock, Check::Epoch],
        ),
        claim(
            "proof_valid",
            format!("The {proof_system} proof verifies under a verifying key the policy accepts."),
            proof_evidence,
            vec![
                Check::Format,
                Check::Backend,
                Check::PolicyBackend,
                Check::VerifyingKey,
                Check::PolicyVerifyingKey,
                Check::DevelopmentKey,
                Check::CeremonyTranscript,
                Check::Proof,
            ],
        ),
    ]
}
