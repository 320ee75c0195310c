// Compiles every .sol file of a directory with solc-js (the version pinned in
// package.json), as one compilation unit with one settings block, and prints,
// as JSON on stdout, the settings used and each contract's creation bytecode,
// runtime size and function selectors.
//
//   node compile.mjs DIR [--settings optimized|unoptimized|via-ir]
//
// Settings, EVM cancun in each, solc's defaults otherwise:
//   optimized    the optimizer on, 200 runs: the default, and the cheapest in
//                gas (docs/ONCHAIN.md recommends it);
//   unoptimized  the optimizer off;
//   via-ir       viaIR with the optimizer on, 200 runs.
//
// Exit code 1 with solc's messages on stderr when compilation fails, 2 for
// bad arguments.
import fs from "node:fs";
import path from "node:path";
import solc from "solc";

const SETTINGS = {
  optimized: { optimizer: { enabled: true, runs: 200 } },
  unoptimized: { optimizer: { enabled: false } },
  "via-ir": { optimizer: { enabled: true, runs: 200 }, viaIR: true },
};
const DEFAULT_SETTINGS = "optimized";
const USAGE = `usage: node compile.mjs DIR [--settings ${Object.keys(SETTINGS).join("|")}]`;

const args = process.argv.slice(2);
let dir;
let settings = DEFAULT_SETTINGS;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--settings") {
    settings = args[++i];
  } else if (args[i].startsWith("--settings=")) {
    settings = args[i].slice("--settings=".length);
  } else if (!args[i].startsWith("--") && dir === undefined) {
    dir = args[i];
  } else {
    console.error(`unexpected argument ${args[i]}\n${USAGE}`);
    process.exit(2);
  }
}
if (!dir || !Object.hasOwn(SETTINGS, settings ?? "")) {
  console.error(USAGE);
  process.exit(2);
}

const sources = {};
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".sol")).sort()) {
  sources[name] = { content: fs.readFileSync(path.join(dir, name), "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: {
    ...SETTINGS[settings],
    evmVersion: "cancun",
    outputSelection: { "*": { "*": ["evm.bytecode.object", "evm.deployedBytecode.object", "evm.methodIdentifiers"] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of output.errors || []) {
  if (e.severity === "error") {
    console.error(e.formattedMessage);
    failed = true;
  }
}
if (failed) process.exit(1);
const contracts = {};
for (const [file, byName] of Object.entries(output.contracts || {})) {
  for (const [name, c] of Object.entries(byName)) {
    contracts[name] = {
      file,
      bytecode: c.evm.bytecode.object,
      runtime_size: c.evm.deployedBytecode.object.length / 2,
      selectors: c.evm.methodIdentifiers,
    };
  }
}
process.stdout.write(JSON.stringify({ compiler: solc.version(), settings, contracts }));
