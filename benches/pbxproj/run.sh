#!/usr/bin/env bash
# Shipdeck's pbxproj parser against the Python peers openstep_plist (Cython) and pbxproj
# (mod-pbxproj), in one run: end-to-end process time (best of N) and peak memory, on the
# sample project, a real-sized generated one, and generated 10 MB and 50 MB projects.
#   benches/pbxproj/run.sh            (RUNS=5 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
work=${BENCH_DIR:-target/bench-pbxproj}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet openstep_plist pbxproj
fi
py="$work/venv/bin/python"
cargo build --release --locked --example pbxproj_bench --quiet
rust=$(cargo metadata --format-version 1 --no-deps | "$py" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/pbxproj_bench

mkdir -p "$work/sample.xcodeproj" "$work/1mb.xcodeproj" "$work/10mb.xcodeproj" "$work/50mb.xcodeproj"
cp examples/isometry/native/IsometryiOS/IsometryiOS.xcodeproj/project.pbxproj "$work/sample.xcodeproj/"
for s in 1 10 50; do
  f="$work/${s}mb.xcodeproj/project.pbxproj"
  [ -s "$f" ] || "$py" benches/pbxproj/generate.py "$s" > "$f"
done

# best wall time (s, from the clock around the process) and the peak RSS (KB) of that run
measure() {
  local best="" rss=""
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    m=$( { /usr/bin/time -f "%M" "$@" >/dev/null; } 2>&1 | tail -1)
    end=$(date +%s%N)
    t=$(awk "BEGIN{printf \"%.4f\", ($end - $start) / 1e9}")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
  done
  echo "$best $rss"
}

printf "%-8s %-6s %10s | %-22s | %-22s | %-22s | %s\n" file mode size "shipdeck s (MB)" "openstep_plist s (MB)" "pbxproj s (MB)" "openstep/shipdeck"
for name in sample 1mb 10mb 50mb; do
  f="$work/$name.xcodeproj/project.pbxproj"
  bytes=$(stat -c %s "$f")
  for mode in parse query; do
    read -r rt rm < <(measure "$rust" "$f" "$mode")
    read -r ot om < <(measure "$py" benches/pbxproj/peers.py openstep_plist "$f" "$mode")
    if [ "$name" = 50mb ] || [ "$name" = 10mb ]; then
      # mod-pbxproj takes seconds on these: one run is enough to see the order.
      read -r pt pm < <(runs=1 measure "$py" benches/pbxproj/peers.py pbxproj "$f" "$mode")
    else
      read -r pt pm < <(measure "$py" benches/pbxproj/peers.py pbxproj "$f" "$mode")
    fi
    ratio=$(awk "BEGIN{printf \"%.1fx\", $ot / $rt}")
    printf "%-8s %-6s %10s | %8s (%6.1f)      | %8s (%6.1f)      | %8s (%6.1f)      | %s\n" "$name" "$mode" "$bytes" "$rt" "$(awk "BEGIN{print $rm/1024}")" "$ot" "$(awk "BEGIN{print $om/1024}")" "$pt" "$(awk "BEGIN{print $pm/1024}")" "$ratio"
  done
done
