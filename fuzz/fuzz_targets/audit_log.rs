//! A whole verification log (JSONL text): `audit` against the fixture
//! policy and verifying key with every claim selected and batch proof
//! verification (as `zkcomply-verify audit` runs it), and
//! `VerificationLog::open` (the chain check before an append) on the same
//! text written to a file.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkcomply_fuzz::{scratch_file, text, FIXTURE_KEY, FIXTURE_POLICY};
use zkcomply_verifier::{audit, Claim, ProofCheck, VerificationLog};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let claims: BTreeSet<Claim> = Claim::ALL.into_iter().collect();
    let keys = std::slice::from_ref(&*FIXTURE_KEY);
    let mut rng = ChaCha20Rng::seed_from_u64(0);
    let report = audit(text, &FIXTURE_POLICY, keys, &claims, ProofCheck::Batch, &mut rng, &mut |_, _, _| {});
    let _ = (report.to_text(), report.to_markdown());
    let _ = VerificationLog::open(&scratch_file(data));
});
