//! snarkjs's `verification_key.json` for Groth16 (`snarkjs zkey export
//! verificationkey`): written from a zkcomply key, and read into one with
//! every point checked.
//!
//! ```json
//! { "protocol": "groth16", "curve": "bn128", "nPublic": 6,
//!   "vk_alpha_1": ["<x>", "<y>", "1"],
//!   "vk_beta_2": [["<x.c0>", "<x.c1>"], ["<y.c0>", "<y.c1>"], ["1", "0"]],
//!   "vk_gamma_2": "...", "vk_delta_2": "...",
//!   "vk_alphabeta_12": "e(alpha, beta), [[[a, b]; 3]; 2]",
//!   "IC": [["<x>", "<y>", "1"], "... nPublic + 1 points"] }
//! ```
//!
//! Reading refuses unknown fields, another protocol or curve, an `nPublic`
//! other than the withdrawal statement's 6, an `IC` of other than 7
//! points, any point off its curve, outside the prime-order subgroup or at
//! infinity, and a `vk_alphabeta_12` that is not `e(alpha, beta)` (snarkjs
//! always writes it; it may be left out). Errors name the field.

use ark_ec::pairing::Pairing;
use serde::{Deserialize, Serialize};
use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;
use zkcomply_circuits::text::shorten;

use super::coordinates::{g1_json, g2_json, gt_json, parse_g1, parse_g2, parse_gt, G1Json, G2Json, GtJson};
use super::{CURVE, PROTOCOL};
use crate::backend::groth16::VerifyingKey;
use crate::error::{parse_json, FormatError};
use crate::limits::MAX_VERIFYING_KEY_BYTES;

/// The document's name in errors.
pub const DOCUMENT: &str = "snarkjs verification key";

/// The document, field for field in snarkjs's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnarkjsVerificationKey {
    /// `groth16`.
    pub protocol: String,
    /// `bn128`.
    pub curve: String,
    /// The number of public inputs.
    #[serde(rename = "nPublic")]
    pub n_public: u64,
    /// `[alpha]_1`.
    pub vk_alpha_1: G1Json,
    /// `[beta]_2`.
    pub vk_beta_2: G2Json,
    /// `[gamma]_2`.
    pub vk_gamma_2: G2Json,
    /// `[delta]_2`.
    pub vk_delta_2: G2Json,
    /// `e(alpha, beta)`: snarkjs writes it; optional when reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vk_alphabeta_12: Option<GtJson>,
    /// The input bases (`gamma_abc_g1`): one for the constant, one per
    /// public input.
    #[serde(rename = "IC")]
    pub ic: Vec<G1Json>,
}

impl SnarkjsVerificationKey {
    /// The document for a Groth16 key, as `snarkjs zkey export
    /// verificationkey` writes it.
    pub fn from_key(vk: &VerifyingKey) -> Self {
        let alpha_beta = ark_bn254::Bn254::pairing(vk.alpha_g1, vk.beta_g2).0;
        Self {
            protocol: PROTOCOL.into(),
            curve: CURVE.into(),
            n_public: vk.public_input_count() as u64,
            vk_alpha_1: g1_json(&vk.alpha_g1),
            vk_beta_2: g2_json(&vk.beta_g2),
            vk_gamma_2: g2_json(&vk.gamma_g2),
            vk_delta_2: g2_json(&vk.delta_g2),
            vk_alphabeta_12: Some(gt_json(&alpha_beta)),
            ic: vk.gamma_abc_g1.iter().map(g1_json).collect(),
        }
    }

    /// The JSON text (pretty, as snarkjs writes it).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a key document has only string keys and plain values") + "\n"
    }
}

/// Whether `text` is meant as a snarkjs key: a JSON object with a
/// `protocol` field and no `version` (zkcomply's documents all have one).
/// Anything else, malformed JSON included, is left to zkcomply's parser.
pub fn looks_like_snarkjs(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        protocol: Option<serde::de::IgnoredAny>,
        version: Option<serde::de::IgnoredAny>,
    }
    matches!(serde_json::from_str::<Probe>(text), Ok(Probe { protocol: Some(_), version: None }))
}

/// Parses and checks a snarkjs `verification_key.json` of at most
/// [`MAX_VERIFYING_KEY_BYTES`] into a Groth16 key for the withdrawal
/// statement.
///
/// # Errors
/// [`FormatError`] naming the field (`IC[3]`, `vk_beta_2[1][0]`, ...), or
/// the limit.
pub fn parse(text: &str) -> Result<VerifyingKey, FormatError> {
    MAX_VERIFYING_KEY_BYTES.check(text.len())?;
    let doc: SnarkjsVerificationKey = parse_json(DOCUMENT, text)?;
    let bad = |path: &str, m: String| FormatError::invalid(DOCUMENT, path, m);
    if doc.protocol != PROTOCOL {
        return Err(bad("protocol", format!("expected {PROTOCOL:?}, found {:?}", shorten(&doc.protocol))));
    }
    if doc.curve != CURVE {
        return Err(bad("curve", format!("expected {CURVE:?} (BN254), found {:?}", shorten(&doc.curve))));
    }
    if doc.n_public != PUBLIC_INPUT_COUNT as u64 {
        return Err(bad(
            "nPublic",
            format!("the withdrawal statement has {PUBLIC_INPUT_COUNT} public inputs, the key takes {}", doc.n_public),
        ));
    }
    if doc.ic.len() != PUBLIC_INPUT_COUNT + 1 {
        return Err(bad(
            "IC",
            format!(
                "expected {} points (one per public input and one for the constant), found {}",
                PUBLIC_INPUT_COUNT + 1,
                doc.ic.len()
            ),
        ));
    }
    let alpha_g1 = parse_g1(&doc.vk_alpha_1).map_err(|e| bad("vk_alpha_1", e))?;
    let beta_g2 = parse_g2(&doc.vk_beta_2).map_err(|e| bad("vk_beta_2", e))?;
    let gamma_g2 = parse_g2(&doc.vk_gamma_2).map_err(|e| bad("vk_gamma_2", e))?;
    let delta_g2 = parse_g2(&doc.vk_delta_2).map_err(|e| bad("vk_delta_2", e))?;
    let gamma_abc_g1 = doc
        .ic
        .iter()
        .enumerate()
        .map(|(i, p)| parse_g1(p).map_err(|e| bad(&format!("IC[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(given) = &doc.vk_alphabeta_12 {
        let given = parse_gt(given).map_err(|e| bad("vk_alphabeta_12", e))?;
        if given != ark_bn254::Bn254::pairing(alpha_g1, beta_g2).0 {
            return Err(bad("vk_alphabeta_12", "is not e(vk_alpha_1, vk_beta_2)".into()));
        }
    }
    let vk = VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 };
    // The checks every zkcomply key passes (canonical bytes, no identity),
    // once more on the key's own encoding.
    VerifyingKey::from_bytes(&vk.to_bytes()).map_err(|e| bad(".", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    fn key() -> VerifyingKey {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let g1 = |rng: &mut rand_chacha::ChaCha20Rng| {
            (ark_bn254::G1Projective::generator() * ark_bn254::Fr::rand(rng)).into_affine()
        };
        let g2 = |rng: &mut rand_chacha::ChaCha20Rng| {
            (ark_bn254::G2Projective::generator() * ark_bn254::Fr::rand(rng)).into_affine()
        };
        VerifyingKey {
            alpha_g1: g1(&mut rng),
            beta_g2: g2(&mut rng),
            gamma_g2: g2(&mut rng),
            delta_g2: g2(&mut rng),
            gamma_abc_g1: (0..=PUBLIC_INPUT_COUNT).map(|_| g1(&mut rng)).collect(),
        }
    }

    #[test]
    fn a_key_round_trips_through_snarkjs_json() {
        let vk = key();
        let text = SnarkjsVerificationKey::from_key(&vk).to_json();
        assert!(looks_like_snarkjs(&text));
        assert_eq!(parse(&text).unwrap(), vk);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let fields: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "protocol",
                "curve",
                "nPublic",
                "vk_alpha_1",
                "vk_beta_2",
                "vk_gamma_2",
                "vk_delta_2",
                "vk_alphabeta_12",
                "IC"
            ]
        );
    }

    #[test]
    fn defects_are_refused_naming_the_field() {
        let good = serde_json::to_value(SnarkjsVerificationKey::from_key(&key())).unwrap();
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|v| v["protocol"] = "plonk".into()), "protocol"),
            (Box::new(|v| v["curve"] = "bls12381".into()), "curve"),
            (Box::new(|v| v["nPublic"] = 5.into()), "nPublic"),
            (Box::new(|v| v["IC"].as_array_mut().unwrap().truncate(6)), "IC"),
            (Box::new(|v| v["IC"][3][1] = "1".into()), "IC[3]"),
            (Box::new(|v| v["IC"][6][2] = "0".into()), "IC[6]"),
            (Box::new(|v| v["vk_alpha_1"][0] = "-1".into()), "vk_alpha_1"),
            (Box::new(|v| v["vk_beta_2"][1][0] = "2".into()), "vk_beta_2"),
            (Box::new(|v| v["vk_delta_2"][2] = serde_json::json!(["0", "0"])), "vk_delta_2"),
            (Box::new(|v| v["vk_gamma_2"] = serde_json::json!([["1"]])), "vk_gamma_2"),
            (Box::new(|v| v["vk_alphabeta_12"][0][0][0] = "1".into()), "vk_alphabeta_12"),
            (Box::new(|v| v["extra"] = 1.into()), "extra"),
            (Box::new(|v| v["IC"][0] = 5.into()), "IC[0]"),
        ];
        for (edit, field) in cases {
            let mut v = good.clone();
            edit(&mut v);
            let err = parse(&v.to_string()).unwrap_err().to_string();
            assert!(err.starts_with(DOCUMENT) && err.contains(field), "{field}: {err}");
        }
        let mut without = good.clone();
        without.as_object_mut().unwrap().remove("vk_alphabeta_12");
        assert!(parse(&without.to_string()).is_ok(), "vk_alphabeta_12 is optional");
    }
}
