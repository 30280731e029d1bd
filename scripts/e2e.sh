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

# `cargo test --workspace --no-run` builds both binaries with the same features as the test
# run before it (dev-dependencies such as tauri's "test" feature are unified in), so after
# scripts/test.sh's `cargo test --workspace` nothing is compiled again.
cargo test --workspace --locked --no-run --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export SHIPDECK_APP_BIN="$target_dir/debug/shipdeck-app"
export SHIPDECK_BIN="$target_dir/debug/shipdeck"

. scripts/driver-env.sh

status=0
node --test --test-concurrency=1 tests/e2e/ || status=$?
if [ "$status" -ne 0 ]; then
  echo "== tauri-driver log" >&2
  tail -n 40 "$work/driver.log" >&2 || true
fi
exit "$status"
