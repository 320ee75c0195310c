//! A Groth16 demo run in a temporary directory, for tests that need a real
//! request and real keys.

use std::path::Path;

use zkcomply_prover::demo::DemoLists;
use zkcomply_prover::setup::KeysDir;
use zkcomply_prover::witness::ProofRequest;

/// The demo's directory (kept while this lives), its request and its keys.
pub struct DemoRun {
    pub _dir: tempfile::TempDir,
    pub request: ProofRequest,
    pub keys: KeysDir,
}

/// Runs `zkcomply demo` (Groth16) on the lists in `data/`.
pub fn demo_run() -> DemoRun {
    let dir = tempfile::tempdir().unwrap();
    let lists = DemoLists::from_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")).unwrap();
    zkcomply_prover::demo::run(dir.path(), &lists, Default::default()).unwrap();
    let request = ProofRequest::load_dir(dir.path()).unwrap();
    let keys = KeysDir::load(&dir.path().join("keys")).unwrap();
    DemoRun { _dir: dir, request, keys }
}
