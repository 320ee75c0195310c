//! The statement a proof commits to through `statement_hash`: the issuer
//! key, the minimum tier, the tier limits, the three tree roots and the
//! blocked jurisdictions.
//!
//! [`StatementValues`] holds them as typed values; [`StatementFields`] as
//! the field elements the circuit hashes, one named field each. Its
//! [`StatementFields::to_fields`] and [`StatementFields::from_fields`] are
//! the one place that knows the order of those elements: the circuit's
//! allocation (`constraints`, behind the `r1cs` feature), the hash, the
//! witness export and the gate's `uint256[18]` calldata all go through
//! them.

use crate::babyjubjub::Point;
use crate::{poseidon, Fr};

#[cfg(feature = "r1cs")]
pub mod constraints;

/// Number of blocked-jurisdiction slots (unused slots repeat a value).
pub const BLOCKED_SLOTS: usize = 8;
/// Number of tier limits (tiers 0, 1, 2 and 3 or above).
pub const LIMIT_TIERS: usize = 4;
/// Number of field elements of a statement: issuer `x` and `y`, the
/// minimum tier, the limits, three roots and the blocked jurisdictions.
pub const STATEMENT_FIELD_COUNT: usize = 3 + LIMIT_TIERS + 3 + BLOCKED_SLOTS;
/// `statement_hash` hashes the statement in two parts: its first
/// `HASHED_HEAD_LEN` fields (all but the blocked jurisdictions), then the
/// blocked jurisdictions, which [`StatementFields::to_fields`] puts last.
pub const HASHED_HEAD_LEN: usize = STATEMENT_FIELD_COUNT - BLOCKED_SLOTS;

/// The policy-facing values a proof commits to through `statement_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementValues {
    /// The issuer's public key.
    pub issuer: Point,
    /// The minimum KYC tier proved.
    pub min_tier: u8,
    /// Amount limits for the withdrawal's asset, by tier `min(kyc_tier, 3)`.
    pub limits: [u128; LIMIT_TIERS],
    /// Root of the identity sanctions tree.
    pub identity_root: Fr,
    /// Root of the address sanctions tree.
    pub address_root: Fr,
    /// Root of the issuer's revocation tree.
    pub revocation_root: Fr,
    /// ISO 3166-1 numeric codes the credential's jurisdiction is none of.
    pub blocked_jurisdictions: [u16; BLOCKED_SLOTS],
}

impl StatementValues {
    /// The values as field elements.
    pub fn fields(&self) -> StatementFields {
        StatementFields {
            issuer_x: self.issuer.x,
            issuer_y: self.issuer.y,
            min_tier: Fr::from(self.min_tier),
            limits: self.limits.map(Fr::from),
            identity_root: self.identity_root,
            address_root: self.address_root,
            revocation_root: self.revocation_root,
            blocked_jurisdictions: self.blocked_jurisdictions.map(Fr::from),
        }
    }

    /// `statement_hash`.
    pub fn hash(&self) -> Fr {
        self.fields().hash()
    }
}

/// The statement as field elements (`T = Fr`), or as anything else one per
/// element: circuit variables (`constraints::StatementVar`, with the `r1cs`
/// feature) or names ([`StatementFields::NAMES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementFields<T = Fr> {
    /// The issuer key's `x` coordinate.
    pub issuer_x: T,
    /// The issuer key's `y` coordinate.
    pub issuer_y: T,
    /// The minimum KYC tier.
    pub min_tier: T,
    /// The tier limits, tier 0 first.
    pub limits: [T; LIMIT_TIERS],
    /// Root of the identity sanctions tree.
    pub identity_root: T,
    /// Root of the address sanctions tree.
    pub address_root: T,
    /// Root of the issuer's revocation tree.
    pub revocation_root: T,
    /// The blocked jurisdictions.
    pub blocked_jurisdictions: [T; BLOCKED_SLOTS],
}

impl<T: Clone> StatementFields<T> {
    /// The elements in the normative order: `issuer_x, issuer_y, min_tier,
    /// limits[0..4], identity_root, address_root, revocation_root,
    /// blocked_jurisdictions[0..8]`. With [`StatementFields::from_fields`],
    /// the only place that order is written down.
    pub fn to_fields(&self) -> [T; STATEMENT_FIELD_COUNT] {
        let [l0, l1, l2, l3] = self.limits.clone();
        let [b0, b1, b2, b3, b4, b5, b6, b7] = self.blocked_jurisdictions.clone();
        [
            self.issuer_x.clone(),
            self.issuer_y.clone(),
            self.min_tier.clone(),
            l0,
            l1,
            l2,
            l3,
            self.identity_root.clone(),
            self.address_root.clone(),
            self.revocation_root.clone(),
            b0,
            b1,
            b2,
            b3,
            b4,
            b5,
            b6,
            b7,
        ]
    }

    /// The inverse of [`StatementFields::to_fields`].
    pub fn from_fields(fields: [T; STATEMENT_FIELD_COUNT]) -> Self {
        let [issuer_x, issuer_y, min_tier, l0, l1, l2, l3, identity_root, address_root, revocation_root, b0, b1, b2, b3, b4, b5, b6, b7] =
            fields;
        Self {
            issuer_x,
            issuer_y,
            min_tier,
            limits: [l0, l1, l2, l3],
            identity_root,
            address_root,
            revocation_root,
            blocked_jurisdictions: [b0, b1, b2, b3, b4, b5, b6, b7],
        }
    }

    /// The two inputs of `statement_hash`'s inner hashes: the first
    /// [`HASHED_HEAD_LEN`] elements, then the blocked jurisdictions.
    pub fn hash_parts(&self) -> (Vec<T>, Vec<T>) {
        let mut head = self.to_fields().to_vec();
        let blocked = head.split_off(HASHED_HEAD_LEN);
        (head, blocked)
    }
}

impl StatementFields<&'static str> {
    /// Each element's name: its field's, with the index within an array.
    pub const NAMES: Self = Self {
        issuer_x: "issuer_x",
        issuer_y: "issuer_y",
        min_tier: "min_tier",
        limits: ["limits[0]", "limits[1]", "limits[2]", "limits[3]"],
        identity_root: "identity_root",
        address_root: "address_root",
        revocation_root: "revocation_root",
        blocked_jurisdictions: [
            "blocked_jurisdictions[0]",
            "blocked_jurisdictions[1]",
            "blocked_jurisdictions[2]",
            "blocked_jurisdictions[3]",
            "blocked_jurisdictions[4]",
            "blocked_jurisdictions[5]",
            "blocked_jurisdictions[6]",
            "blocked_jurisdictions[7]",
        ],
    };
}

impl StatementFields {
    /// `statement_hash = Poseidon(Poseidon(head), Poseidon(blocked))` over
    /// the two [`StatementFields::hash_parts`].
    pub fn hash(&self) -> Fr {
        let (head, blocked) = self.hash_parts();
        let inner = |part: &[Fr]| poseidon::hash(part).expect("10 and 8 inputs are within Poseidon's 1..=12");
        poseidon::hash_fixed([inner(&head), inner(&blocked)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> StatementValues {
        StatementValues {
            issuer: Point::base8(),
            min_tier: 2,
            limits: [0, 1, 2, 3],
            identity_root: Fr::from(10u8),
            address_root: Fr::from(11u8),
            revocation_root: Fr::from(12u8),
            blocked_jurisdictions: [408, 364, 408, 408, 408, 408, 408, 408],
        }
    }

    #[test]
    fn statement_hash_depends_on_every_value() {
        let base = example();
        let h = base.hash();
        let f = base.fields().to_fields();
        for i in 0..STATEMENT_FIELD_COUNT {
            let mut g = f;
            g[i] += Fr::from(1u8);
            assert_ne!(StatementFields::from_fields(g).hash(), h, "{}", StatementFields::NAMES.to_fields()[i]);
        }
    }

    #[test]
    fn fields_round_trip_and_keep_the_normative_order() {
        let values = example();
        let fields = values.fields();
        assert_eq!(StatementFields::from_fields(fields.to_fields()), fields);
        let names = StatementFields::NAMES.to_fields();
        assert_eq!(
            names,
            [
                "issuer_x",
                "issuer_y",
                "min_tier",
                "limits[0]",
                "limits[1]",
                "limits[2]",
                "limits[3]",
                "identity_root",
                "address_root",
                "revocation_root",
                "blocked_jurisdictions[0]",
                "blocked_jurisdictions[1]",
                "blocked_jurisdictions[2]",
                "blocked_jurisdictions[3]",
                "blocked_jurisdictions[4]",
                "blocked_jurisdictions[5]",
                "blocked_jurisdictions[6]",
                "blocked_jurisdictions[7]",
            ]
        );
        let (head, blocked) = StatementFields::NAMES.hash_parts();
        assert_eq!(blocked, StatementFields::NAMES.blocked_jurisdictions.to_vec());
        assert_eq!(head.len(), HASHED_HEAD_LEN);
    }

    #[test]
    fn statement_hash_is_unchanged() {
        // The value before the statement became a struct: proofs made then still verify.
        let head = [
            Point::base8().x,
            Point::base8().y,
            Fr::from(2u8),
            Fr::from(0u8),
            Fr::from(1u8),
            Fr::from(2u8),
            Fr::from(3u8),
            Fr::from(10u8),
            Fr::from(11u8),
            Fr::from(12u8),
        ];
        let blocked = [408u16, 364, 408, 408, 408, 408, 408, 408].map(Fr::from);
        let before = poseidon::hash_fixed([poseidon::hash_fixed(head), poseidon::hash_fixed(blocked)]);
        assert_eq!(example().hash(), before);
    }
}
