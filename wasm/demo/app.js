// The deposit page: verifies a dropped, picked or pasted bundle with the
// zkcomply WebAssembly verifier against the policy and key (prefilled from
// policy.json and verifying_key.json next to the page, when present), and
// shows the verdict in plain words: the withdrawal, the claims with their
// evidence, the key's provenance and the bundle's age.
import init, { Verifier } from "../pkg/zkcomply_wasm.js";
import { copyText, fillClaims, fillFacts } from "./render.js";
import { downloadReport } from "./report.js";

const $ = (id) => document.getElementById(id);
let verifier = null;
let verifierKeyText = null;
/** The last verification: what `Verifier.explain` returned, and whether it used the demo's time. */
let last = null;
/** Set when the page is served by the demo server (`demo.json` beside it). */
let demo = null;

async function fetchText(file) {
  try {
    const response = await fetch(file, { cache: "no-store" });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** Hosts the demo server listens on (`wasm/tests/serve.mjs`: 127.0.0.1). */
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/**
 * The demo server's marker (`demo.json`: `{"demo": true, "bundle": ...}`), or null.
 * The demo controls, verifying at the bundle's own time among them, appear only on a
 * loopback page whose server answers with exactly that marker.
 */
function demoServer(text) {
  if (text === null || !LOOPBACK.includes(location.hostname)) return null;
  try {
    const marker = JSON.parse(text);
    return marker?.demo === true && typeof marker.bundle === "string" ? marker : null;
  } catch {
    return null;
  }
}

async function prefill(id, file) {
  const text = await fetchText(file);
  if (text !== null && !$(id).value) $(id).value = text;
}

function list(id, names) {
  $(id).replaceChildren(...names.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
}

// The technical line on the key, for the engineers' details.
function keyLine(key) {
  if (!key) return "";
  if (key.provenance === "ceremony") return `Key: ceremony, transcript ${key.transcript_hash}`;
  if (key.provenance === "transparent") return "Key: transparent (no trusted setup; rebuilt from the circuit and checked on load)";
  const what = key.provenance === "development" ? "development setup" : "unknown provenance";
  return key.warning ? `Key: ${what}. WARNING: ${key.warning}` : `Key: ${what}, pinned by the policy`;
}

function showKey(key) {
  const banner = $("key-banner");
  banner.hidden = !key?.warning;
  banner.textContent = key?.warning ?? "";
  banner.className = key?.provenance === "development" ? "" : "caution";
  $("key-summary").textContent = key?.summary ?? "";
  const facts = key
    ? [
        { label: "Key hash", value: key.hash, note: "SHA-256 of the verifying key" },
        ...(key.transcript_hash ? [{ label: "Ceremony transcript", value: key.transcript_hash }] : []),
        { label: "Pinned by the policy", value: key.pinned_by_policy ? "yes" : "no" },
      ]
    : [];
  fillFacts($("key-facts"), facts);
}

function showTime(time) {
  $("time-sentence").textContent = time.sentence;
  fillFacts($("time"), [
    { label: "Bundle made at", value: time.made_at_utc },
    { label: "Verified at", value: time.verified_at_utc },
    ...(time.max_clock_skew_seconds === undefined ? [] : [{ label: "Policy allows", value: `${time.max_clock_skew_seconds} s either way` }]),
  ]);
}

function showExplained(explained, ms, demoTime) {
  const { verdict, explanation: x } = explained;
  $("verdict").className = verdict.accepted ? "accepted" : "rejected";
  $("verdict-title").textContent = x.headline;
  $("rejection").hidden = !x.rejection;
  $("what-failed").textContent = x.rejection?.what_failed ?? "";
  $("what-to-do").textContent = x.rejection?.what_to_do ?? "";
  const staleInDemo = demo && !demoTime && verdict.failed_check === "clock";
  $("demo-time-note").hidden = !demoTime && !staleInDemo;
  $("demo-time-note").textContent = demoTime
    ? "Demo: verified at the bundle's own time, not now. The freshness check passes whatever the bundle's age."
    : staleInDemo
      ? "Demo server: tick \"Verify at the bundle's own time\" above to check everything else in this bundle."
      : "";
  $("error-text").textContent = "";
  $("records").hidden = false;
  $("explained").hidden = false;
  showKey(x.key);
  fillFacts($("withdrawal"), x.withdrawal);
  fillClaims($("claims"), x.claims);
  showTime(x.time);
  $("verdict-time").textContent = `verified in ${ms.toFixed(1)} ms`;
  $("verdict-reason").textContent = verdict.accepted ? "" : `${verdict.failed_check}: ${verdict.reason}`;
  $("verdict-key").textContent = keyLine(verdict.key);
  list("checked", verdict.checked);
  list("not-checked", verdict.not_checked);
  $("not-checked-title").hidden = !verdict.not_checked.length;
}

function showError(message) {
  $("verdict").className = "error";
  $("verdict-title").textContent = "Cannot verify: the input is malformed.";
  $("error-text").textContent = message;
  for (const id of ["rejection", "demo-time-note", "key-banner", "records", "explained"]) $(id).hidden = true;
  for (const id of ["verdict-time", "verdict-reason", "verdict-key"]) $(id).textContent = "";
  list("checked", []);
  list("not-checked", []);
  $("not-checked-title").hidden = true;
}

/** The verification time: the demo's bundle time when ticked, the field's, or now. */
function verificationTime() {
  if (demo && $("at-bundle-time").checked) {
    try {
      const now = JSON.parse($("bundle").value).withdrawal.now;
      if (Number.isSafeInteger(now)) return { at: now, demoTime: true };
    } catch {
      // Not a bundle: the verifier reports it.
    }
  }
  const atText = $("at").value.trim();
  return { at: atText === "" ? undefined : Number(atText), demoTime: false };
}

function verify() {
  const started = performance.now();
  try {
    if (!verifier || verifierKeyText !== $("key").value) {
      verifier = new Verifier($("key").value);
      verifierKeyText = $("key").value;
    }
    const { at, demoTime } = verificationTime();
    const explained = verifier.explain($("bundle").value, $("policy").value, at);
    const ms = performance.now() - started;
    last = { explained, demoTime };
    showExplained(explained, ms, demoTime);
    document.body.dataset.verdict = JSON.stringify({ ...explained.verdict, ms });
  } catch (error) {
    verifier = null;
    last = null;
    const message = String(error.message ?? error);
    showError(message);
    document.body.dataset.verdict = JSON.stringify({ error: message });
  }
}

async function useFile(file) {
  if (!file) return;
  $("bundle").value = await file.text();
  verify();
}

$("bundle-file").addEventListener("change", (event) => useFile(event.target.files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  useFile(event.dataTransfer?.files?.[0]);
});
$("verify").addEventListener("click", verify);
$("copy-verdict").addEventListener("click", async () => {
  if (!last) return;
  const done = await copyText(last.explained.verdictJson);
  $("copy-status").textContent = done ? "Verdict copied (JSON, as zkcomply-verify verify --json prints it)." : "Could not copy.";
});
$("download-report").addEventListener("click", () => {
  if (last) downloadReport(last.explained, { demoTime: last.demoTime });
});

await Promise.all([prefill("policy", "policy.json"), prefill("key", "verifying_key.json")]);
demo = demoServer(await fetchText("demo.json"));
if (demo) {
  $("demo-panel").hidden = false;
  $("load-demo").addEventListener("click", async () => {
    const bundle = await fetchText(demo.bundle);
    if (bundle === null) {
      showError(`the demo server has no ${demo.bundle}`);
      return;
    }
    $("bundle").value = bundle;
    verify();
  });
  $("at-bundle-time").addEventListener("change", () => {
    if ($("bundle").value.trim()) verify();
  });
}
await init();
$("status").textContent = "verifier ready";
$("verify").disabled = false;
document.body.dataset.ready = "true";
