#!/usr/bin/env bash
# The documented one-hour soak (docs/RELIABILITY.md): builds the release widget and gws-sim, then runs
# e2e/tests/soak.test.mjs for SOAK_SECONDS (default 3600) with seed SOAK_SEED (default the test's).
# Loopback only; it stops by itself. Usage: scripts/soak.sh   or   SOAK_SECONDS=600 scripts/soak.sh
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
./scripts/setup.sh
# shellcheck source=./env.sh
source scripts/env.sh
trunk build --release --offline
cargo build -p gws-sim --release --locked
cd e2e
SOAK_SECONDS="${SOAK_SECONDS:-3600}" GWS_SIM_BIN="$REPO_ROOT/target/release/gws-sim" DIST_DIR="$REPO_ROOT/dist" \
  node --test tests/soak.test.mjs
