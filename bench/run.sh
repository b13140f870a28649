#!/usr/bin/env bash
# Builds the release widget and gws-sim, then runs every benchmark of docs/BENCHMARKS.md in headless
# Chromium and writes the figures there (and bench/results.json). About 10–15 minutes; keep the
# machine otherwise idle. Arguments go to bench/run.mjs (--quick: smaller counts, docs untouched;
# --only=notificationToDom,idle: some of them).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
./scripts/setup.sh
# shellcheck source=../scripts/env.sh
source scripts/env.sh
trunk build --release --offline
cargo build -p gws-sim --release --locked
# A copy of this build's simulator: a target directory shared with other clones may change under us.
mkdir -p .bin
cp "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/gws-sim" .bin/gws-sim
GWS_SIM_BIN="$REPO_ROOT/.bin/gws-sim" DIST_DIR="$REPO_ROOT/dist" node bench/run.mjs "$@"
