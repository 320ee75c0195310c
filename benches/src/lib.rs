//! Shared set-up for zkcomply's benchmarks: a demo directory with keys,
//! a proof request and a bundle.

pub mod circom_input;
pub mod evm;
pub mod simulated;

use std::path::{Path, PathBuf};

use zkcomply_prover::demo::DemoLists;
use zkcomply_prover::witness::ProofRequest;

/// A demo run kept for the benchmarks.
pub struct BenchFixture {
    /// The directory (deleted on drop).
    pub dir: tempfile::TempDir,
}

impl BenchFixture {
    /// Runs the demo into a temporary directory.
    ///
    /// # Panics
    /// When the demo fails (a benchmark cannot go on).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let lists = DemoLists::from_data_dir(&data).expect("the lists in data/");
        zkcomply_prover::demo::run(dir.path(), &lists, Default::default()).expect("demo");
        Self { dir }
    }

    /// A file in the demo directory.
    pub fn path(&self, f: &str) -> PathBuf {
        self.dir.path().join(f)
    }

    /// The demo's proof request.
    ///
    /// # Panics
    /// When the demo's files do not load.
    pub fn request(&self) -> ProofRequest {
        ProofRequest::load_dir(self.root()).expect("demo request")
    }

    /// The keys directory.
    pub fn keys_dir(&self) -> PathBuf {
        self.path("keys")
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

impl Default for BenchFixture {
    fn default() -> Self {
        Self::new()
    }
}
