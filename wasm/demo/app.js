// The deposit page: verifies a pasted or picked bundle with the zkcomply
// WebAssembly verifier against the policy and key (prefilled from
// policy.json and verifying_key.json next to the page, when present).
import init, { Verifier } from "../pkg/zkcomply_wasm.js";

const $ = (id) => document.getElementById(id);
let verifier = null;
let verifierKeyText = null;

async function prefill(id, file) {
  try {
    const response = await fetch(file);
    if (response.ok && !$(id).value) $(id).value = await response.text();
  } catch {
    // Not served next to the page: the user pastes it.
  }
}

function list(id, names) {
  $(id).replaceChildren(...names.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
}

// What the verdict says about the key: a ceremony's transcript, a
// transparent (halo2) key, or the development (or unknown-provenance)
// warning.
function keyLine(key) {
  if (!key) return "";
  if (key.provenance === "ceremony") return `Key: ceremony, transcript ${key.transcript_hash}`;
  if (key.provenance === "transparent") return "Key: transparent (no trusted setup; rebuilt from the circuit and checked on load)";
  const what = key.provenance === "development" ? "development setup" : "unknown provenance";
  return key.warning ? `Key: ${what}. WARNING: ${key.warning}` : `Key: ${what}, pinned by the policy`;
}

function show(kind, title, reason, verdict, ms) {
  $("verdict").className = kind;
  $("verdict-title").textContent = title;
  $("verdict-reason").textContent = reason ?? "";
  $("verdict-time").textContent = ms === undefined ? "" : `verified in ${ms.toFixed(1)} ms`;
  $("verdict-key").textContent = keyLine(verdict?.key);
  list("checked", verdict?.checked ?? []);
  list("not-checked", verdict?.not_checked ?? []);
  $("not-checked-title").hidden = !(verdict?.not_checked?.length);
}

function verify() {
  const started = performance.now();
  try {
    if (!verifier || verifierKeyText !== $("key").value) {
      verifier = new Verifier($("key").value);
      verifierKeyText = $("key").value;
    }
    const atText = $("at").value.trim();
    const at = atText === "" ? undefined : Number(atText);
    const verdict = verifier.verify($("bundle").value, $("policy").value, at);
    const ms = performance.now() - started;
    if (verdict.accepted) {
      show("accepted", "Accepted: the withdrawal is compliant under this policy.", "", verdict, ms);
    } else {
      show("rejected", `Rejected: ${verdict.failed_check}`, verdict.reason, verdict, ms);
    }
    document.body.dataset.verdict = JSON.stringify({ ...verdict, ms });
  } catch (error) {
    verifier = null;
    show("error", "Cannot verify: the input is malformed.", String(error.message ?? error));
    document.body.dataset.verdict = JSON.stringify({ error: String(error.message ?? error) });
  }
}

$("bundle-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (file) {
    $("bundle").value = await file.text();
    verify();
  }
});
$("verify").addEventListener("click", verify);

await Promise.all([prefill("policy", "policy.json"), prefill("key", "verifying_key.json")]);
await init();
$("status").textContent = "verifier ready";
$("verify").disabled = false;
document.body.dataset.ready = "true";
