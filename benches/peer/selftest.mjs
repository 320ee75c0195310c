// Self-test of withdrawal.circom without the Rust side: builds a valid input
// with circomlibjs (the reference Poseidon and EdDSA-Poseidon), checks that
// its witness satisfies the compiled R1CS, and checks that inputs breaking
// each rule of the statement fail witness generation.
//
// Usage: node selftest.mjs BUILD_DIR
//   BUILD_DIR holds withdrawal.r1cs and withdrawal_js/withdrawal.wasm.
//   Writes BUILD_DIR/selftest_input.json (the valid input).
// Exit code 0 iff every case behaved as expected.

import { buildPoseidon, buildEddsa } from "circomlibjs";
import * as snarkjs from "snarkjs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const DEPTH = 20;
const buildDir = process.argv[2];
if (!buildDir) {
    console.error("usage: node selftest.mjs BUILD_DIR");
    process.exit(2);
}
const wasm = path.join(buildDir, "withdrawal_js", "withdrawal.wasm");
const r1cs = path.join(buildDir, "withdrawal.r1cs");

const poseidon = await buildPoseidon();
const eddsa = await buildEddsa();
const F = poseidon.F;
const H = (xs) => F.toObject(poseidon(xs.map((x) => BigInt(x))));

// Depth-20 zero hashes: empty leaf 0, zero[i+1] = H(zero[i], zero[i]).
const zero = [0n];
for (let i = 0; i < DEPTH; i++) zero.push(H([zero[i], zero[i]]));

const leafHash = (key, next) => H([key, next, 1n]);

// An indexed Merkle tree of sorted keys (sentinel 0 at index 0) with few
// enough leaves to build level by level over the non-empty prefix.
function buildTree(keys) {
    const sorted = [0n, ...[...new Set(keys.map(BigInt))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
    const leaves = sorted.map((k, i) => ({ key: k, next: i + 1 < sorted.length ? sorted[i + 1] : 0n }));
    const levels = [leaves.map((l) => leafHash(l.key, l.next))];
    for (let d = 0; d < DEPTH; d++) {
        const cur = levels[d];
        const up = [];
        for (let i = 0; i < cur.length; i += 2) {
            up.push(H([cur[i], i + 1 < cur.length ? cur[i + 1] : zero[d]]));
        }
        levels.push(up);
    }
    const root = levels[DEPTH][0];
    // Non-membership witness of x: the leaf with the largest key below x.
    function witness(x) {
        x = BigInt(x);
        let idx = 0;
        for (let i = 0; i < leaves.length; i++) if (leaves[i].key < x) idx = i;
        const bits = [];
        const sibs = [];
        let pos = idx;
        for (let d = 0; d < DEPTH; d++) {
            bits.push(pos & 1);
            const sib = pos ^ 1;
            sibs.push(sib < levels[d].length ? levels[d][sib] : zero[d]);
            pos >>= 1;
        }
        return { low_key: leaves[idx].key, low_next: leaves[idx].next, path_bits: bits, siblings: sibs };
    }
    return { root, witness };
}

// Fixed test data (shaped like the project's demo; values are arbitrary).
const issuerPrv = Buffer.from("0001020304050607080900010203040506070809000102030405060708090001", "hex");
const [ax, ay] = eddsa.prv2pub(issuerPrv).map((p) => F.toObject(p));
const [ax2, ay2] = eddsa.prv2pub(Buffer.alloc(32, 7)).map((p) => F.toObject(p));
const KEY_BOUND = 1n << 252n;
// Baby Jubjub subgroup order l.
const L_SUB = 2736030358979909402780800718157159393633548566024950627216802011604093812377n;
const secret = 0x1234567890abcdef1234567890abcdef1234567890abcdefn;
const cred = {
    kyc_tier: 2n,
    jurisdiction: 156n,
    identity_hash: H([0xabcdefn]) % KEY_BOUND,
    expires_at: 1798761600n,
    nonce: H([0x5eedn]) % KEY_BOUND,
};
const withdrawal = {
    chain_id: 1n,
    exchange_key: H([11n, 0x6f6b782d6d61696en]) % KEY_BOUND,
    withdrawal_key: H([13n, 0x772d323032362d303030313233n]) % KEY_BOUND,
    source_key: 0x2c1ba5b1a0fbc1c3ae2ac7ba0dc0cfaa72a5ee8fn,
    destination_key: 0x1111111111111111111111111111111111111111n,
    asset_key: H([3n, 0x455448n]) % KEY_BOUND,
    amount: 250000000000000000n,
};
const epoch = 20415n;
const now = 1763900000n;

function sign(c) {
    const idc = H([secret]);
    const m = H([idc, c.kyc_tier, c.jurisdiction, c.identity_hash, c.expires_at, c.nonce]);
    const sig = eddsa.signPoseidon(issuerPrv, F.e(m));
    return { sig_r8x: F.toObject(sig.R8[0]), sig_r8y: F.toObject(sig.R8[1]), sig_s: sig.S };
}

// Trees: identity = sentinel only (low leaf (0, 0), all-left path);
// address = a key above source_key (proof through x < low_next);
// revocation = a key below nonce (low leaf is the last one, next = 0).
function makeInput(o = {}) {
    const c = { ...cred, ...(o.cred || {}) };
    const w = { ...withdrawal, ...(o.withdrawal || {}) };
    const policy = {
        issuer_ax: ax,
        issuer_ay: ay,
        min_tier: 2n,
        limits: [0n, 10n ** 18n, 10n ** 19n, 10n ** 20n],
        blocked: [408n, 364n, 364n, 364n, 364n, 364n, 364n, 364n],
        ...(o.policy || {}),
    };
    const idTree = buildTree(o.identityKeys || []);
    const addrTree = buildTree(o.addressKeys || [w.source_key + 12345n]);
    const revTree = buildTree(o.revocationKeys || [c.nonce - 1n]);
    const statementHash = H([
        H([policy.issuer_ax, policy.issuer_ay, policy.min_tier, ...policy.limits, idTree.root, addrTree.root, revTree.root]),
        H(policy.blocked),
    ]);
    const input = {
        statement_hash: statementHash,
        context: H([w.chain_id, w.exchange_key, w.withdrawal_key, w.source_key, w.destination_key, w.asset_key, w.amount]),
        nullifier: H([secret, w.exchange_key, o.epoch ?? epoch]),
        epoch: o.epoch ?? epoch,
        now: o.now ?? now,
        disclosed_jurisdiction: o.disclosed ?? c.jurisdiction,
        issuer_ax: policy.issuer_ax,
        issuer_ay: policy.issuer_ay,
        min_tier: policy.min_tier,
        limits: policy.limits,
        identity_root: idTree.root,
        address_root: addrTree.root,
        revocation_root: revTree.root,
        blocked: policy.blocked,
        secret,
        ...c,
        ...sign(c),
        ...w,
    };
    for (const [name, tree, x] of [
        ["identity", idTree, c.identity_hash],
        ["address", addrTree, w.source_key],
        ["revocation", revTree, c.nonce],
    ]) {
        const wit = tree.witness(x);
        for (const [k, v] of Object.entries(wit)) input[`${name}_${k}`] = v;
    }
    if (o.patch) o.patch(input);
    return input;
}

const toJson = (v) =>
    Array.isArray(v) ? v.map(toJson) : typeof v === "bigint" || typeof v === "number" ? v.toString() : v;
const stringify = (input) => Object.fromEntries(Object.entries(input).map(([k, v]) => [k, toJson(v)]));

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const tmp = mkdtempSync(path.join(tmpdir(), "zkcomply-peer-"));
let failures = 0;

// Returns null when the witness was computed, else the error message.
async function witnessError(input, file) {
    const log = console.log;
    const err = console.error;
    console.log = console.error = () => {}; // the calculator prints its own errors
    try {
        await snarkjs.wtns.calculate(stringify(input), wasm, file);
        return null;
    } catch (e) {
        return String(e.message || e);
    } finally {
        console.log = log;
        console.error = err;
    }
}

// The valid case: witness satisfies every constraint.
const valid = makeInput();
writeFileSync(path.join(buildDir, "selftest_input.json"), JSON.stringify(stringify(valid), null, 1));
{
    const file = path.join(tmp, "valid.wtns");
    const ok = (await witnessError(valid, file)) === null && (await snarkjs.wtns.check(r1cs, file, undefined));
    console.log(`${ok ? "ok  " : "FAIL"} valid withdrawal: witness satisfies the R1CS`);
    if (!ok) failures++;
}

// Honest variants that must also work.
const honest = [
    ["tier above 3 uses limits[3]", { cred: { kyc_tier: 200n }, withdrawal: { amount: 10n ** 20n } }],
    ["amount equal to the limit", { withdrawal: { amount: 10n ** 19n } }],
    ["jurisdiction not disclosed", { disclosed: 0n }],
    ["low leaf is the sentinel with a next key", { revocationKeys: [cred.nonce + 1n] }],
    ["key just below 2^252 after the last leaf", { withdrawal: { source_key: KEY_BOUND - 1n }, addressKeys: [5n] }],
];
// Violations: each must make witness generation fail at the named check
// (a snippet of withdrawal.circom, and optionally the circomlib template in
// which the failing constraint sits).
const bad = [
    ["kyc_tier below min_tier", { policy: { min_tier: 3n } }, "tier_ok === 1;"],
    ["credential expired (expires_at == now)", { now: cred.expires_at }, "not_expired === 1;"],
    ["amount above limits[kyc_tier]", { withdrawal: { amount: 10n ** 19n + 1n } }, "within_limit === 1;"],
    ["tier above 3, amount above limits[3]", { cred: { kyc_tier: 200n }, withdrawal: { amount: 10n ** 20n + 1n } }, "within_limit === 1;"],
    ["amount = p - 1 (negative)", { withdrawal: { amount: P - 1n } }, "amount_bits.in <== amount;", "Num2Bits"],
    ["now >= 2^53", { now: 1n << 53n }, "now_bits.in <== now;", "Num2Bits"],
    ["jurisdiction blocked", { policy: { blocked: [408n, 156n, 364n, 364n, 364n, 364n, 364n, 364n] } }, "is_blocked[i] === 0;"],
    ["source address in the address tree", { addressKeys: [withdrawal.source_key] }, "(1 - below_next) * (1 - next_is_none) === 0;"],
    ["identity in the identity tree", { identityKeys: [cred.identity_hash, 7n] }, "(1 - below_next) * (1 - next_is_none) === 0;"],
    ["nonce revoked", { revocationKeys: [cred.nonce] }, "(1 - below_next) * (1 - next_is_none) === 0;"],
    ["disclosed jurisdiction differs", { disclosed: 157n }, "disclosed_jurisdiction * (disclosed_jurisdiction - jurisdiction) === 0;"],
    ["wrong statement_hash", { patch: (i) => (i.statement_hash += 1n) }, "statement_hash === statement;"],
    ["wrong context", { patch: (i) => (i.context += 1n) }, "context === expected_context;"],
    ["wrong nullifier", { patch: (i) => (i.nullifier += 1n) }, "nullifier === expected_nullifier;"],
    ["nullifier for another epoch", { patch: (i) => (i.epoch += 1n) }, "nullifier === expected_nullifier;"],
    ["signature S + 1", { patch: (i) => (i.sig_s += 1n) }, "sig.M <== message;", "ForceEqualIfEnabled"],
    ["signature S + l (malleated)", { patch: (i) => (i.sig_s += L_SUB) }, "sig.M <== message;", "EdDSAPoseidonVerifier"],
    ["signed kyc_tier changed", { patch: (i) => (i.kyc_tier = 3n) }, "sig.M <== message;", "ForceEqualIfEnabled"],
    ["signature under another issuer key", { policy: { issuer_ax: ax2, issuer_ay: ay2 } }, "sig.M <== message;", "ForceEqualIfEnabled"],
    ["path bit 2", { patch: (i) => (i.identity_path_bits[0] = 2n) }, "path_bits[i] * (1 - path_bits[i]) === 0;"],
    ["swapped sibling order", { patch: (i) => (i.identity_path_bits[0] = 1n) }, "root === cur[depth];"],
    ["low leaf's next key edited", { patch: (i) => (i.revocation_low_next = i.nonce + 1n) }, "root === cur[depth];"],
    ["empty position used as low leaf", {
        patch: (i) => {
            i.identity_path_bits[0] = 1n;
            i.identity_siblings[0] = leafHash(0n, 0n);
        },
    }, "root === cur[depth];"],
];

// Where each check sits: line numbers of snippets in withdrawal.circom.
const source = readFileSync(new URL("./withdrawal.circom", import.meta.url), "utf8").split("\n");
function lineOf(snippet) {
    const hits = source.flatMap((l, i) => (l.includes(snippet) ? [i + 1] : []));
    if (hits.length !== 1) throw new Error(`snippet not found once in withdrawal.circom: ${snippet}`);
    return hits[0];
}
// The witness calculator's message lists frames innermost first:
// "Error in template NAME_ID line: N".
function failedAt(message, snippet, inner) {
    const frames = [...message.matchAll(/Error in template (\w+?)_\d+ line: (\d+)/g)].map((m) => [m[1], Number(m[2])]);
    const ours = frames.filter(([t]) => t === "Withdrawal" || t === "IMTNonMembership");
    return ours.length > 0 && ours[0][1] === lineOf(snippet) && (!inner || (frames[0] && frames[0][0] === inner));
}

for (const [name, o] of honest) {
    const error = await witnessError(makeInput(o), path.join(tmp, "h.wtns"));
    const checked = error === null && (await snarkjs.wtns.check(r1cs, path.join(tmp, "h.wtns"), undefined));
    console.log(`${checked ? "ok  " : "FAIL"} honest: ${name}`);
    if (!checked) failures++;
}
for (const [name, o, snippet, inner] of bad) {
    const error = await witnessError(makeInput(o), path.join(tmp, "b.wtns"));
    if (error === null) {
        console.log(`FAIL rejected: ${name}: the witness was computed`);
        failures++;
    } else if (!failedAt(error, snippet, inner)) {
        console.log(`FAIL rejected: ${name}: failed elsewhere than \`${snippet}\`${inner ? ` in ${inner}` : ""}:\n${error}`);
        failures++;
    } else {
        console.log(`ok   rejected: ${name} (at \`${snippet}\`${inner ? ` in ${inner}` : ""})`);
    }
}
rmSync(tmp, { recursive: true, force: true });

const total = 1 + honest.length + bad.length;
console.log(`${total - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
