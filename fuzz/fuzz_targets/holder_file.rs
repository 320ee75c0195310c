//! `HolderFile::from_json` (the holder's secret file, `holder.json`: the
//! secret and its commitment, checked to open) on any UTF-8 text; on
//! success, the printed file parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, pretty_json, text};
use zkcomply_prover::holder::HolderFile;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(holder) = HolderFile::from_json(text) else { return };
    assert_round_trip(&holder, pretty_json, HolderFile::from_json);
});
