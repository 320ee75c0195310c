//! The withdrawal circuit, row by row: an honest witness satisfies it, and
//! a witness forced past any one check leaves exactly that row's named
//! constraints unsatisfied.
#![cfg(feature = "r1cs")]

use ark_ff::Zero;
use ark_relations::gr1cs::{ConstraintLayer, ConstraintSynthesizer, ConstraintSystem, TracingMode};
use num_bigint::BigUint;
use tracing_subscriber::layer::SubscriberExt;
use zkcomply_circuits::eddsa::PrivateKey;
use zkcomply_circuits::encoding::{address_key, identity_hash, ContextFields};
use zkcomply_circuits::field::biguint_to_fr;
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::{StatementViolation, WithdrawalInputs, WithdrawalWitness};
use zkcomply_circuits::{Fr, TREE_DEPTH};

const SANCTIONED: &str = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";
const SOURCE: &str = "0x2c1bA5b1A0fbc1C3ae2AC7bA0dc0CFaA72a5eE8F";

struct Fixture {
    issuer: PrivateKey,
    identity_tree: IndexedMerkleTree,
    address_tree: IndexedMerkleTree,
    revocation_tree: IndexedMerkleTree,
}

impl Fixture {
    fn new() -> Self {
        let ids = ["JOHN ROE|1970-05-05|IR", "ALICE SMITH|1981-03-04|KP"].map(|l| identity_hash(l).unwrap());
        Self {
            issuer: PrivateKey::from_bytes([1u8; 32]),
            identity_tree: IndexedMerkleTree::from_keys(TREE_DEPTH, ids).unwrap(),
            address_tree: IndexedMerkleTree::from_keys(TREE_DEPTH, [address_key(SANCTIONED).unwrap()]).unwrap(),
            revocation_tree: IndexedMerkleTree::from_keys(TREE_DEPTH, [Fr::from(5u8), Fr::from(900u32)]).unwrap(),
        }
    }

    fn inputs(&self) -> WithdrawalInputs<'_> {
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

    fn sign(&self, inputs: &mut WithdrawalInputs<'_>) {
        inputs.signature = self.issuer.sign(inputs.credential_message());
    }
}

/// Synthesises the circuit; `None` when satisfied, else the name path of
/// the first unsatisfied constraint.
fn first_failure(witness: WithdrawalWitness) -> Option<String> {
    let layer = ConstraintLayer::new(TracingMode::OnlyConstraints);
    let subscriber = tracing_subscriber::Registry::default().with(layer);
    let _guard = tracing::subscriber::set_default(subscriber);
    let cs = ConstraintSystem::<Fr>::new_ref();
    WithdrawalCircuit { witness }.generate_constraints(cs.clone()).unwrap();
    cs.which_is_unsatisfied().unwrap()
}

fn assert_fails_at(witness: WithdrawalWitness, row: &str) {
    match first_failure(witness) {
        None => panic!("row {row}: witness satisfied the circuit"),
        Some(path) => assert!(path.contains(row), "expected row {row}, failed at {path}"),
    }
}

#[test]
fn honest_witness_satisfies_and_counts_are_pinned() {
    let f = Fixture::new();
    let w = f.inputs().build().unwrap();
    assert_eq!(first_failure(w.clone()), None);
    let cs = ConstraintSystem::<Fr>::new_ref();
    WithdrawalCircuit { witness: w }.generate_constraints(cs.clone()).unwrap();
    assert_eq!(cs.num_instance_variables(), PUBLIC_INPUT_COUNT + 1);
    // The circuit's shape is pinned in a golden file (see r1cs_golden.rs):
    // the honest witness synthesises the same number of constraints.
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/withdrawal_r1cs.json");
    let pinned: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&golden).unwrap()).unwrap();
    assert_eq!(
        serde_json::json!(cs.num_constraints()),
        pinned["constraints"],
        "constraint count changed; see r1cs_golden.rs for how to regenerate on purpose"
    );
}

#[test]
fn all_zero_witness_is_unsatisfiable() {
    assert!(first_failure(WithdrawalWitness::blank(TREE_DEPTH)).is_some());
}

/// Builds a witness from inputs that the native checks would refuse, by
/// building from honest inputs and then overwriting what the test forces.
fn forced(f: &Fixture, edit: impl Fn(&mut WithdrawalInputs<'_>)) -> WithdrawalWitness {
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

#[test]
fn expired_credential_fails_not_expired() {
    let f = Fixture::new();
    assert!(f.inputs().build().is_ok());
    let w = forced(&f, |i| i.expires_at = i.now);
    assert_fails_at(w, "not_expired");
}

#[test]
fn tier_below_minimum_fails_min_tier() {
    let f = Fixture::new();
    // Tier 1's limit (1000) is below the amount too: lift it so only the tier row fails.
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
    assert_fails_at(w, "min_tier");
}

#[test]
fn amount_over_limit_fails_amount_within_limit() {
    let f = Fixture::new();
    let w = forced(&f, |i| i.context.amount = Fr::from(10_001u32));
    assert_fails_at(w, "amount_within_limit");
}

#[test]
fn amounts_and_limits_out_of_range_fail() {
    let f = Fixture::new();
    let two128 = BigUint::from(1u8) << 128u32;
    let p_minus = |x: u64| -Fr::from(x);
    for amount in [biguint_to_fr(&two128).unwrap(), p_minus(1), p_minus(5)] {
        let mut w = f.inputs().build().unwrap();
        w.withdrawal.amount = amount;
        w.public.context = w.withdrawal.context();
        assert_fails_at(w, "amount_within_limit");
    }
    // A limit of 2^128 with an amount of 2^128 - 1: the limit is out of range.
    let mut w = f.inputs().build().unwrap();
    let big = biguint_to_fr(&two128).unwrap();
    w.statement.limits[2] = big; // the tier-2 limit
    w.public.statement_hash = w.statement.hash();
    w.withdrawal.amount = biguint_to_fr(&(&two128 - 1u8)).unwrap();
    w.public.context = w.withdrawal.context();
    assert_fails_at(w, "amount_within_limit");
    // The largest in-range amount against an equal limit is fine.
    let mut w = f.inputs().build().unwrap();
    let max = biguint_to_fr(&(&two128 - 1u8)).unwrap();
    w.statement.limits[2] = max;
    w.public.statement_hash = w.statement.hash();
    w.withdrawal.amount = max;
    w.public.context = w.withdrawal.context();
    assert_eq!(first_failure(w), None);
}

#[test]
fn tier_index_saturates_at_three() {
    let f = Fixture::new();
    let mut inputs = f.inputs();
    inputs.kyc_tier = 200;
    inputs.context.amount = Fr::from(100_000u32);
    inputs.context = ContextFields { amount: Fr::from(100_000u32), ..inputs.context };
    f.sign(&mut inputs);
    let w = inputs.build().unwrap();
    assert_eq!(first_failure(w), None);
    inputs.context = ContextFields { amount: Fr::from(100_001u32), ..inputs.context };
    assert!(matches!(inputs.build(), Err(StatementViolation::OverLimit { .. })));
}

#[test]
fn sanctioned_identity_address_and_revoked_nonce_fail_their_rows() {
    let f = Fixture::new();
    let sanctioned_id = f.identity_tree.keys()[0];
    let w = forced(&f, |i| i.identity_hash = sanctioned_id);
    // The forced witness keeps the honest low leaf, which does not bracket the key.
    assert_fails_at(w, "identity_not_sanctioned");

    let mut w = f.inputs().build().unwrap();
    let bad = address_key(&SANCTIONED.to_lowercase()).unwrap();
    w.withdrawal.source_key = bad;
    w.public.context = w.withdrawal.context();
    // Use the sanctioned key's own leaf as the "low" leaf.
    let member = f.address_tree.prove_membership(bad).unwrap();
    w.address_tree.low_key = member.key;
    w.address_tree.low_next = member.next;
    w.address_tree.path_bits = (0..TREE_DEPTH).map(|i| Fr::from(((member.index >> i) & 1) as u8)).collect();
    w.address_tree.siblings = member.siblings.clone();
    assert_fails_at(w, "address_not_sanctioned");

    let w = forced(&f, |i| i.nonce = Fr::from(900u32));
    assert_fails_at(w, "credential_not_revoked");
}

#[test]
fn blocked_jurisdiction_fails() {
    let f = Fixture::new();
    let w = forced(&f, |i| i.blocked_jurisdictions[7] = 276);
    assert_fails_at(w, "jurisdiction_not_blocked");
}

#[test]
fn edited_attributes_fail_the_signature() {
    let f = Fixture::new();
    let mut w = f.inputs().build().unwrap();
    w.credential.kyc_tier = Fr::from(3u8);
    assert_fails_at(w, "credential_signature");
    let mut w = f.inputs().build().unwrap();
    w.credential.expires_at += Fr::from(1u8);
    assert_fails_at(w, "credential_signature");
    let mut w = f.inputs().build().unwrap();
    w.credential.secret += Fr::from(1u8);
    assert_fails_at(w, "credential_signature");
}

#[test]
fn disclosure_must_be_zero_or_the_jurisdiction() {
    let f = Fixture::new();
    let mut inputs = f.inputs();
    inputs.disclose_jurisdiction = true;
    let w = inputs.build().unwrap();
    assert_eq!(w.public.disclosed_jurisdiction, Fr::from(276u32));
    assert_eq!(first_failure(w.clone()), None);
    let mut bad = w;
    bad.public.disclosed_jurisdiction = Fr::from(250u32);
    assert_fails_at(bad, "disclosed_jurisdiction");
}

#[test]
fn only_one_nullifier_per_holder_exchange_and_epoch() {
    let f = Fixture::new();
    let w = f.inputs().build().unwrap();
    for delta in [1u8, 2] {
        let mut bad = w.clone();
        bad.public.nullifier += Fr::from(delta);
        assert_fails_at(bad, "nullifier");
    }
    let mut bad = w.clone();
    bad.public.epoch += Fr::from(1u8);
    assert_fails_at(bad, "nullifier");
}

#[test]
fn every_public_input_and_private_value_is_bound() {
    let f = Fixture::new();
    let w = f.inputs().build().unwrap();
    let one = Fr::from(1u8);
    type Edit = Box<dyn Fn(&mut WithdrawalWitness)>;
    let cases: Vec<(&str, Edit)> = vec![
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
    for (row, edit) in cases {
        let mut bad = w.clone();
        edit(&mut bad);
        assert_fails_at(bad, row);
    }
    assert!(!w.public.statement_hash.is_zero());
}
