// Verify time of the WebAssembly verifier in headless Chromium: the first
// call (key preparation included) and the median of many calls after it,
// on a fresh demo bundle.
//
//   node wasm/tests/bench.mjs [runs] [--backend groth16|halo2]
//
// after `bash wasm/build.sh`; the default is 200 runs of a Groth16 bundle.
import { mkdtempSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { ROOT, runDemo } from "./cases.mjs";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const args = process.argv.slice(2);
const backendAt = args.indexOf("--backend");
const backend = backendAt >= 0 ? args.splice(backendAt, 2)[1] : "groth16";
if (!["groth16", "halo2"].includes(backend)) throw new Error(`--backend groth16 or halo2, not ${backend}`);
const runs = Number(args[0] ?? 200);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs: a positive integer, not ${args[0]}`);
const demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-bench-")), backend);
const server = await serve(demo.dir);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/demo/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  const result = await page.evaluate(
    async ({ bundle, policy, key, runs }) => {
      const { Verifier } = await import("/pkg/zkcomply_wasm.js");
      const at = JSON.parse(bundle).withdrawal.now + 1;
      let t = performance.now();
      const verifier = new Verifier(key);
      const prepare = performance.now() - t;
      t = performance.now();
      const first = verifier.verify(bundle, policy, at);
      const firstMs = performance.now() - t;
      if (!first.accepted) throw new Error(JSON.stringify(first));
      const times = [];
      for (let i = 0; i < runs; i++) {
        t = performance.now();
        const v = verifier.verify(bundle, policy, at);
        times.push(performance.now() - t);
        if (!v.accepted) throw new Error("rejected");
      }
      times.sort((a, b) => a - b);
      return { prepare, firstMs, median: times[times.length >> 1], p90: times[Math.floor(times.length * 0.9)], min: times[0] };
    },
    { bundle: demo.bundle, policy: demo.policy, key: demo.key, runs },
  );
  const wasm = readFileSync(join(ROOT, "wasm/pkg/zkcomply_wasm_bg.wasm"));
  const version = browser.version();
  console.log(`Chromium ${version}, a ${backend} bundle, ${runs} runs after the first`);
  console.log(`key decode + prepare (new Verifier): ${result.prepare.toFixed(1)} ms`);
  console.log(`first verify: ${result.firstMs.toFixed(1)} ms`);
  console.log(`verify median: ${result.median.toFixed(2)} ms (min ${result.min.toFixed(2)}, p90 ${result.p90.toFixed(2)})`);
  console.log(`package: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped`);
} finally {
  await browser.close();
  await server.close();
}
