//! `zkcomply`: the prover-side command line (holders, issuers, list
//! publishers, setup, proving, the demo, and the prover service). Exit code
//! 0 on success, 1 when the withdrawal cannot be proved (or a ceremony
//! key's transcript is invalid), 2 for unusable input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod ceremony;
mod embedded_lists;
mod phase2;

use clap::{Parser, Subcommand};
use rand::rngs::OsRng;
use zkcomply_circuits::field::{fr_to_decimal, parse_decimal_below_bits, parse_fr};
use zkcomply_circuits::Fr;
use zkcomply_prover::batch::{prove_checked_batch, BatchRequest};
use zkcomply_prover::demo::DemoBackends;
use zkcomply_prover::holder::{accept, HolderFile, MAX_HOLDER_FILE_BYTES};
use zkcomply_prover::issuer::{issue, IssueRequest, IssuerKeyFile, MAX_ISSUER_KEY_BYTES};
use zkcomply_prover::lists::{build_from_files, entry_key};
use zkcomply_prover::prove::{prove_prepared, CheckedRequest};
use zkcomply_prover::setup::{development_setup, KeysDir};
use zkcomply_prover::tree_file::{TreeFile, TreeKind};
use zkcomply_prover::witness::ProofRequest;
use zkcomply_prover::{unix_now, write_json, ProverError, TreeError};
use zkcomply_service::ServiceError;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::limits::MAX_CREDENTIAL_BYTES;
use zkcomply_verifier::{read_text, write_atomic, FormatError, VerifyingKeyFile};

#[derive(Parser)]
#[command(
    name = "zkcomply",
    version,
    about = "Zero-knowledge withdrawal compliance proofs: issue credentials, build sanctions trees, prove"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Holder tools.
    #[command(subcommand)]
    Holder(HolderCmd),
    /// KYC issuer tools.
    #[command(subcommand)]
    Issuer(IssuerCmd),
    /// List publisher tools.
    #[command(subcommand)]
    Lists(ListsCmd),
    /// Generate keys: Groth16 (a single-party DEVELOPMENT setup) or halo2
    /// (no setup, nothing secret).
    Setup {
        /// Directory for the keys.
        #[arg(long)]
        out: PathBuf,
        /// The proof system.
        #[arg(long, value_enum, default_value_t = BackendArg::Groth16)]
        backend: BackendArg,
        /// Keys for the batch circuit with this many slots (4 or 16)
        /// instead of the single withdrawal's (Groth16 only).
        #[arg(long, value_name = "SLOTS", value_parser = parse_batch_slots)]
        batch: Option<usize>,
    },
    /// Prove one withdrawal and write the proof bundle.
    Prove {
        #[command(flatten)]
        inputs: ProveInputs,
        /// Keys directory from `zkcomply setup`.
        #[arg(long)]
        keys: PathBuf,
        /// Where to write the bundle.
        #[arg(long)]
        out: PathBuf,
    },
    /// Prove up to 16 withdrawals of one holder (same source, exchange,
    /// asset and time) in one proof and write a batch bundle.
    ProveBatch {
        /// A JSON list of withdrawal v1 documents.
        #[arg(long)]
        withdrawals: PathBuf,
        #[command(flatten)]
        holder: HolderInputs,
        /// Batch keys directory from `zkcomply setup --batch SLOTS`.
        #[arg(long)]
        keys: PathBuf,
        /// Where to write the batch bundle.
        #[arg(long)]
        out: PathBuf,
        /// Prove the items that pass and leave out the refused ones (each
        /// is reported). Without it, one refused item refuses the batch.
        #[arg(long)]
        drop_refused: bool,
    },
    /// Print facts about the circuit.
    Info {
        /// Count the circuit's constraints (synthesises it once).
        #[arg(long)]
        constraints: bool,
    },
    /// Run the prover as an HTTP service (see docs/SERVICE.md).
    Serve {
        /// The TOML configuration (docs/serve.sample.toml documents every option).
        #[arg(long)]
        config: PathBuf,
    },
    /// Keys for the prover service.
    #[command(subcommand)]
    Service(ServiceCmd),
    /// Export the circuit for circom and snarkjs tooling.
    #[command(subcommand)]
    Circuit(ceremony::CircuitCmd),
    /// Take part in a snarkjs Groth16 phase-2 ceremony (docs/CEREMONY.md).
    #[command(subcommand)]
    Ceremony(ceremony::CeremonyCmd),
    /// Run the whole flow on embedded defaults into DIR.
    Demo {
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// The proof systems to prove with: one, or both (one credential
        /// and one set of trees, a bundle in each).
        #[arg(long, value_enum, default_value_t = DemoBackendArg::Groth16)]
        backend: DemoBackendArg,
        /// Also prove a payroll of 16 withdrawals in one batch proof (16-slot
        /// batch keys under `batch/`, pinned by the policy beside the single
        /// key).
        #[arg(long)]
        batch: bool,
    },
}

/// `--batch SLOTS`: one of the batch sizes keys are made for.
fn parse_batch_slots(s: &str) -> Result<usize, String> {
    let sizes = zkcomply_circuits::batch::BATCH_SIZES;
    s.parse::<usize>()
        .ok()
        .filter(|n| sizes.contains(n))
        .ok_or_else(|| format!("expected one of {sizes:?} slots, got {s:?}"))
}

/// A proof system on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BackendArg {
    /// Groth16 over BN254 (`groth16-bn254`).
    #[value(alias = "groth16-bn254")]
    Groth16,
    /// halo2 with IPA over BN254 (`halo2-ipa-bn254`): no trusted setup.
    #[value(alias = "halo2-ipa-bn254")]
    Halo2,
}

/// The proof systems of the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DemoBackendArg {
    /// Groth16 only.
    Groth16,
    /// halo2 only.
    Halo2,
    /// Both, from one credential and one set of trees (halo2's files under
    /// `halo2/`).
    Both,
}

/// What `prove` and `prove-batch` read besides the withdrawals: the
/// holder's credential, the exchange's policy and the three trees.
#[derive(clap::Args)]
pub(crate) struct HolderInputs {
    /// The holder's copy of the credential.
    #[arg(long)]
    credential: PathBuf,
    /// The receiving exchange's policy.
    #[arg(long)]
    policy: PathBuf,
    /// Identity sanctions tree.
    #[arg(long)]
    identity_tree: PathBuf,
    /// Address sanctions tree.
    #[arg(long)]
    address_tree: PathBuf,
    /// The issuer's revocation tree.
    #[arg(long)]
    revocation_tree: PathBuf,
}

impl HolderInputs {
    /// The three trees, in the order the loaders take them.
    fn trees(&self) -> [&Path; 3] {
        [&self.identity_tree, &self.address_tree, &self.revocation_tree]
    }
}

#[derive(clap::Args)]
pub(crate) struct ProveInputs {
    /// The withdrawal request.
    #[arg(long)]
    withdrawal: PathBuf,
    #[command(flatten)]
    holder: HolderInputs,
}

impl ProveInputs {
    pub(crate) fn load(&self) -> Result<ProofRequest, ProverError> {
        let [identity_tree, address_tree, revocation_tree] = self.holder.trees();
        ProofRequest::load(
            &self.holder.credential,
            &self.withdrawal,
            &self.holder.policy,
            identity_tree,
            address_tree,
            revocation_tree,
        )
    }
}

#[derive(Subcommand)]
enum HolderCmd {
    /// Make a new secret and id_commitment.
    New {
        /// Where to write the holder file (keep it private).
        #[arg(long)]
        out: PathBuf,
    },
    /// Join an issued credential with the holder's secret.
    Accept {
        /// The credential from the issuer.
        #[arg(long)]
        credential: PathBuf,
        /// The holder file.
        #[arg(long)]
        holder: PathBuf,
        /// Where to write the holder's copy.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum IssuerCmd {
    /// Make a new issuer key.
    Keygen {
        /// Where to write the key (keep it private).
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a credential.
    Issue {
        /// The issuer key file.
        #[arg(long)]
        key: PathBuf,
        /// The holder's id_commitment (decimal).
        #[arg(long)]
        id_commitment: String,
        /// KYC tier 0..=255.
        #[arg(long)]
        tier: u8,
        /// ISO 3166-1 numeric jurisdiction.
        #[arg(long)]
        jurisdiction: u16,
        /// Identity hash (decimal below 2^252), or an identity line NAME|YYYY-MM-DD|CC.
        #[arg(long)]
        identity_hash: String,
        /// Expiry, unix seconds.
        #[arg(long)]
        expires_at: u64,
        /// Credential nonce (decimal below 2^252); random by default.
        #[arg(long)]
        nonce: Option<String>,
        /// Where to write the credential.
        #[arg(long)]
        out: PathBuf,
    },
    /// Revoke a credential: add its nonce to the revocation tree file.
    Revoke {
        /// The issuer key file (proves the caller is the issuer).
        #[arg(long)]
        key: PathBuf,
        /// The credential nonce.
        #[arg(long)]
        nonce: String,
        /// The revocation tree file (created if missing).
        #[arg(long)]
        tree: PathBuf,
    },
}

#[derive(Subcommand)]
enum ServiceCmd {
    /// Make an API key: writes the key to --key-out (give it to the client)
    /// and prints the `[[api_keys]]` entry for the configuration, which
    /// holds only its SHA-256.
    NewApiKey {
        /// Who the key is for (shown in logs and metrics).
        #[arg(long)]
        name: String,
        /// Where to write the key (readable by the owner only; refused if
        /// the file exists).
        #[arg(long)]
        key_out: PathBuf,
    },
    /// Write a new 32-byte key that encrypts requests at rest (64 hex
    /// digits; readable by the owner only).
    NewEncryptionKey {
        /// Where to write it (refused if the file exists).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ListsCmd {
    /// Build a tree from list files (one entry per line) and print its root.
    Build {
        /// What the list holds.
        #[arg(long, value_enum)]
        kind: TreeKind,
        /// List files.
        #[arg(long, num_args = 1.., required = true)]
        input: Vec<PathBuf>,
        /// Where to write the tree file.
        #[arg(long)]
        out: PathBuf,
    },
}

/// A spinner on stderr for work that can take a while (hidden when stderr
/// is not a terminal).
fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
enum CliError {
    /// A prover operation failed.
    #[error(transparent)]
    Prover(#[from] ProverError),
    /// The service could not start or stopped with an error.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// A ceremony or circuit-export command failed.
    #[error(transparent)]
    Ceremony(#[from] ceremony::CeremonyCliError),
}

impl CliError {
    /// Whether the withdrawal cannot be proved, or a ceremony key's
    /// transcript is invalid (exit code 1), as opposed to unusable input or
    /// a failure (exit code 2).
    fn is_unprovable(&self) -> bool {
        let prover = match self {
            Self::Prover(e) | Self::Service(ServiceError::Prover(e)) => e,
            Self::Ceremony(e) => return e.is_unprovable(),
            Self::Service(_) => return false,
        };
        prover.is_refusal()
    }
}

impl From<zkcomply_verifier::FormatError> for CliError {
    fn from(error: zkcomply_verifier::FormatError) -> Self {
        Self::Prover(error.into())
    }
}

fn bad_arg(name: &str, message: impl std::fmt::Display) -> ProverError {
    ProverError::Format(zkcomply_verifier::FormatError::invalid("arguments", name, message.to_string()))
}

fn key252(name: &str, s: &str) -> Result<Fr, ProverError> {
    let v = parse_decimal_below_bits(s, 252).map_err(|e| bad_arg(name, e))?;
    zkcomply_circuits::field::biguint_to_fr(&v).ok_or_else(|| bad_arg(name, "out of range"))
}

fn run(command: Command) -> Result<(), CliError> {
    let mut rng = OsRng;
    match command {
        Command::Holder(HolderCmd::New { out }) => {
            let h = HolderFile::generate(&mut rng);
            write_json(&out, &h)?;
            println!("id_commitment: {}", h.id_commitment);
        }
        Command::Holder(HolderCmd::Accept { credential, holder, out }) => {
            let c = Credential::from_json(&read_text(&credential, &MAX_CREDENTIAL_BYTES)?)?;
            let h = HolderFile::from_json(&read_text(&holder, &MAX_HOLDER_FILE_BYTES)?)?;
            write_json(&out, &accept(&c, &h)?)?;
            println!("holder's copy written to {}", out.display());
        }
        Command::Issuer(IssuerCmd::Keygen { out }) => {
            let k = IssuerKeyFile::generate(&mut rng);
            write_json(&out, &k)?;
            println!("public key: [\"{}\", \"{}\"]", k.public_key.0, k.public_key.1);
        }
        Command::Issuer(IssuerCmd::Issue {
            key,
            id_commitment,
            tier,
            jurisdiction,
            identity_hash,
            expires_at,
            nonce,
            out,
        }) => {
            let k = IssuerKeyFile::from_json(&read_text(&key, &MAX_ISSUER_KEY_BYTES)?)?;
            if jurisdiction == 0 || jurisdiction > 999 {
                return Err(bad_arg("--jurisdiction", "expected an ISO 3166-1 numeric code in 1..=999").into());
            }
            if expires_at >= 1 << 53 {
                return Err(bad_arg("--expires-at", "expected unix seconds below 2^53").into());
            }
            let identity = if identity_hash.contains('|') {
                entry_key(TreeKind::Identity, &identity_hash).map_err(|m| bad_arg("--identity-hash", m))?
            } else {
                key252("--identity-hash", &identity_hash)?
            };
            let req = IssueRequest {
                id_commitment: parse_fr(&id_commitment).map_err(|e| bad_arg("--id-commitment", e))?,
                kyc_tier: tier,
                jurisdiction,
                identity_hash: identity,
                expires_at,
                nonce: nonce.map(|n| key252("--nonce", &n)).transpose()?,
            };
            if req.nonce.is_some_and(|n| n == Fr::from(0u8)) {
                return Err(bad_arg("--nonce", "0 is reserved").into());
            }
            let c = issue(&k, &req, &mut rng);
            write_json(&out, &c)?;
            println!("nonce: {}", c.attributes.nonce.0 .0);
        }
        Command::Issuer(IssuerCmd::Revoke { key, nonce, tree }) => {
            IssuerKeyFile::from_json(&read_text(&key, &MAX_ISSUER_KEY_BYTES)?)?;
            let n = key252("--nonce", &nonce)?;
            let mut file = if tree.exists() {
                TreeFile::load_kind(&tree, TreeKind::Revocation)?
            } else {
                TreeFile {
                    kind: TreeKind::Revocation,
                    built_at: unix_now(),
                    tree: zkcomply_circuits::imt::IndexedMerkleTree::new(zkcomply_circuits::TREE_DEPTH)
                        .map_err(|e| ProverError::from(TreeError::from(e)))?,
                }
            };
            let added = file.tree.insert(n).map_err(|e| bad_arg("--nonce", e))?;
            file.built_at = unix_now();
            file.save(&tree)?;
            if !added {
                eprintln!("note: nonce {nonce} was already revoked");
            }
            println!("root: {}", fr_to_decimal(&file.tree.root()));
        }
        Command::Lists(ListsCmd::Build { kind, input, out }) => {
            let inputs: Vec<&Path> = input.iter().map(PathBuf::as_path).collect();
            let bar = spinner("reading lists and hashing the tree");
            let built = build_from_files(kind, &inputs, unix_now());
            bar.finish_and_clear();
            let (file, report) = built?;
            file.save(&out)?;
            eprintln!("{} entries read, {} distinct keys", report.entries, report.distinct);
            println!("root: {}", fr_to_decimal(&file.tree.root()));
            println!("built_at: {}", file.built_at);
        }
        Command::Setup { batch: Some(_), backend: BackendArg::Halo2, .. } => {
            return Err(bad_arg("--batch", "batches are proved with Groth16 keys; halo2 has no batch circuit").into());
        }
        Command::Setup { out, backend: BackendArg::Groth16, batch: Some(slots) } => {
            eprintln!("WARNING: single-party development setup; whoever runs it can forge proofs. Not for production.");
            let start = Instant::now();
            let bar = spinner(&format!("generating Groth16 keys for the {slots}-slot batch circuit"));
            let keys = zkcomply_prover::setup::development_batch_setup(&mut rng, slots);
            bar.finish_and_clear();
            let (pk, vk) = keys?;
            KeysDir::save(&out, &pk, &vk)?;
            eprintln!("batch keys written to {} in {:.1} s", out.display(), start.elapsed().as_secs_f64());
            println!("verifying_key_hash: {}", vk.hash());
        }
        Command::Setup { out, backend: BackendArg::Halo2, batch: None } => {
            let start = Instant::now();
            let bar = spinner("drawing the public parameters from their seed and deriving the halo2 key");
            let vk = VerifyingKeyFile::generate_halo2();
            bar.finish_and_clear();
            let vk = vk.map_err(|e| FormatError::invalid("verifying key", "key", e.to_string()))?;
            KeysDir::save_halo2(&out, &vk)?;
            eprintln!(
                "halo2 keys written to {} in {:.1} s (no setup: anyone rebuilds this key with `zkcomply-verify keygen \
                 --backend halo2`)",
                out.display(),
                start.elapsed().as_secs_f64()
            );
            println!("verifying_key_hash: {}", vk.hash());
        }
        Command::Setup { out, backend: BackendArg::Groth16, batch: None } => {
            eprintln!("WARNING: single-party development setup; whoever runs it can forge proofs. Not for production.");
            let start = Instant::now();
            let bar = spinner("generating Groth16 keys");
            let keys = development_setup(&mut rng);
            bar.finish_and_clear();
            let (pk, vk) = keys?;
            KeysDir::save(&out, &pk, &vk)?;
            eprintln!("keys written to {} in {:.1} s", out.display(), start.elapsed().as_secs_f64());
            println!("verifying_key_hash: {}", vk.hash());
        }
        Command::Prove { inputs, keys, out } => {
            let start = Instant::now();
            // The keys load on their own thread while the request is read,
            // checked and (for Groth16) synthesised; a false statement is
            // reported first.
            let manifest = KeysDir::read_manifest(&keys);
            let loading = std::thread::spawn(move || {
                let keys = KeysDir::load(&keys);
                (keys, start.elapsed().as_secs_f64())
            });
            let request = inputs.load()?;
            let checked = CheckedRequest::new(&request)?;
            let backend = manifest?.backend;
            let bar = spinner("proving");
            let prepared = checked.prepare(backend);
            let (keys, loaded) = loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let bundle = prepared.and_then(|prepared| prove_prepared(prepared, &keys?));
            bar.finish_and_clear();
            let bundle = bundle?;
            write_atomic(&out, bundle.to_json().as_bytes())?;
            eprintln!(
                "bundle written to {} (keys ready at {loaded:.2} s, total {:.2} s)",
                out.display(),
                start.elapsed().as_secs_f64()
            );
        }
        Command::ProveBatch { withdrawals, holder, keys, out, drop_refused } => {
            let start = Instant::now();
            let request = BatchRequest::load(&holder.credential, &withdrawals, &holder.policy, holder.trees())?;
            let (manifest, slots) = KeysDir::read_batch_manifest(&keys)?;
            // Refuse before loading keys: a refused batch costs no key load.
            let checked = request.check(slots);
            if !checked.refused.is_empty() && (!drop_refused || checked.kept.is_empty()) {
                return Err(
                    ProverError::BatchRefused { refused: checked.refused, dropping_allowed: drop_refused }.into()
                );
            }
            let bar = spinner(&format!("proving {} withdrawals in a {slots}-slot batch", checked.kept.len()));
            let proved = KeysDir::load_for(&keys, &manifest.circuit_id)
                .and_then(|keys| prove_checked_batch(&request, checked, &keys, drop_refused));
            bar.finish_and_clear();
            let proved = proved?;
            for item in &proved.dropped {
                eprintln!("left out: {item}");
            }
            write_atomic(&out, proved.bundle.to_json().as_bytes())?;
            eprintln!(
                "batch bundle with {} withdrawals written to {} in {:.2} s",
                proved.bundle.withdrawals.len(),
                out.display(),
                start.elapsed().as_secs_f64()
            );
        }
        Command::Info { constraints } => {
            println!("circuit: {}", zkcomply_circuits::CIRCUIT_ID);
            println!("public inputs: {}", zkcomply_circuits::public_inputs::PUBLIC_INPUT_COUNT);
            println!("tree depth: {}", zkcomply_circuits::TREE_DEPTH);
            if constraints {
                println!("constraints: {}", zkcomply_prover::setup::constraint_count()?);
            }
        }
        Command::Circuit(cmd) => ceremony::run_circuit(cmd)?,
        Command::Ceremony(cmd) => ceremony::run_ceremony(cmd)?,
        Command::Demo { out, backend, batch } => {
            let backends = match backend {
                DemoBackendArg::Groth16 => DemoBackends::Groth16,
                DemoBackendArg::Halo2 => DemoBackends::Halo2,
                DemoBackendArg::Both => DemoBackends::Both,
            };
            zkcomply_prover::demo::run_with_batch(
                &out,
                &embedded_lists::shipped_lists(),
                backends,
                batch.then_some(zkcomply_circuits::batch::MAX_BATCH_SLOTS),
            )?
        }
        Command::Serve { config } => zkcomply_service::run(&config)?,
        Command::Service(ServiceCmd::NewApiKey { name, key_out }) => {
            if name.is_empty() || name.contains(['"', '\\', '\n']) {
                return Err(
                    bad_arg("--name", "expected a non-empty name without quotes, backslashes or newlines").into()
                );
            }
            let key = zkcomply_service::auth::new_api_key();
            zkcomply_service::sealing::write_private_file(&key_out, &format!("{key}\n"))?;
            println!("[[api_keys]]");
            println!("name = \"{name}\"");
            println!("sha256 = \"{}\"", zkcomply_service::auth::key_sha256(&key));
            eprintln!("API key for {name} written to {}; the entry above holds only its SHA-256", key_out.display());
        }
        Command::Service(ServiceCmd::NewEncryptionKey { out }) => {
            zkcomply_service::sealing::write_new_key_file(&out)?;
            eprintln!(
                "encryption key written to {} (keep it; jobs sealed under it cannot be read without it)",
                out.display()
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    if let Err(e) = zkcomply_circuits::cpu_features::check() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        // arkworks opens a tracing span per gadget; with no subscriber set,
        // each one goes through the `log` crate's checks instead (a sixth
        // of synthesis). A subscriber that wants nothing turns them off.
        // The service sets its own.
        let _ = tracing::subscriber::set_global_default(tracing::subscriber::NoSubscriber::default());
    }
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if e.is_unprovable() {
                ExitCode::from(1)
            } else {
                ExitCode::from(2)
            }
        }
    }
}
