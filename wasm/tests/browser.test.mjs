// The deposit page in headless Chromium: a fresh demo bundle is accepted,
// tampered ones and every rejection the command line's tests have are
// rejected with the CLI's reasons, in the CLI's plain words (`--explain`),
// with the development-key warning on every verdict; malformed input is
// reported as such. Each state's screenshot is written to
// target/test-output/deposit-page/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { AMOUNT_WITH_E_ACUTE_AT_BYTE_39, ROOT, assertSameVerdict, batchCases, cliHeadline, makeCases, runDemo } from "./cases.mjs";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const SCREENSHOTS = join(ROOT, "target/test-output/deposit-page");
mkdirSync(SCREENSHOTS, { recursive: true });

const demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-browser-")));
const otherKey = join(ROOT, "verifier/tests/fixtures/other_verifying_key.json");
const cases = makeCases(demo, otherKey, { rejections: true });
// The same kinds of tampering on a halo2 bundle (the transparent backend).
const halo2Demo = runDemo(mkdtempSync(join(tmpdir(), "zkcomply-wasm-browser-halo2-")), "halo2");
const halo2Cases = makeCases(halo2Demo, otherKey, { prefix: "halo2-", otherKeyCheck: "backend" });
// Batches: 16 withdrawals in one proof.
const batches = batchCases(mkdtempSync(join(tmpdir(), "zkcomply-wasm-browser-batch-")));
let server, browser, context, page;

/** A page of the demo server (or of `url`), ready, with the paste and settings sections open. */
async function openPage(url = server.url, viewport = { width: 1100, height: 900 }) {
  const p = await context.newPage();
  await p.setViewportSize(viewport);
  p.setDefaultTimeout(15_000);
  const errors = [];
  p.on("pageerror", (e) => errors.push(e));
  await p.goto(`${url}/demo/index.html`);
  await p.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  assert.deepEqual(errors, []);
  // The exchange engineer opens the pasting and settings sections.
  await p.click("#paste summary");
  await p.click("#settings summary");
  return p;
}

before(async () => {
  server = await serve(demo.dir);
  browser = await launch();
  context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"], acceptDownloads: true });
  page = await openPage();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function waitForVerdict(p) {
  await p.waitForFunction(() => document.body.dataset.verdict !== undefined);
  return JSON.parse(await p.evaluate(() => document.body.dataset.verdict));
}

/** Fills the page's fields, clicks Verify, returns the page's verdict. */
async function verifyOnPage(c, p = page) {
  await p.fill("#key", c.key);
  await p.fill("#policy", c.policy);
  await p.fill("#at", String(c.at));
  await p.fill("#bundle", c.bundle);
  await p.setChecked("#at-bundle-time", false);
  await p.evaluate(() => delete document.body.dataset.verdict);
  await p.click("#verify");
  return waitForVerdict(p);
}

async function screenshot(p, name) {
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The text of the verdict's "Copy verdict" (read back from the clipboard). */
async function copiedVerdict(p) {
  await p.evaluate(() => navigator.clipboard.writeText(""));
  await p.click("#copy-verdict");
  await p.waitForFunction(() => document.getElementById("copy-status").textContent !== "");
  return p.evaluate(() => navigator.clipboard.readText());
}

test("the page prefills the exchange's policy and key", async () => {
  assert.equal(JSON.parse(await page.inputValue("#policy")).version, "zkcomply/policy/v1");
  assert.equal(JSON.parse(await page.inputValue("#key")).hash, JSON.parse(demo.key).hash);
});

for (const c of [...cases, ...halo2Cases]) {
  test(`chromium: ${c.name} gives the CLI's verdict, in the CLI's plain words`, async () => {
    // Preparing a halo2 key (decompressing its parameters, deriving the
    // key from the circuit) takes seconds the first time.
    page.setDefaultTimeout(c.name.startsWith("halo2-") ? 120_000 : 15_000);
    const got = await verifyOnPage(c);
    assertSameVerdict(c, got);
    await screenshot(page, c.name);
    const shown = await page.getAttribute("#verdict", "class");
    assert.equal(shown, c.expect.error ? "error" : got.accepted ? "accepted" : "rejected");
    if (c.expect.error) {
      assert.equal(await page.isVisible("#key-banner"), false);
      assert.equal(await page.textContent("#error-text"), got.error);
      return;
    }
    assert.match(await page.textContent("#verdict-time"), /verified in \d+\.\d ms/);
    assert.equal(await page.locator("#checked li").count(), got.checked.length);
    // The plain words are the command line's (`--explain`), and the engineers'
    // details and the copied verdict are its JSON (`--json`).
    assert.equal(await page.textContent("#verdict-title"), cliHeadline(c));
    assert.equal(await page.textContent("#verdict-reason"), c.cli.accepted ? "" : `${c.cli.failed_check}: ${c.cli.reason}`);
    assert.equal(await copiedVerdict(page), c.cli.stdout);
    const claims = await page.locator("#claims > li .claim").allTextContents();
    assert.equal(claims.length, 10);
    for (const claim of claims) assert.ok(c.cli.explained.includes(claim), `the CLI says "${claim}"`);
    const statuses = await page.locator("#claims > li").evaluateAll((items) => items.map((i) => i.dataset.status));
    if (c.cli.accepted) assert.ok(statuses.every((s) => s === "holds"), statuses.join());
    else assert.deepEqual([...new Set(statuses)].sort(), ["fails", "not_established"]);
    // The development key is flagged on every verdict, accepted or not; a
    // transparent (halo2) key is not.
    const keyFile = JSON.parse(c.key);
    const development = (keyFile.provenance?.kind ?? (keyFile.development_setup ? "development" : "unknown")) === "development";
    assert.equal(await page.isVisible("#key-banner"), development);
    if (development) assert.match(await page.textContent("#key-banner"), /^DEVELOPMENT KEY: whoever made it can forge proofs/);
    if (!c.cli.accepted) {
      assert.equal(await page.isVisible("#rejection"), true);
      assert.ok(c.cli.explained.includes(`What to do: ${await page.textContent("#what-to-do")}`));
    }
  });
}

test("chromium: an accepted bundle names the withdrawal, the claims with their evidence, the key and the time", async () => {
  const valid = cases.find((c) => c.name === "valid");
  await verifyOnPage(valid);
  const text = await page.textContent("#verdict");
  const withdrawal = JSON.parse(valid.bundle).withdrawal;
  for (const expected of [
    "Accepted: the withdrawal of 0.25 ETH (w-2026-000123) meets the policy.",
    withdrawal.source_address,
    withdrawal.destination_address,
    "1 (Ethereum)",
    "The sender passed KYC at tier 2 or higher, with issuer zkcomply demo issuer",
    "The source address 0x2c1bA5b1…a5eE8F is not on the address sanctions list.",
    "OFAC SDN digital-currency addresses, extracted 2024-09-27 (641 addresses)",
    "The amount, 0.25 ETH, is within the withdrawal limit of the sender's KYC tier.",
    "tier 2: 10 ETH; tier 3+: 100 ETH",
    "The sender's jurisdiction is none of 408 (North Korea), 364 (Iran).",
    "Development key: made by a single party",
    "the policy allows 5 min.",
  ]) {
    assert.ok(text.includes(expected), `the verdict says "${expected}"`);
  }
  // Long values are shortened, with their whole text behind a copy button.
  const nullifier = (await page.locator("#claims [aria-label='Copy Nullifier']").getAttribute("data-copy"));
  assert.equal(nullifier, JSON.parse(valid.bundle).public.nullifier);
  assert.ok(!text.includes(nullifier), "the nullifier is shown shortened");
  await page.click("#claims [aria-label='Copy Nullifier']");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), nullifier);
});

test("chromium: a stale bundle's rejection says how stale; the demo server offers to verify at its own time", async () => {
  const stale = cases.find((c) => c.name === "stale");
  const got = await verifyOnPage(stale);
  assert.equal(got.failed_check, "clock");
  assert.equal(
    await page.textContent("#verdict-title"),
    "Rejected: The bundle is stale: it was made 1 h before the verification time, 55 min more than the policy's 5 min allow.",
  );
  assert.equal(await page.textContent("#time-sentence"), "The bundle was made 1 h before the verification time: 55 min more than the policy's 5 min allow.");
  assert.match(await page.textContent("#demo-time-note"), /tick "Verify at the bundle's own time"/);
  await screenshot(page, "stale");
  // The demo convenience, clearly marked.
  await page.evaluate(() => delete document.body.dataset.verdict);
  await page.check("#at-bundle-time");
  const again = await waitForVerdict(page);
  assert.equal(again.accepted, true, JSON.stringify(again));
  assert.match(await page.textContent("#demo-time-note"), /^Demo: verified at the bundle's own time, not now/);
  assert.match(await page.textContent("#time-sentence"), /^The bundle was made 0 s before the verification time/);
  await screenshot(page, "stale-verified-at-the-bundles-time-demo");
  await page.setChecked("#at-bundle-time", false);
});

test("chromium: the demo controls exist only on the demo server", async () => {
  const plain = await serve(null);
  try {
    const p = await openPage(plain.url);
    assert.equal(await p.isVisible("#demo-panel"), false);
    await p.close();
  } finally {
    await plain.close();
  }
  assert.equal(await page.isVisible("#demo-panel"), true);
  // A server that answers demo.json with anything but the demo's marker
  // (a single-page app's index.html, or JSON without it) turns nothing on,
  // and the page still works.
  for (const body of ["<!doctype html><p>app</p>", JSON.stringify({ bundle: "bundle.json" }), "{"]) {
    const p = await context.newPage();
    await p.route("**/demo/demo.json", (route) => route.fulfill({ status: 200, contentType: "application/json", body }));
    await p.goto(`${server.url}/demo/index.html`);
    await p.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    assert.equal(await p.isVisible("#demo-panel"), false, body);
    assert.equal(await p.isEnabled("#verify"), true, body);
    await p.close();
  }
});

test("chromium: following the README, a newcomer's picked bundle is accepted, with the development-key warning", async () => {
  const p = await openPage();
  // The README: pick demo-out/bundle.json; if the demo ran more than five
  // minutes ago, tick "Verify at the bundle's own time" (demo server only).
  await p.check("#at-bundle-time");
  await p.setInputFiles("#bundle-file", join(demo.dir, "bundle.json"));
  const got = await waitForVerdict(p);
  assert.equal(got.accepted, true, JSON.stringify(got));
  assert.match(await p.textContent("#verdict-title"), /^Accepted: the withdrawal of 0\.25 ETH \(w-2026-000123\) meets the policy\.$/);
  assert.equal(await p.isVisible("#key-banner"), true);
  await screenshot(p, "readme-newcomer");
  // "Load the demo's bundle" does the same in one click.
  await p.evaluate(() => delete document.body.dataset.verdict);
  await p.click("#load-demo");
  assert.equal((await waitForVerdict(p)).accepted, true);
  await p.close();
});

test("chromium: a bundle dropped onto the page is verified at once", async () => {
  const valid = cases.find((c) => c.name === "valid");
  await page.fill("#at", String(valid.at));
  await page.fill("#key", valid.key);
  await page.fill("#policy", valid.policy);
  await page.fill("#bundle", "");
  await page.evaluate(() => delete document.body.dataset.verdict);
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "bundle.json", { type: "application/json" }));
    return transfer;
  }, valid.bundle);
  await page.dispatchEvent("#drop", "dragover", { dataTransfer });
  assert.match(await page.getAttribute("#drop", "class"), /over/);
  await page.dispatchEvent("#drop", "drop", { dataTransfer });
  const got = await waitForVerdict(page);
  assert.equal(got.accepted, true, JSON.stringify(got));
  assert.equal(await page.inputValue("#bundle"), valid.bundle);
});

test("chromium: a bundle picked from a file is verified at once", async () => {
  const valid = cases.find((c) => c.name === "valid");
  await page.fill("#key", valid.key);
  await page.fill("#policy", valid.policy);
  await page.fill("#at", "");
  await page.fill("#bundle", "");
  await page.evaluate(() => delete document.body.dataset.verdict);
  await page.setInputFiles("#bundle-file", valid.bundlePath);
  const got = await waitForVerdict(page);
  assert.equal(got.accepted, true, JSON.stringify(got));
  assert.match(await page.textContent("#verdict-title"), /^Accepted/);
});

test("chromium: the downloaded report holds the withdrawal, the claims, the key's hash and provenance, and the time", async () => {
  for (const name of ["valid", "flipped-proof-b"]) {
    const c = cases.find((x) => x.name === name);
    await verifyOnPage(c);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-report")]);
    assert.equal(download.suggestedFilename(), "zkcomply-verdict-w-2026-000123.html");
    const path = join(SCREENSHOTS, `report-${name}.html`);
    await download.saveAs(path);
    const html = readFileSync(path, "utf8");
    const key = JSON.parse(c.key);
    for (const expected of [
      cliHeadline(c).replaceAll("'", "&#39;"),
      "w-2026-000123",
      "0.25 ETH",
      "The sender&#39;s credential has not been revoked by its issuer.",
      key.hash,
      "development",
      "DEVELOPMENT KEY: whoever made it can forge proofs",
      "Verified at",
      `unix time ${c.at}`,
    ]) {
      assert.ok(html.includes(expected), `the report (${name}) says "${expected}"`);
    }
    // The verdict JSON in the report is the CLI's, escaped for HTML.
    assert.ok(html.includes(c.cli.stdout.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;")));
    const report = await context.newPage();
    await report.goto(`file://${path}`);
    await report.screenshot({ path: join(SCREENSHOTS, `report-${name}.png`), fullPage: true });
    await report.close();
  }
});

test("chromium: at phone width nothing overflows, every control is labelled, and text meets WCAG AA contrast", async () => {
  const p = await openPage(server.url, { width: 360, height: 740 });
  const states = [
    ["valid", cases.find((c) => c.name === "valid")],
    ["rejected", cases.find((c) => c.name === "stale")],
    ["malformed", cases.find((c) => c.name === "malformed")],
  ];
  for (const [name, c] of states) {
    await verifyOnPage(c, p);
    await p.evaluate(() => document.getElementById("engineers").setAttribute("open", ""));
    await screenshot(p, `phone-${name}`);
    const overflow = await p.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
    assert.equal(overflow, 0, `${name}: the page is wider than the phone`);
    const unlabelled = await p.evaluate(() =>
      [...document.querySelectorAll("input, textarea, button, select")]
        .filter((e) => {
          const labelled = e.id && document.querySelector(`label[for="${e.id}"]`);
          return !labelled && !e.getAttribute("aria-label") && !e.textContent.trim();
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, [], `${name}: controls without a label`);
    const lowContrast = await p.evaluate(() => {
      const rgba = (s) => s.match(/[\d.]+/g).map(Number);
      const luminance = ([r, g, b]) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (e) => {
        for (let n = e; n; n = n.parentElement) {
          const c = rgba(getComputedStyle(n).backgroundColor);
          if (c.length < 4 || c[3] > 0) return c;
        }
        return [255, 255, 255];
      };
      const failures = [];
      for (const e of document.querySelectorAll("body *")) {
        const ownText = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!ownText || !e.getClientRects().length || getComputedStyle(e).visibility === "hidden") continue;
        const style = getComputedStyle(e);
        const [l1, l2] = [luminance(rgba(style.color)), luminance(background(e))].sort((a, b) => b - a);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) failures.push(`${e.tagName}#${e.id}.${e.className}: ${ratio.toFixed(2)} "${e.textContent.trim().slice(0, 40)}"`);
      }
      return failures;
    });
    assert.deepEqual(lowContrast, [], `${name}: text below WCAG AA contrast`);
  }
  await p.close();
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

// The package in the page verifies batch bundles as the command line does:
// the same object, item by item.
test("chromium: batch bundles give the CLI's verdict, item by item", async () => {
  const got = await page.evaluate(async (cases) => {
    const m = await import("/pkg/zkcomply_wasm.js");
    await m.default();
    return cases.map((c) => new m.Verifier(c.key).verifyBatch(c.batch, c.policy, c.at));
  }, batches.map(({ batch, policy, key, at }) => ({ batch, policy, key, at })));
  for (const [i, c] of batches.entries()) assert.deepEqual(got[i], c.cli, c.name);
  assert.equal(got[0].accepted, true);
  assert.equal(got[0].items.length, 16);
});
