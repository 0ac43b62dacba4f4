#!/usr/bin/env bash
# End-to-end browser test of the fleet dashboard against a real server.
#
# Starts `${LEAKSCOPE_BIN:-target/debug/leakscope} serve` on a free loopback
# port with a fresh SQLite database and blob directory, reads the admin token
# it prints on first start (the first `lsk_<hex>` on its stderr: the server
# prints the token alone on a line in a banner, the mock as `admin token: lsk_…`), uploads
# demo/flashlight.apk, waits until it is analysed, posts an inventory for a
# device, runs web/tests/e2e.mjs (headless Debian Chromium via playwright-core)
# and stops the server.
#
# Usage: scripts/e2e-dashboard.sh [--mock]
#   --mock   use web/dev/mock-api.mjs instead of the Rust server (no upload)
# Environment: LEAKSCOPE_BIN, LEAKSCOPE_ARTIFACTS (screenshots, default
# target/test-artifacts), LEAKSCOPE_E2E_TIMEOUT (analysis wait, default 300 s).
# Needs: node 20, curl, /usr/bin/chromium (apt-get install -y chromium), and
# web/node_modules (installed here with `npm ci` when missing).
set -euo pipefail

cd "$(dirname "$0")/.."
root="$(pwd)"
mock=0
case "${1:-}" in
  "") ;;
  --mock) mock=1 ;;
  *) echo "usage: $0 [--mock]" >&2; exit 2 ;;
esac

export LEAKSCOPE_ARTIFACTS="${LEAKSCOPE_ARTIFACTS:-$root/target/test-artifacts}"
timeout_s="${LEAKSCOPE_E2E_TIMEOUT:-300}"
bin="${LEAKSCOPE_BIN:-$root/target/debug/leakscope}"

die() { echo "e2e-dashboard: $*" >&2; exit 1; }
[ -x /usr/bin/chromium ] || [ -n "${LEAKSCOPE_CHROMIUM:-}" ] || die "no /usr/bin/chromium (apt-get install -y chromium)"
[ -d web/node_modules/playwright-core ] || (cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
url="http://127.0.0.1:$port"

if [ "$mock" = 1 ]; then
  node web/dev/mock-api.mjs --port "$port" >"$tmp/server.out" 2>"$tmp/server.err" &
else
  [ -x "$bin" ] || die "no server binary at $bin (cargo build -p leakscope, or set LEAKSCOPE_BIN)"
  "$bin" serve --listen "127.0.0.1:$port" --db "sqlite://$tmp/leakscope.db" --blobs "$tmp/blobs" >"$tmp/server.out" 2>"$tmp/server.err" &
fi
server_pid=$!

# Wait for the admin token and for /api/v1/health.
token=""
for _ in $(seq 1 120); do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err" >&2; die "the server exited"; }
  token="$(grep -o 'lsk_[0-9a-f]\{16,\}' "$tmp/server.err" | head -n1 || true)"
  if [ -n "$token" ] && curl -sf "$url/api/v1/health" >/dev/null; then break; fi
  sleep 0.5
done
[ -n "$token" ] || { cat "$tmp/server.err" >&2; die "no admin token (lsk_<hex>) on the server's stderr"; }
curl -sf "$url/api/v1/health" >/dev/null || die "$url/api/v1/health does not answer"
echo "server up at $url"

api() { curl -sS -f -H "Authorization: Bearer $token" "$@"; }
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v?.[k];process.stdout.write(v==null?"":String(v))})' "$1"; }

sha=""
if [ "$mock" = 0 ]; then
  sha="$(api -X POST -H 'Content-Type: application/vnd.android.package-archive' --data-binary @demo/flashlight.apk "$url/api/v1/apps?filename=flashlight.apk" | json_field sha256)"
  [ -n "$sha" ] || die "the upload gave no sha256"
  echo "uploaded demo/flashlight.apk as $sha"
  deadline=$((SECONDS + timeout_s))
  while :; do
    status="$(api "$url/api/v1/apps/$sha" | json_field status)"
    [ "$status" = done ] && break
    [ "$status" = failed ] && die "the analysis failed: $(api "$url/api/v1/apps/$sha" | json_field error)"
    [ "$SECONDS" -lt "$deadline" ] || die "not analysed after ${timeout_s}s (status $status)"
    sleep 1
  done
  detail="$(api "$url/api/v1/apps/$sha")"
  package="$(echo "$detail" | json_field summary.package)"
  version_code="$(echo "$detail" | json_field summary.version_code)"
  echo "analysed: $package ($version_code)"
  inventory="{\"apps\":[{\"package\":\"$package\",\"version_code\":${version_code:-null},\"sha256\":\"$sha\",\"signer_sha256\":null},{\"package\":\"org.example.unknown\",\"version_code\":3,\"sha256\":null,\"signer_sha256\":null}]}"
  compliance="$(api -X POST -H 'Content-Type: application/json' --data "$inventory" "$url/api/v1/devices/e2e-device-1/inventory" | json_field compliance)"
  echo "inventory of e2e-device-1: $compliance"
fi

LEAKSCOPE_URL="$url" LEAKSCOPE_TOKEN="$token" LEAKSCOPE_APP_SHA="$sha" node web/tests/e2e.mjs
