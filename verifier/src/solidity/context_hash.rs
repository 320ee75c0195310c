//! `ContextHash.sol`: circomlib's Poseidon for the seven inputs of
//! `context`, generated from the same rearranged constants as the native
//! hash ([`zkcomply_circuits::poseidon::Schedule`]).
//!
//! Every constant is a `PUSH32` in straight-line assembly (the cheapest way
//! to read a constant in the EVM); the state lives on the stack and passes
//! through memory only for the dense mixing of full rounds. That code is
//! about 50 KB, so it is split across three contracts of at most 24 KB
//! (EIP-170) that the gate calls in turn, state in and state out. Sums of
//! products are added without reduction while they provably stay below
//! `2^256` (each product is below `q` and `5q < 2^256`) and reduced with
//! `addmod` otherwise.

use std::fmt::Write;

use zkcomply_circuits::poseidon::Schedule;
use zkcomply_circuits::Fr;

use super::words::literal;

/// Inputs of the context hash.
pub const CONTEXT_INPUTS: usize = 7;
/// State width.
const WIDTH: usize = CONTEXT_INPUTS + 1;
/// The largest multiple of `q` an unreduced sum may reach (`5q < 2^256`).
const MAX_BOUND: u32 = 5;
/// The BN254 scalar field modulus, the field Poseidon works in.
pub const SCALAR_MODULUS: &str = "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";

/// Names of the three parts, in calling order.
pub const PART_NAMES: [&str; 3] = ["ContextHashPart1", "ContextHashPart2", "ContextHashPart3"];

/// Where the partial rounds are split between the parts.
const PARTIAL_SPLIT: [usize; 2] = [20, 43];

/// Emits straight-line Yul, tracking how many multiples of `q` each state
/// variable may hold.
struct Emitter {
    out: String,
    bound: [u32; WIDTH],
}

impl Emitter {
    fn new() -> Self {
        Self { out: String::new(), bound: [1; WIDTH] }
    }

    fn line(&mut self, s: &str) {
        self.out.push_str("            ");
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// `target += product` for a `product < q`: a plain `add` while the sum
    /// stays below `MAX_BOUND * q`, else `addmod`.
    fn add_product(&mut self, target: usize, product: String) {
        if self.bound[target] < MAX_BOUND {
            self.line(&format!("s{target} := add(s{target}, {product})"));
            self.bound[target] += 1;
        } else {
            self.line(&format!("s{target} := addmod(s{target}, {product}, q)"));
            self.bound[target] = 1;
        }
    }

    /// `s_i := (s_i + c)^5`.
    fn sbox(&mut self, i: usize, c: &Fr) {
        self.line(&format!("x := addmod(s{i}, {}, q)", literal(c)));
        self.line(&format!("s{i} := mulmod(x, x, q)"));
        self.line(&format!("s{i} := mulmod(mulmod(s{i}, s{i}, q), x, q)"));
        self.bound[i] = 1;
    }

    /// A full round: every S-box, then `mix_NAME` through memory.
    fn full_round(&mut self, constants: &[Fr], mix: &str) {
        for (i, c) in constants.iter().enumerate() {
            self.sbox(i, c);
        }
        self.dense(mix);
    }

    /// `s := M s` by the Yul function `mix_NAME`, through memory words 0..8.
    fn dense(&mut self, mix: &str) {
        for i in 0..WIDTH {
            self.line(&format!("mstore({}, s{i})", i * 32));
        }
        self.line(&format!("mix_{mix}()"));
        for i in 0..WIDTH {
            self.line(&format!("s{i} := mload({})", i * 32));
            self.bound[i] = MAX_BOUND;
        }
    }

    /// A partial round with a sparse step: `x = (s0 + c)^5`,
    /// `s0 = row . (x, s1..)`, `s_k += w_k x`.
    fn partial_sparse(&mut self, c: &Fr, row: &[Fr], w: &[Fr]) {
        self.partial_sbox(c);
        self.line(&format!("s0 := mulmod({}, x, q)", literal(&row[0])));
        self.bound[0] = 1;
        for (k, r) in row.iter().enumerate().skip(1) {
            self.add_product(0, format!("mulmod({}, s{k}, q)", literal(r)));
        }
        for (k, wk) in w.iter().enumerate() {
            self.add_product(k + 1, format!("mulmod({}, x, q)", literal(wk)));
        }
    }

    /// `x := (s0 + c)^5` (`s0` is left holding a scratch value).
    fn partial_sbox(&mut self, c: &Fr) {
        self.line(&format!("x := addmod(s0, {}, q)", literal(c)));
        self.line("s0 := mulmod(x, x, q)");
        self.line("x := mulmod(mulmod(s0, s0, q), x, q)");
    }
}

/// The Yul function `mix_NAME()`: memory words 0..8 := `m` times them.
fn mix_function(name: &str, m: &[Vec<Fr>]) -> String {
    let mut f = String::new();
    let _ = writeln!(f, "            function mix_{name}() {{");
    let _ = writeln!(f, "                let q := {SCALAR_MODULUS}");
    for i in 0..WIDTH {
        let _ = writeln!(f, "                let a{i} := mload({})", i * 32);
    }
    for (i, row) in m.iter().enumerate() {
        let _ = writeln!(f, "                {{");
        let _ = writeln!(f, "                    let acc := mulmod({}, a0, q)", literal(&row[0]));
        let mut bound = 1;
        for (j, c) in row.iter().enumerate().skip(1) {
            if bound < MAX_BOUND {
                let _ = writeln!(f, "                    acc := add(acc, mulmod({}, a{j}, q))", literal(c));
                bound += 1;
            } else {
                let _ = writeln!(f, "                    acc := addmod(acc, mulmod({}, a{j}, q), q)", literal(c));
                bound = 1;
            }
        }
        let _ = writeln!(f, "                    mstore({}, acc)", i * 32);
        let _ = writeln!(f, "                }}");
    }
    let _ = writeln!(f, "            }}");
    f
}

/// One part: a contract whose fallback maps a state to a state.
fn part_contract(name: &str, doc: &str, first: bool, last: bool, body: &str, mixes: &[(&str, &[Vec<Fr>])]) -> String {
    let mut c = String::new();
    let _ = writeln!(c, "/// @notice {doc}");
    let _ = writeln!(c, "/// @dev Generated by zkcomply-verify; do not edit. Calldata and return data are");
    let _ = writeln!(c, "/// raw 32-byte words (no selector): see ContextHash.");
    let _ = writeln!(c, "contract {name} {{");
    let _ = writeln!(c, "    fallback() external {{");
    let _ = writeln!(c, "        assembly {{");
    for (mix, m) in mixes {
        c.push_str(&mix_function(mix, m));
    }
    let _ = writeln!(c, "            let q := {SCALAR_MODULUS}");
    let _ = writeln!(c, "            let x := 0");
    if first {
        let _ = writeln!(c, "            let s0 := 0");
        for i in 1..WIDTH {
            let _ = writeln!(c, "            let s{i} := calldataload({})", (i - 1) * 32);
        }
    } else {
        for i in 0..WIDTH {
            let _ = writeln!(c, "            let s{i} := calldataload({})", i * 32);
        }
    }
    c.push_str(body);
    if last {
        let _ = writeln!(c, "            mstore(0, mod(s0, q))");
        let _ = writeln!(c, "            return(0, 32)");
    } else {
        for i in 0..WIDTH {
            let _ = writeln!(c, "            mstore({}, s{i})", i * 32);
        }
        let _ = writeln!(c, "            return(0, {})", WIDTH * 32);
    }
    let _ = writeln!(c, "        }}");
    let _ = writeln!(c, "    }}");
    let _ = writeln!(c, "}}");
    c
}

/// The three part contracts' Solidity source (no pragma or licence line).
///
/// # Panics
/// Never for the built-in Poseidon parameters: the schedule for seven
/// inputs always exists (the circuit's own context hash uses it).
pub fn parts_source(schedule: &Schedule) -> String {
    assert_eq!(schedule.width(), WIDTH, "the context hash has {CONTEXT_INPUTS} inputs");
    let half = schedule.half_full_rounds();
    let full = schedule.full_round_constants();
    let partial = schedule.partial_round_constants();
    let sparse: Vec<(&[Fr], &[Fr])> = schedule.sparse_steps().collect();

    let mut parts = Vec::new();
    // Part 1: the first full half and partial rounds 0..split0.
    let mut e = Emitter::new();
    for ark in &full[..half] {
        e.full_round(ark, "mds");
    }
    for r in 0..PARTIAL_SPLIT[0] {
        e.partial_sparse(&partial[r], sparse[r].0, sparse[r].1);
    }
    parts.push(part_contract(
        PART_NAMES[0],
        "Poseidon(7) for zkcomply's context, part 1 of 3: the first full rounds and some partial rounds.",
        true,
        false,
        &e.out,
        &[("mds", schedule.mds())],
    ));
    // Part 2: partial rounds split0..split1.
    let mut e = Emitter::new();
    e.bound = [MAX_BOUND; WIDTH];
    for r in PARTIAL_SPLIT[0]..PARTIAL_SPLIT[1] {
        e.partial_sparse(&partial[r], sparse[r].0, sparse[r].1);
    }
    parts.push(part_contract(
        PART_NAMES[1],
        "Poseidon(7) for zkcomply's context, part 2 of 3: partial rounds.",
        false,
        false,
        &e.out,
        &[],
    ));
    // Part 3: the remaining partial rounds (the last one dense) and the second full half.
    let mut e = Emitter::new();
    e.bound = [MAX_BOUND; WIDTH];
    for (r, c) in partial.iter().enumerate().skip(PARTIAL_SPLIT[1]) {
        match sparse.get(r) {
            Some((row, w)) => e.partial_sparse(c, row, w),
            None => {
                e.partial_sbox(c);
                e.line("s0 := x");
                e.dense("last");
            }
        }
    }
    for ark in &full[half..] {
        e.full_round(ark, "mds");
    }
    parts.push(part_contract(
        PART_NAMES[2],
        "Poseidon(7) for zkcomply's context, part 3 of 3: the last partial rounds and full rounds.",
        false,
        true,
        &e.out,
        &[("mds", schedule.mds()), ("last", schedule.last_partial_matrix())],
    ));
    parts.join("\n")
}

/// The abstract contract the gate inherits: the parts' addresses, checked
/// at construction on a known input, and the internal hash function.
pub fn caller_source(probe_hash: &zkcomply_circuits::Fr) -> String {
    format!(
        r#"/// @notice Poseidon(7) of a withdrawal's context fields, by the three deployed parts.
abstract contract ContextHash {{
    /// @notice A part of the context hash failed or returned the wrong length.
    error ContextHashFailed();
    /// @notice The parts given to the constructor do not hash (1, ..., 7) to circomlib's Poseidon.
    error ContextHashSelfCheckFailed();

    /// @dev circomlib's Poseidon(1, 2, 3, 4, 5, 6, 7).
    uint256 internal constant CONTEXT_HASH_PROBE = {probe};

    address internal immutable CONTEXT_HASH_PART1;
    address internal immutable CONTEXT_HASH_PART2;
    address internal immutable CONTEXT_HASH_PART3;

    constructor(address part1, address part2, address part3) {{
        CONTEXT_HASH_PART1 = part1;
        CONTEXT_HASH_PART2 = part2;
        CONTEXT_HASH_PART3 = part3;
        uint256[7] memory probe = [uint256(1), 2, 3, 4, 5, 6, 7];
        if (_runParts(part1, part2, part3, probe) != CONTEXT_HASH_PROBE) revert ContextHashSelfCheckFailed();
    }}

    /// @dev Poseidon(w[0], ..., w[6]); every word must be below r (the caller checks).
    function _contextHash(uint256[7] calldata w) internal view returns (uint256) {{
        uint256[7] memory m = w;
        return _runParts(CONTEXT_HASH_PART1, CONTEXT_HASH_PART2, CONTEXT_HASH_PART3, m);
    }}

    function _runParts(address p1, address p2, address p3, uint256[7] memory w) private view returns (uint256 h) {{
        bool ok;
        assembly {{
            let m := mload(0x40)
            // (Yul evaluates arguments right to left: each size check is its own statement.)
            ok := staticcall(gas(), p1, w, 224, m, 256)
            ok := and(ok, eq(returndatasize(), 256))
            if ok {{
                ok := staticcall(gas(), p2, m, 256, m, 256)
                ok := and(ok, eq(returndatasize(), 256))
            }}
            if ok {{
                ok := staticcall(gas(), p3, m, 256, m, 32)
                ok := and(ok, eq(returndatasize(), 32))
            }}
            h := mload(m)
        }}
        if (!ok) revert ContextHashFailed();
    }}
}}
"#,
        probe = literal(probe_hash)
    )
}
