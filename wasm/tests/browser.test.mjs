// The deposit page in headless Chromium: a fresh demo bundle is accepted,
// tampered ones are rejected with the CLI's reasons, malformed input is
// reported as such.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { AMOUNT_WITH_E_ACUTE_AT_BYTE_39, ROOT, assertSameVerdict, makeCases, runDemo } from "./cases.mjs";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-browser-")));
const otherKey = join(ROOT, "verifier/tests/fixtures/other_verifying_key.json");
const cases = makeCases(demo, otherKey);
// The same kinds of tampering on a halo2 bundle (the transparent backend).
const halo2Demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-browser-halo2-")), "halo2");
const halo2Cases = makeCases(halo2Demo, otherKey, { prefix: "halo2-", otherKeyCheck: "backend" });
let server, browser, page;

before(async () => {
  server = await serve(demo.dir);
  browser = await launch();
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${server.url}/demo/index.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  assert.deepEqual(errors, []);
  // The exchange engineer opens the policy and key settings.
  await page.click("#settings summary");
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Fills the page's fields, clicks Verify, returns the page's verdict. */
async function verifyOnPage(c) {
  await page.fill("#key", c.key);
  await page.fill("#policy", c.policy);
  await page.fill("#at", String(c.at));
  await page.fill("#bundle", c.bundle);
  await page.evaluate(() => delete document.body.dataset.verdict);
  await page.click("#verify");
  await page.waitForFunction(() => document.body.dataset.verdict !== undefined);
  return JSON.parse(await page.evaluate(() => document.body.dataset.verdict));
}

test("the page prefills the exchange's policy and key", async () => {
  assert.equal(JSON.parse(await page.inputValue("#policy")).version, "zkcomply/policy/v1");
  assert.equal(JSON.parse(await page.inputValue("#key")).hash, JSON.parse(demo.key).hash);
});

for (const c of [...cases, ...halo2Cases]) {
  test(`chromium: ${c.name} gives the CLI's verdict`, async () => {
    // Preparing a halo2 key (decompressing its parameters, deriving the
    // key from the circuit) takes seconds the first time.
    page.setDefaultTimeout(c.name.startsWith("halo2-") ? 120_000 : 15_000);
    const got = await verifyOnPage(c);
    assertSameVerdict(c, got);
    const shown = await page.getAttribute("#verdict", "class");
    assert.equal(shown, c.expect.error ? "error" : got.accepted ? "accepted" : "rejected");
    if (!c.expect.error) {
      assert.match(await page.textContent("#verdict-time"), /verified in \d+\.\d ms/);
      assert.equal(await page.locator("#checked li").count(), got.checked.length);
    }
  });
}

test("chromium: a bundle picked from a file is verified at once", async () => {
  const valid = cases.find((c) => c.name === "valid");
  await page.fill("#key", valid.key);
  await page.fill("#policy", valid.policy);
  await page.fill("#at", "");
  await page.fill("#bundle", "");
  await page.evaluate(() => delete document.body.dataset.verdict);
  await page.setInputFiles("#bundle-file", valid.bundlePath);
  await page.waitForFunction(() => document.body.dataset.verdict !== undefined);
  const got = JSON.parse(await page.evaluate(() => document.body.dataset.verdict));
  assert.equal(got.accepted, true, JSON.stringify(got));
  assert.match(await page.textContent("#verdict-title"), /^Accepted/);
});

test("chromium: malformed input throws an Error naming the field, and the module keeps working", async () => {
  const valid = cases.find((c) => c.name === "valid");
  const bundle = JSON.parse(valid.bundle);
  bundle.withdrawal.amount = AMOUNT_WITH_E_ACUTE_AT_BYTE_39;
  // The page's own module instance (initialised by the page).
  const got = await page.evaluate(
    async ({ key, bad, good, policy, at }) => {
      const { Verifier } = await import("/pkg/zkcomply_wasm.js");
      const verifier = new Verifier(key);
      let thrown;
      try {
        verifier.verify(bad, policy, at);
      } catch (error) {
        thrown = { isError: error instanceof Error, message: error.message };
      }
      return { thrown, after: verifier.verify(good, policy, at).accepted };
    },
    { key: valid.key, bad: JSON.stringify(bundle), good: valid.bundle, policy: valid.policy, at: valid.at },
  );
  assert.equal(got.thrown?.isError, true, JSON.stringify(got));
  assert.match(got.thrown.message, /withdrawal\.amount/);
  assert.equal(got.after, true, "a crash (an aborted module) would fail every later call");
});
