//! JSON documents written whole or not at all.

use crate::error::ProverError;

/// Writes a JSON document atomically.
///
/// # Errors
/// [`ProverError::Format`] on I/O errors, [`ProverError::Json`] for a value
/// JSON cannot hold.
pub fn write_json<T: serde::Serialize>(path: &std::path::Path, value: &T) -> Result<(), ProverError> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    zkcomply_verifier::write_atomic(path, text.as_bytes())?;
    Ok(())
}
