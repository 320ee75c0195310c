//! `TreeFile::load` (a published tree file, `docs/FORMATS.md`: kind,
//! depth, keys, root; loading rebuilds the tree and checks the root) on
//! any bytes written to a file; on success, the file the loaded tree
//! saves as loads back to the same document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, pretty_json, scratch_file};
use zkcomply_prover::tree_file::TreeFile;

fuzz_target!(|data: &[u8]| {
    let Ok(tree) = TreeFile::load(&scratch_file(data)) else { return };
    assert_round_trip(&tree.to_json(), pretty_json, |printed| {
        TreeFile::load(&scratch_file(printed.as_bytes())).map(|again| again.to_json())
    });
});
