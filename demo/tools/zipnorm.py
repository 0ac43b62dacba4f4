#!/usr/bin/env python3
"""Rewrite a ZIP (APK) deterministically.

Usage: zipnorm.py IN.zip OUT.zip [--store NAME ...]

Every entry gets the same timestamp (2008-01-01 00:00:00, as AOSP's build
tools use), no extra fields, no external attributes and a fixed entry order
(AndroidManifest.xml, classes*.dex, resources.arsc, then the rest sorted by
name). Entries keep their compression method, except names given with
--store, which are forced to STORED. Deflate uses zlib level 9.
"""
import sys
import zipfile

FIXED_TIME = (2008, 1, 1, 0, 0, 0)


def order(name):
    if name == "AndroidManifest.xml":
        return (0, name)
    if name.startswith("classes") and name.endswith(".dex") and "/" not in name:
        return (1, len(name), name)
    if name == "resources.arsc":
        return (2, name)
    return (3, name)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    src, dst = argv[1], argv[2]
    store = set()
    rest = argv[3:]
    while rest:
        if rest[0] == "--store" and len(rest) > 1:
            store.add(rest[1])
            rest = rest[2:]
        else:
            sys.stderr.write("unknown argument: %s\n" % rest[0])
            return 2
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        infos = [i for i in zin.infolist() if not i.is_dir()]
        for info in sorted(infos, key=lambda i: order(i.filename)):
            data = zin.read(info.filename)
            out = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            out.create_system = 0
            out.external_attr = 0
            if info.filename in store or info.compress_type == zipfile.ZIP_STORED:
                out.compress_type = zipfile.ZIP_STORED
                zout.writestr(out, data)
            else:
                out.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(out, data, compresslevel=9)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
