#!/usr/bin/env bash
# A scan of 2,000 provisioning profiles and 200 certificates (generated, dated from today):
# Shipdeck's readers against a Python peer (cryptography + asn1crypto + plistlib), in one run.
#   benches/signing/run.sh [PROFILES] [CERTS]      (RUNS=5: best of five)
set -euo pipefail
cd "$(dirname "$0")/../.."
profiles=${1:-2000}
certs=${2:-200}
runs=${RUNS:-5}
work=${BENCH_DIR:-target/bench-signing}
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet cryptography asn1crypto
fi
cargo build --release --locked --example signing_bench --quiet
bin=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/signing_bench
set_dir="$work/set-v3-$profiles-$certs"
[ -d "$set_dir" ] || "$bin" generate "$set_dir" "$profiles" "$certs"
best() {
  local b=""
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
    t=$(( (e - s) / 1000000 ))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  echo "$b"
}
echo "set: $("$bin" scan "$set_dir")"
peer_out=$("$work/venv/bin/python" benches/signing/peer.py "$set_dir")
echo "python peer: $peer_out"
rt=$(best "$bin" scan "$set_dir")
pt=$(best "$work/venv/bin/python" benches/signing/peer.py "$set_dir")
echo "shipdeck: ${rt} ms   python peer: ${pt} ms   ratio: $(awk "BEGIN{printf \"%.1f\", $pt / $rt}")x"
