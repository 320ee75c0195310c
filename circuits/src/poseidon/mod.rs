//! Poseidon exactly as circomlib defines it (x^5 S-box, 8 full rounds,
//! partial rounds by width, state `[0, inputs...]`, output `state[0]`), for
//! 1 to 12 inputs.
//!
//! The native hash delegates to `light-poseidon` (`new_circom`), the
//! reference the rest of the ecosystem checks against; the gadget in
//! [`constraints`] reads the same parameter tables.

use std::cell::RefCell;

use light_poseidon::{Poseidon, PoseidonHasher};

use crate::Fr;

#[cfg(feature = "r1cs")]
pub mod constraints;

/// Most inputs one Poseidon call takes (state width 13).
pub const MAX_INPUTS: usize = 12;

/// Why a hash could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoseidonError {
    /// Zero or more than [`MAX_INPUTS`] inputs.
    #[error("Poseidon takes 1 to {MAX_INPUTS} inputs, got {0}")]
    Arity(usize),
}

thread_local! {
    static HASHERS: RefCell<Vec<Option<Poseidon<Fr>>>> =
        RefCell::new((0..=MAX_INPUTS).map(|_| None).collect());
}

/// circomlib's `Poseidon(n)` of `inputs` (1 <= n <= 12).
///
/// # Errors
/// [`PoseidonError::Arity`] for 0 or more than 12 inputs.
pub fn hash(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    let n = inputs.len();
    if n == 0 || n > MAX_INPUTS {
        return Err(PoseidonError::Arity(n));
    }
    HASHERS.with(|cell| {
        let mut hashers = cell.borrow_mut();
        let hasher = hashers[n].get_or_insert_with(|| {
            // Cannot fail for 1..=12 inputs.
            Poseidon::<Fr>::new_circom(n).expect("circom parameters exist for 1..=12 inputs")
        });
        hasher.hash(inputs).map_err(|_| PoseidonError::Arity(n))
    })
}

/// [`hash`] for a fixed number of inputs known at compile time to be valid.
pub fn hash_fixed<const N: usize>(inputs: [Fr; N]) -> Fr {
    const { assert!(N >= 1 && N <= MAX_INPUTS) };
    // The arity is checked at compile time above.
    hash(&inputs).expect("arity checked at compile time")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::parse_fr;

    fn vectors() -> serde_json::Value {
        let text = include_str!("../../../data/vectors/circomlibjs-poseidon-eddsa.json");
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn agrees_with_circomlibjs_for_every_width() {
        let v = vectors();
        let cases = v["poseidon"].as_array().unwrap();
        let mut widths = std::collections::BTreeSet::new();
        for case in cases {
            let inputs: Vec<Fr> =
                case["inputs"].as_array().unwrap().iter().map(|s| parse_fr(s.as_str().unwrap()).unwrap()).collect();
            widths.insert(inputs.len());
            let expected = parse_fr(case["hash"].as_str().unwrap()).unwrap();
            assert_eq!(hash(&inputs).unwrap(), expected, "inputs {:?}", case["inputs"]);
        }
        assert_eq!(widths, (1..=12).collect());
    }

    #[test]
    fn rejects_bad_arity() {
        assert_eq!(hash(&[]), Err(PoseidonError::Arity(0)));
        assert_eq!(hash(&[Fr::from(1u8); 13]), Err(PoseidonError::Arity(13)));
    }
}
