#!/usr/bin/env python3
"""Regenerate data/android/permissions.json from AOSP's permission definitions.

Usage: gen_permissions.py AOSP_PERMISSIONS_JSON [OUT]

The input is androguard's extraction of AOSP ``core/res/AndroidManifest.xml``
(``{"groups": {...}, "permissions": {"<name>": {"protectionLevel": ...}}}``),
e.g. refdata/permissions/aosp_permissions_api36.json of the leakscope test
corpus (androguard and AOSP are Apache-2.0, so the output is shippable).

Kept per permission: name, protection level (as AOSP writes it, e.g.
``signature|privileged``), permission group and the English description.
The category mapping is *not* here: it is hand-curated in
data/android/permission_categories.toml and merged by the loader.
Standard library only.
"""
import json
import sys

SCHEMA_VERSION = 1


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else "data/android/permissions.json"
    with open(src, encoding="utf-8") as f:
        db = json.load(f)
    perms = []
    for name, p in sorted(db["permissions"].items()):
        entry = {"name": name, "protection_level": p.get("protectionLevel") or "normal"}
        group = (p.get("permissionGroup") or "").strip()
        if group and group != "android.permission-group.UNDEFINED":
            entry["group"] = group
        desc = " ".join((p.get("description") or "").split())
        if desc:
            entry["description"] = desc
        perms.append(entry)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "source": "AOSP frameworks/base core/res/AndroidManifest.xml (API 36), as extracted by androguard "
            "@4573c8c111ba androguard/core/api_specific_resources/aosp_permissions/permissions_36.json",
            "licence": "Apache-2.0 (AOSP, androguard)",
            "updated": "2026-11-23",
        },
        "permissions": perms,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{out}: {len(perms)} permissions", file=sys.stderr)


if __name__ == "__main__":
    main()
