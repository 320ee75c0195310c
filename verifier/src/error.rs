//! Errors for input that cannot be used at all (malformed files), and the
//! parsing every document shares.

use crate::limits::SizeLimit;
use zkcomply_circuits::text::{prefix_within, shorten};

/// A document that is not well-formed: names the document, the field and
/// what was expected.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// JSON that does not parse or does not fit the format.
    #[error("{document}: {path}: {message}")]
    Invalid {
        /// Which document (`policy`, `bundle`, ...).
        document: &'static str,
        /// The JSON path of the offending field (`.` for the whole document).
        path: String,
        /// What was expected.
        message: String,
    },
    /// A document over its format's size limit, refused before it was
    /// read or parsed.
    #[error("{}: {}over the size limit {limit}", in_file(.limit.document, .file.as_deref()), size_text(*.size))]
    TooLarge {
        /// The limit.
        limit: SizeLimit,
        /// The document's size in bytes, when known (a stream is read only
        /// up to the limit).
        size: Option<u64>,
        /// The file it came from, if any.
        file: Option<String>,
    },
    /// A file that cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// `document (file)`, or the document alone.
fn in_file(document: &str, file: Option<&str>) -> String {
    match file {
        Some(file) => format!("{document} ({file})"),
        None => document.to_string(),
    }
}

/// The size in [`FormatError::TooLarge`]'s message, when known.
fn size_text(size: Option<u64>) -> String {
    size.map(|bytes| format!("{bytes} bytes, ")).unwrap_or_default()
}

impl FormatError {
    /// Adds the file a document came from to the field path, so the error
    /// names both (`withdrawal.amount (bundle.json)`).
    pub fn in_file(self, file: &std::path::Path) -> Self {
        match self {
            Self::Invalid { document, path, message } => {
                Self::Invalid { document, path: format!("{path} ({})", file.display()), message }
            }
            Self::TooLarge { limit, size, file: None } => {
                Self::TooLarge { limit, size, file: Some(file.display().to_string()) }
            }
            other => other,
        }
    }

    /// An [`FormatError::Invalid`] for a document and field.
    pub fn invalid(document: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { document, path: path.into(), message: message.into() }
    }
}

/// Parses JSON into `T`, naming the failing field's path.
///
/// # Errors
/// [`FormatError::Invalid`] with the path of the field serde stopped at.
pub fn parse_json<T: serde::de::DeserializeOwned>(document: &'static str, text: &str) -> Result<T, FormatError> {
    if text.trim().is_empty() {
        return Err(FormatError::invalid(document, ".", "the document is empty"));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = quoted_path(e.path());
        let inner = e.into_inner();
        FormatError::invalid(document, if path.is_empty() { ".".to_string() } else { path }, strip_position(&inner))
    })?;
    de.end().map_err(|e| FormatError::invalid(document, ".", strip_position(&e)))?;
    Ok(value)
}

/// The path serde stopped at, with each map key shortened as messages
/// quote values (a key is document content: `limits.<asset>`).
fn quoted_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        // Written as the path's own `Display` writes it: `[i]` after what
        // precedes it, other segments (keys, variants, `?`) after a `.`.
        let text = segment.to_string();
        if matches!(segment, serde_path_to_error::Segment::Seq { .. }) {
            out.push_str(&text);
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&shorten(&text));
        }
    }
    out
}

/// The most bytes of serde's own message kept in an error: it may quote
/// the offending value or field name whole.
const MAX_PARSER_MESSAGE_BYTES: usize = 300;

fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let message = if e.line() > 0 {
        format!("{} (line {}, column {})", s.split(" at line ").next().unwrap_or(&s), e.line(), e.column())
    } else {
        s
    };
    if message.len() > MAX_PARSER_MESSAGE_BYTES {
        format!("{}...({} bytes)", prefix_within(&message, MAX_PARSER_MESSAGE_BYTES), message.len())
    } else {
        message
    }
}

/// A document of another format version than the one expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected version {expected:?}, found {found:?}")]
pub struct VersionMismatch {
    /// The version this code reads.
    pub expected: String,
    /// The document's version.
    pub found: String,
}

/// Fails unless `version` equals `expected`.
///
/// # Errors
/// [`VersionMismatch`] naming both versions.
pub fn expect_version(found: &str, expected: &str) -> Result<(), VersionMismatch> {
    if found == expected {
        Ok(())
    } else {
        Err(VersionMismatch { expected: expected.to_string(), found: found.to_string() })
    }
}
