#!/usr/bin/env bash
# The app's log view on a build log of LINES lines (default 1,000,000), against `cat` of the
# same output and the CLI on the same run, in one go. The app (release build) runs under Xvfb,
# driven through tauri-driver; see benches/app/log.mjs for what is measured.
#   benches/app/log.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
lines=${1:-1000000}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
cargo build --release --locked -p shipdeck-app -p shipdeck --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export SHIPDECK_APP_BIN="$target_dir/release/shipdeck-app"
cli="$target_dir/release/shipdeck"

# Before Xvfb and tauri-driver start, so the app they start inherits it.
export PATH="$PWD/tests/fakes:$PATH" FAKE_XCODEBUILD_LINES="$lines" NO_AT_BRIDGE=1
. scripts/driver-env.sh

tests/fakes/xcodebuild archive -scheme IsometryiOS -destination generic/platform=iOS -archivePath "$work/a.xcarchive" > "$work/out.txt"
echo "lines: $lines ($(stat -c %s "$work/out.txt") bytes)"
s=$(date +%s%N); cat "$work/out.txt" > /dev/null; e=$(date +%s%N)
echo "cat: $(awk "BEGIN{printf \"%.3f\", ($e - $s) / 1e9}") s"
cp -r examples/isometry "$work/cli-ws"; rm -rf "$work/cli-ws/.shipdeck"
s=$(date +%s%N)
m=$( { /usr/bin/time -f "%M" "$cli" release --dry-run --archive --platform ios --workspace "$work/cli-ws" >/dev/null; } 2>&1 | tail -1)
e=$(date +%s%N)
echo "cli: $(awk "BEGIN{printf \"%.3f\", ($e - $s) / 1e9}") s, max RSS $m KB"
echo "app: $(node benches/app/log.mjs)"
