//! The halo2 verifying key: canonical bytes anyone can rebuild from the
//! circuit, and the prepared key they decode to.
//!
//! halo2 derives a verifying key from the circuit and the public
//! parameters alone (`keygen_vk`), and `halo2_proofs` 0.4 has no way to
//! serialise one; so the key's bytes carry what a verifier needs to
//! rebuild it and to know it rebuilt the right one:
//!
//! | bytes | content |
//! |---|---|
//! | 24 | `zkcomply/halo2-ipa-bn254` |
//! | 1 | format version, 1 |
//! | 4 | `k`, little-endian: the circuit has `2^k` rows |
//! | 32 | SHA-256 of the key halo2 derives (its pinned form, which covers the constraint system, the fixed and permutation commitments and the domain) |
//! | rest | the parameters in `halo2_proofs`' own layout: `k`, then `2^k` generators, their `2^k` Lagrange-basis forms, `w` and `u`, each a 32-byte compressed point |
//!
//! The parameters are drawn from the public seed `Halo2-Parameters` by
//! hash-to-curve (`Params::new`); drawing them takes seconds (the
//! Lagrange basis is a group FFT), so they travel in the key, and a
//! verifier checks them against [`CANONICAL_PARAMS_SHA256`], compiled in.
//! It then rebuilds the verifying key from its own circuit and compares
//! digests. A key that decodes is therefore the one this verifier's circuit
//! gives, whoever published it: there is no trapdoor and nothing to trust.
//!
//! Decoding takes a fraction of a second (reading the parameters and
//! committing to the circuit's fixed columns), so prepared keys are kept per process,
//! keyed by the SHA-256 of their bytes.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use ark_bn254::Fr;
use halo2_proofs::plonk::{keygen_vk, verify_proof, SingleVerifier, VerifyingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bRead, Challenge255};
use sha2::{Digest, Sha256};
use zkcomply_bn254::G1Affine;
use zkcomply_circuits::halo2::to_fp;
use zkcomply_circuits::halo2::withdrawal::{WithdrawalCircuit, K};
use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;

use super::{BackendError, Proof};

/// The first bytes of every halo2 key.
pub const KEY_MAGIC: &[u8; 24] = b"zkcomply/halo2-ipa-bn254";
/// The key format's version.
pub const KEY_FORMAT_VERSION: u8 = 1;
/// The header before the parameters: magic, version, `k`, digest.
const HEADER_BYTES: usize = KEY_MAGIC.len() + 1 + 4 + 32;
/// A compressed point.
const POINT_BYTES: usize = 32;

/// SHA-256 of the canonical parameters for `k = K` (`Params::new(K)`,
/// written by `Params::write`): what every key's parameters must hash to.
/// (`613e7d24…6e44`; `tests/halo2_keys.rs` draws them afresh and compares.)
pub const CANONICAL_PARAMS_SHA256: [u8; 32] = [
    0x61, 0x3e, 0x7d, 0x24, 0x2e, 0x2a, 0xc4, 0xe0, 0x2a, 0xad, 0x02, 0xb2, 0x69, 0x20, 0x39, 0x63, 0xf8, 0x2e, 0x91,
    0xb7, 0x04, 0x90, 0x31, 0x19, 0x05, 0xf0, 0x45, 0x05, 0x98, 0x46, 0x6e, 0x44,
];

/// The bytes of the parameters for `2^k` rows.
const fn params_bytes(k: u32) -> usize {
    4 + (2 * (1usize << k) + 2) * POINT_BYTES
}

/// A halo2 verifying key, decoded, checked against this verifier's circuit
/// and ready to verify. Cheap to clone (shared).
#[derive(Clone)]
pub struct PreparedVerifyingKey {
    inner: Arc<Prepared>,
}

struct Prepared {
    /// The canonical bytes.
    bytes: Vec<u8>,
    params: Params<G1Affine>,
    vk: VerifyingKey<G1Affine>,
    /// SHA-256 of `vk`'s pinned form.
    digest: [u8; 32],
}

impl fmt::Debug for PreparedVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedVerifyingKey")
            .field("k", &self.inner.params.k())
            .field("digest", &hex::encode(self.inner.digest))
            .finish_non_exhaustive()
    }
}

fn decode_error(why: impl Into<String>) -> BackendError {
    BackendError::Decode { what: "halo2 verifying key", why: why.into() }
}

/// SHA-256 of the pinned form of a key halo2 derived: the same string
/// halo2 hashes into each proof's transcript.
fn vk_digest(vk: &VerifyingKey<G1Affine>) -> [u8; 32] {
    Sha256::digest(format!("{:?}", vk.pinned()).as_bytes()).into()
}

/// The verifying key of the withdrawal circuit under `params`.
fn derive(params: &Params<G1Affine>) -> Result<VerifyingKey<G1Affine>, BackendError> {
    keygen_vk(params, &WithdrawalCircuit::default())
        .map_err(|e| decode_error(format!("the withdrawal circuit does not give a key: {e:?}")))
}

/// Prepared keys by the SHA-256 of their bytes.
type KeyCache = Mutex<Vec<([u8; 32], PreparedVerifyingKey)>>;

/// Prepared keys of this process (a verifier holds one or two keys; the
/// last few decoded are kept).
fn cache() -> &'static KeyCache {
    static CACHE: OnceLock<KeyCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

/// How many prepared keys [`cache`] keeps.
const CACHED_KEYS: usize = 4;

impl PreparedVerifyingKey {
    /// Draws the canonical parameters from the public seed and derives the
    /// withdrawal circuit's key: what `zkcomply setup --backend halo2` and
    /// `zkcomply-verify keygen --backend halo2` write. Takes seconds.
    ///
    /// # Errors
    /// [`BackendError::Decode`] if the circuit does not fit its `k` (a bug).
    pub fn generate() -> Result<Self, BackendError> {
        let params = Params::<G1Affine>::new(K);
        let vk = derive(&params)?;
        let digest = vk_digest(&vk);
        let mut bytes = Vec::with_capacity(HEADER_BYTES + params_bytes(K));
        bytes.extend_from_slice(KEY_MAGIC);
        bytes.push(KEY_FORMAT_VERSION);
        bytes.extend_from_slice(&K.to_le_bytes());
        bytes.extend_from_slice(&digest);
        params.write(&mut bytes).map_err(|e| decode_error(format!("writing the parameters: {e}")))?;
        Ok(Self { inner: Arc::new(Prepared { bytes, params, vk, digest }) })
    }

    /// Decodes a key's canonical bytes: the header, parameters equal to the
    /// canonical ones, and a digest equal to that of the key this
    /// verifier's circuit gives.
    ///
    /// # Errors
    /// [`BackendError::Decode`] naming what differs.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BackendError> {
        let sha256: [u8; 32] = Sha256::digest(bytes).into();
        let cached = cache().lock().ok().and_then(|c| c.iter().find(|(h, _)| *h == sha256).map(|(_, k)| k.clone()));
        if let Some(key) = cached {
            return Ok(key);
        }
        let key = Self::decode(bytes)?;
        if let Ok(mut cache) = cache().lock() {
            if cache.len() == CACHED_KEYS {
                cache.remove(0);
            }
            cache.push((sha256, key.clone()));
        }
        Ok(key)
    }

    fn decode(bytes: &[u8]) -> Result<Self, BackendError> {
        let Some((header, params_bytes_given)) = bytes.split_at_checked(HEADER_BYTES) else {
            return Err(decode_error(format!("{} bytes, shorter than its {HEADER_BYTES}-byte header", bytes.len())));
        };
        let (magic, rest) = header.split_at(KEY_MAGIC.len());
        if magic != KEY_MAGIC {
            return Err(decode_error("does not start with \"zkcomply/halo2-ipa-bn254\""));
        }
        let (version, rest) = rest.split_at(1);
        if version[0] != KEY_FORMAT_VERSION {
            return Err(decode_error(format!("format version {}, expected {KEY_FORMAT_VERSION}", version[0])));
        }
        let (k, digest) = rest.split_at(4);
        let k = u32::from_le_bytes(k.try_into().map_err(|_| decode_error("short header"))?);
        if k != K {
            return Err(decode_error(format!("k = {k}, but the withdrawal circuit has k = {K}")));
        }
        if params_bytes_given.len() != params_bytes(K) {
            return Err(decode_error(format!(
                "{} bytes of parameters, expected {} for k = {K}",
                params_bytes_given.len(),
                params_bytes(K)
            )));
        }
        let params_sha256: [u8; 32] = Sha256::digest(params_bytes_given).into();
        if params_sha256 != CANONICAL_PARAMS_SHA256 {
            return Err(decode_error(format!(
                "the parameters are not the canonical ones drawn from the public seed (SHA-256 {}, expected {})",
                hex::encode(params_sha256),
                hex::encode(CANONICAL_PARAMS_SHA256)
            )));
        }
        let params = Params::<G1Affine>::read(&mut &params_bytes_given[..])
            .map_err(|e| decode_error(format!("parameters: {e}")))?;
        let vk = derive(&params)?;
        let derived = vk_digest(&vk);
        if derived != digest {
            return Err(decode_error(format!(
                "the key is for another version of the withdrawal circuit: its digest {} differs from the {} this \
                 verifier's circuit gives",
                hex::encode(digest),
                hex::encode(derived)
            )));
        }
        Ok(Self { inner: Arc::new(Prepared { bytes: bytes.to_vec(), params, vk, digest: derived }) })
    }

    /// The canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.bytes.clone()
    }

    /// The public parameters.
    pub fn params(&self) -> &Params<G1Affine> {
        &self.inner.params
    }

    /// The key halo2 derived.
    pub fn verifying_key(&self) -> &VerifyingKey<G1Affine> {
        &self.inner.vk
    }

    /// SHA-256 of the derived key's pinned form.
    pub fn digest(&self) -> [u8; 32] {
        self.inner.digest
    }

    /// Whether `proof` verifies for `inputs`: the transcript reads and
    /// checks out to its last byte.
    ///
    /// # Errors
    /// [`BackendError::InputCount`] unless six inputs are given.
    pub fn verify(&self, proof: &Proof, inputs: &[Fr]) -> Result<bool, BackendError> {
        if inputs.len() != PUBLIC_INPUT_COUNT {
            return Err(BackendError::InputCount { expected: PUBLIC_INPUT_COUNT, found: inputs.len() });
        }
        let instance: Vec<_> = inputs.iter().map(|x| to_fp(*x)).collect();
        let mut unread = proof.as_bytes();
        let verified = {
            let mut transcript = Blake2bRead::<_, G1Affine, Challenge255<G1Affine>>::init(&mut unread);
            let strategy = SingleVerifier::new(&self.inner.params);
            verify_proof(&self.inner.params, &self.inner.vk, strategy, &[&[&instance]], &mut transcript).is_ok()
        };
        Ok(verified && unread.is_empty())
    }
}
