// A static server on 127.0.0.1 for the deposit page: /pkg/ is the built
// package, /demo/ the page. Given a demo directory (`zkcomply demo --out
// DIR`), it is the demo server: the exchange's policy.json and
// verifying_key.json are served beside the page, with the demo's
// bundle.json and demo.json (`{"demo": true, ...}`), which turns on the
// page's demo controls ("Load the demo's bundle", "Verify at the bundle's
// own time") when the page is on a loopback address.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

import { ROOT } from "./cases.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server; resolves to { url, close }. `demoDir` may be null. */
export function serve(demoDir) {
  const routes = [
    ["/pkg/", join(ROOT, "wasm/pkg")],
    ["/demo/policy.json", demoDir && join(demoDir, "policy.json")],
    ["/demo/verifying_key.json", demoDir && join(demoDir, "verifying_key.json")],
    ["/demo/bundle.json", demoDir && join(demoDir, "bundle.json")],
    ["/demo/", join(ROOT, "wasm/demo")],
  ];
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (demoDir && path === "/demo/demo.json") {
      res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
      res.end(JSON.stringify({ demo: true, bundle: "bundle.json" }));
      return;
    }
    const route = routes.find(([prefix]) => path === prefix || (prefix.endsWith("/") && path.startsWith(prefix)));
    const file = route?.[1] && (route[0].endsWith("/") ? join(route[1], path.slice(route[0].length)) : route[1]);
    try {
      if (!file || path.includes("..")) throw new Error("not found");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serve(process.argv[2] ?? null);
  console.log(`deposit page: ${url}/demo/index.html`);
}
