#!/usr/bin/env bash
# Builds the widget and starts it on the bundled GWS simulator at http://127.0.0.1:8080/ (Ctrl+C stops).
# Installs missing tools first (scripts/setup.sh). First run on a fresh machine: about 15 minutes.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/setup.sh"

step "release build of the widget"
trunk build --release --offline
node scripts/size-report.mjs

step "building and starting gws-sim (the demo scenario: colleagues who write to you)"
cargo build -p gws-sim --release --locked
echo "Open http://127.0.0.1:${IMW_DEMO_PORT:-8080}/ — press Ctrl+C to stop."
exec "$REPO_ROOT/target/release/gws-sim" --addr "127.0.0.1:${IMW_DEMO_PORT:-8080}" --dist "$REPO_ROOT/dist" "$@"
