//! The generated Solidity, compiled with solc-js and run in revm: a real
//! bundle passes the ComplianceGate, every tampering reverts with its named
//! error, the context hash agrees with circomlibjs, and the gas stays
//! within its targets (with the recommended settings). The contracts also
//! compile, fit and work under each of the other settings blocks.
//!
//! Needs Node.js and `npm ci --prefix benches/evm` (scripts/test.sh does both).

use std::sync::OnceLock;

use ark_ff::PrimeField;
use revm::primitives::Address;
use zkcomply_benches::evm::{
    compile, compile_with, deploy_gate, render_snarkjs_verifier, snarkjs_verify_signature, Chain, Compiled, Outcome,
    SolcSettings,
};
use zkcomply_benches::BenchFixture;
use zkcomply_circuits::field::parse_fr;
use zkcomply_circuits::Fr;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::KeysDir;
use zkcomply_verifier::bundle::Bundle;
use zkcomply_verifier::keys::VerifyingKeyFile;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::solidity::abi::{self, selector, Call};
use zkcomply_verifier::solidity::calldata::{gate_arguments, GateArguments};
use zkcomply_verifier::solidity::policy_calls::policy_calls;
use zkcomply_verifier::solidity::words::{word, word_bool, word_u128};
use zkcomply_verifier::solidity::{export, write_dir};

const OWNER: Address = Address::new([0x0a; 20]);
const EXCHANGE: Address = Address::new([0x0b; 20]);
const STRANGER: Address = Address::new([0x0c; 20]);

/// Gas targets of the issue: verifyProof and the whole gate call.
const VERIFY_PROOF_GAS_TARGET: u64 = 240_000;
const GATE_GAS_TARGET: u64 = 350_000;

/// Everything the tests share: a demo run (real setup, real proofs), its
/// policy and key, a second bundle of the same holder in the same epoch,
/// and the exported contracts, compiled with the recommended settings.
struct World {
    _fixture: BenchFixture,
    vk: VerifyingKeyFile,
    bundle: Bundle,
    second: Bundle,
    policy: Policy,
    /// The exported `.sol` files (for [`compiled_with`]).
    sources: tempfile::TempDir,
    compiled: Compiled,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let fixture = BenchFixture::new();
        let bundle = Bundle::from_json(&std::fs::read_to_string(fixture.path("bundle.json")).unwrap()).unwrap();
        let policy = Policy::from_json(&std::fs::read_to_string(fixture.path("policy.json")).unwrap()).unwrap();
        let vk =
            VerifyingKeyFile::from_json(&std::fs::read_to_string(fixture.path("verifying_key.json")).unwrap()).unwrap();
        // A second withdrawal of the same holder in the same epoch: same nullifier, new context.
        let mut request = fixture.request();
        request.withdrawal.withdrawal_id = "w-2026-000124".into();
        let keys = KeysDir::load(&fixture.keys_dir()).unwrap();
        let second = prove_bundle(&request, &keys).unwrap();
        assert_eq!(second.public.nullifier, bundle.public.nullifier);

        let sources = tempfile::tempdir().unwrap();
        write_dir(&export(&vk).unwrap(), sources.path()).unwrap();
        let compiled = compile(sources.path()).unwrap_or_else(|e| panic!("{e}"));
        World { _fixture: fixture, vk, bundle, second, policy, sources, compiled }
    })
}

/// The world's contracts compiled with `settings`, once per settings block
/// (the world's own compilation for the recommended ones).
fn compiled_with(settings: SolcSettings) -> &'static Compiled {
    static OTHERS: [OnceLock<Compiled>; SolcSettings::ALL.len()] = [const { OnceLock::new() }; SolcSettings::ALL.len()];
    let w = world();
    if settings == w.compiled.settings {
        return &w.compiled;
    }
    let i = SolcSettings::ALL.iter().position(|s| *s == settings).expect("every settings block is in ALL");
    OTHERS[i].get_or_init(|| compile_with(w.sources.path(), settings).unwrap_or_else(|e| panic!("{e}")))
}

/// A chain with the parts and a gate deployed, configured from the demo
/// policy, the demo's statement approved, the clock at the bundle's time.
struct Deployed {
    chain: Chain,
    gate: Address,
    verifier: Address,
    /// The settings the contracts were compiled with.
    settings: SolcSettings,
}

fn deploy() -> Deployed {
    deploy_with(&world().compiled)
}

/// As [`deploy`], from contracts compiled with other settings.
fn deploy_with(compiled: &Compiled) -> Deployed {
    let w = world();
    let mut chain = Chain::new();
    if compiled.settings == SolcSettings::Unoptimized {
        // Without the optimizer the gate is over EIP-170's 24 KB (docs/ONCHAIN.md).
        chain.allow_large_contracts();
    }
    chain.set_timestamp(w.bundle.withdrawal.now.0);
    let g = deploy_gate(&mut chain, compiled, OWNER, &w.policy, &args(&w.bundle))
        .unwrap_or_else(|e| panic!("{} settings: {e}", compiled.settings));
    Deployed { chain, gate: g.gate, verifier: g.verifier, settings: compiled.settings }
}

fn args(bundle: &Bundle) -> GateArguments {
    gate_arguments(bundle).unwrap()
}

fn withdraw(d: &mut Deployed, a: &GateArguments) -> Outcome {
    d.chain.call(EXCHANGE, d.gate, a.withdraw().encode())
}

fn fr_word(x: u64) -> [u8; 32] {
    word(&Fr::from(x))
}

/// `x + r` as a word (above the field, same residue).
fn plus_modulus(x: &Fr) -> [u8; 32] {
    use ark_ff::BigInteger;
    let mut v = x.into_bigint();
    v.add_with_carry(&Fr::MODULUS);
    let bytes = v.to_bytes_be();
    let mut out = [0u8; 32];
    out[32 - bytes.len()..].copy_from_slice(&bytes);
    out
}

fn expect_error(out: &Outcome, signature: &str) {
    assert!(
        out.reverted_with(signature),
        "expected revert {signature}, got success={} output=0x{}",
        out.success,
        hex::encode(&out.output)
    );
}

/// The withdraw call with one word replaced (word index in the flattened
/// arguments: proof 0..8, withdrawal 8..15, statement 15..33, signals 33..37).
fn withdraw_with(d: &mut Deployed, a: &GateArguments, index: usize, value: [u8; 32]) -> Outcome {
    let mut call = a.withdraw();
    call.words[index] = value;
    d.chain.call(EXCHANGE, d.gate, call.encode())
}

#[test]
fn selectors_match_solc() {
    let w = world();
    let gate = &w.compiled.get("ComplianceGate").unwrap().selectors;
    for signature in [
        abi::WITHDRAW,
        abi::APPROVE_STATEMENT,
        abi::SET_RULES,
        abi::SET_BLOCKED_JURISDICTIONS,
        abi::SET_ISSUER,
        abi::SET_SANCTIONS_ROOT,
        abi::SET_REVOCATION_ROOT,
        abi::SET_ASSET,
        abi::CONTEXT_OF,
        abi::VERIFY_PROOF,
    ] {
        assert_eq!(
            gate.get(signature).map(String::as_str),
            Some(hex::encode(selector(signature)).as_str()),
            "{signature}"
        );
    }
}

/// Every contract fits EIP-170's 24 KB with the optimizer and with via-IR.
/// Without the optimizer the gate (with `withdrawBatch`) is over it: it
/// compiles and runs where the limit is lifted, and ONCHAIN.md says to
/// deploy it optimized; every other contract fits.
#[test]
fn contract_sizes_fit_eip_170() {
    for settings in SolcSettings::ALL {
        for (name, c) in &compiled_with(settings).contracts {
            if settings == SolcSettings::Unoptimized && name == "ComplianceGate" {
                assert!(c.runtime_size > 24_576, "the gate fits unoptimized now: update ONCHAIN.md");
                continue;
            }
            assert!(c.runtime_size <= 24_576, "{settings} settings: {name} is {} bytes", c.runtime_size);
        }
    }
}

#[test]
fn context_hash_agrees_with_circomlibjs_and_the_native_hash() {
    check_context_hash(&mut deploy());
}

#[test]
fn every_settings_block_gives_a_working_gate() {
    let w = world();
    let a = args(&w.bundle);
    for settings in SolcSettings::ALL {
        let mut d = deploy_with(compiled_with(settings));
        // A lower amount: another context, which the proof does not fit.
        let tampered = withdraw_with(&mut d, &a, 8 + 6, word(&(a.withdrawal[6] - Fr::from(1u8))));
        assert!(tampered.reverted_with("ProofInvalid()"), "{settings} settings: {tampered:?}");
        let out = withdraw(&mut d, &a);
        assert!(out.success, "{settings} settings: withdraw reverted: 0x{}", hex::encode(&out.output));
        assert_eq!(out.word(0).unwrap(), word(&a.public_inputs().context), "{settings} settings");
        let again = withdraw(&mut d, &a);
        assert!(again.reverted_with("ContextAlreadyUsed(uint256)"), "{settings} settings: {again:?}");
        check_context_hash(&mut d);
        println!("{settings} settings: withdraw {} execution gas", out.execution_gas);
    }
}

/// `contextOf` gives circomlibjs's hash on its vectors and the native hash
/// on random inputs (values near r among them), and refuses an input at or
/// above r.
fn check_context_hash(d: &mut Deployed) {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("../../data/vectors/circomlibjs-poseidon-eddsa.json")).unwrap();
    let mut checked = 0;
    for case in vectors["poseidon"].as_array().unwrap() {
        let inputs: Vec<Fr> =
            case["inputs"].as_array().unwrap().iter().map(|s| parse_fr(s.as_str().unwrap()).unwrap()).collect();
        if inputs.len() != 7 {
            continue;
        }
        let call = Call { function: abi::CONTEXT_OF, words: inputs.iter().map(word).collect() };
        let out = d.chain.call(STRANGER, d.gate, call.encode());
        assert!(out.success, "{} settings: {out:?}", d.settings);
        assert_eq!(
            out.word(0).unwrap(),
            word(&parse_fr(case["hash"].as_str().unwrap()).unwrap()),
            "{} settings",
            d.settings
        );
        checked += 1;
    }
    assert!(checked >= 2);
    // Random inputs, including values near r, against the native hash.
    let mut rng = rand::thread_rng();
    for round in 0..20 {
        let inputs: Vec<Fr> = (0..7)
            .map(|i| {
                if round % 4 == 0 && i % 2 == 0 {
                    -Fr::from(1u8 + i as u8)
                } else {
                    <Fr as ark_ff::UniformRand>::rand(&mut rng)
                }
            })
            .collect();
        let call = Call { function: abi::CONTEXT_OF, words: inputs.iter().map(word).collect() };
        let out = d.chain.call(STRANGER, d.gate, call.encode());
        let expected = zkcomply_circuits::poseidon::hash(&inputs).unwrap();
        assert_eq!(out.word(0).unwrap(), word(&expected), "{} settings, inputs {inputs:?}", d.settings);
    }
    // An input at or above r is refused, not reduced.
    let mut words: Vec<[u8; 32]> = (1..=7).map(fr_word).collect();
    words[3] = plus_modulus(&Fr::from(4u8));
    let out = d.chain.call(STRANGER, d.gate, Call { function: abi::CONTEXT_OF, words }.encode());
    expect_error(&out, "WithdrawalValueOutOfRange(uint256)");
}

#[test]
fn a_valid_bundle_passes_within_the_gas_targets() {
    let w = world();
    let mut d = deploy();
    let a = args(&w.bundle);

    // verifyProof alone, on the stand-alone verifier contract.
    let context = a.public_inputs().context;
    let verify = d.chain.call(STRANGER, d.verifier, a.verify_proof().encode());
    assert!(verify.success, "{verify:?}");
    assert_eq!(verify.word(0).unwrap(), word_bool(true));

    let out = withdraw(&mut d, &a);
    assert!(out.success, "withdraw reverted: 0x{}", hex::encode(&out.output));
    assert_eq!(out.word(0).unwrap(), word(&context));
    assert_eq!(out.logs.len(), 1);
    assert_eq!(out.logs[0].topics()[1].0, word(&context));
    assert_eq!(out.logs[0].topics()[2].0, word(&a.signals[0]));
    println!(
        "verifyProof: {} execution gas ({} as a transaction); withdraw: {} execution gas ({} as a transaction)",
        verify.execution_gas, verify.tx_gas, out.execution_gas, out.tx_gas
    );
    assert!(verify.execution_gas < VERIFY_PROOF_GAS_TARGET, "verifyProof took {}", verify.execution_gas);
    assert!(out.execution_gas < GATE_GAS_TARGET, "withdraw took {}", out.execution_gas);

    // The same bundle again: a replay.
    let again = withdraw(&mut d, &a);
    expect_error(&again, "ContextAlreadyUsed(uint256)");
}

#[test]
fn edited_public_values_fail_the_proof() {
    let w = world();
    let mut d = deploy();
    let a = args(&w.bundle);
    // The amount (withdrawal word 6): the context changes, the proof no longer fits.
    let amount = a.withdrawal[6];
    expect_error(&withdraw_with(&mut d, &a, 8 + 6, word(&(amount - Fr::from(1u8)))), "ProofInvalid()");
    // The destination.
    expect_error(&withdraw_with(&mut d, &a, 8 + 4, fr_word(0x1234)), "ProofInvalid()");
    // The nullifier (signal 0): a fresh total for the same holder.
    expect_error(&withdraw_with(&mut d, &a, 33, fr_word(7)), "ProofInvalid()");
    // The disclosed jurisdiction.
    expect_error(&withdraw_with(&mut d, &a, 36, fr_word(276)), "ProofInvalid()");
    // The original still passes afterwards: nothing was recorded by the failures.
    assert!(withdraw(&mut d, &a).success);
}

#[test]
fn values_at_or_above_the_modulus_are_refused() {
    let w = world();
    let mut d = deploy();
    let a = args(&w.bundle);
    // nullifier + r: the same residue, so a precompile alone would accept it.
    let out = withdraw_with(&mut d, &a, 33, plus_modulus(&a.signals[0]));
    expect_error(&out, "PublicInputOutOfRange(uint256)");
    assert_eq!(out.word(0).unwrap(), fr_word(2));
    // A withdrawal field + r.
    let out = withdraw_with(&mut d, &a, 8 + 2, plus_modulus(&a.withdrawal[2]));
    expect_error(&out, "WithdrawalValueOutOfRange(uint256)");
    assert_eq!(out.word(0).unwrap(), fr_word(2));
    // An amount of 2^128.
    let mut two_to_128 = [0u8; 32];
    two_to_128[15] = 1;
    let out = withdraw_with(&mut d, &a, 8 + 6, two_to_128);
    expect_error(&out, "WithdrawalValueOutOfRange(uint256)");
    // A proof coordinate at or above q.
    let out = withdraw_with(&mut d, &a, 7, [0xff; 32]);
    expect_error(&out, "ProofCoordinateOutOfRange(uint256)");
    assert_eq!(out.word(0).unwrap(), fr_word(7));
}

#[test]
fn proof_points_off_the_curve_are_refused() {
    let w = world();
    let mut d = deploy();
    let a = args(&w.bundle);
    let bump = |x: [u8; 32]| {
        let mut y = x;
        y[31] ^= 1;
        y
    };
    for (index, point) in [(1usize, 0u64), (5, 1), (2, 1), (7, 2)] {
        let out = withdraw_with(&mut d, &a, index, bump(a.proof[index]));
        expect_error(&out, "ProofPointNotOnCurve(uint256)");
        assert_eq!(out.word(0).unwrap(), fr_word(point), "word {index}");
    }
    // The point at infinity as A.
    let mut call = a.withdraw();
    call.words[0] = [0; 32];
    call.words[1] = [0; 32];
    expect_error(&d.chain.call(EXCHANGE, d.gate, call.encode()), "ProofPointNotOnCurve(uint256)");
    // A and C swapped: on the curve, wrong proof.
    let mut call = a.withdraw();
    call.words.swap(0, 6);
    call.words.swap(1, 7);
    expect_error(&d.chain.call(EXCHANGE, d.gate, call.encode()), "ProofInvalid()");
}

#[test]
fn the_epoch_cap_counts_every_withdrawal_of_a_nullifier() {
    let w = world();
    let mut d = deploy();
    let first = args(&w.bundle);
    let second = args(&w.second);
    assert_eq!(first.signals[0], second.signals[0], "same holder, same epoch");
    assert_ne!(first.withdrawal[2], second.withdrawal[2]);
    // Cap the asset at 1.5 withdrawals' worth (the policy's other values unchanged).
    let amount = w.bundle.withdrawal.amount.0;
    let asset = &w.policy.limits.as_ref().unwrap()[&w.bundle.withdrawal.asset];
    let mut words = vec![word(&first.asset_key)];
    words.extend(asset.iter().map(|l| word_u128(l.0)));
    words.push(word_u128(amount + amount / 2));
    words.push(word_bool(true));
    assert!(d.chain.call(OWNER, d.gate, Call { function: abi::SET_ASSET, words }.encode()).success);
    // setAsset tightened the policy: the old approval no longer counts.
    expect_error(&withdraw(&mut d, &first), "StatementNotApproved(bytes32)");
    assert!(d.chain.call(OWNER, d.gate, first.approve_statement().encode()).success);

    let out = withdraw(&mut d, &first);
    assert!(out.success, "0x{}", hex::encode(&out.output));
    let out = withdraw(&mut d, &second);
    expect_error(&out, "EpochCapExceeded(uint256,uint256,uint256)");
    assert_eq!(out.word(1).unwrap(), word_u128(2 * amount));
    assert_eq!(out.word(2).unwrap(), word_u128(amount + amount / 2));
    // Under a cap that fits both, the second passes and the total is the sum.
    let mut d = deploy();
    assert!(withdraw(&mut d, &first).success);
    let out = withdraw(&mut d, &second);
    assert!(out.success, "0x{}", hex::encode(&out.output));
    assert_eq!(out.logs[0].data.data[128..160], word_u128(2 * amount));
    // Totals are per asset: another asset's total for the same nullifier is untouched.
    let total_of = |d: &mut Deployed, asset: [u8; 32]| {
        let call = Call { function: "epochTotalOf(uint256,uint256)", words: vec![word(&first.signals[0]), asset] };
        d.chain.call(STRANGER, d.gate, call.encode()).word(0).unwrap()
    };
    assert_eq!(total_of(&mut d, word(&first.asset_key)), word_u128(2 * amount));
    assert_eq!(total_of(&mut d, fr_word(12345)), word_u128(0));
}

#[test]
fn policy_rules_revert_with_their_errors() {
    let w = world();
    let a = args(&w.bundle);
    let owner_call = |d: &mut Deployed, function: &'static str, words: Vec<[u8; 32]>| {
        let out = d.chain.call(OWNER, d.gate, Call { function, words }.encode());
        assert!(out.success, "{function}: 0x{}", hex::encode(&out.output));
    };

    // An unknown address sanctions root: the owner stops accepting the bundle's root.
    let mut d = deploy();
    owner_call(&mut d, abi::SET_SANCTIONS_ROOT, vec![word_u128(1), word(&a.statement[8]), word_bool(false)]);
    let out = withdraw(&mut d, &a);
    expect_error(&out, "RootNotAccepted(uint8,uint256)");
    assert_eq!(out.word(0).unwrap(), word_u128(1));
    // ... and the owner cannot approve it either.
    expect_error(&d.chain.call(OWNER, d.gate, a.approve_statement().encode()), "RootNotAccepted(uint8,uint256)");

    // An unknown identity root and an unknown revocation root.
    let mut d = deploy();
    owner_call(&mut d, abi::SET_SANCTIONS_ROOT, vec![word_u128(0), word(&a.statement[7]), word_bool(false)]);
    expect_error(&withdraw(&mut d, &a), "RootNotAccepted(uint8,uint256)");
    let mut d = deploy();
    owner_call(
        &mut d,
        abi::SET_REVOCATION_ROOT,
        vec![word(&a.statement[0]), word(&a.statement[1]), word(&a.statement[9]), word_bool(false)],
    );
    let out = withdraw(&mut d, &a);
    expect_error(&out, "RootNotAccepted(uint8,uint256)");
    assert_eq!(out.word(0).unwrap(), word_u128(2));

    // An unlisted issuer.
    let mut d = deploy();
    owner_call(&mut d, abi::SET_ISSUER, vec![word(&a.statement[0]), word(&a.statement[1]), word_bool(false)]);
    expect_error(&withdraw(&mut d, &a), "IssuerNotAccepted(uint256,uint256)");

    // A stricter minimum tier, a blocked jurisdiction the proof does not exclude,
    // a tighter limit, another exchange, a required disclosure.
    let exchange_key = a.withdrawal[1];
    let epoch_seconds = w.policy.epoch_seconds.unwrap();
    let rules = |tier: u64, exchange: Fr, disclose: bool| {
        vec![word(&exchange), fr_word(tier), fr_word(epoch_seconds), fr_word(300), word_bool(disclose)]
    };
    let mut d = deploy();
    owner_call(&mut d, abi::SET_RULES, rules(3, exchange_key, false));
    expect_error(&withdraw(&mut d, &a), "TierTooLow(uint256,uint256)");
    let mut d = deploy();
    owner_call(&mut d, abi::SET_BLOCKED_JURISDICTIONS, [408u64, 364, 643, 0, 0, 0, 0, 0].map(fr_word).to_vec());
    let out = withdraw(&mut d, &a);
    expect_error(&out, "JurisdictionNotBlocked(uint256)");
    assert_eq!(out.word(0).unwrap(), fr_word(643));
    let mut d = deploy();
    let mut words = vec![word(&a.asset_key), word_u128(0), word_u128(1), word_u128(1), word_u128(1)];
    words.extend([word_u128(u128::MAX), word_bool(true)]);
    owner_call(&mut d, abi::SET_ASSET, words);
    expect_error(&withdraw(&mut d, &a), "LimitAbovePolicy(uint256,uint256,uint256)");
    let mut d = deploy();
    owner_call(&mut d, abi::SET_RULES, rules(2, Fr::from(99u8), false));
    expect_error(&withdraw(&mut d, &a), "ExchangeMismatch(uint256,uint256)");
    let mut d = deploy();
    owner_call(&mut d, abi::SET_RULES, rules(2, exchange_key, true));
    expect_error(&withdraw(&mut d, &a), "JurisdictionDisclosureRequired()");

    // A withdrawal for another chain than the gate's.
    let mut d = deploy();
    let out = withdraw_with(&mut d, &a, 8, fr_word(5));
    expect_error(&out, "ChainMismatch(uint256,uint256)");
    assert_eq!(out.word(1).unwrap(), fr_word(1));
    // Rules that cannot hold: a clock tolerance over half an epoch (three
    // epochs at one block time), up to a whole epoch or more.
    let out =
        d.chain.call(OWNER, d.gate, Call { function: abi::SET_RULES, words: rules(2, exchange_key, false) }.encode());
    assert!(out.success);
    for tolerance in [epoch_seconds / 2 + 1, epoch_seconds - 1, epoch_seconds] {
        let mut too_loose = rules(2, exchange_key, false);
        too_loose[3] = fr_word(tolerance);
        let out = d.chain.call(OWNER, d.gate, Call { function: abi::SET_RULES, words: too_loose }.encode());
        expect_error(&out, "InvalidRules()");
    }
    let mut half = rules(2, exchange_key, false);
    half[3] = fr_word(epoch_seconds / 2);
    assert!(d.chain.call(OWNER, d.gate, Call { function: abi::SET_RULES, words: half }.encode()).success);

    // A wrong epoch, and a proof made too long ago.
    let mut d = deploy();
    expect_error(&withdraw_with(&mut d, &a, 34, fr_word(1)), "EpochMismatch(uint256,uint256)");
    d.chain.set_timestamp(w.bundle.withdrawal.now.0 + 301);
    expect_error(&withdraw(&mut d, &a), "ClockSkew(uint256,uint256)");

    // A statement the policy accepts but whose hash the owner never approved.
    // (The tier-1 limit, statement word 4, lowered by one: still within the policy.)
    let mut d = deploy();
    let mut call = a.withdraw();
    call.words[15 + 4] = word_u128(w.bundle.public.limits[1].0 - 1);
    expect_error(&d.chain.call(EXCHANGE, d.gate, call.encode()), "StatementNotApproved(bytes32)");
}

#[test]
fn only_the_owner_changes_the_policy() {
    let w = world();
    let mut d = deploy();
    let a = args(&w.bundle);
    for call in policy_calls(&w.policy).unwrap() {
        let out = d.chain.call(STRANGER, d.gate, hex::decode(&call.calldata[2..]).unwrap());
        expect_error(&out, "NotOwner()");
    }
    expect_error(&d.chain.call(STRANGER, d.gate, a.approve_statement().encode()), "NotOwner()");
    // An approval with a wrong hash cannot make a proof pass: the proof is checked against it.
    let mut approve = a.approve_statement();
    let last = approve.words.len() - 1;
    approve.words[last] = fr_word(12345);
    assert!(d.chain.call(OWNER, d.gate, approve.encode()).success);
    expect_error(&withdraw(&mut d, &a), "ProofInvalid()");
}

#[test]
fn snarkjs_verifier_accepts_the_same_proof() {
    // snarkjs's own Solidity template, rendered for the same key: code we did
    // not write accepts the prover's proof in the calldata encoding, and
    // refuses it for another context.
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    render_snarkjs_verifier(&w.vk.prepared.as_groth16().unwrap().vk, dir.path()).unwrap();
    let compiled = compile(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let mut chain = Chain::new();
    let verifier = chain.deploy(OWNER, &compiled.get("Groth16Verifier").unwrap().bytecode, &[]).unwrap();
    let a = args(&w.bundle);
    let signature: &'static str = Box::leak(snarkjs_verify_signature(6).into_boxed_str());
    let call = Call { function: signature, ..a.verify_proof() };
    let out = chain.call(STRANGER, verifier, call.encode());
    assert!(out.success, "{out:?}");
    assert_eq!(out.word(0).unwrap(), word_bool(true));
    // Word 9: the context, second public input after the eight proof words.
    let mut other = call;
    other.words[9] = word(&(a.public_inputs().context + Fr::from(1u8)));
    let out = chain.call(STRANGER, verifier, other.encode());
    assert_eq!(out.word(0).unwrap(), word_bool(false));
}
