//! Requests at rest: a job's request (it holds the holder's secret) is
//! stored only sealed with ChaCha20-Poly1305 under a key from the
//! configuration, bound to the job's id, and is deleted when the job ends.
//! Idempotency compares requests by an HMAC under the same key, so the
//! database holds no digest anyone without the key could test guesses
//! against.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::ServiceError;

const NONCE_BYTES: usize = 12;

/// Seals and opens job requests; computes request fingerprints.
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    mac_key: [u8; 32],
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Sealer {
    /// A sealer for the 32-byte master key.
    pub fn new(master: &[u8; 32]) -> Self {
        let cipher_key = derive(master, b"zkcomply/service/seal/v1");
        Self {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&cipher_key)),
            mac_key: derive(master, b"zkcomply/service/request-mac/v1"),
        }
    }

    /// Reads the key file: 64 hex digits (surrounding whitespace allowed).
    ///
    /// # Errors
    /// [`ServiceError::Config`] naming the file and what was expected
    /// (never the file's content).
    pub fn from_key_file(path: &Path) -> Result<Self, ServiceError> {
        let err =
            |message: &str| ServiceError::Config { path: path.display().to_string(), message: message.to_string() };
        let text =
            std::fs::read_to_string(path).map_err(|e| err(&format!("encryption_key_file cannot be read: {e}")))?;
        let bytes = hex::decode(text.trim())
            .map_err(|_| err("encryption key: expected 64 hex digits (zkcomply service new-encryption-key)"))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| err("encryption key: expected 32 bytes (64 hex digits)"))?;
        Ok(Self::new(&key))
    }

    /// A new random key as 64 hex digits.
    pub fn new_key_hex() -> String {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        hex::encode(key)
    }

    /// Seals `plaintext` for job `job_id`: nonce || ciphertext || tag.
    pub fn seal(&self, job_id: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: job_id.as_bytes() })
            .expect("ChaCha20-Poly1305 encrypts any message under 256 GiB");
        [nonce.as_slice(), &sealed].concat()
    }

    /// Opens what [`Sealer::seal`] sealed for `job_id`.
    ///
    /// # Errors
    /// [`ServiceError::Unseal`] for another key, another job or altered bytes.
    pub fn open(&self, job_id: &str, sealed: &[u8]) -> Result<Vec<u8>, ServiceError> {
        let unseal = || ServiceError::Unseal { job: job_id.to_string() };
        if sealed.len() < NONCE_BYTES {
            return Err(unseal());
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad: job_id.as_bytes() })
            .map_err(|_| unseal())
    }

    /// The request fingerprint: HMAC-SHA256 of the canonical request, hex.
    pub fn fingerprint(&self, canonical_request: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("HMAC takes any key length");
        mac.update(canonical_request);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Writes a new key file (64 hex digits and a newline), readable by its
/// owner only; refuses to overwrite an existing file.
///
/// # Errors
/// [`zkcomply_prover::ProverError::Format`] naming the file.
pub fn write_new_key_file(path: &Path) -> Result<(), zkcomply_prover::ProverError> {
    write_private_file(path, &format!("{}\n", Sealer::new_key_hex()))
}

/// Writes `text` to a new file readable by its owner only; refuses to
/// overwrite an existing file, and removes a half-written one.
///
/// # Errors
/// [`zkcomply_prover::ProverError::Format`] naming the file.
pub fn write_private_file(path: &Path, text: &str) -> Result<(), zkcomply_prover::ProverError> {
    use std::io::Write;
    let io = |source| zkcomply_verifier::FormatError::Io { path: path.display().to_string(), source };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        let _ = std::fs::remove_file(path);
        return Err(io(e).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_opens_only_for_its_job_and_key() {
        let sealer = Sealer::new(&[7; 32]);
        let sealed = sealer.seal("job-1", b"secret request");
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(sealer.open("job-1", &sealed).unwrap(), b"secret request");
        assert!(sealer.open("job-2", &sealed).is_err(), "bound to the job id");
        assert!(Sealer::new(&[8; 32]).open("job-1", &sealed).is_err(), "another key");
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(sealer.open("job-1", &altered).is_err(), "altered bytes");
        assert!(sealer.open("job-1", &sealed[..5]).is_err(), "too short");
    }

    #[test]
    fn fingerprint_depends_on_key_and_request() {
        let a = Sealer::new(&[1; 32]);
        assert_eq!(a.fingerprint(b"x"), a.fingerprint(b"x"));
        assert_ne!(a.fingerprint(b"x"), a.fingerprint(b"y"));
        assert_ne!(a.fingerprint(b"x"), Sealer::new(&[2; 32]).fingerprint(b"x"));
    }
}
