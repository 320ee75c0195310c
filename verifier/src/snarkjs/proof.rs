//! A bundle's proof in snarkjs's files: `proof.json` (as `snarkjs groth16
//! prove` writes it), `public.json` (the public signals, decimal strings)
//! and the key's `verification_key.json`, for `snarkjs groth16 verify` or
//! snarkjs's Solidity verifier.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde::Serialize;
use zkcomply_circuits::field::{fr_to_decimal, parse_fr};

use super::coordinates::{g1_json, g2_json, G1Json, G2Json};
use super::verification_key::SnarkjsVerificationKey;
use super::{CURVE, PROTOCOL};
use crate::backend::groth16::Proof;
use crate::backend::Backend;
use crate::bundle::Bundle;
use crate::error::FormatError;
use crate::io::write_atomic;
use crate::keys::VerifyingKeyFile;

/// The proof's file name.
pub const PROOF_FILE: &str = "proof.json";
/// The public signals' file name.
pub const PUBLIC_FILE: &str = "public.json";
/// The verification key's file name.
pub const VERIFICATION_KEY_FILE: &str = "verification_key.json";

/// `proof.json`, field for field in snarkjs's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnarkjsProof {
    /// `A`.
    pub pi_a: G1Json,
    /// `B`.
    pub pi_b: G2Json,
    /// `C`.
    pub pi_c: G1Json,
    /// `groth16`.
    pub protocol: String,
    /// `bn128`.
    pub curve: String,
}

impl SnarkjsProof {
    /// The document for a Groth16 proof.
    pub fn from_proof(proof: &Proof) -> Self {
        Self {
            pi_a: g1_json(&proof.a),
            pi_b: g2_json(&proof.b),
            pi_c: g1_json(&proof.c),
            protocol: PROTOCOL.into(),
            curve: CURVE.into(),
        }
    }
}

/// The three files of one bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnarkjsExport {
    /// `proof.json`.
    pub proof: SnarkjsProof,
    /// `public.json`: the bundle's public inputs, in order.
    pub public: Vec<String>,
    /// `verification_key.json`.
    pub verification_key: SnarkjsVerificationKey,
}

/// The snarkjs files for `bundle`, made with `vk`: checks that the bundle
/// is a Groth16 bundle for that key, and decodes its proof (every point
/// checked) and public inputs (each below `r`). Verifies nothing else: a
/// bundle's verdict is `verify`'s.
///
/// # Errors
/// [`FormatError`] naming the bundle's field (`backend`,
/// `verifying_key_hash`, `proof`, `public_inputs[i]`) or the key's.
pub fn export(bundle: &Bundle, vk: &VerifyingKeyFile) -> Result<SnarkjsExport, FormatError> {
    let bad = |path: &str, m: String| FormatError::invalid("bundle", path, m);
    if bundle.backend != Backend::Groth16Bn254.id() {
        return Err(bad("backend", format!("snarkjs verifies {} proofs only", Backend::Groth16Bn254.id())));
    }
    let key = vk
        .prepared
        .as_groth16()
        .ok_or_else(|| FormatError::invalid("verifying key", "backend", "snarkjs verifies Groth16 keys only"))?;
    if bundle.verifying_key_hash != vk.hash() {
        return Err(bad(
            "verifying_key_hash",
            format!("the bundle was made for key {}, the key given is {}", bundle.verifying_key_hash, vk.hash()),
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(bundle.proof.as_bytes())
        .map_err(|e| bad("proof", format!("expected standard padded base64: {e}")))?;
    let proof = Proof::from_bytes(&bytes).map_err(|e| bad("proof", e.to_string()))?;
    let expected = key.vk.public_input_count();
    if bundle.public_inputs.len() != expected {
        return Err(bad(
            "public_inputs",
            format!("the key takes {expected} public inputs, the bundle has {}", bundle.public_inputs.len()),
        ));
    }
    let public = bundle
        .public_inputs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            parse_fr(s).map(|x| fr_to_decimal(&x)).map_err(|e| bad(&format!("public_inputs[{i}]"), e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SnarkjsExport {
        proof: SnarkjsProof::from_proof(&proof),
        public,
        verification_key: SnarkjsVerificationKey::from_key(&key.vk),
    })
}

impl SnarkjsExport {
    /// Writes `proof.json`, `public.json` and `verification_key.json` into
    /// `dir` (created if missing), each atomically; returns their paths.
    ///
    /// # Errors
    /// [`FormatError::Io`] naming the directory or file.
    pub fn write_dir(&self, dir: &Path) -> Result<Vec<PathBuf>, FormatError> {
        std::fs::create_dir_all(dir).map_err(|source| FormatError::Io { path: dir.display().to_string(), source })?;
        let files = [
            (PROOF_FILE, pretty(&self.proof)),
            (PUBLIC_FILE, pretty(&self.public)),
            (VERIFICATION_KEY_FILE, pretty(&self.verification_key)),
        ];
        let mut written = Vec::with_capacity(files.len());
        for (name, text) in files {
            let path = dir.join(name);
            write_atomic(&path, text.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }
}

/// Pretty JSON text, as snarkjs writes its files.
fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("snarkjs documents have only string keys and plain values") + "\n"
}
