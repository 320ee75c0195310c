//! `zkcomply prove-batch` and `zkcomply-verify verify` on batch bundles,
//! end to end: a batch is proved and every item accepted; refused items
//! are named with their index and reason before proving (exit 1, nothing
//! written) unless `--drop-refused` leaves them out; a tampered or
//! duplicated item is rejected alone, the others still accepted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin).args(args).output().unwrap()
}

fn zkcomply(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_zkcomply"), args)
}

fn verify_cli(args: &[&str]) -> Output {
    // zkcomply-verify is built beside zkcomply.
    let bin = Path::new(env!("CARGO_BIN_EXE_zkcomply")).with_file_name("zkcomply-verify");
    run(bin.to_str().unwrap(), args)
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The demo's inputs, 4-slot batch keys (the smaller circuit: faster
/// setup), and a policy that pins both the single and the batch key.
struct World {
    dir: tempfile::TempDir,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let out = zkcomply(&["demo", "--out", d.to_str().unwrap()]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
        let keys = d.join("keys4");
        let out = zkcomply(&["setup", "--batch", "4", "--out", keys.to_str().unwrap()]);
        assert!(out.status.success(), "setup: {}", String::from_utf8_lossy(&out.stderr));
        let batch_key = read(&keys.join("manifest.json"))["verifying_key_hash"].clone();
        let mut policy = read(&d.join("policy.json"));
        let single_key = policy.as_object_mut().unwrap().remove("verifying_key_hash").unwrap();
        policy["verifying_keys"] = json!({ "groth16-bn254": [single_key, batch_key] });
        std::fs::write(d.join("batch_policy.json"), policy.to_string()).unwrap();
        World { dir }
    })
}

impl World {
    fn path(&self, f: &str) -> PathBuf {
        self.dir.path().join(f)
    }
    fn now(&self) -> String {
        read(&self.path("withdrawal.json"))["now"].to_string()
    }
}

/// `n` withdrawals like the demo's, each its own id, destination and amount.
fn withdrawals(n: usize) -> Vec<Value> {
    let base = read(&world().path("withdrawal.json"));
    (0..n)
        .map(|i| {
            let mut w = base.clone();
            w["withdrawal_id"] = json!(format!("payout-{i}"));
            w["destination_address"] = json!(format!("0x{:040x}", 0x5000 + i));
            w["amount"] = json!((1_000_000_000_000_000u128 * (i as u128 + 1)).to_string());
            w
        })
        .collect()
}

/// Runs prove-batch on `items` in a fresh directory; returns the output
/// and the directory (with `batch.json` when proved).
fn prove_batch(items: &[Value], extra: &[&str]) -> (Output, tempfile::TempDir) {
    prove_batch_with_keys(items, &world().path("keys4"), extra)
}

fn prove_batch_with_keys(items: &[Value], keys: &Path, extra: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("withdrawals.json");
    std::fs::write(&list, serde_json::to_string(items).unwrap()).unwrap();
    let w = world();
    let p = |f: &str| w.path(f).to_str().unwrap().to_string();
    let out_path = dir.path().join("batch.json");
    let mut args: Vec<String> = [
        "prove-batch",
        "--credential",
        &p("credential.json"),
        "--withdrawals",
        list.to_str().unwrap(),
        "--policy",
        &p("policy.json"),
        "--identity-tree",
        &p("identity_tree.json"),
        "--address-tree",
        &p("address_tree.json"),
        "--revocation-tree",
        &p("revocation_tree.json"),
        "--keys",
        keys.to_str().unwrap(),
        "--out",
        out_path.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    (zkcomply(&args), dir)
}

fn verify_json(bundle: &Path) -> (Option<i32>, Value) {
    let w = world();
    let out = verify_cli(&[
        "verify",
        bundle.to_str().unwrap(),
        "--policy",
        w.path("batch_policy.json").to_str().unwrap(),
        "--vk",
        w.path("keys4/verifying_key.json").to_str().unwrap(),
        "--at",
        &w.now(),
        "--json",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    (out.status.code(), serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}")))
}

fn assert_nothing_written(dir: &Path) {
    let names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["withdrawals.json".to_string()], "only the input may be there");
}

#[test]
fn a_batch_is_proved_and_every_item_accepted() {
    let (out, dir) = prove_batch(&withdrawals(3), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bundle = read(&dir.path().join("batch.json"));
    assert_eq!(bundle["version"], json!("zkcomply/batch-bundle/v1"));
    assert_eq!(bundle["circuit_id"], json!("zkcomply/batch-withdrawal/v1/depth-20/slots-4"));
    let inputs = bundle["public_inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 5 + 4);
    assert_eq!(inputs[8], json!("0"), "the empty slot's context is 0");
    // One nullifier for the holder: the single bundle's.
    assert_eq!(bundle["public"]["nullifier"], read(&world().path("bundle.json"))["public"]["nullifier"]);

    let (code, verdict) = verify_json(&dir.path().join("batch.json"));
    assert_eq!(code, Some(0), "{verdict}");
    assert_eq!(verdict["accepted"], json!(true));
    let items = verdict["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["accepted"], json!(true));
        assert_eq!(item["withdrawal_id"], json!(format!("payout-{i}")));
        assert_eq!(item["context"], inputs[5 + i]);
    }

    // Text output: one line per item.
    let w = world();
    let out = verify_cli(&[
        "verify",
        dir.path().join("batch.json").to_str().unwrap(),
        "--policy",
        w.path("batch_policy.json").to_str().unwrap(),
        "--vk",
        w.path("keys4/verifying_key.json").to_str().unwrap(),
        "--at",
        &w.now(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("item 2 (payout-2): accepted") && text.contains("3 of 3 withdrawals accepted"), "{text}");
}

#[test]
fn refused_items_are_named_with_index_and_reason_and_nothing_is_proved() {
    let mut items = withdrawals(4);
    items[1]["amount"] = json!("20000000000000000000"); // over the tier-2 limit (10^19)
    items[2]["withdrawal_id"] = json!("payout-0"); // item 0's id
    items[3]["source_address"] = json!("0x3333333333333333333333333333333333333333");
    let (out, dir) = prove_batch(&items, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("3 of the batch's items cannot be proved"), "{stderr}");
    assert!(stderr.contains("item 1 (\"payout-1\"): amount"), "{stderr}");
    assert!(stderr.contains("item 2 (\"payout-0\"): its withdrawal_id is item 0's"), "{stderr}");
    assert!(stderr.contains("item 3 (\"payout-3\"): its source address differs"), "{stderr}");
    assert!(stderr.contains("--drop-refused"), "{stderr}");
    assert_nothing_written(dir.path());

    // --drop-refused proves the one item left and says what it left out.
    let (out, dir) = prove_batch(&items, &["--drop-refused"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("left out: item").count(), 3, "{stderr}");
    let bundle = read(&dir.path().join("batch.json"));
    assert_eq!(bundle["withdrawals"].as_array().unwrap().len(), 1);
    assert_eq!(verify_json(&dir.path().join("batch.json")).0, Some(0));

    // Every item refused: nothing to prove even with --drop-refused.
    let mut all_bad = withdrawals(2);
    for w in &mut all_bad {
        w["amount"] = json!("20000000000000000000");
    }
    let (out, dir) = prove_batch(&all_bad, &["--drop-refused"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to prove"));
    assert_nothing_written(dir.path());
}

#[test]
fn bad_lists_and_keys_are_errors_naming_the_problem() {
    // More items than the keys' slots.
    let (out, dir) = prove_batch(&withdrawals(5), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("do not fit a batch of 4 slots"));
    assert_nothing_written(dir.path());
    // A malformed item is named by its index and field.
    let mut items = withdrawals(2);
    items[1]["amount"] = json!("-1");
    let (out, _) = prove_batch(&items, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("[1].amount"), "{stderr}");
    // An empty list.
    let (out, _) = prove_batch(&[], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 to 16 withdrawals"));
    // The single circuit's keys are not batch keys.
    let (out, _) = prove_batch_with_keys(&withdrawals(1), &world().path("keys"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("batch-withdrawal"), "{stderr}");
    // halo2 has no batch circuit.
    let keys = tempfile::tempdir().unwrap();
    let out = zkcomply(&["setup", "--batch", "4", "--backend", "halo2", "--out", keys.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let out = zkcomply(&["setup", "--batch", "5", "--out", keys.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn tampered_and_duplicated_items_are_rejected_alone() {
    let (out, dir) = prove_batch(&withdrawals(4), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.path().join("batch.json");
    let honest = read(&path);
    let edit = |edit: &dyn Fn(&mut Value)| {
        let mut b = honest.clone();
        edit(&mut b);
        let p = dir.path().join("edited.json");
        std::fs::write(&p, b.to_string()).unwrap();
        verify_json(&p)
    };
    // One item's amount edited: that item fails its context, the others pass.
    let (code, v) = edit(&|b| b["withdrawals"][2]["amount"] = json!("1"));
    assert_eq!(code, Some(1));
    assert_eq!(v["accepted"], json!(false));
    assert_eq!(v["batch"]["accepted"], json!(true));
    let accepted: Vec<bool> = v["items"].as_array().unwrap().iter().map(|i| i["accepted"] == json!(true)).collect();
    assert_eq!(accepted, [true, true, false, true]);
    assert_eq!(v["items"][2]["failed_check"], json!("context"));
    // A duplicated withdrawal_id: the later item is rejected.
    let (code, v) = edit(&|b| b["withdrawals"][3]["withdrawal_id"] = json!("payout-1"));
    assert_eq!(code, Some(1));
    assert_eq!(v["items"][3]["failed_check"], json!("distinct_items"));
    assert_eq!(v["items"][1]["accepted"], json!(true));
    // An item dropped from the bundle: its slot's context is not 0.
    let (code, v) = edit(&|b| {
        b["withdrawals"].as_array_mut().unwrap().pop();
    });
    assert_eq!(code, Some(1));
    assert_eq!(v["batch"]["failed_check"], json!("batch_items"));
    // A shared field edited on one item.
    let (_, v) = edit(&|b| b["withdrawals"][1]["asset"] = json!("BTC"));
    assert_eq!(v["batch"]["failed_check"], json!("batch_items"));
    // A public input edited: the proof fails and every item with it.
    let (_, v) = edit(&|b| b["public_inputs"][5] = json!("1"));
    assert!(v["items"].as_array().unwrap().iter().all(|i| i["accepted"] == json!(false)));
    let (_, v) = edit(&|b| b["proof"] = json!(honest["proof"].as_str().unwrap().replace('A', "B")));
    assert_eq!(v["accepted"], json!(false));
    // The single key for a batch bundle: refused by the key checks.
    let w = world();
    let out = verify_cli(&[
        "verify",
        path.to_str().unwrap(),
        "--policy",
        w.path("batch_policy.json").to_str().unwrap(),
        "--vk",
        w.path("verifying_key.json").to_str().unwrap(),
        "--at",
        &w.now(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    // --explain takes single bundles.
    let (policy, vk) = (w.path("batch_policy.json"), w.path("keys4/verifying_key.json"));
    let out = verify_cli(&[
        "verify",
        path.to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
        "--vk",
        vk.to_str().unwrap(),
        "--explain",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("batch bundle"));
}

/// `zkcomply demo --batch`: 16 payroll withdrawals proved in one batch,
/// accepted item by item under the demo's policy (which pins both keys).
#[test]
fn the_demo_proves_a_payroll_of_sixteen() {
    let dir = tempfile::tempdir().unwrap();
    let out = zkcomply(&["demo", "--out", dir.path().to_str().unwrap(), "--batch"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("16 withdrawals, one proof"), "{stdout}");
    let batch = dir.path().join("batch");
    assert_eq!(read(&batch.join("withdrawals.json")).as_array().unwrap().len(), 16);
    let bundle = read(&batch.join("batch_bundle.json"));
    assert_eq!(bundle["circuit_id"], json!("zkcomply/batch-withdrawal/v1/depth-20/slots-16"));
    let out = verify_cli(&[
        "verify",
        batch.join("batch_bundle.json").to_str().unwrap(),
        "--policy",
        dir.path().join("policy.json").to_str().unwrap(),
        "--vk",
        batch.join("verifying_key.json").to_str().unwrap(),
        "--json",
    ]);
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{verdict}");
    assert_eq!(verdict["items"].as_array().unwrap().len(), 16);
    // The single bundle still verifies under the same policy.
    let out = verify_cli(&[
        "verify",
        dir.path().join("bundle.json").to_str().unwrap(),
        "--policy",
        dir.path().join("policy.json").to_str().unwrap(),
        "--vk",
        dir.path().join("verifying_key.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
}

/// `verify --log` writes one record per item, each tied to the batch
/// proof; the audit re-verifies the batch proof once, and counts replays
/// and caps per item.
#[test]
fn the_log_records_each_item_and_the_audit_counts_them() {
    let (out, dir) = prove_batch(&withdrawals(3), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let w = world();
    let log = dir.path().join("log.jsonl");
    let (policy, vk4, vk1) =
        (w.path("batch_policy.json"), w.path("keys4/verifying_key.json"), w.path("verifying_key.json"));
    let verify_logged = |bundle: &Path, vk: &Path| {
        verify_cli(&[
            "verify",
            bundle.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "--vk",
            vk.to_str().unwrap(),
            "--at",
            &w.now(),
            "--log",
            log.to_str().unwrap(),
        ])
    };
    assert_eq!(verify_logged(&dir.path().join("batch.json"), &vk4).status.code(), Some(0));
    // The demo's single bundle of the same holder: one more record.
    assert_eq!(verify_logged(&w.path("bundle.json"), &vk1).status.code(), Some(0));
    let lines: Vec<Value> =
        std::fs::read_to_string(&log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    for (i, line) in lines[..3].iter().enumerate() {
        assert_eq!(line["batch_item"]["index"], json!(i));
        assert_eq!(line["batch_item"]["batch"]["proof"], read(&dir.path().join("batch.json"))["proof"]);
        assert!(line.get("bundle").is_none());
    }
    assert!(lines[3]["bundle"].is_object());

    let audit = |log: &Path, policy: &Path| {
        let out = verify_cli(&[
            "audit",
            log.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "--vk",
            vk4.to_str().unwrap(),
            "--vk",
            vk1.to_str().unwrap(),
            "--json",
        ]);
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), report)
    };
    let (code, report) = audit(&log, &policy);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["records"], json!(4));
    assert_eq!(report["proofs_verified"], json!(2), "one proof per batch, one per single bundle");

    // The same batch logged again: each of its items is a replay.
    assert_eq!(verify_logged(&dir.path().join("batch.json"), &vk4).status.code(), Some(0));
    let (code, report) = audit(&log, &policy);
    assert_eq!(code, Some(1));
    let replays: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == json!("replay"))
        .map(|f| f["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(replays, [4, 5, 6]);

    // Caps count every item: a cap below the batch's total is exceeded at
    // the item that passes it (1 + 2 = 3 units of 10^15; the cap is 2.5).
    let mut capped = read(&policy);
    capped["epoch_caps"] = json!({ "ETH": "2500000000000000" });
    let capped_path = dir.path().join("capped_policy.json");
    std::fs::write(&capped_path, capped.to_string()).unwrap();
    let (_, report) = audit(&log, &capped_path);
    let first_cap = report["findings"].as_array().unwrap().iter().find(|f| f["kind"] == json!("cap_exceeded")).cloned();
    assert_eq!(first_cap.unwrap()["seq"], json!(1), "{report}");

    // An edited item in a logged batch is found at its own record.
    let mut edited: Vec<Value> = lines.clone();
    edited[1]["batch_item"]["batch"]["withdrawals"][1]["amount"] = json!("7");
    let text: String = edited.iter().map(|l| format!("{l}\n")).collect();
    let edited_log = dir.path().join("edited.jsonl");
    std::fs::write(&edited_log, text).unwrap();
    let (code, report) = audit(&edited_log, &policy);
    assert_eq!(code, Some(1));
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["seq"] == json!(1)), "{report}");
}

/// `export-solidity --batch-vk` writes the batch verifier (and refuses a
/// key that is not a batch key); `calldata` on a batch bundle gives
/// `withdrawBatch` (the EVM tests run that encoding against the gate).
#[test]
fn solidity_and_calldata_for_batches() {
    let (out, dir) = prove_batch(&withdrawals(2), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let w = world();
    let sol = dir.path().join("contracts");
    let args = |batch_vk: &Path| {
        verify_cli(&[
            "export-solidity",
            "--vk",
            w.path("verifying_key.json").to_str().unwrap(),
            "--batch-vk",
            batch_vk.to_str().unwrap(),
            "--out",
            sol.to_str().unwrap(),
        ])
    };
    let out = args(&w.path("keys4/verifying_key.json"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(sol.join("Groth16BatchVerifier.sol")).unwrap();
    assert!(text.contains("contract Groth16BatchVerifier") && text.contains("uint256[9] calldata input"), "{text}");
    let out = args(&w.path("verifying_key.json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a batch circuit's key"));

    let out = verify_cli(&["calldata", dir.path().join("batch.json").to_str().unwrap()]);
    let hex = String::from_utf8_lossy(&out.stdout);
    let selector = zkcomply_verifier::solidity::abi::selector(zkcomply_verifier::solidity::abi::WITHDRAW_BATCH);
    let selector: String = selector.iter().map(|b| format!("{b:02x}")).collect();
    assert!(hex.starts_with(&format!("0x{selector}")), "{hex}");
    // Selector, 35 head words, the items' length and 2 x 3 item words.
    assert_eq!(hex.trim().len(), 2 + 2 * (4 + 32 * (35 + 1 + 6)));
}
