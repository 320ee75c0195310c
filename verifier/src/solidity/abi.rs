//! The gate's functions and their ABI encoding: a call is its selector
//! and 32-byte words (every argument a static word or array of words, or,
//! for `withdrawBatch`'s items, the words of the ABI's dynamic-array head
//! and tail, laid out by the caller).

use tiny_keccak::{Hasher, Keccak};

/// `withdraw(proof, withdrawal, statement, signals)`.
pub const WITHDRAW: &str = "withdraw(uint256[8],uint256[7],uint256[18],uint256[4])";
/// `withdrawBatch(proof, shared, items, statement, signals)`.
pub const WITHDRAW_BATCH: &str = "withdrawBatch(uint256[8],uint256[4],uint256[3][],uint256[18],uint256[4])";
/// `setBatchVerifier(verifier)`.
pub const SET_BATCH_VERIFIER: &str = "setBatchVerifier(address)";
/// `approveStatement(statement, assetKey, statementHash)`.
pub const APPROVE_STATEMENT: &str = "approveStatement(uint256[18],uint256,uint256)";
/// `setRules(exchangeKey, minTier, epochSeconds, maxClockSkewSeconds, requireJurisdictionDisclosure)`.
pub const SET_RULES: &str = "setRules(uint256,uint8,uint64,uint64,bool)";
/// `setBlockedJurisdictions(jurisdictions)`.
pub const SET_BLOCKED_JURISDICTIONS: &str = "setBlockedJurisdictions(uint16[8])";
/// `setIssuer(x, y, accepted)`.
pub const SET_ISSUER: &str = "setIssuer(uint256,uint256,bool)";
/// `setSanctionsRoot(kind, root, accepted)` (kind 0 identity, 1 address).
pub const SET_SANCTIONS_ROOT: &str = "setSanctionsRoot(uint8,uint256,bool)";
/// `setRevocationRoot(issuerX, issuerY, root, accepted)`.
pub const SET_REVOCATION_ROOT: &str = "setRevocationRoot(uint256,uint256,uint256,bool)";
/// `setAsset(assetKey, limits, epochCap, listed)`.
pub const SET_ASSET: &str = "setAsset(uint256,uint128[4],uint128,bool)";
/// `verifyProof(proof, input)` of the verifier contract.
pub const VERIFY_PROOF: &str = "verifyProof(uint256[8],uint256[6])";
/// `contextOf(withdrawal)`.
pub const CONTEXT_OF: &str = "contextOf(uint256[7])";

/// The first four bytes of `keccak256(signature)`.
pub fn selector(signature: &str) -> [u8; 4] {
    let mut k = Keccak::v256();
    k.update(signature.as_bytes());
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    [out[0], out[1], out[2], out[3]]
}

/// One contract call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The function's signature, e.g. [`WITHDRAW`].
    pub function: &'static str,
    /// The arguments, flattened into words.
    pub words: Vec<[u8; 32]>,
}

impl Call {
    /// Selector followed by the words.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 32 * self.words.len());
        out.extend_from_slice(&selector(self.function));
        for w in &self.words {
            out.extend_from_slice(w);
        }
        out
    }

    /// [`Call::encode`] as `0x`-prefixed lowercase hex.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.encode()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_of_a_known_signature() {
        // keccak256("transfer(address,uint256)") starts with a9059cbb (ERC-20).
        assert_eq!(selector("transfer(address,uint256)"), [0xa9, 0x05, 0x9c, 0xbb]);
    }
}
