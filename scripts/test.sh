#!/usr/bin/env bash
# Runs every zkcomply check and test: rustfmt, clippy and rustdoc with
# warnings denied, then the tests. Installs what the tests need first:
#   - Node.js and npm (Debian packages) when missing;
#   - circomlibjs from the npm registry, for the interop tests;
#   - solc-js (pinned) and snarkjs from the npm registry, for the tests that
#     compile the exported Solidity and run it in an EVM;
#   - PostgreSQL (Debian package), started on loopback for the prover
#     service's tests and stopped when the tests end;
#   - for the WebAssembly package (wasm/tests/run.sh): the wasm32 target
#     (rustup, or Debian's rustc-web as a fallback), wasm-bindgen-cli from
#     crates.io, Chromium (Debian) and playwright-core (npm);
#   - for the fuzz targets (scripts/fuzz.sh): libfuzzer-sys from crates.io,
#     whose libFuzzer the system C++ compiler builds.
set -euo pipefail
cd "$(dirname "$0")/.."

# A clean clone is built once: incremental caches would only cost disk
# (about 2 GB for the test build). The debug profile keeps no debug
# information for dependencies for the same reason (Cargo.toml).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
echo "==> disk: $(df -h . | awk 'NR == 2 { print $4 " free of " $2 }')"

# Lints first: they fail before the long test build.
echo "==> cargo fmt --check"
cargo fmt --all --check
cargo fmt --manifest-path fuzz/Cargo.toml --check

echo "==> cargo clippy (warnings denied)"
cargo clippy --workspace --all-targets --features zkcomply-circuits/r1cs -- -D warnings
# The feature sets the workspace build does not cover: the verifier alone,
# and the browser package with the gate's calldata encoder.
cargo clippy -p zkcomply-verifier --no-default-features -- -D warnings
cargo clippy -p zkcomply-wasm --features gate-calldata -- -D warnings

echo "==> cargo doc (warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --features zkcomply-circuits/r1cs

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "==> installing nodejs and npm (Debian packages)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq nodejs npm
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq nodejs npm
  fi
fi

echo "==> npm packages for the interop tests (circomlibjs)"
npm ci --prefix scripts/interop --no-audit --no-fund --loglevel=error

echo "==> npm packages for the EVM tests (solc-js, snarkjs)"
npm ci --prefix benches/evm --no-audit --no-fund --loglevel=error

echo "==> PostgreSQL on loopback for the prover service's tests"
pg_dir="$(mktemp -d)"
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
ZKCOMPLY_TEST_DATABASE_URL="$(bash scripts/postgres.sh start "$pg_dir")"
export ZKCOMPLY_TEST_DATABASE_URL

echo "==> cargo test (dependencies optimised even in test builds)"
cargo test --workspace --features zkcomply-circuits/r1cs "$@"

echo "==> disk: $(df -h . | awk 'NR == 2 { print $4 " free of " $2 }')"
echo "==> fuzzing every parser (coverage-guided, 20 s a target; docs/TESTING.md)"
bash scripts/fuzz.sh 20

echo "==> the WebAssembly package: build, Node.js and headless-Chromium tests"
bash wasm/tests/run.sh
