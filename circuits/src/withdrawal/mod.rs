//! The withdrawal statement: its witness (every value the prover knows)
//! and, with the `r1cs` feature, the Groth16 circuit that enforces every
//! row of the statement table in `docs/STATEMENT.md`.

use ark_ff::Zero;
use num_bigint::BigUint;

use crate::babyjubjub::Point;
use crate::eddsa::{PublicKey, Signature, SignatureError};
use crate::encoding::{id_commitment, nullifier, ContextFields};
use crate::field::{biguint_to_fr, fr_to_biguint};
use crate::imt::{ImtError, IndexedMerkleTree};
use crate::public_inputs::PublicInputs;
use crate::statement::{StatementFields, StatementValues, BLOCKED_SLOTS, LIMIT_TIERS, STATEMENT_FIELD_COUNT};
use crate::{poseidon, Fr};

/// The witness of one non-membership proof, a part of the withdrawal's.
pub use crate::imt::TreeWitness;

#[cfg(feature = "r1cs")]
pub mod constraints;
#[cfg(feature = "r1cs")]
pub(crate) mod holder_rows;
#[cfg(feature = "r1cs")]
pub mod r1cs_export;

/// The credential values the holder proves things about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialWitness {
    /// The holder's secret (`id_commitment = Poseidon(secret)`).
    pub secret: Fr,
    /// KYC tier.
    pub kyc_tier: Fr,
    /// ISO 3166-1 numeric jurisdiction.
    pub jurisdiction: Fr,
    /// `str_key` of the normalised identity.
    pub identity_hash: Fr,
    /// Expiry, unix seconds.
    pub expires_at: Fr,
    /// Credential id for revocation.
    pub nonce: Fr,
    /// Signature point.
    pub sig_r8: Point,
    /// Signature scalar.
    pub sig_s: Fr,
}

/// Everything the circuit needs: public inputs and private witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalWitness {
    /// The Groth16 public inputs.
    pub public: PublicInputs,
    /// The values `statement_hash` commits to.
    pub statement: StatementFields,
    /// The credential.
    pub credential: CredentialWitness,
    /// The withdrawal fields `context` commits to.
    pub withdrawal: ContextFields,
    /// Non-membership of `identity_hash` in the identity sanctions tree.
    pub identity_tree: TreeWitness,
    /// Non-membership of the source address key in the address tree.
    pub address_tree: TreeWitness,
    /// Non-membership of `nonce` in the revocation tree.
    pub revocation_tree: TreeWitness,
}

impl WithdrawalWitness {
    /// A witness of the right shape with all-zero values: enough to build
    /// the circuit's keys, never satisfiable.
    pub fn blank(depth: usize) -> Self {
        let z = Fr::zero();
        Self {
            public: PublicInputs {
                statement_hash: z,
                context: z,
                nullifier: z,
                epoch: z,
                now: z,
                disclosed_jurisdiction: z,
            },
            statement: StatementFields::from_fields([z; STATEMENT_FIELD_COUNT]),
            credential: CredentialWitness {
                secret: z,
                kyc_tier: z,
                jurisdiction: z,
                identity_hash: z,
                expires_at: z,
                nonce: z,
                sig_r8: Point::new(z, z),
                sig_s: z,
            },
            withdrawal: ContextFields {
                chain_id: z,
                exchange_key: z,
                withdrawal_key: z,
                source_key: z,
                destination_key: z,
                asset_key: z,
                amount: z,
            },
            identity_tree: TreeWitness::blank(depth),
            address_tree: TreeWitness::blank(depth),
            revocation_tree: TreeWitness::blank(depth),
        }
    }
}

/// Why a withdrawal cannot be proved: the statement row that is false.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementViolation {
    /// The issuer's signature over the credential does not verify (for
    /// example, attributes edited after signing).
    #[error("the credential's signature does not verify under the issuer key: {0}")]
    Signature(#[from] SignatureError),
    /// `kyc_tier < min_tier`.
    #[error("the credential's KYC tier {tier} is below the policy's minimum tier {min_tier}")]
    TierTooLow {
        /// The credential's tier.
        tier: u8,
        /// The policy's minimum.
        min_tier: u8,
    },
    /// `expires_at <= now`.
    #[error("the credential expired at {expires_at}, not after now = {now}")]
    Expired {
        /// Expiry.
        expires_at: u64,
        /// The withdrawal's time.
        now: u64,
    },
    /// A time at or above 2^53.
    #[error("time {0} is not below 2^53")]
    TimeOutOfRange(u64),
    /// `amount > limits[min(tier, 3)]`.
    #[error("amount {amount} is over the limit {limit} for KYC tier {tier}")]
    OverLimit {
        /// The amount.
        amount: String,
        /// The limit that applies.
        limit: String,
        /// The credential's tier.
        tier: u8,
    },
    /// The identity is on the identity sanctions list.
    #[error("the credential's identity is on the identity sanctions list")]
    IdentitySanctioned,
    /// The source address is on the address sanctions list.
    #[error("the source address is on the address sanctions list")]
    AddressSanctioned,
    /// The credential's nonce is in the revocation tree.
    #[error("the credential has been revoked by its issuer")]
    Revoked,
    /// The jurisdiction is blocked.
    #[error("the credential's jurisdiction {0} is blocked by the policy")]
    JurisdictionBlocked(u16),
    /// A key of a tree is out of range.
    #[error("tree error: {0}")]
    Tree(ImtError),
    /// Tree depths differ from each other.
    #[error("the three trees must have the same depth")]
    DepthMismatch,
}

/// Everything a prover knows about one withdrawal, as typed values.
#[derive(Debug, Clone)]
pub struct WithdrawalInputs<'a> {
    /// The holder's secret.
    pub secret: Fr,
    /// KYC tier.
    pub kyc_tier: u8,
    /// ISO 3166-1 numeric jurisdiction.
    pub jurisdiction: u16,
    /// Identity hash (below 2^252).
    pub identity_hash: Fr,
    /// Credential expiry.
    pub expires_at: u64,
    /// Credential nonce.
    pub nonce: Fr,
    /// The issuer's signature.
    pub signature: Signature,
    /// The issuer's key.
    pub issuer: PublicKey,
    /// Policy minimum tier.
    pub min_tier: u8,
    /// Policy limits for the asset.
    pub limits: [u128; LIMIT_TIERS],
    /// Policy blocked jurisdictions, padded to 8 slots.
    pub blocked_jurisdictions: [u16; BLOCKED_SLOTS],
    /// The withdrawal fields.
    pub context: ContextFields,
    /// Epoch.
    pub epoch: u64,
    /// Time of the withdrawal.
    pub now: u64,
    /// Whether to disclose the jurisdiction.
    pub disclose_jurisdiction: bool,
    /// Identity sanctions tree.
    pub identity_tree: &'a IndexedMerkleTree,
    /// Address sanctions tree.
    pub address_tree: &'a IndexedMerkleTree,
    /// Revocation tree.
    pub revocation_tree: &'a IndexedMerkleTree,
}

/// Largest time value (exclusive): 2^53.
pub const TIME_BOUND: u64 = 1 << 53;

impl WithdrawalInputs<'_> {
    /// The credential message `M = Poseidon(id_commitment, kyc_tier,
    /// jurisdiction, identity_hash, expires_at, nonce)`.
    pub fn credential_message(&self) -> Fr {
        credential_message(
            id_commitment(self.secret),
            self.kyc_tier,
            self.jurisdiction,
            self.identity_hash,
            self.expires_at,
            self.nonce,
        )
    }

    /// The public statement values these inputs prove against.
    pub fn statement(&self) -> StatementValues {
        StatementValues {
            issuer: self.issuer.0,
            min_tier: self.min_tier,
            limits: self.limits,
            identity_root: self.identity_tree.root(),
            address_root: self.address_tree.root(),
            revocation_root: self.revocation_tree.root(),
            blocked_jurisdictions: self.blocked_jurisdictions,
        }
    }

    /// Checks every row of the statement natively and builds the witness.
    ///
    /// # Errors
    /// The first [`StatementViolation`], in statement order.
    pub fn build(&self) -> Result<WithdrawalWitness, StatementViolation> {
        let depth = self.identity_tree.depth();
        if self.address_tree.depth() != depth || self.revocation_tree.depth() != depth {
            return Err(StatementViolation::DepthMismatch);
        }
        self.issuer.verify(self.credential_message(), &self.signature)?;
        if self.kyc_tier < self.min_tier {
            return Err(StatementViolation::TierTooLow { tier: self.kyc_tier, min_tier: self.min_tier });
        }
        for t in [self.now, self.expires_at] {
            if t >= TIME_BOUND {
                return Err(StatementViolation::TimeOutOfRange(t));
            }
        }
        if self.expires_at <= self.now {
            return Err(StatementViolation::Expired { expires_at: self.expires_at, now: self.now });
        }
        let limit = self.limits[usize::from(self.kyc_tier.min(3))];
        let amount = fr_to_biguint(&self.context.amount);
        if amount > BigUint::from(limit) {
            return Err(StatementViolation::OverLimit {
                amount: amount.to_string(),
                limit: limit.to_string(),
                tier: self.kyc_tier,
            });
        }
        let non_member =
            |tree: &IndexedMerkleTree, x: Fr, member: StatementViolation| match tree.prove_non_membership(x) {
                Ok(p) => Ok(p),
                Err(ImtError::Member) => Err(member),
                Err(e) => Err(StatementViolation::Tree(e)),
            };
        let identity = non_member(self.identity_tree, self.identity_hash, StatementViolation::IdentitySanctioned)?;
        let address = non_member(self.address_tree, self.context.source_key, StatementViolation::AddressSanctioned)?;
        let revocation = non_member(self.revocation_tree, self.nonce, StatementViolation::Revoked)?;
        if self.blocked_jurisdictions.contains(&self.jurisdiction) {
            return Err(StatementViolation::JurisdictionBlocked(self.jurisdiction));
        }
        let statement = self.statement();
        let public = PublicInputs {
            statement_hash: statement.hash(),
            context: self.context.context(),
            nullifier: nullifier(self.secret, self.context.exchange_key, self.epoch),
            epoch: Fr::from(self.epoch),
            now: Fr::from(self.now),
            disclosed_jurisdiction: if self.disclose_jurisdiction { Fr::from(self.jurisdiction) } else { Fr::zero() },
        };
        Ok(WithdrawalWitness {
            public,
            statement: statement.fields(),
            credential: CredentialWitness {
                secret: self.secret,
                kyc_tier: Fr::from(self.kyc_tier),
                jurisdiction: Fr::from(self.jurisdiction),
                identity_hash: self.identity_hash,
                expires_at: Fr::from(self.expires_at),
                nonce: self.nonce,
                sig_r8: self.signature.r8,
                sig_s: biguint_to_fr(&self.signature.s).expect("the signature verified above, so S < l < r"),
            },
            withdrawal: self.context,
            identity_tree: TreeWitness::from(&identity),
            address_tree: TreeWitness::from(&address),
            revocation_tree: TreeWitness::from(&revocation),
        })
    }
}

/// `M = Poseidon(id_commitment, kyc_tier, jurisdiction, identity_hash,
/// expires_at, nonce)`: what an issuer signs.
pub fn credential_message(
    id_commitment: Fr,
    kyc_tier: u8,
    jurisdiction: u16,
    identity_hash: Fr,
    expires_at: u64,
    nonce: Fr,
) -> Fr {
    poseidon::hash_fixed([
        id_commitment,
        Fr::from(kyc_tier),
        Fr::from(jurisdiction),
        identity_hash,
        Fr::from(expires_at),
        nonce,
    ])
}
