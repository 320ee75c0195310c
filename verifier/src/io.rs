//! Reading inputs and writing outputs without leaving half-written files:
//! every output is written to a temporary file in the same directory and
//! renamed into place. Exported at the crate root for the crates that write
//! zkcomply documents of their own (the prover's keys, credentials, trees).

use std::io::Write;
use std::path::Path;

use crate::error::FormatError;

/// Reads a whole text file, naming it in the error.
///
/// # Errors
/// [`FormatError::Io`].
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    std::fs::read_to_string(path).map_err(|source| FormatError::Io { path: path.display().to_string(), source })
}

/// Writes `bytes` to `path` atomically (temp file + rename).
///
/// # Errors
/// [`FormatError::Io`]; nothing is left at `path` on failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FormatError> {
    let io = |source| FormatError::Io { path: path.display().to_string(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
