#!/usr/bin/env bash
# Start-up to first paint and idle memory of Shipdeck's app (release build) on the sample
# workspace, beside its peer in the same run: shipdeck-hello, a hello-world Tauri 2 app with
# the same crates, window and features (src-tauri/src/bin/shipdeck-hello.rs). Under Xvfb. Each
# prints "first paint N ms after start" when its page's first render is on screen; this script
# also times from its own spawn of the process to that line. The two alternate, run by run.
# Memory is also measured for the peer with `--repaint` (its page changes once after the first
# frame): a page painted only once holds one window buffer fewer than any page that updates;
# and for the peer showing a copy of the app's window as drawn (its markup and stylesheet, no
# script; made through tauri-driver by window-copy.mjs): what the same content costs to draw.
#   benches/app/startup.sh            5 runs of each
#   RUNS=10 benches/app/startup.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
runs=${RUNS:-5}

command -v tauri-driver >/dev/null || { echo "needs tauri-driver (scripts/test.sh installs it)" >&2; exit 1; }
cargo build --release --locked -p shipdeck-app --bins --quiet
dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release

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

# The copy of the app's window, beside a copy of ui/ so its stylesheet and logo resolve.
cp -r ui "$work/ui"
copy="$work/ui/window-copy.html" # (driver-env.sh sets its own $work)
(export SHIPDECK_APP_BIN="$dir/shipdeck-app"; . scripts/driver-env.sh; node benches/app/window-copy.mjs "$PWD/examples/isometry" "$copy")

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

# One start: prints "label,run,spawn_ms,reported_ms" and, for the first run, memory after 10 s.
start() { # label binary run args...
  local label=$1 name=$2 i=$3; shift 3
  local log="$work/$name-log$i"
  local t0 t1 pid reported
  t0=$(date +%s%N)
  SHIPDECK_DATA_DIR="$work/$name-data$i" "$dir/$name" "$@" 2>"$log" &
  pid=$!
  # The window copy is a page from disk: it cannot call the app, so it is not timed.
  if [ "$label" = hello-window-copy ]; then sleep 2; else
    for _ in $(seq 1000); do grep -q "first paint" "$log" && break; sleep 0.01; done
  fi
  t1=$(date +%s%N)
  reported=$(sed -n 's/.*first paint \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  page=$(sed -n 's/.*(page \([0-9]*\) ms).*/\1/p' "$log" | head -1)
  echo "$label,$i,$(( (t1 - t0) / 1000000 )),${reported:-?},${page:-?}" | tee -a "$work/results.csv"
  if [ "$i" = 1 ]; then
    sleep 10
    echo "$label idle_after_10s: processes=$(tree_pids "$pid" | wc -l) rss_kb=$(sum_kb "$pid" VmRSS) pss_kb=$(sum_kb "$pid" Pss)" | tee -a "$work/memory.txt"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "app,run,spawn_to_first_paint_ms,app_reported_ms,page_ms"
for i in $(seq "$runs"); do
  start shipdeck-app shipdeck-app "$i" "$PWD/examples/isometry"
  start shipdeck-hello shipdeck-hello "$i"
done
start hello-repainted shipdeck-hello 1 --repaint
start hello-window-copy shipdeck-hello 1 --page-file "$copy"

# Medians of the warm runs (the first of each is cold) and the ratio app / peer.
python3 - "$work/results.csv" "$work/memory.txt" <<'PY'
import csv, statistics, sys, re
rows = list(csv.reader(open(sys.argv[1])))
def med(name, col):
    vals = [int(r[col]) for r in rows if r[0] == name and r[1] != "1" and r[col].isdigit()] or [int(r[col]) for r in rows if r[0] == name and r[col].isdigit()]
    return statistics.median(vals)
for col, what in [(2, "spawn -> first paint"), (3, "as each app measured it"), (4, "of that, the page (navigation -> first frame)")]:
    a, h = med("shipdeck-app", col), med("shipdeck-hello", col)
    print(f"median {what}: shipdeck-app {a:.0f} ms, shipdeck-hello {h:.0f} ms, ratio {a / h:.2f}x")
mem = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in re.finditer(r"(\S+) idle_after_10s: processes=\d+ rss_kb=(\d+) pss_kb=(\d+)", open(sys.argv[2]).read())}
(ar, ap) = mem["shipdeck-app"]
for peer in ["shipdeck-hello", "hello-repainted", "hello-window-copy"]:
    if peer in mem:
        hr, hp = mem[peer]
        print(f"memory after 10 s, app vs {peer}: RSS {ar/1024:.0f} MB vs {hr/1024:.0f} MB ({ar/hr:.2f}x), PSS {ap/1024:.0f} MB vs {hp/1024:.0f} MB ({ap/hp:.2f}x)")
PY
