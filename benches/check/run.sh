#!/usr/bin/env bash
# `shipdeck check` on real repositories with no shipdeck.toml (discovery included), release
# build: the median and best of RUNS runs and the peak memory, beside the time to read every
# project.pbxproj and xcscheme of the same tree with `cat` (the floor of any tool that reads
# the repository's Xcode files).
#   benches/check/run.sh DIR [DIR...]     (e.g. repositories fetched and unpacked by hand)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || { echo "usage: benches/check/run.sh DIR [DIR...]" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
runs=${RUNS:-7}
cargo build --release --locked --bin shipdeck --quiet
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/shipdeck
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export SHIPDECK_DATA_DIR="$data"
# No App Store Connect key: check makes no network call.
unset APP_STORE_CONNECT_KEY_ID APP_STORE_CONNECT_ISSUER_ID APP_STORE_CONNECT_PRIVATE_KEY APP_STORE_CONNECT_PRIVATE_KEY_PATH

ms() { # milliseconds of one run of a command
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
echo "| repository | files in tree | pbxproj MB | check median ms | check best ms | check max RSS MB | cat of the Xcode files ms |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for dir in "$@"; do
  name=$(basename "$dir")
  files=$(find "$dir" -type f | wc -l)
  mb=$(find "$dir" -name project.pbxproj -not -path "*/Pods/*" -printf "%s\n" | awk '{s+=$1} END {printf "%.1f", s/1e6}')
  times=()
  for _ in $(seq "$runs"); do times+=("$(ms "$bin" check --json --workspace "$dir")"); done
  sorted=$(printf "%s\n" "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  best=$(echo "$sorted" | head -1)
  /usr/bin/time -o "$data/rss" -f "%M" "$bin" check --json --workspace "$dir" >/dev/null 2>&1 || true
  rss=$(tail -1 "$data/rss")
  catms=$(ms sh -c "find '$dir' \( -name project.pbxproj -o -name '*.xcscheme' \) -exec cat {} + >/dev/null")
  echo "| $name | $files | $mb | $median | $best | $(awk "BEGIN{printf \"%.1f\", $rss/1024}") | $catms |"
done
