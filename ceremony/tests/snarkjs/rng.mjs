// Runs ffjavascript's and snarkjs's own randomness functions for
// ceremony/tests/snarkjs_rng_interop.rs. Usage: node rng.mjs NODE_MODULES
// with a JSON request on stdin; prints a JSON answer.
import { pathToFileURL } from "node:url";
import path from "node:path";
import { readFileSync } from "node:fs";

const modules = process.argv[2];
const load = (rel) => import(pathToFileURL(path.join(modules, rel)).href);
const ff = await load("ffjavascript/main.js");
const keypair = await load("snarkjs/src/keypair.js");
const misc = await load("snarkjs/src/misc.js");

const request = JSON.parse(readFileSync(0, "utf8"));
const curve = await ff.buildBn128(true);
const dec = (x) => x.toString(10);
const g1 = (p) => curve.G1.toObject(curve.G1.toAffine(p)).slice(0, 2).map(dec);
const g2 = (p) => curve.G2.toObject(curve.G2.toAffine(p)).slice(0, 2).map((c) => c.map(dec));
const fr = (e) => dec(curve.Fr.toObject(e));
const bytes = (hex) => Uint8Array.from(Buffer.from(hex, "hex"));

const answer = {};

const rng = new ff.ChaCha(request.seed);
answer.u32 = [];
for (let i = 0; i < request.n_u32; i++) answer.u32.push(rng.nextU32());
answer.u64 = [];
for (let i = 0; i < request.n_u64; i++) answer.u64.push(dec(rng.nextU64()));

const draws = new ff.ChaCha(request.seed);
answer.fr = [];
answer.g1 = [];
answer.g2 = [];
for (let i = 0; i < request.n_points; i++) {
    answer.fr.push(fr(curve.Fr.fromRng(draws)));
    answer.g1.push(g1(curve.G1.fromRng(draws)));
    answer.g2.push(g2(curve.G2.fromRng(draws)));
}

answer.hash_to_g2 = request.hashes.map((h) => g2(keypair.hashToG2(curve, bytes(h))));

answer.beacons = [];
for (const b of request.beacons) {
    const brng = await misc.rngFromBeaconParams(bytes(b.hash), b.iterations_exp);
    const prvKey = curve.Fr.fromRng(brng);
    const g1_s = curve.G1.toAffine(curve.G1.fromRng(brng));
    const g1_sx = curve.G1.toAffine(curve.G1.timesFr(g1_s, prvKey));
    answer.beacons.push({ secret: fr(prvKey), g1_s: g1(g1_s), g1_sx: g1(g1_sx) });
}

answer.format_hash = misc.formatHash(bytes(request.format_hash), "Contribution Hash: ");

await curve.terminate();
process.stdout.write(JSON.stringify(answer));
