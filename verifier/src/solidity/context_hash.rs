//! `ContextHashParts.sol` and `ContextHash.sol`: circomlib's Poseidon for
//! the seven inputs of `context`, generated from the same rearranged
//! constants as the native hash ([`zkcomply_circuits::poseidon::Schedule`]).
//!
//! Every constant is a `PUSH32` in straight-line assembly (the cheapest way
//! to read a constant in the EVM). A partial round keeps the state on the
//! stack: the S-box of the first word, its sparse row as one nested sum
//! (evaluated innermost first, so one partial sum is on the stack at a
//! time), then each other word updated in place. Full rounds keep the state
//! in memory words 0..8 around the dense mixing, a Yul function that the
//! rounds of a part share. The code is about 48 KB, so it is split across
//! three contracts of at most 24 KB (EIP-170) that the gate calls in turn,
//! state in and state out; the gate's side ([`caller_source`]) runs the last
//! full round itself (its S-boxes and the first row of the matrix: the hash
//! is the first word), which leaves each part room under every compiler
//! setting. Sums of products are added without reduction while they
//! provably stay below `2^256` (each product is below `q` and `5q < 2^256`)
//! and reduced with `addmod` otherwise; a part reduces its input words
//! before adding to them, so it maps any words to the permutation of their
//! residues.
//!
//! The same text compiles with the optimizer on, off, or via IR, in one
//! compilation unit. The modulus `q` is a Solidity local variable that the
//! assembly reads: solc's legacy code generator does not run its Yul
//! optimizer on an assembly block that reads Solidity variables, so with the
//! optimizer on or off each block is compiled as written here, within the
//! 16 stack slots an instruction can reach. Via IR the Yul optimizer
//! rewrites the whole contract; it keeps `q` as a literal, which the
//! bytecode optimizer then reads from code at each use, so the parts are
//! larger and cost more gas there (docs/PERFORMANCE.md).

use std::fmt::Write;

use ark_ff::Field;
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

/// Where the sparse partial rounds are split between the parts: part 1 runs
/// rounds `0..PARTIAL_SPLIT[0]` after the first full rounds, part 2 runs
/// `PARTIAL_SPLIT[0]..PARTIAL_SPLIT[1]`, part 3 the rest. Chosen so that
/// each part stays below EIP-170's 24,576 bytes under every compiler
/// setting: via IR, where they are largest, 23,955, 23,797 and 23,140 bytes
/// with solc 0.8.30 (about 16,300 each with the optimizer on or off).
const PARTIAL_SPLIT: [usize; 2] = [20, 47];

/// Yul text, indented by nesting depth (four spaces a level).
struct Yul {
    out: String,
    depth: usize,
}

impl Yul {
    fn new(depth: usize) -> Self {
        Self { out: String::new(), depth }
    }

    fn line(&mut self, s: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn open(&mut self) {
        self.line("{");
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth -= 1;
        self.line("}");
    }
}

/// `x + c` for an `x` below `bound * q`: a plain `add` while the sum stays
/// below `MAX_BOUND * q`, else `addmod`.
fn plus_constant(x: &str, bound: u32, c: &Fr, modulus: &str) -> String {
    if bound < MAX_BOUND {
        format!("add({x}, {})", literal(c))
    } else {
        format!("addmod({x}, {}, {modulus})", literal(c))
    }
}

/// `Σ c_i v_i` over `(c_i, v_i)` as one expression, nested to the right so
/// that the last product is computed first and one partial sum is on the
/// stack at a time. Products are added with `add` while the sum stays below
/// `MAX_BOUND * q`, else with `addmod`; returns the expression and the
/// multiple of `q` its value stays below.
fn sum_of_products(terms: &[(String, String)], modulus: &str) -> (String, u32) {
    let mut rest = terms.iter().rev();
    let Some((c, v)) = rest.next() else {
        return ("0".to_string(), 1);
    };
    let mut expr = format!("mulmod({c}, {v}, {modulus})");
    let mut bound = 1;
    for (c, v) in rest {
        let product = format!("mulmod({c}, {v}, {modulus})");
        if bound < MAX_BOUND {
            expr = format!("add({product}, {expr})");
            bound += 1;
        } else {
            expr = format!("addmod({product}, {expr}, {modulus})");
            bound = 1;
        }
    }
    (expr, bound)
}

/// The S-box `t^5` for `t := input`: declares `t` and `t2` in the current
/// block and returns the expression of the fifth power.
fn sbox(y: &mut Yul, input: &str, modulus: &str) -> String {
    y.line(&format!("let t := {input}"));
    y.line(&format!("let t2 := mulmod(t, t, {modulus})"));
    format!("mulmod(mulmod(t2, t2, {modulus}), t, {modulus})")
}

/// Memory word `i`, by its constant address.
fn memory_word(i: usize) -> String {
    format!("mload({})", i * 32)
}

/// A part's code: state in stack variables `s0..s7` during partial rounds and
/// in memory words 0..8 during full rounds, with the multiple of `q` each
/// word may hold.
struct Part {
    y: Yul,
    bound: [u32; WIDTH],
}

impl Part {
    fn new() -> Self {
        Self { y: Yul::new(3), bound: [MAX_BOUND; WIDTH] }
    }

    /// The S-boxes of a full round on the state in memory, each word
    /// replaced by `(word + c_i)^5`.
    fn full_sboxes(&mut self, ark: &[Fr]) {
        for (i, c) in ark.iter().enumerate() {
            self.y.open();
            let power = sbox(&mut self.y, &plus_constant(&memory_word(i), self.bound[i], c, "q"), "q");
            self.y.line(&format!("mstore({}, {power})", i * 32));
            self.y.close();
            self.bound[i] = 1;
        }
    }

    /// The dense mixing of a full round: `mix_mds` on memory words 0..8.
    fn mix(&mut self, output_bound: u32) {
        self.y.line("mix_mds(q)");
        self.bound = [output_bound; WIDTH];
    }

    /// The state from memory into `s0..s7`, and `m00` (the first entry of
    /// every sparse row) for the partial rounds.
    fn load_state_from_memory(&mut self, m00: &Fr) {
        self.y.line(&format!("let m00 := {}", literal(m00)));
        for i in 0..WIDTH {
            self.y.line(&format!("let s{i} := {}", memory_word(i)));
        }
    }

    /// The state from calldata into `s0..s7` (any words), and `m00`.
    fn load_state_from_calldata(&mut self, m00: &Fr) {
        self.y.line(&format!("let m00 := {}", literal(m00)));
        for i in 0..WIDTH {
            self.y.line(&format!("let s{i} := calldataload({})", i * 32));
        }
        self.bound = [MAX_BOUND; WIDTH];
    }

    /// A partial round with a sparse step: `x = (s0 + c)^5`,
    /// `s0 = row . (x, s1..)`, `s_k += w_k x`. At most `t`, `t2`, `x` and
    /// the expression's operands are on the stack above the state.
    fn sparse_round(&mut self, c: &Fr, row: &[Fr], w: &[Fr]) {
        self.y.open();
        let power = sbox(&mut self.y, &plus_constant("s0", self.bound[0], c, "q"), "q");
        self.y.line(&format!("let x := {power}"));
        let terms: Vec<(String, String)> = std::iter::once(("m00".to_string(), "x".to_string()))
            .chain(row.iter().enumerate().skip(1).map(|(k, r)| (literal(r), format!("s{k}"))))
            .collect();
        let (sum, bound) = sum_of_products(&terms, "q");
        self.y.line(&format!("s0 := {sum}"));
        self.bound[0] = bound;
        for (i, wk) in w.iter().enumerate() {
            let k = i + 1;
            let product = format!("mulmod({}, x, q)", literal(wk));
            if self.bound[k] < MAX_BOUND {
                self.y.line(&format!("s{k} := add(s{k}, {product})"));
                self.bound[k] += 1;
            } else {
                self.y.line(&format!("s{k} := addmod(s{k}, {product}, q)"));
                self.bound[k] = 1;
            }
        }
        self.y.close();
    }

    /// The last partial round: `s0 = (s0 + c)^5`, then the dense matrix
    /// `m` from the stack into memory words 0..8.
    fn dense_round(&mut self, c: &Fr, m: &[Vec<Fr>]) {
        self.y.open();
        let power = sbox(&mut self.y, &plus_constant("s0", self.bound[0], c, "q"), "q");
        self.y.line(&format!("s0 := {power}"));
        self.y.close();
        let mut bounds = [1; WIDTH];
        for (i, row) in m.iter().enumerate() {
            let terms: Vec<(String, String)> =
                row.iter().enumerate().map(|(j, r)| (literal(r), format!("s{j}"))).collect();
            let (sum, bound) = sum_of_products(&terms, "q");
            self.y.line(&format!("mstore({}, {sum})", i * 32));
            bounds[i] = bound;
        }
        self.bound = bounds;
    }

    /// `s0..s7` into memory words 0..8.
    fn store_state(&mut self) {
        for i in 0..WIDTH {
            self.y.line(&format!("mstore({}, s{i})", i * 32));
        }
    }
}

/// The Yul function `mix_mds(p)`: memory words 0..8 := `m` times them,
/// modulo `p`. Returns its text and the multiple of `p` its outputs stay
/// below.
fn mix_function(m: &[Vec<Fr>]) -> (String, u32) {
    let mut y = Yul::new(3);
    y.line("function mix_mds(p) {");
    y.depth += 1;
    for i in 0..WIDTH {
        y.line(&format!("let a{i} := {}", memory_word(i)));
    }
    let mut output_bound = 1;
    for (i, row) in m.iter().enumerate() {
        let terms: Vec<(String, String)> = row.iter().enumerate().map(|(j, c)| (literal(c), format!("a{j}"))).collect();
        let (sum, bound) = sum_of_products(&terms, "p");
        y.line(&format!("mstore({}, {sum})", i * 32));
        output_bound = output_bound.max(bound);
    }
    y.close();
    (y.out, output_bound)
}

/// One part: a contract whose fallback maps a state to a state.
fn part_contract(name: &str, doc: &str, input_words: usize, mix: Option<&str>, body: &str) -> String {
    let mut c = String::new();
    let _ = writeln!(c, "/// @notice {doc}");
    let _ = writeln!(
        c,
        "/// @dev Generated by zkcomply-verify; do not edit. Calldata: {input_words} raw 32-byte words, return"
    );
    let _ = writeln!(c, "/// data: {WIDTH} (no selector; see ContextHash).");
    let _ = writeln!(c, "contract {name} {{");
    let _ = writeln!(c, "    fallback() external {{");
    let _ =
        writeln!(c, "        // The modulus, read by the assembly below: solc's legacy code generator does not run");
    let _ =
        writeln!(c, "        // its Yul optimizer on an assembly block that reads a Solidity variable, so the block");
    let _ = writeln!(c, "        // is compiled as written, within the stack slots an instruction can reach.");
    let _ = writeln!(c, "        uint256 q = {SCALAR_MODULUS};");
    let _ = writeln!(c, "        assembly {{");
    if let Some(mix) = mix {
        c.push_str(mix);
    }
    c.push_str(body);
    let _ = writeln!(c, "            return(0, {})", WIDTH * 32);
    let _ = writeln!(c, "        }}");
    let _ = writeln!(c, "    }}");
    let _ = writeln!(c, "}}");
    c
}

/// The three part contracts' Solidity source (no pragma or licence line).
///
/// # Panics
/// Never for the built-in Poseidon parameters: the schedule for seven
/// inputs always exists (the circuit's own context hash uses it), and its
/// sparse rows all start with the matrix's first entry.
pub fn parts_source(schedule: &Schedule) -> String {
    assert_eq!(schedule.width(), WIDTH, "the context hash has {CONTEXT_INPUTS} inputs");
    let half = schedule.half_full_rounds();
    let full = schedule.full_round_constants();
    let partial = schedule.partial_round_constants();
    let sparse: Vec<(&[Fr], &[Fr])> = schedule.sparse_steps().collect();
    let mds = schedule.mds();
    let m00 = mds[0][0];
    assert!(sparse.iter().all(|(row, _)| row[0] == m00), "every sparse row starts with M[0][0]");
    assert_eq!(sparse.len() + 1, partial.len(), "the last partial round is dense");
    let (mix, mix_bound) = mix_function(mds);

    let mut parts = Vec::new();
    // Part 1: the first full rounds and sparse rounds 0..split0. The state
    // is [0, inputs]: the first S-box of word 0 is a constant.
    let mut p = Part::new();
    p.y.line(&format!("mstore(0, {})", literal(&full[0][0].pow([5u64]))));
    for (i, c) in full[0].iter().enumerate().skip(1) {
        p.y.open();
        let input = format!("calldataload({})", (i - 1) * 32);
        let power = sbox(&mut p.y, &plus_constant(&input, MAX_BOUND, c, "q"), "q");
        p.y.line(&format!("mstore({}, {power})", i * 32));
        p.y.close();
    }
    p.mix(mix_bound);
    for ark in &full[1..half] {
        p.full_sboxes(ark);
        p.mix(mix_bound);
    }
    p.load_state_from_memory(&m00);
    for r in 0..PARTIAL_SPLIT[0] {
        p.sparse_round(&partial[r], sparse[r].0, sparse[r].1);
    }
    p.store_state();
    parts.push(part_contract(
        PART_NAMES[0],
        "Poseidon(7) for zkcomply's context, part 1 of 3: the first full rounds and some partial rounds.",
        CONTEXT_INPUTS,
        Some(&mix),
        &p.y.out,
    ));

    // Part 2: sparse rounds split0..split1.
    let mut p = Part::new();
    p.load_state_from_calldata(&m00);
    for r in PARTIAL_SPLIT[0]..PARTIAL_SPLIT[1] {
        p.sparse_round(&partial[r], sparse[r].0, sparse[r].1);
    }
    p.store_state();
    parts.push(part_contract(
        PART_NAMES[1],
        "Poseidon(7) for zkcomply's context, part 2 of 3: partial rounds.",
        WIDTH,
        None,
        &p.y.out,
    ));

    // Part 3: the remaining sparse rounds, the dense last partial round and
    // the second half's full rounds but the last (ContextHash runs it).
    let mut p = Part::new();
    p.load_state_from_calldata(&m00);
    for r in PARTIAL_SPLIT[1]..sparse.len() {
        p.sparse_round(&partial[r], sparse[r].0, sparse[r].1);
    }
    p.dense_round(&partial[sparse.len()], schedule.last_partial_matrix());
    for ark in &full[half..2 * half - 1] {
        p.full_sboxes(ark);
        p.mix(mix_bound);
    }
    parts.push(part_contract(
        PART_NAMES[2],
        "Poseidon(7) for zkcomply's context, part 3 of 3: the last partial rounds and the full rounds but the last.",
        WIDTH,
        Some(&mix),
        &p.y.out,
    ));
    parts.join("\n")
}

/// The last full round, in the gate: the S-boxes of the state that part 3
/// left at memory `m`, then the first row of the MDS matrix into `h` (below
/// `q`: the last sum is an `addmod`).
fn last_round(schedule: &Schedule, bound: u32) -> String {
    let ark = &schedule.full_round_constants()[2 * schedule.half_full_rounds() - 1];
    let row = &schedule.mds()[0];
    let mut y = Yul::new(4);
    y.line(&format!("let q := {SCALAR_MODULUS}"));
    let mut h_bound = 0;
    for (i, (c, r)) in ark.iter().zip(row).enumerate() {
        y.open();
        let word = if i == 0 { "mload(m)".to_string() } else { format!("mload(add(m, {}))", i * 32) };
        let power = sbox(&mut y, &plus_constant(&word, bound, c, "q"), "q");
        let product = format!("mulmod({}, {power}, q)", literal(r));
        if i == 0 {
            y.line(&format!("h := {product}"));
            h_bound = 1;
        } else if h_bound < MAX_BOUND && i + 1 < WIDTH {
            y.line(&format!("h := add(h, {product})"));
            h_bound += 1;
        } else {
            y.line(&format!("h := addmod(h, {product}, q)"));
            h_bound = 1;
        }
        y.close();
    }
    y.out
}

/// The abstract contract the gate inherits: the parts' addresses, checked
/// at construction on a known input, and the internal hash function (the
/// three parts, then the last full round).
///
/// # Panics
/// Never for the built-in Poseidon parameters (see [`parts_source`]).
pub fn caller_source(schedule: &Schedule, probe_hash: &Fr) -> String {
    assert_eq!(schedule.width(), WIDTH, "the context hash has {CONTEXT_INPUTS} inputs");
    let (_, mix_bound) = mix_function(schedule.mds());
    format!(
        r#"/// @notice Poseidon(7) of a withdrawal's context fields, by the three deployed parts and the last full round here.
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

    /// @dev As _contextHash, for fields in memory (a batch's items).
    function _contextHashOf(uint256[7] memory w) internal view returns (uint256) {{
        return _runParts(CONTEXT_HASH_PART1, CONTEXT_HASH_PART2, CONTEXT_HASH_PART3, w);
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
                ok := staticcall(gas(), p3, m, 256, m, 256)
                ok := and(ok, eq(returndatasize(), 256))
            }}
            // The last full round on the state part 3 returned: its S-boxes, then the first row
            // of the MDS matrix (the hash is the state's first word).
            if ok {{
{last}            }}
        }}
        if (!ok) revert ContextHashFailed();
    }}
}}
"#,
        probe = literal(probe_hash),
        last = last_round(schedule, mix_bound),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_stay_below_the_bound_and_end_reduced_when_asked() {
        let terms: Vec<(String, String)> = (0..8).map(|i| (format!("c{i}"), format!("v{i}"))).collect();
        let (expr, bound) = sum_of_products(&terms, "q");
        // 8 products: five added, one addmod, two more added.
        assert_eq!(expr.matches("addmod(").count(), 1);
        assert_eq!(bound, 3);
        assert!(expr.starts_with("add(mulmod(c0, v0, q), add(mulmod(c1, v1, q), addmod(mulmod(c2, v2, q), add("));
        assert_eq!(sum_of_products(&[], "q").0, "0");
    }

    #[test]
    fn the_gate_side_ends_the_hash_below_the_modulus() {
        let schedule = zkcomply_circuits::poseidon::schedule(CONTEXT_INPUTS).unwrap();
        let last = last_round(schedule, 3);
        let assignments: Vec<&str> = last.lines().map(str::trim).filter(|l| l.starts_with("h :=")).collect();
        assert_eq!(assignments.len(), WIDTH);
        // Five products added, one addmod, one more added, and the last an addmod.
        let reduced: Vec<bool> = assignments.iter().map(|a| a.starts_with("h := addmod(h, ")).collect();
        assert_eq!(reduced, [false, false, false, false, false, true, false, true], "{last}");
    }

    #[test]
    fn every_part_reads_the_modulus_as_a_solidity_variable() {
        let schedule = zkcomply_circuits::poseidon::schedule(CONTEXT_INPUTS).unwrap();
        let source = parts_source(schedule);
        assert_eq!(source.matches("        uint256 q = ").count(), PART_NAMES.len());
        assert!(!source.contains("let q :="), "the parts' assembly reads q, it does not declare it");
        for name in PART_NAMES {
            assert!(source.contains(&format!("contract {name} {{")), "{name}");
        }
    }
}
