//! `lists::keys_from_text`, the list parser of `zkcomply lists build`
//! (one entry per line: identity lines `NAME|YYYY-MM-DD|CC`, addresses,
//! or revocation nonces; the first input byte picks which), on any UTF-8
//! text. (Building the tree from the keys is `tree_file`'s part.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::text;
use zkcomply_prover::lists::keys_from_text;
use zkcomply_prover::tree_file::TreeKind;

const KINDS: [TreeKind; 3] = [TreeKind::Identity, TreeKind::Address, TreeKind::Revocation];

fuzz_target!(|data: &[u8]| {
    let Some((kind, list)) = data.split_first() else { return };
    let Some(list) = text(list) else { return };
    let _ = keys_from_text(KINDS[usize::from(*kind) % KINDS.len()], "fuzz.txt", list);
});
