#!/usr/bin/env bash
# Builds and runs Shipdeck's app on the sample workspace (examples/isometry), or on the
# folder given as the first argument. Installs what the build needs first (on Linux, the
# WebKitGTK packages; on a Mac, nothing beyond Rust and Xcode's command-line tools).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

workspace="${1:-$PWD/examples/isometry}"
scripts/install-deps.sh

# The sample shows a demo signing set (dated from today; never committed).
if [ -z "${1:-}" ]; then
  cargo run --locked --quiet --bin shipdeck -- signing demo --workspace "$workspace" >/dev/null
fi

if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # No screen: run under a virtual one so the app still starts (SHIPDECK_HEADLESS=1 in CI).
  if ! command -v xvfb-run >/dev/null; then
    scripts/install-deps.sh --test
  fi
  echo "run-app: no display found; starting the app under Xvfb (log in to a desktop to see the window)" >&2
  # Without a desktop session the login keyring may not be writable for the app's credentials
  # (keyutils): give it a keyring of its own, which lasts as long as the app.
  wrap=()
  command -v keyctl >/dev/null && wrap=(keyctl session -)
  exec "${wrap[@]}" xvfb-run -a cargo run --locked -p shipdeck-app -- "$workspace"
fi
exec cargo run --locked -p shipdeck-app -- "$workspace"
