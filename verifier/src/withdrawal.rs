//! Withdrawal request, version 1 (normative): the wallet's input to the
//! prover, and the clear context a verifier recomputes `context` from.

use std::cell::RefCell;
use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use zkcomply_circuits::encoding::{address_key, str_key, ContextFields, EncodingError};
use zkcomply_circuits::Fr;

use crate::error::{expect_version, parse_json, FormatError};
use crate::limits::MAX_WITHDRAWAL_BYTES;
use crate::values::{Amount, SafeInt};

/// The version string of this format.
pub const WITHDRAWAL_V1: &str = "zkcomply/withdrawal/v1";

/// One withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// `zkcomply/withdrawal/v1`.
    pub version: String,
    /// Chain id (below 2^53).
    pub chain_id: SafeInt,
    /// The receiving exchange's id.
    pub exchange_id: String,
    /// The exchange's id for this withdrawal.
    pub withdrawal_id: String,
    /// The sending address.
    pub source_address: String,
    /// The receiving address.
    pub destination_address: String,
    /// Asset ticker, as in the policy's `limits`.
    pub asset: String,
    /// Amount in the asset's smallest unit, below 2^128.
    pub amount: Amount,
    /// `floor(now / epoch_seconds)`.
    pub epoch: SafeInt,
    /// The time the proof speaks for (unix seconds).
    pub now: SafeInt,
}

impl Withdrawal {
    /// Parses a withdrawal of at most [`MAX_WITHDRAWAL_BYTES`] and checks
    /// the format and that every string is encodable.
    ///
    /// # Errors
    /// [`FormatError`] naming the field, or the limit.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
        MAX_WITHDRAWAL_BYTES.check(text.len())?;
        let w: Self = parse_json("withdrawal", text)?;
        w.validate("withdrawal")?;
        Ok(w)
    }

    /// Checks the version and the encodability of every field.
    ///
    /// # Errors
    /// [`FormatError`] naming the field, in `document`.
    pub fn validate(&self, document: &'static str) -> Result<(), FormatError> {
        let prefix = if document == "withdrawal" { "" } else { "withdrawal." };
        expect_version(&self.version, WITHDRAWAL_V1)
            .map_err(|m| FormatError::invalid(document, format!("{prefix}version"), m.to_string()))?;
        for (name, value) in [
            ("exchange_id", &self.exchange_id),
            ("withdrawal_id", &self.withdrawal_id),
            ("source_address", &self.source_address),
            ("destination_address", &self.destination_address),
            ("asset", &self.asset),
        ] {
            if value.is_empty() {
                return Err(FormatError::invalid(document, format!("{prefix}{name}"), "must not be empty"));
            }
            if value.len() > zkcomply_circuits::encoding::MAX_STR_BYTES {
                return Err(FormatError::invalid(document, format!("{prefix}{name}"), "longer than 341 UTF-8 bytes"));
            }
        }
        Ok(())
    }

    /// The field elements `context` commits to.
    ///
    /// # Errors
    /// [`EncodingError`] for a field that cannot be encoded (checked by
    /// [`Withdrawal::validate`] already).
    pub fn context_fields(&self) -> Result<ContextFields, EncodingError> {
        Ok(ContextFields {
            chain_id: Fr::from(self.chain_id.0),
            exchange_key: repeated_name_key(&self.exchange_id)?,
            withdrawal_key: str_key(&self.withdrawal_id)?,
            source_key: address_key(&self.source_address)?,
            destination_key: address_key(&self.destination_address)?,
            asset_key: repeated_name_key(&self.asset)?,
            amount: Fr::from(self.amount.0),
        })
    }
}

/// Names remembered per thread by [`repeated_name_key`].
const NAME_MEMO: usize = 32;

/// `str_key` of a name that recurs from withdrawal to withdrawal (the
/// exchange, the asset), remembering the last few per thread: an exchange
/// or an auditor encodes the same handful thousands of times.
fn repeated_name_key(name: &str) -> Result<Fr, EncodingError> {
    thread_local! {
        static MEMO: RefCell<VecDeque<(String, Fr)>> = const { RefCell::new(VecDeque::new()) };
    }
    if let Some(key) = MEMO.with(|m| m.borrow().iter().find(|(n, _)| n == name).map(|(_, k)| *k)) {
        return Ok(key);
    }
    let key = str_key(name)?;
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() == NAME_MEMO {
            m.pop_front();
        }
        m.push_back((name.to_string(), key));
    });
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_names_give_the_encoding_of_the_format() {
        let bundle: serde_json::Value = serde_json::from_str(include_str!("../tests/fixtures/bundle.json")).unwrap();
        let base = Withdrawal::from_json(&bundle["withdrawal"].to_string()).unwrap();
        // More distinct names than the memo holds, each encoded twice, interleaved.
        for round in 0..2 {
            for i in 0..(NAME_MEMO + 5) {
                let mut w = base.clone();
                w.exchange_id = format!("exchange-{i}");
                w.asset = if i % 2 == 0 { "ETH".into() } else { format!("TOKEN{i}") };
                let expected = ContextFields::encode(
                    w.chain_id.0,
                    &w.exchange_id,
                    &w.withdrawal_id,
                    &w.source_address,
                    &w.destination_address,
                    &w.asset,
                    w.amount.0,
                )
                .unwrap();
                assert_eq!(w.context_fields().unwrap(), expected, "round {round}, name {i}");
            }
        }
    }
}
