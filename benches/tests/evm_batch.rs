//! `withdrawBatch` on the ComplianceGate, in revm: the demo's batch of 16
//! (a real batch setup and proof) passes under each solc settings block,
//! each item's context is recorded, the epoch total counts every item and
//! is shared with single withdrawals, replayed or duplicated items are
//! refused, a tampered item fails the proof, and gas per withdrawal at 16
//! is at most a third of a single `withdraw` (with a breakdown printed).
//!
//! Needs Node.js and `npm ci --prefix benches/evm` (scripts/test.sh does both).

use std::sync::OnceLock;

use revm::primitives::Address;
use zkcomply_benches::evm::{compile_with, deploy_gate, Chain, Compiled, Outcome, SolcSettings};
use zkcomply_circuits::Fr;
use zkcomply_prover::demo::{run_with_batch, DemoBackends, DemoLists};
use zkcomply_verifier::batch_bundle::BatchBundle;
use zkcomply_verifier::bundle::Bundle;
use zkcomply_verifier::keys::VerifyingKeyFile;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::solidity::abi::{self, selector, Call};
use zkcomply_verifier::solidity::calldata::{batch_gate_arguments, gate_arguments, BatchGateArguments};
use zkcomply_verifier::solidity::words::word;
use zkcomply_verifier::solidity::{export, export_batch_verifier, write_dir};

const OWNER: Address = Address::new([0x0a; 20]);
const EXCHANGE: Address = Address::new([0x0b; 20]);

/// A demo run with a 16-slot batch, its policy, and the exported sources.
struct World {
    _dir: tempfile::TempDir,
    sources: tempfile::TempDir,
    bundle: Bundle,
    batch: BatchBundle,
    policy: Policy,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let lists = DemoLists::from_data_dir(&data).unwrap();
        run_with_batch(dir.path(), &lists, DemoBackends::Groth16, Some(16)).unwrap();
        let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
        let vk = VerifyingKeyFile::from_json(&read("verifying_key.json")).unwrap();
        let batch_vk = VerifyingKeyFile::from_json(&read("batch/verifying_key.json")).unwrap();
        let sources = tempfile::tempdir().unwrap();
        let mut files = export(&vk).unwrap();
        files.push(export_batch_verifier(&batch_vk).unwrap());
        write_dir(&files, sources.path()).unwrap();
        World {
            bundle: Bundle::from_json(&read("bundle.json")).unwrap(),
            batch: BatchBundle::from_json(&read("batch/batch_bundle.json")).unwrap(),
            policy: Policy::from_json(&read("policy.json")).unwrap(),
            sources,
            _dir: dir,
        }
    })
}

fn compiled(settings: SolcSettings) -> &'static Compiled {
    static ALL: [OnceLock<Compiled>; SolcSettings::ALL.len()] = [const { OnceLock::new() }; SolcSettings::ALL.len()];
    let i = SolcSettings::ALL.iter().position(|s| *s == settings).unwrap();
    ALL[i].get_or_init(|| compile_with(world().sources.path(), settings).unwrap_or_else(|e| panic!("{e}")))
}

struct Deployed {
    chain: Chain,
    gate: Address,
}

/// The gate configured from the demo policy, the statement approved, the
/// batch verifier deployed and set, the clock at the bundles' time.
fn deploy(settings: SolcSettings) -> Deployed {
    let w = world();
    let c = compiled(settings);
    let mut chain = Chain::new();
    if settings == SolcSettings::Unoptimized {
        // Without the optimizer the gate is over EIP-170's 24 KB (docs/ONCHAIN.md).
        assert!(c.get("ComplianceGate").unwrap().runtime_size > 24_576);
        chain.allow_large_contracts();
    }
    chain.set_timestamp(w.bundle.withdrawal.now.0);
    let g = deploy_gate(&mut chain, c, OWNER, &w.policy, &gate_arguments(&w.bundle).unwrap())
        .unwrap_or_else(|e| panic!("{settings:?}: {e}"));
    let verifier = chain.deploy(OWNER, &c.get("Groth16BatchVerifier").unwrap().bytecode, &[]).unwrap();
    let set = Call { function: abi::SET_BATCH_VERIFIER, words: vec![zkcomply_benches::evm::address_word(verifier)] };
    let out = chain.call(OWNER, g.gate, set.encode());
    assert!(out.success, "setBatchVerifier: 0x{}", hex::encode(&out.output));
    Deployed { chain, gate: g.gate }
}

fn batch_args() -> BatchGateArguments {
    batch_gate_arguments(&world().batch).unwrap()
}

fn call(d: &mut Deployed, c: &Call) -> Outcome {
    d.chain.call(EXCHANGE, d.gate, c.encode())
}

fn expect_error(out: &Outcome, signature: &str) {
    assert!(
        out.reverted_with(signature),
        "expected revert {signature}, got success={} output=0x{}",
        out.success,
        hex::encode(&out.output)
    );
}

fn context_used(d: &mut Deployed, context: &Fr) -> bool {
    let out =
        d.chain.call(EXCHANGE, d.gate, Call { function: "contextUsed(uint256)", words: vec![word(context)] }.encode());
    out.success && out.word(0).is_some_and(|w| w[31] == 1)
}

/// Under every settings block: the batch passes, then is refused as a replay.
#[test]
fn a_batch_of_sixteen_passes_under_every_settings_block() {
    for settings in SolcSettings::ALL {
        let mut d = deploy(settings);
        let a = batch_args();
        let out = call(&mut d, &a.withdraw_batch());
        assert!(out.success, "{settings:?}: 0x{}", hex::encode(&out.output));
        // One WithdrawalApproved per item, and BatchApproved.
        assert_eq!(out.logs.len(), 17, "{settings:?}");
        for w in &world().batch.withdrawals {
            let context = w.context_fields().unwrap().context();
            assert!(context_used(&mut d, &context), "{settings:?}: {}", w.withdrawal_id);
        }
        expect_error(&call(&mut d, &a.withdraw_batch()), "ContextAlreadyUsed(uint256)");
    }
}

#[test]
fn selectors_match_solc() {
    // The gate and the batch verifier fit EIP-170 with the optimizer (and via-IR).
    for settings in [SolcSettings::Optimized, SolcSettings::ViaIr] {
        for name in ["ComplianceGate", "Groth16BatchVerifier"] {
            assert!(compiled(settings).get(name).unwrap().runtime_size <= 24_576, "{name} ({settings:?})");
        }
    }
    let gate = &compiled(SolcSettings::RECOMMENDED).get("ComplianceGate").unwrap().selectors;
    for signature in [abi::WITHDRAW_BATCH, abi::SET_BATCH_VERIFIER] {
        assert_eq!(
            gate.get(signature).map(String::as_str),
            Some(hex::encode(selector(signature)).as_str()),
            "{signature}"
        );
    }
}

/// Replays, duplicates, tampering, sizes, and the batch verifier set once.
#[test]
fn bad_batches_are_refused_with_their_reason() {
    let mut d = deploy(SolcSettings::RECOMMENDED);
    let a = batch_args();
    // A repeated withdrawal id: refused before the proof.
    let mut dup = a.clone();
    dup.items[7][0] = dup.items[3][0];
    expect_error(&call(&mut d, &dup.withdraw_batch()), "DuplicateWithdrawal(uint256,uint256)");
    // An edited amount: the proof does not verify for it.
    let mut edited = a.clone();
    edited.items[5][2] += Fr::from(1u8);
    expect_error(&call(&mut d, &edited.withdraw_batch()), "ProofInvalid()");
    // An item dropped: its slot's context is 0 in the verifier's inputs, the proof fails.
    let mut dropped = a.clone();
    dropped.items.pop();
    expect_error(&call(&mut d, &dropped.withdraw_batch()), "ProofInvalid()");
    // No items, and more than the slots.
    let mut none = a.clone();
    none.items.clear();
    expect_error(&call(&mut d, &none.withdraw_batch()), "BatchSizeOutOfRange(uint256,uint256)");
    let mut many = a.clone();
    many.items.push(many.items[0]);
    expect_error(&call(&mut d, &many.withdraw_batch()), "BatchSizeOutOfRange(uint256,uint256)");
    // An amount at 2^128.
    let mut big = a.clone();
    let two64 = Fr::from(u64::MAX) + Fr::from(1u8);
    big.items[0][2] = two64 * two64;
    expect_error(&call(&mut d, &big.withdraw_batch()), "BatchItemValueOutOfRange(uint256,uint256)");
    // The batch verifier is set once.
    let again = Call { function: abi::SET_BATCH_VERIFIER, words: vec![zkcomply_benches::evm::address_word(d.gate)] };
    expect_error(&d.chain.call(OWNER, d.gate, again.encode()), "BatchVerifierAlreadySet(address)");
    // Nothing above was recorded: the honest batch still passes.
    assert!(call(&mut d, &a.withdraw_batch()).success);
}

/// Single withdrawals and batches of one holder share the epoch total and
/// the replay record.
#[test]
fn singles_and_batches_share_the_cap_and_the_replay_record() {
    let w = world();
    let mut d = deploy(SolcSettings::RECOMMENDED);
    let single = gate_arguments(&w.bundle).unwrap();
    assert!(call(&mut d, &single.withdraw()).success);
    assert!(call(&mut d, &batch_args().withdraw_batch()).success);
    let batch_total: u128 = w.batch.withdrawals.iter().map(|x| x.amount.0).sum();
    let total_of = Call {
        function: "epochTotalOf(uint256,uint256)",
        words: vec![word(&single.signals[0]), word(&single.asset_key)],
    };
    let out = d.chain.call(EXCHANGE, d.gate, total_of.encode());
    let total = u128::from_be_bytes(out.word(0).unwrap()[16..].try_into().unwrap());
    assert_eq!(total, w.bundle.withdrawal.amount.0 + batch_total);
    // A gate without a batch verifier refuses batches.
    let c = compiled(SolcSettings::RECOMMENDED);
    let mut chain = Chain::new();
    chain.set_timestamp(w.bundle.withdrawal.now.0);
    let g = deploy_gate(&mut chain, c, OWNER, &w.policy, &single).unwrap();
    let out = chain.call(EXCHANGE, g.gate, batch_args().withdraw_batch().encode());
    expect_error(&out, "BatchesNotEnabled()");
}

/// Gas per withdrawal at 16, against a single withdraw (the recommended
/// settings), with a breakdown printed for docs/PERFORMANCE.md.
#[test]
fn gas_per_withdrawal_is_at_most_a_third_of_a_single_one() {
    let w = world();
    let mut d = deploy(SolcSettings::RECOMMENDED);
    let single = call(&mut d, &gate_arguments(&w.bundle).unwrap().withdraw());
    assert!(single.success);
    let mut d = deploy(SolcSettings::RECOMMENDED);
    let batch = call(&mut d, &batch_args().withdraw_batch());
    assert!(batch.success, "0x{}", hex::encode(&batch.output));
    let n = w.batch.withdrawals.len() as u64;
    let per_item = batch.tx_gas / n;
    println!(
        "withdraw: {} execution, {} as a transaction; withdrawBatch of {n}: {} execution, {} as a transaction, {} per withdrawal ({:.2} of a single)",
        single.execution_gas,
        single.tx_gas,
        batch.execution_gas,
        batch.tx_gas,
        per_item,
        per_item as f64 / single.tx_gas as f64
    );
    assert!(per_item * 3 <= single.tx_gas, "{per_item} per withdrawal against {} for one", single.tx_gas);
}
