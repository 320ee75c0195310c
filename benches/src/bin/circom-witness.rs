//! `circom-witness`: writes a withdrawal's witness as circom input signals,
//! for the side-by-side comparison with circom + snarkjs + rapidsnark
//! (`benches/peer/run.sh`). Reads a proof-request directory as
//! `zkcomply demo` leaves it.
//! Exit 0 on success, 1 when the withdrawal cannot be proved, 2 for
//! unusable input.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use zkcomply_benches::circom_input::circom_input;
use zkcomply_prover::witness::ProofRequest;
use zkcomply_prover::{write_json, ProverError};

#[derive(Parser)]
#[command(name = "circom-witness", about = "Write a withdrawal's witness as circom input signals")]
struct Args {
    /// A proof-request directory, with the file names `zkcomply demo`
    /// writes (credential.json, withdrawal.json, policy.json and the three
    /// trees).
    #[arg(long)]
    dir: PathBuf,
    /// Where to write the JSON.
    #[arg(long)]
    out: PathBuf,
}

fn run(a: &Args) -> Result<(), ProverError> {
    write_json(&a.out, &circom_input(&ProofRequest::load_dir(&a.dir)?.witness()?))
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                ProverError::Statement(_) | ProverError::Policy(_) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}
