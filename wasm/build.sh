#!/usr/bin/env bash
# Builds the browser/Node.js package into wasm/pkg:
#   wasm/pkg/zkcomply_wasm.js       ES module (wasm-bindgen, --target web)
#   wasm/pkg/zkcomply_wasm.d.ts     TypeScript types
#   wasm/pkg/zkcomply_wasm_bg.wasm  the verifier
#   wasm/pkg/package.json, README.md
# and prints the .wasm size, raw and gzipped.
#
# Arguments are passed to cargo build: `bash wasm/build.sh --features
# gate-calldata` adds the gate's calldata encoder (`gateCalldata`).
#
# Toolchain, in this order (a missing target is an error, never a skip):
#   1. rustup target add wasm32-unknown-unknown;
#   2. if that fails: Debian's rustc-web, cargo-web, rust-web-src and lld-22,
#      building the standard library for wasm32 with -Z build-std;
#   3. wasm-bindgen-cli from crates.io at exactly the wasm-bindgen crate's
#      version, installed once into ~/.cargo/bin and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/wasm/pkg"
TARGET=wasm32-unknown-unknown
CARGO_ARGS=("$@")

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen version the workspace pins (Cargo.toml: "=X.Y.Z").
BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)"
if [ -z "$BINDGEN_VERSION" ]; then
  echo "error: the workspace Cargo.toml must pin wasm-bindgen as \"=X.Y.Z\"" >&2
  exit 1
fi

build_with_rustup() {
  rustup target add "$TARGET" >/dev/null 2>&1 || return 1
  cargo build --profile wasm-release --target "$TARGET" -p zkcomply-wasm "${CARGO_ARGS[@]}"
}

build_with_debian() {
  echo "==> rustup target add failed; using Debian's rustc-web and build-std" >&2
  if ! [ -x /usr/bin/rustc ] || ! dpkg -s rust-web-src lld-22 >/dev/null 2>&1; then
    as_root apt-get update -qq
    as_root apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22
  fi
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build -Z build-std=std,panic_abort \
    --target "$TARGET" --profile wasm-release -p zkcomply-wasm "${CARGO_ARGS[@]}"
}

echo "==> building zkcomply-wasm for $TARGET"
if ! build_with_rustup; then
  build_with_debian
fi
# Where cargo put it: honours CARGO_TARGET_DIR and build.target-dir.
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
[ -n "$TARGET_DIR" ] || { echo "error: cargo metadata did not name the target directory" >&2; exit 1; }
WASM="$TARGET_DIR/$TARGET/wasm-release/zkcomply_wasm.wasm"
[ -f "$WASM" ] || { echo "error: $WASM was not built" >&2; exit 1; }

if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  echo "==> installing wasm-bindgen-cli $BINDGEN_VERSION from crates.io (once; about 3 minutes)"
  cargo install --locked --version "$BINDGEN_VERSION" wasm-bindgen-cli
fi

echo "==> wasm-bindgen (ES module + TypeScript types)"
STAGE="$(mktemp -d "$ROOT/wasm/.pkg.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
wasm-bindgen --target web --out-dir "$STAGE" "$WASM"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
sed "s/@VERSION@/$VERSION/" wasm/package.template.json > "$STAGE/package.json"
cp wasm/README.md "$STAGE/README.md"
rm -rf "$OUT"
mv "$STAGE" "$OUT"
trap - EXIT

RAW=$(stat -c %s "$OUT/zkcomply_wasm_bg.wasm")
GZ=$(gzip -9 -c "$OUT/zkcomply_wasm_bg.wasm" | wc -c)
echo "==> $OUT: zkcomply_wasm_bg.wasm $RAW bytes raw, $GZ bytes gzipped (-9)"
