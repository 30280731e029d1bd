#!/usr/bin/env bash
# Fuzzes the xcconfig and pbxproj parsers with cargo-fuzz (libFuzzer), each for SECONDS
# (default 60), starting from the seeds here; new inputs go to fuzz/corpus/ (not committed),
# crashes to fuzz/artifacts/. cargo-fuzz wants nightly flags: on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets them through.
#   fuzz/run.sh [SECONDS] [xcconfig|pbxproj]
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${1:-60}
targets=${2:-"xcconfig pbxproj"}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for t in $targets; do
  mkdir -p "corpus/$t"
  cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=65536
done
