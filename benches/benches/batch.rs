//! Criterion benchmarks of batches: a whole proof of 1 (the single
//! circuit), 4 and 16 withdrawals of one holder, with throughput in
//! withdrawals, so Criterion reports the time per withdrawal; and the
//! verification of a 16-item batch bundle.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zkcomply_benches::BenchFixture;
use zkcomply_prover::batch::{prove_batch, BatchRequest};
use zkcomply_prover::demo::payroll;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::{development_batch_setup, KeysDir};
use zkcomply_verifier::verify_batch_bundle;

/// Batch keys of `slots` slots, made and loaded as `zkcomply setup --batch` does.
fn batch_keys(dir: &std::path::Path, slots: usize) -> KeysDir {
    let (pk, vk) = development_batch_setup(&mut rand::rngs::OsRng, slots).expect("setup");
    let keys = dir.join(format!("keys{slots}"));
    KeysDir::save(&keys, &pk, &vk).expect("save");
    KeysDir::load_for(&keys, &vk.json.circuit_id).expect("load")
}

fn benches(c: &mut Criterion) {
    let fixture = BenchFixture::new();
    let single_keys = KeysDir::load(&fixture.keys_dir()).expect("keys");
    let request = fixture.request();
    let mut group = c.benchmark_group("prove, per withdrawal");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1));
    group.bench_function("1 (single proof bundle)", |b| {
        b.iter(|| prove_bundle(&request, &single_keys).expect("bundle"))
    });
    let mut sixteen = None;
    for slots in zkcomply_circuits::batch::BATCH_SIZES {
        let keys = batch_keys(fixture.root(), slots);
        let batch = BatchRequest { request: fixture.request(), withdrawals: payroll(&request.withdrawal, slots) };
        group.throughput(Throughput::Elements(slots as u64));
        group.bench_function(format!("{slots} (batch proof bundle)"), |b| {
            b.iter(|| prove_batch(&batch, &keys, false).expect("batch"))
        });
        if slots == 16 {
            sixteen = Some((prove_batch(&batch, &keys, false).expect("batch").bundle, keys));
        }
    }
    group.finish();
    let (bundle, keys) = sixteen.expect("a 16-slot batch");
    let policy = &request.policy;
    // The demo's policy pins the single key: verify under a copy that pins none.
    let mut open = policy.clone();
    open.verifying_key_hash = None;
    let at = bundle.withdrawals[0].now.0;
    let mut verify = c.benchmark_group("verify batch bundle (16 items)");
    verify.throughput(Throughput::Elements(16));
    verify.bench_function("policy checks, 16 contexts, Groth16 with 21 inputs", |b| {
        b.iter(|| assert!(verify_batch_bundle(&bundle, &open, &keys.verifying_key, at).accepted))
    });
    verify.finish();
}

criterion_group!(batch, benches);
criterion_main!(batch);
