#!/usr/bin/env bash
# Load benchmark of the fleet server (issue: 1,000 inventory submissions/s of
# 200 apps each, p99 < 50 ms, for already-analysed apps), on SQLite and on
# PostgreSQL, on this machine: the server and the load generator share it.
#
#   scripts/bench-server.sh [sqlite|postgres]...   (default: both)
#
# Each run starts `leakscope serve` on a fresh database, uploads the corpus's
# DroidBench and real-world APKs, waits for their analysis, then runs
# `leakscope bench inventory` (2,000 devices, 32 connections, 15 s).
# Environment: LEAKSCOPE_BIN (default target/release/leakscope), LEAKSCOPE_CORPUS,
# BENCH_ARGS (extra arguments for `bench inventory`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LEAKSCOPE_BIN:-target/release/leakscope}
CORPUS=${LEAKSCOPE_CORPUS:-$(cd .. && pwd)/shared/corpus}
[ -x "$BIN" ] || cargo build --release -p leakscope
backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for backend in "${backends[@]}"; do
  case $backend in
    sqlite) db="sqlite://$work/sqlite/leakscope.db"; mkdir -p "$work/sqlite" ;;
    postgres)
      eval "$(scripts/start-test-postgres.sh | tail -n 1)"
      admin_url=$LEAKSCOPE_TEST_PG
      name="leakscope_bench_$$"
      psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
      db="${admin_url%/*}/$name" ;;
    *) echo "unknown backend $backend (sqlite|postgres)" >&2; exit 2 ;;
  esac
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  log="$work/$backend.log"
  "$BIN" serve --listen "127.0.0.1:$port" --db "$db" --blobs "$work/$backend-blobs" >"$log" 2>&1 &
  server=$!
  token=""
  for _ in $(seq 1 100); do
    token=$(grep -o 'lsk_[0-9a-f]*' "$log" | head -n 1 || true)
    [ -n "$token" ] && break
    sleep 0.2
  done
  [ -n "$token" ] || { cat "$log" >&2; echo "server did not print an admin token" >&2; exit 1; }
  echo "== $backend ($db)"
  # shellcheck disable=SC2086
  "$BIN" bench inventory --url "http://127.0.0.1:$port" --token "$token" \
    --upload "$CORPUS/droidbench" --upload "$CORPUS/realworld" ${BENCH_ARGS:-}
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
