//! Reading inputs within their size limit, and writing outputs without
//! leaving half-written files: every output is written to a temporary file
//! in the same directory and renamed into place. Exported at the crate root for the crates that write
//! zkcomply documents of their own (the prover's keys, credentials, trees).

use std::io::{Read, Write};
use std::path::Path;

use crate::error::FormatError;
use crate::limits::SizeLimit;

/// Reads a whole file of at most `limit` bytes, naming it in the error: a
/// regular file's size is checked before anything is read, and at most the
/// limit and one byte are read from anything else (a pipe, a file that
/// grows).
///
/// # Errors
/// [`FormatError::TooLarge`] over the limit, [`FormatError::Io`].
pub fn read_bytes(path: &Path, limit: &SizeLimit) -> Result<Vec<u8>, FormatError> {
    let io = |source| FormatError::Io { path: path.display().to_string(), source };
    let too_large = |size| FormatError::TooLarge { limit: *limit, size, file: Some(path.display().to_string()) };
    let file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if metadata.is_file() && metadata.len() > limit.bytes {
        return Err(too_large(Some(metadata.len())));
    }
    let mut bytes = Vec::new();
    file.take(limit.bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if limit.check(bytes.len()).is_err() {
        return Err(too_large(None));
    }
    Ok(bytes)
}

/// Reads a whole UTF-8 text file of at most `limit` bytes, as
/// [`read_bytes`] does.
///
/// # Errors
/// [`FormatError::TooLarge`] over the limit, [`FormatError::Io`] (also for
/// text that is not UTF-8).
pub fn read_text(path: &Path, limit: &SizeLimit) -> Result<String, FormatError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|_| FormatError::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is not UTF-8 text"),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_BUNDLE_BYTES;

    #[test]
    #[cfg(unix)]
    fn a_stream_is_read_only_up_to_the_limit() {
        // An endless stream: not a regular file, so its size is unknown and
        // only the limit and one byte are read.
        let e = read_text(Path::new("/dev/zero"), &MAX_BUNDLE_BYTES).unwrap_err();
        assert!(matches!(e, FormatError::TooLarge { size: None, .. }), "{e:?}");
        assert_eq!(e.to_string(), "bundle (/dev/zero): over the size limit MAX_BUNDLE_BYTES (65536 bytes)");
    }

    #[test]
    fn a_file_is_refused_by_its_size_and_read_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_BUNDLE_BYTES.bytes).unwrap();
        assert_eq!(read_bytes(&path, &MAX_BUNDLE_BYTES).unwrap().len() as u64, MAX_BUNDLE_BYTES.bytes);
        file.set_len(MAX_BUNDLE_BYTES.bytes + 1).unwrap();
        let e = read_bytes(&path, &MAX_BUNDLE_BYTES).unwrap_err();
        assert!(matches!(e, FormatError::TooLarge { size: Some(65_537), .. }), "{e:?}");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(read_text(&path, &MAX_BUNDLE_BYTES).unwrap_err().to_string().contains("not UTF-8"));
    }
}
