//! Withdrawal request, version 1 (normative): the wallet's input to the
//! prover, and the clear context a verifier recomputes `context` from.

use serde::{Deserialize, Serialize};
use zkcomply_circuits::encoding::{ContextFields, EncodingError};

use crate::error::{parse_json, FormatError};
use crate::values::{expect_version, Amount, SafeInt};

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
    /// Parses and checks the format and that every string is encodable.
    ///
    /// # Errors
    /// [`FormatError`] naming the field.
    pub fn from_json(text: &str) -> Result<Self, FormatError> {
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
            .map_err(|m| FormatError::invalid(document, format!("{prefix}version"), m))?;
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
        ContextFields::encode(
            self.chain_id.0,
            &self.exchange_id,
            &self.withdrawal_id,
            &self.source_address,
            &self.destination_address,
            &self.asset,
            self.amount.0,
        )
    }
}
