#!/usr/bin/env bash
# Validates the workflow `shipdeck ci init` generates, the sample's workflows and Shipdeck's own
# CI workflow against
# GitHub's workflow JSON schema (the copy that check-jsonschema ships, from SchemaStore).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/pyvenv
if [ ! -x "$venv/bin/check-jsonschema" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r examples/isometry "$tmp/ws"
rm -f "$tmp/ws/.github/workflows/shipdeck-release.yml"
# The binary the test run built (same features, so nothing is compiled again).
cargo test --workspace --locked --no-run --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
"$target_dir/debug/shipdeck" ci init --workspace "$tmp/ws" >/dev/null 2>&1
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows \
  "$tmp/ws/.github/workflows/shipdeck-release.yml" examples/isometry/.github/workflows/*.yml .github/workflows/*.yml
