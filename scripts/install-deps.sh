#!/usr/bin/env bash
# Installs what building, running and testing Shipdeck needs, and only what is missing.
#   scripts/install-deps.sh          the app's build dependencies (Linux: Debian packages)
#   scripts/install-deps.sh --test   also Xvfb, WebKitWebDriver and tauri-driver for the app's end-to-end tests
set -euo pipefail

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need_cmd() { command -v "$1" >/dev/null 2>&1; }

if ! need_cmd cargo; then
  echo "install-deps: Rust is needed (https://rustup.rs), then run this again" >&2
  exit 1
fi

case "$(uname -s)" in
  Darwin)
    # On a Mac, the system WebView is used: Rust and Xcode's command-line tools are enough.
    if ! xcode-select -p >/dev/null 2>&1; then
      echo "install-deps: run 'xcode-select --install' for Xcode's command-line tools" >&2
      exit 1
    fi
    ;;
  Linux)
    pkgs=(pkg-config build-essential libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libxdo-dev keyutils)
    if [ "$want_test" = 1 ]; then
      pkgs+=(xvfb webkit2gtk-driver imagemagick python3 python3-venv openssl)
    fi
    missing=()
    for p in "${pkgs[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      echo "install-deps: installing ${missing[*]}"
      sudo_cmd=""
      [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
      $sudo_cmd apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    ;;
esac

if [ "$want_test" = 1 ] && [ "$(uname -s)" = Linux ] && ! need_cmd tauri-driver; then
  echo "install-deps: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
