# Sourced by the project's scripts: where tools live and how they are found.
# Tools that are not cargo binaries live outside the clone, so every clone shares them.
export IMW_TOOLS_DIR="${IMW_TOOLS_DIR:-$HOME/.cache/gws-im-widget/tools}"
export PATH="$IMW_TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

step() { printf '\n==> %s\n' "$*"; }
