#!/usr/bin/env bash
# Start-up to first paint and idle memory of Shipdeck's app (release build) on the sample
# workspace, under Xvfb. The app prints "first paint N ms after start" when the UI's first
# render is on screen; this script also times from its own spawn of the process to that line.
#   benches/app/startup.sh            5 runs
#   RUNS=10 benches/app/startup.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
runs=${RUNS:-5}

cargo build --release --locked -p shipdeck-app --quiet
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/shipdeck-app

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  export DISPLAY=":$(cat "$work/display")"
fi
export NO_AT_BRIDGE=1

# Resident memory of a process and all its descendants (the WebKit web and network processes).
tree_pids() { echo "$1"; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree_pids "$c"; done; }
sum_kb() { # field (VmRSS from status, or Pss from smaps_rollup)
  local total=0 v
  for p in $(tree_pids "$1"); do
    if [ "$2" = Pss ]; then v=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
    else v=$(awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || echo 0); fi
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

echo "run,spawn_to_first_paint_ms,app_reported_ms"
for i in $(seq "$runs"); do
  data="$work/data$i"
  log="$work/log$i"
  start=$(date +%s%N)
  SHIPDECK_DATA_DIR="$data" "$bin" "$PWD/examples/isometry" 2>"$log" &
  pid=$!
  for _ in $(seq 600); do grep -q "first paint" "$log" && break; sleep 0.01; done
  end=$(date +%s%N)
  reported=$(sed -n 's/.*first paint \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  echo "$i,$(( (end - start) / 1000000 )),${reported:-?}"
  if [ "$i" = 1 ]; then
    sleep 10
    echo "idle_after_10s: processes=$(tree_pids "$pid" | wc -l) rss_kb=$(sum_kb "$pid" VmRSS) pss_kb=$(sum_kb "$pid" Pss)"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
