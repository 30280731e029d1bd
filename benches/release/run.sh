#!/usr/bin/env bash
# The release runner on a build log of LINES lines (default 1,000,000): the fake xcodebuild
# prints them during an archive that `shipdeck release --dry-run --archive` runs, against
# `cat` of the same output. Reports lines per second and peak memory (max RSS).
#   benches/release/run.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=${1:-1000000}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
cargo build --release --locked --bin shipdeck --quiet
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/shipdeck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/isometry "$work/ws"
rm -rf "$work/ws/.shipdeck"
export PATH="$PWD/tests/fakes:$PATH" SHIPDECK_DATA_DIR="$work/data" FAKE_XCODEBUILD_LINES="$lines"

# The same output, produced once into a file, for cat.
tests/fakes/xcodebuild archive -scheme IsometryiOS -destination generic/platform=iOS -archivePath "$work/a.xcarchive" > "$work/out.txt"
size=$(stat -c %s "$work/out.txt")

t() { # seconds and max RSS (KB) of a command
  local start end m
  start=$(date +%s%N)
  m=$( { /usr/bin/time -f "%M" "$@" >/dev/null; } 2>&1 | tail -1)
  end=$(date +%s%N)
  echo "$(awk "BEGIN{printf \"%.3f\", ($end - $start) / 1e9}") $m"
}
read -r ct cm < <(t cat "$work/out.txt")
read -r st sm < <(t "$bin" release --dry-run --archive --platform ios --workspace "$work/ws")
# the fake itself, printing to /dev/null: the floor under the runner's number
read -r ft fm < <(t tests/fakes/xcodebuild archive -scheme IsometryiOS -destination generic/platform=iOS -archivePath "$work/b.xcarchive")
echo "lines: $lines ($size bytes)"
echo "fake xcodebuild alone: ${ft}s"
echo "cat:                   ${ct}s, max RSS ${cm} KB"
echo "shipdeck runner:       ${st}s, max RSS ${sm} KB  ($(awk "BEGIN{printf \"%.0f\", $lines / $st}") lines/s through the runner)"
echo "runner / fake alone:   $(awk "BEGIN{printf \"%.2f\", $st / $ft}")x"
