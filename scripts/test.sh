#!/usr/bin/env bash
# The project's test command: installs the test dependencies (oracles, corpus
# registry APKs) and runs every test. CI runs exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-deps.sh
export LEAKSCOPE_CORPUS=${LEAKSCOPE_CORPUS:-$(cd .. && pwd)/shared/corpus}
export LEAKSCOPE_VENV=${LEAKSCOPE_VENV:-$(pwd)/.venv}
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked --no-fail-fast
