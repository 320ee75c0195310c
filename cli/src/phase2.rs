//! `zkcomply ceremony contribute | beacon | verify`: phase-2 contributions
//! to a snarkjs `.zkey`, and verification of its transcript, printed as
//! snarkjs prints them so participants using either tool can cross-check.

use std::path::Path;
use std::time::{Duration, Instant};

use rand::rngs::OsRng;
use zkcomply_ceremony::contribute::{beacon_with_progress, contribute_with_progress, ContributeError};
use zkcomply_ceremony::progress::Progress;
use zkcomply_ceremony::transcript::format_hash;
use zkcomply_ceremony::verify::{verify, VerifyError, VerifyReport};
use zkcomply_ceremony::zkey::{ContributionKind, Zkey};
use zkcomply_ceremony::zkey_file::ZkeyError;
use zkcomply_verifier::{write_atomic, FormatError};

/// Why a ceremony command failed.
#[derive(Debug, thiserror::Error)]
pub enum Phase2Error {
    /// A file cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not a valid `.zkey`.
    #[error("{path}: {source}")]
    Zkey {
        /// The file.
        path: String,
        /// What is wrong with it.
        source: ZkeyError,
    },
    /// An argument is unusable.
    #[error("{name}: {message}")]
    Argument {
        /// The option.
        name: &'static str,
        /// What was expected.
        message: String,
    },
    /// The contribution cannot be made.
    #[error(transparent)]
    Contribute(#[from] ContributeError),
    /// The output cannot be written.
    #[error(transparent)]
    Write(#[from] FormatError),
    /// The key's transcript is invalid (exit code 1).
    #[error("INVALID transcript: {0}")]
    Invalid(#[from] VerifyError),
}

impl Phase2Error {
    /// Whether the key was read and its transcript found invalid (exit code
    /// 1), as opposed to unusable input (exit code 2).
    pub fn is_invalid_transcript(&self) -> bool {
        matches!(self, Self::Invalid(_))
    }
}

/// Reads and parses a `.zkey`.
///
/// # Errors
///
/// [`Phase2Error::Read`], [`Phase2Error::Zkey`].
pub fn read_zkey(path: &Path) -> Result<Zkey, Phase2Error> {
    let shown = || path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Phase2Error::Read { path: shown(), source })?;
    Zkey::from_bytes(&bytes).map_err(|source| Phase2Error::Zkey { path: shown(), source })
}

/// Refuses an output path that names the input file.
fn check_not_input(input: &Path, output: &Path) -> Result<(), Phase2Error> {
    let same = match (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Phase2Error::Argument {
            name: "OUT",
            message: "is the input key; write the new key elsewhere".into(),
        });
    }
    Ok(())
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} points ({eta})") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Self(bar)
    }
}

impl Progress for Bar {
    fn begin(&self, what: &str, total: u64) {
        self.0.set_message(what.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }
    fn advance(&self, done: u64) {
        self.0.inc(done);
    }
    fn end(&self) {}
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// `zkcomply ceremony contribute IN OUT --name NAME [--entropy TEXT]`.
///
/// # Errors
///
/// [`Phase2Error`] for unusable input or output.
pub fn contribute(input: &Path, output: &Path, name: &str, entropy: Option<&str>) -> Result<(), Phase2Error> {
    check_not_input(input, output)?;
    let zkey = read_zkey(input)?;
    let start = Instant::now();
    let bar = Bar::new();
    let made = contribute_with_progress(&zkey, Some(name), entropy.map(str::as_bytes), &mut OsRng, &bar);
    drop(bar);
    let (next, hash) = made?;
    write_atomic(output, &next.to_bytes())?;
    eprintln!("contribution written to {} in {:.1} s", output.display(), start.elapsed().as_secs_f64());
    println!("{}", format_hash(&next.mpc.cs_hash, Some("Circuit Hash: ")));
    println!("{}", format_hash(&hash, Some("Contribution Hash: ")));
    Ok(())
}

/// Parses a beacon value: hex digits, optionally after `0x`.
fn parse_beacon(text: &str) -> Result<Vec<u8>, Phase2Error> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).map_err(|e| Phase2Error::Argument { name: "--beacon", message: format!("expected hex: {e}") })
}

/// `zkcomply ceremony beacon IN OUT --beacon HEX --iterations N [--name]`.
///
/// # Errors
///
/// [`Phase2Error`] for unusable input, beacon parameters or output.
pub fn beacon(
    input: &Path,
    output: &Path,
    beacon_hex: &str,
    iterations_exp: u8,
    name: Option<&str>,
) -> Result<(), Phase2Error> {
    check_not_input(input, output)?;
    let value = parse_beacon(beacon_hex)?;
    zkcomply_ceremony::snarkjs_rng::check_beacon_params(&value, iterations_exp).map_err(ContributeError::from)?;
    let zkey = read_zkey(input)?;
    let start = Instant::now();
    let bar = Bar::new();
    let made = beacon_with_progress(&zkey, name, &value, iterations_exp, &bar);
    drop(bar);
    let (next, hash) = made?;
    write_atomic(output, &next.to_bytes())?;
    eprintln!("beacon contribution written to {} in {:.1} s", output.display(), start.elapsed().as_secs_f64());
    println!("{}", format_hash(&hash, Some("Contribution Hash: ")));
    Ok(())
}

/// Prints a verified transcript: the circuit hash, each contribution
/// (oldest first, numbered as snarkjs numbers them), the transcript hash.
pub fn print_report(report: &VerifyReport) {
    println!("{}", format_hash(&report.cs_hash, Some("Circuit Hash: ")));
    for c in &report.contributions {
        println!("-------------------------");
        let title = format!("contribution #{} {}:", c.number, c.name.as_deref().unwrap_or(""));
        println!("{}", format_hash(&c.hash, Some(&title)));
        if let ContributionKind::Beacon { hash, iterations_exp } = &c.kind {
            println!("Beacon generator: {}", hex::encode(hash));
            println!("Beacon iterations Exp: {iterations_exp}");
        }
    }
    println!("-------------------------");
    println!("{}", format_hash(&report.transcript_hash, Some("Transcript Hash: ")));
    println!("ZKey Ok!");
}

/// Verifies `zkey` against `initial`, prints the transcript and returns it.
///
/// # Errors
///
/// [`Phase2Error::Invalid`] naming the failed check.
pub fn verify_and_print(zkey: &Zkey, initial: &Zkey) -> Result<VerifyReport, Phase2Error> {
    let start = Instant::now();
    let report = verify(zkey, initial)?;
    eprintln!("transcript verified in {:.1} s", start.elapsed().as_secs_f64());
    print_report(&report);
    Ok(report)
}
