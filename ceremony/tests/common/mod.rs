//! Shared by the ceremony crate's integration tests: running snarkjs and a
//! small circuit with a satisfying witness.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use zkcomply_ceremony::r1cs_file::{R1csConstraint, R1csFile};
use zkcomply_ceremony::wtns_file::WtnsFile;

/// snarkjs as the project's test script installs it
/// (`npm ci --prefix benches/evm`).
pub fn snarkjs_path() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    let path = root.join("benches/evm/node_modules/.bin/snarkjs");
    assert!(path.exists(), "snarkjs is missing at {}: run `npm ci --prefix benches/evm`", path.display());
    path
}

/// Runs snarkjs with `args` in `dir`, failing the test with its output if it
/// exits non-zero.
pub fn snarkjs(dir: &Path, args: &[&str]) -> String {
    let out = snarkjs_status(dir, args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "snarkjs {args:?} failed:\n{text}");
    text
}

/// Runs snarkjs with `args` in `dir` and returns its output, whatever its
/// exit status.
pub fn snarkjs_status(dir: &Path, args: &[&str]) -> Output {
    Command::new(snarkjs_path()).args(args).current_dir(dir).output().expect("run snarkjs")
}

/// A prepared phase-1 file of `power` in `dir` (new, one contribution with
/// fixed entropy, prepare phase2); returns its name.
pub fn prepared_ptau(dir: &Path, power: u32) -> &'static str {
    snarkjs(dir, &["powersoftau", "new", "bn128", &power.to_string(), "pot_0000.ptau"]);
    snarkjs(dir, &["powersoftau", "contribute", "pot_0000.ptau", "pot_0001.ptau", "--name=test", "-e=zkcomply test"]);
    snarkjs(dir, &["powersoftau", "prepare", "phase2", "pot_0001.ptau", "pot_final.ptau"]);
    "pot_final.ptau"
}

fn fr(v: i64) -> Fr {
    if v < 0 {
        -Fr::from(v.unsigned_abs())
    } else {
        Fr::from(v as u64)
    }
}

/// A small circuit: public `out` (wire 1) and `flag` (wire 2), private `x`
/// (wire 3) and intermediates; proves `x^3 + x + 5 = out` and that `flag`
/// is a bit, with a few extra constraints whose coefficients are large,
/// negative or repeated. Returns the R1CS and a satisfying witness for
/// `x = 3`.
pub fn small_circuit() -> (R1csFile, WtnsFile) {
    let one = Fr::one();
    let x = fr(3);
    let x2 = x * x;
    let x3 = x2 * x;
    let out = x3 + x + fr(5);
    let flag = one;
    // w6 = (x + out) * (x2 - 7)
    let w6 = (x + out) * (x2 - fr(7));
    // w7 = (big * x) * x3, with big = -(2^200)
    let big = -Fr::from(2u64).pow_u64(200);
    let w7 = big * x * x3;
    let values = vec![one, out, flag, x, x2, x3, w6, w7];
    let c = |a: Vec<(u32, Fr)>, b: Vec<(u32, Fr)>, c: Vec<(u32, Fr)>| R1csConstraint { a, b, c };
    let constraints = vec![
        c(vec![(3, one)], vec![(3, one)], vec![(4, one)]),
        c(vec![(4, one)], vec![(3, one)], vec![(5, one)]),
        c(vec![(5, one), (3, one), (0, fr(5))], vec![(0, one)], vec![(1, one)]),
        c(vec![(2, one)], vec![(0, one), (2, fr(-1))], vec![]),
        c(vec![(3, one), (1, one)], vec![(4, one), (0, fr(-7))], vec![(6, one)]),
        c(vec![(3, big)], vec![(5, one)], vec![(7, one)]),
        // 2x - x^2 = -x (for x = 3).
        c(vec![(3, fr(2)), (4, fr(-1))], vec![(0, one)], vec![(3, fr(-1))]),
    ];
    let r1cs = R1csFile {
        n_wires: 8,
        n_pub_out: 0,
        n_pub_in: 2,
        n_prv_in: 1,
        n_labels: 8,
        constraints,
        wire_to_label: (0..8).collect(),
    };
    assert!(Fr::zero() != w7);
    (r1cs, WtnsFile { values })
}

trait PowU64 {
    fn pow_u64(self, e: u64) -> Self;
}

impl PowU64 for Fr {
    fn pow_u64(self, e: u64) -> Self {
        ark_ff::Field::pow(&self, [e])
    }
}
