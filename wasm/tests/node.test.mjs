// The package in Node.js: the same verdicts as the command line on a fresh
// demo bundle and on tampered copies of it.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { ROOT, assertSameVerdict, cliCalldata, makeCases, runDemo } from "./cases.mjs";

const pkg = join(ROOT, "wasm/pkg");
const { default: init, Verifier, verify, version, gateCalldata } = await import(join(pkg, "zkcomply_wasm.js"));
await init({ module_or_path: readFileSync(join(pkg, "zkcomply_wasm_bg.wasm")) });

const demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-node-")));
const cases = makeCases(demo, join(ROOT, "verifier/tests/fixtures/other_verifying_key.json"));

for (const c of cases) {
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

test("node: one-shot verify, strict mode, key facts and version", () => {
  const valid = cases.find((c) => c.name === "valid");
  assert.equal(verify(valid.bundle, valid.policy, valid.key, valid.at).accepted, true);
  const verifier = new Verifier(valid.key);
  assert.equal(verifier.developmentSetup, true);
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
