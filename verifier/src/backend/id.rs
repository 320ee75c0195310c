//! The backend ids written in bundles, key files and policies.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A proof system, as named by the `backend` field of bundles and key files
/// and the `backends` field of policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Backend {
    /// Groth16 over BN254: `groth16-bn254`.
    Groth16Bn254,
    /// halo2 (PLONKish, IPA commitments) over BN254's G1, no trusted
    /// setup: `halo2-ipa-bn254`.
    Halo2IpaBn254,
}

impl Backend {
    /// Every backend this verifier knows.
    pub const ALL: &'static [Backend] = &[Backend::Groth16Bn254, Backend::Halo2IpaBn254];

    /// The id in documents, e.g. `groth16-bn254`.
    pub const fn id(self) -> &'static str {
        match self {
            Backend::Groth16Bn254 => "groth16-bn254",
            Backend::Halo2IpaBn254 => "halo2-ipa-bn254",
        }
    }

    /// The proof system's name in messages, e.g. `Groth16`.
    pub const fn proof_system(self) -> &'static str {
        match self {
            Backend::Groth16Bn254 => "Groth16",
            Backend::Halo2IpaBn254 => "halo2 (IPA)",
        }
    }

    /// The backend with this id.
    ///
    /// # Errors
    /// [`UnknownBackend`] for an id this verifier does not know.
    pub fn from_id(id: &str) -> Result<Self, UnknownBackend> {
        Self::ALL
            .iter()
            .copied()
            .find(|b| b.id() == id)
            .ok_or_else(|| UnknownBackend { id: zkcomply_circuits::text::shorten(id).into_owned() })
    }

    /// The known ids, comma-separated, for messages.
    pub fn known_ids() -> String {
        Self::ALL.iter().map(|b| b.id()).collect::<Vec<_>>().join(", ")
    }
}

/// A backend id this verifier does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown backend {id:?}; this verifier knows {}", Backend::known_ids())]
pub struct UnknownBackend {
    /// The id found (shortened when long).
    pub id: String,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Backend {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Backend {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Backend::from_id(&id).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_are_named() {
        for b in Backend::ALL {
            assert_eq!(Backend::from_id(b.id()), Ok(*b));
            assert_eq!(serde_json::to_string(b).unwrap(), format!("\"{}\"", b.id()));
            assert_eq!(serde_json::from_str::<Backend>(&format!("\"{b}\"")).unwrap(), *b);
        }
        let e = Backend::from_id("groth16").unwrap_err().to_string();
        assert_eq!(e, "unknown backend \"groth16\"; this verifier knows groth16-bn254, halo2-ipa-bn254");
    }
}
