//! `zkcomply-verify`: check proof bundles against a policy.
//!
//! Exit codes: 0 accepted, 1 rejected (reason on stderr and in `--json`),
//! 2 unusable input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkcomply_verifier::batch_bundle::is_batch_bundle;
use zkcomply_verifier::limits::{MAX_BATCH_BUNDLE_BYTES, MAX_BUNDLE_BYTES, MAX_POLICY_BYTES, MAX_VERIFYING_KEY_BYTES};
use zkcomply_verifier::provenance::ProvenanceKind;
use zkcomply_verifier::{
    audit_reader, read_text, snarkjs, solidity, verify_batch_bundle, verify_bundle, BatchBundle, Bundle, Claim,
    Explanation, FormatError, Policy, ProofCheck, VerificationLog, VerifyingKeyFile,
};

#[derive(Parser)]
#[command(
    name = "zkcomply-verify",
    version,
    about = "Verify zkcomply withdrawal-compliance proof bundles against a policy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify one bundle: exit 0 accepted, 1 rejected, 2 unusable input.
    Verify {
        /// The proof bundle (JSON).
        bundle: PathBuf,
        /// The verifier's policy (JSON).
        #[arg(long)]
        policy: PathBuf,
        /// The verifying key file: zkcomply's JSON, or snarkjs's
        /// `verification_key.json` (a key of unknown provenance).
        #[arg(long)]
        vk: PathBuf,
        /// Verify as of this unix time (default: now), below 2^53 as every
        /// time in the formats (a logged record holds it).
        #[arg(long, value_parser = clap::value_parser!(u64).range(..1 << 53))]
        at: Option<u64>,
        /// Print the verdict as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Print the verdict in plain words on stdout: the withdrawal, each
        /// claim with its evidence, the key's provenance and the bundle's
        /// age (the exit code is unchanged).
        #[arg(long, conflicts_with = "json")]
        explain: bool,
        /// Reject unless every check ran (no policy field left out).
        #[arg(long)]
        strict: bool,
        /// Append the verdict to this hash-chained JSONL log (created if
        /// missing; a torn or broken log is refused, exit 2).
        #[arg(long)]
        log: Option<PathBuf>,
    },
    /// Audit an exchange's verification log: exit 0 clean, 1 findings, 2 unusable input.
    Audit {
        /// The JSONL log written by `verify --log`.
        log: PathBuf,
        /// The auditor's policy (JSON).
        #[arg(long)]
        policy: PathBuf,
        /// A verifying key file (JSON) the log's bundles were made with;
        /// repeat `--vk` for each key (each record is checked against the key
        /// its bundle names, and proofs are batched per key).
        #[arg(long, required = true)]
        vk: Vec<PathBuf>,
        /// Only these claims (default: all).
        #[arg(long, value_enum, value_delimiter = ',')]
        checks: Option<Vec<Claim>>,
        /// Print the report as JSON on stdout.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the report as Markdown on stdout (for sharing).
        #[arg(long)]
        markdown: bool,
        /// How to re-verify proofs: `batch` (fast) or `one-by-one`.
        #[arg(long, value_enum, default_value_t = ProofCheck::Batch)]
        proofs: ProofCheck,
    },
    /// Write the Solidity for on-chain verification: a Groth16 verifier for
    /// the key, the context hash and the ComplianceGate (see docs/ONCHAIN.md).
    ExportSolidity {
        /// The verifying key file (JSON).
        #[arg(long)]
        vk: PathBuf,
        /// A batch key (`zkcomply setup --batch`): also writes
        /// Groth16BatchVerifier.sol, for the gate's `withdrawBatch`.
        #[arg(long)]
        batch_vk: Option<PathBuf>,
        /// Directory to write the .sol files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a bundle as calldata for the ComplianceGate (0x hex on stdout);
    /// a batch bundle's is `withdrawBatch`.
    Calldata {
        /// The proof bundle or batch bundle (JSON).
        bundle: PathBuf,
        /// `withdraw` (the exchange's per-withdrawal call; `withdrawBatch` for a batch bundle) or
        /// `approve-statement` (the owner's approval of the bundle's statement).
        #[arg(long, value_enum, default_value_t = GateFunction::Withdraw)]
        function: GateFunction,
    },
    /// Print the owner calls that make a ComplianceGate enforce a policy (JSON).
    PolicyCalldata {
        /// The exchange's policy (JSON).
        #[arg(long)]
        policy: PathBuf,
    },
    /// Rebuild a transparent backend's verifying key from the circuit alone
    /// (the same bytes and hash on every machine; takes seconds).
    Keygen {
        /// The proof system: `halo2` (the only one without a setup).
        #[arg(long, value_enum)]
        backend: TransparentBackend,
        /// The verifying key file to write (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a bundle's proof in snarkjs's files (proof.json, public.json,
    /// verification_key.json) for `snarkjs groth16 verify`.
    ExportSnarkjs {
        /// The proof bundle (JSON).
        bundle: PathBuf,
        /// The verifying key the bundle was made with (zkcomply's or snarkjs's JSON).
        #[arg(long)]
        vk: PathBuf,
        /// Directory to write the files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

/// A proof system whose verifying key comes from the circuit alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TransparentBackend {
    /// halo2 with IPA commitments over BN254 (`halo2-ipa-bn254`).
    #[value(alias = "halo2-ipa-bn254")]
    Halo2,
}

/// A gate function `calldata` encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum GateFunction {
    /// `withdraw(proof, withdrawal, statement, signals)`.
    Withdraw,
    /// `approveStatement(statement, assetKey, statementHash)`.
    ApproveStatement,
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Reads and parses a bundle file (within its size limit).
fn load_bundle(path: &Path) -> Result<Bundle, FormatError> {
    Bundle::from_json(&read_text(path, &MAX_BUNDLE_BYTES)?).map_err(|e| e.in_file(path))
}

/// Reads and parses a policy file (within its size limit).
fn load_policy(path: &Path) -> Result<Policy, FormatError> {
    Policy::from_json(&read_text(path, &MAX_POLICY_BYTES)?).map_err(|e| e.in_file(path))
}

/// Reads and parses a verifying-key file, zkcomply's or snarkjs's
/// (within its size limit).
fn load_key(path: &Path) -> Result<VerifyingKeyFile, FormatError> {
    VerifyingKeyFile::from_json_any(&read_text(path, &MAX_VERIFYING_KEY_BYTES)?).map_err(|e| e.in_file(path))
}

/// `verify` of a batch bundle: the batch's verdict and one per item; exit
/// 0 when every item is accepted, 1 when any is rejected, 2 for unusable
/// input.
#[allow(clippy::too_many_arguments)]
fn verify_batch(
    path: &Path,
    text: &str,
    policy: &Path,
    vk: &Path,
    at: Option<u64>,
    json: bool,
    explain: bool,
    strict: bool,
    log: Option<&mut VerificationLog>,
) -> ExitCode {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("error: {e}");
        if json {
            println!("{}", serde_json::json!({"accepted": false, "error": e.to_string()}));
        }
        ExitCode::from(2)
    };
    if explain {
        return fail(&format!("{}: --explain takes single bundles; this is a batch bundle", path.display()));
    }
    let loaded = (|| -> Result<_, FormatError> {
        let b = BatchBundle::from_json(text).map_err(|e| e.in_file(path))?;
        Ok((b, load_policy(policy)?, load_key(vk)?))
    })();
    let (b, p, k) = match loaded {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    let time = at.unwrap_or_else(now);
    let mut verdict = verify_batch_bundle(&b, &p, &k, time);
    if strict {
        verdict = verdict.require_complete_policy();
    }
    // One record per item, each carrying the batch bundle.
    if let Some(log) = log {
        if let Err(e) = log.append_batch(time, &b, &verdict) {
            eprintln!("error: the verdict could not be logged: {e}");
            return ExitCode::from(2);
        }
    }
    if json {
        println!("{}", verdict.to_json());
    } else {
        if let Some(key) = &verdict.batch.key {
            println!("{}", key.to_text());
        }
        println!("{}", verdict.to_text());
    }
    if verdict.accepted {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "rejected: {} of {} withdrawals",
            b.withdrawals.len() - verdict.accepted_items(),
            b.withdrawals.len()
        );
        ExitCode::from(1)
    }
}

fn load(bundle: &Path, policy: &Path, vk: &Path) -> Result<(Bundle, Policy, VerifyingKeyFile), FormatError> {
    Ok((load_bundle(bundle)?, load_policy(policy)?, load_key(vk)?))
}

fn run_audit(
    log: &Path,
    policy: &Path,
    vks: &[PathBuf],
    checks: Option<Vec<Claim>>,
    json: bool,
    markdown: bool,
    proofs: ProofCheck,
) -> ExitCode {
    let io = |source| FormatError::Io { path: log.display().to_string(), source };
    let loaded = (|| -> Result<_, FormatError> {
        let file = std::fs::File::open(log).map_err(io)?;
        let p = load_policy(policy)?;
        let keys = vks.iter().map(|vk| load_key(vk)).collect::<Result<Vec<_>, _>>()?;
        Ok((file, p, keys))
    })();
    let (file, p, keys) = match loaded {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let claims = checks.unwrap_or_else(|| Claim::ALL.to_vec()).into_iter().collect();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let report = audit_reader(
        std::io::BufReader::new(file),
        &p,
        &keys,
        &claims,
        proofs,
        &mut rand_core::OsRng,
        &mut |phase, done, total| {
            if bar.message() != phase {
                bar.set_message(phase.to_string());
            }
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    );
    bar.finish_and_clear();
    let report = match report {
        Ok(report) => report,
        Err(source) => return unusable(&io(source)),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report).expect("a report has only string keys and plain values"));
    } else if markdown {
        print!("{}", report.to_markdown());
    } else {
        print!("{}", report.to_text());
    }
    if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints `error: ...` and returns exit code 2 (unusable input).
fn unusable(e: &FormatError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

fn export_solidity(vk: &Path, batch_vk: Option<&Path>, out: &Path) -> Result<(), FormatError> {
    let k = load_key(vk)?;
    let mut files = solidity::export(&k).map_err(|e| e.in_file(vk))?;
    if let Some(path) = batch_vk {
        let batch = load_key(path)?;
        files.push(solidity::export_batch_verifier(&batch).map_err(|e| e.in_file(path))?);
        if batch.json.development_setup {
            eprintln!(
                "warning: {} comes from a DEVELOPMENT setup (its maker can forge proofs); never deploy it where value moves",
                path.display()
            );
        }
    }
    solidity::write_dir(&files, out)?;
    for f in &files {
        println!("wrote {}", out.join(f.name).display());
    }
    match k.provenance_kind() {
        ProvenanceKind::Development => eprintln!(
            "warning: {} comes from a DEVELOPMENT setup (its maker can forge proofs); never deploy it where value moves",
            vk.display()
        ),
        ProvenanceKind::Unknown => eprintln!(
            "warning: {} has no record of its setup (unknown provenance); deploy it only if you know it came from a \
             ceremony",
            vk.display()
        ),
        // The Solidity verifier refuses transparent (halo2) keys above.
        ProvenanceKind::Transparent => {}
        ProvenanceKind::Ceremony => {
            if let Some(transcript) = k.transcript_hash() {
                eprintln!("{}: ceremony key, transcript {transcript}", vk.display());
            }
        }
    }
    Ok(())
}

fn keygen_halo2(out: &Path) -> Result<(), FormatError> {
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message("drawing the public parameters from their seed and deriving the halo2 key (seconds)");
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let key = VerifyingKeyFile::generate_halo2();
    spinner.finish_and_clear();
    let key = key.map_err(|e| FormatError::invalid("verifying key", "key", e.to_string()))?;
    zkcomply_verifier::write_atomic(out, key.to_json().as_bytes())?;
    println!("wrote {}", out.display());
    println!("backend: {}", key.backend());
    println!("verifying_key_hash: {}", key.hash());
    Ok(())
}

fn export_snarkjs(bundle: &Path, vk: &Path, out: &Path) -> Result<(), FormatError> {
    let b = load_bundle(bundle)?;
    let k = load_key(vk)?;
    let files = snarkjs::proof::export(&b, &k).map_err(|e| e.in_file(bundle))?;
    for path in files.write_dir(out)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn calldata(bundle: &Path, function: GateFunction) -> Result<String, FormatError> {
    if let Some(text) = read_text(bundle, &MAX_BATCH_BUNDLE_BYTES).ok().filter(|t| is_batch_bundle(t)) {
        let b = BatchBundle::from_json(&text).map_err(|e| e.in_file(bundle))?;
        let args = solidity::calldata::batch_gate_arguments(&b).map_err(|e| e.in_file(bundle))?;
        return Ok(match function {
            GateFunction::Withdraw => args.withdraw_batch().to_hex(),
            GateFunction::ApproveStatement => args.approve_statement().to_hex(),
        });
    }
    let b = load_bundle(bundle)?;
    let args = solidity::calldata::gate_arguments(&b).map_err(|e| e.in_file(bundle))?;
    Ok(match function {
        GateFunction::Withdraw => args.withdraw().to_hex(),
        GateFunction::ApproveStatement => args.approve_statement().to_hex(),
    })
}

fn policy_calldata(policy: &Path) -> Result<String, FormatError> {
    let p = load_policy(policy)?;
    let calls = solidity::policy_calls::policy_calls(&p).map_err(|e| e.in_file(policy))?;
    Ok(serde_json::to_string_pretty(&calls).expect("calls have only string keys and plain values"))
}

fn main() -> ExitCode {
    if let Err(e) = zkcomply_circuits::cpu_features::check() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    match cli.command {
        Command::ExportSolidity { vk, batch_vk, out } => match export_solidity(&vk, batch_vk.as_deref(), &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => unusable(&e),
        },
        Command::Keygen { backend: TransparentBackend::Halo2, out } => match keygen_halo2(&out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => unusable(&e),
        },
        Command::ExportSnarkjs { bundle, vk, out } => match export_snarkjs(&bundle, &vk, &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => unusable(&e),
        },
        Command::Calldata { bundle, function } => match calldata(&bundle, function) {
            Ok(hex) => {
                println!("{hex}");
                ExitCode::SUCCESS
            }
            Err(e) => unusable(&e),
        },
        Command::PolicyCalldata { policy } => match policy_calldata(&policy) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => unusable(&e),
        },
        Command::Audit { log, policy, vk, checks, json, markdown, proofs } => {
            run_audit(&log, &policy, &vk, checks, json, markdown, proofs)
        }
        Command::Verify { bundle, policy, vk, at, json, explain, strict, log } => {
            let mut log = match log.as_deref().map(VerificationLog::open).transpose() {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            // A batch bundle goes its own way; anything else (a file that
            // cannot be read, or is too large, included) is a single
            // bundle's, whose loader reports the problem.
            if let Some(text) = read_text(&bundle, &MAX_BATCH_BUNDLE_BYTES).ok().filter(|t| is_batch_bundle(t)) {
                return verify_batch(&bundle, &text, &policy, &vk, at, json, explain, strict, log.as_mut());
            }
            let (b, p, k) = match load(&bundle, &policy, &vk) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("error: {e}");
                    if json {
                        println!("{}", serde_json::json!({"accepted": false, "error": e.to_string()}));
                    }
                    return ExitCode::from(2);
                }
            };
            let time = at.unwrap_or_else(now);
            let mut verdict = verify_bundle(&b, &p, &k, time);
            if strict {
                verdict = verdict.require_complete_policy();
            }
            if let Some(log) = log.as_mut() {
                if let Err(e) = log.append(time, &b, &verdict) {
                    eprintln!("error: the verdict could not be logged: {e}");
                    return ExitCode::from(2);
                }
            }
            if json {
                println!("{}", verdict.to_json());
            } else if explain {
                println!("{}", Explanation::new(&b, &p, &verdict, time).to_text());
            } else if let Some(key) = &verdict.key {
                println!("{}", key.to_text());
            }
            if verdict.accepted {
                if !json && !explain {
                    let checked: Vec<String> = verdict.checked.iter().map(|c| c.name()).collect();
                    println!("accepted: {}", checked.join(", "));
                    if !verdict.not_checked.is_empty() {
                        let skipped: Vec<String> = verdict.not_checked.iter().map(|c| c.name()).collect();
                        println!("not checked (left out of the policy): {}", skipped.join(", "));
                    }
                }
                ExitCode::SUCCESS
            } else {
                let check = verdict.failed_check.map(|c| c.name()).unwrap_or_default();
                eprintln!("rejected: {check}: {}", verdict.reason.clone().unwrap_or_default());
                ExitCode::from(1)
            }
        }
    }
}
