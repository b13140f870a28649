#!/usr/bin/env bash
# Installs every tool the project needs that is missing, and skips what is already there.
# Safe to run again; the first run on a fresh machine takes about 15 minutes (trunk is compiled).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

TRUNK_VERSION=0.21.14
LEPTOSFMT_VERSION=0.1.33
BINARYEN_VERSION=132.0.0
WASM_SPLIT_VERSION=0.2.4
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

missing_root_steps=()
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else missing_root_steps+=("sudo $*"); fi
}

# The browsers come from Debian (never a downloaded one), all in ONE apt-get call (two at once fight
# over the dpkg lock); it installs while cargo compiles.
FIREFOX_PATH="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
apt_packages=()
if [ ! -x "$CHROMIUM_PATH" ] || [ ! -x /usr/bin/chromedriver ]; then
  apt_packages+=(chromium chromium-driver)
else
  echo "chromium + chromedriver: present ($("$CHROMIUM_PATH" --version 2>/dev/null | head -1))"
fi
if [ ! -x "$FIREFOX_PATH" ]; then
  apt_packages+=(firefox-esr)
else
  echo "firefox-esr: present ($("$FIREFOX_PATH" --version 2>/dev/null | head -1))"
fi
# WebKit (the core journey only): Debian's WebKitGTK WebDriver and MiniBrowser, under a virtual display.
if [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null; then
  apt_packages+=(webkit2gtk-driver xvfb)
else
  echo "webkit2gtk-driver + xvfb: present"
fi
apt_pid=""
if [ ${#apt_packages[@]} -gt 0 ]; then
  step "installing Debian's ${apt_packages[*]} (apt-get)"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}") \
      > "${TMPDIR:-/tmp}/imw-apt.log" 2>&1 &
    apt_pid=$!
  else
    missing_root_steps+=("sudo apt-get update && sudo apt-get install -y ${apt_packages[*]}")
  fi
fi

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "wasm32-unknown-unknown: present"
else
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

cargo_tool() { # name, version-line the tool prints, install command...
  local bin=$1 want=$2; shift 2
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qF "$want"; then
    echo "$bin: present ($want)"
  else
    step "installing $bin ($want)"
    "$@"
  fi
}
cargo_tool trunk "trunk $TRUNK_VERSION" cargo install trunk --version "$TRUNK_VERSION" --locked
# No --locked: wasm-bindgen-cli's lock file pins a crate version the registry does not serve.
cargo_tool wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION" \
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
cargo_tool leptosfmt "leptosfmt $LEPTOSFMT_VERSION" cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
# The release build's splitter (scripts/wasm-split.mjs); it prints no version, cargo's list does.
if command -v wasm-split-cli >/dev/null && cargo install --list | grep -qF "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  echo "wasm-split-cli: present (wasm_split_cli_support $WASM_SPLIT_VERSION)"
else
  step "installing wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
fi

if wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  echo "wasm-opt: present ($(wasm-opt --version))"
else
  step "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $IMW_TOOLS_DIR"
  mkdir -p "$IMW_TOOLS_DIR"
  (cd "$IMW_TOOLS_DIR" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION")
fi

if [ -d e2e/node_modules/playwright-core ] && [ -d e2e/node_modules/puppeteer-core ] \
  && [ e2e/node_modules/.package-lock.json -nt e2e/package-lock.json ]; then
  echo "e2e npm packages: present"
else
  step "installing the e2e npm packages (Playwright, puppeteer-core, axe, CometD client; no browser download)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

if [ -n "$apt_pid" ]; then
  step "waiting for apt-get (${apt_packages[*]})"
  wait "$apt_pid" || { cat "${TMPDIR:-/tmp}/imw-apt.log" >&2; exit 1; }
  echo "chromium: $("$CHROMIUM_PATH" --version)"
  echo "firefox-esr: $("$FIREFOX_PATH" --version)"
  echo "WebKitWebDriver: $(command -v WebKitWebDriver)"
fi

if [ ${#missing_root_steps[@]} -gt 0 ]; then
  echo "setup: these steps need root; run them, then run this command again:" >&2
  printf '  %s\n' "${missing_root_steps[@]}" >&2
  exit 1
fi
echo "setup: all tools present"
