// The printable one-page report of a verdict: the withdrawal, the claims,
// the key's hash and provenance, the time of verification, and the verdict
// JSON the command line prints. A standalone HTML file with its own styles.
import { STATUS_WORDS, escape } from "./render.js";

function facts(list) {
  return `<dl>${list
    .map((f) => `<dt>${escape(f.label)}</dt><dd><code>${escape(f.value)}</code>${f.note ? `<br><small>${escape(f.note)}</small>` : ""}</dd>`)
    .join("")}</dl>`;
}

/**
 * The report as HTML text. `explained` is what `Verifier.explain` returns;
 * `demoTime` is true when the page verified at the bundle's own time.
 */
export function reportHtml(explained, { demoTime = false } = {}) {
  const x = explained.explanation;
  const key = x.key;
  const id = x.withdrawal.find((f) => f.label === "Withdrawal id")?.value ?? "";
  const keyFacts = key
    ? [
        { label: "Key hash (SHA-256)", value: key.hash },
        { label: "Provenance", value: key.provenance, note: key.summary },
        ...(key.transcript_hash ? [{ label: "Ceremony transcript", value: key.transcript_hash }] : []),
        { label: "Pinned by the policy", value: key.pinned_by_policy ? "yes" : "no" },
      ]
    : [];
  const claims = x.claims
    .map(
      (c) =>
        `<li><strong>${escape(STATUS_WORDS[c.status])}:</strong> ${escape(c.statement)}` +
        (c.status === "holds" ? "" : `<br><small>${escape(c.status_text)}</small>`) +
        (c.evidence.length ? facts(c.evidence) : "") +
        "</li>",
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>zkcomply verdict ${escape(id)}</title>
<style>
body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 1.5cm; }
h1 { font-size: 15pt; margin: 0 0 .3em; } h2 { font-size: 12pt; margin: 1em 0 .3em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em .8em; margin: .2em 0; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; } code { font-size: 9pt; }
ul { padding-left: 1.2em; } li { margin-bottom: .4em; }
.warning { background: #b00020; color: #fff; padding: .4em .6em; font-weight: 700; }
.demo { border: 2px dashed #7a4d00; padding: .3em .6em; }
pre { font-size: 7pt; line-height: 1.2; columns: 2; white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #999; padding: .4em; }
@page { size: A4; margin: 1cm; }
</style></head><body>
<h1>${escape(x.headline)}</h1>
${key?.warning ? `<p class="warning">${escape(key.warning)}</p>` : ""}
${x.rejection ? `<p><strong>What failed:</strong> ${escape(x.rejection.what_failed)}<br><strong>What to do:</strong> ${escape(x.rejection.what_to_do)}</p>` : ""}
${demoTime ? `<p class="demo">Demo: verified at the bundle's own time, not at the time of the check.</p>` : ""}
<h2>Verified</h2>
${facts([
  { label: "Verified at", value: x.time.verified_at_utc, note: `unix time ${x.time.verified_at}` },
  { label: "Bundle made at", value: x.time.made_at_utc, note: x.time.sentence },
])}
<h2>The withdrawal</h2>
${facts(x.withdrawal)}
<h2>The claims</h2>
<ul>${claims}</ul>
<h2>Verifying key</h2>
${facts(keyFacts)}
<h2>The verdict, as zkcomply-verify verify --json prints it</h2>
<pre>${escape(explained.verdictJson)}</pre>
</body></html>
`;
}

/** Offers the report as a download named after the withdrawal. */
export function downloadReport(explained, options) {
  const id = explained.explanation.withdrawal.find((f) => f.label === "Withdrawal id")?.value ?? "bundle";
  const name = `zkcomply-verdict-${id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80)}.html`;
  const url = URL.createObjectURL(new Blob([reportHtml(explained, options)], { type: "text/html" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
