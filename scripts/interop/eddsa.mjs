// EdDSA-Poseidon with circomlibjs, driven by zkcomply's interop tests.
// Reads one JSON request on stdin, writes one JSON answer on stdout:
//   {"op":"sign","private_key_hex":"..","message":"<decimal>"}
//     -> {"public_key":[x,y],"r8":[x,y],"s":".."}
//   {"op":"verify","public_key":[x,y],"message":"..","r8":[x,y],"s":".."}
//     -> {"valid":true|false}
import { buildEddsa } from "circomlibjs";

const input = await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (c) => (data += c));
  process.stdin.on("end", () => resolve(data));
});
const req = JSON.parse(input);
const eddsa = await buildEddsa();
const F = eddsa.babyJub.F;
const str = (e) => F.toObject(e).toString();

if (req.op === "sign") {
  const prv = Buffer.from(req.private_key_hex, "hex");
  const pub = eddsa.prv2pub(prv);
  const sig = eddsa.signPoseidon(prv, F.e(BigInt(req.message)));
  console.log(JSON.stringify({ public_key: [str(pub[0]), str(pub[1])], r8: [str(sig.R8[0]), str(sig.R8[1])], s: sig.S.toString() }));
} else if (req.op === "verify") {
  const pub = [F.e(BigInt(req.public_key[0])), F.e(BigInt(req.public_key[1]))];
  const sig = { R8: [F.e(BigInt(req.r8[0])), F.e(BigInt(req.r8[1]))], S: BigInt(req.s) };
  console.log(JSON.stringify({ valid: eddsa.verifyPoseidon(F.e(BigInt(req.message)), sig, pub) }));
} else {
  console.error(`unknown op ${req.op}`);
  process.exit(2);
}
