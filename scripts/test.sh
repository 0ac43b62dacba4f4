#!/usr/bin/env bash
# The project's test command: installs the test dependencies (oracles, corpus
# registry APKs) and runs every test. CI runs exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-deps.sh
export LEAKSCOPE_CORPUS=${LEAKSCOPE_CORPUS:-$(cd .. && pwd)/shared/corpus}
export LEAKSCOPE_VENV=${LEAKSCOPE_VENV:-$(pwd)/.venv}
# A throwaway PostgreSQL on 127.0.0.1:55432 for the store and server tests
# (the SQLite half of those tests needs nothing).
pg_env=$(scripts/start-test-postgres.sh | tail -n 1)
eval "$pg_env"
# The dashboard's committed build (web/dist, embedded by the server) must be
# what its sources and lock file build, byte for byte; this also installs
# web/node_modules for the browser test.
scripts/build-web.sh --check
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked --no-fail-fast
