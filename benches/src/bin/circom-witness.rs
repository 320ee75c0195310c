//! `circom-witness`: writes a withdrawal's witness as circom input signals,
//! for the side-by-side comparison with circom + snarkjs + rapidsnark
//! (`benches/peer/run.sh`). Takes the same inputs as `zkcomply prove`.
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
    /// The holder's copy of the credential.
    #[arg(long)]
    credential: PathBuf,
    /// The withdrawal request.
    #[arg(long)]
    withdrawal: PathBuf,
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
    /// Where to write the JSON.
    #[arg(long)]
    out: PathBuf,
}

fn run(a: &Args) -> Result<(), ProverError> {
    let request = ProofRequest::load(
        &a.credential,
        &a.withdrawal,
        &a.policy,
        &a.identity_tree,
        &a.address_tree,
        &a.revocation_tree,
    )?;
    write_json(&a.out, &circom_input(&request.witness()?))
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
