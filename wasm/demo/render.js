// Building blocks of the deposit page and its report: long values
// shortened with a copy button, label/value lists, claim lists. Every text
// goes in through textContent (or escape() for the report's HTML), never as
// markup.

/**
 * Opaque values (no spaces: keys, roots, hashes, nullifiers) longer than
 * this are shown shortened, whole in a tooltip and a copy button. An
 * address (42 characters) stays whole, for the operator to compare.
 */
const LONG = 44;

/** `4019263615…653323988` for long opaque values; words and short values whole. */
export function shorten(value) {
  const chars = [...value];
  if (chars.length <= LONG || /\s/.test(value)) return value;
  return `${chars.slice(0, 10).join("")}…${chars.slice(-6).join("")}`;
}

/** Text for HTML, escaped. */
export function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Copies `text`, with a fallback for pages where the Clipboard API is refused. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = element("textarea", { value: text });
    area.setAttribute("aria-hidden", "true");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

/** A value node: whole when short; shortened, with its whole text in a tooltip and a copy button, when long. */
export function valueNode(label, value) {
  const span = element("span", { className: "value", textContent: shorten(value) });
  if (shorten(value) === value) return span;
  span.title = value;
  const button = element("button", { type: "button", className: "copy", textContent: "Copy" });
  button.setAttribute("aria-label", `Copy ${label}`);
  button.dataset.copy = value;
  button.addEventListener("click", async () => {
    button.textContent = (await copyText(value)) ? "Copied" : "Copy failed";
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return element("span", {}, [span, button]);
}

/** Fills the `<dl>` `list` with facts: label, value (shortened when long) and note. */
export function fillFacts(list, facts) {
  list.replaceChildren(
    ...facts.flatMap((f) => {
      const dd = element("dd", {}, [valueNode(f.label, f.value)]);
      if (f.note) dd.append(element("span", { className: "note", textContent: f.note }));
      return [element("dt", { textContent: f.label }), dd];
    }),
  );
}

/** The words for a claim's status, as its badge says them. */
export const STATUS_WORDS = {
  holds: "Holds",
  partly: "Partly checked",
  not_checked: "Not checked",
  fails: "Fails",
  not_established: "Not established",
};

/** Fills the `<ul>` `list` with the claims: badge, statement, status sentence, evidence. */
export function fillClaims(list, claims) {
  list.replaceChildren(
    ...claims.map((c) => {
      const item = element("li", {}, [
        element("span", { className: `badge ${c.status}`, textContent: STATUS_WORDS[c.status] }),
        element("span", { className: "claim", textContent: c.statement }),
      ]);
      item.dataset.claim = c.id;
      item.dataset.status = c.status;
      if (c.status !== "holds") item.append(element("p", { className: "claim-status", textContent: c.status_text }));
      if (c.evidence.length) {
        const dl = element("dl", { className: "facts" });
        fillFacts(dl, c.evidence);
        item.append(dl);
      }
      return item;
    }),
  );
}
