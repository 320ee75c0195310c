// Renders snarkjs's Groth16 Solidity verifier (the template `snarkjs zkey
// export solidityverifier` uses) for a verification key in snarkjs's JSON
// format, so zkcomply's verifier and snarkjs's can be measured on the same key.
//
//   node render-snarkjs.mjs VERIFICATION_KEY.json OUT.sol
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ejs from "ejs";

const [keyPath, outPath] = process.argv.slice(2);
if (!keyPath || !outPath) {
  console.error("usage: node render-snarkjs.mjs VERIFICATION_KEY.json OUT.sol");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const template = fs.readFileSync(path.join(here, "node_modules/snarkjs/templates/verifier_groth16.sol.ejs"), "utf8");
const key = JSON.parse(fs.readFileSync(keyPath, "utf8"));
fs.writeFileSync(outPath, ejs.render(template, key));
