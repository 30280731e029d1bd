#!/usr/bin/env bash
# Type-checks the engine, the CLI and the app for macOS (aarch64-apple-darwin), so that the
# code behind #[cfg(target_os = "macos")] (the security-framework keychain source, the app's
# ActivationPolicy) is compiled against the real crates here on Linux. Nothing is linked:
# `cargo check` needs the target's standard library (from rustup) and, for the crates that
# build C (ring), a C compiler; a stand-in that writes empty objects is used, since
# nothing is linked or run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
target=aarch64-apple-darwin

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  if ! rustup target add "$target"; then
    echo "SKIPPED: the $target standard library could not be installed with rustup; macOS code not checked" >&2
    exit 0
  fi
fi

stand_in=$(mktemp -d)
trap 'rm -rf "$stand_in"' EXIT
cat > "$stand_in/cc" <<'CC'
#!/bin/sh
# Answers cc-rs's compiler detection as clang and writes an empty object for each -o.
for a in "$@"; do case "$a" in -E) echo '"clang"'; exit 0;; '-?') exit 1;; esac; done
out=""
while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2;; *) shift;; esac; done
if [ -n "$out" ]; then : > "$out"; fi
exit 0
CC
chmod +x "$stand_in/cc"

CC_aarch64_apple_darwin="$stand_in/cc" RUSTFLAGS="-D warnings" \
  cargo check --workspace --locked --all-targets --target "$target"
echo "macOS ($target): engine, CLI and app type-check"
