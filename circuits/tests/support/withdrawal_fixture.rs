//! A withdrawal that satisfies every row of the statement, and the ways the
//! circuit tests force a witness past the native checks: shared by the
//! Groth16 and halo2 circuit tests, so both break the same rows the same
//! way.

use num_bigint::BigUint;
use zkcomply_circuits::eddsa::PrivateKey;
use zkcomply_circuits::encoding::{address_key, identity_hash, ContextFields};
use zkcomply_circuits::field::biguint_to_fr;
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::poseidon::hash_fixed;
use zkcomply_circuits::withdrawal::{StatementViolation, WithdrawalInputs, WithdrawalWitness};
use zkcomply_circuits::{Fr, TREE_DEPTH};

pub const SANCTIONED: &str = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";
pub const SOURCE: &str = "0x2c1bA5b1A0fbc1C3ae2AC7bA0dc0CFaA72a5eE8F";

pub struct Fixture {
    pub issuer: PrivateKey,
    pub identity_tree: IndexedMerkleTree,
    pub address_tree: IndexedMerkleTree,
    pub revocation_tree: IndexedMerkleTree,
}

impl Fixture {
    pub fn new() -> Self {
        let ids = ["JOHN ROE|1970-05-05|IR", "ALICE SMITH|1981-03-04|KP"].map(|l| identity_hash(l).unwrap());
        Self {
            issuer: PrivateKey::from_bytes([1u8; 32]),
            identity_tree: IndexedMerkleTree::from_keys(TREE_DEPTH, ids).unwrap(),
            address_tree: IndexedMerkleTree::from_keys(TREE_DEPTH, [address_key(SANCTIONED).unwrap()]).unwrap(),
            revocation_tree: IndexedMerkleTree::from_keys(TREE_DEPTH, [Fr::from(5u8), Fr::from(900u32)]).unwrap(),
        }
    }

    pub fn inputs(&self) -> WithdrawalInputs<'_> {
        let mut inputs = WithdrawalInputs {
            secret: Fr::from(123_456_789u64),
            kyc_tier: 2,
            jurisdiction: 276,
            identity_hash: identity_hash("JANE DOE|1990-01-01|DE").unwrap(),
            expires_at: 1_900_000_000,
            nonce: Fr::from(777u32),
            signature: zkcomply_circuits::eddsa::Signature {
                r8: zkcomply_circuits::babyjubjub::Point::identity(),
                s: BigUint::from(0u8),
            },
            issuer: self.issuer.public_key(),
            min_tier: 2,
            limits: [0, 1_000, 10_000, 100_000],
            blocked_jurisdictions: [408, 364, 408, 408, 408, 408, 408, 408],
            context: ContextFields::encode(
                1,
                "okx-main",
                "w-1",
                SOURCE,
                "0x1111111111111111111111111111111111111111",
                "ETH",
                2_500,
            )
            .unwrap(),
            epoch: 20415,
            now: 1_763_900_000,
            disclose_jurisdiction: false,
            identity_tree: &self.identity_tree,
            address_tree: &self.address_tree,
            revocation_tree: &self.revocation_tree,
        };
        self.sign(&mut inputs);
        inputs
    }

    pub fn sign(&self, inputs: &mut WithdrawalInputs<'_>) {
        inputs.signature = self.issuer.sign(inputs.credential_message());
    }
}

/// Builds a witness from inputs that the native checks would refuse, by
/// building from honest inputs and then overwriting what the test forces.
pub fn forced(f: &Fixture, edit: impl Fn(&mut WithdrawalInputs<'_>)) -> WithdrawalWitness {
    let mut honest = f.inputs();
    edit(&mut honest);
    f.sign(&mut honest);
    honest.build().map(|_| ()).expect_err("the native checks refuse this input");
    // Build with the refused values by proving against relaxed inputs, then
    // reinstate the refused values in the witness.
    let base = f.inputs();
    let mut w = base.build().unwrap();
    let statement = honest.statement();
    w.statement = statement.fields();
    w.public.statement_hash = statement.hash();
    w.credential.kyc_tier = Fr::from(honest.kyc_tier);
    w.credential.jurisdiction = Fr::from(honest.jurisdiction);
    w.credential.identity_hash = honest.identity_hash;
    w.credential.expires_at = Fr::from(honest.expires_at);
    w.credential.nonce = honest.nonce;
    w.credential.sig_r8 = honest.signature.r8;
    w.credential.sig_s = biguint_to_fr(&honest.signature.s).unwrap();
    w.withdrawal = honest.context;
    w.public.context = honest.context.context();
    w
}

/// `Poseidon(secret, exchange_key, epoch)` over field elements.
fn nullifier(secret: Fr, exchange_key: Fr, epoch: Fr) -> Fr {
    hash_fixed([secret, exchange_key, epoch])
}

/// A witness forced past the native checks, and the one statement row
/// (a namespace in the Groth16 circuit, a region label in halo2's) that
/// must reject it.
pub struct RowCase {
    /// What the case breaks, for messages.
    pub name: String,
    /// The row that must fail.
    pub row: &'static str,
    /// The forced witness.
    pub witness: WithdrawalWitness,
}

fn case(name: impl Into<String>, row: &'static str, witness: WithdrawalWitness) -> RowCase {
    RowCase { name: name.into(), row, witness }
}

/// Every way the circuit tests break one row, for every backend's circuit.
pub fn row_cases(f: &Fixture) -> Vec<RowCase> {
    let mut cases = Vec::new();
    let one = Fr::from(1u8);

    // not_expired: a credential expiring at `now`.
    assert!(f.inputs().build().is_ok());
    cases.push(case("expires_at = now", "not_expired", forced(f, |i| i.expires_at = i.now)));

    // min_tier: tier 1 under a minimum of 2 (tier 1's limit lifted so only
    // the tier row fails).
    let mut inputs = f.inputs();
    inputs.kyc_tier = 1;
    inputs.limits = [0, 100_000, 100_000, 100_000];
    f.sign(&mut inputs);
    assert!(matches!(inputs.build(), Err(StatementViolation::TierTooLow { .. })));
    let mut w = f.inputs().build().unwrap();
    let st = inputs.statement();
    w.statement = st.fields();
    w.public.statement_hash = st.hash();
    w.credential.kyc_tier = Fr::from(1u8);
    w.credential.sig_r8 = inputs.signature.r8;
    w.credential.sig_s = biguint_to_fr(&inputs.signature.s).unwrap();
    cases.push(case("tier 1 below minimum 2", "min_tier", w));

    // amount_within_limit: over the tier's limit, and out of range.
    cases.push(case("amount over limit", "amount_within_limit", forced(f, |i| i.context.amount = Fr::from(10_001u32))));
    let two128 = BigUint::from(1u8) << 128u32;
    for (name, amount) in
        [("amount 2^128", biguint_to_fr(&two128).unwrap()), ("amount r - 1", -one), ("amount r - 5", -Fr::from(5u8))]
    {
        let mut w = f.inputs().build().unwrap();
        w.withdrawal.amount = amount;
        w.public.context = w.withdrawal.context();
        cases.push(case(name, "amount_within_limit", w));
    }
    // A limit of 2^128 with an amount of 2^128 - 1: the limit is out of range.
    let mut w = f.inputs().build().unwrap();
    w.statement.limits[2] = biguint_to_fr(&two128).unwrap(); // the tier-2 limit
    w.public.statement_hash = w.statement.hash();
    w.withdrawal.amount = biguint_to_fr(&(&two128 - 1u8)).unwrap();
    w.public.context = w.withdrawal.context();
    cases.push(case("limit 2^128", "amount_within_limit", w));

    // Sanctioned identity, sanctioned address, revoked nonce.
    let sanctioned_id = f.identity_tree.keys()[0];
    // The forced witness keeps the honest low leaf, which does not bracket the key.
    cases.push(case("sanctioned identity", "identity_not_sanctioned", forced(f, |i| i.identity_hash = sanctioned_id)));
    let mut w = f.inputs().build().unwrap();
    let bad = address_key(&SANCTIONED.to_lowercase()).unwrap();
    w.withdrawal.source_key = bad;
    w.public.context = w.withdrawal.context();
    // The sanctioned key's own leaf as the "low" leaf.
    let member = f.address_tree.prove_membership(bad).unwrap();
    w.address_tree.low_key = member.key;
    w.address_tree.low_next = member.next;
    w.address_tree.path_bits = (0..TREE_DEPTH).map(|i| Fr::from(((member.index >> i) & 1) as u8)).collect();
    w.address_tree.siblings = member.siblings.clone();
    cases.push(case("sanctioned address with its own leaf", "address_not_sanctioned", w));
    cases.push(case("revoked nonce", "credential_not_revoked", forced(f, |i| i.nonce = Fr::from(900u32))));

    // jurisdiction_not_blocked.
    cases.push(case(
        "blocked jurisdiction",
        "jurisdiction_not_blocked",
        forced(f, |i| i.blocked_jurisdictions[7] = 276),
    ));

    // Attributes edited after signing.
    type Edit = Box<dyn Fn(&mut WithdrawalWitness)>;
    let signed: Vec<(&str, Edit)> = vec![
        ("tier edited", Box::new(|w| w.credential.kyc_tier = Fr::from(3u8))),
        ("expiry edited", Box::new(move |w| w.credential.expires_at += one)),
        // The nullifier follows the edited secret, so only the signature row breaks.
        (
            "secret edited",
            Box::new(move |w| {
                w.credential.secret += one;
                w.public.nullifier = nullifier(w.credential.secret, w.withdrawal.exchange_key, w.public.epoch);
            }),
        ),
    ];
    for (name, edit) in signed {
        let mut w = f.inputs().build().unwrap();
        edit(&mut w);
        cases.push(case(name, "credential_signature", w));
    }

    // disclosed_jurisdiction: neither zero nor the jurisdiction.
    let mut inputs = f.inputs();
    inputs.disclose_jurisdiction = true;
    let mut w = inputs.build().unwrap();
    w.public.disclosed_jurisdiction = Fr::from(250u32);
    cases.push(case("disclosed 250 for 276", "disclosed_jurisdiction", w));

    // One nullifier per holder, exchange and epoch.
    let honest = f.inputs().build().unwrap();
    for delta in [1u8, 2] {
        let mut w = honest.clone();
        w.public.nullifier += Fr::from(delta);
        cases.push(case(format!("nullifier + {delta}"), "nullifier", w));
    }
    let mut w = honest.clone();
    w.public.epoch += one;
    cases.push(case("epoch + 1", "nullifier", w));

    // Every public input and private value is bound.
    let bound: Vec<(&str, Edit)> = vec![
        ("statement_hash", Box::new(move |w| w.public.statement_hash += one)),
        ("context", Box::new(move |w| w.public.context += one)),
        ("statement_hash", Box::new(move |w| w.statement.issuer_x += one)),
        ("statement_hash", Box::new(move |w| w.statement.revocation_root += one)),
        ("statement_hash", Box::new(move |w| w.statement.blocked_jurisdictions[3] += one)),
        ("credential_signature", Box::new(move |w| w.credential.sig_s += one)),
        ("credential_signature", Box::new(move |w| w.credential.sig_r8.y += one)),
        ("credential_signature", Box::new(move |w| w.credential.nonce += one)),
        ("credential_signature", Box::new(move |w| w.credential.identity_hash += one)),
        ("credential_signature", Box::new(move |w| w.credential.jurisdiction += one)),
        ("context", Box::new(move |w| w.withdrawal.chain_id += one)),
        ("context", Box::new(move |w| w.withdrawal.withdrawal_key += one)),
        ("context", Box::new(move |w| w.withdrawal.destination_key += one)),
        ("context", Box::new(move |w| w.withdrawal.asset_key += one)),
        ("context", Box::new(move |w| w.withdrawal.amount += one)),
        ("context", Box::new(move |w| w.withdrawal.source_key += one)),
        ("nullifier", Box::new(move |w| w.withdrawal.exchange_key += one)),
        ("identity_not_sanctioned", Box::new(move |w| w.identity_tree.low_key += one)),
        ("identity_not_sanctioned", Box::new(move |w| w.identity_tree.siblings[3] += one)),
        ("address_not_sanctioned", Box::new(move |w| w.address_tree.low_next += one)),
        ("credential_not_revoked", Box::new(move |w| w.revocation_tree.path_bits[0] += one)),
    ];
    for (index, (row, edit)) in bound.into_iter().enumerate() {
        let mut w = honest.clone();
        edit(&mut w);
        cases.push(case(format!("binding edit {index}"), row, w));
    }
    cases
}

/// Edge cases that must satisfy the circuit: the honest witness, a
/// disclosed jurisdiction, the largest amount against an equal limit, and
/// a tier above 3 (its index saturates at 3).
pub fn satisfying_cases(f: &Fixture) -> Vec<(&'static str, WithdrawalWitness)> {
    let two128 = BigUint::from(1u8) << 128u32;
    let mut cases = vec![("honest", f.inputs().build().unwrap())];

    let mut inputs = f.inputs();
    inputs.disclose_jurisdiction = true;
    let w = inputs.build().unwrap();
    assert_eq!(w.public.disclosed_jurisdiction, Fr::from(276u32));
    cases.push(("jurisdiction disclosed", w));

    let mut w = f.inputs().build().unwrap();
    let max = biguint_to_fr(&(&two128 - 1u8)).unwrap();
    w.statement.limits[2] = max;
    w.public.statement_hash = w.statement.hash();
    w.withdrawal.amount = max;
    w.public.context = w.withdrawal.context();
    cases.push(("amount 2^128 - 1 at limit 2^128 - 1", w));

    let mut inputs = f.inputs();
    inputs.kyc_tier = 200;
    inputs.context = ContextFields { amount: Fr::from(100_000u32), ..inputs.context };
    f.sign(&mut inputs);
    cases.push(("tier 200 at the tier-3 limit", inputs.build().unwrap()));
    inputs.context = ContextFields { amount: Fr::from(100_001u32), ..inputs.context };
    assert!(matches!(inputs.build(), Err(StatementViolation::OverLimit { .. })));
    cases
}
