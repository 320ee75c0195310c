#!/usr/bin/env bash
# Side-by-side comparison of zkcomply with circom2 + circomlib + snarkjs on the
# same withdrawal statement. See README.md in this folder.
#
#   bash benches/peer/run.sh                 full comparison (needs the Rust side)
#   bash benches/peer/run.sh --selftest      compile the circuit and check it on
#                                            inputs made with circomlibjs (fast)
#   bash benches/peer/run.sh --snarkjs-only  time snarkjs alone on the self-test
#                                            input (no Rust needed)
#   bash benches/peer/run.sh --breakdown     constraint counts per component
#
# The provers are timed alternating, one run of each per round: snarkjs
# fullprove, snarkjs prove (from a witness), rapidsnark's prove step (when
# given) and zkcomply prove (whole process).
#
# Environment: PEER_RUNS (timed rounds, default 3), CIRCOM_OPT (circom
# simplification flag, default --O2), XDG_CACHE_HOME (ptau cache),
# CARGO_TARGET_DIR; RAPIDSNARK (a rapidsnark prover binary) or RAPIDSNARK_SRC
# (a rapidsnark source snapshot directory with its build.sh, built into
# target/peer/rapidsnark-build) to time rapidsnark too.
set -euo pipefail

MODE=full
case "${1:-}" in
    "") ;;
    --selftest) MODE=selftest ;;
    --snarkjs-only) MODE=snarkjs-only ;;
    --breakdown) MODE=breakdown ;;
    -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$ROOT/target/peer"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/zkcomply/ptau"
RUNS="${PEER_RUNS:-3}"
CIRCOM_OPT="${CIRCOM_OPT:---O2}"
ENTROPY="zkcomply peer benchmark: fixed public entropy, not a secure setup"
SNARKJS="$HERE/node_modules/.bin/snarkjs"
CIRCOM="$HERE/node_modules/.bin/circom2"

say() { printf '\n== %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$OUT"

# ---------------------------------------------------------------- timing ---
# timed NAME CMD...: runs CMD, records wall seconds (from date, ns) and max
# RSS in KiB (from time(1), when present) in $OUT/times/NAME.N; its output
# goes to $OUT/logs/NAME.N.log.
mkdir -p "$OUT/times" "$OUT/logs"
TIME_BIN=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    TIME_BIN=/usr/bin/time
fi
timed() {
    local name="$1"; shift
    local n=1
    while [ -e "$OUT/times/$name.$n" ]; do n=$((n + 1)); done
    local rec="$OUT/times/$name.$n" log="$OUT/logs/$name.$n.log"
    local status=0 t0 t1 rss=0
    t0=$(date +%s%N)
    if [ -n "$TIME_BIN" ]; then
        "$TIME_BIN" -f '%M' -o "$rec.rss" "$@" >"$log" 2>&1 || status=$?
    else
        "$@" >"$log" 2>&1 || status=$?
    fi
    t1=$(date +%s%N)
    # time(1) prepends "Command exited with non-zero status" on failure.
    [ -s "$rec.rss" ] && rss=$(tail -n 1 "$rec.rss")
    rm -f "$rec.rss"
    if [ "$status" -ne 0 ]; then
        echo "   $name failed (exit $status); last lines of $log:" >&2
        tail -n 20 "$log" >&2
        return "$status"
    fi
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.3f %d\n", (b - a) / 1e9, r }' >"$rec"
    awk -v name="$name" '{ printf "   %-22s %8.3f s  %6.0f MiB max RSS\n", name, $1, $2 / 1024 }' "$rec"
}
# median NAME FIELD: median over the runs of NAME (field 1 = seconds, 2 = KiB).
median() {
    { cat "$OUT/times/$1".* 2>/dev/null || true; } | awk -v f="$2" '{print $f}' | sort -g |
        awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
max_rss_mib() {
    { cat "$OUT/times/$1".* 2>/dev/null || true; } | awk '$2 > m {m = $2} END {if (m) printf "%.0f", m / 1024; else print "n/a"}'
}
reset_times() { for n in "$@"; do rm -f "$OUT/times/$n".* "$OUT/logs/$n".*; done; }

# ------------------------------------------------------------ npm deps ---
say "npm dependencies (circom2, circomlib, snarkjs)"
if [ ! -x "$SNARKJS" ] || [ ! -x "$CIRCOM" ] || [ ! -e "$HERE/node_modules/.package-lock.json" ] ||
    [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund)
else
    echo "   up to date"
fi
echo "   $("$CIRCOM" --version 2>/dev/null | tail -n 1), snarkjs $(node -p "require('$HERE/node_modules/snarkjs/package.json').version"), node $(node --version)"

# ------------------------------------------------------------- compile ---
CIRCUIT_HASH=$(cat "$HERE/withdrawal.circom" "$HERE/package-lock.json" <(echo "$CIRCOM_OPT") | sha256sum | cut -c1-16)
BUILD="$OUT/circuit-$CIRCUIT_HASH"
R1CS="$BUILD/withdrawal.r1cs"
WASM="$BUILD/withdrawal_js/withdrawal.wasm"

compile() {
    say "compiling withdrawal.circom with circom2 ($CIRCOM_OPT)"
    if [ -e "$BUILD/.done" ]; then
        echo "   cached: ${BUILD#"$ROOT"/}"
    else
        rm -rf "$BUILD" && mkdir -p "$BUILD"
        reset_times circom-compile
        (cd "$HERE" && timed circom-compile nice "$CIRCOM" withdrawal.circom --r1cs --wasm --sym "$CIRCOM_OPT" -l node_modules -o "$BUILD")
        touch "$BUILD/.done"
    fi
    "$SNARKJS" r1cs info "$R1CS" | sed 's/\x1b\[[0-9;]*m//g; s/^.*snarkJS: /   /' | tee "$BUILD/r1cs-info.txt"
    CIRCOM_CONSTRAINTS=$(sed -n 's/.*# of Constraints: *\([0-9]*\).*/\1/p' "$BUILD/r1cs-info.txt")
    local pub out
    pub=$(sed -n 's/.*# of Public Inputs: *\([0-9]*\).*/\1/p' "$BUILD/r1cs-info.txt")
    out=$(sed -n 's/.*# of Outputs: *\([0-9]*\).*/\1/p' "$BUILD/r1cs-info.txt")
    [ -n "$CIRCOM_CONSTRAINTS" ] && [ "$pub" = 6 ] && [ "$out" = 0 ] ||
        die "unexpected r1cs info (constraints '$CIRCOM_CONSTRAINTS', public inputs '$pub', outputs '$out')"
    # snarkjs needs a domain of 2^power > constraints + public inputs + outputs.
    local need=$((CIRCOM_CONSTRAINTS + pub + out))
    POWER=0
    while [ $((1 << POWER)) -le "$need" ]; do POWER=$((POWER + 1)); done
    echo "   circom constraints: $CIRCOM_CONSTRAINTS (needs powers of tau 2^$POWER)"
}

run_selftest() {
    say "self-test: circomlibjs-made inputs, valid and invalid"
    (cd "$HERE" && nice node --no-warnings selftest.mjs "$BUILD")
}

# ------------------------------------------------------------ breakdown ---
breakdown() {
    say "constraints per component (circom2 $CIRCOM_OPT, each compiled alone)"
    local dir="$OUT/breakdown" imt
    mkdir -p "$dir"
    # The tree gadget is the template of that name in withdrawal.circom.
    imt=$(awk '/^template IMTNonMembership/,/^}/' "$HERE/withdrawal.circom")
    local -a parts=(
        "Poseidon(1)|Poseidon(1)" "Poseidon(2)|Poseidon(2)" "Poseidon(3)|Poseidon(3)"
        "Poseidon(6)|Poseidon(6)" "Poseidon(7)|Poseidon(7)" "Poseidon(8)|Poseidon(8)"
        "Poseidon(10)|Poseidon(10)" "EdDSAPoseidonVerifier|EdDSAPoseidonVerifier()"
        "IMTNonMembership(20)|IMTNonMembership(20)" "Num2Bits(53)|Num2Bits(53)"
        "Num2Bits(128)|Num2Bits(128)" "LessThan(53)|LessThan(53)" "LessEqThan(128)|LessEqThan(128)"
        "LessThan(252)|LessThan(252)" "GreaterEqThan(8)|GreaterEqThan(8)" "IsEqual|IsEqual()"
        "Mux2|Mux2()" "Switcher|Switcher()"
    )
    printf '   %-24s %s\n' component constraints
    for p in "${parts[@]}"; do
        local name="${p%%|*}" inst="${p#*|}" f
        f="$dir/$(echo "$name" | tr -c 'A-Za-z0-9\n' '_').circom"
        {
            echo 'pragma circom 2.1.0;'
            for lib in poseidon eddsaposeidon comparators bitify mux2 switcher; do
                echo "include \"circomlib/circuits/$lib.circom\";"
            done
            echo "$imt"
            echo "component main = $inst;"
        } >"$f"
        local n
        n=$(cd "$HERE" && nice "$CIRCOM" "$f" --r1cs "$CIRCOM_OPT" -l node_modules -o "$dir" 2>&1 |
            sed 's/\x1b\[[0-9;]*m//g' | awk '/^non-linear constraints:/ {nl=$3} /^linear constraints:/ {l=$3} END {print nl + l}')
        printf '   %-24s %s\n' "$name" "$n"
    done
}

case "$MODE" in
    selftest) compile; run_selftest; exit 0 ;;
    breakdown) breakdown; exit 0 ;;
esac
compile

# ---------------------------------------------------------- powers of tau ---
PTAU="$CACHE/zkcomply-peer-bn128-$POWER.ptau"
say "powers of tau 2^$POWER"
if [ -s "$PTAU" ]; then
    echo "   cached: $PTAU"
else
    echo "   not cached: generating $PTAU locally (made once; about 10-20 minutes on 2 cores)"
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
    t0=$(date +%s)
    # snarkjs -v logs every chunk; keep a line now and then as progress.
    progress() {
        sed -u 's/\x1b\[[0-9;]*m//g; s/^.*snarkJS: //' | awk '
            /^processing: / { print "   " $0; fflush(); next }
            /: fft [0-9]+ mix end: / { if ($3 % 4 == 0 && $NF ~ /^1\//) { print "   " $1 " fft level " $3; fflush() } }'
    }
    echo "   [1/3] powersoftau new"
    nice "$SNARKJS" powersoftau new bn128 "$POWER" "$tmp/0.ptau" -v 2>&1 | progress
    echo "   [2/3] powersoftau contribute (fixed entropy)"
    nice "$SNARKJS" powersoftau contribute "$tmp/0.ptau" "$tmp/1.ptau" --name="zkcomply peer benchmark" -e="$ENTROPY" -v 2>&1 | progress
    echo "   [3/3] powersoftau prepare phase2"
    nice "$SNARKJS" powersoftau prepare phase2 "$tmp/1.ptau" "$tmp/final.ptau" -v 2>&1 | progress
    [ -s "$tmp/final.ptau" ] || die "powers of tau generation failed (see above)"
    mv "$tmp/final.ptau" "$PTAU"
    rm -rf "$tmp"
    echo "   done in $(($(date +%s) - t0)) s"
fi

# ------------------------------------------------------------- the input ---
DEMO="$OUT/demo"
ZK="$TARGET/release/zkcomply"
ZKV="$TARGET/release/zkcomply-verify"
CW="$TARGET/release/circom-witness"
if [ "$MODE" = full ]; then
    say "building zkcomply (release)"
    (cd "$ROOT" && nice cargo build --release -p zkcomply-cli -p zkcomply-verifier &&
        nice cargo build --release -p zkcomply-benches --bin circom-witness) ||
        die "cargo build --release -p zkcomply-cli -p zkcomply-verifier (and circom-witness) failed"
    [ -x "$ZK" ] && [ -x "$ZKV" ] && [ -x "$CW" ] || die "expected binaries $ZK, $ZKV and $CW"

    say "zkcomply demo and witness export"
    rm -rf "$DEMO"
    "$ZK" demo --out "$DEMO" >"$OUT/logs/demo.log" 2>&1 ||
        { tail -n 20 "$OUT/logs/demo.log" >&2; die "'zkcomply demo --out DIR' failed (log: $OUT/logs/demo.log)"; }
    for f in credential withdrawal policy bundle verifying_key identity_tree address_tree revocation_tree; do
        [ -e "$DEMO/$f.json" ] || die "zkcomply demo did not write $f.json"
    done
    [ -d "$DEMO/keys" ] || die "zkcomply demo did not write keys/"
    COMMON=(--credential "$DEMO/credential.json" --withdrawal "$DEMO/withdrawal.json" --policy "$DEMO/policy.json"
        --identity-tree "$DEMO/identity_tree.json" --address-tree "$DEMO/address_tree.json"
        --revocation-tree "$DEMO/revocation_tree.json")
    INPUT="$OUT/input.json"
    "$CW" --dir "$DEMO" --out "$INPUT" >"$OUT/logs/circom-witness.log" 2>&1 ||
        { tail -n 20 "$OUT/logs/circom-witness.log" >&2; die "'circom-witness' failed (log: $OUT/logs/circom-witness.log)"; }
    echo "   circom input: ${INPUT#"$ROOT"/}"
else
    say "self-test input (circomlibjs) instead of the Rust demo"
    run_selftest >/dev/null || die "self-test failed; run: bash benches/peer/run.sh --selftest"
    INPUT="$BUILD/selftest_input.json"
    echo "   circom input: ${INPUT#"$ROOT"/}"
fi

# ------------------------------------------------------------- snarkjs ---
say "snarkjs groth16 setup (cached by circuit and ptau)"
KEYS="$OUT/snarkjs-keys-$(cat "$R1CS" <(basename "$PTAU") | sha256sum | cut -c1-16)"
ZKEY="$KEYS/withdrawal.zkey"
VKEY="$KEYS/verification_key.json"
if [ -s "$ZKEY" ] && [ -s "$VKEY" ]; then
    echo "   cached: ${KEYS#"$ROOT"/} (setup times from when it was made:)"
    for n in groth16-setup zkey-contribute; do
        [ -e "$KEYS/$n.time" ] && printf '   %-22s %8.3f s\n' "$n" "$(cut -d' ' -f1 "$KEYS/$n.time")"
    done
else
    rm -rf "$KEYS" && mkdir -p "$KEYS"
    reset_times groth16-setup zkey-contribute
    timed groth16-setup nice "$SNARKJS" groth16 setup "$R1CS" "$PTAU" "$KEYS/0.zkey"
    timed zkey-contribute nice "$SNARKJS" zkey contribute "$KEYS/0.zkey" "$KEYS/1.zkey" --name="zkcomply peer benchmark" -e="$ENTROPY"
    "$SNARKJS" zkey export verificationkey "$KEYS/1.zkey" "$VKEY" >/dev/null
    cp "$OUT/times/groth16-setup.1" "$KEYS/groth16-setup.time"
    cp "$OUT/times/zkey-contribute.1" "$KEYS/zkey-contribute.time"
    rm -f "$KEYS/0.zkey" && mv "$KEYS/1.zkey" "$ZKEY"
fi

# ----------------------------------------------------------- rapidsnark ---
RAPIDSNARK="${RAPIDSNARK:-}"
if [ -z "$RAPIDSNARK" ] && [ -n "${RAPIDSNARK_SRC:-}" ]; then
    say "rapidsnark: building from ${RAPIDSNARK_SRC}"
    [ -f "$RAPIDSNARK_SRC/build.sh" ] || die "RAPIDSNARK_SRC=$RAPIDSNARK_SRC has no build.sh"
    bash "$RAPIDSNARK_SRC/build.sh" "$OUT/rapidsnark-build" >"$OUT/logs/rapidsnark-build.log" 2>&1 ||
        { tail -n 20 "$OUT/logs/rapidsnark-build.log" >&2; die "building rapidsnark failed (log: $OUT/logs/rapidsnark-build.log)"; }
    RAPIDSNARK="$OUT/rapidsnark-build/prover"
fi
if [ -n "$RAPIDSNARK" ]; then
    [ -x "$RAPIDSNARK" ] || die "RAPIDSNARK=$RAPIDSNARK is not an executable rapidsnark prover"
    echo "   rapidsnark prover: $RAPIDSNARK"
fi

# Timings mean little on a busy machine: measure how busy it is first.
cpu_busy_pct() {
    [ -r /proc/stat ] || { echo "n/a"; return; }
    local a b
    a=$(head -n 1 /proc/stat)
    sleep 3
    b=$(head -n 1 /proc/stat)
    echo "$a" "$b" | awk '{ n = (NF - 2) / 2; for (i = 2; i <= n + 1; i++) { t1 += $i; t2 += $(i + n + 1) }
        idle1 = $5 + $6; idle2 = $(5 + n + 1) + $(6 + n + 1);
        d = t2 - t1; printf "%.0f", (d > 0 ? 100 * (d - (idle2 - idle1)) / d : 0) }'
}
BUSY=$(cpu_busy_pct)
if [ "$BUSY" != n/a ] && [ "$BUSY" -gt 15 ]; then
    echo "   !! the CPUs were $BUSY% busy before timing began: other work skews these timings;"
    echo "   !! rerun on a quiet machine for numbers worth quoting."
fi

RUN="$OUT/run"
rm -rf "$RUN" && mkdir -p "$RUN"
reset_times snarkjs-wtns snarkjs-prove snarkjs-fullprove snarkjs-verify rapidsnark-prove zkcomply-prove zkcomply-verify
say "snarkjs: witness; $RUNS runs"
for i in $(seq "$RUNS"); do
    timed snarkjs-wtns "$SNARKJS" wtns calculate "$WASM" "$INPUT" "$RUN/witness.wtns"
done
BUNDLE="$RUN/bundle.json"
say "proving, alternating in each of $RUNS rounds: snarkjs fullprove, snarkjs prove${RAPIDSNARK:+, rapidsnark prove}$([ "$MODE" = full ] && echo ", zkcomply prove")"
for i in $(seq "$RUNS"); do
    timed snarkjs-fullprove "$SNARKJS" groth16 fullprove "$INPUT" "$WASM" "$ZKEY" "$RUN/proof.json" "$RUN/public.json"
    timed snarkjs-prove "$SNARKJS" groth16 prove "$ZKEY" "$RUN/witness.wtns" "$RUN/proof.json" "$RUN/public.json"
    if [ -n "$RAPIDSNARK" ]; then
        timed rapidsnark-prove "$RAPIDSNARK" "$ZKEY" "$RUN/witness.wtns" "$RUN/rapidsnark-proof.json" "$RUN/rapidsnark-public.json"
    fi
    if [ "$MODE" = full ]; then
        rm -f "$BUNDLE"
        timed zkcomply-prove "$ZK" prove "${COMMON[@]}" --keys "$DEMO/keys" --out "$BUNDLE"
    fi
done
say "snarkjs: verify; $RUNS runs"
for i in $(seq "$RUNS"); do
    timed snarkjs-verify "$SNARKJS" groth16 verify "$VKEY" "$RUN/public.json" "$RUN/proof.json"
done
SNARKJS_OK=no
grep -q 'OK!' "$OUT/logs/snarkjs-verify.1.log" && SNARKJS_OK=yes
[ "$SNARKJS_OK" = yes ] || echo "   !! snarkjs groth16 verify did not say OK (see $OUT/logs/snarkjs-verify.1.log)"
RAPIDSNARK_OK="not run"
if [ -n "$RAPIDSNARK" ]; then
    RAPIDSNARK_OK=no
    "$SNARKJS" groth16 verify "$VKEY" "$RUN/rapidsnark-public.json" "$RUN/rapidsnark-proof.json" >"$OUT/logs/rapidsnark-verify.log" 2>&1 &&
        grep -q 'OK!' "$OUT/logs/rapidsnark-verify.log" && RAPIDSNARK_OK=yes
    [ "$RAPIDSNARK_OK" = yes ] || echo "   !! snarkjs does not accept rapidsnark's proof (see $OUT/logs/rapidsnark-verify.log)"
fi

# ------------------------------------------------------------ zkcomply ---
ZK_CONSTRAINTS=n/a
PUBLIC_MATCH="not checked (no zkcomply bundle)"
if [ "$MODE" = full ]; then
    say "zkcomply: verify; $RUNS runs"
    # At the bundle's own time: the demo's withdrawal was made minutes ago.
    AT=$(node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).withdrawal.now + 1" "$BUNDLE")
    for i in $(seq "$RUNS"); do
        timed zkcomply-verify "$ZKV" verify "$BUNDLE" --policy "$DEMO/policy.json" --vk "$DEMO/verifying_key.json" --at "$AT"
    done
    "$ZK" info --constraints >"$OUT/logs/info.log" 2>&1 ||
        { tail -n 20 "$OUT/logs/info.log" >&2; die "'zkcomply info --constraints' failed"; }
    ZK_CONSTRAINTS=$(sed -n 's/^ *constraints: *\([0-9]*\).*/\1/p' "$OUT/logs/info.log" | head -n 1)
    [ -n "$ZK_CONSTRAINTS" ] || die "'zkcomply info --constraints' printed no 'constraints: N' line"
    echo "   zkcomply constraints: $ZK_CONSTRAINTS"

    say "cross-check: snarkjs public signals == bundle public_inputs"
    if node -e '
        const fs = require("fs");
        const a = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
        const b = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).public_inputs;
        const names = ["statement_hash", "context", "nullifier", "epoch", "now", "disclosed_jurisdiction"];
        let ok = Array.isArray(b) && a.length === b.length;
        for (let i = 0; i < Math.max(a.length, (b || []).length); i++) {
            const same = a[i] !== undefined && b && b[i] !== undefined && BigInt(a[i]) === BigInt(b[i]);
            if (!same) ok = false;
            console.log(`   ${same ? "same" : "DIFF"}  ${(names[i] || "#" + i).padEnd(22)} snarkjs ${a[i]}  zkcomply ${b ? b[i] : "?"}`);
        }
        process.exit(ok ? 0 : 1);' "$RUN/public.json" "$BUNDLE"; then
        PUBLIC_MATCH=yes
        echo "   the two circuits accepted the same statement"
    else
        PUBLIC_MATCH=NO
        echo "   !! PUBLIC INPUTS DIFFER: the circom input exported by zkcomply and the zkcomply bundle"
        echo "   !! do not describe the same statement; the timings are not comparable until this is fixed."
    fi
fi

# --------------------------------------------------------------- report ---
SJ_FULL=$(median snarkjs-fullprove 1)
SJ_PROVE=$(median snarkjs-prove 1)
SJ_WTNS=$(median snarkjs-wtns 1)
SJ_VER=$(median snarkjs-verify 1)
ZK_PROVE=$(median zkcomply-prove 1)
RS_PROVE=$(median rapidsnark-prove 1)
ZK_VER=$(median zkcomply-verify 1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
PROVE_RATIO=$(ratio "$SJ_FULL" "$ZK_PROVE")
VER_RATIO=$(ratio "$SJ_VER" "$ZK_VER")
CONS_RATIO=$(ratio "$CIRCOM_CONSTRAINTS" "$ZK_CONSTRAINTS")
CPU=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)

REPORT="$OUT/comparison.md"
{
    echo "# zkcomply vs circom2 + circomlib + snarkjs: withdrawal statement"
    echo
    echo "Same statement, same machine ($(nproc) cores${CPU:+, $CPU}), $(date -u +%Y-%m-%d)."
    echo "Times are wall-clock medians of $RUNS run(s) of the whole process, in seconds; max RSS in MiB."
    [ "$MODE" = full ] || echo "Mode $MODE: snarkjs only, on the circomlibjs self-test input."
    echo
    echo "| | circom2 + snarkjs | zkcomply | snarkjs / zkcomply |"
    echo "|---|---:|---:|---:|"
    echo "| constraints | $CIRCOM_CONSTRAINTS | $ZK_CONSTRAINTS | $CONS_RATIO |"
    echo "| prove, whole process (s) | $SJ_FULL | $ZK_PROVE | $PROVE_RATIO |"
    echo "| prove max RSS (MiB) | $(max_rss_mib snarkjs-fullprove) | $(max_rss_mib zkcomply-prove) | |"
    echo "| verify, whole process (s) | $SJ_VER | $ZK_VER | $VER_RATIO |"
    echo
    echo "Proving, alternating in each round (medians of $RUNS; max RSS in MiB):"
    echo
    echo "| prover | median (s) | max RSS (MiB) |"
    echo "|---|---:|---:|"
    echo "| snarkjs groth16 fullprove (witness and proof) | $SJ_FULL | $(max_rss_mib snarkjs-fullprove) |"
    echo "| snarkjs groth16 prove (from a witness) | $SJ_PROVE | $(max_rss_mib snarkjs-prove) |"
    [ -z "$RAPIDSNARK" ] || echo "| rapidsnark prover (prove step alone, from a witness) | $RS_PROVE | $(max_rss_mib rapidsnark-prove) |"
    [ "$MODE" != full ] || echo "| zkcomply prove (whole process: inputs to bundle) | $ZK_PROVE | $(max_rss_mib zkcomply-prove) |"
    echo
    echo "snarkjs prove, whole process = \`snarkjs groth16 fullprove\` (witness + proof);"
    echo "separately: \`wtns calculate\` $SJ_WTNS s, \`groth16 prove\` from a witness $SJ_PROVE s."
    echo "zkcomply prove, whole process = \`zkcomply prove\` (reads the inputs and proving key, witness, proof, writes the bundle)."
    echo "Verify: \`snarkjs groth16 verify\` vs \`zkcomply-verify verify\` (proof and policy checks)."
    echo
    echo "- circom: $("$CIRCOM" --version 2>/dev/null | tail -n 1), flag $CIRCOM_OPT; circomlib $(node -p "require('$HERE/node_modules/circomlib/package.json').version"); snarkjs $(node -p "require('$HERE/node_modules/snarkjs/package.json').version"); node $(node --version)"
    echo "- powers of tau: 2^$POWER, made locally (single contributor, benchmark only)"
    echo "- CPU busy with other work just before timing: $BUSY% (above about 15% the timings are skewed)"
    echo "- snarkjs verify said OK: $SNARKJS_OK; snarkjs accepts rapidsnark's proof: $RAPIDSNARK_OK"
    echo "- snarkjs public signals equal the zkcomply bundle's public_inputs: $PUBLIC_MATCH"
} >"$REPORT"

say "result"
printf '   %-28s %18s %12s %12s\n' "" "circom2+snarkjs" "zkcomply" "ratio"
printf '   %-28s %18s %12s %12s\n' "constraints" "$CIRCOM_CONSTRAINTS" "$ZK_CONSTRAINTS" "$CONS_RATIO"
printf '   %-28s %18s %12s %12s\n' "prove, whole process (s)" "$SJ_FULL" "$ZK_PROVE" "$PROVE_RATIO"
printf '   %-28s %18s %12s %12s\n' "verify (s)" "$SJ_VER" "$ZK_VER" "$VER_RATIO"
[ -z "$RAPIDSNARK" ] || printf '   %-28s %18s %12s\n' "rapidsnark prove step (s)" "$RS_PROVE" "(zkcomply whole process: $ZK_PROVE)"
echo "   snarkjs verify OK: $SNARKJS_OK; public inputs match: $PUBLIC_MATCH"
echo "   written: ${REPORT#"$ROOT"/}"

[ "$SNARKJS_OK" = yes ] || exit 1
[ -z "$RAPIDSNARK" ] || [ "$RAPIDSNARK_OK" = yes ] || exit 1
[ "$MODE" != full ] || [ "$PUBLIC_MATCH" = yes ] || exit 1
