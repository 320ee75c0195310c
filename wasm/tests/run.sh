#!/usr/bin/env bash
# Builds the WebAssembly package and runs its Node.js and headless-Chromium
# tests. Installs what they need: Debian's chromium when missing, and the
# test tooling (playwright-core) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../.."

# With gateCalldata, which the Node.js tests compare with the CLI's calldata.
bash wasm/build.sh --features gate-calldata

if ! [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "==> installing chromium (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
fi

echo "==> npm packages for the browser tests (playwright-core)"
npm ci --prefix wasm/tests --no-audit --no-fund --loglevel=error

echo "==> the CLIs the tests compare against"
# Built exactly as scripts/test.sh's test build builds them (dev-dependency
# features included), so that build is reused rather than redone.
cargo test --workspace --features zkcomply-circuits/r1cs --no-run

echo "==> WebAssembly package: Node.js and headless Chromium"
node --test wasm/tests/node.test.mjs wasm/tests/browser.test.mjs
