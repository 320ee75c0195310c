//! `audit-bench`: times `zkcomply-verify audit` on a large log of simulated
//! proofs and on a small log of real ones, batch verification against one
//! by one at the same thread count.
//!
//! ```text
//! cargo run --release -p zkcomply-benches --bin audit-bench -- --records 10000 --real 8
//! ```
//!
//! The large log is SIMULATED data: its proofs are made with the trapdoor
//! of a development setup (see `zkcomply_benches::simulated`); they verify
//! exactly as real proofs do. `--out DIR` keeps the logs, policies and keys
//! so the CLI can be timed on them too.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use rand::rngs::OsRng;
use zkcomply_benches::simulated::{chain_log, simulated_log, SimulatedLog, TrapdoorKeys};
use zkcomply_benches::BenchFixture;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::KeysDir;
use zkcomply_verifier::keys::VerifyingKeyFile;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::verify_bundle;
use zkcomply_verifier::write_atomic;
use zkcomply_verifier::{audit, AuditReport, Claim, ProofCheck};

#[derive(Parser)]
#[command(about = "Time the audit: batch against one-by-one verification, simulated and real proofs")]
struct Args {
    /// Records in the simulated log.
    #[arg(long, default_value_t = 10_000)]
    records: usize,
    /// Distinct holders in the simulated log.
    #[arg(long, default_value_t = 500)]
    holders: usize,
    /// Records of real proofs (about a second each to prove).
    #[arg(long, default_value_t = 8)]
    real: usize,
    /// Timed runs of each audit (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Keep the logs, policies and verifying keys here.
    #[arg(long)]
    out: Option<PathBuf>,
}

struct Timing {
    median: f64,
    phases: Vec<(String, f64)>,
    report: AuditReport,
}

fn time_audit(log: &str, policy: &Policy, vk: &VerifyingKeyFile, mode: ProofCheck, runs: usize) -> Timing {
    let claims: BTreeSet<Claim> = Claim::ALL.into_iter().collect();
    let mut totals = Vec::new();
    let mut phases = Vec::new();
    let mut report = AuditReport::default();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let mut marks: Vec<(String, Instant)> = Vec::new();
        report = audit(log, policy, std::slice::from_ref(vk), &claims, mode, &mut OsRng, &mut |phase, _, _| {
            if marks.last().map(|(p, _)| p.as_str()) != Some(phase) {
                marks.push((phase.to_string(), Instant::now()));
            }
        });
        let end = Instant::now();
        totals.push((end - start).as_secs_f64());
        phases = marks
            .iter()
            .enumerate()
            .map(|(i, (p, t))| (p.clone(), (marks.get(i + 1).map_or(end, |m| m.1) - *t).as_secs_f64()))
            .collect();
    }
    totals.sort_by(f64::total_cmp);
    Timing { median: totals[totals.len() / 2], phases, report }
}

fn compare(label: &str, log: &str, policy: &Policy, vk: &VerifyingKeyFile, runs: usize) -> Result<(), String> {
    let batch = time_audit(log, policy, vk, ProofCheck::Batch, runs);
    let single = time_audit(log, policy, vk, ProofCheck::OneByOne, runs);
    for (name, t) in [("batch", &batch), ("one-by-one", &single)] {
        if !t.report.clean() || t.report.proofs_verified != t.report.records {
            return Err(format!("{label}: the {name} audit is not clean:\n{}", t.report.to_text()));
        }
    }
    let proof_phase =
        |t: &Timing| t.phases.iter().filter(|(p, _)| p.starts_with("verifying")).map(|(_, s)| s).sum::<f64>();
    println!("\n{label}: {} records, {} threads, median of {runs}", batch.report.records, rayon::current_num_threads());
    println!("| audit | whole audit | proof verification | records/s |");
    println!("|---|---|---|---|");
    for (name, t) in [("batch", &batch), ("one by one", &single)] {
        println!(
            "| {name} | {:.3} s | {:.3} s | {:.0} |",
            t.median,
            proof_phase(t),
            t.report.records as f64 / t.median
        );
    }
    println!(
        "speed-up of batch: {:.2}x whole audit, {:.2}x proof verification",
        single.median / batch.median,
        proof_phase(&single) / proof_phase(&batch)
    );
    println!(
        "phases (batch): {}",
        batch.phases.iter().map(|(p, s)| format!("{p} {s:.3} s")).collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

fn real_log(fixture: &BenchFixture, records: usize) -> Result<SimulatedLog, String> {
    let keys = KeysDir::load(&fixture.keys_dir()).map_err(|e| e.to_string())?;
    let mut request = fixture.request();
    let base = request.withdrawal.clone();
    let mut entries = Vec::with_capacity(records);
    for i in 0..records {
        request.withdrawal.withdrawal_id = format!("real-{i:04}");
        request.withdrawal.amount.0 = base.amount.0 + i as u128;
        let bundle = prove_bundle(&request, &keys).map_err(|e| e.to_string())?;
        let verdict = verify_bundle(&bundle, &request.policy, &keys.verifying_key, base.now.0);
        entries.push(Ok((base.now.0, bundle, verdict)));
    }
    Ok(SimulatedLog { text: chain_log(entries).map_err(|e| e.to_string())?, policy: request.policy })
}

fn keep(out: &Option<PathBuf>, name: &str, log: &SimulatedLog, vk: &VerifyingKeyFile) -> Result<(), String> {
    let Some(dir) = out else { return Ok(()) };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let policy = serde_json::to_string_pretty(&log.policy).map_err(|e| e.to_string())?;
    write_atomic(&dir.join(format!("{name}.log")), log.text.as_bytes()).map_err(|e| e.to_string())?;
    write_atomic(&dir.join(format!("{name}_policy.json")), policy.as_bytes()).map_err(|e| e.to_string())?;
    write_atomic(&dir.join(format!("{name}_verifying_key.json")), vk.to_json().as_bytes()).map_err(|e| e.to_string())
}

fn run(args: &Args) -> Result<(), String> {
    println!("preparing: demo run (credential, OFAC lists, keys, one real proof)");
    let fixture = BenchFixture::new();
    let request = fixture.request();

    let start = Instant::now();
    let keys = TrapdoorKeys::generate(&mut OsRng).map_err(|e| e.to_string())?;
    println!("trapdoor development setup: {:.2} s", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let simulated =
        simulated_log(&request, &keys, args.records, args.holders, 60, &mut OsRng).map_err(|e| e.to_string())?;
    println!(
        "SIMULATED log: {} records ({:.1} MB), made and each verified in {:.1} s",
        args.records,
        simulated.text.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    keep(&args.out, "simulated", &simulated, &keys.verifying_key)?;
    compare(
        "SIMULATED proofs (trapdoor of a development setup)",
        &simulated.text,
        &simulated.policy,
        &keys.verifying_key,
        args.runs,
    )?;

    if args.real > 0 {
        let start = Instant::now();
        let real = real_log(&fixture, args.real)?;
        println!("\nreal log: {} records proved in {:.1} s", args.real, start.elapsed().as_secs_f64());
        let vk = KeysDir::load(&fixture.keys_dir()).map_err(|e| e.to_string())?.verifying_key;
        keep(&args.out, "real", &real, &vk)?;
        compare("REAL proofs", &real.text, &real.policy, &vk, args.runs)?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
