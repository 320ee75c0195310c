//! Size limits: the most bytes a document of each format may have, one
//! constant per format, listed with their error in `docs/FORMATS.md`
//! ("Size limits").
//!
//! A document is measured before it is parsed (`from_json` checks the
//! text's length first) and a file before it is read ([`crate::read_text`]
//! checks the file's size, then reads at most the limit and one byte), so a
//! hostile size is refused without the memory or time it would take.
//! Verification-log lines have their own limit ([`MAX_LOG_LINE_BYTES`]):
//! a log is read line by line and grows without bound.
//!
//! The prover's formats (tree and list files, the holder file, the issuer
//! key, the keys directory) have their limits beside their formats in
//! `zkcomply-prover`.

use std::fmt;

use crate::error::FormatError;

/// The most bytes a document of one format may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimit {
    /// The document it limits, as errors name it (`bundle`, `policy`, ...).
    pub document: &'static str,
    /// The limit's name, as errors and `docs/FORMATS.md` give it
    /// (`MAX_BUNDLE_BYTES`).
    pub name: &'static str,
    /// The most bytes accepted.
    pub bytes: u64,
}

impl SizeLimit {
    /// Fails when a document of `size` bytes is over the limit.
    ///
    /// # Errors
    /// [`FormatError::TooLarge`] naming the document and the limit.
    pub fn check(&self, size: usize) -> Result<(), FormatError> {
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        if size > self.bytes {
            return Err(FormatError::TooLarge { limit: *self, size: Some(size), file: None });
        }
        Ok(())
    }
}

impl fmt::Display for SizeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} bytes)", self.name, self.bytes)
    }
}

/// A proof bundle (about 2 KB; every valid bundle is far below).
pub const MAX_BUNDLE_BYTES: SizeLimit = SizeLimit { document: "bundle", name: "MAX_BUNDLE_BYTES", bytes: 64 * 1024 };

/// A batch bundle: up to 16 withdrawals beside one proof and its public
/// values (a demo batch of 16 is 8 KB). Small enough that a log record
/// carrying a whole batch bundle fits [`MAX_LOG_LINE_BYTES`].
pub const MAX_BATCH_BUNDLE_BYTES: SizeLimit =
    SizeLimit { document: "batch bundle", name: "MAX_BATCH_BUNDLE_BYTES", bytes: 192 * 1024 };

/// A policy (room for thousands of roots and assets).
pub const MAX_POLICY_BYTES: SizeLimit = SizeLimit { document: "policy", name: "MAX_POLICY_BYTES", bytes: 1024 * 1024 };

/// A verifying-key file of any backend: a halo2 key carries its public
/// parameters (350 KB of JSON for the withdrawal circuit's 2^12 rows).
pub const MAX_VERIFYING_KEY_BYTES: SizeLimit =
    SizeLimit { document: "verifying key", name: "MAX_VERIFYING_KEY_BYTES", bytes: 1024 * 1024 };

/// A Groth16 verifying-key file (about 1 KB). Kept small: preparing a key
/// builds a 69 KB table per public input.
pub const MAX_GROTH16_VERIFYING_KEY_BYTES: SizeLimit =
    SizeLimit { document: "verifying key", name: "MAX_GROTH16_VERIFYING_KEY_BYTES", bytes: 16 * 1024 };

/// A credential (about 1 KB).
pub const MAX_CREDENTIAL_BYTES: SizeLimit =
    SizeLimit { document: "credential", name: "MAX_CREDENTIAL_BYTES", bytes: 16 * 1024 };

/// A withdrawal (five strings of at most 341 UTF-8 bytes each, even fully
/// `\u`-escaped, fit).
pub const MAX_WITHDRAWAL_BYTES: SizeLimit =
    SizeLimit { document: "withdrawal", name: "MAX_WITHDRAWAL_BYTES", bytes: 16 * 1024 };

/// One line of a verification log: a record holds a bundle, and its
/// verdict's reason may quote the bundle's fields, so four bundles' worth.
/// Appending refuses a record that would be longer.
pub const MAX_LOG_LINE_BYTES: SizeLimit =
    SizeLimit { document: "log record", name: "MAX_LOG_LINE_BYTES", bytes: 4 * MAX_BUNDLE_BYTES.bytes };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_refuses_one_byte_over_and_names_the_limit() {
        assert!(MAX_BUNDLE_BYTES.check(64 * 1024).is_ok());
        let e = MAX_BUNDLE_BYTES.check(64 * 1024 + 1).unwrap_err().to_string();
        assert_eq!(e, "bundle: 65537 bytes, over the size limit MAX_BUNDLE_BYTES (65536 bytes)");
    }
}
