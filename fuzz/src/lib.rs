//! What the fuzz targets share: the fixed documents some targets verify
//! against (loaded once per process), a scratch file for the loaders that
//! take a path, and the round-trip check every parser's output must pass.
//!
//! The fixtures are the verifier's test fixtures
//! (`verifier/tests/fixtures/`: one demo run's bundle, policy and verifying
//! key, which belong together) and trees built from the lists in `data/`,
//! so the fuzz crate keeps no copy of its own.

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use zkcomply_prover::demo::DemoLists;
use zkcomply_prover::tree_file::{TreeFile, TreeKind};
use zkcomply_verifier::{Bundle, Policy, VerifyingKeyFile};

/// The repository's root (the fuzz crate sits in `fuzz/`).
fn repository() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The verifier fixtures' policy.
pub static FIXTURE_POLICY: LazyLock<Policy> = LazyLock::new(|| {
    Policy::from_json(include_str!("../../verifier/tests/fixtures/policy.json")).expect("the fixture policy parses")
});

/// The verifier fixtures' verifying key.
pub static FIXTURE_KEY: LazyLock<VerifyingKeyFile> = LazyLock::new(|| {
    VerifyingKeyFile::from_json(include_str!("../../verifier/tests/fixtures/verifying_key.json"))
        .expect("the fixture verifying key parses")
});

/// The verifier fixtures' bundle (accepted by [`FIXTURE_POLICY`] and
/// [`FIXTURE_KEY`] at [`fixture_time`]).
pub static FIXTURE_BUNDLE: LazyLock<Bundle> = LazyLock::new(|| {
    Bundle::from_json(include_str!("../../verifier/tests/fixtures/bundle.json")).expect("the fixture bundle parses")
});

/// The verification time the fixture bundle was made for (its `now`), so
/// the clock check passes and a mutated bundle reaches every later check.
pub fn fixture_time() -> u64 {
    FIXTURE_BUNDLE.withdrawal.now.0
}

/// The UTF-8 text of the input, when it is UTF-8: what every parser of a
/// text document receives after `read_text` (`std::fs::read_to_string`).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Writes the input to this process's scratch file and returns its path,
/// for the loaders that read a path (tree files, the verification log).
pub fn scratch_file(data: &[u8]) -> PathBuf {
    static PATH: LazyLock<PathBuf> =
        LazyLock::new(|| std::env::temp_dir().join(format!("zkcomply-fuzz-{}.input", std::process::id())));
    std::fs::write(&*PATH, data).expect("the scratch file can be written");
    PATH.clone()
}

/// Asserts that printing `value` and parsing the text again gives `value`
/// back: the formats promise `parse(print(x)) == x` for every accepted `x`.
pub fn assert_round_trip<T, E>(value: &T, print: impl Fn(&T) -> String, parse: impl Fn(&str) -> Result<T, E>)
where
    T: PartialEq + Debug,
    E: Debug,
{
    let printed = print(value);
    match parse(&printed) {
        Ok(again) => assert_eq!(&again, value, "printed and parsed again, the value differs; printed:\n{printed}"),
        Err(e) => panic!("a parsed value printed as text that does not parse: {e:?}; printed:\n{printed}"),
    }
}

/// Pretty JSON of a serde value (the form the CLIs write documents in).
pub fn pretty_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("zkcomply documents have only string keys and plain values")
}

/// Tree files built from the lists in `data/` (the demo's identity and
/// OFAC address trees) and a revocation tree holding the demo's revoked
/// nonce, written once per process to a temporary directory: the trees the
/// demo's policy (`fuzz/corpus/service_request`) accepts.
pub static DEMO_TREE_FILES: LazyLock<Vec<PathBuf>> = LazyLock::new(|| {
    let lists = DemoLists::from_data_dir(&repository().join("data")).expect("the lists in data/ read");
    let revoked = zkcomply_circuits::imt::IndexedMerkleTree::from_keys(
        zkcomply_circuits::TREE_DEPTH,
        [zkcomply_circuits::Fr::from(DEMO_REVOKED_NONCE)],
    )
    .expect("one key fits the tree");
    let trees = [
        (TreeKind::Identity, lists.identity_tree().expect("the identity list builds")),
        (TreeKind::Address, lists.address_tree().expect("the address lists build")),
        (TreeKind::Revocation, revoked),
    ];
    let dir = std::env::temp_dir().join(format!("zkcomply-fuzz-trees-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the tree directory can be made");
    trees
        .into_iter()
        .map(|(kind, tree)| {
            let path = dir.join(format!("{}_tree.json", kind.name()));
            TreeFile { kind, built_at: 0, tree }.save(&path).expect("the tree file can be written");
            path
        })
        .collect()
});

/// The nonce the demo revokes (its revocation tree's one key).
pub const DEMO_REVOKED_NONCE: u64 = 424_242;
