//! A policy's labels: names for people, never checked. The plain-words
//! verdict ([`crate::explanation`]) shows an issuer by the name the
//! policy gives it, a list root with what the list is and when it was
//! taken, and amounts in an asset's units.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zkcomply_circuits::text::shorten;

use crate::error::FormatError;
use crate::values::{FieldElement, PointJson};

/// The longest name or description a label may hold, in UTF-8 bytes.
pub const MAX_LABEL_BYTES: usize = 200;

/// The most decimals an asset may have: 10^38 is the largest power of ten
/// below 2^128, an amount's bound.
pub const MAX_ASSET_DECIMALS: u8 = 38;

/// Names for people in a policy (`labels`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyLabels {
    /// Issuers by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<IssuerLabel>,
    /// What each list root is: the list, its source and its date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roots: Vec<RootLabel>,
    /// Per asset, the decimals of its smallest unit (18 for ETH), for
    /// assets the built-in table does not know or where it differs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub asset_decimals: BTreeMap<String, u8>,
}

/// An issuer's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerLabel {
    /// The issuer's key, as in `issuers`.
    pub key: PointJson,
    /// Its name (`Example KYC Ltd`).
    pub name: String,
}

/// What a list root is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootLabel {
    /// The root, as in the `*_roots` fields.
    pub root: FieldElement,
    /// What it is (`OFAC SDN addresses, list of 2024-09-27`).
    pub label: String,
}

impl PolicyLabels {
    /// Checks every name's length and every asset's decimals.
    ///
    /// # Errors
    /// [`FormatError`] naming the field under `labels`.
    pub fn validate(&self) -> Result<(), FormatError> {
        let text = |path: String, value: &str| -> Result<(), FormatError> {
            if value.trim().is_empty() {
                return Err(FormatError::invalid("policy", path, "must not be empty"));
            }
            if value.len() > MAX_LABEL_BYTES {
                return Err(FormatError::invalid("policy", path, format!("longer than {MAX_LABEL_BYTES} UTF-8 bytes")));
            }
            Ok(())
        };
        for (i, issuer) in self.issuers.iter().enumerate() {
            text(format!("labels.issuers[{i}].name"), &issuer.name)?;
        }
        for (i, root) in self.roots.iter().enumerate() {
            text(format!("labels.roots[{i}].label"), &root.label)?;
        }
        for (asset, decimals) in &self.asset_decimals {
            if *decimals > MAX_ASSET_DECIMALS {
                return Err(FormatError::invalid(
                    "policy",
                    format!("labels.asset_decimals.{}", shorten(asset)),
                    format!("at most {MAX_ASSET_DECIMALS} decimals (amounts are below 2^128)"),
                ));
            }
        }
        Ok(())
    }

    /// The name the policy gives `issuer`.
    pub fn issuer_name(&self, issuer: &PointJson) -> Option<&str> {
        self.issuers.iter().find(|l| &l.key == issuer).map(|l| l.name.as_str())
    }

    /// What the policy says `root` is.
    pub fn root_label(&self, root: &FieldElement) -> Option<&str> {
        self.roots.iter().find(|l| &l.root == root).map(|l| l.label.as_str())
    }
}
