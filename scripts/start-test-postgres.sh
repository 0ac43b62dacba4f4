#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store tests and the server benchmark.
#
#   scripts/start-test-postgres.sh [--port N] [stop]
#
# Installs Debian's `postgresql` when initdb/pg_ctl are missing (needs root and apt), creates the
# cluster under ${TMPDIR:-/tmp}/leakscope-pg (owned by user postgres: the server refuses to run as
# root), listens on 127.0.0.1:${LEAKSCOPE_PG_PORT:-55432}, creates database leakscope_test and
# prints, on its last line:
#   export LEAKSCOPE_TEST_PG=postgres://postgres@127.0.0.1:PORT/leakscope_test
# Running it twice is fine (an already running cluster is reused). `stop` stops the cluster.
# Extensions needed by apalis-postgres (pgcrypto, hstore) ship in the Debian package.
set -euo pipefail

port=${LEAKSCOPE_PG_PORT:-55432}
action=start
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=$2; shift 2 ;;
    --port=*) port=${1#--port=}; shift ;;
    stop) action=stop; shift ;;
    *) echo "usage: $0 [--port N] [stop]" >&2; exit 2 ;;
  esac
done

dir=${TMPDIR:-/tmp}/leakscope-pg
data=$dir/data
log=$dir/server.log

find_bin() {
  local b
  b=$(command -v "$1" 2>/dev/null || true)
  [ -n "$b" ] || b=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$b"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -z "$(find_bin initdb)" ] || [ -z "$(find_bin pg_ctl)" ]; then
  if [ "$action" = stop ]; then exit 0; fi
  echo "installing postgresql (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
initdb=$(readlink -f "$(find_bin initdb)")
pg_ctl=$(readlink -f "$(find_bin pg_ctl)")
bindir=$(dirname "$pg_ctl")

if [ "$action" = stop ]; then
  if [ -f "$data/postmaster.pid" ]; then as_pg "$pg_ctl" -D "$data" -m fast stop >&2; fi
  exit 0
fi

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  mkdir -p "$dir"
  chown postgres "$dir"
fi
mkdir -p "$dir"

if [ ! -f "$data/PG_VERSION" ]; then
  as_pg "$initdb" -D "$data" -U postgres --auth=trust -E UTF8 >&2
fi

if ! as_pg "$pg_ctl" -D "$data" status >/dev/null 2>&1; then
  # Unix socket in our own directory: /var/run/postgresql may not exist or be writable.
  as_pg "$pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >&2
fi

for _ in $(seq 1 60); do
  if as_pg "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q; then break; fi
  sleep 1
done
as_pg "$bindir/pg_isready" -h 127.0.0.1 -p "$port" >&2

psql=$bindir/psql
if ! as_pg "$psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'leakscope_test'" | grep -q 1; then
  as_pg "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE leakscope_test" >&2
fi
echo "export LEAKSCOPE_TEST_PG=postgres://postgres@127.0.0.1:$port/leakscope_test"
