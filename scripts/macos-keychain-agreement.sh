#!/usr/bin/env bash
# On a Mac (CI's macOS runner): a temporary keychain in the search list holding the demo
# identities, then `shipdeck identities` through the keychain source (security-framework), the
# `security` source and the `dir:` source must agree on the demo set: the same certificates,
# the same ones with their private key. The keychain is deleted at the end.
#   scripts/macos-keychain-agreement.sh PATH/TO/shipdeck
set -euo pipefail
cd "$(dirname "$0")/.."
shipdeck=${1:?usage: scripts/macos-keychain-agreement.sh PATH/TO/shipdeck}
[ "$(uname)" = Darwin ] || { echo "needs macOS (security, a keychain)" >&2; exit 2; }
work=$(mktemp -d)
kc="$work/shipdeck-ci.keychain-db"
original=$(security list-keychains -d user | tr -d '"' | xargs)
cleanup() {
  # shellcheck disable=SC2086
  security list-keychains -d user -s $original || true
  security delete-keychain "$kc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r examples/isometry "$work/ws"
rm -rf "$work/ws/.shipdeck"
"$shipdeck" signing demo --workspace "$work/ws" >/dev/null
demo="$work/ws/.shipdeck/demo-signing"

# A throwaway keychain with a random password (it never leaves this script); the .p12
# password is passed through the environment to openssl.
KC_PASSWORD=$(uuidgen)
export P12_PASSWORD=$(uuidgen)
security create-keychain -p "$KC_PASSWORD" "$kc"
security set-keychain-settings -lut 3600 "$kc"
security unlock-keychain -p "$KC_PASSWORD" "$kc"
# shellcheck disable=SC2086
security list-keychains -d user -s "$kc" $original
for pem in "$demo"/*.pem; do
  # macOS's own openssl (LibreSSL) writes a .p12 that `security import` reads.
  /usr/bin/openssl pkcs12 -export -in "$pem" -out "${pem%.pem}.p12" -passout env:P12_PASSWORD
  security import "${pem%.pem}.p12" -k "$kc" -f pkcs12 -P "$P12_PASSWORD" -T /usr/bin/codesign >/dev/null
done
for cer in "$demo"/*.cer; do
  security import "$cer" -k "$kc" >/dev/null
done

for source in keychain security "dir:.shipdeck/demo-signing"; do
  "$shipdeck" identities --json --source "$source" --workspace "$work/ws" > "$work/$(echo "$source" | tr ':/.' '___').json" || true
done
python3 - "$work" <<'PY'
import json, sys, pathlib
work = pathlib.Path(sys.argv[1])
def load(name):
    scan = json.loads((work / name).read_text())["scan"]
    return {i["certificate"]["sha1"]: i["has_private_key"] for i in scan["identities"]}
demo = load("dir__shipdeck_demo-signing.json")
failed = False
for name in ("keychain.json", "security.json"):
    seen = load(name)
    # The search list holds the runner's own keychains too: only the demo set is compared.
    mine = {sha: seen.get(sha) for sha in demo}
    if mine != demo:
        failed = True
        print(f"{name}: differs from the dir: source", file=sys.stderr)
        for sha in demo:
            print(f"  {sha}: dir {demo[sha]}, {name} {mine[sha]}", file=sys.stderr)
    else:
        print(f"{name}: the same {len(demo)} identities as the dir: source, the same ones with their key")
sys.exit(1 if failed else 0)
PY
