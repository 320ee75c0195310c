//! The iden3 binary container shared by `.zkey`, `.ptau`, `.r1cs` and
//! `.wtns` files (`@iden3/binfileutils`).
//!
//! Layout, all integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 4 | magic: the file kind in ASCII (`zkey`, `ptau`, `r1cs`, `wtns`) |
//! | 4 | version (u32) |
//! | 4 | number of sections (u32) |
//! | then, per section | type (u32), size (u64), `size` bytes |
//!
//! [`BinFile::parse`] reads a whole file held in memory; [`SectionTable::scan`]
//! reads only the section headers of a file on disk (by seeking), for files
//! too large to load, such as a phase-1 `.ptau`. Both check every size
//! against the file's length before trusting it, so a lying size field
//! gives an error, never a huge allocation or a panic. [`BinWriter`] writes
//! the container the way snarkjs does.

use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;

/// Bytes before the first section header: magic, version, section count.
pub const FILE_HEADER_LEN: usize = 12;
/// Bytes of a section header: type (u32) and size (u64).
pub const SECTION_HEADER_LEN: usize = 12;

/// What is wrong with an iden3 binary container.
#[derive(Debug, thiserror::Error)]
pub enum BinFileError {
    /// The file ends inside its 12-byte header.
    #[error("{kind} file: {len} bytes, shorter than the 12-byte file header")]
    TooShort {
        /// The expected file kind.
        kind: &'static str,
        /// The file's length.
        len: u64,
    },
    /// The first four bytes are not the expected magic.
    #[error("not a {kind} file: the magic is {found:?}, expected {kind:?}")]
    BadMagic {
        /// The expected file kind.
        kind: &'static str,
        /// The bytes found, lossily decoded.
        found: String,
    },
    /// The version is not one this reader knows.
    #[error("{kind} file: version {found}, expected {expected}")]
    UnsupportedVersion {
        /// The file kind.
        kind: &'static str,
        /// The version in the file.
        found: u32,
        /// The versions accepted, in words.
        expected: &'static str,
    },
    /// A section header or body runs past the end of the file.
    #[error(
        "{kind} file: section #{index} (type {section_type}) claims {claimed} bytes at offset {offset} but the file has {file_len} bytes"
    )]
    SectionOverrun {
        /// The file kind.
        kind: &'static str,
        /// The section's position among the section headers (0-based).
        index: u32,
        /// The section's type, or 0 if its header itself was cut off.
        section_type: u32,
        /// The size the header claims (or the header's size).
        claimed: u64,
        /// Where the section's body (or header) starts.
        offset: u64,
        /// The file's length.
        file_len: u64,
    },
    /// Bytes follow the last section.
    #[error("{kind} file: {extra} bytes after the last of its {sections} sections")]
    TrailingBytes {
        /// The file kind.
        kind: &'static str,
        /// How many bytes are left over.
        extra: u64,
        /// The section count from the header.
        sections: u32,
    },
    /// A required section is absent.
    #[error("{kind} file: section {section} is missing")]
    MissingSection {
        /// The file kind.
        kind: &'static str,
        /// The missing section's type.
        section: u32,
    },
    /// A section that must be unique appears more than once.
    #[error("{kind} file: section {section} appears {count} times, expected once")]
    DuplicateSection {
        /// The file kind.
        kind: &'static str,
        /// The section's type.
        section: u32,
        /// How many times it appears.
        count: usize,
    },
    /// Reading the file failed.
    #[error("{kind} file: read failed: {source}")]
    Io {
        /// The file kind.
        kind: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// One section's place in a file: its type, where its body starts and how
/// long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionEntry {
    /// The section's type.
    pub section_type: u32,
    /// The offset of the body's first byte in the file.
    pub offset: u64,
    /// The body's length in bytes.
    pub size: u64,
}

/// The header and section table of a container, with every section known to
/// lie inside the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionTable {
    /// The file kind (its magic).
    pub kind: &'static str,
    /// The container's version.
    pub version: u32,
    /// The sections in file order.
    pub sections: Vec<SectionEntry>,
    /// The file's length.
    pub file_len: u64,
}

fn check_magic_version(
    kind: &'static str,
    header: &[u8; FILE_HEADER_LEN],
    versions: &[u32],
    expected: &'static str,
) -> Result<(u32, u32), BinFileError> {
    if &header[..4] != kind.as_bytes() {
        return Err(BinFileError::BadMagic { kind, found: String::from_utf8_lossy(&header[..4]).into_owned() });
    }
    let version = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    if !versions.contains(&version) {
        return Err(BinFileError::UnsupportedVersion { kind, found: version, expected });
    }
    let count = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
    Ok((version, count))
}

impl SectionTable {
    /// Reads the header and section headers of a container from `reader`,
    /// seeking over section bodies. Accepts the versions in `versions`
    /// (`expected` describes them in error messages).
    ///
    /// # Errors
    ///
    /// [`BinFileError`] if the magic or version is wrong, a section runs past
    /// the end of the file, bytes follow the last section, or reading fails.
    pub fn scan<R: Read + Seek>(
        reader: &mut R,
        kind: &'static str,
        versions: &[u32],
        expected: &'static str,
    ) -> Result<SectionTable, BinFileError> {
        let io = |source| BinFileError::Io { kind, source };
        let file_len = reader.seek(SeekFrom::End(0)).map_err(io)?;
        if file_len < FILE_HEADER_LEN as u64 {
            return Err(BinFileError::TooShort { kind, len: file_len });
        }
        reader.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut header = [0u8; FILE_HEADER_LEN];
        reader.read_exact(&mut header).map_err(io)?;
        let (version, count) = check_magic_version(kind, &header, versions, expected)?;
        let mut sections = Vec::new();
        let mut pos = FILE_HEADER_LEN as u64;
        for index in 0..count {
            if file_len - pos < SECTION_HEADER_LEN as u64 {
                return Err(BinFileError::SectionOverrun {
                    kind,
                    index,
                    section_type: 0,
                    claimed: SECTION_HEADER_LEN as u64,
                    offset: pos,
                    file_len,
                });
            }
            reader.seek(SeekFrom::Start(pos)).map_err(io)?;
            let mut sh = [0u8; SECTION_HEADER_LEN];
            reader.read_exact(&mut sh).map_err(io)?;
            let entry = section_entry(kind, index, &sh, pos, file_len)?;
            pos = entry.offset + entry.size;
            sections.push(entry);
        }
        if pos != file_len {
            return Err(BinFileError::TrailingBytes { kind, extra: file_len - pos, sections: count });
        }
        Ok(SectionTable { kind, version, sections, file_len })
    }

    /// The unique section of type `section_type`.
    ///
    /// # Errors
    ///
    /// [`BinFileError::MissingSection`] or [`BinFileError::DuplicateSection`].
    pub fn unique(&self, section_type: u32) -> Result<SectionEntry, BinFileError> {
        let mut found = self.sections.iter().filter(|s| s.section_type == section_type);
        let first = found.next().ok_or(BinFileError::MissingSection { kind: self.kind, section: section_type })?;
        let extra = found.count();
        if extra > 0 {
            return Err(BinFileError::DuplicateSection { kind: self.kind, section: section_type, count: extra + 1 });
        }
        Ok(*first)
    }

    /// Whether a section of type `section_type` is present.
    #[must_use]
    pub fn has(&self, section_type: u32) -> bool {
        self.sections.iter().any(|s| s.section_type == section_type)
    }
}

fn section_entry(
    kind: &'static str,
    index: u32,
    sh: &[u8; SECTION_HEADER_LEN],
    pos: u64,
    file_len: u64,
) -> Result<SectionEntry, BinFileError> {
    let section_type = u32::from_le_bytes([sh[0], sh[1], sh[2], sh[3]]);
    let mut size_bytes = [0u8; 8];
    size_bytes.copy_from_slice(&sh[4..12]);
    let size = u64::from_le_bytes(size_bytes);
    let offset = pos + SECTION_HEADER_LEN as u64;
    if size > file_len - offset {
        return Err(BinFileError::SectionOverrun { kind, index, section_type, claimed: size, offset, file_len });
    }
    Ok(SectionEntry { section_type, offset, size })
}

/// A container held in memory, its section table checked against its
/// length.
#[derive(Debug, Clone)]
pub struct BinFile<'a> {
    bytes: &'a [u8],
    table: SectionTable,
}

impl<'a> BinFile<'a> {
    /// Parses the container in `bytes`. Accepts the versions in `versions`
    /// (`expected` describes them in error messages).
    ///
    /// # Errors
    ///
    /// [`BinFileError`] if the file is shorter than its header, the magic or
    /// version is wrong, a section runs past the end, or bytes follow the
    /// last section.
    pub fn parse(
        bytes: &'a [u8],
        kind: &'static str,
        versions: &[u32],
        expected: &'static str,
    ) -> Result<BinFile<'a>, BinFileError> {
        let table = SectionTable::scan(&mut std::io::Cursor::new(bytes), kind, versions, expected)?;
        Ok(BinFile { bytes, table })
    }

    /// The section table.
    #[must_use]
    pub fn table(&self) -> &SectionTable {
        &self.table
    }

    /// The container's version.
    #[must_use]
    pub fn version(&self) -> u32 {
        self.table.version
    }

    /// The body of the unique section of type `section_type`.
    ///
    /// # Errors
    ///
    /// [`BinFileError::MissingSection`] or [`BinFileError::DuplicateSection`].
    pub fn section(&self, section_type: u32) -> Result<&'a [u8], BinFileError> {
        let entry = self.table.unique(section_type)?;
        Ok(&self.bytes[range(entry)])
    }

    /// The body of the unique section of type `section_type`, or `None` if
    /// there is none.
    ///
    /// # Errors
    ///
    /// [`BinFileError::DuplicateSection`].
    pub fn optional_section(&self, section_type: u32) -> Result<Option<&'a [u8]>, BinFileError> {
        if self.table.has(section_type) {
            self.section(section_type).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// The byte range of a section checked by [`SectionTable::scan`] against a
/// file of at most `usize::MAX` bytes (it is in memory).
fn range(entry: SectionEntry) -> Range<usize> {
    // Both ends are at most the in-memory file's length, so they fit.
    let start = usize::try_from(entry.offset).unwrap_or(usize::MAX);
    let end = usize::try_from(entry.offset + entry.size).unwrap_or(usize::MAX);
    start..end
}

/// A cursor over a section's body that reports where it ran out.
#[derive(Debug, Clone)]
pub struct SectionReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// A section's body ended before a value it must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the section ends at byte {len} but {wanted} more bytes were needed at byte {at}")]
pub struct SectionEnd {
    /// Where the read started.
    pub at: usize,
    /// How many bytes it needed.
    pub wanted: usize,
    /// The section's length.
    pub len: usize,
}

impl<'a> SectionReader<'a> {
    /// A reader at the start of `bytes`.
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        SectionReader { bytes, pos: 0 }
    }

    /// The next `n` bytes.
    ///
    /// # Errors
    ///
    /// [`SectionEnd`] if fewer than `n` bytes are left.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], SectionEnd> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(SectionEnd {
            at: self.pos,
            wanted: n,
            len: self.bytes.len(),
        })?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// The next little-endian u32.
    ///
    /// # Errors
    ///
    /// [`SectionEnd`] if fewer than 4 bytes are left.
    pub fn u32(&mut self) -> Result<u32, SectionEnd> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The next little-endian u64.
    ///
    /// # Errors
    ///
    /// [`SectionEnd`] if fewer than 8 bytes are left.
    pub fn u64(&mut self) -> Result<u64, SectionEnd> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// The next byte.
    ///
    /// # Errors
    ///
    /// [`SectionEnd`] if the section is exhausted.
    pub fn u8(&mut self) -> Result<u8, SectionEnd> {
        Ok(self.take(1)?[0])
    }

    /// Bytes not yet read.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The current position.
    #[must_use]
    pub fn position(&self) -> usize {
        self.pos
    }
}

/// Writes a container the way snarkjs does: the header, then each section
/// with its size filled in when it ends.
#[derive(Debug, Clone)]
pub struct BinWriter {
    buf: Vec<u8>,
    sections: u32,
}

impl BinWriter {
    /// A container of kind `magic` (four ASCII bytes) and `version`.
    #[must_use]
    pub fn new(magic: &[u8; 4], version: u32) -> Self {
        let mut buf = Vec::with_capacity(FILE_HEADER_LEN);
        buf.extend_from_slice(magic);
        buf.extend_from_slice(&version.to_le_bytes());
        buf.extend_from_slice(&0u32.to_le_bytes());
        BinWriter { buf, sections: 0 }
    }

    /// Appends a section of type `section_type` whose body `body` writes.
    pub fn section(&mut self, section_type: u32, body: impl FnOnce(&mut Vec<u8>)) {
        self.buf.extend_from_slice(&section_type.to_le_bytes());
        let size_at = self.buf.len();
        self.buf.extend_from_slice(&0u64.to_le_bytes());
        body(&mut self.buf);
        let size = (self.buf.len() - size_at - 8) as u64;
        self.buf[size_at..size_at + 8].copy_from_slice(&size.to_le_bytes());
        self.sections += 1;
    }

    /// The finished file, its section count filled in.
    #[must_use]
    pub fn finish(mut self) -> Vec<u8> {
        self.buf[8..12].copy_from_slice(&self.sections.to_le_bytes());
        self.buf
    }
}
