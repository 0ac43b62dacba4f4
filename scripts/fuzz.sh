#!/usr/bin/env bash
# Runs every cargo-fuzz target for a while (default 600 s each) and prints the
# execution counts. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz --locked`); not part of the required CI.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-600}; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
mkdir -p logs
CORPUS=${LEAKSCOPE_CORPUS:-../../shared/corpus}
# Seeds each target's corpus once with small real inputs from the shared
# corpus (fuzz/corpus is not committed).
seed() {
  local t=$1
  [ -d "$CORPUS" ] || return 0
  [ -z "$(ls -A "corpus/$t" 2>/dev/null)" ] || return 0
  python3 - "$CORPUS" "corpus/$t" "$t" <<'PY'
import glob, hashlib, os, sys, zipfile
corpus, out, target = sys.argv[1:]
apks = [p for p in glob.glob(corpus + "/**/*.apk", recursive=True)
        if os.path.isfile(p) and os.path.getsize(p) < 300_000]
def put(data):
    if data and len(data) < 1_000_000:
        open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb").write(data)
def member(apk, name):
    try:
        return zipfile.ZipFile(apk).read(name)
    except Exception:
        return None
for apk in apks[:150]:
    if target in ("zip", "signing"):
        put(open(apk, "rb").read())
    elif target in ("dex", "dalvik"):
        put(member(apk, "classes.dex"))
    elif target == "taint":
        dex = member(apk, "classes.dex")
        if dex:
            put(b"\x00" + dex)
    elif target == "axml":
        put(member(apk, "AndroidManifest.xml"))
    elif target == "arsc":
        put(member(apk, "resources.arsc"))
if target == "axml":
    for x in glob.glob(corpus + "/realworld/androguard/AXML/*.xml"):
        put(open(x, "rb").read())
if target in ("dex", "dalvik"):
    for x in glob.glob(corpus + "/**/*.dex", recursive=True):
        put(open(x, "rb").read())
PY
}
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seed "$t"
  echo "fuzz: $t for ${secs}s"
  if cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      >"logs/$t.log" 2>&1; then
    status=ok
  else
    status=CRASH
  fi
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "logs/$t.log" | grep -Eo '[0-9]+$' | tail -1 || true)
  echo "fuzz: $t $status execs=${execs:-?} (log: fuzz/logs/$t.log)"
done
