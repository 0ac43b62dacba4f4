#!/usr/bin/env python3
"""Independent oracle: manifest fields of APKs as androguard 4.1.4 `APK()` reads them.

Usage: androguard_manifest.py APK... > out.json
Prints one JSON object: {path: {package, version_code, ..., error}}.
Used only by leakscope's tests, never by leakscope itself.
"""
import json
import logging
import sys

try:
    from loguru import logger

    logger.remove()
except Exception:  # pragma: no cover - loguru is an androguard dependency
    pass
logging.disable(logging.CRITICAL)

from androguard.core.apk import APK  # noqa: E402


def as_int(v):
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def read(path):
    a = APK(path)
    perms = set(a.get_permissions())
    return {
        "package": a.get_package(),
        "version_code": as_int(a.get_androidversion_code()),
        "version_name": a.get_androidversion_name(),
        "min_sdk": as_int(a.get_min_sdk_version()),
        "target_sdk": as_int(a.get_target_sdk_version()),
        "permissions": sorted(perms),
        "activities": sorted(set(a.get_activities())),
        "services": sorted(set(a.get_services())),
        "receivers": sorted(set(a.get_receivers())),
        "providers": sorted(set(a.get_providers())),
        "label": a.get_app_name(),
    }


out = {}
for p in sys.argv[1:]:
    try:
        out[p] = read(p)
    except Exception as e:  # androguard fails on some hostile APKs
        out[p] = {"error": f"{type(e).__name__}: {e}"}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
