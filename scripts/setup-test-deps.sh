#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine:
# the independent oracles (AOSP dexdump, aapt, apksigner, smali, apktool),
# a Python venv with androguard 4.1.4 (and exodus-core), and the registry APKs
# of the shared corpus. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
# chromium renders the HTML report and the dashboard in the browser tests;
# node and npm build the dashboard and run its Playwright test; curl drives
# the dashboard test's server; postgresql serves the store and server tests.
for pkg_cmd in dexdump:dexdump aapt:aapt apksigner:apksigner smali:libsmali-java apktool:apktool unzip:unzip zip:zip chromium:chromium curl:curl node:nodejs npm:npm; do
  cmd=${pkg_cmd%%:*}; pkg=${pkg_cmd#*:}
  command -v "$cmd" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Android's own ZIP library (libziparchive), the oracle for "what Android does".
dpkg -s android-libziparchive >/dev/null 2>&1 || need_apt+=(android-libziparchive)
command -v perl >/dev/null 2>&1 || need_apt+=(perl)
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

VENV=${LEAKSCOPE_VENV:-.venv}
if ! "$VENV/bin/python" -c 'import androguard, exodus_core, maxminddb' >/dev/null 2>&1; then
  echo "setup: creating $VENV with the oracles (androguard 4.1.4, exodus-core, maxminddb)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r scripts/oracle-requirements.txt
  # exodus-core pins an older androguard; its own imports are in the
  # requirements file, so install it without its dependencies.
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps exodus-core==1.3.15
fi

CORPUS=${LEAKSCOPE_CORPUS:-../shared/corpus}
if [ -x "$CORPUS/fetch-registry-apks.sh" ] || [ -f "$CORPUS/fetch-registry-apks.sh" ]; then
  bash "$CORPUS/fetch-registry-apks.sh" >/dev/null
else
  echo "setup: no corpus at $CORPUS; corpus tests will be skipped"
fi
echo "setup: test dependencies ready"
