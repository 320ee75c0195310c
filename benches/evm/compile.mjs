// Compiles every .sol file of a directory with solc-js (the version pinned in
// package.json) and prints, as JSON on stdout, each contract's creation
// bytecode, runtime size and function selectors.
//
//   node compile.mjs DIR [--no-optimize]
//
// Settings: the optimizer on (200 runs), EVM cancun; ContextHashParts.sol is
// compiled on its own with the Yul optimizer off, as its header asks.
//
// Exit code 1 with solc's messages on stderr when compilation fails.
import fs from "node:fs";
import path from "node:path";
import solc from "solc";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node compile.mjs DIR [--no-optimize]");
  process.exit(2);
}
const optimize = !process.argv.includes("--no-optimize");
const HAND_SCHEDULED = "ContextHashParts.sol";
const units = [{}, {}];
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".sol")).sort()) {
  units[name === HAND_SCHEDULED ? 1 : 0][name] = { content: fs.readFileSync(path.join(dir, name), "utf8") };
}
const outputs = units
  .filter((sources) => Object.keys(sources).length > 0)
  .map((sources) => {
    const handScheduled = HAND_SCHEDULED in sources;
    const optimizer = optimize ? { enabled: true, runs: 200 } : { enabled: false };
    if (optimize && handScheduled) optimizer.details = { yul: false };
    const input = {
      language: "Solidity",
      sources,
      settings: {
        optimizer,
        evmVersion: "cancun",
        outputSelection: { "*": { "*": ["evm.bytecode.object", "evm.deployedBytecode.object", "evm.methodIdentifiers"] } },
      },
    };
    return JSON.parse(solc.compile(JSON.stringify(input)));
  });
let failed = false;
for (const output of outputs) {
  for (const e of output.errors || []) {
    if (e.severity === "error") {
      console.error(e.formattedMessage);
      failed = true;
    }
  }
}
if (failed) process.exit(1);
const contracts = {};
for (const [file, byName] of outputs.flatMap((o) => Object.entries(o.contracts || {}))) {
  for (const [name, c] of Object.entries(byName)) {
    contracts[name] = {
      file,
      bytecode: c.evm.bytecode.object,
      runtime_size: c.evm.deployedBytecode.object.length / 2,
      selectors: c.evm.methodIdentifiers,
    };
  }
}
process.stdout.write(JSON.stringify({ compiler: solc.version(), contracts }));
