//! Re-verifying the proofs of the records that pass every other check:
//! grouped by verifying key (so by backend), in batches verified in
//! parallel, or one by one.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use rand_core::{CryptoRng, RngCore};

use serde::Serialize;

use super::progress::map_with_progress;
use crate::backend::BackendError;
use crate::keys::VerifyingKeyFile;
use crate::parallel::{map_all, threads};
use crate::verify::PendingProof;

/// How the audit re-verifies the proofs of accepted records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum ProofCheck {
    /// Batch verification, per verifying key (for Groth16, a random linear
    /// combination; a failed batch is split until the false proofs are
    /// pinpointed).
    #[default]
    Batch,
    /// Each proof on its own (for comparison: same verdicts, slower).
    OneByOne,
}

/// Proofs per batch: large enough to amortise the final exponentiation,
/// small enough to keep memory low and a false proof's bisection cheap.
const BATCH_CHUNK: usize = 512;

/// A proof to verify, and the key (an index into the audit's keys) its
/// record was checked against.
pub(super) struct ToVerify {
    /// The key's index.
    pub key: usize,
    /// The decoded proof and public inputs.
    pub pending: PendingProof,
}

/// One verdict per item of `items`, in order.
pub(super) fn verify<R: RngCore + CryptoRng + Send>(
    keys: &[VerifyingKeyFile],
    items: &[ToVerify],
    proof_check: ProofCheck,
    rng: &mut R,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Vec<Result<bool, BackendError>> {
    match proof_check {
        ProofCheck::OneByOne => map_with_progress(items, "verifying proofs (one by one)", progress, |item| {
            keys[item.key].prepared.verify(&item.pending.proof, &item.pending.inputs)
        }),
        ProofCheck::Batch => in_batches(keys, items, rng, progress),
    }
}

/// Batches of at most [`BATCH_CHUNK`] proofs of one key, one batch per
/// thread at a time (a wave): coarse tasks, and memory bounded by one
/// batch per thread.
fn in_batches<R: RngCore + CryptoRng + Send>(
    keys: &[VerifyingKeyFile],
    items: &[ToVerify],
    rng: &mut R,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Vec<Result<bool, BackendError>> {
    const PHASE: &str = "verifying proofs (batch)";
    let mut by_key: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        by_key.entry(item.key).or_default().push(i);
    }
    let batches: Vec<(usize, &[usize])> =
        by_key.iter().flat_map(|(&key, indices)| indices.chunks(BATCH_CHUNK).map(move |chunk| (key, chunk))).collect();
    let shared = SharedRng(Mutex::new(rng));
    let mut verdicts: Vec<Option<Result<bool, BackendError>>> = (0..items.len()).map(|_| None).collect();
    let mut done = 0;
    progress(PHASE, 0, items.len());
    for wave in batches.chunks(threads()) {
        let results = map_all(wave, |&(key, indices)| {
            let batch: Vec<_> =
                indices.iter().map(|&i| (&items[i].pending.proof, items[i].pending.inputs.as_slice())).collect();
            let mut rng = &shared;
            keys[key].prepared.verify_batch(&batch, &mut rng)
        });
        for (&(_, indices), result) in wave.iter().zip(results) {
            for (position, &i) in indices.iter().enumerate() {
                verdicts[i] = Some(match &result {
                    Ok(batch) => Ok(batch[position]),
                    Err(e) => Err(e.clone()),
                });
            }
            done += indices.len();
        }
        progress(PHASE, done, items.len());
    }
    verdicts.into_iter().map(|v| v.expect("every item belongs to exactly one batch")).collect()
}

/// The caller's generator shared by the batches verified in parallel: each
/// draw holds the lock, so the batches take their weights from the one
/// stream, in some order.
struct SharedRng<'a, R>(Mutex<&'a mut R>);

impl<R: RngCore> RngCore for &SharedRng<'_, R> {
    fn next_u32(&mut self) -> u32 {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).fill_bytes(dest)
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).try_fill_bytes(dest)
    }
}

impl<R: RngCore + CryptoRng> CryptoRng for &SharedRng<'_, R> {}
