#!/usr/bin/env bash
# Builds the fleet dashboard (web/) into web/dist/, which is committed so that
# `cargo build` (the server embeds web/dist with rust-embed) needs no npm.
#
# Usage:
#   scripts/build-web.sh          npm ci (exact versions from web/package-lock.json),
#                                 type-check, production build into web/dist/
#   scripts/build-web.sh --check  also checks formatting (prettier), then the same
#                                 build into a temporary directory, diffed with the
#                                 committed web/dist/; exit 1 if anything differs
#
# The build is reproducible: two builds of the same sources give byte-identical
# files (asset names carry a content hash, nothing carries a time).
set -euo pipefail

cd "$(dirname "$0")/../web"
export TZ=UTC LC_ALL=C

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# --ignore-scripts: no dependency needs an install script (swagger-ui-dist's
# one only sends telemetry).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
npx --no-install tsc --noEmit

if [ "$check" = 0 ]; then
  npx --no-install vite build --logLevel warn
  echo "web/dist: $(du -sh dist | cut -f1) ($(find dist -type f | wc -l) files)"
  exit 0
fi

npx --no-install prettier --check --log-level warn src dev tests api-docs vite.config.ts

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install vite build --logLevel warn --outDir "$out/dist" --emptyOutDir
if diff -r "$out/dist" dist >"$out/diff.txt"; then
  echo "web/dist is up to date"
else
  echo "web/dist differs from a fresh build of web/ (run scripts/build-web.sh and commit web/dist):" >&2
  head -n 40 "$out/diff.txt" >&2
  exit 1
fi
