//! What the library links only when a feature asks for it: no source of
//! randomness without the command line (batch weights come from the
//! caller's generator), no Solidity encoder (Keccak) without `solidity`,
//! and a browser package with neither unless `gate-calldata` is on.

use std::process::Command;

/// `cargo tree` of the normal dependencies, one crate name per line.
fn tree(args: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .arg("tree")
        .args(args)
        .args(["-e", "normal", "--prefix", "none", "--format", "{p}", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(names.iter().any(|n| n == "ark-ec"), "the tree was read: {names:?}");
    names
}

fn has(names: &[String], name: &str) -> bool {
    names.iter().any(|n| n == name)
}

#[test]
fn the_library_alone_has_no_randomness_source_and_no_solidity_encoder() {
    let all = tree(&["-p", "zkcomply-verifier", "--no-default-features"]);
    assert!(!has(&all, "getrandom"), "{all:?}");
    assert!(!has(&all, "tiny-keccak"), "{all:?}");
    // rand and rand_chacha reach the tree through arkworks only: the
    // verifier does not depend on them itself.
    let direct = tree(&["-p", "zkcomply-verifier", "--no-default-features", "--depth", "1"]);
    for name in ["rand", "rand_chacha", "getrandom"] {
        assert!(!has(&direct, name), "the verifier depends on {name} directly: {direct:?}");
    }
}

#[test]
fn features_bring_in_what_they_need() {
    let solidity = tree(&["-p", "zkcomply-verifier", "--no-default-features", "--features", "solidity"]);
    assert!(has(&solidity, "tiny-keccak"));
    assert!(!has(&solidity, "getrandom"));
    let cli = tree(&["-p", "zkcomply-verifier"]);
    assert!(has(&cli, "getrandom"), "the command line draws the audit's weights from the OS");
}

#[test]
fn the_browser_package_carries_the_calldata_encoder_only_on_request() {
    let plain = tree(&["-p", "zkcomply-wasm", "--target", "wasm32-unknown-unknown"]);
    assert!(!has(&plain, "getrandom"), "{plain:?}");
    assert!(!has(&plain, "tiny-keccak"), "{plain:?}");
    let gate = tree(&["-p", "zkcomply-wasm", "--target", "wasm32-unknown-unknown", "--features", "gate-calldata"]);
    assert!(has(&gate, "tiny-keccak"), "{gate:?}");
    assert!(!has(&gate, "getrandom"), "{gate:?}");
}
