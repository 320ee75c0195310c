// The cases every WebAssembly test checks, made from a fresh `zkcomply demo`
// run, with the verdict the `zkcomply-verify` command line gives for each:
// the package must reach the same verdict on the same inputs.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
const bin = (name) => process.env[`ZKCOMPLY_BIN_DIR`] ? join(process.env.ZKCOMPLY_BIN_DIR, name) : join(ROOT, "target/debug", name);

/** Runs the demo into `dir` (once per test run), proving with `backend` (`groth16` or `halo2`). */
export function runDemo(dir, backend = "groth16") {
  execFileSync(bin("zkcomply"), ["demo", "--out", dir, "--backend", backend], { stdio: ["ignore", "ignore", "inherit"] });
  const read = (f) => readFileSync(join(dir, f), "utf8");
  return { dir, bundle: read("bundle.json"), policy: read("policy.json"), key: read("verifying_key.json") };
}

/** `zkcomply-verify calldata BUNDLE --function FUNC` (stdout, trimmed). */
export function cliCalldata(bundlePath, func) {
  return execFileSync(bin("zkcomply-verify"), ["calldata", bundlePath, "--function", func], { encoding: "utf8" }).trim();
}

/**
 * The CLI's verdict (`--json`), or its error message for malformed input (or a crash),
 * with `stdout` (the JSON text as printed) and `explained` (what `--explain` prints).
 */
export function cliVerdict(bundlePath, policyPath, keyPath, at) {
  const run = (flag) =>
    spawnSync(bin("zkcomply-verify"), ["verify", bundlePath, "--policy", policyPath, "--vk", keyPath, "--at", String(at), flag], { encoding: "utf8" });
  const out = run("--json");
  if (out.status !== 0 && out.status !== 1) return { error: out.stderr.trim(), status: out.status };
  const explained = run("--explain");
  if (explained.status !== out.status) throw new Error(`--explain exited ${explained.status}, --json ${out.status}`);
  return { ...JSON.parse(out.stdout), status: out.status, stdout: out.stdout, explained: explained.stdout };
}

/** The first line of the CLI's `--explain` text: the verdict in one sentence. */
export function cliHeadline(c) {
  return c.cli.explained.split("\n")[0];
}

/** Flips one bit of the proof's bytes (byte `index`). */
function flipProofByte(bundleText, index) {
  const bundle = JSON.parse(bundleText);
  const bytes = Buffer.from(bundle.proof, "base64");
  bytes[index] ^= 0x01;
  bundle.proof = bytes.toString("base64");
  return JSON.stringify(bundle);
}

/** The policy with hour-long epochs and a clock skew of a day. */
function skewBeyondEpoch(policyText) {
  const policy = JSON.parse(policyText);
  policy.epoch_seconds = 3600;
  policy.max_clock_skew_seconds = 86400;
  return JSON.stringify(policy);
}

/**
 * The amount of a reported crash: 39 ASCII letters, then `é` (bytes 39 and 40, across
 * the byte where long values used to be cut), then 60 letters.
 */
export const AMOUNT_WITH_E_ACUTE_AT_BYTE_39 = "a".repeat(39) + "é" + "b".repeat(60);

/** A Baby Jubjub point in the prime-order subgroup (circomlibjs's Base8): an issuer no demo uses. */
const OTHER_ISSUER = [
  "5299619240641551281634865583518297030282874472190772894086521144482721001553",
  "16950150798460657717958625567821834550301663161624707787222815936182638968203",
];

/** `text` (JSON) with `edit` applied to the parsed value. */
function edited(text, edit) {
  const value = JSON.parse(text);
  edit(value);
  return JSON.stringify(value);
}

/**
 * Every rejection the command line's tests have (docs/TESTING.md), as policy and bundle
 * edits of a Groth16 demo with a development key: each check fails with its own reason.
 */
function rejectionCases(demo) {
  const policy = (name, check, edit) => ({ name, policy: edited(demo.policy, edit), bundle: demo.bundle, expect: { failed_check: check } });
  const bundle = (name, check, edit) => ({ name, bundle: edited(demo.bundle, edit), expect: { failed_check: check } });
  return [
    policy("other-issuer", "issuer", (p) => (p.issuers = [OTHER_ISSUER])),
    policy("higher-min-tier", "min_tier", (p) => (p.min_tier = 3)),
    policy("lower-limits", "limits", (p) => (p.limits.ETH[2] = "9999999999999999999")),
    policy("no-limits-for-asset", "limits", (p) => (p.limits = { BTC: ["0", "1", "2", "3"] })),
    policy("other-identity-root", "identity_root", (p) => (p.identity_sanctions_roots = ["1"])),
    policy("other-address-root", "address_root", (p) => (p.address_sanctions_roots = ["2"])),
    policy("no-revocation-root", "revocation_root", (p) => (p.revocation_roots = [])),
    policy("more-blocked-jurisdictions", "blocked_jurisdictions", (p) => (p.blocked_jurisdictions = [408, 364, 760])),
    policy("other-epoch-length", "epoch", (p) => (p.epoch_seconds = 3600)),
    policy("jurisdiction-disclosure-required", "disclosures", (p) => (p.required_disclosures = ["jurisdiction"])),
    policy("other-pinned-key", "policy_verifying_key", (p) => (p.verifying_key_hash = "00".repeat(32))),
    policy("development-keys-refused", "development_key", (p) => (p.accept_development_keys = false)),
    policy("other-exchange", "exchange", (p) => (p.exchange_id = "another-exchange")),
    policy("halo2-only", "policy_backend", (p) => (p.backends = ["halo2-ipa-bn254"])),
    bundle("edited-min-tier", "statement_hash", (b) => (b.public.min_tier = 3)),
    bundle("edited-nullifier", "public_values", (b) => (b.public.nullifier = "1")),
    bundle("input-above-modulus", "public_input_range", (b) => (b.public_inputs[3] = "21888242871839275222246405745257275088548364400416034343698204186575808495617")),
    bundle("one-input-more", "public_input_count", (b) => b.public_inputs.push("0")),
    bundle("other-circuit", "format", (b) => (b.circuit_id = "zkcomply/other/v1")),
    { name: "stale", bundle: demo.bundle, at: JSON.parse(demo.bundle).withdrawal.now + 3600, expect: { failed_check: "clock" } },
    { name: "from-the-future", bundle: demo.bundle, at: JSON.parse(demo.bundle).withdrawal.now - 301, expect: { failed_check: "clock" } },
  ];
}

/**
 * Valid, edited context, unknown backend, wrong key, flipped proof bytes (in A, in B, in
 * C), malformed, a multi-byte character in a long amount, a policy whose clock skew
 * reaches an epoch, and with `rejections` every rejection the command line's tests have:
 * each as files in `dir/cases`, with the CLI's verdict.
 */
export function makeCases(demo, otherKeyPath, { prefix = "", otherKeyCheck = "verifying_key", rejections = false } = {}) {
  const casesDir = join(demo.dir, "cases");
  mkdirSync(casesDir, { recursive: true });
  const at = JSON.parse(demo.bundle).withdrawal.now + 1;
  const edited = JSON.parse(demo.bundle);
  edited.withdrawal.amount = (BigInt(edited.withdrawal.amount) + 1n).toString();
  const otherBackend = JSON.parse(demo.bundle);
  otherBackend.backend = "halo2-kzg-bn254";
  const multiByteAmount = JSON.parse(demo.bundle);
  multiByteAmount.withdrawal.amount = AMOUNT_WITH_E_ACUTE_AT_BYTE_39;
  const list = [
    { name: "valid", bundle: demo.bundle, key: demo.key, expect: { accepted: true } },
    { name: "edited-context", bundle: JSON.stringify(edited), key: demo.key, expect: { failed_check: "context" } },
    { name: "unknown-backend", bundle: JSON.stringify(otherBackend), key: demo.key, expect: { failed_check: "backend" } },
    // Another Groth16 key: for a Groth16 bundle the key differs, for a
    // halo2 bundle the proof system does.
    { name: "wrong-key", bundle: demo.bundle, key: readFileSync(otherKeyPath, "utf8"), expect: { failed_check: otherKeyCheck } },
    { name: "flipped-proof-a", bundle: flipProofByte(demo.bundle, 5), key: demo.key, expect: { failed_check: "proof" } },
    { name: "flipped-proof-b", bundle: flipProofByte(demo.bundle, 40), key: demo.key, expect: { failed_check: "proof" } },
    { name: "flipped-proof-c", bundle: flipProofByte(demo.bundle, 110), key: demo.key, expect: { failed_check: "proof" } },
    { name: "malformed", bundle: "{\"version\": 1", key: demo.key, expect: { error: true } },
    { name: "multi-byte-amount", bundle: JSON.stringify(multiByteAmount), key: demo.key, expect: { error: "withdrawal.amount" } },
    // A clock skew of an epoch or more would let one holder pick among
    // epochs (a nullifier each): every verifier refuses the policy.
    { name: "skew-beyond-epoch", bundle: demo.bundle, key: demo.key, policy: skewBeyondEpoch(demo.policy), expect: { error: /^policy: max_clock_skew_seconds: .*several epochs/ } },
    ...(rejections ? rejectionCases(demo) : []),
  ];
  for (const c of list) {
    c.name = prefix + c.name;
    c.bundlePath = join(casesDir, `${c.name}.bundle.json`);
    c.keyPath = join(casesDir, `${c.name}.verifying_key.json`);
    c.policyPath = join(casesDir, `${c.name}.policy.json`);
    c.policy ??= demo.policy;
    c.key ??= demo.key;
    writeFileSync(c.bundlePath, c.bundle);
    writeFileSync(c.keyPath, c.key);
    writeFileSync(c.policyPath, c.policy);
    c.at ??= at;
    c.cli = cliVerdict(c.bundlePath, c.policyPath, c.keyPath, c.at);
  }
  return list;
}

/** Throws unless `got` (the package's verdict or error) matches the CLI's. */
export function assertSameVerdict(c, got) {
  const fail = (why) => {
    throw new Error(`${c.name}: ${why}\n  package: ${JSON.stringify(got)}\n  CLI:     ${JSON.stringify(c.cli)}`);
  };
  if (c.expect.error) {
    if (!got.error) fail("malformed input was not an error");
    if (c.cli.status !== 2) fail("the CLI did not refuse the malformed input");
    // The CLI adds the file name after the document and field; the rest is the same.
    const cliMessage = c.cli.error.replace(/^error: /, "").replace(` (${c.bundlePath})`, "").replace(` (${c.policyPath})`, "");
    if (cliMessage !== got.error) fail("the error message differs from the CLI's");
    if (typeof c.expect.error === "string" && !got.error.includes(c.expect.error)) fail(`the error does not name ${c.expect.error}`);
    if (c.expect.error instanceof RegExp && !c.expect.error.test(got.error)) fail(`the error does not match ${c.expect.error}`);
    return;
  }
  if (got.error) fail(`unexpected error: ${got.error}`);
  for (const field of ["accepted", "failed_check", "reason", "checked", "not_checked"]) {
    if (JSON.stringify(got[field]) !== JSON.stringify(c.cli[field])) fail(`${field} differs`);
  }
  if (c.expect.accepted !== undefined && got.accepted !== c.expect.accepted) fail("wrong acceptance");
  if (c.expect.failed_check && got.failed_check !== c.expect.failed_check) fail(`expected ${c.expect.failed_check}`);
}

/**
 * A `zkcomply demo --batch` run (16 payroll withdrawals in one proof) and
 * batch cases: the valid bundle and tampered copies, each with the CLI's
 * `--json` verdict (`cli`, the parsed object; `stdout`, the text).
 */
export function batchCases(dir) {
  execFileSync(bin("zkcomply"), ["demo", "--out", dir, "--batch"], { stdio: ["ignore", "ignore", "inherit"] });
  const read = (f) => readFileSync(join(dir, f), "utf8");
  const batch = read("batch/batch_bundle.json");
  const policy = read("policy.json");
  const key = read("batch/verifying_key.json");
  const at = JSON.parse(batch).withdrawals[0].now + 1;
  const edit = (f) => {
    const b = JSON.parse(batch);
    f(b);
    return JSON.stringify(b);
  };
  const flipped = edit((b) => {
    const bytes = Buffer.from(b.proof, "base64");
    bytes[40] ^= 1;
    b.proof = bytes.toString("base64");
  });
  const cases = [
    { name: "batch-valid", batch },
    { name: "batch-edited-amount", batch: edit((b) => (b.withdrawals[4].amount = "1")) },
    { name: "batch-repeated-id", batch: edit((b) => (b.withdrawals[9].withdrawal_id = b.withdrawals[2].withdrawal_id)) },
    { name: "batch-dropped-item", batch: edit((b) => b.withdrawals.pop()) },
    { name: "batch-other-asset", batch: edit((b) => (b.withdrawals[1].asset = "BTC")) },
    { name: "batch-flipped-proof", batch: flipped },
  ];
  const casesDir = join(dir, "batch-cases");
  mkdirSync(casesDir, { recursive: true });
  writeFileSync(join(casesDir, "policy.json"), policy);
  writeFileSync(join(casesDir, "key.json"), key);
  return cases.map((c) => {
    const path = join(casesDir, `${c.name}.json`);
    writeFileSync(path, c.batch);
    const out = spawnSync(bin("zkcomply-verify"), ["verify", path, "--policy", join(casesDir, "policy.json"), "--vk", join(casesDir, "key.json"), "--at", String(at), "--json"], { encoding: "utf8" });
    if (out.status !== 0 && out.status !== 1) throw new Error(`${c.name}: zkcomply-verify exited ${out.status}: ${out.stderr}`);
    return { ...c, policy, key, at, cli: JSON.parse(out.stdout), stdout: out.stdout };
  });
}
