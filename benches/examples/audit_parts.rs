//! Per-record costs of the audit, one thread: parse, hash, context,
//! statement hash, proof decoding, input preparation, pairing.
//!
//! ```text
//! cargo run --release -p zkcomply-benches --example audit_parts -- LOG POLICY VK
//! ```

use std::time::Instant;

use base64::Engine;
use zkcomply_circuits::field::parse_fr;
use zkcomply_verifier::backend::groth16::Proof;
use zkcomply_verifier::{LogRecord, VerifyingKeyFile};

fn time<T>(label: &str, n: usize, mut f: impl FnMut(usize) -> T) -> Vec<T> {
    let start = Instant::now();
    let out: Vec<T> = (0..n).map(&mut f).collect();
    println!("{label:<40} {:>9.1} µs", start.elapsed().as_secs_f64() * 1e6 / n as f64);
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("log");
    let vk = VerifyingKeyFile::from_json(&std::fs::read_to_string(&args[3]).expect("vk")).expect("vk");
    let lines: Vec<&str> = text.lines().take(500).collect();
    let n = lines.len();
    let records = time("parse record", n, |i| serde_json::from_str::<LogRecord>(lines[i]).expect("record"));
    time("record hash (JCS + SHA-256)", n, |i| records[i].compute_hash());
    let bundles: Vec<&zkcomply_verifier::Bundle> =
        records.iter().map(|r| r.bundle.as_ref().expect("a log of single bundles")).collect();
    time("context (3 str_key + Poseidon-7)", n, |i| bundles[i].withdrawal.context_fields().expect("ctx").context());
    time("statement hash (Poseidon 10, 8, 2)", n, |i| bundles[i].public.statement().hash());
    let proofs = time("proof decode (base64, checks)", n, |i| {
        let b = base64::engine::general_purpose::STANDARD.decode(bundles[i].proof.as_bytes()).expect("b64");
        Proof::from_bytes(&b).expect("proof")
    });
    let inputs = time("public inputs parse", n, |i| {
        bundles[i].public_inputs.iter().map(|s| parse_fr(s).expect("input")).collect::<Vec<_>>()
    });
    let groth16 = vk.prepared.as_groth16().expect("a Groth16 key");
    time("prepare inputs (MSM of 6)", n, |i| groth16.prepare_inputs(&inputs[i]).expect("msm"));
    time("verify one", n, |i| groth16.verify(&proofs[i], &inputs[i]).expect("verify"));
    let batch: Vec<_> = proofs.into_iter().zip(inputs).collect();
    let start = Instant::now();
    let ok = groth16.verify_batch(&batch, &mut rand::rngs::OsRng).expect("batch");
    assert!(ok.iter().all(|&b| b));
    println!("{:<40} {:>9.1} µs", "verify batch (per proof)", start.elapsed().as_secs_f64() * 1e6 / n as f64);
}
