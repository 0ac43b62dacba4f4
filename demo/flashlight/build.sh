#!/bin/sh
# Build demo/flashlight.apk from the sources in this directory, reproducibly.
#
#   demo/flashlight/build.sh [OUT.apk]      (default: demo/flashlight.apk)
#
# Tools (all Debian packages): apktool (which runs smali and aapt), zipalign,
# apksigner, python3. The signing key demo-key.jks is a committed TEST key
# (PKCS#12, alias "demo", store and key password "leakscope-demo").
# Prints the SHA-256 of the result (and, for the default output, writes it
# to demo/flashlight.apk.sha256).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(cd "$here/.." && pwd)/flashlight.apk}
for tool in apktool zipalign apksigner python3; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "build.sh: $tool not found (apt-get install apktool zipalign apksigner python3)" >&2
        exit 1
    }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# apktool writes build/ into its input directory: build from a copy.
mkdir "$work/src"
cp -R "$here/AndroidManifest.xml" "$here/apktool.yml" "$here/res" "$here/smali" "$work/src/"

# -p keeps apktool's framework (1.apk) out of $HOME; --api sets the smali
# target API (dex 035 below 24).
apktool -q -p "$work/framework" b --api 21 "$work/src" -o "$work/unsigned.apk"

# apktool stamps entries with the current time: rewrite with fixed ones.
python3 "$here/../tools/zipnorm.py" "$work/unsigned.apk" "$work/normalized.apk" --store resources.arsc
zipalign -p -f 4 "$work/normalized.apk" "$work/aligned.apk"

apksigner sign \
    --ks "$here/demo-key.jks" --ks-key-alias demo \
    --ks-pass pass:leakscope-demo --key-pass pass:leakscope-demo \
    --v1-signing-enabled true --v2-signing-enabled true \
    --v3-signing-enabled true --v4-signing-enabled false \
    --out "$work/signed.apk" "$work/aligned.apk"
apksigner verify "$work/signed.apk"

cp "$work/signed.apk" "$out"
sha256sum "$out"
if [ $# -eq 0 ]; then
    # Default output: also record the hash next to the committed APK.
    (cd "$(dirname "$out")" && sha256sum flashlight.apk > flashlight.apk.sha256)
fi
