//! The two proof systems decide every case the same way: one table of the
//! refusals (`prove_bundle` before any proof) and rejections
//! (`verify_bundle`) the Groth16 suite has, run through Groth16 and halo2
//! from one credential and one set of trees (`demo --backend both`). Each
//! case must be accepted by both or refused or rejected by both, at the
//! same check and for the same reason.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde_json::{json, Value};
use zkcomply_circuits::encoding::identity_hash;
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::{Fr, TREE_DEPTH};
use zkcomply_prover::demo::{DemoBackends, DemoLists, SANCTIONED_ETH_ADDRESS};
use zkcomply_prover::layout;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::KeysDir;
use zkcomply_prover::tree_file::{TreeFile, TreeKind};
use zkcomply_prover::witness::ProofRequest;
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::values::FieldElement;
use zkcomply_verifier::{verify_bundle, Bundle, Policy};

/// The demo directory with both backends, each backend's keys, and each
/// backend's bundle for a second withdrawal (its proof is valid, but for
/// other public inputs).
struct Demo {
    dir: tempfile::TempDir,
    keys: [KeysDir; 2],
    other_bundles: [Value; 2],
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let lists = DemoLists::from_data_dir(&data).unwrap();
        zkcomply_prover::demo::run(dir.path(), &lists, DemoBackends::Both).unwrap();
        let groth16 = KeysDir::load(&dir.path().join(layout::KEYS)).unwrap();
        let halo2 = KeysDir::load(&dir.path().join(layout::SECOND_BACKEND).join(layout::KEYS)).unwrap();
        let keys = [groth16, halo2];
        let other_bundles = keys.each_ref().map(|keys| {
            let mut request = ProofRequest::load_dir(dir.path()).unwrap();
            request.withdrawal.withdrawal_id = "w-another".into();
            serde_json::from_str(&prove_bundle(&request, keys).unwrap().to_json()).unwrap()
        });
        Demo { dir, keys, other_bundles }
    })
}

fn read(relative: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(demo().dir.path().join(relative)).unwrap()).unwrap()
}

/// The two bundles, Groth16's and halo2's.
fn bundles() -> [Value; 2] {
    [read(layout::BUNDLE), read(&format!("{}/{}", layout::SECOND_BACKEND, layout::BUNDLE))]
}

/// A request for each backend (halo2's withdrawal has its own id).
fn requests() -> [ProofRequest; 2] {
    let dir = demo().dir.path();
    let groth16 = ProofRequest::load_dir(dir).unwrap();
    let mut halo2 = ProofRequest::load_dir(dir).unwrap();
    halo2.withdrawal =
        serde_json::from_value(read(&format!("{}/{}", layout::SECOND_BACKEND, layout::WITHDRAWAL))).unwrap();
    [groth16, halo2]
}

/// What a backend made of a case: accepted, or the check (`refused` for a
/// refusal before proving) and the reason with the key's hash and the
/// backend's name taken out.
fn outcome_of_proving(request: &ProofRequest, keys: &KeysDir) -> (bool, String, String) {
    match prove_bundle(request, keys) {
        Ok(_) => (true, String::new(), String::new()),
        Err(e) => (false, "refused".into(), normalised(&e.to_string(), keys)),
    }
}

fn outcome_of_verifying(bundle: &Value, policy: &Value, keys: &KeysDir, at: u64) -> (bool, String, String) {
    let bundle = match Bundle::from_json(&bundle.to_string()) {
        Ok(b) => b,
        Err(e) => return (false, "format".into(), normalised(&e.to_string(), keys)),
    };
    let policy = Policy::from_json(&policy.to_string()).unwrap();
    let verdict = verify_bundle(&bundle, &policy, &keys.verifying_key, at);
    match verdict.rejection() {
        None => (true, String::new(), String::new()),
        Some((check, reason)) => (false, check.name().to_string(), normalised(reason, keys)),
    }
}

fn normalised(text: &str, keys: &KeysDir) -> String {
    let text = text.replace(&keys.verifying_key.hash().to_string(), "<key>");
    Backend::ALL.iter().fold(text, |text, backend| {
        text.replace(backend.id(), "<backend>").replace(backend.proof_system(), "<proof system>")
    })
}

fn at(bundle: &Value) -> u64 {
    bundle["withdrawal"]["now"].as_u64().unwrap() + 1
}

type RequestEdit = Box<dyn Fn(&mut ProofRequest)>;

/// A tree of `kind` holding `keys` alone.
fn tree_of(kind: TreeKind, keys: &[Fr]) -> Arc<TreeFile> {
    Arc::new(TreeFile { kind, built_at: 0, tree: IndexedMerkleTree::from_keys(TREE_DEPTH, keys.to_vec()).unwrap() })
}

#[test]
fn refusals_before_proving_are_the_same_in_both_backends() {
    let sanctioned_identity = identity_hash("Jane Example|1990-01-01|DE").unwrap();
    let cases: Vec<(&str, RequestEdit)> = vec![
        ("honest", Box::new(|_| {})),
        (
            "expired",
            Box::new(|r| {
                let expires = r.credential.attributes.expires_at.0;
                r.withdrawal.now.0 = expires;
                r.withdrawal.epoch.0 = expires / 86_400;
            }),
        ),
        ("tier below the policy", Box::new(|r| r.policy.min_tier = Some(3))),
        ("amount over the limit", Box::new(|r| r.withdrawal.amount.0 = 10_000_000_000_000_000_001)),
        ("sanctioned address", Box::new(|r| r.withdrawal.source_address = SANCTIONED_ETH_ADDRESS.into())),
        (
            "sanctioned identity",
            Box::new(move |r| {
                r.identity_tree = tree_of(TreeKind::Identity, &[sanctioned_identity]);
                r.policy.identity_sanctions_roots = Some(vec![FieldElement(r.identity_tree.tree.root())]);
            }),
        ),
        (
            "revoked",
            Box::new(|r| {
                r.revocation_tree = tree_of(TreeKind::Revocation, &[r.credential.attributes.nonce.0]);
                r.policy.revocation_roots = Some(vec![FieldElement(r.revocation_tree.tree.root())]);
            }),
        ),
        ("blocked jurisdiction", Box::new(|r| r.policy.blocked_jurisdictions = Some(vec![408, 276]))),
        ("tier edited after signing", Box::new(|r| r.credential.attributes.kyc_tier = 3)),
        ("signature edited", Box::new(|r| r.credential.signature.s.0 += 1u8)),
        ("another exchange", Box::new(|r| r.withdrawal.exchange_id = "okx-main-2".into())),
        (
            "an address root the policy does not accept",
            Box::new(|r| {
                r.policy.address_sanctions_roots = Some(vec![FieldElement(Fr::from(12_345u64))]);
            }),
        ),
    ];
    let keys = &demo().keys;
    for (name, edit) in cases {
        let outcomes: Vec<_> = requests()
            .into_iter()
            .zip(keys)
            .map(|(mut request, keys)| {
                edit(&mut request);
                outcome_of_proving(&request, keys)
            })
            .collect();
        assert_eq!(outcomes[0], outcomes[1], "{name}: Groth16 and halo2 differ");
        assert_eq!(outcomes[0].0, name == "honest", "{name}: {:?}", outcomes[0]);
    }
}

/// Edits a bundle, a policy and the verification time, knowing the
/// bundle's backend.
type BundleEdit = Box<dyn Fn(&mut Value, &mut Value, &mut u64, Backend)>;

#[test]
fn rejections_are_the_same_in_both_backends() {
    let modulus = zkcomply_circuits::field::modulus();
    let cases: Vec<(&str, &str, BundleEdit)> = vec![
        ("honest", "", Box::new(|_, _, _, _| {})),
        (
            "destination edited",
            "context",
            Box::new(|b, _, _, _| {
                b["withdrawal"]["destination_address"] = json!("0x2222222222222222222222222222222222222222")
            }),
        ),
        ("amount edited", "context", Box::new(|b, _, _, _| b["withdrawal"]["amount"] = json!("250000000000000001"))),
        ("chain edited", "context", Box::new(|b, _, _, _| b["withdrawal"]["chain_id"] = json!(10))),
        ("min tier edited", "statement_hash", Box::new(|b, _, _, _| b["public"]["min_tier"] = json!(3))),
        (
            "blocked list edited",
            "statement_hash",
            Box::new(|b, _, _, _| b["public"]["blocked_jurisdictions"][7] = json!(1)),
        ),
        ("nullifier edited", "public_values", Box::new(|b, _, _, _| b["public"]["nullifier"] = json!("1"))),
        (
            "public input at or above r",
            "public_input_range",
            Box::new(move |b, _, _, _| {
                let epoch: num_bigint::BigUint = b["public_inputs"][3].as_str().unwrap().parse().unwrap();
                b["public_inputs"][3] = json!((epoch + &modulus).to_string());
            }),
        ),
        (
            "one public input too many",
            "public_input_count",
            Box::new(|b, _, _, _| b["public_inputs"].as_array_mut().unwrap().push(json!("0"))),
        ),
        ("stale now", "clock", Box::new(|_, _, at, _| *at += 301)),
        ("future now", "clock", Box::new(|_, _, at, _| *at -= 302)),
        (
            "bundle names another key",
            "verifying_key",
            Box::new(|b, _, _, _| b["verifying_key_hash"] = json!("00".repeat(32))),
        ),
        (
            "another withdrawal's proof",
            "proof",
            Box::new(|b, _, _, backend| {
                let index = Backend::ALL.iter().position(|b| *b == backend).unwrap();
                b["proof"] = demo().other_bundles[index]["proof"].clone();
            }),
        ),
        (
            PROOF_BYTES_EDITED,
            "proof",
            Box::new(|b, _, _, _| {
                let proof = b["proof"].as_str().unwrap().to_owned();
                let middle = proof.len() / 2;
                let swapped = if &proof[middle..middle + 1] == "A" { "B" } else { "A" };
                b["proof"] = json!(format!("{}{swapped}{}", &proof[..middle], &proof[middle + 1..]));
            }),
        ),
        (
            "another issuer",
            "issuer",
            Box::new(|_, p, _, _| {
                p["issuers"] = json!([[
                    "16540640123574156134436876038791482806971768689494387082833631921987005038935",
                    "20819045374670962167435360035096875258406992893633759881276124905556507972311"
                ]])
            }),
        ),
        ("policy min tier 3", "min_tier", Box::new(|_, p, _, _| p["min_tier"] = json!(3))),
        ("policy limit lowered", "limits", Box::new(|_, p, _, _| p["limits"]["ETH"][2] = json!("9999999999999999999"))),
        (
            "identity root not accepted",
            "identity_root",
            Box::new(|_, p, _, _| p["identity_sanctions_roots"] = json!(["1"])),
        ),
        (
            "address root not accepted",
            "address_root",
            Box::new(|_, p, _, _| p["address_sanctions_roots"] = json!(["2"])),
        ),
        ("revocation root not accepted", "revocation_root", Box::new(|_, p, _, _| p["revocation_roots"] = json!([]))),
        (
            "jurisdiction newly blocked",
            "blocked_jurisdictions",
            Box::new(|_, p, _, _| p["blocked_jurisdictions"] = json!([408, 364, 760])),
        ),
        ("another epoch length", "epoch", Box::new(|_, p, _, _| p["epoch_seconds"] = json!(3600))),
        (
            "disclosure required",
            "disclosures",
            Box::new(|_, p, _, _| p["required_disclosures"] = json!(["jurisdiction"])),
        ),
        ("another exchange", "exchange", Box::new(|_, p, _, _| p["exchange_id"] = json!("another-exchange"))),
        (
            "backend not accepted",
            "policy_backend",
            Box::new(|_, p, _, backend| {
                let other = Backend::ALL.iter().find(|b| **b != backend).unwrap();
                p["backends"] = json!([other.id()]);
                p["verifying_keys"].as_object_mut().unwrap().remove(backend.id());
            }),
        ),
        (
            "key not pinned",
            "policy_verifying_key",
            Box::new(|_, p, _, _| {
                p["verifying_keys"]["groth16-bn254"] = json!(["11".repeat(32)]);
                p["verifying_keys"]["halo2-ipa-bn254"] = json!(["11".repeat(32)]);
            }),
        ),
    ];
    let keys = &demo().keys;
    let policy = read(layout::POLICY);
    for (name, check, edit) in cases {
        let outcomes: Vec<_> = bundles()
            .into_iter()
            .zip(keys)
            .map(|(mut bundle, keys)| {
                let mut policy = policy.clone();
                let mut time = at(&bundle);
                edit(&mut bundle, &mut policy, &mut time, keys.verifying_key.backend());
                outcome_of_verifying(&bundle, &policy, keys, time)
            })
            .collect();
        if name == PROOF_BYTES_EDITED {
            // Both reject at `proof`; why is the proof system's own: a
            // Groth16 proof is three points decoded before any pairing, a
            // halo2 proof a transcript read as it is verified.
            assert_eq!((outcomes[0].0, &outcomes[0].1), (outcomes[1].0, &outcomes[1].1), "{name}: {outcomes:?}");
        } else {
            assert_eq!(outcomes[0], outcomes[1], "{name}: Groth16 and halo2 differ");
        }
        assert_eq!(outcomes[0].1, check, "{name}: {:?}", outcomes[0]);
    }
}

/// The one case whose reasons differ in detail between proof systems.
const PROOF_BYTES_EDITED: &str = "proof bytes edited";
