#!/usr/bin/env bash
# Coverage-guided fuzzing of every zkcomply parser (docs/TESTING.md): builds
# the libFuzzer targets of fuzz/ on the stable toolchain with
# SanitizerCoverage, replays every saved reproducer in fuzz/regressions/,
# then fuzzes each target for a bounded time, two at a time.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#       fuzz every target (or the ones named) for SECONDS_PER_TARGET
#       (default 20); e.g. `bash scripts/fuzz.sh 600 bundle`
#   bash scripts/fuzz.sh replay TARGET FILE...
#       run TARGET once on each FILE (a crash prints its panic and backtrace)
#   bash scripts/fuzz.sh minimize TARGET FILE
#       shrink a crashing FILE to FILE.min (what fuzz/regressions/ keeps)
#   bash scripts/fuzz.sh build
#       build the targets only
#
# Exits non-zero on a crash, timeout or out-of-memory, naming the
# reproducer. FUZZ_JOBS (default 2) targets run at once. Everything a run
# writes (grown corpora, crash artifacts, logs) goes under fuzz/target/runs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

# The instrumentation cargo-fuzz adds for `--sanitizer none`, on stable rustc:
# SanitizerCoverage with inline 8-bit counters, a PC table and comparison
# tracing (what libFuzzer's coverage feedback reads), branch folding off and
# the stack-depth counter (as cargo-fuzz on Linux), `cfg(fuzzing)`, and
# debug assertions with overflow checks in optimised code (cargo-fuzz's one
# codegen unit per crate is in fuzz/Cargo.toml's profile). RUSTFLAGS replaces
# .cargo/config.toml's flags, so its BMI2 and ADX come back here: the
# targets run ark-ff's assembly, as the shipped binaries do.
fuzz_rustflags=(
  -Ctarget-feature=+bmi2,+adx
  -Cpasses=sancov-module
  -Cllvm-args=-sanitizer-coverage-level=4
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
  -Cllvm-args=-sanitizer-coverage-pc-table
  -Cllvm-args=-sanitizer-coverage-trace-compares
  -Cllvm-args=-simplifycfg-branch-fold-threshold=0
  -Cllvm-args=-sanitizer-coverage-stack-depth
  --cfg fuzzing
  -Cdebug-assertions
  -Coverflow-checks
)
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros,
# which run on the host without libFuzzer's runtime.
host="$(rustc -vV | sed -n 's/^host: //p')"
target_dir="$root/fuzz/target"
bin_dir="$target_dir/$host/release"
runs_dir="$target_dir/runs"
dict="$root/fuzz/dict/zkcomply.dict"
parallel_runs="${FUZZ_JOBS:-2}"

# Every target, with the longest input it is given (bytes): a little above
# its largest seed, so mutations can grow documents past their limits.
declare -A max_len=(
  [credential]=4096
  [withdrawal]=4096
  [policy]=8192
  [bundle]=8192
  [verifying_key]=8192
  [snarkjs_verifying_key]=8192
  [key_bytes]=2048
  [proof_bytes]=512
  [halo2_proof]=8192
  [verify_bundle]=8192
  [batch_bundle]=16384
  [log_record]=8192
  [audit_log]=16384
  [tree_file]=8192
  [list_text]=4096
  [service_request]=8192
  [holder_file]=2048
  [issuer_key]=2048
  [zkey_file]=16384
  [r1cs_file]=4096
  [ptau_file]=16384
)
all_targets=(credential withdrawal policy bundle verifying_key snarkjs_verifying_key key_bytes proof_bytes halo2_proof verify_bundle
  batch_bundle
  log_record audit_log tree_file list_text service_request holder_file issuer_key
  zkey_file r1cs_file ptau_file)

# libFuzzer's limits for every run: a single input may take 10 s and the
# process 2 GiB (two runs at once stay well inside the machine).
limits=(-timeout=10 -rss_limit_mb=2048)

build() {
  if ! command -v c++ >/dev/null 2>&1; then
    echo "==> installing g++ (Debian package): libfuzzer-sys compiles libFuzzer"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && apt-get install -y -qq g++
    else
      sudo apt-get update -qq && sudo apt-get install -y -qq g++
    fi
  fi
  echo "==> fuzz targets: cargo build (release, SanitizerCoverage, target $host)"
  RUSTFLAGS="${fuzz_rustflags[*]}" cargo build --manifest-path fuzz/Cargo.toml --target-dir "$target_dir" \
    --release --target "$host" --bins
}

known_target() {
  [[ -n "${max_len[$1]:-}" ]] || { echo "unknown fuzz target: $1 (known: ${all_targets[*]})" >&2; exit 2; }
}

# Replays every file of fuzz/regressions/TARGET/ (each once, as libFuzzer
# runs files it is given). Returns non-zero when one crashes.
replay_regressions() {
  local failed=0 target file log
  echo "==> fuzz regressions: replaying fuzz/regressions/"
  mkdir -p "$runs_dir"
  for target in "${all_targets[@]}"; do
    [[ -d "fuzz/regressions/$target" ]] || continue
    for file in "fuzz/regressions/$target"/*; do
      [[ -f "$file" ]] || continue
      log="$runs_dir/replay-$target-$(basename "$file").log"
      if "$bin_dir/$target" "${limits[@]}" "$file" >"$log" 2>&1; then
        echo "    $target/$(basename "$file"): ok"
      else
        echo "    $target/$(basename "$file"): CRASH"
        LC_ALL=C sed -n '/panicked at\|ERROR: libFuzzer\|==ERROR\|SUMMARY/,+3p' "$log" | head -20 | sed 's/^/      /'
        echo "      replay: bash scripts/fuzz.sh replay $target $file"
        failed=1
      fi
    done
  done
  return "$failed"
}

# Fuzzes one target for $1 seconds; writes its verdict to $runs_dir/TARGET.status.
fuzz_one() {
  local seconds="$1" target="$2"
  local grown="$runs_dir/corpus/$target" artifacts="$runs_dir/artifacts/$target/" log="$runs_dir/$target.log"
  mkdir -p "$grown" "$artifacts"
  # New inputs go to the first directory (grown, not committed); the
  # committed seeds in fuzz/corpus/TARGET are read only.
  if "$bin_dir/$target" -max_total_time="$seconds" -max_len="${max_len[$target]}" "${limits[@]}" \
    -dict="$dict" -artifact_prefix="$artifacts" -print_final_stats=1 \
    "$grown" "fuzz/corpus/$target" >"$log" 2>&1; then
    echo ok >"$runs_dir/$target.status"
  else
    echo crash >"$runs_dir/$target.status"
  fi
}

report_one() {
  local target="$1" log="$runs_dir/$1.log" status artifact
  status="$(cat "$runs_dir/$target.status")"
  local stats
  stats="$(grep -aE '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1 | sed -E 's/^(#[0-9]+)\s+\S+\s+/\1 /')"
  artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
  case "$status" in
    ok) echo "    $target: ok ($stats)" ;;
    *)
      echo "    $target: CRASH, reproducer: ${artifact:-see $log}"
      LC_ALL=C sed -n '/panicked at\|ERROR: libFuzzer\|==ERROR\|SUMMARY/,+3p' "$log" | head -20 | sed 's/^/      /'
      echo "      replay: bash scripts/fuzz.sh replay $target ${artifact:-FILE}; keep it: bash scripts/fuzz.sh minimize $target ${artifact:-FILE}, then copy the .min file to fuzz/regressions/$target/" ;;
  esac
}

fuzz_targets() {
  local seconds="$1"; shift
  local targets=("$@") target failed=0
  echo "==> fuzzing ${#targets[@]} targets, $seconds s each, $parallel_runs at a time (logs in $runs_dir)"
  rm -f "$runs_dir"/*.status
  mkdir -p "$runs_dir"
  for target in "${targets[@]}"; do
    while (($(jobs -rp | wc -l) >= parallel_runs)); do wait -n || true; done
    fuzz_one "$seconds" "$target" &
  done
  wait
  for target in "${targets[@]}"; do
    report_one "$target"
    [[ "$(cat "$runs_dir/$target.status")" == crash ]] && failed=1
  done
  return "$failed"
}

case "${1:-}" in
  build)
    build ;;
  replay)
    [[ $# -ge 3 ]] || { echo "usage: bash scripts/fuzz.sh replay TARGET FILE..." >&2; exit 2; }
    known_target "$2"
    build
    target="$2"; shift 2
    RUST_BACKTRACE=1 "$bin_dir/$target" "${limits[@]}" "$@" ;;
  minimize)
    [[ $# -eq 3 ]] || { echo "usage: bash scripts/fuzz.sh minimize TARGET FILE" >&2; exit 2; }
    known_target "$2"
    build
    "$bin_dir/$2" "${limits[@]}" -minimize_crash=1 -max_total_time=60 -exact_artifact_path="$3.min" "$3"
    echo "minimized: $3.min ($(wc -c <"$3.min") bytes)" ;;
  *)
    seconds=20
    if [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds="$1"; shift; fi
    targets=("$@")
    [[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
    for target in "${targets[@]}"; do known_target "$target"; done
    build
    status=0
    replay_regressions || status=1
    fuzz_targets "$seconds" "${targets[@]}" || status=1
    if [[ "$status" -ne 0 ]]; then
      echo "fuzzing found a crash (above); docs/TESTING.md says how to replay, minimize and keep it" >&2
    fi
    exit "$status" ;;
esac
