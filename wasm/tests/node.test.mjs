// The package in Node.js: the same verdicts as the command line on a fresh
// demo bundle and on tampered copies of it.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { AMOUNT_WITH_E_ACUTE_AT_BYTE_39, ROOT, assertSameVerdict, batchCases, cliCalldata, cliHeadline, makeCases, runDemo } from "./cases.mjs";

const pkg = join(ROOT, "wasm/pkg");
const { default: init, Verifier, verify, version, gateCalldata } = await import(join(pkg, "zkcomply_wasm.js"));
await init({ module_or_path: readFileSync(join(pkg, "zkcomply_wasm_bg.wasm")) });

const demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-node-")));
const otherKey = join(ROOT, "verifier/tests/fixtures/other_verifying_key.json");
const cases = makeCases(demo, otherKey, { rejections: true });
// The same kinds of tampering on a halo2 bundle (the transparent backend).
const halo2Demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-node-halo2-")), "halo2");
const halo2Cases = makeCases(halo2Demo, otherKey, { prefix: "halo2-", otherKeyCheck: "backend" });

for (const c of [...cases, ...halo2Cases]) {
  test(`node: ${c.name} gives the CLI's verdict`, () => {
    let got;
    try {
      got = new Verifier(c.key).verify(c.bundle, c.policy, c.at);
    } catch (error) {
      assert.ok(error instanceof Error, "errors are Error objects");
      got = { error: error.message };
    }
    assertSameVerdict(c, got);
  });
}

for (const c of [...cases, ...halo2Cases].filter((c) => !c.expect.error)) {
  test(`node: ${c.name} is explained as the CLI explains it, with the CLI's JSON`, () => {
    const explained = new Verifier(c.key).explain(c.bundle, c.policy, c.at);
    assertSameVerdict(c, explained.verdict);
    assert.equal(explained.verdictJson, c.cli.stdout, "the JSON text is what zkcomply-verify verify --json prints");
    const x = explained.explanation;
    assert.equal(x.headline, cliHeadline(c));
    assert.equal(x.accepted, c.cli.accepted);
    assert.equal(x.rejection?.check, c.cli.failed_check);
    for (const claim of x.claims) assert.ok(c.cli.explained.includes(claim.statement), claim.statement);
    // Every claim is said to hold only when the bundle is accepted.
    assert.equal(x.claims.some((claim) => claim.status === "holds"), c.cli.accepted);
    // A development key is flagged on every verdict, accepted or not.
    assert.equal(Boolean(x.key.warning), x.key.provenance === "development" || (x.key.provenance === "unknown" && !x.key.pinned_by_policy));
  });
}

// Batches: 16 withdrawals in one proof, a verdict per item, the CLI's JSON.
const batches = batchCases(mkdtempSync(join(tmpdir(), "zkcomply-wasm-node-batch-")));
for (const c of batches) {
  test(`node: ${c.name} gives the CLI's batch verdict, item by item`, () => {
    const got = new Verifier(c.key).verifyBatch(c.batch, c.policy, c.at);
    assert.deepEqual(got, c.cli);
    assert.equal(got.items.length, JSON.parse(c.batch).withdrawals.length);
  });
}

test("node: a batch's items are judged one by one", () => {
  const byName = Object.fromEntries(batches.map((c) => [c.name, c.cli]));
  assert.equal(byName["batch-valid"].accepted, true);
  assert.equal(byName["batch-valid"].items.filter((i) => i.accepted).length, 16);
  const edited = byName["batch-edited-amount"];
  assert.deepEqual(edited.items.filter((i) => !i.accepted).map((i) => [i.index, i.failed_check]), [[4, "context"]]);
  assert.deepEqual(byName["batch-repeated-id"].items.filter((i) => !i.accepted).map((i) => [i.index, i.failed_check]), [[9, "distinct_items"]]);
  assert.equal(byName["batch-dropped-item"].batch.failed_check, "batch_items");
  assert.equal(byName["batch-other-asset"].batch.failed_check, "batch_items");
  assert.equal(byName["batch-flipped-proof"].items.every((i) => !i.accepted), true);
  // A single bundle is not a batch bundle, and the reverse.
  const valid = batches[0];
  assert.throws(() => new Verifier(valid.key).verifyBatch(cases[0].bundle, valid.policy, valid.at), /batch bundle: /);
  assert.throws(() => new Verifier(valid.key).verify(valid.batch, valid.policy, valid.at), /bundle: /);
});

test("node: a halo2 key is transparent, with no warning", () => {
  const valid = halo2Cases.find((c) => c.name === "halo2-valid");
  const verifier = new Verifier(valid.key);
  assert.equal(verifier.backend, "halo2-ipa-bn254");
  assert.equal(verifier.provenance, "transparent");
  assert.equal(verifier.developmentSetup, false);
  const verdict = verifier.verify(valid.bundle, valid.policy, valid.at);
  assert.equal(verdict.accepted, true);
  assert.equal(verdict.key.provenance, "transparent");
  assert.equal(verdict.key.warning, undefined);
});

test("node: one-shot verify, strict mode, key facts and version", () => {
  const valid = cases.find((c) => c.name === "valid");
  assert.equal(verify(valid.bundle, valid.policy, valid.key, valid.at).accepted, true);
  const verifier = new Verifier(valid.key);
  assert.equal(verifier.developmentSetup, true);
  assert.equal(verifier.provenance, "development");
  assert.equal(verifier.transcriptHash, undefined);
  const keyFacts = verifier.verify(valid.bundle, valid.policy, valid.at).key;
  assert.equal(keyFacts.provenance, "development");
  assert.match(keyFacts.warning, /^DEVELOPMENT SETUP/);
  assert.equal(verifier.backend, "groth16-bn254");
  assert.match(verifier.keyHash, /^[0-9a-f]{64}$/);
  assert.equal(verifier.keyHash, JSON.parse(valid.key).hash);
  assert.equal(version(), JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version);
  // A policy without a clock rule (and so without caps, which need it):
  // accepted, but strict mode rejects it.
  const loose = JSON.parse(valid.policy);
  delete loose.max_clock_skew_seconds;
  delete loose.epoch_caps;
  assert.equal(verifier.verify(valid.bundle, JSON.stringify(loose), valid.at).accepted, true);
  const strict = verifier.verify(valid.bundle, JSON.stringify(loose), valid.at, true);
  assert.equal(strict.failed_check, "complete_policy");
  // Without `at`, the verifier uses the current time (the demo bundle is fresh).
  assert.equal(verifier.verify(valid.bundle, valid.policy).accepted, true);
  // Bad keys and times are errors with a clear message.
  assert.throws(() => new Verifier("{}"), /verifying key/);
  assert.throws(() => verifier.verify(valid.bundle, valid.policy, -1), /at: expected unix seconds/);
  assert.throws(() => verifier.verify(valid.bundle, valid.policy, 1.5), /at: expected unix seconds/);
});

test("node: the README's Node.js example runs as pasted", async () => {
  const { cpSync, mkdirSync, writeFileSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const readme = readFileSync(join(ROOT, "wasm/README.md"), "utf8");
  const example = readme.match(/## In Node\.js[^\n]*\n\n```js\n([\s\S]*?)```/)?.[1];
  assert.ok(example, "the README has a Node.js example");
  const project = mkdtempSync(join(tmpdir(), "zkcomply-wasm-readme-"));
  mkdirSync(join(project, "node_modules"));
  cpSync(pkg, join(project, "node_modules/zkcomply-verifier"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
  for (const f of ["bundle.json", "policy.json", "verifying_key.json"]) cpSync(join(demo.dir, f), join(project, f));
  writeFileSync(join(project, "example.mjs"), example);
  const out = execFileSync(process.execPath, ["example.mjs"], { cwd: project, encoding: "utf8" });
  assert.match(out, /accepted: true/);
});

test("node: gate calldata is the CLI's, byte for byte", () => {
  const bundlePath = join(demo.dir, "bundle.json");
  for (const func of ["withdraw", "approve-statement"]) {
    assert.equal(gateCalldata(demo.bundle, func), cliCalldata(bundlePath, func));
  }
  assert.equal(gateCalldata(demo.bundle), cliCalldata(bundlePath, "withdraw"));
  assert.match(gateCalldata(demo.bundle), /^0x[0-9a-f]{8}([0-9a-f]{64}){37}$/);
  assert.throws(() => gateCalldata(demo.bundle, "burn"), /func: expected "withdraw" or "approve-statement"/);
  assert.throws(() => gateCalldata("{}"), /bundle/);
});

test("node: malformed input throws an Error naming the field, and the module keeps working", () => {
  const valid = cases.find((c) => c.name === "valid");
  const bundle = JSON.parse(valid.bundle);
  bundle.withdrawal.amount = AMOUNT_WITH_E_ACUTE_AT_BYTE_39;
  const verifier = new Verifier(valid.key);
  for (const call of [
    () => verifier.verify(JSON.stringify(bundle), valid.policy, valid.at),
    () => verify(JSON.stringify(bundle), valid.policy, valid.key, valid.at),
    () => gateCalldata(JSON.stringify(bundle)),
  ]) {
    assert.throws(call, (error) => error instanceof Error && /withdrawal\.amount/.test(error.message) && /a{39}\.\.\.\(101 bytes\)/.test(error.message));
  }
  // A crash (an aborted module) would fail every later call.
  assert.equal(verifier.verify(valid.bundle, valid.policy, valid.at).accepted, true);
});

test("node: documents over their size limit are refused before they are copied in", () => {
  const valid = cases.find((c) => c.name === "valid");
  const verifier = new Verifier(valid.key);
  // A bundle padded with spaces past 64 KiB, and a 200 MB one.
  const over = valid.bundle + " ".repeat(64 * 1024 + 1 - valid.bundle.length);
  assert.throws(() => verifier.verify(over, valid.policy, valid.at), /^Error: bundle: over the size limit MAX_BUNDLE_BYTES \(65536 bytes\)$/);
  assert.throws(() => verifier.verify(" ".repeat(200 * 1024 * 1024), valid.policy, valid.at), /MAX_BUNDLE_BYTES/);
  // Within the limit in UTF-16 code units, over it in UTF-8 bytes: refused by the parser.
  const wide = valid.bundle + " ".repeat(64 * 1024 - 100 - valid.bundle.length) + "é".repeat(100);
  assert.throws(() => verifier.verify(wide, valid.policy, valid.at), /bundle: 65636 bytes, over the size limit MAX_BUNDLE_BYTES/);
  assert.throws(() => verifier.verify(valid.bundle, " ".repeat(1024 * 1024 + 1), valid.at), /MAX_POLICY_BYTES/);
  assert.throws(() => new Verifier(" ".repeat(1024 * 1024 + 1)), /MAX_VERIFYING_KEY_BYTES/);
  assert.throws(() => verifier.verify(42, valid.policy, valid.at), /bundle: expected the document as a string/);
  assert.equal(verifier.verify(valid.bundle, valid.policy, valid.at).accepted, true);
});
