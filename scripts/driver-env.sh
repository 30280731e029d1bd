# Sourced by scripts/e2e.sh and benches/app/log.sh: a work folder, Xvfb (when no display is
# set) and tauri-driver (driving WebKitWebDriver) on $SHIPDECK_E2E_PORT (4444), all ended and
# removed on exit. Sets SHIPDECK_WEBDRIVER, SHIPDECK_E2E_TMP, SHIPDECK_DATA_DIR and $work.
work=$(mktemp -d)
export SHIPDECK_E2E_TMP="$work"
export SHIPDECK_DATA_DIR="$work/data"
export NO_AT_BRIDGE=1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ]; then
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  export DISPLAY=":$(cat "$work/display")"
fi

# The app stores credentials through keyring (keyutils on Linux): give it a fresh session
# keyring of its own and a service name of this run's (the work folder's random name: a pid
# can come back, and keyutils may keep items beyond the session), so nothing is shared.
export SHIPDECK_KEYRING_SERVICE="Shipdeck e2e $(basename "$work")"
session=()
command -v keyctl >/dev/null && session=(keyctl session -)

port=${SHIPDECK_E2E_PORT:-4444}
"${session[@]}" tauri-driver --port "$port" --native-port $((port + 1)) --native-driver "$(command -v WebKitWebDriver)" >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
export SHIPDECK_WEBDRIVER="http://127.0.0.1:$port"

