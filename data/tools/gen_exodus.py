#!/usr/bin/env python3
"""Regenerate data/trackers/exodus.json from the Exodus Privacy tracker database.

Usage: gen_exodus.py EXODUS_TRACKERS_JSON [OUT]

The input is the Exodus API export (``{"trackers": {"<id>": {...}}}``), e.g.
the copy at refdata/trackers/exodus_trackers.json of the leakscope test
corpus. The Exodus database is licensed under the Open Database Licence 1.0
(contents under DbCL 1.0); the output is a derived database under the same
licence, with the attribution kept in its ``meta`` (see
data/trackers/PROVENANCE.md and LICENSE.ODbL).

Kept per tracker: id, name, website, categories, code_signature and
network_signature *exactly as Exodus wrote them* (exodus-core matches code
signatures with Python ``re.search`` over class names; leakscope must give the
same results), nothing else. The long markdown descriptions are dropped; their free-text
"Ownership" sections are too irregular to give a company name, so owners come
from data/domains/owners.toml through the network signatures instead.
Standard library only.
"""
import json
import sys

SCHEMA_VERSION = 1


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else "data/trackers/exodus.json"
    with open(src, encoding="utf-8") as f:
        db = json.load(f)
    trackers = []
    for key, t in sorted(db["trackers"].items(), key=lambda kv: int(kv[0])):
        entry = {
            "id": int(t["id"]),
            "name": t["name"].strip(),
            "website": (t.get("website") or "").strip(),
            "categories": list(t.get("categories") or []),
            "code_signature": t.get("code_signature") or "",
            "network_signature": t.get("network_signature") or "",
        }
        if str(entry["id"]) != key:
            sys.exit(f"tracker key {key} does not match its id {entry['id']}")
        trackers.append(entry)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "source": "Exodus Privacy tracker database (https://reports.exodus-privacy.eu.org/api/trackers), "
            "as redistributed in TrackerControl @8c119b04ae2e app/src/main/assets/trackers.json; "
            "descriptions dropped",
            "licence": "ODbL-1.0 (database) / DbCL-1.0 (contents); (c) Exodus Privacy contributors",
            "updated": "2026-11-23",
        },
        "trackers": trackers,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{out}: {len(trackers)} trackers", file=sys.stderr)


if __name__ == "__main__":
    main()
