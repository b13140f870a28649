#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (native + wasm32), native unit/property/fixture tests,
# the release build with its size report and budget, and the browser + CometD conformance tests.
# Installs missing tools first (scripts/setup.sh). First run on a fresh machine: about 25 minutes.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/setup.sh"

step "cargo fmt --check"
cargo fmt --all --check

step "leptosfmt --check"
leptosfmt --check src

step "no module cycle in src/ or simulator/src/ (scripts/module-cycles.mjs)"
node scripts/module-cycles.mjs src simulator/src

step "clippy, native (all crates, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy, wasm32 (the widget with its tests, and the protocol crate it ships)"
cargo clippy -p gws-im-widget --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
cargo clippy -p gws-im-widget --target wasm32-unknown-unknown --features split --lib --bins --locked -- -D warnings
cargo clippy -p gws-protocol --target wasm32-unknown-unknown --lib --locked -- -D warnings

step "native tests (unit, fixtures, property, simulator in-process + loopback)"
cargo test --workspace --locked

step "browser-API tests (wasm-bindgen-test in headless Chromium through chromedriver)"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test -p gws-im-widget --target wasm32-unknown-unknown --locked

step "release build of the widget (trunk; split by scripts/wasm-split.mjs, wasm-opt -Os)"
trunk build --release --offline
node scripts/size-report.mjs --check

step "building gws-sim for the browser tests"
cargo build -p gws-sim --release --locked

step "browser tests (Playwright + Debian Chromium) and CometD conformance (official client)"
cd e2e
GWS_SIM_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/gws-sim" DIST_DIR="$REPO_ROOT/dist" npm test
