//! Keys from a ceremony on the real withdrawal circuit: keys made with
//! snarkjs's reduction (`CircomReduction`) and written by
//! `write_ceremony_keys` prove bundles that verify, and only with the
//! reduction their manifest names; their provenance reaches the verdict and
//! the audit; policies pin ceremony transcripts; and snarkjs itself
//! (`snarkjs groth16 verify`, from `npm ci --prefix benches/evm`) verifies
//! the exported proofs of development and ceremony keys alike.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use rand::SeedableRng;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::TREE_DEPTH;
use zkcomply_prover::circom_qap::CircomReduction;
use zkcomply_prover::demo::DemoLists;
use zkcomply_prover::finalize::write_ceremony_keys;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::reduction::Reduction;
use zkcomply_prover::setup::{KeysDir, MANIFEST_FILE};
use zkcomply_prover::witness::ProofRequest;
use zkcomply_prover::{KeyError, ProverError, ProvingError};
use zkcomply_verifier::provenance::{CeremonyRecord, ContributionKind, ContributionRecord, ProvenanceKind};
use zkcomply_verifier::values::HexDigest512;
use zkcomply_verifier::{audit, Bundle, Check, Claim, Policy, ProofCheck, VerificationLog, VerifyingKeyFile};

struct Fixture {
    dir: tempfile::TempDir,
    request: ProofRequest,
    dev_keys: KeysDir,
    dev_bundle: Bundle,
    ceremony_dir: PathBuf,
    ceremony_bundle: Bundle,
    record: CeremonyRecord,
}

fn record() -> CeremonyRecord {
    CeremonyRecord {
        transcript_hash: HexDigest512([0x5a; 64]),
        contributions: vec![
            ContributionRecord {
                name: Some("alice".into()),
                hash: HexDigest512([1; 64]),
                kind: ContributionKind::Secret,
            },
            ContributionRecord {
                name: Some("final beacon".into()),
                hash: HexDigest512([2; 64]),
                kind: ContributionKind::Beacon { value: vec![0x0b; 32], iterations_exp: 10 },
            },
        ],
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let lists = DemoLists::from_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")).unwrap();
        zkcomply_prover::demo::run(dir.path(), &lists, Default::default()).unwrap();
        let request = ProofRequest::load_dir(dir.path()).unwrap();
        let dev_keys = KeysDir::load(&dir.path().join("keys")).unwrap();
        let dev_bundle = Bundle::from_json(&std::fs::read_to_string(dir.path().join("bundle.json")).unwrap()).unwrap();

        // A key with snarkjs's H query, as a ceremony's final .zkey holds.
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(14);
        let circuit = WithdrawalCircuit { witness: WithdrawalWitness::blank(TREE_DEPTH) };
        let pk =
            Groth16::<Bn254, CircomReduction>::generate_random_parameters_with_reduction(circuit, &mut rng).unwrap();
        let ceremony_dir = dir.path().join("ceremony-keys");
        let manifest = write_ceremony_keys(&ceremony_dir, &pk, record()).unwrap();
        assert_eq!(manifest.reduction, Reduction::Circom);
        assert!(!manifest.development_setup);
        let keys = KeysDir::load(&ceremony_dir).unwrap();
        let ceremony_bundle = prove_bundle(&request, &keys).unwrap();
        Fixture { dir, request, dev_keys, dev_bundle, ceremony_dir, ceremony_bundle, record: record() }
    })
}

fn ceremony_keys() -> KeysDir {
    KeysDir::load(&fixture().ceremony_dir).unwrap()
}

/// The demo's policy for `vk`: pinning it, development keys refused.
fn policy_for(vk: &VerifyingKeyFile) -> Policy {
    let mut policy = fixture().request.policy.clone();
    policy.verifying_key_hash = Some(vk.hash());
    policy.accept_development_keys = Some(false);
    policy
}

fn at(bundle: &Bundle) -> u64 {
    bundle.withdrawal.now.0
}

#[test]
fn circom_reduction_keys_prove_bundles_that_verify() {
    let f = fixture();
    let keys = ceremony_keys();
    assert_eq!(keys.manifest.reduction, Reduction::Circom);
    let mut policy = policy_for(&keys.verifying_key);
    policy.ceremony_transcripts = Some(vec![f.record.transcript_hash]);
    let verdict =
        zkcomply_verifier::verify_bundle(&f.ceremony_bundle, &policy, &keys.verifying_key, at(&f.ceremony_bundle));
    assert!(verdict.accepted, "{verdict:?}");
    assert!(verdict.checked.contains(&Check::CeremonyTranscript));
    let key = verdict.key.unwrap();
    assert_eq!(key.provenance, ProvenanceKind::Ceremony);
    assert_eq!(key.transcript_hash, Some(f.record.transcript_hash));
    assert_eq!(key.warning, None);
    assert!(key.to_text().contains(&format!("ceremony key, transcript {}", f.record.transcript_hash)));
    let json: serde_json::Value =
        serde_json::from_str(&verdict_json(&f.ceremony_bundle, &policy, &keys.verifying_key)).unwrap();
    assert_eq!(json["key"]["provenance"], "ceremony");
    assert_eq!(json["key"]["transcript_hash"], f.record.transcript_hash.to_string());
}

fn verdict_json(bundle: &Bundle, policy: &Policy, vk: &VerifyingKeyFile) -> String {
    zkcomply_verifier::verify_bundle(bundle, policy, vk, at(bundle)).to_json()
}

#[test]
fn the_wrong_reduction_gives_proofs_that_do_not_verify() {
    let f = fixture();
    // The manifest's field matters: the ceremony key proved with the
    // libsnark reduction, and the development key with circom's, give
    // proofs the prover's own verification refuses.
    let mut keys = ceremony_keys();
    keys.manifest.reduction = Reduction::Libsnark;
    let err = prove_bundle(&f.request, &keys).expect_err("a libsnark proof for a circom key");
    assert!(matches!(err, ProverError::Proving(ProvingError::DoesNotVerify)), "{err}");
    let mut dev = KeysDir::load(&f.dir.path().join("keys")).unwrap();
    assert_eq!(dev.manifest.reduction, Reduction::Libsnark);
    dev.manifest.reduction = Reduction::Circom;
    let err = prove_bundle(&f.request, &dev).expect_err("a circom proof for a libsnark key");
    assert!(matches!(err, ProverError::Proving(ProvingError::DoesNotVerify)), "{err}");
}

#[test]
fn the_manifest_records_the_reduction_and_the_provenance() {
    let f = fixture();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.ceremony_dir.join(MANIFEST_FILE)).unwrap()).unwrap();
    assert_eq!(manifest["reduction"], "circom");
    assert_eq!(manifest["development_setup"], false);
    assert_eq!(manifest["provenance"]["kind"], "ceremony");
    assert_eq!(manifest["provenance"]["transcript_hash"], f.record.transcript_hash.to_string());
    assert_eq!(manifest["provenance"]["contributions"][1]["kind"], "beacon");
    assert_eq!(manifest["provenance"]["contributions"][1]["beacon_iterations_exp"], 10);

    // An older directory's manifest, without either field: libsnark, and
    // the key's own record.
    let old = tempfile::tempdir().unwrap();
    for name in ["proving_key.bin", "verifying_key.json", MANIFEST_FILE] {
        std::fs::copy(f.dir.path().join("keys").join(name), old.path().join(name)).unwrap();
    }
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(old.path().join(MANIFEST_FILE)).unwrap()).unwrap();
    assert_eq!(m["reduction"], "libsnark");
    assert_eq!(m["provenance"]["kind"], "development");
    let map = m.as_object_mut().unwrap();
    map.remove("reduction");
    map.remove("provenance");
    std::fs::write(old.path().join(MANIFEST_FILE), m.to_string()).unwrap();
    // The key file still records its development setup: the two disagree.
    let err = KeysDir::load(old.path()).err().expect("a manifest without the key's provenance");
    assert!(matches!(err, ProverError::Keys(KeyError::ProvenanceMismatch)), "{err}");
    // A key file of the same age (no provenance either) loads, as libsnark.
    let mut vk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(old.path().join("verifying_key.json")).unwrap()).unwrap();
    vk.as_object_mut().unwrap().remove("provenance");
    std::fs::write(old.path().join("verifying_key.json"), vk.to_string()).unwrap();
    let keys = KeysDir::load(old.path()).unwrap();
    assert_eq!(keys.manifest.reduction, Reduction::Libsnark);
    assert_eq!(keys.verifying_key.provenance_kind(), ProvenanceKind::Development);

    // A manifest claiming a ceremony for a development key is refused.
    m["provenance"] = serde_json::json!({"kind": "development"});
    m["development_setup"] = false.into();
    std::fs::write(old.path().join(MANIFEST_FILE), m.to_string()).unwrap();
    assert!(KeysDir::load(old.path()).is_err());
}

#[test]
fn a_policy_pinning_ceremony_transcripts_refuses_other_keys() {
    let f = fixture();
    let keys = ceremony_keys();
    // A development key fails the pin even where development keys are accepted.
    let mut policy = policy_for(&f.dev_keys.verifying_key);
    policy.accept_development_keys = Some(true);
    policy.ceremony_transcripts = Some(vec![f.record.transcript_hash]);
    let verdict =
        zkcomply_verifier::verify_bundle(&f.dev_bundle, &policy, &f.dev_keys.verifying_key, at(&f.dev_bundle));
    assert_eq!(verdict.failed_check, Some(Check::CeremonyTranscript), "{verdict:?}");
    assert!(verdict.reason.as_deref().unwrap().contains("no ceremony record (development setup)"));
    let key = verdict.key.unwrap();
    assert_eq!(key.provenance, ProvenanceKind::Development);
    assert_eq!(key.warning.as_deref(), Some(zkcomply_verifier::keys::DEVELOPMENT_WARNING));
    // A ceremony key from another ceremony fails it too.
    let mut policy = policy_for(&keys.verifying_key);
    policy.ceremony_transcripts = Some(vec![HexDigest512([0x11; 64])]);
    let verdict =
        zkcomply_verifier::verify_bundle(&f.ceremony_bundle, &policy, &keys.verifying_key, at(&f.ceremony_bundle));
    assert_eq!(verdict.failed_check, Some(Check::CeremonyTranscript), "{verdict:?}");
    assert!(verdict.reason.as_deref().unwrap().contains(&f.record.transcript_hash.to_string()));
    // Left out, the rule does not apply and strict mode does not ask for it.
    policy.ceremony_transcripts = None;
    let verdict =
        zkcomply_verifier::verify_bundle(&f.ceremony_bundle, &policy, &keys.verifying_key, at(&f.ceremony_bundle));
    assert!(verdict.accepted, "{verdict:?}");
    assert!(!verdict.checked.contains(&Check::CeremonyTranscript));
    assert!(!verdict.not_checked.contains(&Check::CeremonyTranscript));
    // Parsing: an empty list accepts nothing and is refused.
    let mut text: serde_json::Value = serde_json::to_value(&policy).unwrap();
    text["ceremony_transcripts"] = serde_json::json!([]);
    let err = Policy::from_json(&text.to_string()).unwrap_err().to_string();
    assert!(err.contains("ceremony_transcripts"), "{err}");
    text["ceremony_transcripts"] = serde_json::json!(["abc"]);
    let err = Policy::from_json(&text.to_string()).unwrap_err().to_string();
    assert!(err.contains("ceremony_transcripts[0]") && err.contains("128 lowercase hex"), "{err}");
}

#[test]
fn the_audit_reports_the_keys_and_applies_the_transcript_pin() {
    let f = fixture();
    let keys = ceremony_keys();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let mut log = VerificationLog::open(&path).unwrap();
    let mut exchange_policy = policy_for(&keys.verifying_key);
    exchange_policy.verifying_key_hash = None;
    exchange_policy.accept_development_keys = Some(true);
    for (bundle, vk) in [(&f.ceremony_bundle, &keys.verifying_key), (&f.dev_bundle, &f.dev_keys.verifying_key)] {
        let verdict = zkcomply_verifier::verify_bundle(bundle, &exchange_policy, vk, at(bundle));
        assert!(verdict.accepted, "{verdict:?}");
        log.append(at(bundle), bundle, &verdict).unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let mut regulator = exchange_policy.clone();
    regulator.ceremony_transcripts = Some(vec![f.record.transcript_hash]);
    let vks = [keys.verifying_key.clone(), f.dev_keys.verifying_key.clone()];
    let claims: BTreeSet<Claim> = [Claim::Key].into_iter().collect();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    let report = audit(&text, &regulator, &vks, &claims, ProofCheck::Batch, &mut rng, &mut |_, _, _| {});
    assert_eq!(report.keys.len(), 2);
    assert_eq!(report.keys[0].provenance, ProvenanceKind::Ceremony);
    assert_eq!(report.keys[1].provenance, ProvenanceKind::Development);
    assert!(report.to_text().contains(&format!("ceremony key, transcript {}", f.record.transcript_hash)));
    assert!(report.to_markdown().contains("DEVELOPMENT SETUP"));
    // The development key's record fails the regulator's transcript pin;
    // the ceremony key's passes and its proof verifies.
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert_eq!(report.findings[0].seq, Some(1));
    assert_eq!(report.findings[0].check, Some(Check::CeremonyTranscript));
    assert_eq!(report.proofs_verified, 1);
}

/// snarkjs from `npm ci --prefix benches/evm`.
fn snarkjs() -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/evm/node_modules/.bin/snarkjs");
    assert!(bin.exists(), "snarkjs is missing: run `npm ci --prefix benches/evm --no-audit --no-fund`");
    bin
}

fn snarkjs_verify(dir: &Path) -> (bool, String) {
    let out = Command::new(snarkjs())
        .args(["groth16", "verify"])
        .arg(dir.join("verification_key.json"))
        .arg(dir.join("public.json"))
        .arg(dir.join("proof.json"))
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success() && text.contains("OK!"), text)
}

#[test]
fn snarkjs_verifies_exported_proofs_of_both_reductions_and_refuses_tampered_ones() {
    let f = fixture();
    let keys = ceremony_keys();
    for (name, bundle, vk) in [
        ("development", &f.dev_bundle, &f.dev_keys.verifying_key),
        ("ceremony", &f.ceremony_bundle, &keys.verifying_key),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let files = zkcomply_verifier::snarkjs::proof::export(bundle, vk).unwrap();
        files.write_dir(dir.path()).unwrap();
        let (ok, text) = snarkjs_verify(dir.path());
        assert!(ok, "{name}: snarkjs refused the exported proof: {text}");

        // snarkjs's key reads back as the same key, of unknown provenance.
        let back = VerifyingKeyFile::from_json_any(
            &std::fs::read_to_string(dir.path().join("verification_key.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(back.hash(), vk.hash());
        assert_eq!(back.provenance_kind(), ProvenanceKind::Unknown);
        let mut policy = policy_for(vk);
        let verdict = zkcomply_verifier::verify_bundle(bundle, &policy, &back, at(bundle));
        assert!(verdict.accepted, "{name}: pinned, a snarkjs key is accepted: {verdict:?}");
        let key = verdict.key.unwrap();
        assert_eq!((key.provenance, key.pinned_by_policy, key.warning), (ProvenanceKind::Unknown, true, None));
        policy.verifying_key_hash = None;
        let verdict = zkcomply_verifier::verify_bundle(bundle, &policy, &back, at(bundle));
        assert_eq!(verdict.failed_check, Some(Check::DevelopmentKey), "{name}: unpinned, it is not: {verdict:?}");
        assert!(verdict.key.unwrap().warning.unwrap().starts_with("UNKNOWN PROVENANCE"));

        // A tampered public signal is refused by snarkjs.
        let mut public: Vec<String> =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("public.json")).unwrap()).unwrap();
        let context: num_bigint::BigUint = public[1].parse().unwrap();
        public[1] = (context + 1u8).to_string();
        std::fs::write(dir.path().join("public.json"), serde_json::to_string(&public).unwrap()).unwrap();
        let (ok, text) = snarkjs_verify(dir.path());
        assert!(!ok, "{name}: snarkjs accepted a tampered public.json: {text}");
    }
}

#[test]
fn a_ceremony_record_counts_only_for_a_key_the_policy_pins() {
    // The record is not covered by the key's hash: anyone can add one to a
    // key file. Unpinned, it is no better than no record at all.
    let f = fixture();
    let keys = ceremony_keys();
    let mut policy = policy_for(&keys.verifying_key);
    policy.verifying_key_hash = None;
    policy.ceremony_transcripts = Some(vec![f.record.transcript_hash]);
    let verdict =
        zkcomply_verifier::verify_bundle(&f.ceremony_bundle, &policy, &keys.verifying_key, at(&f.ceremony_bundle));
    assert!(!verdict.accepted);
    let (check, reason) = verdict.rejection().expect("a rejection");
    assert_eq!(check, Check::DevelopmentKey);
    assert!(reason.contains("records a ceremony"), "{reason}");
    policy.verifying_key_hash = Some(keys.verifying_key.hash());
    let verdict =
        zkcomply_verifier::verify_bundle(&f.ceremony_bundle, &policy, &keys.verifying_key, at(&f.ceremony_bundle));
    assert!(verdict.accepted, "{verdict:?}");
}

#[test]
fn a_ceremony_of_beacons_only_is_refused() {
    // A beacon's secret is derived from a public value: with beacons only,
    // anyone knows delta.
    let mut record = record();
    record.contributions.retain(|c| matches!(c.kind, ContributionKind::Beacon { .. }));
    let dir = tempfile::tempdir().unwrap();
    let pk = KeysDir::load(&fixture().ceremony_dir).unwrap().groth16_proving_key().unwrap().clone();
    let err = write_ceremony_keys(dir.path(), &pk, record).expect_err("beacons only");
    assert!(err.to_string().contains("at least one secret contribution"), "{err}");
    assert!(!dir.path().join(MANIFEST_FILE).exists());
}
