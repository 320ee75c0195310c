//! `zkcomply circuit` and `zkcomply ceremony init` as a user runs them:
//! outputs readable by snarkjs, `init` identical to `snarkjs groth16 setup`,
//! and exit code 2 with the file named for unusable input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zkcomply_ceremony::r1cs_file::R1csFile;

fn zkcomply(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply")).args(args).output().expect("run zkcomply")
}

fn snarkjs(dir: &Path, args: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    let bin = root.join("benches/evm/node_modules/.bin/snarkjs");
    assert!(bin.exists(), "snarkjs is missing at {}: run `npm ci --prefix benches/evm`", bin.display());
    let out = Command::new(bin).args(args).current_dir(dir).output().expect("run snarkjs");
    assert!(out.status.success(), "snarkjs {args:?}: {}", String::from_utf8_lossy(&out.stdout));
}

fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn export_r1cs_and_init_from_an_r1cs_match_snarkjs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let r1cs = path(d, "withdrawal.r1cs");
    let out = zkcomply(&["circuit", "export-r1cs", "--out", s(&r1cs)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = R1csFile::from_bytes(&std::fs::read(&r1cs).expect("read")).expect("parse");
    assert_eq!(file.constraints.len(), 23_883);

    // A tiny circuit (x * x = y, y public) and a power-4 ptau made by snarkjs.
    let one = zkcomply_circuits::Fr::from(1u8);
    let tiny = R1csFile {
        n_wires: 3,
        n_pub_out: 0,
        n_pub_in: 1,
        n_prv_in: 1,
        n_labels: 3,
        constraints: vec![zkcomply_ceremony::r1cs_file::R1csConstraint {
            a: vec![(2, one)],
            b: vec![(2, one)],
            c: vec![(1, one)],
        }],
        wire_to_label: vec![0, 1, 2],
    };
    std::fs::write(path(d, "tiny.r1cs"), tiny.to_bytes()).expect("write");
    snarkjs(d, &["powersoftau", "new", "bn128", "4", "p0.ptau"]);
    snarkjs(d, &["powersoftau", "contribute", "p0.ptau", "p1.ptau", "--name=t", "-e=cli test"]);
    snarkjs(d, &["powersoftau", "prepare", "phase2", "p1.ptau", "p.ptau"]);
    snarkjs(d, &["groth16", "setup", "tiny.r1cs", "p.ptau", "theirs.zkey"]);
    let ours = path(d, "ours.zkey");
    let out = zkcomply(&[
        "ceremony",
        "init",
        "--ptau",
        s(&path(d, "p.ptau")),
        "--r1cs",
        s(&path(d, "tiny.r1cs")),
        "--out",
        s(&ours),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&ours).expect("ours") == std::fs::read(path(d, "theirs.zkey")).expect("theirs"));

    // The withdrawal circuit (domain 2^15) needs power 16: a power-4 file is refused.
    let out = zkcomply(&["ceremony", "init", "--ptau", s(&path(d, "p.ptau")), "--out", s(&path(d, "w.zkey"))]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("p.ptau") && err.contains("needs power 16"), "{err}");
    // An unprepared file is refused, naming what to run.
    let out = zkcomply(&[
        "ceremony",
        "init",
        "--ptau",
        s(&path(d, "p1.ptau")),
        "--r1cs",
        s(&path(d, "tiny.r1cs")),
        "--out",
        s(&path(d, "x.zkey")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("prepare phase2"));
}

#[test]
fn unusable_files_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let garbage = path(d, "garbage.bin");
    std::fs::write(&garbage, b"r1cs\x01\x00\x00\x00\xff\xff\xff\xff").expect("write");
    let out = path(d, "out.zkey");
    for args in [
        vec!["ceremony", "init", "--ptau", s(&garbage), "--out", s(&out)],
        vec!["ceremony", "init", "--ptau", s(&garbage), "--r1cs", s(&garbage), "--out", s(&out)],
        vec!["ceremony", "init", "--ptau", s(&path(d, "missing.ptau")), "--out", s(&out)],
    ] {
        let result = zkcomply(&args);
        assert_eq!(result.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&result.stderr);
        assert!(err.contains(d.to_str().expect("utf-8")), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists());
    }
}
