//! A policy file as the owner's calls that configure a gate.

use serde::Serialize;
use zkcomply_circuits::encoding::str_key;

use super::abi::{
    Call, SET_ASSET, SET_BLOCKED_JURISDICTIONS, SET_ISSUER, SET_REVOCATION_ROOT, SET_RULES, SET_SANCTIONS_ROOT,
};
use super::words::{word, word_bool, word_u128};
use crate::policy::Policy;
use crate::FormatError;

/// One owner call, described for people and encoded for the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyCall {
    /// The function's signature.
    pub function: &'static str,
    /// What it sets, in words.
    pub description: String,
    /// The calldata, `0x` hex.
    pub calldata: String,
}

fn call(function: &'static str, description: String, words: Vec<[u8; 32]>) -> PolicyCall {
    PolicyCall { function, description, calldata: Call { function, words }.to_hex() }
}

fn required<'a, T>(field: &'static str, v: &'a Option<T>) -> Result<&'a T, FormatError> {
    v.as_ref().ok_or_else(|| FormatError::invalid("policy", field, "the gate enforces this rule on-chain: set it"))
}

/// The calls that make a fresh gate enforce `policy`, in order. The gate
/// has no "not checked" rules: the policy must name the exchange, the
/// epoch length, the clock tolerance, the issuers, the accepted roots and
/// the limits.
///
/// # Errors
/// [`FormatError`] naming a missing or unencodable field.
pub fn policy_calls(policy: &Policy) -> Result<Vec<PolicyCall>, FormatError> {
    let exchange = required("exchange_id", &policy.exchange_id)?;
    let exchange_key = str_key(exchange).map_err(|e| FormatError::invalid("policy", "exchange_id", e.to_string()))?;
    let epoch_seconds = *required("epoch_seconds", &policy.epoch_seconds)?;
    let skew = *required("max_clock_skew_seconds", &policy.max_clock_skew_seconds)?;
    // The policy parser refuses this already; a policy built in code is
    // held to the same rule.
    if let Some(message) = crate::policy::skew_allows_several_epochs(Some(skew), Some(epoch_seconds)) {
        return Err(FormatError::invalid("policy", "max_clock_skew_seconds", message));
    }
    let min_tier = policy.min_tier.unwrap_or(0);
    let disclose = policy.requires_jurisdiction_disclosure();
    let mut calls = vec![call(
        SET_RULES,
        format!(
            "exchange {exchange:?}, min tier {min_tier}, epoch {epoch_seconds} s, clock skew {skew} s, jurisdiction disclosure {}",
            if disclose { "required" } else { "optional" }
        ),
        vec![
            word(&exchange_key),
            word_u128(u128::from(min_tier)),
            word_u128(u128::from(epoch_seconds)),
            word_u128(u128::from(skew)),
            word_bool(disclose),
        ],
    )];

    let blocked = policy.blocked_jurisdictions.clone().unwrap_or_default();
    if blocked.len() > 8 {
        return Err(FormatError::invalid("policy", "blocked_jurisdictions", "the gate holds at most 8"));
    }
    let mut slots = [0u16; 8];
    slots[..blocked.len()].copy_from_slice(&blocked);
    calls.push(call(
        SET_BLOCKED_JURISDICTIONS,
        format!("blocked jurisdictions {blocked:?}"),
        slots.iter().map(|j| word_u128(u128::from(*j))).collect(),
    ));

    let issuers = required("issuers", &policy.issuers)?;
    for issuer in issuers {
        let p = issuer.point();
        calls.push(call(
            SET_ISSUER,
            format!("accept issuer ({}, {})", issuer.0, issuer.1),
            vec![word(&p.x), word(&p.y), word_bool(true)],
        ));
    }
    for (kind, name, field, roots) in [
        (0u128, "identity sanctions", "identity_sanctions_roots", &policy.identity_sanctions_roots),
        (1u128, "address sanctions", "address_sanctions_roots", &policy.address_sanctions_roots),
    ] {
        for root in required(field, roots)? {
            calls.push(call(
                SET_SANCTIONS_ROOT,
                format!("accept {name} root {root}"),
                vec![word_u128(kind), word(&root.0), word_bool(true)],
            ));
        }
    }
    if policy.revocation_roots.is_none() && policy.issuer_revocation_roots.is_none() {
        return Err(FormatError::invalid(
            "policy",
            "revocation_roots",
            "the gate enforces this rule on-chain: set revocation_roots or issuer_revocation_roots",
        ));
    }
    for issuer in issuers {
        let p = issuer.point();
        for root in policy.revocation_roots_for(issuer).unwrap_or_default() {
            calls.push(call(
                SET_REVOCATION_ROOT,
                format!("accept revocation root {root} of issuer ({}, {})", issuer.0, issuer.1),
                vec![word(&p.x), word(&p.y), word(&root.0), word_bool(true)],
            ));
        }
    }

    for (asset, limits) in required("limits", &policy.limits)? {
        let key =
            str_key(asset).map_err(|e| FormatError::invalid("policy", format!("limits.{asset}"), e.to_string()))?;
        let cap = policy.epoch_caps.as_ref().and_then(|c| c.get(asset)).map_or(u128::MAX, |a| a.0);
        let mut words = vec![word(&key)];
        words.extend(limits.iter().map(|l| word_u128(l.0)));
        words.push(word_u128(cap));
        words.push(word_bool(true));
        calls.push(call(
            SET_ASSET,
            format!(
                "list {asset:?}: limits {:?}, epoch cap {}",
                limits.iter().map(|l| l.0.to_string()).collect::<Vec<_>>(),
                if cap == u128::MAX { "none".to_string() } else { cap.to_string() }
            ),
            words,
        ));
    }
    Ok(calls)
}
