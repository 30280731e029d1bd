#!/usr/bin/env bash
# Runs every test of Shipdeck: formatting and clippy lints, the engine's unit tests, the CLI tests (the built binary on
# copies of the sample workspace), the app's commands through Tauri's mock runtime, and the
# end-to-end test of the real app window (tauri-driver + WebKitWebDriver under Xvfb).
# Installs what it needs first (Debian packages, tauri-driver), only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

scripts/install-deps.sh --test

# A test run builds everything once: incremental caches would only add to the disk it needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
disk() { echo "   disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free; target/ $(du -sh target 2>/dev/null | cut -f1)"; }
disk

echo "== formatting (rustfmt.toml) and lints (clippy, warnings are errors)"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
disk

echo "== cargo test (engine, CLI, app commands)"
cargo test --workspace --locked
disk

echo "== macOS-only code (security-framework keychain source, ActivationPolicy) type-checked for aarch64-apple-darwin"
scripts/check-macos.sh
disk

echo "== the generated GitHub workflow against GitHub's workflow schema"
scripts/check-workflow-schema.sh

echo "== end-to-end: the app window under Xvfb"
scripts/e2e.sh
disk
