//! A three-party ceremony on the real withdrawal circuit, as a consortium
//! runs it: a zkcomply contribution, a snarkjs contribution and a zkcomply
//! beacon on a key that `zkcomply ceremony init` started. Both tools accept
//! the transcript; the finalised key proves bundles that zkcomply's
//! verifier, `snarkjs groth16 verify` and the ComplianceGate in an EVM all
//! accept; tampering is refused with its reason.
//!
//! The phase-1 file is `zkcomply ceremony dev-ptau` of power 16 (seconds;
//! snarkjs took 19 minutes to make and prepare one of power 15), so
//! `finalize` writes the keys as development keys, as it must for a phase 1
//! whose maker knows its secrets; a power-8 file is checked by `snarkjs
//! powersoftau verify`. Needs snarkjs from `npm ci --prefix benches/evm`
//! (scripts/test.sh installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use revm::primitives::Address;
use zkcomply_benches::evm::{compile, deploy_gate, Chain};
use zkcomply_ceremony::new_zkey::new_zkey;
use zkcomply_ceremony::ptau::PtauFile;
use zkcomply_ceremony::r1cs_file::R1csFile;
use zkcomply_ceremony::transcript::transcript_hash;
use zkcomply_ceremony::verify::{verify, VerifyError};
use zkcomply_ceremony::zkey::Zkey;
use zkcomply_prover::setup::KeysDir;
use zkcomply_verifier::provenance::ProvenanceKind;
use zkcomply_verifier::solidity::calldata::gate_arguments;
use zkcomply_verifier::solidity::words::word;
use zkcomply_verifier::solidity::{export, write_dir};
use zkcomply_verifier::{verify_bundle, Bundle, Policy};

const OWNER: Address = Address::new([0x0a; 20]);
const EXCHANGE: Address = Address::new([0x0b; 20]);
const BEACON: &str = "0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5";

fn zkcomply(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply")).args(args).output().expect("run zkcomply")
}

fn snarkjs(dir: &Path, args: &[&str]) -> Output {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/evm/node_modules/.bin/snarkjs");
    assert!(bin.exists(), "snarkjs is missing: run `npm ci --prefix benches/evm --no-audit --no-fund`");
    Command::new(bin).args(args).current_dir(dir).output().expect("run snarkjs")
}

fn ok(out: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Like [`ok`], with the standard error too.
fn ok_with_stderr(out: Output, what: &str) -> (String, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (ok(out, what), stderr)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The ceremony, run once for every test.
struct Ceremony {
    dir: tempfile::TempDir,
    /// What `zkcomply ceremony finalize` printed verifying the final key.
    verify_output: String,
    /// What it printed on standard error.
    finalize_stderr: String,
    /// The final key's transcript hash, as hex.
    transcript_hash: String,
}

impl Ceremony {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn ceremony() -> &'static Ceremony {
    static C: OnceLock<Ceremony> = OnceLock::new();
    C.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = |n: &str| dir.path().join(n);
        ok(zkcomply(&["ceremony", "dev-ptau", "--power", "16", "--out", s(&p("phase1.ptau"))]), "dev-ptau");
        ok(zkcomply(&["circuit", "export-r1cs", "--out", s(&p("withdrawal.r1cs"))]), "export-r1cs");
        ok(zkcomply(&["ceremony", "init", "--ptau", s(&p("phase1.ptau")), "--out", s(&p("w0.zkey"))]), "ceremony init");
        let contributed = ok(
            zkcomply(&[
                "ceremony",
                "contribute",
                s(&p("w0.zkey")),
                s(&p("w1.zkey")),
                "--name",
                "Exchange A",
                "--entropy",
                "typed by exchange A",
            ]),
            "zkcomply contribute",
        );
        assert!(contributed.contains("Contribution Hash:"), "{contributed}");
        ok(
            snarkjs(dir.path(), &["zkey", "contribute", "w1.zkey", "w2.zkey", "--name=Exchange B", "-e=typed by B"]),
            "snarkjs zkey contribute",
        );
        ok(
            zkcomply(&[
                "ceremony",
                "beacon",
                s(&p("w2.zkey")),
                s(&p("final.zkey")),
                "--beacon",
                BEACON,
                "--iterations",
                "10",
                "--name",
                "block 900000",
            ]),
            "zkcomply beacon",
        );
        // `finalize` verifies the transcript against the phase-1 file
        // first and prints what `ceremony verify` prints.
        let (verify_output, finalize_stderr) = ok_with_stderr(
            zkcomply(&[
                "ceremony",
                "finalize",
                s(&p("final.zkey")),
                "--ptau",
                s(&p("phase1.ptau")),
                "--out",
                s(&p("keys")),
            ]),
            "ceremony finalize",
        );
        let final_key = Zkey::from_bytes(&std::fs::read(p("final.zkey")).expect("read")).expect("parse");
        let transcript_hash = hex::encode(transcript_hash(&final_key.mpc));
        Ceremony { dir, verify_output, finalize_stderr, transcript_hash }
    })
}

#[test]
fn both_tools_accept_the_three_party_transcript() {
    let c = ceremony();
    let out = &c.verify_output;
    for expected in ["Exchange A", "Exchange B", "block 900000", BEACON, "Transcript Hash:", "ZKey Ok!"] {
        assert!(out.contains(expected), "{expected:?} missing from:\n{out}");
    }
    // The printed transcript hash (snarkjs's layout) is the key's.
    let printed: String =
        out.split("Transcript Hash:").nth(1).expect("a transcript hash").split_whitespace().take(16).collect();
    assert_eq!(printed, c.transcript_hash);
    let theirs = ok(
        snarkjs(c.dir.path(), &["zkey", "verify", "withdrawal.r1cs", "phase1.ptau", "final.zkey"]),
        "snarkjs zkey verify",
    );
    assert!(theirs.contains("ZKey Ok!"), "{theirs}");
    for name in ["Exchange A", "Exchange B", "block 900000"] {
        assert!(theirs.contains(name), "snarkjs does not list {name:?}:\n{theirs}");
    }
}

#[test]
fn snarkjs_accepts_the_development_phase_one_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(zkcomply(&["ceremony", "dev-ptau", "--power", "8", "--out", s(&dir.path().join("p8.ptau"))]), "dev-ptau");
    let out = ok(snarkjs(dir.path(), &["powersoftau", "verify", "p8.ptau"]), "snarkjs powersoftau verify");
    assert!(out.contains("Powers of Tau Ok!"), "{out}");
    // Every level of the Lagrange sections is what snarkjs checks; the
    // power-16 file of the ceremony is made by the same code.
}

#[test]
fn the_finalised_key_proves_bundles_that_zkcomply_snarkjs_and_the_gate_accept() {
    let c = ceremony();
    let fixture = zkcomply_benches::BenchFixture::new();
    let keys = KeysDir::load(&c.path("keys")).expect("the finalised keys load");
    // Phase 1 is a development file here, whose maker could forge proofs:
    // `finalize` says so and writes development keys, with the reduction
    // the ceremony's key needs.
    assert!(c.finalize_stderr.contains("DEVELOPMENT"), "{}", c.finalize_stderr);
    assert_eq!(keys.verifying_key.provenance_kind(), ProvenanceKind::Development);
    assert_eq!(keys.manifest.reduction, zkcomply_prover::reduction::Reduction::Circom);
    let bundle = zkcomply_prover::prove::prove_bundle(&fixture.request(), &keys).expect("proved");

    let mut policy: Policy = fixture.request().policy;
    policy.verifying_key_hash = Some(keys.verifying_key.hash());
    policy.accept_development_keys = Some(true);
    let verdict = verify_bundle(&bundle, &policy, &keys.verifying_key, bundle.withdrawal.now.0);
    assert!(verdict.accepted, "{verdict:?}");
    let summary = verdict.key.expect("the key's summary");
    assert_eq!(summary.provenance, ProvenanceKind::Development);
    assert!(summary.warning.is_some(), "a development key is flagged");

    // snarkjs verifies the exported proof with the exported key.
    let out = tempfile::tempdir().expect("tempdir");
    let files = zkcomply_verifier::snarkjs::proof::export(&bundle, &keys.verifying_key).expect("export");
    files.write_dir(out.path()).expect("write");
    let verified = ok(
        snarkjs(out.path(), &["groth16", "verify", "verification_key.json", "public.json", "proof.json"]),
        "snarkjs groth16 verify",
    );
    assert!(verified.contains("OK"), "{verified}");

    // The gate, exported for this key, accepts the withdrawal in an EVM.
    let sol = tempfile::tempdir().expect("tempdir");
    write_dir(&export(&keys.verifying_key).expect("solidity"), sol.path()).expect("write");
    let compiled = compile(sol.path()).unwrap_or_else(|e| panic!("{e}"));
    let mut chain = Chain::new();
    chain.set_timestamp(bundle.withdrawal.now.0);
    let args = gate_arguments(&bundle).expect("calldata");
    let gate = deploy_gate(&mut chain, &compiled, OWNER, &policy, &args).unwrap_or_else(|e| panic!("{e}"));
    let outcome = chain.call(EXCHANGE, gate.gate, args.withdraw().encode());
    assert!(outcome.success, "withdraw reverted: 0x{}", hex::encode(&outcome.output));
    assert_eq!(outcome.word(0).expect("the context"), word(&args.public_inputs().context));

    // A bundle re-read from JSON is the same bundle (what exchanges receive).
    let reread = Bundle::from_json(&bundle.to_json()).expect("bundle json");
    assert!(verify_bundle(&reread, &policy, &keys.verifying_key, bundle.withdrawal.now.0).accepted);
}

/// The final key and the initial one, read with the library.
fn keys_for_tampering() -> (Zkey, Zkey) {
    static K: OnceLock<(Zkey, Zkey)> = OnceLock::new();
    K.get_or_init(|| {
        let c = ceremony();
        let final_key = Zkey::from_bytes(&std::fs::read(c.path("final.zkey")).expect("read")).expect("parse");
        // The initial key `ceremony init` wrote (identical to a recomputed one:
        // `ceremony verify` checks against a recomputed one below).
        let initial = Zkey::from_bytes(&std::fs::read(c.path("w0.zkey")).expect("read")).expect("parse");
        (final_key, initial)
    })
    .clone()
}

#[test]
fn a_tampered_contribution_is_refused_by_both_tools() {
    let c = ceremony();
    let (mut key, initial) = keys_for_tampering();
    assert!(verify(&key, &initial).is_ok());
    // Exchange B's proof of knowledge made for another secret: a valid
    // point, so only the pairing check can tell.
    let b = &mut key.mpc.contributions[1];
    b.delta.g1_sx = (b.delta.g1_sx + b.delta.g1_s).into();
    let err = verify(&key, &initial).expect_err("a tampered contribution");
    assert!(matches!(err, VerifyError::ProofOfKnowledge { .. } | VerifyError::Transcript { .. }), "{err}");
    assert!(err.to_string().contains('2'), "names the contribution: {err}");
    let path = c.path("tampered.zkey");
    std::fs::write(&path, key.to_bytes()).expect("write");
    let out = zkcomply(&["ceremony", "verify", "--ptau", s(&c.path("phase1.ptau")), s(&path)]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_swapped_phase_one_file_another_circuit_and_a_truncated_key_are_refused() {
    let c = ceremony();
    let (key, initial) = keys_for_tampering();

    // Another phase-1 file: another alpha, beta and tau.
    let other = c.path("other.ptau");
    ok(zkcomply(&["ceremony", "dev-ptau", "--power", "16", "--out", s(&other)]), "dev-ptau");
    let r1cs = R1csFile::from_bytes(&std::fs::read(c.path("withdrawal.r1cs")).expect("read")).expect("parse");
    let swapped = new_zkey(&r1cs, &mut PtauFile::open(&other).expect("ptau")).expect("initial key");
    let err = verify(&key, &swapped).expect_err("another phase-1 file");
    assert!(err.to_string().contains("alpha") || err.to_string().contains("circuit hash"), "{err}");

    // A key for another circuit: the withdrawal circuit's initial key with
    // one constraint coefficient changed.
    let mut other_circuit = initial.clone();
    other_circuit.coefficients[0].value += zkcomply_circuits::Fr::from(1u8);
    assert!(verify(&key, &other_circuit).is_err());
    let tiny = R1csFile {
        n_wires: 8,
        n_pub_out: 0,
        n_pub_in: 6,
        n_prv_in: 1,
        n_labels: 8,
        constraints: vec![zkcomply_ceremony::r1cs_file::R1csConstraint {
            a: vec![(7, zkcomply_circuits::Fr::from(1u8))],
            b: vec![(7, zkcomply_circuits::Fr::from(1u8))],
            c: vec![(1, zkcomply_circuits::Fr::from(1u8))],
        }],
        wire_to_label: (0..8).collect(),
    };
    let tiny_path = c.path("tiny.r1cs");
    std::fs::write(&tiny_path, tiny.to_bytes()).expect("write");
    let out = zkcomply(&[
        "ceremony",
        "verify",
        "--ptau",
        s(&c.path("phase1.ptau")),
        "--r1cs",
        s(&tiny_path),
        s(&c.path("final.zkey")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());

    // A truncated key is unreadable input: exit 2, the file named.
    let bytes = std::fs::read(c.path("final.zkey")).expect("read");
    let cut = c.path("cut.zkey");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let out = zkcomply(&["ceremony", "verify", "--ptau", s(&c.path("phase1.ptau")), s(&cut)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cut.zkey"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_phase_one_file_without_the_development_record_gives_ceremony_keys() {
    // The same points under another contribution name: what `finalize`
    // sees for a public phase-1 file. (The name is only how zkcomply tells
    // its own development files apart; the points are what the transcript
    // is checked against.)
    let c = ceremony();
    let mut bytes = std::fs::read(c.path("phase1.ptau")).expect("read");
    let name = zkcomply_ceremony::dev_phase1::DEV_CONTRIBUTION_NAME.as_bytes();
    let at = bytes.windows(name.len()).position(|w| w == name).expect("the development record");
    bytes[at..at + name.len()].copy_from_slice(&vec![b'x'; name.len()]);
    let public = c.path("public.ptau");
    std::fs::write(&public, &bytes).expect("write");
    let keys = c.path("ceremony-keys");
    let (_, stderr) = ok_with_stderr(
        zkcomply(&["ceremony", "finalize", s(&c.path("final.zkey")), "--ptau", s(&public), "--out", s(&keys)]),
        "ceremony finalize",
    );
    assert!(!stderr.contains("DEVELOPMENT"), "{stderr}");
    let keys = KeysDir::load(&keys).expect("the keys load");
    assert_eq!(keys.verifying_key.provenance_kind(), ProvenanceKind::Ceremony);
    assert_eq!(keys.verifying_key.transcript_hash().expect("a transcript").to_string(), c.transcript_hash);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(c.path("ceremony-keys/manifest.json")).expect("read"))
            .expect("json");
    let names: Vec<&str> = manifest["provenance"]["contributions"]
        .as_array()
        .expect("contributions")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["Exchange A", "Exchange B", "block 900000"]);
    assert_eq!(manifest["provenance"]["contributions"][2]["kind"], "beacon");
    assert_eq!(manifest["reduction"], "circom");

    // It proves bundles that verify under a policy pinning the key and the
    // transcript, with development keys refused.
    let fixture = zkcomply_benches::BenchFixture::new();
    let bundle = zkcomply_prover::prove::prove_bundle(&fixture.request(), &keys).expect("proved");
    let mut policy: Policy = fixture.request().policy;
    policy.verifying_key_hash = Some(keys.verifying_key.hash());
    policy.accept_development_keys = Some(false);
    policy.ceremony_transcripts = Some(vec![keys.verifying_key.transcript_hash().expect("a transcript")]);
    let verdict = verify_bundle(&bundle, &policy, &keys.verifying_key, bundle.withdrawal.now.0);
    assert!(verdict.accepted, "{verdict:?}");
    assert_eq!(verdict.key.expect("summary").provenance, ProvenanceKind::Ceremony);
}
