//! `zkcomply ceremony contribute | beacon | verify` on a small circuit over
//! a power-8 phase-1 file made by snarkjs: the chain verifies (exit 0) in
//! zkcomply and in snarkjs, an invalid transcript exits 1 with its reason,
//! unreadable input exits 2, and the input key is never overwritten.

#[path = "../../ceremony/tests/common/mod.rs"]
mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{prepared_ptau, small_circuit, snarkjs};
use zkcomply_ceremony::zkey::Zkey;

fn zkcomply(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply")).args(args).current_dir(dir).output().expect("run zkcomply")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The 128 hex digits of a hash printed by snarkjs's `formatHash` after
/// `title`.
fn printed_hash(output: &str, title: &str) -> String {
    let start = output.find(title).map(|i| i + title.len()).expect("the title is printed");
    output[start..].split_whitespace().take(16).collect()
}

#[test]
fn contribute_beacon_and_verify_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let ptau = prepared_ptau(d, 8);
    let (r1cs, _) = small_circuit();
    fs::write(d.join("circuit.r1cs"), r1cs.to_bytes()).expect("write r1cs");

    let out = zkcomply(d, &["ceremony", "init", "--ptau", ptau, "--r1cs", "circuit.r1cs", "--out", "0.zkey"]);
    assert!(out.status.success(), "{}", text(&out));
    let out =
        zkcomply(d, &["ceremony", "contribute", "0.zkey", "1.zkey", "--name", "alice", "--entropy", "dice: 4 2 6"]);
    assert!(out.status.success(), "{}", text(&out));
    let contribution_hash = printed_hash(&String::from_utf8_lossy(&out.stdout), "Contribution Hash:");
    snarkjs(d, &["zkey", "contribute", "1.zkey", "2.zkey", "--name=bob", "-e=bob"]);
    let out = zkcomply(d, &["ceremony", "beacon", "2.zkey", "3.zkey", "--beacon", "0xc0ffee", "--iterations", "10"]);
    assert!(out.status.success(), "{}", text(&out));

    let out = zkcomply(d, &["ceremony", "verify", "--r1cs", "circuit.r1cs", "--ptau", ptau, "3.zkey"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("contribution #1 alice:"), "{shown}");
    assert!(shown.contains("contribution #2 bob:"), "{shown}");
    assert!(shown.contains("Beacon generator: c0ffee"), "{shown}");
    assert!(shown.contains("Transcript Hash:"), "{shown}");
    assert_eq!(printed_hash(&shown, "contribution #1 alice:"), contribution_hash);
    let verified = snarkjs(d, &["zkey", "verify", "circuit.r1cs", ptau, "3.zkey"]);
    assert!(verified.contains("ZKey Ok!"), "{verified}");

    // An invalid transcript: exit 1, naming the check and the contribution.
    let mut key = Zkey::from_bytes(&fs::read(d.join("3.zkey")).expect("read")).expect("parse");
    key.mpc.contributions[1].transcript[3] ^= 1;
    fs::write(d.join("bad.zkey"), key.to_bytes()).expect("write");
    let out = zkcomply(d, &["ceremony", "verify", "--r1cs", "circuit.r1cs", "--ptau", ptau, "bad.zkey"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("contribution #2: inconsistent transcript"), "{}", text(&out));

    // Unreadable input: exit 2.
    let bytes = fs::read(d.join("3.zkey")).expect("read");
    fs::write(d.join("short.zkey"), &bytes[..bytes.len() / 2]).expect("write");
    let out = zkcomply(d, &["ceremony", "verify", "--r1cs", "circuit.r1cs", "--ptau", ptau, "short.zkey"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = zkcomply(d, &["ceremony", "beacon", "3.zkey", "4.zkey", "--beacon", "c0ffee", "--iterations", "9"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!d.join("4.zkey").exists());

    // The input is never the output.
    let out = zkcomply(d, &["ceremony", "contribute", "3.zkey", "./3.zkey", "--name", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(fs::read(d.join("3.zkey")).expect("read"), bytes);
}
