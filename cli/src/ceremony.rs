//! `zkcomply circuit` and `zkcomply ceremony`: the circuit as circom files,
//! and phase-2 ceremonies in snarkjs's `.zkey` format. Thin over
//! zkcomply-circuits and zkcomply-ceremony.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use zkcomply_ceremony::circuit_export::{r1cs_from_matrices, wtns_from_assignment, ExportError};
use zkcomply_ceremony::dev_phase1::{dev_ptau, is_development_phase1, DevPhase1Error};
use zkcomply_ceremony::new_zkey::{new_zkey, NewZkeyError};
use zkcomply_ceremony::ptau::{PtauError, PtauFile};
use zkcomply_ceremony::r1cs_file::{R1csError, R1csFile};
use zkcomply_ceremony::zkey::Zkey;
use zkcomply_circuits::withdrawal::r1cs_export::{withdrawal_assignment, withdrawal_matrices};
use zkcomply_circuits::TREE_DEPTH;
use zkcomply_prover::finalize::{ceremony_record, write_ceremony_keys, write_development_ceremony_keys};
use zkcomply_prover::ProverError;
use zkcomply_verifier::{write_atomic, FormatError};

use crate::phase2::{self, Phase2Error};
use crate::ProveInputs;

/// `zkcomply circuit ...`.
#[derive(Subcommand)]
pub(crate) enum CircuitCmd {
    /// Write the withdrawal circuit's constraints as a circom `.r1cs`.
    ExportR1cs {
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the full assignment of one withdrawal as a circom `.wtns`
    /// (for `snarkjs wtns check` and `snarkjs groth16 prove`).
    ExportWtns {
        #[command(flatten)]
        inputs: ProveInputs,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `zkcomply ceremony ...`: one variant per step of a phase-2 ceremony.
#[derive(Subcommand)]
pub(crate) enum CeremonyCmd {
    /// Make the ceremony's initial key from a prepared phase-1 file, as
    /// `snarkjs groth16 setup` does (byte for byte).
    Init {
        /// A phase-1 file after `snarkjs powersoftau prepare phase2`, of
        /// power 16 or more for the withdrawal circuit (its domain is
        /// 2^15; docs/DECISIONS.md, entry 54).
        #[arg(long)]
        ptau: PathBuf,
        /// An `.r1cs` to use instead of the withdrawal circuit's own.
        #[arg(long)]
        r1cs: Option<PathBuf>,
        /// Where to write the initial `.zkey`.
        #[arg(long)]
        out: PathBuf,
    },
    /// Verify a finished ceremony's `.zkey` against the phase-1 file and
    /// write a keys directory for `zkcomply prove` whose manifest and
    /// verifying key record the ceremony (transcript hash, contributions,
    /// beacon) and the circom reduction.
    Finalize {
        /// The ceremony's last `.zkey` (after the beacon).
        zkey: PathBuf,
        /// The phase-1 file the ceremony started from: the transcript is
        /// verified against it before any key is written.
        #[arg(long)]
        ptau: PathBuf,
        /// The keys directory to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a prepared phase-1 file from one party's secrets, for trials
    /// and tests (seconds instead of snarkjs's quarter of an hour at power
    /// 15). Its maker could forge proofs with any key built on it, as with
    /// `zkcomply setup`; a real ceremony starts from a public phase-1 file
    /// (docs/CEREMONY.md).
    DevPtau {
        /// The file's power: 16 for the withdrawal circuit (its domain is
        /// 2^15, and a file of exactly that power is refused).
        #[arg(long, default_value_t = 16)]
        power: u32,
        /// Where to write the `.ptau`.
        #[arg(long)]
        out: PathBuf,
    },
    /// Add a phase-2 contribution to a `.zkey` (as `snarkjs zkey
    /// contribute`); prints the contribution hash to keep.
    Contribute {
        /// The key to contribute to (left unchanged).
        input: PathBuf,
        /// Where to write the new key.
        output: PathBuf,
        /// The contributor's name, recorded in the key.
        #[arg(long)]
        name: String,
        /// Extra random text hashed with the operating system's randomness.
        #[arg(long)]
        entropy: Option<String>,
    },
    /// Add a public random beacon's contribution (as `snarkjs zkey beacon`).
    Beacon {
        /// The key to contribute to (left unchanged).
        input: PathBuf,
        /// Where to write the new key.
        output: PathBuf,
        /// The beacon value in hex (1 to 255 bytes).
        #[arg(long)]
        beacon: String,
        /// log2 of the SHA-256 iterations over the beacon (10 to 63).
        #[arg(long)]
        iterations: u8,
        /// A name for the contribution.
        #[arg(long)]
        name: Option<String>,
    },
    /// Verify a key's transcript against the initial key recomputed from the
    /// circuit and the phase-1 file (as `snarkjs zkey verify`); lists the
    /// contributions and prints the transcript hash. Exit code 1 if the
    /// transcript is invalid.
    Verify {
        /// The prepared phase-1 file the ceremony started from.
        #[arg(long)]
        ptau: PathBuf,
        /// The circuit's `.r1cs`, if not the withdrawal circuit.
        #[arg(long)]
        r1cs: Option<PathBuf>,
        /// The key to verify.
        zkey: PathBuf,
    },
}

/// Why a circuit or ceremony command failed (all exit with code 2).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CeremonyCliError {
    /// Reading an input file failed.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// An `.r1cs` is invalid.
    #[error("{path}: expected a circom .r1cs over BN254: {source}")]
    R1cs {
        /// The file.
        path: String,
        /// What is wrong.
        #[source]
        source: R1csError,
    },
    /// A `.ptau` is invalid or unusable.
    #[error("{path}: expected a prepared snarkjs .ptau over BN254: {source}")]
    Ptau {
        /// The file.
        path: String,
        /// What is wrong.
        #[source]
        source: PtauError,
    },
    /// The key could not be made.
    #[error("{path}: {source}")]
    NewZkey {
        /// The `.ptau` or `.r1cs` at fault.
        path: String,
        /// What is wrong.
        #[source]
        source: NewZkeyError,
    },
    /// The circuit could not be synthesised or exported.
    #[error("the withdrawal circuit: {0}")]
    Circuit(String),
    /// Writing an output failed.
    #[error(transparent)]
    Write(#[from] FormatError),
    /// Loading the withdrawal's inputs failed, or its statement is false.
    #[error(transparent)]
    Prover(#[from] ProverError),
    /// A contribution, beacon or verification failed.
    #[error(transparent)]
    Phase2(#[from] Phase2Error),
    /// A development phase-1 file could not be made.
    #[error(transparent)]
    DevPhase1(#[from] DevPhase1Error),
}

impl CeremonyCliError {
    /// Whether the withdrawal's statement is false, or a key's transcript is
    /// invalid (exit code 1).
    pub(crate) fn is_unprovable(&self) -> bool {
        match self {
            Self::Prover(e) => matches!(e, ProverError::Statement(_) | ProverError::Policy(_)),
            Self::Phase2(e) => e.is_invalid_transcript(),
            _ => false,
        }
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn export_error(e: ExportError) -> CeremonyCliError {
    CeremonyCliError::Circuit(e.to_string())
}

/// The withdrawal circuit's `.r1cs`.
fn withdrawal_r1cs() -> Result<R1csFile, CeremonyCliError> {
    let m = withdrawal_matrices(TREE_DEPTH).map_err(|e| CeremonyCliError::Circuit(e.to_string()))?;
    r1cs_from_matrices(m.num_instance_variables, m.num_witness_variables, &m.a, &m.b, &m.c).map_err(export_error)
}

/// Runs a `zkcomply circuit` command.
///
/// # Errors
///
/// [`CeremonyCliError`] naming the file and what was expected.
pub(crate) fn run_circuit(cmd: CircuitCmd) -> Result<(), CeremonyCliError> {
    match cmd {
        CircuitCmd::ExportR1cs { out } => {
            let r1cs = withdrawal_r1cs()?;
            write_atomic(&out, &r1cs.to_bytes())?;
            eprintln!(
                "{} constraints, {} wires ({} public inputs) written to {}",
                r1cs.constraints.len(),
                r1cs.n_wires,
                r1cs.n_public(),
                out.display()
            );
        }
        CircuitCmd::ExportWtns { inputs, out } => {
            let witness = inputs.load()?.witness()?;
            let values = withdrawal_assignment(&witness).map_err(|e| CeremonyCliError::Circuit(e.to_string()))?;
            let wtns = wtns_from_assignment(values);
            write_atomic(&out, &wtns.to_bytes())?;
            eprintln!("{} wire values written to {}", wtns.values.len(), out.display());
        }
    }
    Ok(())
}

/// Runs a `zkcomply ceremony` command.
///
/// # Errors
///
/// [`CeremonyCliError`] naming the file and what was expected.
pub(crate) fn run_ceremony(cmd: CeremonyCmd) -> Result<(), CeremonyCliError> {
    match cmd {
        CeremonyCmd::Init { ptau, r1cs, out } => {
            let (key, circuit_name) = initial_key(&ptau, r1cs.as_deref())?;
            write_atomic(&out, &key.to_bytes())?;
            eprintln!("initial key of {circuit_name} written to {}", out.display());
            println!("circuit hash: {}", to_hex(&key.mpc.cs_hash));
        }
        CeremonyCmd::Finalize { zkey, ptau, out } => {
            let key = phase2::read_zkey(&zkey)?;
            let (initial, _) = initial_key(&ptau, None)?;
            let report = phase2::verify_and_print(&key, &initial)?;
            let hashes: Vec<[u8; 64]> = report.contributions.iter().map(|c| c.hash).collect();
            let development_phase1 = {
                let mut file =
                    PtauFile::open(&ptau).map_err(|source| CeremonyCliError::Ptau { path: shown(&ptau), source })?;
                is_development_phase1(&mut file)
                    .map_err(|source| CeremonyCliError::Ptau { path: shown(&ptau), source })?
            };
            let manifest = if development_phase1 {
                eprintln!(
                    "{}: a development phase-1 file (ceremony dev-ptau): its maker can forge proofs with any key \
                     built on it, so these keys are written as DEVELOPMENT keys",
                    ptau.display()
                );
                write_development_ceremony_keys(&out, &key.proving_key())?
            } else {
                let record = ceremony_record(&key.mpc, report.transcript_hash, &hashes)?;
                write_ceremony_keys(&out, &key.proving_key(), record)?
            };
            eprintln!(
                "keys written to {} (verifying key hash {}); pin that hash in policies",
                out.display(),
                manifest.verifying_key_hash
            );
        }
        CeremonyCmd::DevPtau { power, out } => {
            let bytes = dev_ptau(power, &mut rand::rngs::OsRng)?;
            write_atomic(&out, &bytes)?;
            eprintln!(
                "development phase-1 file of power {power} written to {}: its maker knows its secrets, \
                 so it is for trials only (docs/CEREMONY.md)",
                out.display()
            );
        }
        CeremonyCmd::Contribute { input, output, name, entropy } => {
            phase2::contribute(&input, &output, &name, entropy.as_deref())?;
        }
        CeremonyCmd::Beacon { input, output, beacon, iterations, name } => {
            phase2::beacon(&input, &output, &beacon, iterations, name.as_deref())?;
        }
        CeremonyCmd::Verify { ptau, r1cs, zkey } => {
            let key = phase2::read_zkey(&zkey)?;
            let start = std::time::Instant::now();
            let (initial, circuit_name) = initial_key(&ptau, r1cs.as_deref())?;
            eprintln!("initial key of {circuit_name} recomputed in {:.1} s", start.elapsed().as_secs_f64());
            phase2::verify_and_print(&key, &initial)?;
        }
    }
    Ok(())
}

/// The ceremony's initial key: `r1cs` (or the withdrawal circuit) over the
/// prepared phase-1 file `ptau`, as `snarkjs groth16 setup` makes it; and
/// the circuit's name for messages.
fn initial_key(ptau: &Path, r1cs: Option<&Path>) -> Result<(Zkey, String), CeremonyCliError> {
    let (circuit, circuit_name) = match r1cs {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|source| CeremonyCliError::Read { path: shown(path), source })?;
            let file =
                R1csFile::from_bytes(&bytes).map_err(|source| CeremonyCliError::R1cs { path: shown(path), source })?;
            (file, shown(path))
        }
        None => (withdrawal_r1cs()?, "the withdrawal circuit".to_string()),
    };
    let mut file = PtauFile::open(ptau).map_err(|source| CeremonyCliError::Ptau { path: shown(ptau), source })?;
    let key = new_zkey(&circuit, &mut file).map_err(|source| match source {
        NewZkeyError::Ptau(source) => CeremonyCliError::Ptau { path: shown(ptau), source },
        other => CeremonyCliError::NewZkey { path: circuit_name.clone(), source: other },
    })?;
    Ok((key, circuit_name))
}

/// The circuit hash as lowercase hex.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
