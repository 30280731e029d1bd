#!/usr/bin/env bash
# End-to-end test of the real app window: builds the app and the CLI, starts Xvfb (when no
# display is set) and tauri-driver (which drives WebKitWebDriver), and runs tests/e2e with
# Node's test runner. Screenshots land in tests/e2e/artifacts/. Cleans up whatever it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

for tool in tauri-driver WebKitWebDriver node keyctl; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is missing; run scripts/install-deps.sh --test" >&2; exit 1; }
done

# `cargo test --no-run` builds the app binary with the same features as the test build
# before it (tauri's "test" feature is a dev-dependency), so nothing is compiled twice.
cargo test --locked -p shipdeck-app --no-run --quiet
cargo build --locked --bin shipdeck --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export SHIPDECK_APP_BIN="$target_dir/debug/shipdeck-app"
export SHIPDECK_BIN="$target_dir/debug/shipdeck"

work=$(mktemp -d)
export SHIPDECK_E2E_TMP="$work"
export SHIPDECK_DATA_DIR="$work/data"
export NO_AT_BRIDGE=1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  export DISPLAY=":$(cat "$work/display")"
fi

# The app stores credentials through keyring (keyutils on Linux): give it a fresh session
# keyring of its own and a service name of this run's, so nothing of the user's is touched.
export SHIPDECK_KEYRING_SERVICE="Shipdeck e2e $$"
session=()
command -v keyctl >/dev/null && session=(keyctl session -)

port=${SHIPDECK_E2E_PORT:-4444}
"${session[@]}" tauri-driver --port "$port" --native-port $((port + 1)) --native-driver "$(command -v WebKitWebDriver)" >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
export SHIPDECK_WEBDRIVER="http://127.0.0.1:$port"

status=0
node --test --test-concurrency=1 tests/e2e/ || status=$?
if [ "$status" -ne 0 ]; then
  echo "== tauri-driver log" >&2
  tail -n 40 "$work/driver.log" >&2 || true
fi
exit "$status"
